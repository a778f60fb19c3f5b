//! Crashes and concurrent use: an indexer killed (SIGKILL) at any moment
//! leaves an index that opens and holds only whole committed files, and
//! the next run completes it to exactly what a clean build gives. While an
//! indexer runs, a second one is refused at once and queries answer from
//! the last commit.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use common::*;
use dateline::index::document::file_key;
use dateline::index::manifest::Manifest;
use dateline::index::store::IndexHandle;
use tantivy::collector::DocSetCollector;
use tantivy::query::AllQuery;
use tantivy::schema::Value;
use tantivy::TantivyDocument;

/// Files in the generated archive, and stories in each.
const FILES: usize = 40;
const PER_FILE: usize = 60;

const WORDS: &[&str] = &[
    "minister",
    "talks",
    "border",
    "harvest",
    "strike",
    "election",
    "refinery",
    "court",
    "envoy",
    "market",
    "flood",
    "treaty",
    "shares",
    "parliament",
    "convoy",
    "drought",
];

/// Writes a JSON Lines archive of `FILES` × `PER_FILE` small stories with
/// ids of their own.
fn archive(docs: &Path) {
    for f in 0..FILES {
        let mut lines = String::new();
        for s in 0..PER_FILE {
            let n = f * PER_FILE + s;
            let body: Vec<&str> = (0..40)
                .map(|i| WORDS[(n * 7 + i * 3) % WORDS.len()])
                .collect();
            lines.push_str(
                &serde_json::json!({
                    "id": format!("s{n:05}"),
                    "title": format!("Story {n} about the {}", WORDS[n % WORDS.len()]),
                    "date": format!("2012-{:02}-{:02}", 1 + n % 12, 1 + n % 28),
                    "body": format!("LONDON (Reuters) - {}. Officials said so on Monday.", body.join(" ")),
                })
                .to_string(),
            );
            lines.push('\n');
        }
        write(&docs.join(format!("feed-{f:03}.jsonl")), lines);
    }
}

/// The ids each file gives, from a dump (no index involved).
fn ids_by_file(docs: &Path) -> BTreeMap<String, BTreeSet<String>> {
    let out = run(indexer().arg("--dump").arg("--quiet").arg(docs));
    assert!(out.status.success(), "{}", stderr(&out));
    let mut by_file: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for a in json_lines(&out) {
        let path = a["path"].as_str().unwrap();
        by_file
            .entry(file_key(path).to_string())
            .or_default()
            .insert(a["id"].as_str().unwrap().to_string());
    }
    by_file
}

/// The stored ids in an index and the files its last commit lists.
fn contents(idx: &Path) -> (Vec<String>, Manifest) {
    let handle = IndexHandle::open(idx).expect("a killed run leaves an index that opens");
    let searcher = handle.index.reader().unwrap().searcher();
    let mut ids = Vec::new();
    for addr in searcher.search(&AllQuery, &DocSetCollector).unwrap() {
        let doc: TantivyDocument = searcher.doc(addr).unwrap();
        // The id is stored inside the article JSON.
        let json = doc
            .get_first(handle.fields.article)
            .and_then(|v| v.as_str())
            .unwrap();
        let article: dateline::article::Article = serde_json::from_str(json).unwrap();
        ids.push(article.id);
    }
    ids.sort();
    let manifest = Manifest::from_payload(handle.index.load_metas().unwrap().payload.as_deref());
    (ids, manifest)
}

fn start(idx: &Path, docs: &Path) -> Child {
    indexer()
        .arg("--quiet")
        .arg("--threads")
        .arg("1")
        .arg("--commit-every")
        .arg("200")
        .arg("--index")
        .arg(idx)
        .arg(docs)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the indexer starts")
}

/// How many files the index's last commit lists (0 before any commit).
fn committed_files(idx: &Path) -> usize {
    let Ok(meta) = std::fs::read_to_string(idx.join("meta.json")) else {
        return 0;
    };
    let Ok(v) = serde_json::from_str::<serde_json::Value>(&meta) else {
        return 0; // being replaced
    };
    Manifest::from_payload(v["payload"].as_str()).files.len()
}

