//! The SolrCloud backend against a real local cluster: 2 Solr nodes
//! (solr/cluster, MiniSolrCloudCluster 9.10.1) and a collection of 2
//! shards × 2 replicas, compared with the tantivy backend over the same
//! Reuters-21578 files. Skipped with a notice where java, mvn or the
//! shared data are missing.
//!
//! One cluster serves every test (started once, shut down when the test
//! process ends and its standard input closes); the tests take turns, as
//! two of them stop a node.

use std::collections::HashSet;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc;
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

use dateline::archive::identities::Kind;
use dateline::index::analyzer;
use dateline::index::store::IndexHandle;
use dateline::ingest::{self, Options, StderrObserver};
use dateline::search::{Backend, Request};
use dateline::shared_data;
use dateline::solr::Solr;

/// Files of Reuters-21578 indexed (of 22): a quarter of the collection
/// keeps the test run inside CI's time on two cores. `DATELINE_SOLR_FILES`
/// sets another number (to time the whole collection).
const FILES: usize = 5;

fn files_indexed() -> usize {
    std::env::var("DATELINE_SOLR_FILES")
        .ok()
        .and_then(|n| n.parse().ok())
        .filter(|n| (1..=22).contains(n))
        .unwrap_or(FILES)
}

struct Cluster {
    /// Node base URLs, in the launcher's order.
    nodes: Vec<String>,
    commands: Mutex<(ChildStdin, mpsc::Receiver<String>)>,
    _child: Child,
    _dir: tempfile::TempDir,
}

impl Cluster {
    /// Sends a launcher command and waits for its answer line.
    fn command(&self, cmd: &str, expect: &str) {
        let mut guard = self.commands.lock().unwrap();
        let (stdin, lines) = &mut *guard;
        writeln!(stdin, "{cmd}").unwrap();
        stdin.flush().unwrap();
        loop {
            let line = lines
                .recv_timeout(Duration::from_secs(180))
                .unwrap_or_else(|_| panic!("no answer from the launcher to {cmd}"));
            if line.starts_with(expect) {
                return;
            }
            assert!(!line.starts_with("ERROR"), "{cmd}: {line}");
        }
    }
}

/// What the tests share: the cluster, and the same files indexed locally
/// and into the collection `reuters`.
struct Setup {
    cluster: Cluster,
    files: Vec<PathBuf>,
    local: IndexHandle,
    local_dir: PathBuf,
    _local_tmp: tempfile::TempDir,
}

fn have(cmd: &str, arg: &str) -> bool {
    Command::new(cmd)
        .arg(arg)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

fn start_cluster() -> Cluster {
    let dir = tempfile::tempdir().unwrap();
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("solr/cluster/cluster");
    let log = std::fs::File::create(dir.path().join("launcher.log")).unwrap();
    let mut child = Command::new("bash")
        .arg(&script)
        .args(["run", "--nodes", "2", "--dir"])
        .arg(dir.path().join("cluster"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::from(log))
        .spawn()
        .expect("starting solr/cluster/cluster");
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let started = Instant::now();
    let nodes = loop {
        // The first run builds the launcher and downloads Solr.
        match rx.recv_timeout(Duration::from_secs(900)) {
            Ok(line) if line.starts_with("READY ") => {
                break line[6..].split(' ').map(str::to_string).collect::<Vec<_>>()
            }
            Ok(_) => {}
            Err(_) => panic!(
                "the cluster did not start; see {}",
                dir.path().join("launcher.log").display()
            ),
        }
    };
    eprintln!(
        "solr: cluster up in {:.1} s: {nodes:?}",
        started.elapsed().as_secs_f64()
    );
    let stdin = child.stdin.take().unwrap();
    Cluster {
        nodes,
        commands: Mutex::new((stdin, rx)),
        _child: child,
        _dir: dir,
    }
}

fn index_into_solr(url: &str, files: &[PathBuf]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_dateline-index"))
        .args([
            "--solr",
            url,
            "--solr-shards",
            "2",
            "--solr-replicas",
            "2",
            "--quiet",
        ])
        .args(["--commit-every", "1000"])
        .args(files)
        .output()
        .unwrap()
}

/// The shared setup; `None` (after a notice) where it cannot run. A setup
/// that failed fails every test with its message, without starting again.
fn setup() -> Option<&'static Setup> {
    static SETUP: OnceLock<Result<Option<Setup>, String>> = OnceLock::new();
    let made = SETUP.get_or_init(|| {
        std::panic::catch_unwind(make_setup).map_err(|e| {
            e.downcast_ref::<String>()
                .cloned()
                .or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default()
        })
    });
    match made {
        Ok(s) => s.as_ref(),
        Err(message) => panic!("the shared SolrCloud setup failed: {message}"),
    }
}

fn make_setup() -> Option<Setup> {
    if !have("java", "-version") || !have("mvn", "-v") {
        eprintln!("skipping the SolrCloud tests: java or mvn not found");
        return None;
    }
    let dir = shared_data::require("data/reuters21578/reut2-000.sgm")?;
    let files: Vec<PathBuf> = (0..files_indexed())
        .map(|i| dir.with_file_name(format!("reut2-{i:03}.sgm")))
        .collect();
    let cluster = start_cluster();

    let local_dir = tempfile::tempdir().unwrap();
    // The Solr identity caches go with the test's files, not the user's
    // (set while every other test waits for this setup).
    std::env::set_var("XDG_CACHE_HOME", local_dir.path().join("cache"));
    let opts = Options {
        index_dir: local_dir.path().join("index"),
        ..Options::default()
    };
    ingest::index(&files, &opts, &StderrObserver).unwrap();
    let local = IndexHandle::open(&opts.index_dir).unwrap();

    let started = Instant::now();
    let out = index_into_solr(&format!("{}/reuters", cluster.nodes[0]), &files);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    eprintln!(
        "solr: indexed {} files in {:.1} s",
        files.len(),
        started.elapsed().as_secs_f64()
    );
    Some(Setup {
        cluster,
        files,
        local,
        local_dir: opts.index_dir.clone(),
        _local_tmp: local_dir,
    })
}

/// The tests stop nodes: one at a time.
fn turn() -> std::sync::MutexGuard<'static, ()> {
    static TURN: Mutex<()> = Mutex::new(());
    TURN.lock().unwrap_or_else(|e| e.into_inner())
}

