//! End-to-end tests of [`search`] and [`show`] on small indexes.

use super::testutil::{article, corpus, index_of};
use super::*;

fn req(q: &str) -> Request {
    Request {
        query: q.into(),
        ..Request::default()
    }
}

fn hit_ids(r: &Results) -> Vec<&str> {
    r.hits.iter().map(|h| h.article.id.as_str()).collect()
}

fn highlighted(s: &Snippet) -> Vec<&str> {
    s.highlights.iter().map(|&(a, b)| &s.text[a..b]).collect()
}

fn assert_valid(s: &Snippet) {
    let mut last = 0;
    for &(a, b) in &s.highlights {
        assert!(a >= last && a < b && b <= s.text.len(), "{s:?}");
        assert!(
            s.text.is_char_boundary(a) && s.text.is_char_boundary(b),
            "{s:?}"
        );
        last = b;
    }
}

#[test]
fn hits_carry_articles_scores_and_snippets() {
    let h = index_of(&corpus());
    let r = search(&h, &req("Assad")).unwrap();
    assert_eq!(r.total, 1);
    assert_eq!(hit_ids(&r), ["assad"]);
    let hit = &r.hits[0];
    assert!(hit.score > 0.0);
    assert_eq!(hit.article.people, ["Bashar Assad"]);
    assert_eq!(highlighted(&hit.snippet), ["Assad"]);
    assert_valid(&hit.snippet);
}

#[test]
fn relevance_ties_break_newest_first() {
    // Identical stories score the same; the newer must come first.
    let articles: Vec<_> = ["2011-01-01", "2013-01-01", "2012-01-01"]
        .iter()
        .enumerate()
        .map(|(i, d)| article(&format!("a{i}"), d, "Syria talks resume."))
        .collect();
    let h = index_of(&articles);
    let r = search(&h, &req("syria")).unwrap();
    assert_eq!(hit_ids(&r), ["a1", "a2", "a0"]);
}

#[test]
fn headline_outranks_body() {
    let mut a = article(
        "body",
        "2013-01-01",
        "Talks on the ceasefire went on for hours in the city.",
    );
    a.headline = Some("Talks resume".into());
    let mut b = article("head", "2012-01-01", "Talks went on for hours in the city.");
    b.headline = Some("Ceasefire talks".into());
    let h = index_of(&[a, b]);
    let r = search(&h, &req("ceasefire")).unwrap();
    assert_eq!(hit_ids(&r), ["head", "body"]);
}

#[test]
fn sort_by_date_both_ways_with_undated_last() {
    let h = index_of(&corpus());
    let mut r = req("syria OR oil OR zurich");
    r.sort = Sort::Newest;
    let res = search(&h, &r).unwrap();
    assert_eq!(hit_ids(&res), ["vote", "lavrov", "assad", "old", "undated"]);
    r.sort = Sort::Oldest;
    let res = search(&h, &r).unwrap();
    assert_eq!(hit_ids(&res), ["old", "assad", "lavrov", "vote", "undated"]);
}

#[test]
fn paging_and_counting() {
    let h = index_of(&corpus());
    let mut r = req("syria OR oil OR zurich");
    r.sort = Sort::Newest;
    r.limit = 2;
    r.offset = 1;
    let res = search(&h, &r).unwrap();
    assert_eq!(res.total, 5);
    assert_eq!(hit_ids(&res), ["lavrov", "assad"]);
    r.count_only = true;
    let res = search(&h, &r).unwrap();
    assert_eq!(res.total, 5);
    assert!(res.hits.is_empty());
}

#[test]
fn from_and_to_take_whole_periods() {
    let h = index_of(&corpus());
    let mut r = req("syria OR zurich");
    r.sort = Sort::Newest;
    r.from = Some("2012-12".into());
    r.to = Some("2012-12".into());
    let mut ids = hit_ids(&search(&h, &r).unwrap()).join(" ");
    assert_eq!(ids, "lavrov assad");
    r.to = None;
    ids = hit_ids(&search(&h, &r).unwrap()).join(" ");
    assert_eq!(ids, "vote lavrov assad");
    r.from = None;
    r.to = Some("2012".into());
    r.sort = Sort::Oldest;
    ids = hit_ids(&search(&h, &r).unwrap()).join(" ");
    assert_eq!(ids, "old assad lavrov");
    r.query = String::new();
    ids = hit_ids(&search(&h, &r).unwrap()).join(" ");
    assert_eq!(ids, "old assad lavrov");
    r.from = None;
    r.to = None;
    assert!(search(&h, &r).is_err(), "a blank query needs dates");
    r.to = Some("2012-02-30".into());
    let e = search(&h, &r).unwrap_err();
    assert!(matches!(e, SearchError::BadDate(_)), "{e}");
    assert!(e.to_string().contains("--to"), "{e}");
    r.from = Some("2013".into());
    r.to = Some("2012".into());
    let e = search(&h, &r).unwrap_err().to_string();
    assert_eq!(e, "--from is after --to");
}

