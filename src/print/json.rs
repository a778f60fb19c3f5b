//! JSON Lines for scripts: one object per hit, fields as in the contract.

use std::io::{self, Write};

use serde_json::{json, Map, Value};

use crate::article::Article;
use crate::search::quotes::{QuoteHit, QuoteResults};
use crate::search::{Hit, Results};

/// The JSON object of a hit: the article's fields without its body, plus
/// `score`, `snippet` and `highlights` (byte ranges into `snippet`).
pub fn hit_value(hit: &Hit) -> Value {
    let mut obj = article_map(&hit.article);
    obj.remove("body");
    obj.insert("score".into(), json!(hit.score));
    obj.insert("snippet".into(), json!(hit.snippet.text));
    obj.insert(
        "highlights".into(),
        Value::Array(
            hit.snippet
                .highlights
                .iter()
                .map(|&(s, e)| json!([s, e]))
                .collect(),
        ),
    );
    Value::Object(obj)
}

fn article_map(a: &Article) -> Map<String, Value> {
    match serde_json::to_value(a) {
        Ok(Value::Object(m)) => m,
        _ => Map::new(),
    }
}

/// Writes every hit as one line.
pub fn hits(out: &mut impl Write, results: &Results) -> io::Result<()> {
    for hit in &results.hits {
        serde_json::to_writer(&mut *out, &hit_value(hit))?;
        out.write_all(b"\n")?;
    }
    Ok(())
}

/// Writes the facet counts as one line: `{"total": N, "facets": {"person": [{"value": …, "count": …}]}}`.
pub fn facets(out: &mut impl Write, results: &Results) -> io::Result<()> {
    let mut facets = Map::new();
    for (name, values) in &results.facets {
        facets.insert(
            name.clone(),
            Value::Array(
                values
                    .iter()
                    .map(|(v, c)| json!({"value": v, "count": c}))
                    .collect(),
            ),
        );
    }
    serde_json::to_writer(
        &mut *out,
        &json!({"total": results.total, "facets": facets}),
    )?;
    out.write_all(b"\n")
}

/// Writes a whole article (with its body) as one line.
pub fn article(out: &mut impl Write, a: &Article) -> io::Result<()> {
    serde_json::to_writer(&mut *out, a)?;
    out.write_all(b"\n")
}

/// The JSON object of a matching quotation: the quotation's fields
/// (`speaker` as a name, `speaker_id`, `speaker_kind`, `attribution`,
/// `text`, `kind`, `verb`, `start`, `end`), `highlights` (byte ranges into
/// `text`) and its story's `id`, `headline`, `date` and `dateline`.
pub fn quote_value(hit: &QuoteHit) -> Value {
    let q = &hit.quote;
    let a = &hit.article;
    json!({
        "speaker": q.speaker.as_ref().map(|s| s.name.clone()),
        "speaker_id": q.speaker.as_ref().and_then(|s| s.id.clone()),
        "speaker_kind": q.speaker.as_ref().map(|s| s.kind),
        "attribution": q.attribution,
        "text": q.text,
        "kind": q.kind,
        "verb": q.verb,
        "start": q.start,
        "end": q.end,
        "highlights": hit.highlights.iter().map(|&(s, e)| json!([s, e])).collect::<Vec<_>>(),
        "id": a.id,
        "headline": a.display_title(),
        "date": a.date,
        "dateline": a.dateline,
    })
}

/// Writes every matching quotation as one line.
pub fn quotes(out: &mut impl Write, results: &QuoteResults) -> io::Result<()> {
    for hit in &results.hits {
        serde_json::to_writer(&mut *out, &quote_value(hit))?;
        out.write_all(b"\n")?;
    }
    Ok(())
}

/// Writes the facet counts of a quotation search as one line, like
/// [`facets`] (`total` counts stories).
pub fn quote_facets(out: &mut impl Write, results: &QuoteResults) -> io::Result<()> {
    let mut facets = Map::new();
    for (name, values) in &results.facets {
        facets.insert(
            name.clone(),
            Value::Array(
                values
                    .iter()
                    .map(|(v, c)| json!({"value": v, "count": c}))
                    .collect(),
            ),
        );
    }
    serde_json::to_writer(
        &mut *out,
        &json!({"total": results.stories, "facets": facets}),
    )?;
    out.write_all(b"\n")
}
