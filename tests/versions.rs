//! Versions of a story, end to end: grouped as they are indexed (also
//! incrementally), collapsed in search, counted once, listed with
//! `--show ID --versions`.

mod common;

use std::path::Path;

use common::*;

/// The shipped corpus's plain-text stories: (path under corpus/, text).
fn corpus_stories() -> Vec<(String, String)> {
    let root = repo("corpus/text");
    let mut out = Vec::new();
    for entry in walkdir::WalkDir::new(&root).sort_by_file_name() {
        let entry = entry.unwrap();
        let p = entry.path();
        if p.extension().is_some_and(|e| e == "txt") {
            let rel = p.strip_prefix(&root).unwrap().display().to_string();
            out.push((rel, std::fs::read_to_string(p).unwrap()));
        }
    }
    assert!(out.len() >= 10, "the corpus has plain-text stories");
    out
}

/// Versions a wire service files of a story: a write-thru with a paragraph
/// added, an update with its figures changed, a corrected headline, and
/// the same copy from another agency.
fn versions_of(text: &str) -> Vec<(&'static str, String)> {
    let added = format!(
        "{text}\n\nOfficials said more details would be released later in the day, and that a further statement was expected on Monday morning.\n"
    );
    let figures: String = text
        .chars()
        .map(|c| match c {
            '0'..='8' => char::from(c as u8 + 1),
            c => c,
        })
        .collect();
    // A header's headline, or the first line that stands for one.
    let corrected = match text.find("Headline: ") {
        Some(at) => format!("{}Headline: CORRECTED - {}", &text[..at], &text[at + 10..]),
        None => format!("CORRECTED - {text}"),
    };
    let agency = text
        .replacen("(AP)", "(Reuters)", 1)
        .replacen(" — ", " - ", 1);
    vec![
        ("added", added),
        ("figures", figures),
        ("corrected", corrected),
        ("agency", agency),
    ]
}

fn index(idx: &Path, docs: &Path) {
    let out = run(indexer().arg("--index").arg(idx).arg(docs));
    assert!(out.status.success(), "{}", stderr(&out));
}

fn all_versions(idx: &Path) -> Vec<serde_json::Value> {
    let out = run(query()
        .arg("--index")
        .arg(idx)
        .args(["--json", "--all-versions", "-n", "100000"])
        .arg("source:text"));
    json_lines(&out)
}