/// Waits until the last commit lists at least `files` files (or the child
/// ends); false on timeout.
fn wait_for_commit(idx: &Path, files: usize, child: &mut Child) -> bool {
    let deadline = Instant::now() + Duration::from_secs(60);
    while Instant::now() < deadline {
        if committed_files(idx) >= files || child.try_wait().unwrap().is_some() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    false
}

/// Checks a killed run's index: it opens, and holds exactly the stories of
/// the files its manifest lists, each file whole.
/// Returns how many files the last commit lists.
fn check_whole_files(
    idx: &Path,
    expected: &BTreeMap<String, BTreeSet<String>>,
    when: &str,
) -> usize {
    let (ids, manifest) = contents(idx);
    let mut want = BTreeSet::new();
    for key in manifest.files.keys() {
        let file_ids = expected
            .get(key)
            .unwrap_or_else(|| panic!("{when}: the manifest lists unknown file {key}"));
        want.extend(file_ids.iter().cloned());
    }
    let have: BTreeSet<String> = ids.iter().cloned().collect();
    assert_eq!(
        have.len(),
        ids.len(),
        "{when}: duplicate stories after a kill"
    );
    assert_eq!(
        have, want,
        "{when}: the index must hold exactly the committed files' stories"
    );
    manifest.files.len()
}

#[test]
fn killed_runs_keep_whole_committed_files_and_resume_to_a_clean_build() {
    let tmp = tempfile::tempdir().unwrap();
    let docs = tmp.path().join("docs");
    archive(&docs);
    let expected = ids_by_file(&docs);
    let all: BTreeSet<String> = expected.values().flatten().cloned().collect();
    assert_eq!(all.len(), FILES * PER_FILE);

    // A clean build, for comparison.
    let clean = tmp.path().join("clean");
    let out = run(indexer()
        .arg("--quiet")
        .arg("--threads")
        .arg("1")
        .arg("--index")
        .arg(&clean)
        .arg(&docs));
    assert!(out.status.success(), "{}", stderr(&out));
    let (clean_ids, _) = contents(&clean);
    assert_eq!(clean_ids.iter().cloned().collect::<BTreeSet<_>>(), all);

    // Kill at several points: straight away, just after the first
    // commit, and later on; each time on top of what the last kill left.
    let idx: PathBuf = tmp.path().join("index");
    let mut kills = 0;
    let mut partial = 0;
    for (i, point) in [
        KillAt::Delay(0),
        KillAt::Commit(1),
        KillAt::Delay(40),
        KillAt::Commit(FILES / 2),
        KillAt::Delay(120),
        KillAt::Commit(FILES - 5),
    ]
    .into_iter()
    .enumerate()
    {
        // A run that got to the end leaves nothing to kill: start the next
        // point afresh, so each lands in the middle of some run.
        if committed_files(&idx) == FILES {
            std::fs::remove_dir_all(&idx).unwrap();
        }
        let mut child = start(&idx, &docs);
        let before = committed_files(&idx);
        match point {
            KillAt::Delay(ms) => std::thread::sleep(Duration::from_millis(ms)),
            KillAt::Commit(n) => {
                assert!(wait_for_commit(&idx, before.max(n).min(FILES), &mut child));
            }
        }
        let finished = child.try_wait().unwrap().is_some();
        child.kill().ok(); // SIGKILL on Unix
        child.wait().unwrap();
        if !finished {
            kills += 1;
        }
        if idx.join("meta.json").exists() {
            let files = check_whole_files(&idx, &expected, &format!("kill {i} ({point:?})"));
            if files > 0 && files < FILES {
                partial += 1;
            }
        }
    }
    eprintln!("{kills} runs killed mid-way, {partial} left a partial index");
    assert!(kills >= 3, "too few runs were killed mid-way: {kills}");
    assert!(partial >= 1, "no kill left a partly built index to check");

    // The next run completes the index to exactly the clean build.
    let out = run(indexer()
        .arg("--threads")
        .arg("1")
        .arg("--index")
        .arg(&idx)
        .arg(&docs));
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    let (ids, manifest) = contents(&idx);
    assert_eq!(ids, clean_ids);
    assert_eq!(manifest.files.len(), FILES);
}

#[derive(Debug, Clone, Copy)]
enum KillAt {
    /// After this many milliseconds.
    Delay(u64),
    /// Once the last commit lists this many files.
    Commit(usize),
}

#[test]
fn a_second_indexer_is_refused_and_queries_answer_while_one_runs() {
    let tmp = tempfile::tempdir().unwrap();
    let docs = tmp.path().join("docs");
    archive(&docs);
    let idx = tmp.path().join("index");
    let mut first = start(&idx, &docs);
    // The writer lock is held from before the first commit.
    assert!(wait_for_commit(&idx, 1, &mut first));
    let running = first.try_wait().unwrap().is_none();

    let began = Instant::now();
    let second = run(indexer().arg("--quiet").arg("--index").arg(&idx).arg(&docs));
    let waited = began.elapsed();
    let q = run(query()
        .arg("--index")
        .arg(&idx)
        .arg("--count")
        .arg("minister"));
    let still_running = first.try_wait().unwrap().is_none();
    first.kill().ok();
    first.wait().unwrap();

    if !(running && still_running) {
        eprintln!("note: the first indexer finished too soon to test against");
        return;
    }
    let err = stderr(&second);
    assert!(!second.status.success(), "{err}");
    assert!(err.contains("another dateline-index is writing"), "{err}");
    assert!(
        waited < Duration::from_secs(10),
        "refused only after {waited:?}"
    );
    let qerr = stderr(&q);
    assert_eq!(q.status.code(), Some(0), "{qerr}");
    assert!(!qerr.contains("panicked"), "{qerr}");
    let n: usize = stdout(&q).trim().parse().expect("a count");
    assert!(n > 0, "the first commit's stories are searchable");
}

/// Regression (crash): a run killed between tantivy creating meta.json
/// and Dateline writing its version file left an index every later run
/// refused ("rebuild it"). An index with no commit is now created anew;
/// one with commits is still protected.
#[test]
fn a_run_killed_while_creating_the_index_does_not_block_the_next() {
    let tmp = tempfile::tempdir().unwrap();
    let docs = tmp.path().join("docs");
    write(
        &docs.join("a.txt"),
        "A story\n\nLONDON, March 3 - Shares rose on Tuesday in London trading.\n",
    );
    let idx = tmp.path().join("index");
    IndexHandle::create(&idx).unwrap();
    // As if killed before the version file was written.
    std::fs::remove_file(idx.join("dateline-version")).unwrap();
    let out = run(indexer().arg("--quiet").arg("--index").arg(&idx).arg(&docs));
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(contents(&idx).0.len(), 1);

    // With commits, a missing version file still asks for --rebuild.
    std::fs::remove_file(idx.join("dateline-version")).unwrap();
    let out = run(indexer().arg("--quiet").arg("--index").arg(&idx).arg(&docs));
    assert!(!out.status.success());
    assert!(stderr(&out).contains("--rebuild"), "{}", stderr(&out));
}

/// A `--rebuild` commits once, at the end: killed mid-way, the old index
/// must still serve, whole; the next rebuild completes.
#[test]
fn a_killed_rebuild_leaves_the_old_index_serving() {
    let tmp = tempfile::tempdir().unwrap();
    let docs = tmp.path().join("docs");
    archive(&docs);
    let idx = tmp.path().join("index");
    // The old index: one file only.
    let first = docs.join(format!("feed-{:03}.jsonl", 0));
    let out = run(indexer()
        .arg("--quiet")
        .arg("--index")
        .arg(&idx)
        .arg(&first));
    assert!(out.status.success(), "{}", stderr(&out));
    let (old_ids, _) = contents(&idx);
    assert_eq!(old_ids.len(), PER_FILE);

    let mut child = indexer()
        .arg("--quiet")
        .arg("--rebuild")
        .arg("--threads")
        .arg("1")
        .arg("--index")
        .arg(&idx)
        .arg(&docs)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(60));
    child.kill().ok();
    child.wait().unwrap();
    // Killed before its one commit, the old index serves whole; killed
    // after it (while merging or exiting), the new one does. Never a mix.
    let (ids, _) = contents(&idx);
    let whole_new = ids.len() == FILES * PER_FILE;
    assert!(
        ids == old_ids || whole_new,
        "a killed rebuild left {} stories (old index: {})",
        ids.len(),
        old_ids.len()
    );
    if whole_new {
        eprintln!("note: the rebuild committed before it could be killed");
    }

    let out = run(indexer()
        .arg("--quiet")
        .arg("--rebuild")
        .arg("--index")
        .arg(&idx)
        .arg(&docs));
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(contents(&idx).0.len(), FILES * PER_FILE);
}
