//! Organisations across the archive and places by GeoNames id, end to end
//! through the binaries: a bare "Fed" is the archive's Federal Reserve
//! once other stories pair the two, without re-enriching the story that
//! says only "Fed"; `--json` hits carry display names with `org_ids`, and
//! `place_ids` beside `places`; `place:geonames:ID` finds a place.
//! `--orgs NAME` lists organisation identities and shows their cards, and
//! organisation corrections apply at once, report bad lines and survive a
//! rebuild.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::*;
use serde_json::Value;

fn story(day: &str, headline: &str, body: &str) -> String {
    format!("Headline: {headline}\nDate: {day}\n\nWASHINGTON (Reuters) - {body}\n")
}

fn index(idx: &Path, paths: &[&Path]) -> String {
    let out = run(indexer().arg("--index").arg(idx).args(paths));
    assert!(out.status.success(), "{}", stderr(&out));
    stderr(&out)
}

fn cmd(index: &Path) -> Command {
    let mut c = query();
    c.arg("--index").arg(index).args(["--color", "never"]);
    c
}

fn count(index: &Path, q: &str) -> u64 {
    let out = run(cmd(index)
        .args(["--count", "--allow-no-match", "--"])
        .arg(q));
    assert!(out.status.success(), "{q}: {}", stderr(&out));
    stdout(&out).trim().parse().unwrap()
}

fn hits(index: &Path, q: &str) -> Vec<Value> {
    let out = run(cmd(index).args(["--json", "--limit", "50", "--"]).arg(q));
    assert!(out.status.success(), "{q}: {}", stderr(&out));
    json_lines(&out)
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .map(|s| s.as_str().unwrap_or("null").to_string())
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn a_bare_short_form_joins_the_archive_identity_when_later_stories_pair_it() {
    let tmp = tempfile::tempdir().unwrap();
    let first = tmp.path().join("first");
    let later = tmp.path().join("later");
    write(
        &first.join("bare.txt"),
        story(
            "2013-03-12",
            "Markets wait",
            "Traders said the Fed was likely to keep buying bonds. The Fed meets next week.",
        ),
    );
    // Distinct stories (versions of one would count once).
    let pairing = [
        ("2013-03-10", "Rates steady", "The Federal Reserve left its policy unchanged. Officials at the Fed said growth was moderate."),
        ("2013-03-11", "Banks lend more", "Lending by banks rose in February, the Federal Reserve reported. The Fed publishes the figures monthly."),
        ("2013-03-13", "Housing outlook", "Home builders expect a better spring, according to a survey the Federal Reserve released. Economists at the Fed were cautious."),
    ];
    for (i, (day, headline, body)) in pairing.iter().enumerate() {
        write(&later.join(format!("{i}.txt")), story(day, headline, body));
    }
    let idx = tmp.path().join("index");
    index(&idx, &[&first]);
    // Alone, "Fed" is only itself.
    assert_eq!(count(&idx, "org:\"Federal Reserve\""), 0);
    assert_eq!(count(&idx, "org:Fed"), 1);

    // New stories pair the two; the old one is not enriched again.
    let report = index(&idx, &[&first, &later]);
    assert!(report.contains("1 unchanged"), "{report}");
    assert_eq!(count(&idx, "org:\"Federal Reserve\""), 4);
    for q in ["org:Fed", "org:FED", "org:\"the Fed\""] {
        assert_eq!(count(&idx, q), 4, "{q}");
    }
    let found = hits(&idx, "org:Fed AND traders");
    assert_eq!(found.len(), 1);
    assert_eq!(strings(&found[0]["orgs"]), ["Federal Reserve"]);
    assert_eq!(strings(&found[0]["org_ids"]), ["o-federal-reserve"]);
    // Every story names it once, by the one display name.
    for h in hits(&idx, "org:Fed") {
        assert_eq!(strings(&h["orgs"]), ["Federal Reserve"], "{h}");
    }
    // The facet counts the identity once a story.
    let out = run(cmd(&idx).args(["--count", "--facets", "org", "--", "org:Fed"]));
    let text = stdout(&out);
    assert!(
        text.lines()
            .any(|l| l.trim_start().starts_with("4  Federal Reserve")),
        "{text}"
    );
    assert!(
        !text.lines().any(|l| l.trim_end().ends_with("  Fed")),
        "{text}"
    );
}

#[test]
fn places_carry_geonames_ids_and_are_found_by_them() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("stories");
    write(
        &dir.join("a.txt"),
        story(
            "2013-03-12",
            "Talks in Moscow",
            "Diplomats met in Moscow on Tuesday and then flew to Damascus.",
        ),
    );
    write(
        &dir.join("b.txt"),
        story(
            "2013-03-13",
            "Talks elsewhere",
            "Diplomats met in Cairo on Wednesday.",
        ),
    );
    let idx = tmp.path().join("index");
    index(&idx, &[&dir]);
    let found = hits(&idx, "place:Moscow");
    assert_eq!(found.len(), 1);
    let places = strings(&found[0]["places"]);
    let ids = strings(&found[0]["place_ids"]);
    assert_eq!(places.len(), ids.len(), "{}", found[0]);
    let moscow = places.iter().position(|p| p == "Moscow").unwrap();
    let id = &ids[moscow];
    assert!(id.starts_with("geonames:"), "{id}");
    assert_eq!(count(&idx, &format!("place:{id}")), 1);
    assert_eq!(count(&idx, &format!("place:\"{id}\"")), 1);
    assert_eq!(count(&idx, "place:geonames:1"), 0);
}

