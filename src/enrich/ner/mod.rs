//! Named-entity recognition: PER, LOC, ORG and MISC mentions in raw text.
//!
//! Text is cut into CoNLL-style tokens and sentences ([`tokenize()`]), each
//! token is reduced to hashes and small codes ([`features::Doc`]), and two
//! greedy averaged-perceptron passes label it in IOB2 ([`decode`]). Pass 2
//! also sees pass 1's labels: those of the neighbours (so it looks right as
//! well as left) and those the same word got elsewhere in the document.
//! Finally a one-token entity follows its word's majority kind in the
//! document.
//!
//! The model (`assets/ner.model`, written by `dateline-train train`) holds
//! the hashed weights of both passes plus the word lists built from the
//! shared data at training time: first names and surnames, place names,
//! how words are usually capitalised in news, and distributional word
//! classes ([`lexicon`], [`clusters`]). It is embedded in the binary and
//! loaded once per process; its format version is checked at load.

pub mod clusters;
pub mod conll;
pub mod cv;
pub mod decode;
pub mod eval;
pub mod features;
mod hash;
pub mod labels;
pub mod lexicon;
pub mod model;
pub mod stories;
pub mod tokenize;
pub mod train;

pub use labels::Tag;
pub use model::ModelError;
pub use tokenize::{sentences, tokenize, Token};

use features::Doc;
use model::Model;
use std::ops::Range;
use std::sync::OnceLock;

/// The type of a named entity, as in CoNLL-2003.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EntityKind {
    Person,
    Location,
    Organization,
    Misc,
}

/// One entity mention in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mention {
    pub kind: EntityKind,
    /// The mention as written (tokens joined as in the text).
    pub text: String,
    /// Byte offsets of the mention in the text given to the tagger.
    pub start: usize,
    pub end: usize,
}

/// The model file embedded at build time. `dateline-train train` writes it.
static SHIPPED_MODEL: &[u8] = include_bytes!("../../../assets/ner.model");

/// A loaded tagger.
pub struct Tagger {
    model: Model,
}

/// Reusable buffers for tagging, so that a caller tagging many documents
/// allocates nothing per token once the buffers have grown.
#[derive(Default)]
pub struct Scratch {
    doc: Doc,
    statics: decode::StaticFeatures,
    feats: Vec<u64>,
    pass1: Vec<u8>,
    labels: Vec<u8>,
}

