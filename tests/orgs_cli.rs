//! Organisations across the archive and places by GeoNames id, end to end
//! through the binaries: a bare "Fed" is the archive's Federal Reserve
//! once other stories pair the two, without re-enriching the story that
//! says only "Fed"; `--json` hits carry display names with `org_ids`, and
//! `place_ids` beside `places`; `place:geonames:ID` finds a place.

mod common;

use std::path::Path;
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