#[test]
fn facets_count_all_matches() {
    let h = index_of(&corpus());
    let mut r = req("syria");
    r.limit = 1;
    r.facets = vec![
        "place".into(),
        "topic".into(),
        "year".into(),
        "month".into(),
    ];
    let res = search(&h, &r).unwrap();
    assert_eq!(res.total, 4);
    let facet = |name: &str| {
        res.facets
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
            .unwrap()
    };
    assert_eq!(
        facet("topic"),
        [("conflict".to_string(), 2), ("economy".to_string(), 1)]
    );
    assert_eq!(facet("year"), [("2012".to_string(), 3)]);
    assert_eq!(facet("month")[0], ("2012-12".to_string(), 2));
    // Each count agrees with the matching field query.
    for (value, n) in facet("place") {
        let q = format!("syria place:\"{value}\"");
        assert_eq!(search(&h, &req(&q)).unwrap().total as u64, n, "{value}");
    }
}

#[test]
fn unknown_facets_list_the_valid_ones() {
    let h = index_of(&corpus());
    let mut r = req("syria");
    r.facets = vec!["persons".into()];
    let e = search(&h, &r).unwrap_err().to_string();
    assert!(
        e.contains("unknown facet 'persons'") && e.contains("person, place"),
        "{e}"
    );
}

#[test]
fn query_errors_come_back_as_errors() {
    let h = index_of(&corpus());
    for q in [
        "persn:x",
        "\"open",
        "(a",
        "a)",
        "",
        "date:2012-13-40",
        "- a",
    ] {
        assert!(
            matches!(search(&h, &req(q)), Err(SearchError::Query(_))),
            "{q}"
        );
    }
}

#[test]
fn show_finds_by_id() {
    let h = index_of(&corpus());
    let a = show(&h, "lavrov").unwrap().unwrap();
    assert_eq!(a.people, ["Sergei Lavrov"]);
    assert!(show(&h, "nope").unwrap().is_none());
}

#[test]
fn snippets_highlight_phrases_only_in_order() {
    let h = index_of(&corpus());
    let r = search(&h, &req("\"political transition\"")).unwrap();
    let s = &r.hits[0].snippet;
    // "transition would be political" holds both words but not the phrase.
    assert_eq!(highlighted(s), ["political transition"], "{s:?}");
    assert_valid(s);
}

#[test]
fn snippets_highlight_field_terms_stems_and_folds() {
    let h = index_of(&corpus());
    let r = search(&h, &req("person:Lavrov OR place:Syria")).unwrap();
    let lavrov = r.hits.iter().find(|h| h.article.id == "lavrov").unwrap();
    assert_eq!(highlighted(&lavrov.snippet), ["Syria"]);
    let r = search(&h, &req("election zurich")).unwrap();
    let s = &r.hits[0].snippet;
    assert_eq!(highlighted(s), ["ZÜRICH", "Zürich", "elections"], "{s:?}");
    assert_valid(s);
}

#[test]
fn snippets_fall_back_to_the_lead() {
    let h = index_of(&corpus());
    let r = search(&h, &req("date:2013")).unwrap();
    let s = &r.hits[0].snippet;
    assert!(s.highlights.is_empty());
    assert!(s.text.starts_with("ZÜRICH (Reuters)"), "{s:?}");
}

#[test]
fn snippets_choose_covering_passages_within_budget() {
    let filler = "Nothing of note happened here at all today. ".repeat(20);
    let body = format!(
        "{filler}The minister spoke about oil. {filler}Later the minister spoke about gas and oil. {filler}"
    );
    let h = index_of(&[article("a", "2012-01-01", &body)]);
    let r = search(&h, &req("oil gas")).unwrap();
    let s = &r.hits[0].snippet;
    assert!(
        s.text
            .starts_with("Later the minister spoke about gas and oil."),
        "{s:?}"
    );
    assert!(s.text.chars().count() < 320, "{s:?}");
    assert_valid(s);
    let mut one = req("oil gas");
    one.passages = 1;
    let s = &search(&h, &one).unwrap().hits[0].snippet;
    assert!(!s.text.contains(" … "), "{s:?}");
}

#[test]
fn snippets_cut_long_sentences_on_multibyte_text() {
    let body = format!(
        "{} Syria {}",
        "Über Zürich fließt é ß ü ö ä ".repeat(30),
        "ﬁ ＡＢ Ω ™ ".repeat(40)
    );
    let h = index_of(&[article("a", "2012-01-01", &body)]);
    let r = search(&h, &req("syria zurich")).unwrap();
    let s = &r.hits[0].snippet;
    assert!(highlighted(s).contains(&"Syria"), "{s:?}");
    assert!(s.text.chars().count() <= 300, "{s:?}");
    assert_valid(s);
}

