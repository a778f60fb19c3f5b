//! People across the archive, end to end through the binaries: `--people`
//! lists and cards (text and `--json`), corrections (merge, split, rename,
//! not-person; a malformed line reported and the rest applied; kept over
//! `--rebuild`), and the seed story's `Lavrov` in the shipped corpus.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use common::*;
use serde_json::Value;

fn index_of(paths: &[PathBuf], idx: &Path) {
    let out = run(indexer().arg("--quiet").arg("--index").arg(idx).args(paths));
    assert!(out.status.success(), "{}", stderr(&out));
}

/// The shipped corpus, indexed once.
fn corpus_index() -> &'static Path {
    static DIR: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    &DIR.get_or_init(|| {
        let tmp = tempfile::tempdir().unwrap();
        let idx = tmp.path().join("index");
        index_of(&[repo("corpus")], &idx);
        (tmp, idx)
    })
    .1
}

fn story(day: &str, headline: &str, body: &str) -> String {
    format!("Headline: {headline}\nDate: {day}\n\nWASHINGTON (Reuters) - {body}\n")
}

/// A small archive of two Bakers of one season, a bare Baker nobody can
/// tell, a woman under two surnames, and a fuller and a shorter form of
/// one name; each test indexes its own copy.
fn bakers(dir: &Path) -> PathBuf {
    let stories = dir.join("stories");
    let s = [
        story("1987-03-02", "Baker sees dollar stable", "Treasury Secretary James Baker said the dollar had fallen far enough against the yen. Baker spoke to bankers in Washington."),
        story("1987-03-09", "Treasury and the yen", "Treasury Secretary James Baker told Congress the Group of Seven would keep currencies stable. Baker met Japanese officials."),
        story("1987-03-16", "Baker on trade talks", "Treasury Secretary James Baker said trade talks with Japan would resume next month."),
        story("1987-03-03", "White House on the highway bill", "White House chief of staff Howard Baker said the President would veto the highway bill. Baker spoke to reporters at the White House."),
        story("1987-03-10", "Veto threat", "White House chief of staff Howard Baker told senators the veto would stand."),
        story("1987-03-20", "Baker leaves", "Officials said Baker had left for Tokyo on Friday."),
        story("1987-04-01", "Rodham speaks", "Lawyer Hillary Rodham said the committee would report in May."),
        story("1987-04-08", "Clinton speaks", "Lawyer Hillary Clinton said the committee had reported."),
        story("1987-05-01", "Bush on the dollar", "President George W. Bush said the dollar had fallen far enough. Bush spoke to bankers."),
        story("1987-05-08", "Bush on the budget", "President George Bush told Congress the budget would pass."),
        story("1987-05-15", "Bush on trade", "President George Bush said trade talks would resume."),
    ];
    for (i, text) in s.iter().enumerate() {
        write(&stories.join(format!("{i}.txt")), text);
    }
    let idx = dir.join("index");
    index_of(std::slice::from_ref(&stories), &idx);
    idx
}

fn cmd(index: &Path) -> Command {
    let mut c = query();
    c.arg("--index").arg(index).args(["--color", "never"]);
    c
}

fn people_json(index: &Path, name: &str) -> Vec<Value> {
    let out = run(cmd(index).args(["--people", name, "--json"]));
    assert!(out.status.success(), "{name}: {}", stderr(&out));
    json_lines(&out)
}

fn count(index: &Path, q: &str) -> u64 {
    let out = run(cmd(index)
        .args(["--count", "--allow-no-match", "--"])
        .arg(q));
    assert!(out.status.success(), "{q}: {}", stderr(&out));
    stdout(&out).trim().parse().unwrap()
}

fn named<'a>(list: &'a [Value], name: &str) -> Option<&'a Value> {
    list.iter().find(|v| v["name"] == name)
}

