//! Compiled queries against a small index: which stories each form finds.

use tantivy::collector::DocSetCollector;
use tantivy::schema::Value;
use tantivy::TantivyDocument;

use super::{compile, parse};
use crate::index::store::IndexHandle;
use crate::search::testutil::{corpus, index_of};

/// Ids of the stories `q` matches, sorted.
fn ids(handle: &IndexHandle, q: &str) -> Vec<String> {
    let ast = parse(q).unwrap_or_else(|e| panic!("{q}: {e}"));
    let compiled = compile(&handle.fields, &ast).unwrap_or_else(|e| panic!("{q}: {e}"));
    let searcher = handle.index.reader().unwrap().searcher();
    let docs = searcher.search(&compiled.query, &DocSetCollector).unwrap();
    let mut out: Vec<String> = docs
        .into_iter()
        .map(|a| {
            let d: TantivyDocument = searcher.doc(a).unwrap();
            let json = d
                .get_first(handle.fields.article)
                .and_then(|v| v.as_str())
                .unwrap();
            serde_json::from_str::<crate::article::Article>(json)
                .unwrap()
                .id
        })
        .collect();
    out.sort();
    out
}

#[test]
fn fields_search_the_entities() {
    let h = index_of(&corpus());
    assert_eq!(ids(&h, "person:Assad"), ["assad"]);
    assert_eq!(ids(&h, "PERSON:assad"), ["assad"]);
    assert_eq!(ids(&h, "person:\"Bashar Assad\""), ["assad"]);
    assert!(ids(&h, "person:\"Assad Bashar\"").is_empty());
    assert_eq!(ids(&h, "person:(Assad OR Lavrov)"), ["assad", "lavrov"]);
    // Syria is only a country of the Damascus story, yet place: finds it.
    assert_eq!(ids(&h, "place:Syria"), ["assad", "lavrov"]);
    assert_eq!(ids(&h, "place:zurich"), ["vote"]);
    assert_eq!(ids(&h, "topic:reuters:crude"), ["lavrov", "old"]);
    assert_eq!(ids(&h, "source:reuters"), ["lavrov", "vote"]);
    assert_eq!(ids(&h, "dateline:damascus"), ["assad"]);
    assert_eq!(ids(&h, "headline:election"), ["vote"]);
}

#[test]
fn free_words_search_text_and_entities() {
    let h = index_of(&corpus());
    // Lavrov is named only in `people`, not in the text.
    assert_eq!(ids(&h, "Lavrov"), ["lavrov"]);
    assert_eq!(ids(&h, "Assad’s"), ["assad"]);
    assert_eq!(ids(&h, "assad"), ["assad"]);
    assert_eq!(ids(&h, "election"), ["vote"]);
    assert_eq!(ids(&h, "Zurich"), ["vote"]);
    assert_eq!(ids(&h, "syria oil"), ["old", "undated"]);
}

#[test]
fn phrases_need_their_words_in_order() {
    let h = index_of(&corpus());
    assert_eq!(ids(&h, "\"political transition\""), ["assad"]);
    assert_eq!(ids(&h, "“political transition”"), ["assad"]);
    assert!(ids(&h, "\"transition political\"").is_empty());
    assert_eq!(ids(&h, "\"military solution\""), ["lavrov"]);
}

#[test]
fn exclusion_and_or() {
    let h = index_of(&corpus());
    assert_eq!(ids(&h, "syria -oil"), ["assad", "lavrov"]);
    assert_eq!(ids(&h, "syria NOT oil"), ["assad", "lavrov"]);
    assert_eq!(ids(&h, "-syria"), ["vote"]);
    assert_eq!(ids(&h, "lavrov OR zurich"), ["lavrov", "vote"]);
    assert_eq!(
        ids(&h, "syria (crude OR envoy) -person:assad"),
        ["lavrov", "old"]
    );
}