/// A representative mix of the query language: words, phrases, fields,
/// codes, exclusions, OR, groups, dates, kinds. (Nearness is compared in
/// `nearness_counts_and_facets_match_the_local_index`, `person:` and
/// `said:` in `people_are_the_local_registry_s_identities`, `org:` in
/// `orgs_are_the_local_registry_s_identities`.)
const QUERIES: &[&str] = &[
    "oil",
    "oil prices",
    "\"oil prices\"",
    "wheat exports",
    "dollar yen",
    "U.S. trade deficit",
    "place:iran",
    "place:japan trade",
    "topic:reuters:acq",
    "topic:reuters:earn profit",
    "topic:reuters:crude",
    "dateline:london",
    "headline:bank",
    "oil -opec",
    "shares OR stock",
    "(coffee OR cocoa) prices",
    "date:1987-03 grain",
    "date:[1987-02-26 TO 1987-03-02] gold",
    "kind:table",
    "-oil",
];

// `person` and `org` (identities, counted apart) are compared in
// `people_are_the_local_registry_s_identities`.
const FACETS: &[&str] = &["place", "topic", "dateline", "year", "month", "kind"];

fn request(query: &str) -> Request {
    Request {
        query: query.to_string(),
        limit: 10,
        facets: FACETS.iter().map(|f| f.to_string()).collect(),
        ..Request::default()
    }
}

fn collection(setup: &Setup, name: &str) -> Solr {
    Solr::connect(&format!("{}/{name}", setup.cluster.nodes[0])).unwrap()
}

#[test]
fn counts_facets_and_top_hits_match_the_local_index() {
    let Some(setup) = setup() else { return };
    let _turn = turn();
    let solr = collection(setup, "reuters");
    let mut overlaps = Vec::new();
    for q in QUERIES {
        let local = Backend::Local(&setup.local).search(&request(q)).unwrap();
        let remote = Backend::Solr(&solr).search(&request(q)).unwrap();
        assert!(local.total > 0, "{q}: no match locally");
        assert_eq!(remote.total, local.total, "{q}: counts");
        // Facets of collapsed versions count each story by one of its
        // versions, and the backends pick different ones (tantivy the
        // first it meets, Solr's collapse the best scoring); over every
        // version the counts are defined, and must agree.
        let every = Request {
            all_versions: true,
            ..request(q)
        };
        let local_all = Backend::Local(&setup.local).search(&every).unwrap();
        let remote_all = Backend::Solr(&solr).search(&every).unwrap();
        assert_eq!(remote_all.total, local_all.total, "{q}: counts of versions");
        assert_eq!(remote_all.facets, local_all.facets, "{q}: facets");
        let ids = |r: &dateline::search::Results| -> HashSet<String> {
            r.hits.iter().map(|h| h.article.id.clone()).collect()
        };
        let (a, b) = (ids(&local), ids(&remote));
        let overlap = a.intersection(&b).count() as f64 / a.len().max(1) as f64;
        eprintln!(
            "{q:40} {:6} stories, top-10 overlap {overlap:.1}",
            local.total
        );
        overlaps.push((q, overlap));
        // The same stories give the same snippets and versions.
        for h in &remote.hits {
            if let Some(l) = local.hits.iter().find(|l| l.article.id == h.article.id) {
                assert_eq!(h.article.id, l.article.id);
                assert_eq!(h.versions, l.versions, "{q}: versions of {}", h.article.id);
                assert_eq!(h.cluster, l.cluster, "{q}: cluster of {}", h.article.id);
            }
        }
    }
    // Scores differ in the last digits (each engine quantises lengths its
    // own way), which reorders near-ties: the mean is what must hold.
    let mean = overlaps.iter().map(|(_, o)| o).sum::<f64>() / overlaps.len() as f64;
    eprintln!("mean top-10 overlap {mean:.2}");
    assert!(mean >= 0.8, "mean top-10 overlap {mean}: {overlaps:?}");
}