#[test]
fn people_lists_each_baker_apart_and_shows_a_card() {
    let tmp = tempfile::tempdir().unwrap();
    let idx = bakers(tmp.path());
    let list = people_json(&idx, "Baker");
    let james = named(&list, "James Baker").unwrap_or_else(|| panic!("{list:?}"));
    let howard = named(&list, "Howard Baker").unwrap_or_else(|| panic!("{list:?}"));
    assert_ne!(james["id"], howard["id"]);
    assert_eq!(james["kind"], "person");
    assert!(james["stories"].as_u64().unwrap() >= 3, "{james}");
    assert!(howard["stories"].as_u64().unwrap() >= 2, "{howard}");
    // The bare Baker of a story without context stays apart, and says so.
    let ambiguous: Vec<&Value> = list.iter().filter(|v| v["kind"] == "ambiguous").collect();
    assert_eq!(ambiguous.len(), 1, "{list:?}");
    assert!(ambiguous[0]["name"].as_str().unwrap().contains("Baker"));
    // Most stories first.
    let stories: Vec<u64> = list
        .iter()
        .map(|v| v["stories"].as_u64().unwrap())
        .collect();
    assert!(stories.windows(2).all(|w| w[0] >= w[1]), "{stories:?}");
    // Aliases count the forms stories use.
    let aliases: Vec<(&str, u64)> = james["aliases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| (a["name"].as_str().unwrap(), a["count"].as_u64().unwrap()))
        .collect();
    assert!(aliases.contains(&("James Baker", 3)), "{aliases:?}");
    assert_eq!(james["first"], "1987-03-02");
    assert_eq!(james["last"], "1987-03-16");

    // The text list has one line per identity; an id prints the card.
    let out = run(cmd(&idx).args(["--people", "Baker"]));
    assert!(out.status.success());
    assert_eq!(stdout(&out).lines().count(), list.len(), "{}", stdout(&out));
    let id = james["id"].as_str().unwrap();
    let card = stdout(&run(cmd(&idx).args(["--people", id])));
    assert!(card.starts_with(&format!("James Baker  [{id}]")), "{card}");
    assert!(card.contains("stories:"), "{card}");
    assert!(card.contains("aliases:"), "{card}");

    // Queries by any form find the identity's stories, and hits name it
    // by its display name with its id beside.
    let full = count(&idx, "person:\"James Baker\"");
    assert_eq!(full, james["stories"].as_u64().unwrap());
    assert_eq!(count(&idx, &format!("person:\"{id}\"")), full);
    let bush = people_json(&idx, "George Bush");
    assert_eq!(bush.len(), 1, "one identity for both forms: {bush:?}");
    // Named by its most common form, the fuller one an alias.
    assert_eq!(bush[0]["name"], "George Bush");
    assert!(bush[0]["aliases"].to_string().contains("George W. Bush"));
    assert_eq!(count(&idx, "person:\"George Bush\""), 3);
    assert_eq!(count(&idx, "person:\"George W. Bush\""), 3);
    let out = run(cmd(&idx).args(["--json", "-n", "all", "person:\"James Baker\""]));
    for hit in json_lines(&out) {
        let people = hit["people"].as_array().unwrap();
        let ids = hit["person_ids"].as_array().unwrap();
        assert_eq!(people.len(), ids.len(), "{hit}");
        let at = ids
            .iter()
            .position(|i| i == id)
            .unwrap_or_else(|| panic!("{hit}"));
        assert_eq!(people[at], "James Baker");
    }

    // An unknown name is an error, not an empty list.
    let out = run(cmd(&idx).args(["--people", "Nobody Atall"]));
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("no person matches"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn corrections_apply_at_once_report_bad_lines_and_survive_a_rebuild() {
    let tmp = tempfile::tempdir().unwrap();
    let idx = bakers(tmp.path());
    let before = people_json(&idx, "Baker");
    let james = named(&before, "James Baker").unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let bush = people_json(&idx, "George Bush")[0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(count(&idx, "person:\"George W. Bush\""), 3);
    let rodham = people_json(&idx, "Hillary Rodham");
    let clinton = people_json(&idx, "Hillary Clinton");
    assert_eq!(rodham.len(), 1);
    assert_ne!(rodham[0]["id"], clinton[0]["id"]);

    let file = idx.join("corrections.txt");
    write(
        &file,
        format!(
            "# corrections\n\
             merge {} | {}\n\
             frobnicate everything\n\
             split {bush} | George Bush\n\
             rename {james} | James Addison Baker\n\
             not-person Howard Baker\n",
            rodham[0]["id"].as_str().unwrap(),
            clinton[0]["id"].as_str().unwrap(),
        ),
    );
    // The malformed line is reported where it is, and the rest applies.
    let out = run(cmd(&idx).args(["--people", "Baker", "--json"]));
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains(&format!("{}:3:", file.display())),
        "no PATH:LINE in {err:?}"
    );
    let after = json_lines(&out);
    // rename
    assert!(named(&after, "James Addison Baker").is_some(), "{after:?}");
    // not-person: no Howard Baker any more
    assert!(named(&after, "Howard Baker").is_none(), "{after:?}");
    // split: the stories that say "George Bush" are an identity of their own
    assert_eq!(count(&idx, "person:\"George W. Bush\""), 1);
    assert_eq!(count(&idx, &format!("person:\"{bush}\"")), 1);
    // With Howard Baker no person, the bare Baker can only be James.
    assert_eq!(count(&idx, &format!("person:\"{james}\"")), 4);
    // merge: either name finds both stories
    assert_eq!(count(&idx, "person:\"Hillary Rodham\""), 2);
    assert_eq!(count(&idx, "person:\"Hillary Clinton\""), 2);

    // A rebuild re-enriches every story and keeps the corrections.
    let out = run(indexer()
        .args(["--quiet", "--rebuild", "--index"])
        .arg(&idx)
        .arg(tmp.path().join("stories")));
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(file.exists());
    assert_eq!(count(&idx, "person:\"Hillary Rodham\""), 2);
    assert!(named(&people_json(&idx, "Baker"), "James Addison Baker").is_some());

    // --corrections FILE instead of the folder's own: an empty one undoes
    // them all.
    let none = tmp.path().join("none.txt");
    write(&none, "");
    let out = run(cmd(&idx)
        .arg("--corrections")
        .arg(&none)
        .args(["--count", "person:\"Hillary Rodham\""]));
    assert_eq!(stdout(&out).trim(), "1");
}

#[test]
fn the_seeds_lavrov_is_the_archives_sergey_lavrov() {
    let idx = corpus_index();
    let list = people_json(idx, "Lavrov");
    let sergey = named(&list, "Sergey Lavrov").unwrap_or_else(|| panic!("{list:?}"));
    let id = sergey["id"].as_str().unwrap();
    let out = run(cmd(idx).args(["--json", "-n", "all", "--all-versions", "person:Lavrov"]));
    assert!(out.status.success(), "{}", stderr(&out));
    let hits = json_lines(&out);
    let seed = hits
        .iter()
        .find(|h| {
            h["path"]
                .as_str()
                .unwrap_or("")
                .ends_with("syria-moscow.txt")
        })
        .unwrap_or_else(|| panic!("the seed is not among person:Lavrov"));
    let ids = seed["person_ids"].as_array().unwrap();
    assert!(ids.iter().any(|i| i == id), "{seed}");
    assert!(
        seed["people"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p == "Sergey Lavrov"),
        "{seed}"
    );
    // Every story about him names him one way.
    for h in &hits {
        let lavrovs: Vec<&Value> = h["people"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|p| p.as_str().unwrap().contains("Lavrov"))
            .collect();
        assert_eq!(lavrovs, [&Value::from("Sergey Lavrov")], "{}", h["id"]);
    }
    // The person facet counts him once per story, under one name.
    let out = run(cmd(idx).args(["--json", "--facets", "person", "-n", "1", "Syria"]));
    let text = stdout(&out);
    assert!(!text.contains("\"Lavrov\""), "{text}");
}
