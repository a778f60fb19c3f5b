//! `dateline` end to end: the shipped corpus, Reuters-21578 and bad input.

mod common;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use common::*;
use serde_json::Value;

/// The shipped corpus indexed once into a temporary folder.
fn corpus_index() -> &'static Path {
    static DIR: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    let (_, idx) = DIR.get_or_init(|| {
        let tmp = tempfile::tempdir().unwrap();
        let idx = tmp.path().join("index");
        let out = run(indexer()
            .arg("--quiet")
            .arg("--index")
            .arg(&idx)
            .arg(repo("corpus")));
        assert!(out.status.success(), "{}", stderr(&out));
        (tmp, idx)
    });
    idx
}

fn search(index: &Path, query: &str, extra: &[&str]) -> Vec<Value> {
    let out = run(query_cmd(index)
        .arg("--json")
        .args(extra)
        .arg("--")
        .arg(query));
    assert!(out.status.success(), "{query}: {}", stderr(&out));
    json_lines(&out)
}

fn query_cmd(index: &Path) -> std::process::Command {
    let mut cmd = query();
    cmd.arg("--index").arg(index);
    cmd
}

fn count(index: &Path, query: &str, extra: &[&str]) -> u64 {
    let out = run(query_cmd(index)
        .arg("--count")
        .args(extra)
        .arg("--")
        .arg(query));
    assert!(out.status.success(), "{query}: {}", stderr(&out));
    stdout(&out).trim().parse().unwrap()
}

/// The highlighted words of a hit, lower-cased.
fn highlighted(hit: &Value) -> Vec<String> {
    let snippet = hit["snippet"].as_str().unwrap();
    hit["highlights"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let (s, e) = (
                r[0].as_u64().unwrap() as usize,
                r[1].as_u64().unwrap() as usize,
            );
            snippet[s..e].to_lowercase()
        })
        .collect()
}

#[test]
fn the_seed_story_comes_first_with_highlights() {
    let idx = corpus_index();
    for (query, word) in [
        ("person:Lavrov", "lavrov"),
        ("person:\"Bashar Assad\"", "assad"),
        ("place:Damascus refugees", "refugees"),
        ("dateline:Moscow Brahimi", "brahimi"),
        ("\"political transition\"", "political transition"),
        ("Assad’s", "assad"),
        ("place:Syria", "syria"),
    ] {
        let hits = search(idx, query, &[]);
        assert!(!hits.is_empty(), "{query}: no hits");
        assert_eq!(
            hits[0]["path"],
            "corpus/syria-moscow.txt".replace("corpus", &repo("corpus").to_string_lossy()),
            "{query}: {}",
            hits[0]["path"]
        );
        let words = highlighted(&hits[0]);
        assert!(
            words.iter().any(|w| w.contains(word)),
            "{query}: highlights {words:?}"
        );
    }
}

#[test]
fn person_and_place_fields_reach_through_names_and_countries() {
    let idx = corpus_index();
    // A story datelined Tbilisi, Georgia is about the country, not the state.
    let hits = search(idx, "place:Georgia", &["-n", "50"]);
    let datelines: Vec<&str> = hits
        .iter()
        .filter_map(|h| h["dateline"]["place"].as_str())
        .collect();
    assert!(datelines.contains(&"Tbilisi"), "{datelines:?}");
    // Paris, Texas is found under Texas; Paris, France is not.
    let texas = search(idx, "place:Texas", &["-n", "50"]);
    assert!(texas
        .iter()
        .all(|h| h["dateline"]["place"] != "Paris" || h["dateline"]["country"] == "United States"));
    assert!(texas.iter().any(|h| h["dateline"]["place"] == "Paris"));
}

#[test]
fn facets_count_all_matches() {
    let idx = corpus_index();
    let out = run(query_cmd(idx).args([
        "--json",
        "--facets",
        "person,year",
        "-n",
        "1",
        "place:Syria",
    ]));
    assert!(out.status.success(), "{}", stderr(&out));
    let lines = json_lines(&out);
    let facets = lines.last().unwrap();
    let total = facets["total"].as_u64().unwrap();
    assert!(total > 1);
    for v in facets["facets"]["person"].as_array().unwrap() {
        let name = v["value"].as_str().unwrap();
        let n = count(idx, &format!("place:Syria person:\"{name}\""), &[]);
        assert!(
            n >= v["count"].as_u64().unwrap(),
            "{name}: facet {} > query {n}",
            v["count"]
        );
    }
}