/// Sentences of our own where Solr's standard tokenizer and Dateline's
/// cut words differently (periods, commas, colons and underscores inside
/// a word, possessives after an acronym) unless the configset evens it out.
const TOKENISATION: &[&str] = &[
    "The U.S.s' new rules and the U.N.'s envoy, U.Nations delegates.",
    "Rates of 3.5 pct on 1,000 tonnes, as in the 1950's; snake_case a:b e.g. U.S.A AU.S. x.U.S.",
    "Assad’s regime, O'Brien's view, didn’t, rock 'n' roll.",
    "Zürich al-Khatib, a 21-month-old; elections Refugees U.S.-Japan talks.",
];

#[test]
fn the_configset_analyses_text_as_dateline_does() {
    let Some(setup) = setup() else { return };
    let _turn = turn();
    let solr = collection(setup, "reuters");
    let path = format!("{}/analysis/field", solr.collection);
    for (field_type, mut ours) in [
        ("text_plain", analyzer::plain()),
        ("text_news", analyzer::stemmed()),
    ] {
        for text in TOKENISATION {
            let answer = solr
                .post_form(
                    &path,
                    &[
                        ("analysis.fieldtype", field_type),
                        ("analysis.fieldvalue", text),
                    ],
                )
                .unwrap();
            // The index-time stages, each a name then its tokens: the
            // last tokens are the terms indexed.
            let stages = &answer["analysis"]["field_types"][field_type]["index"];
            let terms: Vec<&str> = stages
                .as_array()
                .and_then(|s| s.last())
                .and_then(|t| t.as_array())
                .unwrap_or_else(|| panic!("no analysis in {answer}"))
                .iter()
                .map(|t| t["text"].as_str().unwrap())
                .collect();
            assert_eq!(
                terms,
                analyzer::terms(&mut ours, text),
                "{field_type}: {text}"
            );
        }
    }
}

#[test]
fn untranslatable_queries_are_errors_that_name_the_syntax() {
    let Some(setup) = setup() else { return };
    let _turn = turn();
    let url = format!("{}/reuters", setup.cluster.nodes[0]);
    for (q, name) in [
        ("oil NEAR/5 pric*", "wildcard"),
        ("said:Reagan quote:trade", "said:"),
    ] {
        let out = Command::new(env!("CARGO_BIN_EXE_dateline"))
            .args(["--solr", &url, "--", q])
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{q}: {err}");
        assert!(err.contains(name) && err.contains("Solr"), "{q}: {err}");
    }
    // The binary prints what the local backend prints.
    let run = |backend: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_dateline"))
            .args(backend)
            .args(["--count", "--all-versions", "--facets", "place,topic"])
            .args(["--", "oil", "-opec"])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    let local_dir = setup.local_dir.to_string_lossy().into_owned();
    assert_eq!(run(&["--solr", &url]), run(&["--index", &local_dir]));
}

/// Nearness, checked on the stored stories by the local evaluator: word
/// distance, sentences and paragraphs (the analyzer's break marks), the
/// sloppy phrase, in the headline, beside a field and under NOT.
const NEARNESS: &[&str] = &[
    "oil NEAR/5 prices",
    "oil w/2 prices",
    "oil SAME_SENTENCE opec",
    "wheat SAME_PARAGRAPH exports",
    "\"prices crude\"~3",
    "(oil OR gas) NEAR/3 prices",
    "headline:oil NEAR/3 headline:prices",
    "place:iran oil NEAR/10 prices",
    "oil NEAR/5 prices -opec",
    "oil -(crude SAME_SENTENCE prices)",
    "(bank SAME_SENTENCE rates) OR \"dollar yen\"~2",
];