fn dated(day: &str, dateline: &str, headline: &str, body: &str) -> String {
    format!("Headline: {headline}\nDate: {day}\n\n{dateline} (Reuters) - {body}\n")
}

/// Three stories each spelling the United Nations one way, two on OPEC,
/// two on the World Health Organization spelled two ways, and one the
/// agency's name appears in.
fn org_archive(dir: &Path) -> PathBuf {
    let stories = dir.join("stories");
    let items = [
        ("2013-03-10", "GENEVA", "Aid blocked", "The U.N. said aid convoys were blocked near Homs."),
        ("2013-03-11", "BEIRUT", "Refugees", "The UN said refugee numbers rose again in Lebanon this month."),
        ("2013-04-12", "GENEVA", "Council", "The United Nations said its envoy would travel to Damascus, Secretary-General Ban Ki-moon said on Friday."),
        ("2013-03-13", "VIENNA", "Oil output", "OPEC kept its output target unchanged on Wednesday, delegates said."),
        ("2013-03-14", "LONDON", "Oil price", "OPEC said demand would rise in the second half."),
        ("2013-03-18", "GENEVA", "Flu warning", "The World Health Organization warned of a severe flu season."),
        ("2013-03-19", "GENEVA", "Flu cases", "The World Health Organisation said cases rose. Reuters reported the figures first."),
        ("2013-03-20", "LONDON", "Sterling", "Sterling rose against the dollar on Wednesday, Reuters reported."),
    ];
    for (i, (day, place, headline, body)) in items.iter().enumerate() {
        write(
            &stories.join(format!("{i}.txt")),
            dated(day, place, headline, body),
        );
    }
    let idx = dir.join("index");
    index(&idx, &[&stories]);
    idx
}

fn orgs_json(index: &Path, name: &str) -> Vec<Value> {
    let out = run(cmd(index).args(["--orgs", name, "--json"]));
    assert!(out.status.success(), "{name}: {}", stderr(&out));
    json_lines(&out)
}

fn facet(index: &Path, q: &str) -> String {
    let out = run(cmd(index).args(["--count", "--facets", "org", "--"]).arg(q));
    assert!(out.status.success(), "{q}: {}", stderr(&out));
    stdout(&out)
}

