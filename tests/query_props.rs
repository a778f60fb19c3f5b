//! Property tests of the query language: whatever a person (or a script)
//! types, `parse`, `compile` and `search` answer with a result or a
//! [`QueryError`] pointing inside the query, and never panic. A few runs of
//! the real `dateline` binary check the same at the command line: exit 2
//! and a message for a bad query.

mod common;

use std::sync::OnceLock;

use common::*;
use dateline::article::{Article, Dateline};
use dateline::index::document::to_document;
use dateline::index::store::IndexHandle;
use dateline::search::query::{compile, parse, FIELD_NAMES};
use dateline::search::{search, Request, SearchError, Sort};
use proptest::prelude::*;

/// A few hand-made stories, indexed once in RAM for every case.
fn handle() -> &'static IndexHandle {
    static HANDLE: OnceLock<IndexHandle> = OnceLock::new();
    HANDLE.get_or_init(|| {
        let handle = IndexHandle::in_ram();
        let mut writer = handle
            .index
            .writer_with_num_threads(1, 50_000_000)
            .expect("writer");
        for a in articles() {
            writer
                .add_document(to_document(&handle.fields, &a))
                .expect("add");
        }
        writer.commit().expect("commit");
        handle
    })
}

fn articles() -> Vec<Article> {
    let mut assad = Article {
        id: "assad".into(),
        path: "t/assad.txt".into(),
        format: "text".into(),
        headline: Some("Syrian forces shell Damascus suburbs".into()),
        date: Some("2012-12-29T00:00:00Z".into()),
        body: "DAMASCUS, Syria (AP) — Assad’s forces shelled the suburbs.".into(),
        people: vec!["Bashar Assad".into()],
        person_aliases: vec!["Assad".into()],
        places: vec!["Damascus".into()],
        countries: vec!["Syria".into()],
        topics: vec!["conflict".into()],
        source_codes: vec!["reuters:crude".into()],
        byline: vec!["Jim Heintz".into()],
        source: Some("AP".into()),
        ..Article::default()
    };
    assad.dateline = Some(Dateline {
        text: "DAMASCUS, Syria".into(),
        place: Some("Damascus".into()),
        country: Some("Syria".into()),
        agency: Some("AP".into()),
    });
    let zurich = Article {
        id: "zurich".into(),
        path: "t/zurich.txt".into(),
        format: "text".into(),
        headline: Some("Swiss elections".into()),
        date: Some("1987-03-01T00:00:00Z".into()),
        body: "ZÜRICH (Reuters) - Swiss voters go to the polls.".into(),
        orgs: vec!["Swiss People's Party".into()],
        ..Article::default()
    };
    let undated = Article {
        id: "undated".into(),
        path: "t/undated.txt".into(),
        format: "text".into(),
        body: "An undated note about oil.".into(),
        ..Article::default()
    };
    vec![assad, zurich, undated]
}

/// Parses, compiles and searches `q`; checks that any error points inside
/// the query. Panics (failing the property) only on a broken invariant.
fn check(q: &str) {
    if std::env::var_os("QP_TRACE").is_some() {
        eprintln!("QUERY {q:?}");
    }
    match parse(q) {
        Ok(ast) => {
            if let Err(e) = compile(&handle().fields, &ast) {
                assert!(
                    e.offset <= q.len(),
                    "{q:?}: offset {} past the end",
                    e.offset
                );
            }
        }
        Err(e) => {
            assert!(
                e.offset <= q.len(),
                "{q:?}: offset {} past the end",
                e.offset
            );
            assert!(
                q.is_char_boundary(e.offset),
                "{q:?}: offset {} inside a char",
                e.offset
            );
            assert!(!e.message.is_empty());
            // Rendering the caret must not panic either.
            let _ = e.caret(q);
        }
    }
    let req = Request {
        query: q.to_string(),
        limit: 5,
        passages: 2,
        facets: vec!["person".into(), "year".into()],
        ..Request::default()
    };
    match search(handle(), &req) {
        Ok(r) => {
            for note in &r.notes {
                assert!(!note.is_empty());
            }
        }
        Err(SearchError::Query(e)) => assert!(e.offset <= q.len(), "{q:?}"),
        Err(SearchError::BadDate(_)) => {}
        Err(other) => panic!("{q:?}: unexpected error {other}"),
    }
}