#[test]
fn versions_made_from_the_corpus_join_their_story_incrementally() {
    let tmp = tempfile::tempdir().unwrap();
    let docs = tmp.path().join("docs");
    let idx = tmp.path().join("index");
    let stories = corpus_stories();
    for (rel, text) in &stories {
        write(&docs.join("first").join(rel), text);
    }
    index(&idx, &docs);
    // The versions arrive in a later run: they must find their story in
    // the last commit, not only among the stories of their own run.
    let mut made = 0;
    for (rel, text) in &stories {
        for (kind, v) in versions_of(text) {
            write(&docs.join("later").join(kind).join(rel), v);
            made += 1;
        }
    }
    index(&idx, &docs);

    let hits = all_versions(&idx);
    let cluster_of = |folder: &str, rel: &str| -> String {
        let want = format!("{folder}/{rel}");
        hits.iter()
            .find(|h| h["path"].as_str().unwrap().ends_with(&want))
            .unwrap_or_else(|| panic!("{want} not indexed"))["cluster"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let mut grouped = 0;
    let mut missed = Vec::new();
    for (rel, text) in &stories {
        let original = cluster_of("first", rel);
        for (kind, _) in versions_of(text) {
            if cluster_of(&format!("later/{kind}"), rel) == original {
                grouped += 1;
            } else {
                missed.push(format!("{kind}/{rel}"));
            }
        }
    }
    let recall = grouped as f64 / made as f64;
    eprintln!(
        "versions grouped with their story: {grouped} of {made} ({recall:.3}); missed: {missed:?}"
    );
    assert!(recall >= 0.9, "recall {recall:.3}; missed {missed:?}");

    // No two of the corpus's own stories are versions of each other.
    let mut originals: Vec<String> = stories
        .iter()
        .map(|(rel, _)| cluster_of("first", rel))
        .collect();
    originals.sort();
    originals.dedup();
    assert_eq!(originals.len(), stories.len());
}

/// Two stories on one subject from one day: the same people, places and
/// vocabulary, different events.
const SAME_DAY_A: &str = "Envoy meets Assad in Damascus\n\nDAMASCUS, Syria (AP) — The international envoy for Syria met President Bashar Assad in Damascus on Monday and urged him to agree to a ceasefire during the coming holiday, officials said.\n\nThe envoy told reporters after the two-hour meeting that the Syrian leader had listened carefully but made no promises, and that he would travel on to Beirut and Amman later in the week.\n\nThe government has rejected earlier calls for a truce, saying it is fighting terrorists backed by foreign powers.\n";
const SAME_DAY_B: &str = "Rebels shell army base near Damascus\n\nDAMASCUS, Syria (AP) — Syrian rebels shelled an army base on the edge of Damascus on Monday, killing at least a dozen soldiers, activists said, as fighting spread to suburbs that had been quiet for months.\n\nThe attack came hours before the international envoy was due to meet President Bashar Assad to press for a holiday ceasefire.\n\nState television said the army had repelled the assault and killed dozens of what it called terrorists.\n";

#[test]
fn versions_collapse_in_search_and_are_listed_with_what_changed() {
    let tmp = tempfile::tempdir().unwrap();
    let docs = tmp.path().join("docs");
    let idx = tmp.path().join("index");
    let header =
        |id: &str, headline: &str| format!("Id: {id}\nHeadline: {headline}\nDate: 2012-10-22\n\n");
    let body_a = SAME_DAY_A.split_once("\n\n").unwrap().1;
    write(
        &docs.join("a1.txt"),
        format!(
            "{}{body_a}",
            header("env-1", "Envoy meets Assad in Damascus")
        ),
    );
    write(
        &docs.join("a2.txt"),
        format!(
            "{}{body_a}\nThe war has killed more than 35,000 people since March 2011, activists say.\n",
            header("env-2", "UPDATE 1-Envoy meets Assad in Damascus")
        ),
    );
    write(
        &docs.join("a3.txt"),
        format!(
            "{}{}",
            header("env-3", "UPDATE 2-Envoy meets Assad in Damascus"),
            body_a.replace("two-hour", "three-hour")
        ),
    );
    let body_b = SAME_DAY_B.split_once("\n\n").unwrap().1;
    write(
        &docs.join("b.txt"),
        format!(
            "{}{body_b}",
            header("reb-1", "Rebels shell army base near Damascus")
        ),
    );
    index(&idx, &docs);

    let count = |extra: &[&str]| {
        let out = run(query()
            .arg("--index")
            .arg(&idx)
            .arg("--count")
            .args(extra)
            .arg("Damascus envoy"));
        stdout(&out).trim().parse::<usize>().unwrap()
    };
    assert_eq!(
        count(&[]),
        2,
        "three versions of one story and another story"
    );
    assert_eq!(count(&["--all-versions"]), 4);

    let out = run(query()
        .arg("--index")
        .arg(&idx)
        .args(["--json", "Damascus envoy"]));
    let hits = json_lines(&out);
    assert_eq!(hits.len(), 2);
    let env = hits
        .iter()
        .find(|h| h["id"].as_str().unwrap().starts_with("env-"))
        .unwrap();
    assert_eq!(env["versions"], 3);
    let reb = hits.iter().find(|h| h["id"] == "reb-1").unwrap();
    assert_eq!(reb["versions"], 1);
    assert_ne!(env["cluster"], reb["cluster"]);

    let out = run(query()
        .arg("--index")
        .arg(&idx)
        .args(["--color", "never", "Damascus envoy"]));
    assert!(stdout(&out).contains("+2 versions"), "{}", stdout(&out));

    let out =
        run(query()
            .arg("--index")
            .arg(&idx)
            .args(["--json", "--show", "env-1", "--versions"]));
    let listed = json_lines(&out);
    let ids: Vec<&str> = listed.iter().map(|v| v["id"].as_str().unwrap()).collect();
    assert_eq!(ids.len(), 3, "{ids:?}");
    assert_eq!(listed.iter().filter(|v| v["lead"] == true).count(), 1);
    assert_eq!(
        listed.last().unwrap()["id"],
        "env-2",
        "the fullest is the lead"
    );
    assert!(
        listed.iter().skip(1).any(|v| v["figures_added"]
            .as_array()
            .is_some_and(|f| f.iter().any(|x| x == "35,000"))
            || v["figures_removed"]
                .as_array()
                .is_some_and(|f| f.iter().any(|x| x == "35,000"))),
        "{listed:?}"
    );
    let out = run(query().arg("--index").arg(&idx).args([
        "--color",
        "never",
        "--show",
        "env-1",
        "--versions",
    ]));
    let text = stdout(&out);
    assert!(text.starts_with("3 versions of one story"), "{text}");
    assert!(text.contains("(lead)"), "{text}");
}
