//! The query language (wildcards, fuzzy words and nearness included):
//! parse, compile and search a small index. Errors must point inside the
//! query; nothing may panic.
#![no_main]

use std::sync::OnceLock;

use dateline::article::Article;
use dateline::index::document::to_document;
use dateline::index::store::IndexHandle;
use dateline::search::query::{compile, compile_in, parse};
use dateline::search::{search, Request};
use libfuzzer_sys::fuzz_target;

fn handle() -> &'static IndexHandle {
    static H: OnceLock<IndexHandle> = OnceLock::new();
    H.get_or_init(|| {
        let h = IndexHandle::in_ram();
        let mut w: tantivy::IndexWriter = h.index.writer_with_num_threads(1, 15_000_000).unwrap();
        for (id, date, body) in [
            (
                "a",
                "2012-12-29",
                "DAMASCUS, Syria (AP) — Assad’s forces shelled the suburbs.",
            ),
            (
                "b",
                "1987-02-26",
                "LONDON (Reuters) - Crude oil prices rose in London.",
            ),
            (
                "c",
                "",
                "An undated note about the envoy and the political transition.",
            ),
        ] {
            let a = Article {
                id: id.into(),
                path: format!("t/{id}.txt"),
                format: "text".into(),
                date: (!date.is_empty()).then(|| date.to_string()),
                headline: Some(format!("Headline {id}")),
                people: vec!["Bashar Assad".into()],
                source_codes: vec!["reuters:crude".into()],
                body: body.into(),
                ..Article::default()
            };
            w.add_document(to_document(&h.fields, &a)).unwrap();
        }
        w.commit().unwrap();
        h
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(q) = std::str::from_utf8(data) else {
        return;
    };
    match parse(q) {
        Ok(ast) => {
            if let Err(e) = compile(&handle().fields, &ast) {
                assert!(e.offset <= q.len());
            }
            // With the index's terms, so that wildcards and fuzzy words expand.
            let searcher = handle().searcher().unwrap();
            if let Err(e) = compile_in(&handle().fields, &ast, &searcher) {
                assert!(e.offset <= q.len() && q.is_char_boundary(e.offset));
            }
        }
        Err(e) => {
            assert!(e.offset <= q.len() && q.is_char_boundary(e.offset));
            let _ = e.caret(q);
        }
    }
    let req = Request {
        query: q.to_string(),
        limit: 3,
        facets: vec!["person".into(), "year".into()],
        ..Request::default()
    };
    if let Err(dateline::search::SearchError::Query(e)) = search(handle(), &req) {
        assert!(e.offset <= q.len() && q.is_char_boundary(e.offset));
    }
});