/// Pieces queries are made of, adversarial ones included.
fn piece() -> impl Strategy<Value = String> {
    let fields: Vec<String> = FIELD_NAMES
        .iter()
        .flat_map(|(n, _)| [format!("{n}:"), n.to_uppercase() + ":"])
        .collect();
    prop_oneof![
        4 => "[a-zA-Z]{1,8}",
        1 => Just("OR".to_string()),
        1 => Just("AND".to_string()),
        1 => Just("NOT".to_string()),
        1 => Just("||".to_string()),
        1 => Just("&&".to_string()),
        2 => Just("(".to_string()),
        2 => Just(")".to_string()),
        2 => Just("\"".to_string()),
        1 => Just("“".to_string()),
        1 => Just("”".to_string()),
        1 => Just("„".to_string()),
        2 => Just("[".to_string()),
        2 => Just("]".to_string()),
        2 => Just("-".to_string()),
        1 => Just(" TO ".to_string()),
        1 => Just("*".to_string()),
        1 => Just("?".to_string()),
        1 => Just("!".to_string()),
        1 => Just("~".to_string()),
        1 => Just("~1".to_string()),
        1 => Just("~2".to_string()),
        1 => Just("~10".to_string()),
        1 => Just("^2".to_string()),
        1 => Just("/".to_string()),
        2 => proptest::sample::select(vec![
            " NEAR/5 ".to_string(),
            " NEAR/1 ".to_string(),
            " w/3 ".to_string(),
            " W/S ".to_string(),
            " w/p ".to_string(),
            " NEAR ".to_string(),
            " NEAR5 ".to_string(),
            " NEAR/0 ".to_string(),
            " NEAR/99999 ".to_string(),
            " PRE/2 ".to_string(),
            " SAME_SENTENCE ".to_string(),
            " SAME_PARAGRAPH ".to_string(),
            " SAME ".to_string(),
        ]),
        2 => "[a-z]{1,4}[*?]{1,2}[a-z]{0,3}",
        1 => "[a-z]{2,9}~[0-3]?",
        1 => Just(":".to_string()),
        3 => proptest::sample::select(fields),
        2 => "[0-9]{1,5}(-[0-9]{1,3}){0,3}",
        1 => Just("0000-00-00".to_string()),
        1 => Just("9999-12-31".to_string()),
        1 => Just("2012-02-30".to_string()),
        1 => Just("-262144".to_string()),
        1 => "[\\x00-\\x1f\\x7f]{1,3}",
        1 => "\\PC{1,4}",
        1 => Just("Zürich".to_string()),
        1 => Just("\u{200b}\u{feff}\u{0301}".to_string()),
        3 => Just(" ".to_string()),
    ]
}

fn glued(max: usize) -> impl Strategy<Value = String> {
    proptest::collection::vec(piece(), 0..max).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 600, ..ProptestConfig::default() })]

    #[test]
    fn any_string_is_answered_or_refused(q in "\\PC{0,40}") {
        check(&q);
    }

    #[test]
    fn any_bytes_as_text_are_answered_or_refused(q in ".{0,40}") {
        check(&q);
    }

    #[test]
    fn queries_of_syntax_pieces_never_panic(q in glued(16)) {
        check(&q);
    }

    #[test]
    fn fields_with_odd_dates_never_panic(
        y in -300000i64..300000,
        m in 0u32..14,
        d in 0u32..33,
        open in any::<bool>(),
    ) {
        for q in [
            format!("date:{y}"),
            format!("date:{y:04}-{m:02}"),
            format!("date:{y:04}-{m:02}-{d:02}"),
            format!("date:[{y:04}-{m:02} TO {}]", if open { "*".into() } else { format!("{y:04}") }),
            format!("date:[* TO {y:04}-{m:02}-{d:02}]"),
            format!("date:\"{y:04}\""),
        ] {
            check(&q);
        }
        // The --from and --to options go through the same calendar.
        let req = Request {
            query: String::new(),
            from: Some(format!("{y:04}-{m:02}")),
            to: Some(format!("{y:04}")),
            sort: if open { Sort::Newest } else { Sort::Oldest },
            ..Request::default()
        };
        let _ = search(handle(), &req);
    }

    #[test]
    fn paging_never_panics(limit in 0usize..usize::MAX, offset in 0usize..usize::MAX) {
        let req = Request {
            query: "Syria OR oil".into(),
            limit,
            offset,
            ..Request::default()
        };
        let _ = search(handle(), &req);
    }
}

#[test]
fn every_field_name_with_every_value_shape() {
    let values = [
        "x",
        "\"a b\"",
        "(a OR b)",
        "[2012 TO *]",
        "",
        "-x",
        "reuters:crude",
        "2012",
    ];
    for (name, _) in FIELD_NAMES {
        for v in values {
            check(&format!("{name}:{v}"));
            check(&format!("-{name}:{v}"));
            check(&format!("{name}:{name}:{v}"));
        }
    }
}

#[test]
fn huge_and_deep_inputs_are_refused_or_answered() {
    for q in [
        "(".repeat(100_000),
        ")".repeat(100_000),
        "-".repeat(100_000) + "x",
        "NOT ".repeat(50_000) + "x",
        "\"".repeat(100_001),
        "[".repeat(100_000),
        "person:(".repeat(10_000),
        "a OR ".repeat(20_000) + "b",
        "word ".repeat(20_000),
        "x".repeat(1 << 20),
        "é".repeat(100_000),
        "\0".repeat(1000),
    ] {
        check(&q);
    }
}

