//! Articles to tantivy documents.

use std::cell::RefCell;

use chrono::{Datelike, NaiveDate, NaiveDateTime};
use tantivy::tokenizer::{PreTokenizedString, TextAnalyzer, Token, TokenStream};
use tantivy::{DateTime, TantivyDocument};

use crate::archive::versions::{cluster_key, cluster_name};
use crate::article::{Article, Quote};
use crate::enrich::{people, topics};
use crate::index::analyzer;
use crate::index::schema::{Fields, MAX_INDEXED_QUOTES, QUOTE_GAP, SPEAKER_MARK};

/// The file part of an article path (`a.sgm#3` → `a.sgm`): every story of a
/// file is deleted through it when the file changes.
pub fn file_key(path: &str) -> &str {
    match path.rfind('#') {
        Some(i) if path[i + 1..].bytes().all(|b| b.is_ascii_digit()) && i + 1 < path.len() => {
            &path[..i]
        }
        _ => path,
    }
}

/// Parses an article date (`2012-12-29` or RFC 3339) to a UTC timestamp.
pub fn parse_date(date: &str) -> Option<NaiveDateTime> {
    if let Ok(d) = chrono::DateTime::parse_from_rfc3339(date) {
        return Some(d.naive_utc());
    }
    if let Ok(d) = NaiveDateTime::parse_from_str(date, "%Y-%m-%dT%H:%M:%S") {
        return Some(d);
    }
    NaiveDate::parse_from_str(date.get(..10)?, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
}

/// Most times a name is repeated in its field.
const MAX_WEIGHT: usize = 20;

/// Adds a name to an entity field once for each time the story mentions it
/// (its last word, which also counts full-name mentions), so that the story
/// that names Lavrov eleven times outranks one that names him twice.
/// Between the short and the long form of an `f_org_pair` value.
pub const PAIR: char = '\t';

fn add_weighted(
    doc: &mut TantivyDocument,
    field: tantivy::schema::Field,
    name: &str,
    text: &[&str],
) {
    for _ in 0..prominence(text, name) {
        doc.add_text(field, name);
    }
}

/// How often the `texts` of a story mention `name`, from 1 to
/// `MAX_WEIGHT` (20).
pub fn prominence(texts: &[&str], name: &str) -> usize {
    let last = name.split_whitespace().last().unwrap_or(name);
    if last.is_empty() {
        return 1;
    }
    let finder = memchr::memmem::Finder::new(last);
    let found: usize = texts
        .iter()
        .map(|t| finder.find_iter(t.as_bytes()).take(MAX_WEIGHT).count())
        .sum();
    found.clamp(1, MAX_WEIGHT)
}

/// Builds the document the writer adds for an article.
pub fn to_document(f: &Fields, a: &Article) -> TantivyDocument {
    let mut doc = TantivyDocument::default();
    doc.add_text(f.id, &a.id);
    doc.add_text(f.file, file_key(&a.path));
    // A story without a headline is known by its lead's first sentence; it
    // ranks as one, so headline boosts don't favour one source's shape.
    doc.add_text(f.headline, a.display_title());
    doc.add_text(f.lead, a.lead());
    doc.add_text(f.body, &a.body);

    // Counted where they are, not in a copy of the story made per document.
    let text: &[&str] = &[a.headline.as_deref().unwrap_or(""), &a.body];
    for p in &a.people {
        add_weighted(&mut doc, f.person, p, text);
        doc.add_text(f.f_person, p);
    }
    for p in &a.person_aliases {
        doc.add_text(f.person, p);
    }
    for h in &a.person_hints {
        doc.add_text(f.f_hint, h);
    }
    for p in &a.places {
        add_weighted(&mut doc, f.place, p, text);
        doc.add_text(f.f_place, p);
    }
    // `place:geonames:2643743` finds the place by its GeoNames id.
    for id in a.place_ids.iter().flatten() {
        doc.add_text(f.place, id);
    }
    for p in a.countries.iter().chain(&a.regions) {
        doc.add_text(f.place, p);
    }
    for o in &a.orgs {
        add_weighted(&mut doc, f.org, o, text);
        doc.add_text(f.f_org, o);
    }
    for (short, long) in &a.org_abbreviations {
        doc.add_text(f.f_org_pair, format!("{short}{PAIR}{long}"));
    }
    for t in &a.topics {
        for label in topics::expand(t) {
            doc.add_text(f.topic, &label);
        }
        doc.add_text(f.f_topic, t);
    }
    for code in &a.source_codes {
        doc.add_text(f.topic, code);
        doc.add_text(f.code, code.to_lowercase());
    }
    if let Some(d) = &a.dateline {
        doc.add_text(f.dateline, &d.text);
        for part in [&d.place, &d.country].into_iter().flatten() {
            doc.add_text(f.dateline, part);
            doc.add_text(f.place, part);
        }
        if let Some(agency) = &d.agency {
            doc.add_text(f.source, agency);
        }
        if let Some(place) = d.place.as_ref().or(Some(&d.text)) {
            doc.add_text(f.f_dateline, place);
        }
    }
    add_quotes(&mut doc, f, a);
    for b in &a.byline {
        doc.add_text(f.byline, b);
    }
    if let Some(s) = &a.source {
        doc.add_text(f.source, s);
    }
    doc.add_text(f.source, &a.format);
    doc.add_text(f.kind, &a.kind);
    if let Some(dt) = a.date.as_deref().and_then(parse_date) {
        doc.add_date(
            f.date,
            DateTime::from_timestamp_secs(dt.and_utc().timestamp()),
        );
        doc.add_text(f.f_year, dt.year().to_string());
        doc.add_text(f.f_month, format!("{:04}-{:02}", dt.year(), dt.month()));
    }
    if let Some(fp) = &a.fingerprint {
        doc.add_bytes(f.signature, &fp.signature[..]);
    }
    let cluster = a.cluster.unwrap_or_else(|| cluster_key(&a.id));
    doc.add_u64(f.cluster, cluster);
    doc.add_text(f.f_cluster, cluster_name(cluster));
    doc.add_text(
        f.article,
        serde_json::to_string(a).expect("an Article always serialises"),
    );
    doc
}

thread_local! {
    /// The analyzers of the `quote` field, built once per indexing thread.
    static QUOTE_ANALYZERS: RefCell<(TextAnalyzer, TextAnalyzer)> =
        RefCell::new((analyzer::stemmed(), analyzer::plain()));
}

/// The names a speaker is searchable under: the canonical name and the
/// story's other forms of it (`Lavrov`, `Sergey Lavrov`).
pub fn speaker_names<'a>(a: &'a Article, name: &'a str) -> Vec<&'a str> {
    let mut out = vec![name];
    let owner = [name.to_string()];
    for alias in &a.person_aliases {
        if alias != name && people::owner(&owner, alias).is_some() && !out.contains(&alias.as_str())
        {
            out.push(alias);
        }
    }
    out
}

/// `said`, `f_speaker` and `quote`: each speaker once (with aliases) in
/// `said` and the facet column; each quotation as a block of positions in
/// `quote`, its speaker's name words (marked) first, then its words.
fn add_quotes(doc: &mut TantivyDocument, f: &Fields, a: &Article) {
    if a.quotes.is_empty() {
        return;
    }
    let mut speakers: Vec<&str> = Vec::new();
    for q in &a.quotes {
        if let Some(s) = &q.speaker {
            if !speakers.contains(&s.name.as_str()) {
                speakers.push(&s.name);
            }
        }
    }
    let mut names_of: Vec<(&str, Vec<&str>)> = Vec::with_capacity(speakers.len());
    for s in &speakers {
        let names = speaker_names(a, s);
        for n in &names {
            doc.add_text(f.said, n);
        }
        doc.add_text(f.f_speaker, s);
        names_of.push((s, names));
    }
    QUOTE_ANALYZERS.with(|cell| {
        let (stemmed, plain) = &mut *cell.borrow_mut();
        let mut tokens = Vec::new();
        for (i, q) in a.quotes.iter().take(MAX_INDEXED_QUOTES).enumerate() {
            let base = i as u32 * QUOTE_GAP;
            let names = q
                .speaker
                .as_ref()
                .and_then(|s| names_of.iter().find(|(n, _)| *n == s.name))
                .map(|(_, names)| names.as_slice())
                .unwrap_or(&[]);
            quote_tokens(q, names, base, stemmed, plain, &mut tokens);
        }
        doc.add_pre_tokenized_text(
            f.quote,
            PreTokenizedString {
                text: String::new(),
                tokens,
            },
        );
    });
}

fn quote_tokens(
    q: &Quote,
    names: &[&str],
    base: u32,
    stemmed: &mut TextAnalyzer,
    plain: &mut TextAnalyzer,
    out: &mut Vec<Token>,
) {
    let token = |text: String, position: u32| Token {
        offset_from: 0,
        offset_to: 0,
        position: position as usize,
        text,
        position_length: 1,
    };
    for name in names {
        let mut stream = plain.token_stream(name);
        while let Some(t) = stream.next() {
            out.push(token(format!("{SPEAKER_MARK}{}", t.text), base));
        }
    }
    let mut stream = stemmed.token_stream(&q.text);
    let mut k = 1;
    while let Some(t) = stream.next() {
        if k >= QUOTE_GAP {
            break;
        }
        out.push(token(t.text.clone(), base + k));
        k += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_key_strips_story_numbers_only() {
        assert_eq!(file_key("a/reut2-000.sgm#12"), "a/reut2-000.sgm");
        assert_eq!(file_key("a/notes#draft.txt"), "a/notes#draft.txt");
        assert_eq!(file_key("a/b.txt"), "a/b.txt");
        assert_eq!(file_key("a/b.txt#"), "a/b.txt#");
    }

    #[test]
    fn prominence_counts_mentions_of_the_last_name() {
        let text = "Bashar Assad spoke. Assad said. Later, Assad’s aides left.";
        assert_eq!(prominence(&[text], "Bashar Assad"), 3);
        assert_eq!(prominence(&["Assad said.", text], "Assad"), 4);
        assert_eq!(prominence(&[text], "Putin"), 1);
        assert_eq!(prominence(&[&"Syria ".repeat(100)], "Syria"), MAX_WEIGHT);
    }

    #[test]
    fn dates_parse_in_both_forms() {
        assert_eq!(
            parse_date("2012-12-29").unwrap().to_string(),
            "2012-12-29 00:00:00"
        );
        assert_eq!(
            parse_date("1987-02-26T15:01:01Z").unwrap().to_string(),
            "1987-02-26 15:01:01"
        );
        assert!(parse_date("2012-13-40").is_none());
        assert!(parse_date("").is_none());
    }
}