#[test]
fn nearness_counts_and_facets_match_the_local_index() {
    let Some(setup) = setup() else { return };
    let _turn = turn();
    let solr = collection(setup, "reuters");
    for q in NEARNESS {
        let started = Instant::now();
        let local = Backend::Local(&setup.local).search(&request(q)).unwrap();
        let remote = Backend::Solr(&solr).search(&request(q)).unwrap();
        assert!(local.total > 0, "{q}: no match locally");
        assert_eq!(remote.total, local.total, "{q}: counts");
        let every = Request {
            all_versions: true,
            ..request(q)
        };
        let local_all = Backend::Local(&setup.local).search(&every).unwrap();
        let remote_all = Backend::Solr(&solr).search(&every).unwrap();
        assert_eq!(remote_all.total, local_all.total, "{q}: counts of versions");
        assert_eq!(remote_all.facets, local_all.facets, "{q}: facets");
        let ids = |r: &dateline::search::Results| -> HashSet<String> {
            r.hits.iter().map(|h| h.article.id.clone()).collect()
        };
        let (a, b) = (ids(&local), ids(&remote));
        let overlap = a.intersection(&b).count() as f64 / a.len().max(1) as f64;
        eprintln!(
            "{q:40} {:6} stories, top-10 overlap {overlap:.1}, {:.2} s for both backends",
            local.total,
            started.elapsed().as_secs_f64()
        );
    }
    // The nearness is what filters: without it the counts differ.
    let loose = Backend::Solr(&solr).search(&request("oil prices")).unwrap();
    let near = Backend::Solr(&solr)
        .search(&request("oil w/2 prices"))
        .unwrap();
    assert!(near.total < loose.total, "{} {}", near.total, loose.total);
    // Views and counts through the binary print what the local one does.
    let (local_args, solr_args) = backends(setup);
    for args in [
        &["--count", "--", "oil SAME_SENTENCE prices"][..],
        &[
            "--all-versions",
            "--timeline",
            "month",
            "--json",
            "--",
            "wheat NEAR/4 exports",
        ][..],
    ] {
        assert_eq!(
            dateline(&strs(&solr_args), args),
            dateline(&strs(&local_args), args),
            "{args:?}"
        );
    }
}

