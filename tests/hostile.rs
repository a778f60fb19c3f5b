//! A hostile archive: good stories mixed with every kind of bad file an
//! archive gathers over the years. The real `dateline-index` must index
//! every good story, name every bad file on stderr, report the limits it
//! hits, and never panic. Also: the indexer reads only below the paths it
//! is given (symlinks are followed only with `--follow-links`).

mod common;

use std::io::Write;
use std::path::{Path, PathBuf};

use common::*;
use dateline::index::store::IndexHandle;

/// A good story whose body holds `marker`, a word found nowhere else.
fn story(marker: &str) -> String {
    format!(
        "Strikers march in {marker}\n\nPARIS (AP) — Workers marched through the city on Monday, \
         officials said. The {marker} union called the strike.\n"
    )
}

/// A small deterministic PRNG (xorshift) so the random files are the same
/// on every run.
fn noise(len: usize, mut seed: u64) -> Vec<u8> {
    (0..len)
        .map(|_| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed >> 24) as u8
        })
        .collect()
}

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    enc.write_all(data).unwrap();
    enc.finish().unwrap()
}

/// The archive: returns the markers of the good stories (every one must
/// be indexed) and the names of the bad files (every one must be named).
fn build(docs: &Path) -> (Vec<String>, Vec<&'static str>) {
    let mut good = Vec::new();
    let mut put = |rel: &str, marker: &str, bytes: Vec<u8>| {
        write(&docs.join(rel), bytes);
        good.push(marker.to_string());
    };
    for i in 0..5 {
        let m = format!("goodplain{i}");
        put(&format!("plain/{i}.txt"), &m, story(&m).into_bytes());
    }
    // Latin-1: `Zürich café` in one byte per char, read as Windows-1252.
    let mut latin1 = story("goodlatin").replace('—', "-").into_bytes();
    latin1.extend_from_slice(b"\nZ\xfcrich caf\xe9 prices rose.\n");
    put("enc/latin1.txt", "goodlatin", latin1);
    let mut bom = vec![0xEF, 0xBB, 0xBF];
    bom.extend_from_slice(story("goodbom").as_bytes());
    put("enc/bom.txt", "goodbom", bom);
    put(
        "enc/crlf.txt",
        "goodcrlf",
        story("goodcrlf").replace('\n', "\r\n").into_bytes(),
    );
    // Mostly UTF-8 with one bad byte: kept, the bad byte replaced, reported.
    let mut bad_utf8 = "Café talks in goodbadutf\n\nGENEVA (AP) — Envoys met in the café on Monday \u{2014} the goodbadutf round.\n"
        .as_bytes()
        .to_vec();
    bad_utf8.extend_from_slice(b"More text \xff\xfe here.\n");
    put("enc/bad-utf8.txt", "goodbadutf", bad_utf8);
    // An impossible date: the story is kept without one.
    put(
        "dates/impossible.txt",
        "goodbaddate",
        format!(
            "Headline: Odd date\nDate: 2012-02-30\n\n{}",
            story("goodbaddate")
        )
        .into_bytes(),
    );
    // A date the index cannot hold (tantivy keeps i64 nanoseconds).
    put(
        "dates/far.txt",
        "goodfardate",
        format!(
            "Headline: Far date\nDate: 9999-12-31\n\n{}",
            story("goodfardate")
        )
        .into_bytes(),
    );
    // A JSON Lines feed with bad lines among good ones.
    put(
        "feeds/mixed.jsonl",
        "goodjsonone",
        concat!(
            "{\"id\":\"j1\",\"title\":\"One\",\"body\":\"goodjsonone text of the first story.\"}\n",
            "{broken\n",
            "{\"id\":\"j2\",\"title\":\"Two\",\"body\":\"goodjsontwo text of the second.\"}\n",
            "[1,2,\n",
            "{\"id\":\"j3\",\"title\":\"Three\",\"body\":\"goodjsonthree text of the third.\"}\n",
        )
        .as_bytes()
        .to_vec(),
    );
    // Sixty folders deep, a story at the bottom.
    let mut deep = PathBuf::from("deep");
    for i in 0..60 {
        deep.push(format!("d{i}"));
    }
    put(
        deep.join("bottom.txt").to_str().unwrap(),
        "gooddeep",
        story("gooddeep").into_bytes(),
    );
    // A gzipped good story.
    put(
        "gz/good.txt.gz",
        "goodgzip",
        gzip(story("goodgzip").as_bytes()),
    );
    // Stories whose body is a table or a list are stories: results,
    // standings, market reports, a headline alone, a roster.
    put(
        "shapes/results.txt",
        "goodresults",
        b"Soccer - goodresults northern league results\n\nLONDON 1996-08-24\n\nResults of northern league matches on Saturday:\n\nNorthfield 3 Easton 1\nRiverside 0 Hillcrest 0\nPort Alva 2 Kingsmere 2\nWestbury 1 Ashdown 4\n".to_vec(),
    );
    put(
        "shapes/standings.txt",
        "goodstandings",
        b"Standings goodstandings\nNorthfield 10 8 1 1 25\nRiverside 10 6 3 1 21\nEaston 10 5 2 3 17\nHillcrest 10 1 1 8 4\nAshdown 10 0 2 8 2\n".to_vec(),
    );
    put(
        "shapes/market.txt",
        "goodmarket",
        b"Headline: goodmarket grain futures close\nDate: 1987-03-02\n\nCHICAGO, March 2 - Closing prices in cents a bushel:\n\nWheat    Mar  312.50  up 2.25\nCorn     Mar  245.00  dn 1.00\nSoybeans Mar  601.75  unch\nOats     Mar  150.25  up 0.50\n".to_vec(),
    );
    put(
        "shapes/codes.txt",
        "goodcodes",
        "goodcodes\namex\nase\nasx\nnyse\nlse\ntse\n"
            .as_bytes()
            .to_vec(),
    );
    put(
        "shapes/header-only.txt",
        "goodheadlineonly",
        b"Headline: goodheadlineonly bank raises rates\nDate: 2012-12-29\n".to_vec(),
    );
    // The feed's other good lines.
    good.push("goodjsontwo".into());
    good.push("goodjsonthree".into());

    let bad = vec![
        "bad/nul.txt",
        "bad/random.txt",
        "bad/random.dat",
        "bad/empty.txt",
        "bad/blank.txt",
        "bad/header-only.txt",
        "bad/truncated.sgm",
        "bad/garbage.sgm",
        "bad/nested.json",
        "bad/unclosed.xml",
        "bad/truncated.txt.gz",
        "bad/bomb.txt.gz",
        "bad/long-line.txt",
        "feeds/mixed.jsonl:2",
        "feeds/mixed.jsonl:4",
        "enc/bad-utf8.txt",
        "dates/impossible.txt",
        "dates/far.txt",
    ];
    let b = |rel: &str, bytes: Vec<u8>| write(&docs.join(rel), bytes);
    b("bad/nul.txt", vec![0; 4096]);
    b("bad/random.txt", noise(8192, 7));
    b("bad/random.dat", noise(4096, 99));
    b("bad/empty.txt", Vec::new());
    b("bad/blank.txt", b" \n\t \r\n  \n".to_vec());
    // A header with no headline and no text has nothing to index.
    b(
        "bad/header-only.txt",
        b"Date: 2012-12-29\nId: nothing-follows\n".to_vec(),
    );
    b(
        "bad/truncated.sgm",
        b"<!DOCTYPE lewis SYSTEM \"lewis.dtd\">\n<REUTERS NEWID=\"1\"><DATE>26-FEB-1987</DATE><TEXT><TITLE>COCOA</TITLE><BODY>Showers contin".to_vec(),
    );
    b(
        "bad/garbage.sgm",
        b"<REUTERS <<>> </TEXT> <BODY </REUTERS <REUTERS NEWID=>&#99999999;&bogus;</BODY></REUTERS>".to_vec(),
    );
    b("bad/nested.json", "[".repeat(200_000).into_bytes());
    b(
        "bad/unclosed.xml",
        b"<?xml version=\"1.0\"?><nitf><head><title>Unclosed</title></head><body><body.content><p>Text".to_vec(),
    );
    let whole = gzip(story("halfgzip").repeat(50).as_bytes());
    b("bad/truncated.txt.gz", whole[..whole.len() / 2].to_vec());
    // 64 MB of text in ~64 KB: decompression must stop at --max-file-bytes.
    b("bad/bomb.txt.gz", gzip(&vec![b'a'; 64 << 20]));
    // One line of a million words (5 MB): read whole, the story cut at
    // --max-story-bytes.
    b("bad/long-line.txt", "word ".repeat(1_000_000).into_bytes());
    (good, bad)
}

