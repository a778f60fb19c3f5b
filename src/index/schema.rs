//! The index schema: one place that says what is indexed and how.
//!
//! | field      | analysis                    | for                                              |
//! |------------|-----------------------------|--------------------------------------------------|
//! | `id`       | raw                         | `--show ID`                                      |
//! | `file`     | raw                         | deleting every story of a changed file           |
//! | `headline` | stemmed, positions, no norms, break marks | words and phrases, boosted; the lead's first sentence when there is none |
//! | `lead`     | stemmed, freqs only         | single words, boosted (phrases use the body)     |
//! | `body`     | stemmed, positions, break marks | words, phrases, nearness; a marked position between sentences and paragraphs |
//! | `person`   | plain, positions, no norms  | `person:`: each name once a mention, and aliases |
//! | `place`    | plain, positions, no norms  | `place:`: places (once a mention), countries, regions, the dateline's |
//! | `org`      | plain, positions, no norms  | `org:`: each name once a mention                 |
//! | `topic`    | plain, positions, no norms  | `topic:`: labels, their ancestors, source codes  |
//! | `code`     | raw                         | `topic:reuters:acq`: source codes, whole         |
//! | `dateline` | plain, positions, no norms  | `dateline:`: the text, place and country         |
//! | `byline`   | plain, positions, no norms  | `byline:`                                        |
//! | `source`   | plain, positions, no norms  | `source:`: agency, feed and format               |
//! | `said`     | plain, positions, no norms  | `said:`: each quoted speaker's name and aliases  |
//! | `quote`    | stemmed, positions          | `quote:` and per-quotation search: each quotation's speaker marks then its words, [`QUOTE_GAP`] positions apart |
//! | `kind`     | raw, fast                   | `kind:table`: the body's shape; the `kind` facet |
//! | `date`     | date, fast                  | ranges and sorting                               |
//! | `signature`| bytes, fast                 | finding a new story's earlier versions (MinHash) |
//! | `cluster`  | u64, indexed, fast          | collapsing versions into one hit; `--versions`   |
//! | `f_cluster`| fast only, raw              | `cluster` as its 16 hex digits: their per-segment ordinals let a search see each cluster once with a bitset rather than a hash set |
//! | `f_*`      | fast only (not searchable)  | facet counts (person, place, org, topic, dateline, year, month, kind, speaker); `f_hint` and `f_org_pair` (a story's "short\tlong" organisation abbreviations) feed the identity registries |
//! | `article`  | stored JSON (zstd)          | the whole [`Article`](crate::article::Article), for hits and `--show` |

use tantivy::schema::{
    DateOptions, DateTimePrecision, Field, IndexRecordOption, Schema, TextFieldIndexing,
    TextOptions, FAST, INDEXED, STORED, STRING,
};

use crate::index::analyzer;

/// Bumped whenever the schema or the analysis changes; an index written
/// with another version must be rebuilt.
pub const SCHEMA_VERSION: u32 = 11;

/// Positions between the starts of two quotations in the `quote` field:
/// a quotation's speaker marks sit at `i * QUOTE_GAP`, its words after
/// them, so "the same quotation" is "the same position divided by the
/// gap". Words past the gap are not indexed (no quotation is that long).
pub const QUOTE_GAP: u32 = 1 << 12;

/// Most quotations of one story indexed in `quote` (positions are `u32`).
pub const MAX_INDEXED_QUOTES: usize = 100_000;

/// Prefix of the speaker marks in the `quote` field: `:lavrov` is a
/// speaker's name word, never a word of the text (the analyzers split at
/// `:`).
pub const SPEAKER_MARK: &str = ":";

/// The schema's fields, resolved once.
#[derive(Clone, Debug)]
pub struct Fields {
    pub schema: Schema,
    pub id: Field,
    pub file: Field,
    pub headline: Field,
    pub lead: Field,
    pub body: Field,
    pub person: Field,
    pub place: Field,
    pub org: Field,
    pub topic: Field,
    /// Source codes whole and lower-cased (`reuters:acq`), for exact lookup.
    pub code: Field,
    pub dateline: Field,
    pub byline: Field,
    pub source: Field,
    /// The body's shape (`story`, `table`, …), whole: searched and counted.
    pub kind: Field,
    pub date: Field,
    /// The fingerprint's b-bit signature ([`Fingerprint`](crate::enrich::fingerprint::Fingerprint)).
    pub signature: Field,
    /// The version cluster: a hash of its first story's id.
    pub cluster: Field,
    /// Quoted speakers' names (`said:`).
    pub said: Field,
    /// Quotations, one position block each (see [`QUOTE_GAP`]).
    pub quote: Field,
    pub f_person: Field,
    /// Capitalised-headline subjects, for the identity registry.
    pub f_hint: Field,
    pub f_place: Field,
    pub f_org: Field,
    /// A story's organisation abbreviations, `short\tlong`, for the
    /// organisation identities.
    pub f_org_pair: Field,
    pub f_topic: Field,
    pub f_dateline: Field,
    pub f_year: Field,
    pub f_month: Field,
    pub f_speaker: Field,
    /// The version cluster's name ([`cluster_name`](crate::archive::versions::cluster_name)),
    /// for its dense per-segment ordinals.
    pub f_cluster: Field,
    pub article: Field,
}

