//! `dateline-index` end to end: dump, incremental runs, locking.

mod common;

use common::*;

#[test]
fn seed_dump_has_dateline_single_lead_and_credit_in_byline() {
    let Some(seed) = shared("seed/syria-moscow.txt") else {
        return;
    };
    let out = run(indexer().arg("--dump").arg(&seed));
    assert!(out.status.success(), "{}", stderr(&out));
    let docs = json_lines(&out);
    assert_eq!(docs.len(), 1);
    let a = &docs[0];
    assert_eq!(a["dateline"]["text"], "MOSCOW");
    assert_eq!(a["dateline"]["place"], "Moscow");
    let body = a["body"].as_str().unwrap();
    let lead = "MOSCOW — Russia’s foreign minister said Saturday";
    assert_eq!(
        body.matches(lead).count(),
        1,
        "the repeated lead is kept once"
    );
    assert!(!body.contains("contributed to this report"));
    assert_eq!(a["byline"], serde_json::json!(["Jim Heintz"]));
    assert!(
        a["date"].is_null(),
        "the seed gives no date and none is invented"
    );
    assert_eq!(a["dateline"]["country"], "Russia");
    let list = |k: &str| -> Vec<String> {
        a[k].as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap().to_string())
            .collect()
    };
    let people = list("people");
    for p in [
        "Bashar Assad",
        "Lakhdar Brahimi",
        "Lavrov",
        "Mouaz al-Khatib",
        "Georgy Mirsky",
        "Vladimir Putin",
    ] {
        assert!(
            people.contains(&p.to_string()),
            "{p} missing from {people:?}"
        );
    }
    assert!(
        !people.iter().any(|p| p.contains("Heintz")),
        "a credit is not a mention: {people:?}"
    );
    let places = list("places");
    for p in [
        "Moscow", "Syria", "Damascus", "Lebanon", "Jordan", "Geneva", "Egypt",
    ] {
        assert!(
            places.contains(&p.to_string()),
            "{p} missing from {places:?}"
        );
    }
    let topics = list("topics");
    for t in [
        "conflict, war and peace",
        "politics and government",
        "diplomacy",
    ] {
        assert!(
            topics.contains(&t.to_string()),
            "{t} missing from {topics:?}"
        );
    }
}

#[test]
fn reuters_dump_gives_every_story_dated_1987() {
    let Some(dir) = shared("data/reuters21578") else {
        return;
    };
    let out = run(indexer().arg("--dump").arg(&dir));
    assert!(out.status.success(), "{}", stderr(&out));
    let all = json_lines(&out);
    // Beside the SGML, the folder's text files are indexed too, described
    // by their shape (the code lists are lists); only README.txt is
    // skipped, as documentation.
    let (docs, others): (Vec<_>, Vec<_>) = all.into_iter().partition(|a| a["format"] == "sgml");
    assert_eq!(docs.len(), 21_578);
    let other_paths: Vec<&str> = others.iter().map(|a| a["path"].as_str().unwrap()).collect();
    assert_eq!(others.len(), 7, "{other_paths:?}");
    assert!(!other_paths.iter().any(|p| p.ends_with("README.txt")));
    for a in &others {
        if a["path"].as_str().unwrap().ends_with("-strings.lc.txt") {
            assert_eq!(a["kind"], "list", "{}", a["path"]);
        }
    }
    let mut ids = std::collections::HashSet::new();
    let mut datelines = 0;
    for a in &docs {
        assert!(
            a["date"].as_str().unwrap().starts_with("1987-"),
            "{}",
            a["id"]
        );
        assert!(
            ids.insert(a["id"].as_str().unwrap().to_string()),
            "duplicate id {}",
            a["id"]
        );
        if a["dateline"].is_object() {
            datelines += 1;
        }
    }
    // The markup has 19,043 DATELINE fields, one of them empty (`--`);
    // every other one is kept.
    assert_eq!(datelines, 19_042);
    let first = docs.iter().find(|a| a["id"] == "reuters21578-1").unwrap();
    assert_eq!(first["dateline"]["text"], "SALVADOR");
    assert_eq!(first["headline"], "BAHIA COCOA REVIEW");
    assert!(!first["body"].as_str().unwrap().ends_with("Reuter"));
}