impl Tagger {
    /// The model shipped with this build, loaded once per process.
    ///
    /// # Panics
    /// If the embedded model is missing or from another format version; use
    /// [`Tagger::try_shipped`] to handle that as an error.
    pub fn shipped() -> &'static Tagger {
        match Tagger::try_shipped() {
            Ok(t) => t,
            Err(e) => panic!("cannot load the shipped NER model: {e}"),
        }
    }

    /// The model shipped with this build, or why it cannot be loaded.
    pub fn try_shipped() -> Result<&'static Tagger, &'static ModelError> {
        static TAGGER: OnceLock<Result<Tagger, ModelError>> = OnceLock::new();
        TAGGER
            .get_or_init(|| Tagger::from_bytes(SHIPPED_MODEL))
            .as_ref()
    }

    /// A tagger from model bytes.
    pub fn from_bytes(bytes: &[u8]) -> Result<Tagger, ModelError> {
        Model::from_bytes(bytes).map(Tagger::from_model)
    }

    /// A tagger from a model in memory.
    pub fn from_model(model: Model) -> Tagger {
        Tagger { model }
    }

    /// The model.
    pub fn model(&self) -> &Model {
        &self.model
    }

    /// Tags a pre-tokenised document: `tokens` flat, `sents` the sentence
    /// ranges into it. Document-level features look across all sentences.
    /// Tokens plainly outside any name are labelled O unscored (the
    /// run-time gate; see `features::TokInfo::skip`).
    pub fn tag_document<S: AsRef<str>>(&self, tokens: &[S], sents: &[Range<usize>]) -> Vec<Tag> {
        let mut scratch = Scratch::default();
        let mut out = Vec::new();
        self.tag_document_with(&mut scratch, tokens, sents, &mut out);
        out
    }

    /// [`Tagger::tag_document`] with caller-owned buffers.
    pub fn tag_document_with<S: AsRef<str>>(
        &self,
        scratch: &mut Scratch,
        tokens: &[S],
        sents: &[Range<usize>],
        out: &mut Vec<Tag>,
    ) {
        let s = scratch;
        s.doc.gate = true;
        s.doc.fill(&self.model.lexicon, tokens, sents);
        s.statics.fill(&s.doc);
        let (m, st) = (&self.model, &s.statics);
        decode::tag_with(&m.pass1, &s.doc, false, st, &mut s.feats, &mut s.pass1);
        let labels = match &m.pass2 {
            Some(w2) => {
                s.doc.set_hints(&s.pass1);
                decode::tag_with(w2, &s.doc, true, st, &mut s.feats, &mut s.labels);
                s.doc.harmonise(&mut s.labels);
                &s.labels
            }
            None => &s.pass1,
        };
        out.clear();
        out.extend(labels.iter().map(|&l| Tag::from_index(l)));
    }

    /// Every entity mention in an article's text (headline and body joined
    /// by blank lines), in order.
    pub fn mentions(&self, text: &str) -> Vec<Mention> {
        let tokens = tokenize(text);
        let sents = sentences(text, &tokens);
        let words: Vec<&str> = tokens.iter().map(|t| t.text).collect();
        thread_local! {
            // Reused across stories: a warm scratch allocates nothing.
            static SCRATCH: std::cell::RefCell<Scratch> = Default::default();
        }
        let mut tags = Vec::new();
        SCRATCH.with_borrow_mut(|scratch| {
            scratch.doc.lowercase_as_caps = true;
            self.tag_document_with(scratch, &words, &sents, &mut tags);
        });
        let mut out = Vec::new();
        for s in &sents {
            for (a, mut b, kind) in eval::spans(&tags[s.clone()]) {
                // CoNLL sometimes includes a possessive ("Boatmen 's"); the
                // pipeline wants the bare name.
                while b > a + 1 && is_possessive(tokens[s.start + b - 1].text) {
                    b -= 1;
                }
                let (start, end) = (tokens[s.start + a].start, tokens[s.start + b - 1].end);
                out.push(Mention {
                    kind,
                    text: text[start..end].to_string(),
                    start,
                    end,
                });
            }
        }
        out
    }
}

