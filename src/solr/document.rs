//! Articles to Solr documents: the fields of the tantivy document
//! ([`crate::index::document`]) under the same names, in Solr's JSON.

use chrono::Datelike;
use serde_json::{json, Map, Value};

use crate::archive::versions::{cluster_key, cluster_name};
use crate::article::Article;
use crate::enrich::topics;
use crate::index::analyzer;
use crate::index::document::{file_key, parse_date, prominence, speaker_names};

/// `doc_type` of a story.
pub const ARTICLE: &str = "article";
/// `doc_type` of a run's manifest document.
pub const META: &str = "meta";

/// Text cut where Dateline's body analyzer marks a sentence or paragraph
/// break: sent as separate values, which the schema keeps 100 positions
/// apart, so that a phrase never runs across a sentence here either.
pub fn sentences(text: &str) -> Vec<&str> {
    use tantivy::tokenizer::TokenStream;
    let mut body = analyzer::body();
    let mut stream = body.token_stream(text);
    let mut out = Vec::new();
    let mut from = 0;
    while stream.advance() {
        let t = stream.token();
        if analyzer::is_mark(&t.text) && t.offset_from > from {
            out.push(&text[from..t.offset_from]);
            from = t.offset_from;
        }
    }
    if from < text.len() || out.is_empty() {
        out.push(&text[from..]);
    }
    out
}

/// The Solr document for an article. Its id is the article's id, so
/// sending a story again replaces it; its `cluster` routes it to its
/// versions' shard.
pub fn to_solr(a: &Article) -> Value {
    let mut doc = Map::new();
    let mut put = |name: &str, value: Value| {
        doc.insert(name.to_string(), value);
    };
    put("id", json!(a.id));
    put("doc_type", json!(ARTICLE));
    put("file", json!(file_key(&a.path)));
    put(
        "cluster",
        json!(cluster_name(
            a.cluster.unwrap_or_else(|| cluster_key(&a.id))
        )),
    );
    let title = a.display_title();
    put("headline", json!(sentences(&title)));
    put("lead", json!(a.lead()));
    put("body", json!(sentences(&a.body)));

    let text: &[&str] = &[a.headline.as_deref().unwrap_or(""), &a.body];
    // Names repeated as often as the story mentions them, as in tantivy,
    // so prominence ranks the same.
    fn weighted<'a>(names: &'a [String], text: &[&str]) -> Vec<&'a str> {
        names
            .iter()
            .flat_map(|n| std::iter::repeat_n(n.as_str(), prominence(text, n)))
            .collect()
    }
    let mut person = weighted(&a.people, text);
    person.extend(a.person_aliases.iter().map(String::as_str));
    let mut place = weighted(&a.places, text);
    place.extend(a.countries.iter().chain(&a.regions).map(String::as_str));
    let org = weighted(&a.orgs, text);
    let mut topic: Vec<String> = a.topics.iter().flat_map(|t| topics::expand(t)).collect();
    topic.extend(a.source_codes.iter().cloned());
    let code: Vec<String> = a.source_codes.iter().map(|c| c.to_lowercase()).collect();
    let mut dateline = Vec::new();
    let mut source = Vec::new();
    let mut f_dateline = Vec::new();
    if let Some(d) = &a.dateline {
        dateline.push(d.text.as_str());
        for part in [&d.place, &d.country].into_iter().flatten() {
            dateline.push(part);
            place.push(part);
        }
        if let Some(agency) = &d.agency {
            source.push(agency.as_str());
        }
        f_dateline.push(d.place.as_deref().unwrap_or(&d.text));
    }
    if let Some(s) = &a.source {
        source.push(s);
    }
    source.push(&a.format);

    let mut speakers: Vec<&str> = Vec::new();
    for q in &a.quotes {
        if let Some(s) = &q.speaker {
            if !speakers.contains(&s.name.as_str()) {
                speakers.push(&s.name);
            }
        }
    }
    let said: Vec<&str> = speakers.iter().flat_map(|s| speaker_names(a, s)).collect();
    let quote: Vec<&str> = a.quotes.iter().map(|q| q.text.as_str()).collect();

    put("person", json!(person));
    put("place", json!(place));
    put("org", json!(org));
    put("topic", json!(topic));
    put("code", json!(code));
    put("dateline", json!(dateline));
    put("byline", json!(a.byline));
    put("source", json!(source));
    put("said", json!(said));
    put("quote", json!(quote));
    put("kind", json!(a.kind));
    put("f_person", json!(a.people));
    put("f_hint", json!(a.person_hints));
    put("f_place", json!(a.places));
    put("f_org", json!(a.orgs));
    put("f_topic", json!(a.topics));
    put("f_dateline", json!(f_dateline));
    put("f_speaker", json!(speakers));
    if let Some(dt) = a.date.as_deref().and_then(parse_date) {
        put("date", json!(dt.format("%Y-%m-%dT%H:%M:%SZ").to_string()));
        put("f_year", json!([dt.year().to_string()]));
        put(
            "f_month",
            json!([format!("{:04}-{:02}", dt.year(), dt.month())]),
        );
    }
    put(
        "article",
        json!(serde_json::to_string(a).expect("an Article always serialises")),
    );
    // Empty lists are left out: Solr stores nothing for them anyway.
    doc.retain(|_, v| !v.as_array().is_some_and(Vec::is_empty));
    Value::Object(doc)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_cut_at_sentence_breaks_only() {
        let text = "Mr. Smith met Lavrov. Talks went on.\n\nA new day dawned.";
        assert_eq!(
            sentences(text),
            [
                "Mr. Smith met Lavrov. ",
                "Talks went on.\n\n",
                "A new day dawned."
            ]
        );
        assert_eq!(sentences(""), [""]);
    }
}