#[cfg(unix)]
fn links(docs: &Path) {
    use std::os::unix::fs::symlink;
    symlink("..", docs.join("deep/loop")).unwrap();
    symlink(docs.join("no/such/file.txt"), docs.join("dangling.txt")).unwrap();
}

/// An unreadable file, when the user can be denied (not root): the path
/// to expect on stderr, or `None`.
#[cfg(unix)]
fn unreadable(docs: &Path) -> Option<&'static str> {
    use std::os::unix::fs::PermissionsExt;
    let p = docs.join("bad/locked.txt");
    write(&p, story("lockedstory"));
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o000)).unwrap();
    // Root reads anything: then there is nothing to test.
    std::fs::File::open(&p).is_err().then_some("bad/locked.txt")
}

/// Small limits, so that the bomb and the long line hit them.
const LIMITS: [&str; 4] = ["--max-file-bytes", "8000000", "--max-story-bytes", "100000"];

#[test]
fn hostile_archive_is_indexed_and_every_bad_file_named() {
    let tmp = tempfile::tempdir().unwrap();
    let docs = tmp.path().join("docs");
    let (good, mut bad) = build(&docs);
    #[cfg(unix)]
    let locked = {
        links(&docs);
        bad.push("dangling.txt");
        let locked = unreadable(&docs);
        bad.extend(locked);
        locked
    };
    #[cfg(not(unix))]
    let locked: Option<&str> = None;

    // Dump: every good story, every bad file named.
    let out = run(indexer().arg("--dump").args(LIMITS).arg(&docs));
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    if std::env::var_os("HOSTILE_TRACE").is_some() {
        eprintln!("{err}");
    }
    let docs_out = json_lines(&out);
    let bodies: Vec<String> = docs_out
        .iter()
        .map(|a| format!("{} {}", a["headline"], a["body"]))
        .collect();
    for m in &good {
        assert!(
            bodies.iter().any(|b| b.contains(m.as_str())),
            "good story {m} missing from the dump; stderr:\n{err}"
        );
    }
    for name in &bad {
        let shown = docs.join(name).display().to_string();
        assert!(
            err.lines().any(|l| l.starts_with(&shown)),
            "{name} not named on stderr:\n{err}"
        );
    }
    if locked.is_some() {
        assert!(!bodies.iter().any(|b| b.contains("lockedstory")));
    } else {
        eprintln!("note: running as root, the unreadable-file case is skipped");
    }
    // Limits say which option to raise.
    let line_of = |name: &str| {
        let shown = docs.join(name).display().to_string();
        err.lines()
            .filter(|l| l.starts_with(&shown))
            .collect::<Vec<_>>()
            .join("\n")
    };
    let bomb = line_of("bad/bomb.txt.gz");
    assert!(
        bomb.contains("8000000 byte limit (--max-file-bytes)"),
        "{bomb}"
    );
    let long = line_of("bad/long-line.txt");
    assert!(
        long.contains(
            "long-line.txt:1: story longer than the 100000 byte limit (--max-story-bytes)"
        ),
        "{long}"
    );
    assert!(!long.contains("--max-file-bytes"), "{long}");
    let far = docs_out
        .iter()
        .find(|a| a["body"].as_str().unwrap_or("").contains("goodfardate"))
        .unwrap();
    assert!(far["date"].is_null(), "{far}");
    // Latin-1 is a character set, not an error.
    assert!(!err.contains("latin1.txt"), "{err}");
    assert!(bodies.iter().any(|b| b.contains("Zürich café")), "{err}");

    // The index holds what the dump showed.
    let idx = tmp.path().join("index");
    let out = run(indexer()
        .arg("--index")
        .arg(&idx)
        .args(LIMITS)
        .arg("--threads")
        .arg("1")
        .arg(&docs));
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    let handle = IndexHandle::open(&idx).unwrap();
    let searcher = handle.index.reader().unwrap().searcher();
    assert_eq!(searcher.num_docs() as usize, docs_out.len(), "{err}");
    for m in [
        "goodplain0",
        "goodlatin",
        "gooddeep",
        "goodjsonthree",
        "goodfardate",
    ] {
        let out = run(query().arg("--index").arg(&idx).arg("--count").arg(m));
        assert!(out.status.success(), "{}", stderr(&out));
        assert_eq!(stdout(&out).trim(), "1", "{m}");
    }
    // Shapes are described, searchable, and can be left out of a count.
    let kind_of = |marker: &str| {
        docs_out
            .iter()
            .find(|a| format!("{} {}", a["headline"], a["body"]).contains(marker))
            .map(|a| a["kind"].as_str().unwrap_or("").to_string())
            .unwrap()
    };
    assert_eq!(kind_of("goodresults"), "table");
    assert_eq!(kind_of("goodstandings"), "table");
    assert_eq!(kind_of("goodmarket"), "table");
    assert_eq!(kind_of("goodcodes"), "list");
    assert_eq!(kind_of("goodheadlineonly"), "brief");
    assert_eq!(kind_of("goodplain0"), "brief", "two sentences");
    let count = |q: &str| {
        let out = run(query().arg("--index").arg(&idx).arg("--count").arg(q));
        stdout(&out).trim().parse::<usize>().unwrap()
    };
    assert_eq!(count("kind:table goodresults"), 1);
    assert_eq!(count("goodresults -kind:table"), 0);
    let tables = docs_out.iter().filter(|a| a["kind"] == "table").count();
    assert_eq!(count("kind:table"), tables);
}