fn is_possessive(t: &str) -> bool {
    matches!(
        t,
        "'s" | "\u{2019}s" | "'S" | "\u{2019}S" | "'" | "\u{2019}"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_model_fits_its_training_data() {
        // The shipped model is trained on eng.train and eng.testa, so this
        // is a fit, not a measure of accuracy (that is `dateline-train cv`):
        // it catches a model that is not the one the recipe trains, or a
        // run-time path that has drifted from training.
        let Some(path) = crate::shared_data::require("data/conll2003/eng.testa") else {
            return;
        };
        let tagger = Tagger::shipped();
        let docs = conll::read(&path).unwrap();
        let score = cv::score(tagger, &docs);
        let f1 = score.overall().f1();
        eprintln!("eng.testa (training data) F1: overall {f1:.4}");
        assert!(f1 > 0.95, "overall F1 {f1}");
        for (k, c) in score.by_kind.iter().enumerate() {
            assert!(c.f1() > 0.9, "kind {k}: F1 {}", c.f1());
        }
    }

    /// The plain path, as training tags: a fresh document, static features
    /// computed per pass.
    fn reference_labels<S: AsRef<str>>(
        tagger: &Tagger,
        tokens: &[S],
        sents: &[Range<usize>],
        lowercase_as_caps: bool,
    ) -> (Doc, Vec<u8>) {
        let m = tagger.model();
        let mut doc = Doc::default();
        doc.lowercase_as_caps = lowercase_as_caps;
        doc.gate = true;
        doc.fill(&m.lexicon, tokens, sents);
        let (mut feats, mut pass1, mut labels) = (Vec::new(), Vec::new(), Vec::new());
        decode::tag(&m.pass1, &doc, false, &mut feats, &mut pass1);
        let Some(w2) = &m.pass2 else {
            return (doc, pass1);
        };
        doc.set_hints(&pass1);
        decode::tag(w2, &doc, true, &mut feats, &mut labels);
        doc.harmonise(&mut labels);
        (doc, labels)
    }

    /// Tags documents through one reused scratch, as `mentions` does, and
    /// checks each against [`reference_labels`]: same token facts, same
    /// labels.
    fn check_against_reference(docs: &[(Vec<&str>, Vec<Range<usize>>)], lowercase_as_caps: bool) {
        let tagger = Tagger::shipped();
        let mut scratch = Scratch::default();
        let mut out = Vec::new();
        let (mut tokens, mut scored) = (0, 0);
        for (n, (words, sents)) in docs.iter().enumerate() {
            scratch.doc.lowercase_as_caps = lowercase_as_caps;
            tagger.tag_document_with(&mut scratch, words, sents, &mut out);
            let (doc, want) = reference_labels(tagger, words, sents, lowercase_as_caps);
            assert!(
                doc.toks == scratch.doc.toks,
                "document {n}: token facts differ"
            );
            let got: Vec<u8> = out.iter().map(|t| t.index()).collect();
            assert_eq!(got, want, "document {n}: labels differ");
            tokens += words.len();
            scored += doc.toks.iter().filter(|t| !t.skip).count();
        }
        eprintln!(
            "{} documents, {tokens} tokens ({scored} scored)",
            docs.len()
        );
        assert!(scored > 0);
    }

    #[test]
    fn run_time_path_tags_reuters_like_the_plain_path() {
        let Some(dir) = crate::shared_data::require("data/reuters21578") else {
            return;
        };
        let mut texts = Vec::new();
        for f in ["reut2-000.sgm", "reut2-001.sgm"] {
            let read = crate::read::read_file(&dir.join(f), f, &Default::default());
            texts.extend(read.stories.iter().map(crate::bench::tagger_text));
        }
        assert!(texts.len() >= 2000, "{} stories", texts.len());
        let docs: Vec<_> = texts
            .iter()
            .map(|text| {
                let tokens = tokenize(text);
                let sents = sentences(text, &tokens);
                (tokens.iter().map(|t| t.text).collect(), sents)
            })
            .collect();
        check_against_reference(&docs, true);
    }

    #[test]
    fn run_time_path_tags_conll_like_the_plain_path() {
        let Some(path) = crate::shared_data::require("data/conll2003/eng.testa") else {
            return;
        };
        let conll = conll::read(&path).unwrap();
        let docs: Vec<_> = conll
            .iter()
            .map(|d| {
                (
                    d.tokens.iter().map(String::as_str).collect(),
                    d.sents.clone(),
                )
            })
            .collect();
        check_against_reference(&docs, false);
    }

    #[test]
    fn empty_and_odd_inputs() {
        let t = Tagger::shipped();
        assert!(t.mentions("").is_empty());
        assert!(t.mentions("  \n\n \t").is_empty());
        assert!(t
            .mentions("\u{2014}\u{2014} \u{201C}\u{201D} ...")
            .is_empty());
        assert!(t.tag_document::<&str>(&[], &[]).is_empty());
    }

    #[test]
    fn headline_in_capitals_then_body() {
        let text = "PUTIN MEETS MERKEL IN BERLIN\n\nBERLIN \u{2014} Russian President Vladimir Putin met German Chancellor Angela Merkel in Berlin on Friday.";
        let m = Tagger::shipped().mentions(text);
        let found = |s: &str, k: EntityKind| m.iter().any(|x| x.text == s && x.kind == k);
        assert!(found("Vladimir Putin", EntityKind::Person), "{m:?}");
        assert!(found("Angela Merkel", EntityKind::Person), "{m:?}");
        assert!(found("Berlin", EntityKind::Location), "{m:?}");
    }

    #[test]
    fn mentions_are_slices_without_possessives() {
        let text = "MOSCOW \u{2014} Russia\u{2019}s foreign minister met Lakhdar Brahimi, the U.N.\u{2019}s envoy.";
        let m = Tagger::shipped().mentions(text);
        for x in &m {
            assert_eq!(&text[x.start..x.end], x.text);
            assert!(!x.text.contains('\u{2019}'), "possessive kept: {x:?}");
        }
        let names: Vec<&str> = m.iter().map(|x| x.text.as_str()).collect();
        assert!(names.contains(&"Russia"), "{names:?}");
        assert!(names.contains(&"Lakhdar Brahimi"), "{names:?}");
    }
}