#[test]
fn bad_queries_exit_2_with_a_message() {
    let idx = corpus_index();
    for q in [
        "\"unclosed",
        "(Assad OR",
        "persn:Assad",
        "date:2012-13-40",
        "place:",
        "date:[2012 TO",
    ] {
        let out = run(query_cmd(idx).arg("--").arg(q));
        assert_eq!(out.status.code(), Some(2), "{q}: {}", stderr(&out));
        let err = stderr(&out);
        assert!(
            err.starts_with("dateline: bad query:") && !err.contains("panicked"),
            "{q}: {err}"
        );
    }
    let out = run(query_cmd(idx).args(["--facets", "colour", "Syria"]));
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn a_missing_index_says_how_to_make_one() {
    let tmp = tempfile::tempdir().unwrap();
    let out = run(query_cmd(&tmp.path().join("nothing")).arg("Syria"));
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("dateline-index --index"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn show_prints_the_whole_story() {
    let idx = corpus_index();
    let hits = search(idx, "\"political transition\"", &["-n", "1"]);
    let id = hits[0]["id"].as_str().unwrap();
    let out = run(query_cmd(idx).args(["--json", "--show", id]));
    assert!(out.status.success());
    let a = &json_lines(&out)[0];
    assert!(a["body"].as_str().unwrap().contains("political transition"));
    let out = run(query_cmd(idx).args(["--show", "no-such-id"]));
    assert!(!out.status.success());
}

/// Reuters-21578 indexed once, when the shared data is present.
fn reuters_index() -> Option<&'static Path> {
    static DIR: OnceLock<Option<(tempfile::TempDir, PathBuf)>> = OnceLock::new();
    DIR.get_or_init(|| {
        let data = shared("data/reuters21578")?;
        let tmp = tempfile::tempdir().unwrap();
        let idx = tmp.path().join("index");
        let out = run(indexer().arg("--quiet").arg("--index").arg(&idx).arg(data));
        assert!(out.status.success(), "{}", stderr(&out));
        Some((tmp, idx))
    })
    .as_ref()
    .map(|(_, p)| p.as_path())
}

#[test]
fn reuters_date_ranges_return_only_stories_in_range() {
    let Some(idx) = reuters_index() else { return };
    let hits = search(idx, "oil date:[1987-03-01 TO 1987-03-31]", &["-n", "200"]);
    assert!(!hits.is_empty());
    for h in &hits {
        assert!(
            h["date"].as_str().unwrap().starts_with("1987-03"),
            "{}",
            h["date"]
        );
    }
    let march = count(idx, "date:1987-03", &[]);
    let flags = count(idx, "", &["--from", "1987-03", "--to", "1987-03"]);
    assert_eq!(march, flags);
    let day = search(idx, "date:1987-04-07", &["-n", "100"]);
    assert!(day
        .iter()
        .all(|h| h["date"].as_str().unwrap().starts_with("1987-04-07")));
}

#[test]
fn reuters_exclusion_and_or() {
    let Some(idx) = reuters_index() else { return };
    // Split by a word, every version falls on one side (a story's versions
    // may fall on both, so stories are counted by version here).
    let all = ["--all-versions"];
    let both = count(idx, "coffee", &all);
    let without = count(idx, "coffee -brazil", &all);
    let with = count(idx, "coffee brazil", &all);
    assert!(without < both && with < both);
    assert_eq!(without + with, both);
    for h in search(idx, "coffee -brazil", &["-n", "50"]) {
        let out = run(query_cmd(idx).args(["--json", "--show", h["id"].as_str().unwrap()]));
        let body = json_lines(&out)[0]["body"].as_str().unwrap().to_lowercase();
        let has_word = body
            .split(|c: char| !c.is_alphanumeric())
            .any(|w| w == "brazil");
        assert!(!has_word, "{}", h["id"]);
    }
    let either = count(idx, "cocoa OR coffee", &all);
    assert!(count(idx, "coffee", &[]) <= both, "versions collapse");
    assert!(either >= both);
}

#[test]
fn reuters_facets_agree_with_field_counts() {
    let Some(idx) = reuters_index() else { return };
    let out = run(query_cmd(idx).args([
        "--json",
        "--facets",
        "topic,dateline,month",
        "-n",
        "0",
        "--",
        "grain",
    ]));
    assert!(out.status.success(), "{}", stderr(&out));
    let facets = json_lines(&out).pop().unwrap();
    let month = &facets["facets"]["month"][0];
    let m = month["value"].as_str().unwrap();
    assert_eq!(
        month["count"].as_u64().unwrap(),
        count(idx, &format!("grain date:{m}"), &[])
    );
    let dl = &facets["facets"]["dateline"][0];
    let place = dl["value"].as_str().unwrap();
    assert!(
        count(idx, &format!("grain dateline:\"{place}\""), &[]) >= dl["count"].as_u64().unwrap()
    );
    let topic = &facets["facets"]["topic"][0];
    let label = topic["value"].as_str().unwrap();
    assert!(
        count(idx, &format!("grain topic:\"{label}\""), &[]) >= topic["count"].as_u64().unwrap()
    );
}

#[test]
fn topic_queries_match_topics_and_their_sub_topics() {
    let idx = corpus_index();
    let ids = |q: &str| -> std::collections::BTreeSet<String> {
        search(idx, q, &["-n", "100"])
            .iter()
            .map(|h| h["id"].as_str().unwrap().to_string())
            .collect()
    };
    let sport = search(idx, "topic:sport", &["-n", "100"]);
    assert!(sport.len() >= 3, "{}", sport.len());
    for h in &sport {
        let topics = h["topics"].as_array().unwrap();
        assert!(topics.iter().any(|t| t == "sport"), "{}", h["id"]);
    }
    // A story filed under diplomacy is found under politics too.
    let diplomacy = ids("topic:diplomacy");
    assert!(!diplomacy.is_empty());
    assert!(diplomacy.is_subset(&ids("topic:politics")));
    // Source codes are searchable apart from ours.
    assert!(!ids("topic:reuters:crude").is_empty());
}
