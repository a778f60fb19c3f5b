//! The research views end to end: each view's numbers checked against
//! `--count` of the query that should give the same number, on the shipped
//! corpus and (when the shared data is there) two files of Reuters-21578.

mod common;

use std::collections::BTreeSet;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;

use common::*;
use serde_json::Value;

fn index_of(paths: &[PathBuf]) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let idx = tmp.path().join("index");
    let out = run(indexer()
        .arg("--quiet")
        .arg("--index")
        .arg(&idx)
        .args(paths));
    assert!(out.status.success(), "{}", stderr(&out));
    (tmp, idx)
}

/// The shipped corpus, indexed once.
fn corpus_index() -> &'static Path {
    static DIR: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    &DIR.get_or_init(|| index_of(&[repo("corpus")])).1
}

/// Two Reuters-21578 files (2,000 stories), indexed once.
fn reuters_index() -> Option<&'static Path> {
    static DIR: OnceLock<Option<(tempfile::TempDir, PathBuf)>> = OnceLock::new();
    DIR.get_or_init(|| {
        let a = shared("data/reuters21578/reut2-000.sgm")?;
        let b = shared("data/reuters21578/reut2-001.sgm")?;
        Some(index_of(&[a, b]))
    })
    .as_ref()
    .map(|(_, p)| p.as_path())
}

fn cmd(index: &Path) -> Command {
    let mut c = query();
    c.arg("--index").arg(index).args(["--color", "never"]);
    c
}

fn ok(c: &mut Command) -> String {
    let out = run(c);
    assert!(out.status.success(), "{:?}: {}", c, stderr(&out));
    stdout(&out)
}

/// `--count` of the stories (each version cluster once), as the views
/// count them.
fn count(index: &Path, query: &str) -> u64 {
    ok(cmd(index)
        .args(["--count", "--allow-no-match"])
        .arg("--")
        .arg(query))
    .trim()
    .parse()
    .unwrap()
}

fn csv_rows(text: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let header = r.headers().unwrap().iter().map(str::to_string).collect();
    let rows = r
        .records()
        .map(|rec| rec.unwrap().iter().map(str::to_string).collect())
        .collect();
    (header, rows)
}

#[test]
fn a_months_count_equals_count_of_the_query_in_that_month() {
    let Some(idx) = reuters_index() else { return };
    for query in ["oil", "person:Reagan OR dollar", ""] {
        let out = ok(cmd(idx)
            .args(["--timeline", "month", "--json", "--"])
            .arg(query));
        let rows: Vec<Value> = out
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        let dated: Vec<&Value> = rows.iter().filter(|r| !r["period"].is_null()).collect();
        assert!(dated.len() >= 2, "{query}: {out}");
        let mut sum = 0;
        for r in &dated {
            let month = r["period"].as_str().unwrap();
            let n = r["count"].as_u64().unwrap();
            let q = if query.is_empty() {
                format!("date:{month}")
            } else {
                format!("({query}) date:{month}")
            };
            assert_eq!(n, count(idx, &q), "{q}");
            sum += n;
        }
        let undated = rows.iter().find(|r| r["period"].is_null()).unwrap()["count"]
            .as_u64()
            .unwrap();
        let everything = if query.is_empty() {
            ok(cmd(idx).args(["--csv", "--fields", "id", "-n", "all"]))
                .lines()
                .count() as u64
                - 1
        } else {
            count(idx, query)
        };
        assert_eq!(sum + undated, everything, "{query}");
    }
}

#[test]
fn normalised_shares_divide_by_the_months_stories() {
    let Some(idx) = reuters_index() else { return };
    let out = ok(cmd(idx).args(["--timeline", "month", "--normalize", "--csv", "oil"]));
    let (header, rows) = csv_rows(&out);
    assert_eq!(header, ["label", "period", "count", "all", "share"]);
    for r in rows.iter().filter(|r| r[1] != "undated") {
        let (n, all): (u64, u64) = (r[2].parse().unwrap(), r[3].parse().unwrap());
        assert_eq!(all, count(idx, &format!("date:{}", r[1])), "{r:?}");
        let share: f64 = r[4].parse().unwrap();
        assert!((share - n as f64 / all.max(1) as f64).abs() < 1e-9, "{r:?}");
    }
}