/// The indexer reads only below the paths it is given: a symlink out of
/// the tree is not followed unless `--follow-links` asks for it.
#[cfg(unix)]
#[test]
fn symlinks_out_of_the_tree_are_followed_only_when_asked() {
    let tmp = tempfile::tempdir().unwrap();
    let docs = tmp.path().join("docs");
    let outside = tmp.path().join("outside");
    write(&docs.join("inside.txt"), story("insidestory"));
    write(&outside.join("secret.txt"), story("outsidesecret"));
    std::os::unix::fs::symlink(&outside, docs.join("link")).unwrap();
    std::os::unix::fs::symlink(outside.join("secret.txt"), docs.join("file-link.txt")).unwrap();

    let out = run(indexer().arg("--dump").arg(&docs));
    assert!(out.status.success(), "{}", stderr(&out));
    let dumped = stdout(&out);
    assert!(dumped.contains("insidestory"));
    assert!(
        !dumped.contains("outsidesecret"),
        "a symlink out of the tree was followed without --follow-links"
    );

    // Asked to follow, it does, and a loop is reported, not walked forever.
    std::os::unix::fs::symlink("..", outside.join("loop")).unwrap();
    let out = run(indexer().arg("--dump").arg("--follow-links").arg(&docs));
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(stdout(&out).contains("outsidesecret"));
    assert!(err.contains("symlink loop"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
}

/// Regression (hostile): SGML with very many records, or many records that
/// lost their end, took quadratic time (lines were recounted from the top
/// for each story, and the search for `</REUTERS>` restarted for each
/// unclosed one). A few MB must read in seconds.
#[test]
fn many_small_and_unclosed_sgml_records_read_in_linear_time() {
    let tmp = tempfile::tempdir().unwrap();
    let docs = tmp.path().join("docs");
    let record = "<REUTERS NEWID=\"1\"><TEXT><TITLE>T</TITLE><BODY>b</BODY></TEXT></REUTERS>\n";
    write(&docs.join("many.sgm"), record.repeat(30_000));
    let mut unclosed = "<REUTERS>\n".repeat(300_000);
    unclosed.push_str("</REUTERS>\n");
    write(&docs.join("unclosed.sgm"), unclosed);
    let began = std::time::Instant::now();
    let out = run(indexer()
        .arg("--dump")
        .arg("--threads")
        .arg("2")
        .arg(docs.join("unclosed.sgm")));
    let err = stderr(&out);
    assert!(out.status.success() && !err.contains("panicked"), "{err}");
    assert_eq!(err.lines().count(), 300_000, "each unclosed record named");
    let out = run(indexer().arg("--dump").arg(docs.join("many.sgm")));
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(json_lines(&out).len(), 30_000);
    let took = began.elapsed();
    assert!(
        took < std::time::Duration::from_secs(30),
        "{took:?} for 4 MB of SGML"
    );
}

/// Regression (hostile): `--max-file-bytes` at its largest value overflowed
/// the "one byte past the cap" read (a panic in debug builds, a zero-byte
/// read in release ones).
#[test]
fn the_largest_file_limit_means_no_limit() {
    let tmp = tempfile::tempdir().unwrap();
    let docs = tmp.path().join("docs");
    write(&docs.join("a.txt"), story("unlimitedstory"));
    write(
        &docs.join("b.txt.gz"),
        gzip(story("unlimitedgzip").as_bytes()),
    );
    let out = run(indexer()
        .arg("--dump")
        .arg("--max-file-bytes")
        .arg(u64::MAX.to_string())
        .arg(&docs));
    let err = stderr(&out);
    assert!(out.status.success() && !err.contains("panicked"), "{err}");
    let dumped = stdout(&out);
    assert!(
        dumped.contains("unlimitedstory") && dumped.contains("unlimitedgzip"),
        "{err}"
    );
}

/// Regression (hostile, found reading sgml.rs): an SGML `&` followed by multi-byte
/// characters panicked the reference decoder (it looked for `;` within 12
/// bytes, cutting a character in two), which killed the whole run.
#[test]
fn sgml_ampersand_before_multibyte_text_is_read() {
    let tmp = tempfile::tempdir().unwrap();
    let docs = tmp.path().join("docs");
    write(
        &docs.join("amp.sgm"),
        "<REUTERS NEWID=\"5\"><TEXT><TITLE>Caf&éééééééé</TITLE><BODY>Prices &ééééééé; rose ampstory.</BODY></TEXT></REUTERS>\n",
    );
    let out = run(indexer().arg("--dump").arg(&docs));
    let err = stderr(&out);
    assert!(out.status.success() && !err.contains("panicked"), "{err}");
    let docs_out = json_lines(&out);
    assert_eq!(docs_out.len(), 1, "{err}");
    assert!(docs_out[0]["body"].as_str().unwrap().contains("ampstory"));
}

/// Regression (hostile): an index kept inside the archive it indexes had
/// its own files read: the version file became a story, and every segment
/// was reported as a bad binary file on each later run.
#[test]
fn an_index_inside_the_archive_is_not_read_as_stories() {
    let tmp = tempfile::tempdir().unwrap();
    let docs = tmp.path().join("docs");
    write(&docs.join("a.txt"), story("selfindexed"));
    let idx = docs.join("index");
    for _ in 0..2 {
        let out = run(indexer().arg("--index").arg(&idx).arg(&docs));
        let err = stderr(&out);
        assert!(out.status.success(), "{err}");
        assert!(!err.contains("index/"), "index files were read:\n{err}");
    }
    let handle = IndexHandle::open(&idx).unwrap();
    assert_eq!(handle.index.reader().unwrap().searcher().num_docs(), 1);
}

/// Crashing inputs the fuzzers found (`fuzz/`, target `read`), replayed
/// the way the target reads them: the first byte picks the file name.
#[test]
fn fuzz_regressions_read_without_panic() {
    const NAMES: &[&str] = &[
        "a.txt",
        "a.json",
        "a.jsonl",
        "a.sgm",
        "a.xml",
        "a.txt.gz",
        "a.json.gz",
        "a",
    ];
    let limits = dateline::read::Limits {
        max_file_bytes: 1 << 16,
        max_story_bytes: 1 << 12,
    };
    let dir = repo("tests/fuzz-regressions/read");
    let mut seen = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let data = std::fs::read(entry.unwrap().path()).unwrap();
        let Some((&pick, data)) = data.split_first() else {
            continue;
        };
        let name = NAMES[pick as usize % NAMES.len()];
        let out = dateline::read::read_bytes(data, name, name, &limits);
        for story in out.stories {
            let _ = dateline::enrich::enrich(story);
        }
        seen += 1;
    }
    assert!(seen > 0);
}