/// Every story id of a collection.
fn ids_in(solr: &Solr) -> HashSet<String> {
    let answer = solr
        .post_form(
            &format!("{}/select", solr.collection),
            &[
                ("q", "*:*"),
                ("fq", "doc_type:article"),
                ("fl", "id"),
                ("rows", "100000"),
            ],
        )
        .unwrap();
    answer["response"]["docs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["id"].as_str().unwrap().to_string())
        .collect()
}

/// Every story id the files hold, as the indexer reads them.
fn story_ids(files: &[PathBuf]) -> HashSet<String> {
    let mut ids = HashSet::new();
    ingest::dump(files, &Options::default(), &StderrObserver, |a| {
        ids.insert(a.id.clone());
        Ok(())
    })
    .unwrap();
    ids
}

#[test]
fn indexing_goes_on_while_a_node_is_stopped() {
    let Some(setup) = setup() else { return };
    let _turn = turn();
    let url = format!("{}/failover", setup.cluster.nodes[0]);
    let indexer = {
        let url = url.clone();
        let files = setup.files.clone();
        std::thread::spawn(move || index_into_solr(&url, &files))
    };
    // Into the run (the collection is made first), then one node goes.
    std::thread::sleep(Duration::from_secs(12));
    setup.cluster.command("stop 1", "STOPPED 1");
    let out = indexer.join().unwrap();
    setup.cluster.command("start 1", "STARTED 1");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let solr = collection(setup, "failover");
    let expected = story_ids(&setup.files);
    assert_eq!(
        expected.len(),
        setup.local.searcher().unwrap().num_docs() as usize
    );
    assert_eq!(ids_in(&solr), expected);
}

#[test]
fn queries_are_answered_while_a_node_is_stopped() {
    let Some(setup) = setup() else { return };
    let _turn = turn();
    let solr = collection(setup, "reuters");
    setup.cluster.command("stop 1", "STOPPED 1");
    let mut failures = Vec::new();
    for q in &QUERIES[..6] {
        let local = Backend::Local(&setup.local).search(&request(q)).unwrap();
        match Backend::Solr(&solr).search(&request(q)) {
            Ok(r) if r.total == local.total => {}
            Ok(r) => failures.push(format!("{q}: {} stories, {} locally", r.total, local.total)),
            Err(e) => failures.push(format!("{q}: {e}")),
        }
    }
    setup.cluster.command("start 1", "STARTED 1");
    assert!(failures.is_empty(), "{failures:#?}");
}

/// Runs `dateline` with `args` on a backend; its stdout, after checking
/// that it succeeded.
fn dateline(backend: &[&str], args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_dateline"))
        .args(backend)
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{backend:?} {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// The command-line backends: the local index and the collection.
fn backends(setup: &Setup) -> (Vec<String>, Vec<String>) {
    let local = vec!["--index".to_string(), setup.local_dir.display().to_string()];
    let solr = vec![
        "--solr".to_string(),
        format!("{}/reuters", setup.cluster.nodes[0]),
    ];
    (local, solr)
}

fn strs(v: &[String]) -> Vec<&str> {
    v.iter().map(String::as_str).collect()
}

#[test]
fn counts_and_timelines_match_the_local_index() {
    let Some(setup) = setup() else { return };
    let _turn = turn();
    let started = Instant::now();
    let (local, solr) = backends(setup);
    let (local, solr) = (strs(&local), strs(&solr));
    let both = |args: &[&str]| (dateline(&local, args), dateline(&solr, args));
    for versions in [&[][..], &["--all-versions"][..]] {
        for q in ["oil", "topic:reuters:acq", "place:japan trade", "-oil"] {
            let count = |b: &[&str]| -> u64 {
                let args = [versions, &["--count", "--", q]].concat();
                dateline(b, &args).trim().parse().unwrap()
            };
            let n = count(&local);
            assert!(n > 0, "{q}");
            assert_eq!(count(&solr), n, "{q} {versions:?}: --count");
            let args = [versions, &["--timeline", "month", "--json", "--", q]].concat();
            let (l, s) = both(&args);
            assert_eq!(s, l, "{q} {versions:?}: month timeline");
            // The rows add up to the count (the undated apart).
            let total: u64 = s
                .lines()
                .map(|l| {
                    serde_json::from_str::<serde_json::Value>(l).unwrap()["count"]
                        .as_u64()
                        .unwrap()
                })
                .sum();
            assert!(total <= n, "{q}: {total} > {n}");
        }
        // Every story, normalised, and by week.
        let args = [versions, &["--timeline", "month", "--normalize", "--csv"]].concat();
        let (l, s) = both(&args);
        assert_eq!(s, l, "{versions:?}: normalised month timeline");
    }
    // `-n all` pages through Solr (it sizes its queue by `rows`) and gives
    // every story the count gives, and the same ones as locally.
    let ids = |b: &[&str]| -> HashSet<String> {
        let args = [
            "--all-versions",
            "--json",
            "-n",
            "all",
            "--",
            "topic:reuters:earn",
        ];
        dateline(b, &args)
            .lines()
            .map(|l| {
                serde_json::from_str::<serde_json::Value>(l).unwrap()["id"]
                    .as_str()
                    .unwrap()
                    .to_string()
            })
            .collect()
    };
    let (l, s) = (ids(&local), ids(&solr));
    assert!(s.len() > 500, "more than one page: {}", s.len());
    assert_eq!(s, l, "-n all");

    // Each version counted: the representative of a story plays no part,
    // so even days agree.
    let (l, s) = both(&["--all-versions", "--timeline", "day", "--json", "--", "oil"]);
    assert_eq!(s, l, "day timeline of every version");
    assert!(s.lines().count() > 10, "{s}");

    // Several queries: one table, the same on both.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("queries.tsv");
    std::fs::write(
        &file,
        "Oil\toil\nGrain\twheat OR corn\nJapan\tplace:japan\n",
    )
    .unwrap();
    let file = file.to_string_lossy().into_owned();
    for view in [&["--count"][..], &["--timeline", "month", "--csv"][..]] {
        let args = [&["--queries", file.as_str()][..], view].concat();
        let (l, s) = both(&args);
        assert_eq!(s, l, "--queries {view:?}");
    }
    eprintln!(
        "solr: counts and timelines compared in {:.1} s",
        started.elapsed().as_secs_f64()
    );
}

#[test]
fn exports_networks_concordances_and_quotations_match_the_local_index() {
    let Some(setup) = setup() else { return };
    let _turn = turn();
    let started = Instant::now();
    let (local, solr) = backends(setup);
    let (local, solr) = (strs(&local), strs(&solr));
    let ids = |csv: &str| -> Vec<String> {
        let mut ids: Vec<String> = csv.lines().skip(1).map(str::to_string).collect();
        ids.sort();
        ids
    };
    for q in ["oil", "topic:reuters:earn profit"] {
        // Every version: the same stories; each story once: as many as
        // --count says (the version kept may differ).
        let every = [
            "--all-versions",
            "--csv",
            "-n",
            "all",
            "--fields",
            "id",
            "--",
            q,
        ];
        let (l, s) = (
            ids(&dateline(&local, &every)),
            ids(&dateline(&solr, &every)),
        );
        assert_eq!(s, l, "{q}: exported ids");
        let n: usize = dateline(&solr, &["--all-versions", "--count", "--", q])
            .trim()
            .parse()
            .unwrap();
        assert_eq!(s.len(), n, "{q}: rows and --count");
        let once = [
            "--csv",
            "-n",
            "all",
            "--fields",
            "id,date,headline",
            "--",
            q,
        ];
        let rows = ids(&dateline(&solr, &once));
        let n: usize = dateline(&solr, &["--count", "--", q])
            .trim()
            .parse()
            .unwrap();
        assert_eq!(rows.len(), n, "{q}: collapsed rows and --count");
        assert_eq!(rows.len(), ids(&dateline(&local, &once)).len());
        // A cap and an offset by date: the same rows.
        let paged = [
            "--csv",
            "-n",
            "7",
            "--offset",
            "3",
            "--sort",
            "oldest",
            "--fields",
            "id,date",
            "--all-versions",
            "--",
            q,
        ];
        let (l, s) = (dateline(&local, &paged), dateline(&solr, &paged));
        assert_eq!(s.lines().count(), 8, "{s}");
        let dates = |csv: &str| -> Vec<String> {
            csv.lines()
                .map(|r| r.split(',').nth(1).unwrap_or("").to_string())
                .collect()
        };
        assert_eq!(dates(&s), dates(&l), "{q}: dates of a page by date");
    }

    // People as identities, organisations and places: the same network,
    // top edges first.
    let net = |b: &[&str], versions: &[&str]| -> serde_json::Value {
        let args = [
            versions,
            &[
                "--network",
                "person,org,place",
                "-n",
                "20",
                "--json",
                "--",
                "oil",
            ],
        ]
        .concat();
        serde_json::from_str(&dateline(b, &args)).unwrap()
    };
    let (l, s) = (
        net(&local, &["--all-versions"]),
        net(&solr, &["--all-versions"]),
    );
    assert_eq!(s, l, "network of every version");
    let people = s["nodes"].as_array().unwrap().iter();
    assert!(
        people
            .filter(|n| n["kind"] == "person")
            .any(|n| n["id"].as_str().unwrap().starts_with("person:p-")),
        "{s}"
    );
    let (l, s) = (net(&local, &[]), net(&solr, &[]));
    assert_eq!(s["stories"], l["stories"]);
    let top = |n: &serde_json::Value| n["edges"].as_array().unwrap()[..10].to_vec();
    assert_eq!(top(&s), top(&l), "top edges of stories");

    // Concordance lines: the same occurrences.
    let kwic = |b: &[&str]| -> Vec<String> {
        let mut lines: Vec<String> =
            dateline(b, &["--all-versions", "--kwic", "oil prices", "--csv"])
                .lines()
                .map(str::to_string)
                .collect();
        lines.sort();
        lines
    };
    let (l, s) = (kwic(&local), kwic(&solr));
    assert!(l.len() > 20, "{l:?}");
    assert_eq!(s, l, "concordance");

    // The people columns of an export: identities, in story order.
    let people_csv = |b: &[&str]| -> Vec<String> {
        let args = [
            "--all-versions",
            "--csv",
            "-n",
            "all",
            "--fields",
            "id,people,person_ids",
            "--",
            "trade",
        ];
        let mut rows: Vec<String> = dateline(b, &args).lines().map(str::to_string).collect();
        rows.sort();
        rows
    };
    let (l, s) = (people_csv(&local), people_csv(&solr));
    assert!(
        l.iter().any(|r| r.contains(",p-")),
        "no identity ids: {l:?}"
    );
    assert_eq!(s, l, "people columns");

    // Quotations: the same ones, in the same order, by the same speakers
    // (identities, with their ids).
    let quotes = |b: &[&str], q: &str| -> Vec<String> {
        dateline(b, &["--quotes", "--json", "-n", "40", "--", q])
            .lines()
            .map(|l| {
                let v: serde_json::Value = serde_json::from_str(l).unwrap();
                format!("{} {} {}", v["id"], v["text"], v["speaker"])
            })
            .collect()
    };
    for q in [
        "trade",
        "prices -oil",
        "said:Reagan",
        "oil SAME_SENTENCE prices",
    ] {
        let (l, s) = (quotes(&local, q), quotes(&solr, q));
        assert!(l.len() >= 10, "{q}: {l:?}");
        assert_eq!(s, l, "{q}: quotations");
    }

    eprintln!(
        "solr: exports, networks, concordances and quotations compared in {:.1} s",
        started.elapsed().as_secs_f64()
    );
}

#[test]
fn people_are_the_local_registry_s_identities() {
    let Some(setup) = setup() else { return };
    let _turn = turn();
    let started = Instant::now();
    let (local, solr) = backends(setup);
    let (local, solr) = (strs(&local), strs(&solr));
    // The most mentioned people with a full name, from the local registry.
    let identities = setup.local.identities().unwrap();
    let registry = identities.registry().unwrap();
    let mut people: Vec<_> = (0..identities.len() as u32)
        .map(|i| registry.get(i))
        // People named in full, not names stories share ("Baker
        // (ambiguous)"): the test queries their surnames.
        .filter(|p| p.kind == Kind::Person && p.name.split_whitespace().count() >= 2)
        .collect();
    people.sort_by(|a, b| b.stories.cmp(&a.stories).then(a.id.cmp(&b.id)));
    people.truncate(4);
    assert!(people.len() == 4 && people[3].stories >= 3, "{people:?}");
    for p in &people {
        let surname = p.name.split_whitespace().last().unwrap();
        for q in [
            format!("person:\"{}\"", p.name),
            format!("person:{surname}"),
            format!("said:{surname}"),
            format!("person:\"{}\" oil", p.name),
        ] {
            // `--count` exits 1 on no match, like grep.
            let count = |b: &[&str]| -> u64 {
                let out = Command::new(env!("CARGO_BIN_EXE_dateline"))
                    .args(b)
                    .args(["--count", "--", &q])
                    .output()
                    .unwrap();
                let text = String::from_utf8_lossy(&out.stdout);
                text.trim().parse().unwrap_or_else(|_| {
                    panic!("{b:?} {q}: {}", String::from_utf8_lossy(&out.stderr))
                })
            };
            let n = count(&local);
            assert!(n > 0 || q.ends_with("oil") || q.starts_with("said:"), "{q}");
            assert_eq!(count(&solr), n, "{q}");
        }
        for args in [
            &["--people", p.name.as_str()][..],
            &["--people", surname, "--json"][..],
        ] {
            let l = dateline(&local, args);
            assert!(!l.trim().is_empty(), "{args:?}");
            assert_eq!(dateline(&solr, args), l, "{args:?}");
        }
        // Hits name the identities, with their ids, as locally.
        let q = format!("person:\"{}\"", p.name);
        let ids = |b: &[&str]| -> std::collections::BTreeMap<String, String> {
            let out = dateline(b, &["--json", "--limit", "50", "--", &q]);
            out.lines()
                .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
                .filter(|h| h.get("id").is_some())
                .map(|h| {
                    let names = format!("{} {}", h["people"], h["person_ids"]);
                    (h["id"].to_string(), names)
                })
                .collect()
        };
        let (l, s) = (ids(&local), ids(&solr));
        let common: Vec<&String> = l.keys().filter(|k| s.contains_key(*k)).collect();
        assert!(!common.is_empty(), "{q}: no hit in common");
        for id in common {
            assert!(l[id].contains(&p.id), "{q}: {id} {}", l[id]);
            assert_eq!(s[id], l[id], "{q}: people of hit {id}");
        }
    }
    // The person and org facets count identities: a story naming a person
    // by two of their names counts once, under the identity's name.
    for q in [
        "oil",
        "trade",
        "topic:reuters:acq",
        "-oil",
        "oil SAME_SENTENCE prices",
    ] {
        for all_versions in [false, true] {
            let req = Request {
                query: q.to_string(),
                limit: 0,
                count_only: true,
                all_versions,
                facets: vec!["person".into(), "org".into()],
                ..Request::default()
            };
            let l = Backend::Local(&setup.local).search(&req).unwrap();
            let solr = collection(setup, "reuters");
            let s = Backend::Solr(&solr).search(&req).unwrap();
            assert!(!l.facets[0].1.is_empty(), "{q}: no person locally");
            assert_eq!(
                s.facets, l.facets,
                "{q} (every version: {all_versions}): facets"
            );
        }
    }
    eprintln!(
        "solr: people compared in {:.1} s",
        started.elapsed().as_secs_f64()
    );
}

#[test]
fn orgs_are_the_local_registry_s_identities() {
    let Some(setup) = setup() else { return };
    let _turn = turn();
    let (local, solr) = backends(setup);
    let (local, solr) = (strs(&local), strs(&solr));
    // The most mentioned organisations of the local registry, and a short
    // form the abbreviation pairs join to a long one.
    let cards = |b: &[&str], name: &str| -> String {
        let out = Command::new(env!("CARGO_BIN_EXE_dateline"))
            .args(b)
            .args(["--orgs", name, "--json"])
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{b:?} --orgs {name}: {err}");
        // The statistics keep the pairs: nothing to warn about.
        assert!(!err.contains("grouped from names alone"), "{err}");
        String::from_utf8(out.stdout).unwrap()
    };
    let mut joined = 0;
    for name in ["OPEC", "EC", "Fed", "IMF", "GATT"] {
        let l = cards(&local, name);
        assert!(!l.trim().is_empty(), "--orgs {name}: no card locally");
        assert_eq!(cards(&solr, name), l, "--orgs {name}");
        // A short form and a long one on one card: an abbreviation pair
        // joined them (names alone would keep "EC" apart).
        let card: serde_json::Value = serde_json::from_str(l.lines().next().unwrap()).unwrap();
        let aliases: Vec<&str> = card["aliases"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|a| a["name"].as_str())
            .collect();
        if aliases.iter().any(|a| a.contains(' ')) && aliases.iter().any(|a| !a.contains(' ')) {
            joined += 1;
        }
        for q in [format!("org:{name}"), format!("org:{name} oil")] {
            let count = |b: &[&str]| -> u64 {
                let out = Command::new(env!("CARGO_BIN_EXE_dateline"))
                    .args(b)
                    .args(["--count", "--", &q])
                    .output()
                    .unwrap();
                String::from_utf8_lossy(&out.stdout)
                    .trim()
                    .parse()
                    .unwrap_or(0)
            };
            let n = count(&local);
            assert!(n > 0 || q.ends_with("oil"), "{q}: no story locally");
            assert_eq!(count(&solr), n, "{q}");
        }
    }
    assert!(
        joined >= 2,
        "only {joined} cards join a short and a long form"
    );
    // Hits name their organisations as identities, with their ids.
    let orgs = |b: &[&str]| -> std::collections::BTreeMap<String, String> {
        let out = dateline(
            b,
            // Every hit: the two backends rank ties and idf apart.
            &["--json", "--all-versions", "-n", "all", "--", "org:OPEC"],
        );
        out.lines()
            .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
            .filter(|h| h.get("id").is_some())
            .map(|h| {
                (
                    h["id"].to_string(),
                    format!("{} {}", h["orgs"], h["org_ids"]),
                )
            })
            .collect()
    };
    let (l, s) = (orgs(&local), orgs(&solr));
    assert!(!l.is_empty());
    assert_eq!(s, l, "orgs of the hits");
}

#[test]
fn identities_are_kept_between_queries_until_the_statistics_change() {
    let Some(setup) = setup() else { return };
    let _turn = turn();
    let url = format!("{}/cached", setup.cluster.nodes[0]);
    let run = |cache: &Path, args: &[&str]| -> String {
        let out = Command::new(env!("CARGO_BIN_EXE_dateline"))
            .env("XDG_CACHE_HOME", cache)
            .args(["--solr", &url])
            .args(args)
            .output()
            .unwrap();
        assert!(out.status.success(), "{args:?}: {out:?}");
        String::from_utf8(out.stdout).unwrap()
    };
    let card = |cache: &Path| run(cache, &["--people", "Reagan", "--json"]);
    let (mine, other) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let out = index_into_solr(&url, &setup.files[..1]);
    assert!(out.status.success(), "{out:?}");
    let before = card(mine.path());
    assert!(before.contains("Reagan"), "{before}");
    let kept = std::fs::read_dir(mine.path().join("dateline/solr"))
        .unwrap()
        .count();
    assert_eq!(
        kept, 3,
        "the people's, the organisations' and their stories"
    );
    assert_eq!(card(mine.path()), before, "read from the cache");
    let orgs = |cache: &Path| run(cache, &["--orgs", "EC", "--json"]);
    assert_eq!(
        orgs(mine.path()),
        orgs(other.path()),
        "cards from the cache"
    );
    // More stories: the statistics change, and so does the registry.
    let out = index_into_solr(&url, &setup.files[1..2]);
    assert!(out.status.success(), "{out:?}");
    let after = card(mine.path());
    assert_ne!(after, before, "a stale cache answered");
    assert_eq!(after, card(other.path()), "cached and fresh registries");
}
