//! The one record every stage speaks: what `--dump` prints, what the writer
//! indexes and what `--json` and `--show` return.
//!
//! Field names follow `docs/contract.md` of the shared folder; fields beyond
//! the contract are additions, never renames.

use serde::{Deserialize, Serialize};

use crate::enrich::fingerprint::Fingerprint;

/// A story after enrichment.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Article {
    /// Stable id: the source's own id where it has one, else derived from
    /// the path and the story's position in its file.
    pub id: String,
    /// The file the story came from, with `#N` for the Nth story of a
    /// multi-story file.
    pub path: String,
    /// The reader that parsed it: `text`, `json`, `jsonl`, `sgml`, `nitf`.
    pub format: String,
    /// The body's shape: `story`, `brief`, `table` or `list`
    /// ([`Kind`](crate::read::Kind)); searchable as `kind:table`.
    #[serde(default = "story_kind")]
    pub kind: String,
    pub headline: Option<String>,
    /// RFC 3339 date (`2012-12-29`) or date-time; `None` when unknown.
    pub date: Option<String>,
    pub dateline: Option<Dateline>,
    /// Canonical full names of the people mentioned.
    pub people: Vec<String>,
    /// Every form under which the people above are mentioned (surnames,
    /// full names), so that `person:Assad` finds "Bashar Assad".
    #[serde(default)]
    pub person_aliases: Vec<String>,
    /// Identity ids of `people`, in the same order, from the archive's
    /// identity registry ([`crate::archive::identities`]): filled when a
    /// story is read back from an index, empty in `--dump`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub person_ids: Vec<String>,
    /// Names a capitalised headline gives as its subject ("BAKER" in
    /// "TREASURY'S BAKER SAYS …"): people only if the archive knows them
    /// as such; the identity registry decides.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub person_hints: Vec<String>,
    /// Canonical names of the places the story mentions.
    pub places: Vec<String>,
    /// The GeoNames id of each of `places`, in the same order
    /// (`geonames:2643743`), `null` for a place the gazetteer does not
    /// know; searchable as `place:geonames:2643743`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub place_ids: Vec<Option<String>>,
    /// Countries of those places and of the dateline.
    pub countries: Vec<String>,
    /// Larger regions (first-level divisions, e.g. US states) of the places.
    #[serde(default)]
    pub regions: Vec<String>,
    /// Canonical organisation names; read back from an index, the
    /// display names of the archive's organisation identities
    /// ([`crate::archive::identities::orgs`]).
    pub orgs: Vec<String>,
    /// Identity ids of `orgs`, in the same order (`o-federal-reserve`):
    /// filled when a story is read back from an index, empty in `--dump`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub org_ids: Vec<String>,
    /// (short form, long form) pairs the story shows ("FSA", "Free Syrian
    /// Army"): evidence for the archive's organisation identities, indexed
    /// as a fast field, not stored.
    #[serde(skip)]
    pub org_abbreviations: Vec<(String, String)>,
    /// Topic labels, best first, top level first.
    pub topics: Vec<String>,
    /// Our classifier's topics with their scores, so a reader can see why.
    #[serde(default)]
    pub topic_scores: Vec<TopicScore>,
    /// Codes the source itself gives, namespaced: `reuters:crude`,
    /// `reuters-places:usa`, `subject:politics`.
    #[serde(default)]
    pub source_codes: Vec<String>,
    /// Authors and contributors, never counted as mentions.
    pub byline: Vec<String>,
    /// Where the story came from: the agency or feed (`Reuters`, `AP`).
    pub source: Option<String>,
    /// The story text, paragraphs separated by blank lines.
    pub body: String,
    /// The version cluster the story belongs to, as set by the indexer
    /// (see [`archive::versions`](crate::archive::versions)); search hits
    /// report it, the stored article does not hold it.
    #[serde(skip)]
    pub cluster: Option<u64>,
    /// The near-duplicate fingerprint, for grouping versions. Derived from
    /// the text, so neither printed nor stored as JSON.
    #[serde(skip)]
    pub fingerprint: Option<Fingerprint>,
    /// Who said what: every quotation and reported statement, with its
    /// speaker, in the order of the text.
    #[serde(default)]
    pub quotes: Vec<Quote>,
}