#[test]
fn days_and_weeks_fill_gaps_with_zeros() {
    let idx = corpus_index();
    let out = ok(cmd(idx).args(["--timeline", "week", "--json", "Syria"]));
    let rows: Vec<Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let weeks: Vec<&str> = rows.iter().filter_map(|r| r["period"].as_str()).collect();
    assert!(weeks.iter().all(|w| w.contains("-W")), "{weeks:?}");
    // Consecutive rows are consecutive weeks: 7 days apart.
    let starts: Vec<chrono::NaiveDate> = rows
        .iter()
        .filter_map(|r| r["start"].as_str())
        .map(|s| s.parse().unwrap())
        .collect();
    assert!(starts.windows(2).all(|w| (w[1] - w[0]).num_days() == 7));
    let chart = ok(cmd(idx).args(["--timeline", "month", "Syria"]));
    assert!(chart.contains("stories per month"), "{chart}");
    assert!(chart.contains("undated:"), "{chart}");
}

#[test]
fn a_queries_file_gives_one_table_and_reports_bad_lines() {
    let Some(idx) = reuters_index() else { return };
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("q.tsv");
    write(
        &file,
        "# labels and queries\noil\toil\ncoffee OR cocoa\nbroken\tperson:(unclosed\n\nusa\tplace:USA\n",
    );
    let out = run(cmd(idx)
        .arg("--queries")
        .arg(&file)
        .args(["--timeline", "month", "--csv"]));
    assert_eq!(
        out.status.code(),
        Some(2),
        "a bad line makes the run exit 2"
    );
    let err = stderr(&out);
    assert!(err.contains(&format!("{}:4: ", file.display())), "{err}");
    let (header, rows) = csv_rows(&stdout(&out));
    assert_eq!(header, ["label", "period", "count"]);
    let labels: BTreeSet<&str> = rows.iter().map(|r| r[0].as_str()).collect();
    assert_eq!(labels, BTreeSet::from(["coffee OR cocoa", "oil", "usa"]));
    // Every label has the same periods.
    let periods = |l: &str| {
        rows.iter()
            .filter(|r| r[0] == l)
            .map(|r| r[1].clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(periods("oil"), periods("usa"));

    let out = run(cmd(idx)
        .arg("--queries")
        .arg(&file)
        .args(["--count", "--json"]));
    let counts: Vec<Value> = json_lines(&out);
    assert_eq!(counts.len(), 3);
    for c in counts {
        let q = match c["label"].as_str().unwrap() {
            "oil" => "oil",
            "usa" => "place:USA",
            other => other,
        };
        assert_eq!(c["count"].as_u64().unwrap(), count(idx, q), "{c}");
    }
}

#[test]
fn an_edges_weight_equals_count_of_the_query_with_both_names() {
    let Some(idx) = reuters_index() else { return };
    for (query, kinds) in [("", "person"), ("trade", "person,org")] {
        let out = ok(cmd(idx)
            .args(["--network", kinds, "--json", "-n", "8", "--"])
            .arg(query));
        let net: Value = serde_json::from_str(out.trim()).unwrap();
        let edges = net["edges"].as_array().unwrap();
        assert!(edges.len() >= 3, "{out}");
        let weights: Vec<u64> = edges
            .iter()
            .map(|e| e["weight"].as_u64().unwrap())
            .collect();
        assert!(weights.windows(2).all(|w| w[0] >= w[1]), "{weights:?}");
        let term = |id: &str| {
            let (kind, name) = id.split_once(':').unwrap();
            format!("{kind}:\"{name}\"")
        };
        // `person:"Reagan"` also finds the stories of "Ronald Reagan": a
        // name's query selects exactly its node's stories only when its
        // count equals the node's. For such pairs the weight must equal
        // the count of the query with both names; for others bound it.
        let exact = |id: &str| {
            let node = net["nodes"]
                .as_array()
                .unwrap()
                .iter()
                .find(|n| n["id"] == id)
                .unwrap();
            node["stories"].as_u64().unwrap() == count(idx, format!("{query} {}", term(id)).trim())
        };
        let mut checked = 0;
        for e in edges {
            let (s, t) = (e["source"].as_str().unwrap(), e["target"].as_str().unwrap());
            let both = format!("{query} {} {}", term(s), term(t));
            let n = count(idx, both.trim());
            let w = e["weight"].as_u64().unwrap();
            // People are identities, and `person:"ID"` selects exactly an
            // identity's stories: every pair of people is exact.
            let people = s.starts_with("person:") && t.starts_with("person:");
            if people || (exact(s) && exact(t)) {
                assert_eq!(w, n, "{both}");
                checked += 1;
            } else {
                assert!(w <= n, "{both}");
            }
        }
        assert!(
            checked >= 1,
            "too few unambiguous pairs: {checked} of {}",
            edges.len()
        );
        for n in net["nodes"].as_array().unwrap() {
            let q = format!("{query} {}", term(n["id"].as_str().unwrap()));
            assert!(
                n["stories"].as_u64().unwrap() <= count(idx, q.trim()),
                "{q}"
            );
        }
    }
    // --min-weight cuts, and the graph formats carry the same edges.
    let csv = ok(cmd(idx).args([
        "--network",
        "person",
        "--min-weight",
        "3",
        "--csv",
        "-n",
        "all",
    ]));
    let (header, rows) = csv_rows(&csv);
    assert_eq!(&header[..3], ["source", "target", "weight"]);
    assert!(rows.iter().all(|r| r[2].parse::<u64>().unwrap() >= 3));
    let gexf = ok(cmd(idx).args([
        "--network",
        "person",
        "--min-weight",
        "3",
        "--gexf",
        "-n",
        "all",
    ]));
    assert_eq!(gexf.matches("<edge ").count(), rows.len());
    let graphml = ok(cmd(idx).args([
        "--network",
        "person",
        "--min-weight",
        "3",
        "--graphml",
        "-n",
        "all",
    ]));
    assert_eq!(graphml.matches("<edge ").count(), rows.len());
}

#[test]
fn every_concordance_line_holds_the_term_at_its_offsets() {
    let idx = corpus_index();
    for (term, query) in [
        ("precondition", ""),
        ("talks", "Lavrov"),
        ("political transition", ""),
    ] {
        let out = ok(cmd(idx)
            .args(["--kwic", term, "--json", "--width", "30", "--"])
            .arg(query));
        let lines: Vec<Value> = out
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert!(!lines.is_empty(), "{term}");
        let want = dateline::views::kwic::analyse(term);
        for l in &lines {
            let id = l["id"].as_str().unwrap();
            let story: Value =
                serde_json::from_str(ok(cmd(idx).args(["--show", id, "--json"])).trim()).unwrap();
            let body = story["body"].as_str().unwrap();
            let (s, e) = (
                l["start"].as_u64().unwrap() as usize,
                l["end"].as_u64().unwrap() as usize,
            );
            assert_eq!(dateline::views::kwic::analyse(&body[s..e]), want, "{l}");
            assert_eq!(
                dateline::views::kwic::analyse(l["keyword"].as_str().unwrap()),
                want
            );
            assert!(l["left"].as_str().unwrap().chars().count() <= 30);
            assert!(l["right"].as_str().unwrap().chars().count() <= 30);
        }
    }
    // Stems count: "preconditions" is a line of `precondition`.
    let out = ok(cmd(idx).args(["--kwic", "precondition", "--csv"]));
    let (_, rows) = csv_rows(&out);
    assert!(
        rows.iter().any(|r| r[5].to_lowercase() == "preconditions"),
        "{out}"
    );
    let text = ok(cmd(idx).args(["--kwic", "precondition", "--width", "20"]));
    assert!(text.lines().next().unwrap().contains(" │ "), "{text}");
}

#[test]
fn a_csv_export_round_trips_to_the_ids_of_json() {
    let idx = corpus_index();
    for query in ["Syria", "Assad OR Putin"] {
        let csv = ok(cmd(idx)
            .args([
                "--csv",
                "-n",
                "all",
                "--fields",
                "id,date,headline,people,body,person_ids",
                "--",
            ])
            .arg(query));
        let (header, rows) = csv_rows(&csv);
        assert_eq!(
            header,
            ["id", "date", "headline", "people", "body", "person_ids"]
        );
        let json = ok(cmd(idx).args(["--json", "-n", "all", "--"]).arg(query));
        let hits: Vec<Value> = json
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        let ids = |it: &mut dyn Iterator<Item = String>| it.collect::<Vec<_>>();
        let mut from_csv = ids(&mut rows.iter().map(|r| r[0].clone()));
        let mut from_json = ids(&mut hits.iter().map(|h| h["id"].as_str().unwrap().to_string()));
        assert_eq!(from_csv.len() as u64, count(idx, query));
        from_csv.sort();
        from_json.sort();
        assert_eq!(from_csv, from_json, "{query}");
        // Cells round-trip whole: multi-line bodies, quotes, commas.
        for h in &hits {
            let row = rows
                .iter()
                .find(|r| r[0] == h["id"].as_str().unwrap())
                .unwrap();
            // The export names people as `--json` does: by identity.
            let people: Vec<&str> = h["people"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| p.as_str().unwrap())
                .collect();
            assert_eq!(row[3], people.join("; "), "{}", h["id"]);
            let ids: Vec<&str> = h["person_ids"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| p.as_str().unwrap())
                .collect();
            assert_eq!(row[5], ids.join("; "), "{}", h["id"]);
            assert_eq!(row[2], h["headline"].as_str().unwrap_or(""));
        }
        assert!(rows.iter().any(|r| r[4].contains('\n')));
    }
    // The same order as --json when both sort by date.
    let csv = ok(cmd(idx).args([
        "--csv", "-n", "all", "--sort", "oldest", "--fields", "date", "Syria",
    ]));
    let (_, rows) = csv_rows(&csv);
    let dates: Vec<&str> = rows
        .iter()
        .map(|r| r[0].as_str())
        .filter(|d| !d.is_empty())
        .collect();
    assert!(
        dates.windows(2).all(|w| w[0][..10] <= w[1][..10]),
        "{dates:?}"
    );
    let bad = run(cmd(idx).args(["--csv", "--fields", "id,nope", "Syria"]));
    assert_eq!(bad.status.code(), Some(2));
    assert!(stderr(&bad).contains("nope"));
    // A bad query leaves stdout empty: no header for a script to mistake
    // for an export that found nothing.
    let bad = run(cmd(idx).args(["--csv", "Syria AND ("]));
    assert_eq!(bad.status.code(), Some(2));
    assert!(stdout(&bad).is_empty(), "{}", stdout(&bad));
    assert!(stderr(&bad).contains("column"), "{}", stderr(&bad));
    // Nothing found is a header alone.
    let none = run(cmd(idx).args(["--csv", "--fields", "id", "zzqxv"]));
    assert_eq!(stdout(&none).trim_end(), "id");
}

#[test]
fn a_closed_pipe_ends_an_export_quietly() {
    // Large enough not to fit in the pipe's buffer.
    let Some(idx) = reuters_index() else { return };
    let mut child = cmd(idx)
        .args(["--csv", "-n", "all", "--fields", "id,body"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 64];
    child
        .stdout
        .as_mut()
        .unwrap()
        .read_exact(&mut first)
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{:?}", out.status);
    assert_eq!(stderr(&out), "");
}

#[test]
fn a_timeline_draws_to_svg() {
    let idx = corpus_index();
    let dir = tempfile::tempdir().unwrap();
    let svg = dir.path().join("t.svg");
    ok(cmd(idx)
        .args(["--timeline", "year", "--plot"])
        .arg(&svg)
        .arg("Syria"));
    let text = std::fs::read_to_string(&svg).unwrap();
    assert!(
        text.starts_with("<svg") && text.contains("Syria"),
        "{}",
        &text[..200.min(text.len())]
    );
}

#[test]
fn views_count_each_story_once_unless_every_version_is_asked_for() {
    let Some(idx) = reuters_index() else {
        eprintln!("skipped: no shared Reuters data");
        return;
    };
    let total = |extra: &[&str]| -> u64 {
        let out = ok(cmd(idx).args(["--timeline", "year", "--csv"]).args(extra));
        let (_, rows) = csv_rows(&out);
        rows.iter().map(|r| r[2].parse::<u64>().unwrap()).sum()
    };
    let counted = |extra: &[&str]| -> u64 {
        ok(cmd(idx)
            .args(["--count"])
            .args(extra)
            .arg("date:[1900 TO *]"))
        .trim()
        .parse()
        .unwrap()
    };
    let (stories, versions) = (total(&[]), total(&["--all-versions"]));
    assert_eq!(stories, counted(&[]));
    assert_eq!(versions, counted(&["--all-versions"]));
    // Reuters files stories twice and repeats corrected ones.
    assert!(stories < versions, "{stories} stories, {versions} versions");
}