#[test]
fn error_offsets_point_at_the_cause() {
    for (q, at) in [
        ("war \"peace", 4),
        ("a (b", 2),
        ("a b)", 3),
        ("persn:x", 0),
        ("date:[2012 TO", 5),
        ("Zürich OR", 8),
    ] {
        let e = parse(q).unwrap_err();
        assert_eq!(e.offset, at, "{q:?}: {e}");
    }
}

/// An index on disk with one story, for the binary.
fn disk_index() -> (tempfile::TempDir, std::path::PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let docs = tmp.path().join("docs");
    write(
        &docs.join("a.txt"),
        "A story\n\nLONDON, March 3 - Shares rose on Tuesday in London trading.\n",
    );
    let idx = tmp.path().join("index");
    let out = run(indexer().arg("--quiet").arg("--index").arg(&idx).arg(&docs));
    assert!(out.status.success(), "{}", stderr(&out));
    (tmp, idx)
}

#[test]
fn the_binary_exits_2_with_a_message_on_bad_queries() {
    let (_tmp, idx) = disk_index();
    for q in [
        "\"unclosed",
        "(a",
        "a)",
        "persn:x",
        "date:2012-13",
        "date:[2013 TO 2012]",
        "OR",
        "-",
        &"(".repeat(5000),
        "\u{1}\u{2}\"",
        "Shares PRE/3 London",
        "*hares",
        "shares NEAR",
        "shares~7",
        "s* NEAR/3 -x",
    ] {
        let out = run(query().arg("--index").arg(&idx).arg("--").arg(q));
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{q:?}: {err}");
        assert!(!err.trim().is_empty(), "{q:?}: no message");
        assert!(!err.contains("panicked"), "{q:?}: {err}");
    }
    // Good queries, odd as they are, answer: 0 with matches, 1 without.
    for q in [
        "Shares",
        "london OR paris",
        "date:[* TO *]",
        "\u{7f}shares",
        "Shar*",
        "sh?res",
        "Shares~1",
        "shares NEAR/3 London",
        "\"London shares\"~5",
        "shares SAME_SENTENCE london",
        "shares w/p tuesday",
    ] {
        let out = run(query()
            .arg("--index")
            .arg(&idx)
            .arg("--count")
            .arg("--")
            .arg(q));
        let err = stderr(&out);
        let n: u64 = stdout(&out)
            .trim()
            .parse()
            .unwrap_or_else(|_| panic!("{q:?}: {err}"));
        let expected = if n == 0 { 1 } else { 0 };
        assert_eq!(out.status.code(), Some(expected), "{q:?}: {err}");
        assert!(!err.contains("panicked"), "{q:?}: {err}");
    }
}

/// Wildcards, fuzzy words and nearness on the small index answer right.
#[test]
fn new_syntax_answers_on_the_small_index() {
    assert_eq!(count("Dam*"), 1);
    assert_eq!(count("person:Bash*"), 1);
    assert_eq!(count("Damascos~1"), 1);
    assert_eq!(count("forces NEAR/3 suburbs"), 1);
    assert_eq!(count("suburbs NEAR/1 forces"), 0);
    assert_eq!(count("\"suburbs forces\"~2"), 1);
    assert_eq!(count("voters SAME_SENTENCE polls"), 1);
    assert_eq!(count("voters SAME_SENTENCE suburbs"), 0);
}

/// How many stories of the small index `q` matches.
fn count(q: &str) -> usize {
    let req = Request {
        query: q.into(),
        count_only: true,
        ..Request::default()
    };
    search(handle(), &req).unwrap().total
}

/// Regression (query_props): `-field:"two words"` tripped a debug assertion
/// in tantivy's phrase scorer when excluded; it must answer, and right.
#[test]
fn excluded_and_intersected_phrases_answer() {
    assert_eq!(count("-topic:reuters:crude"), 2);
    assert_eq!(count("-\"Swiss voters\""), 2);
    assert_eq!(count("-\"Swiss voters\" -\"the suburbs\""), 1);
    assert_eq!(count("\"Swiss voters\" polls"), 1);
}

/// Regression (query_props): `date:9999` and `date:0001` overflowed
/// tantivy's nanosecond dates; they now match nothing, and open ranges
/// from far years match every dated story.
#[test]
fn far_dates_clamp_instead_of_overflowing() {
    assert_eq!(count("date:9999"), 0);
    assert_eq!(count("date:0001-01-01"), 0);
    assert_eq!(count("date:[0001 TO 9999]"), 2);
    assert_eq!(count("date:[* TO 9999]"), 2);
}
