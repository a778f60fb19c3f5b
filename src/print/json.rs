//! JSON Lines for scripts: one object per hit, fields as in the contract.

use std::io::{self, Write};

use serde_json::{json, Map, Value};

use crate::archive::versions::{changes, cluster_name};
use crate::article::Article;
use crate::search::quotes::{QuoteHit, QuoteResults};
use crate::search::{Hit, Results};

/// The JSON object of a hit: the article's fields without its body, plus
/// `cluster` and `versions` (its version cluster and how many versions the
/// index holds), `score`, `snippet` and `highlights` (byte ranges into
/// `snippet`).
pub fn hit_value(hit: &Hit) -> Value {
    let mut obj = article_map(&hit.article);
    obj.remove("body");
    obj.insert("cluster".into(), json!(cluster_name(hit.cluster)));
    obj.insert("versions".into(), json!(hit.versions));
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

/// A story's versions as JSON Lines, oldest first: each article (without
/// its body) with `cluster`, `versions`, `lead` and what changed from the
/// version before (`paragraphs_added`, `paragraphs_removed`,
/// `figures_removed`, `figures_added`).
pub fn versions(out: &mut impl Write, hits: &[Hit]) -> io::Result<()> {
    let lead = hits.len().saturating_sub(1);
    for (i, hit) in hits.iter().enumerate() {
        let mut obj = article_map(&hit.article);
        obj.remove("body");
        obj.insert("cluster".into(), json!(cluster_name(hit.cluster)));
        obj.insert("versions".into(), json!(hit.versions));
        obj.insert("lead".into(), json!(i == lead));
        if i > 0 {
            let c = changes(&hits[i - 1].article.body, &hit.article.body);
            obj.insert("paragraphs_added".into(), json!(c.added));
            obj.insert("paragraphs_removed".into(), json!(c.removed));
            obj.insert("figures_removed".into(), json!(c.figures_removed));
            obj.insert("figures_added".into(), json!(c.figures_added));
        }
        serde_json::to_writer(&mut *out, &Value::Object(obj))?;
        out.write_all(b"\n")?;
    }
    Ok(())
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