/// The facets `--facets` can count, with the fast field behind each.
pub const FACETS: &[&str] = &[
    "person", "place", "org", "topic", "dateline", "year", "month", "kind", "speaker",
];

fn text(analyzer_name: &str) -> TextOptions {
    TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(analyzer_name)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    )
}

/// Entity fields hold each name as often as the story mentions it (see
/// [`document`](crate::index::document)); without length normalisation,
/// their score grows with how prominent the name is, not with how few
/// other names the story has.
fn entity_text() -> TextOptions {
    text_without_norms(analyzer::PLAIN)
}

fn text_without_norms(analyzer_name: &str) -> TextOptions {
    TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(analyzer_name)
            .set_fieldnorms(false)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    )
}

impl Fields {
    /// Builds the schema.
    pub fn new() -> Fields {
        let mut b = Schema::builder();
        // The id is stored inside `article`; here it is only looked up.
        let id = b.add_text_field("id", STRING);
        let file = b.add_text_field("file", STRING);
        // A word in the headline counts the same whatever the headline's
        // length: a lead sentence standing in for one is not penalised.
        // With break marks: a lead sentence standing in may be two.
        let headline = b.add_text_field("headline", text_without_norms(analyzer::BODY));
        let lead = b.add_text_field(
            "lead",
            TextOptions::default().set_indexing_options(
                TextFieldIndexing::default()
                    .set_tokenizer(analyzer::STEMMED)
                    .set_index_option(IndexRecordOption::WithFreqs),
            ),
        );
        let body = b.add_text_field("body", text(analyzer::BODY));
        let person = b.add_text_field("person", entity_text());
        let place = b.add_text_field("place", entity_text());
        let org = b.add_text_field("org", entity_text());
        // Labels and names: their length says nothing about relevance.
        let topic = b.add_text_field("topic", text_without_norms(analyzer::PLAIN));
        let code = b.add_text_field("code", STRING);
        let dateline = b.add_text_field("dateline", text_without_norms(analyzer::PLAIN));
        let byline = b.add_text_field("byline", text_without_norms(analyzer::PLAIN));
        let source = b.add_text_field("source", text_without_norms(analyzer::PLAIN));
        let kind = b.add_text_field("kind", STRING | FAST);
        let date = b.add_date_field(
            "date",
            DateOptions::default()
                .set_indexed()
                .set_fast()
                .set_precision(DateTimePrecision::Seconds),
        );
        let signature = b.add_bytes_field("signature", FAST);
        let cluster = b.add_u64_field("cluster", INDEXED | FAST);
        let said = b.add_text_field("said", entity_text());
        let quote = b.add_text_field("quote", text(analyzer::STEMMED));
        let f_person = b.add_text_field("f_person", FAST);
        let f_hint = b.add_text_field("f_hint", FAST);
        let f_place = b.add_text_field("f_place", FAST);
        let f_org = b.add_text_field("f_org", FAST);
        let f_org_pair = b.add_text_field("f_org_pair", FAST);
        let f_topic = b.add_text_field("f_topic", FAST);
        let f_dateline = b.add_text_field("f_dateline", FAST);
        let f_year = b.add_text_field("f_year", FAST);
        let f_month = b.add_text_field("f_month", FAST);
        let f_speaker = b.add_text_field("f_speaker", FAST);
        let f_cluster = b.add_text_field("f_cluster", FAST);
        let article = b.add_text_field("article", STORED);
        Fields {
            schema: b.build(),
            id,
            file,
            headline,
            lead,
            body,
            person,
            place,
            org,
            topic,
            code,
            dateline,
            byline,
            source,
            kind,
            date,
            signature,
            cluster,
            said,
            quote,
            f_person,
            f_hint,
            f_place,
            f_org,
            f_org_pair,
            f_topic,
            f_dateline,
            f_year,
            f_month,
            f_speaker,
            f_cluster,
            article,
        }
    }

    /// The fast field counted for a facet name from [`FACETS`].
    pub fn facet_field(&self, name: &str) -> Option<Field> {
        Some(match name {
            "person" => self.f_person,
            "place" => self.f_place,
            "org" => self.f_org,
            "topic" => self.f_topic,
            "dateline" => self.f_dateline,
            "year" => self.f_year,
            "month" => self.f_month,
            "kind" => self.kind,
            "speaker" => self.f_speaker,
            _ => return None,
        })
    }
}

impl Default for Fields {
    fn default() -> Self {
        Fields::new()
    }
}