#[test]
fn orgs_lists_an_organisation_under_all_its_spellings_and_shows_its_card() {
    let tmp = tempfile::tempdir().unwrap();
    let idx = org_archive(tmp.path());
    // "U.N.", "UN" and "United Nations": one identity, three stories.
    // Typed in lower case too: a user's "un" means the organisation.
    for name in [
        "UN",
        "U.N.",
        "United Nations",
        "UNITED NATIONS",
        "un",
        "u.n.",
    ] {
        let found = orgs_json(&idx, name);
        assert_eq!(found.len(), 1, "{name}: {found:?}");
        assert_eq!(found[0]["id"], "o-united-nations", "{name}");
        assert_eq!(found[0]["name"], "United Nations", "{name}");
        assert_eq!(found[0]["stories"], 3, "{name}");
    }
    assert_eq!(count(&idx, "org:UN"), 3);
    assert_eq!(count(&idx, "org:un"), 3);
    let un = &orgs_json(&idx, "o-united-nations")[0];
    assert_eq!(un["first"], "2013-03-10");
    assert_eq!(un["last"], "2013-04-12");
    assert_eq!(un["kind"], "organisation");
    assert_eq!(un["datelines"][0]["name"], "Geneva");
    assert_eq!(un["datelines"][0]["count"], 2);
    let people = un["co_mentioned_people"].as_array().unwrap();
    assert_eq!(people.len(), 1, "{un}");
    assert_eq!(people[0]["name"], "Ban Ki-moon", "{un}");
    assert_eq!(people[0]["count"], 1, "{un}");
    assert!(people[0]["id"].as_str().unwrap().starts_with("p-"), "{un}");

    // The card as text: name and id, counts, dates, datelines.
    let out = run(cmd(&idx).args(["--orgs", "UN"]));
    assert!(out.status.success(), "{}", stderr(&out));
    let card = stdout(&out);
    assert!(
        card.starts_with("United Nations  [o-united-nations]"),
        "{card}"
    );
    assert!(card.contains("stories:   3"), "{card}");
    assert!(card.contains("2013-03-10 – 2013-04-12"), "{card}");
    assert!(card.contains("Geneva (2)"), "{card}");
    assert!(card.contains("Ban Ki-moon"), "{card}");

    // OPEC in any case; a name matching two identities is a list.
    assert_eq!(orgs_json(&idx, "opec")[0]["stories"], 2);
    let out = run(cmd(&idx).args(["--orgs", "World Health"]));
    let list = stdout(&out);
    assert_eq!(list.lines().count(), 2, "{list}");
    assert!(
        list.lines()
            .all(|l| l.trim_start().starts_with("1  World Health Organi")),
        "{list}"
    );

    // Nothing matches: said, exit 1.
    let out = run(cmd(&idx).args(["--orgs", "Acme Widgets"]));
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("no organisation matches"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn org_corrections_apply_at_once_report_bad_lines_and_survive_a_rebuild() {
    let tmp = tempfile::tempdir().unwrap();
    let idx = org_archive(tmp.path());
    assert_eq!(count(&idx, "org:\"World Health Organization\""), 1);
    assert!(facet(&idx, "Reuters OR flu").contains("Reuters"));
    assert_eq!(strings(&hits(&idx, "sterling")[0]["orgs"]), ["Reuters"]);

    let file = idx.join("corrections.txt");
    write(
        &file,
        "# organisations\n\
         merge o-world-health-organization | World Health Organisation\n\
         merge o-world-health-organization\n\
         rename o-nobody | Nobody\n\
         not-org Reuters\n\
         rename o-opec | Organization of the Petroleum Exporting Countries\n",
    );
    let check = |out: &std::process::Output| {
        let err = stderr(out);
        let at = |n: u32| format!("{}:{n}:", file.display());
        assert!(err.contains(&format!("{} merge needs", at(3))), "{err}");
        assert!(
            err.contains(&format!("{} no organisation \"o-nobody\"", at(4))),
            "{err}"
        );
        assert_eq!(err.lines().count(), 2, "{err}");
    };
    // merge: both spellings find both stories, under the first's id.
    for name in ["World Health Organization", "World Health Organisation"] {
        assert_eq!(count(&idx, &format!("org:\"{name}\"")), 2, "{name}");
    }
    let out = run(cmd(&idx).args(["--orgs", "World Health", "--json"]));
    check(&out);
    let who = json_lines(&out);
    assert_eq!(who.len(), 1, "{who:?}");
    assert_eq!(who[0]["id"], "o-world-health-organization");
    assert_eq!(who[0]["stories"], 2);
    // The bad lines are reported by every command, not only the one that
    // rebuilt the cache.
    check(&run(cmd(&idx).args(["--count", "org:UN"])));
    // not-org: no identity, no facet row, not in hits' orgs.
    assert_eq!(
        run(cmd(&idx).args(["--orgs", "Reuters"])).status.code(),
        Some(1)
    );
    assert!(!facet(&idx, "Reuters OR flu").contains("Reuters"));
    for h in hits(&idx, "flu") {
        assert!(!strings(&h["orgs"]).contains(&"Reuters".to_string()), "{h}");
        assert!(
            !strings(&h["org_ids"]).contains(&"o-reuters".to_string()),
            "{h}"
        );
        assert_eq!(
            strings(&h["org_ids"]),
            ["o-world-health-organization"],
            "{h}"
        );
    }
    // A story whose only organisation it was names none now.
    let sterling = &hits(&idx, "sterling")[0];
    assert!(strings(&sterling["orgs"]).is_empty(), "{sterling}");
    assert!(strings(&sterling["org_ids"]).is_empty(), "{sterling}");
    // rename: a new display name, the same id.
    let opec = hits(&idx, "org:OPEC");
    assert_eq!(opec.len(), 2);
    assert_eq!(
        strings(&opec[0]["orgs"]),
        ["Organization of the Petroleum Exporting Countries"]
    );
    assert_eq!(strings(&opec[0]["org_ids"]), ["o-opec"]);

    // A rebuild re-enriches every story and keeps the corrections.
    let out = run(indexer()
        .args(["--quiet", "--rebuild", "--index"])
        .arg(&idx)
        .arg(tmp.path().join("stories")));
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(count(&idx, "org:\"World Health Organisation\""), 2);
    assert!(!facet(&idx, "Reuters OR flu").contains("Reuters"));

    // --corrections FILE instead: an empty one undoes them.
    let none = tmp.path().join("none.txt");
    write(&none, "");
    let out = run(cmd(&idx)
        .arg("--corrections")
        .arg(&none)
        .args(["--count", "org:\"World Health Organisation\""]));
    assert_eq!(stdout(&out).trim(), "1");
}

#[test]
fn a_line_of_names_goes_to_whichever_registry_has_them() {
    let tmp = tempfile::tempdir().unwrap();
    let idx = org_archive(tmp.path());
    let file = idx.join("corrections.txt");
    // Names only, no ids: the people have no "World Health Organisation",
    // so the organisations take the line; a name neither has is reported.
    write(
        &file,
        "merge World Health Organization | World Health Organisation\n\
         merge Nobody Known | World Health Organization\n",
    );
    let out = run(cmd(&idx).args(["--count", "org:\"World Health Organisation\""]));
    assert_eq!(stdout(&out).trim(), "2", "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains(&format!(
            "{}:2: no person or organisation \"Nobody Known\"",
            file.display()
        )),
        "{err}"
    );
    assert_eq!(err.lines().count(), 1, "{err}");
}