fn index_dir(tmp: &tempfile::TempDir) -> std::path::PathBuf {
    tmp.path().join("index")
}

fn summary_of(out: &std::process::Output) -> String {
    let err = stderr(out);
    err.lines().last().unwrap_or("").to_string()
}

#[test]
fn incremental_runs_skip_replace_and_remove() {
    let tmp = tempfile::tempdir().unwrap();
    let docs = tmp.path().join("docs");
    write(
        &docs.join("a.txt"),
        "First story\n\nMOSCOW (AP) — Lavrov met Brahimi on Saturday to discuss the war.\n",
    );
    write(
        &docs.join("b.txt"),
        "Second story\n\nBEIRUT (AP) — Refugees crossed into Lebanon on Friday, officials said.\n",
    );
    let idx = index_dir(&tmp);
    let first = run(indexer().arg("--index").arg(&idx).arg(&docs));
    assert!(first.status.success(), "{}", stderr(&first));
    assert!(summary_of(&first).contains("2 added"), "{}", stderr(&first));

    let again = run(indexer().arg("--index").arg(&idx).arg(&docs));
    assert!(
        summary_of(&again).contains("0 added, 0 updated, 0 removed, 2 unchanged"),
        "{}",
        stderr(&again)
    );

    write(
        &docs.join("a.txt"),
        "First story, revised\n\nMOSCOW (AP) — Lavrov met Brahimi again on Sunday.\n",
    );
    std::fs::remove_file(docs.join("b.txt")).unwrap();
    let changed = run(indexer().arg("--index").arg(&idx).arg(&docs));
    assert!(
        summary_of(&changed).contains("0 added, 1 updated, 1 removed, 0 unchanged"),
        "{}",
        stderr(&changed)
    );

    let handle = dateline::index::store::IndexHandle::open(&idx).unwrap();
    let searcher = handle.index.reader().unwrap().searcher();
    assert_eq!(searcher.num_docs(), 1);
}

#[test]
fn a_second_indexer_is_refused_while_one_writes() {
    let tmp = tempfile::tempdir().unwrap();
    let docs = tmp.path().join("docs");
    write(
        &docs.join("a.txt"),
        "A story\n\nLONDON, March 3 - Shares rose on Tuesday in London trading.\n",
    );
    let idx = index_dir(&tmp);
    assert!(run(indexer().arg("--index").arg(&idx).arg(&docs))
        .status
        .success());
    // Hold the writer lock as a running indexer would.
    let handle = dateline::index::store::IndexHandle::open(&idx).unwrap();
    let _writer: tantivy::IndexWriter = handle.index.writer(50_000_000).unwrap();
    let out = run(indexer().arg("--index").arg(&idx).arg(&docs));
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("another dateline-index is writing"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn bad_files_are_named_and_the_rest_indexed() {
    let tmp = tempfile::tempdir().unwrap();
    let docs = tmp.path().join("docs");
    write(
        &docs.join("good.txt"),
        "Good story\n\nPARIS (AP) — Workers went on strike on Monday.\n",
    );
    write(&docs.join("empty.txt"), "");
    write(&docs.join("feed.jsonl"), "{\"title\":\"One\",\"body\":\"Text one.\"}\n{broken\n{\"title\":\"Two\",\"body\":\"Text two.\"}\n");
    let out = run(indexer().arg("--dump").arg(&docs));
    assert!(out.status.success());
    let err = stderr(&out);
    assert!(err.contains("empty.txt: empty file"), "{err}");
    assert!(err.contains("feed.jsonl:2: bad JSON line"), "{err}");
    assert_eq!(json_lines(&out).len(), 3);
}