#[test]
fn odd_queries_never_panic() {
    let h = index_of(&corpus());
    let pieces = [
        "a",
        "OR",
        "AND",
        "NOT",
        "-",
        "(",
        ")",
        "\"",
        "“",
        "”",
        "[",
        "]",
        "person:",
        "date:",
        "date:2012",
        "date:[",
        " TO ",
        "*",
        ":",
        "’s",
        "é",
        "topic:a:b",
        "x:",
        "  ",
        "-(",
        "\u{0}",
    ];
    // Every pair and many triples of pieces, glued or spaced.
    let mut n = 0u64;
    for a in pieces {
        for b in pieces {
            for sep in ["", " "] {
                let q = format!("{a}{sep}{b}");
                let _ = search(&h, &req(&q));
                let c = pieces[(n as usize * 7) % pieces.len()];
                let q = format!("{q}{sep}{c}");
                let _ = search(&h, &req(&q));
                n += 1;
            }
        }
    }
}

#[test]
fn huge_limits_and_offsets_are_safe() {
    let h = index_of(&corpus());
    let mut r = req("syria");
    r.limit = usize::MAX;
    assert_eq!(search(&h, &r).unwrap().hits.len(), 4);
    r.offset = usize::MAX;
    let res = search(&h, &r).unwrap();
    assert_eq!((res.total, res.hits.len()), (4, 0));
}

#[test]
fn errors_render_with_a_caret() {
    let h = index_of(&corpus());
    let q = "syria persn:Assad";
    let Err(SearchError::Query(e)) = search(&h, &req(q)) else {
        panic!("expected a query error");
    };
    assert!(
        e.to_string().starts_with("unknown field 'persn';") && e.column(q) == 7,
        "{e}"
    );
    assert_eq!(e.caret(q), "syria persn:Assad\n      ^");
}

#[test]
fn curly_quoted_possessive_phrase() {
    let h = index_of(&corpus());
    let r = search(&h, &req("“Assad’s forces”")).unwrap();
    assert_eq!(hit_ids(&r), ["assad"]);
    assert_eq!(highlighted(&r.hits[0].snippet), ["Assad’s forces"]);
}

#[test]
fn segments_merge_for_counts_facets_and_order() {
    let all = corpus();
    let h = super::testutil::index_in_segments(&[&all[..2], &all[2..4], &all[4..]]);
    assert_eq!(h.index.searchable_segment_ids().unwrap().len(), 3);
    let mut r = req("syria OR oil OR zurich");
    r.sort = Sort::Oldest;
    r.facets = vec!["topic".into(), "place".into()];
    let res = search(&h, &r).unwrap();
    assert_eq!(res.total, 5);
    assert_eq!(hit_ids(&res), ["old", "assad", "lavrov", "vote", "undated"]);
    let topics = &res.facets[0].1;
    assert_eq!(topics[0], ("conflict".to_string(), 2));
    assert_eq!(topics.len(), 3);
    let single = index_of(&all);
    assert_eq!(search(&single, &r).unwrap().facets, res.facets);
}

/// A rough timing on a synthetic archive: `cargo test --lib -- --ignored
/// search::tests::timing --nocapture`.
#[test]
#[ignore]
fn timing() {
    let words = [
        "Syria",
        "talks",
        "oil",
        "prices",
        "election",
        "minister",
        "said",
        "on",
        "Monday",
        "the",
        "government",
        "rebels",
        "Damascus",
        "Moscow",
        "envoy",
        "crude",
    ];
    let mut seed = 7u64;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed as usize
    };
    let articles: Vec<_> = (0..20_000)
        .map(|i| {
            let body: Vec<&str> = (0..300).map(|_| words[next() % words.len()]).collect();
            let mut a = article(
                &format!("a{i}"),
                &format!("20{:02}-{:02}-{:02}", 10 + i % 5, 1 + i % 12, 1 + i % 28),
                &body.join(" ").replace("said ", "said. "),
            );
            a.people = vec![format!("Person {}", next() % 50)];
            a.places = vec![format!("Place {}", next() % 80)];
            a.topics = vec![format!("topic {}", next() % 10)];
            a
        })
        .collect();
    let h = index_of(&articles);
    for q in [
        "syria",
        "\"oil prices\" minister",
        "syria -oil OR crude",
        "date:2012",
    ] {
        let mut r = req(q);
        r.facets = vec![
            "person".into(),
            "place".into(),
            "topic".into(),
            "month".into(),
        ];
        let res = search(&h, &r).unwrap();
        eprintln!("{q:30} total {:6} in {:?}", res.total, res.elapsed);
    }
}