/// One quotation: words the story attributes to someone (or to no one it
/// names).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Quote {
    /// Who said it, resolved to the story's canonical person or
    /// organisation; `None` when the story does not say or the speaker is
    /// anonymous ("a senior official").
    pub speaker: Option<Speaker>,
    /// The words the story uses for the speaker here, as written: `he`,
    /// `the envoy`, `Lavrov`, `a senior official`.
    #[serde(default)]
    pub attribution: Option<String>,
    /// The quoted words (for a quotation split around its attribution or
    /// running over paragraphs, the parts joined by a space), or the
    /// reported clause of indirect speech.
    pub text: String,
    pub kind: QuoteKind,
    /// The reporting verb as written (`said`, `warned`), if any.
    pub verb: Option<String>,
    /// Byte offsets into `body`: from the first quoted word to the last.
    pub start: usize,
    pub end: usize,
}

/// The person or organisation a quotation is attributed to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Speaker {
    /// The canonical name from `people` or `orgs`.
    pub name: String,
    pub kind: SpeakerKind,
    /// The archive-wide identity of a person, filled at query time from
    /// the identity registry; `None` in `--dump` and for organisations.
    pub id: Option<String>,
}

/// What kind of speaker a quotation has.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SpeakerKind {
    Person,
    Org,
}

/// How a quotation is given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum QuoteKind {
    /// A sentence or more in quotation marks, standing on its own or
    /// around its attribution.
    Direct,
    /// Quoted words inside the reporter's own sentence ("emphasized that
    /// Russia “isn’t holding onto Bashar Assad”").
    Partial,
    /// Reported speech without quotation marks ("Lavrov said that Moscow
    /// is ready to talk").
    Indirect,
}

impl QuoteKind {
    /// The name used in JSON and in test annotations.
    pub fn name(self) -> &'static str {
        match self {
            QuoteKind::Direct => "direct",
            QuoteKind::Partial => "partial",
            QuoteKind::Indirect => "indirect",
        }
    }
}

fn story_kind() -> String {
    crate::read::Kind::Story.name().to_string()
}

/// The place, date and agency that open a wire story.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dateline {
    /// The dateline as written, e.g. `BEIRUT, Lebanon`.
    pub text: String,
    /// The resolved place name, e.g. `Beirut`; the written form when the
    /// gazetteer does not know it.
    pub place: Option<String>,
    /// The country the place lies in, e.g. `Lebanon`.
    pub country: Option<String>,
    /// The agency named in the dateline, e.g. `AP`, `Reuters`.
    pub agency: Option<String>,
}

/// A topic with the classifier's confidence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TopicScore {
    /// Readable label, as stored in [`Article::topics`].
    pub label: String,
    /// IPTC Media Topic code, e.g. `medtop:16000000`.
    pub code: String,
    pub score: f32,
}

/// Longest title made from a lead, in characters.
const MAX_TITLE: usize = 120;

impl Article {
    /// The first paragraph of the body: the lead.
    pub fn lead(&self) -> &str {
        self.body
            .split("\n\n")
            .map(str::trim)
            .find(|p| !p.is_empty())
            .unwrap_or("")
    }

    /// The headline, or the lead's first sentence when there is none.
    pub fn display_title(&self) -> String {
        if let Some(h) = self.headline.as_deref().filter(|h| !h.trim().is_empty()) {
            return h.trim().to_string();
        }
        let lead = self.lead();
        // The first sentence, past a dateline and abbreviations like "U.N.".
        let end = lead
            .char_indices()
            .find(|&(i, c)| {
                c == '.'
                    && i > 40
                    && lead[i + 1..].chars().next().is_none_or(char::is_whitespace)
                    && !lead[..i].ends_with(|p: char| p.is_uppercase())
            })
            .map_or(lead.len(), |(i, _)| i + 1);
        let sentence = &lead[..end];
        if sentence.chars().count() <= MAX_TITLE {
            return sentence.to_string();
        }
        let cut: String = sentence.chars().take(MAX_TITLE).collect();
        let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(head, _)| head);
        format!("{cut} …")
    }
}