#[test]
fn dates_cover_whole_periods() {
    let h = index_of(&corpus());
    assert_eq!(ids(&h, "date:2012"), ["assad", "lavrov", "old"]);
    assert_eq!(ids(&h, "date:2012-12"), ["assad", "lavrov"]);
    assert_eq!(ids(&h, "date:2012-12-31"), ["lavrov"]);
    assert_eq!(
        ids(&h, "date:[2012-12-01 TO 2012-12-31]"),
        ["assad", "lavrov"]
    );
    assert_eq!(ids(&h, "date:[2012-12-30 TO *]"), ["lavrov", "vote"]);
    assert_eq!(ids(&h, "date:[* TO 2012-11]"), ["old"]);
    assert_eq!(ids(&h, "date:[* TO *]"), ["assad", "lavrov", "old", "vote"]);
    assert_eq!(ids(&h, "syria date:2012-12"), ["assad", "lavrov"]);
    assert_eq!(ids(&h, "date:(2013 OR 2012-11)"), ["old", "vote"]);
}

#[test]
fn punctuation_words_are_dropped() {
    let h = index_of(&corpus());
    assert_eq!(ids(&h, "syria , ... oil"), ["old", "undated"]);
    let ast = parse("... !!").unwrap();
    let e = compile(&h.fields, &ast).err().unwrap();
    assert!(e.message.contains("empty query"), "{e}");
}

/// A tiny deterministic generator, so the fuzz test below needs no crate
/// and fails the same way every time.
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 as usize
    }
}

#[test]
fn random_queries_never_panic_and_errors_point_inside() {
    let alphabet: Vec<char> = "ab Z-:()[]\"“”’'*. ORNTADxyzé€𝄞\t0129".chars().collect();
    let words = [
        "OR ", "AND ", "NOT ", "person:", "date:", "date:[", " TO ", "2012", "-12", "topic:",
        "persn:", "place:", "(", ")", "\"", "-",
    ];
    let fields = crate::index::schema::Fields::new();
    let mut rng = XorShift(0x9E37_79B9_7F4A_7C15);
    for _ in 0..5_000 {
        let mut q = String::new();
        for _ in 0..rng.next() % 12 {
            if rng.next().is_multiple_of(3) {
                q.push_str(words[rng.next() % words.len()]);
            } else {
                q.push(alphabet[rng.next() % alphabet.len()]);
            }
        }
        match parse(&q) {
            Ok(ast) => {
                if let Err(e) = compile(&fields, &ast) {
                    assert!(e.offset <= q.len(), "{q:?}: {e}");
                }
            }
            Err(e) => {
                assert!(
                    e.offset <= q.len() && q.is_char_boundary(e.offset),
                    "{q:?}: {e:?}"
                );
                let _ = e.caret(&q);
            }
        }
    }
}

#[test]
fn the_help_examples_parse() {
    let h = index_of(&corpus());
    for q in [
        "war crimes",
        "\"political transition\"",
        "Assad OR Putin",
        "-Russia",
        "NOT Russia",
        "(Assad OR Putin) talks",
        "person:Assad",
        "person:\"Bashar Assad\"",
        "person:(Assad OR Putin)",
        "topic:reuters:crude",
        "date:2012",
        "date:2012-12",
        "date:2012-12-29",
        "date:[2012-12-01 TO 2012-12-31]",
        "date:[2012 TO *]",
    ] {
        assert!(super::SYNTAX.contains(q.trim_start_matches("NOT ")), "{q}");
        let _ = ids(&h, q);
    }
}

#[test]
fn kind_values_are_checked() {
    assert!(parse("kind:table -kind:brief").is_ok());
    assert!(parse("kind:\"List\"").is_ok());
    let e = parse("Syria kind:tabel").unwrap_err();
    assert!(e.message.contains("unknown kind 'tabel'"), "{}", e.message);
    assert!(
        e.message.contains("story, brief, table, list"),
        "{}",
        e.message
    );
    assert!((6..16).contains(&e.offset), "{}", e.offset);
}
