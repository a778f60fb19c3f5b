//! Reading CoNLL-2003 files (`word POS chunk NE`, IOB1, `-DOCSTART-`).

use super::labels::{iob1_to_iob2, Tag};
use anyhow::{bail, Context, Result};
use std::ops::Range;
use std::path::Path;

/// One document: flat tokens, sentence ranges and gold labels (IOB2
/// indices).
#[derive(Debug, Default, Clone)]
pub struct Document {
    pub tokens: Vec<String>,
    pub sents: Vec<Range<usize>>,
    pub gold: Vec<u8>,
}

/// Reads a CoNLL-2003 file.
pub fn read(path: &Path) -> Result<Vec<Document>> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    parse(&text).with_context(|| format!("parsing {}", path.display()))
}

/// Parses CoNLL-2003 text. Files without `-DOCSTART-` lines become one
/// document.
pub fn parse(text: &str) -> Result<Vec<Document>> {
    let mut docs = Vec::new();
    let mut doc = Document::default();
    let mut sent: Vec<Tag> = Vec::new();
    let mut sent_start = 0;
    let close_sentence = |doc: &mut Document, sent: &mut Vec<Tag>, sent_start: &mut usize| {
        if !sent.is_empty() {
            iob1_to_iob2(sent);
            doc.gold.extend(sent.iter().map(|t| t.index()));
            doc.sents.push(*sent_start..doc.tokens.len());
            sent.clear();
        }
        *sent_start = doc.tokens.len();
    };
    for (n, line) in text.lines().enumerate() {
        let line = line.trim_end();
        if line.is_empty() {
            close_sentence(&mut doc, &mut sent, &mut sent_start);
            continue;
        }
        let fields: Vec<&str> = line.split(' ').collect();
        if fields[0] == "-DOCSTART-" {
            close_sentence(&mut doc, &mut sent, &mut sent_start);
            if !doc.tokens.is_empty() {
                docs.push(std::mem::take(&mut doc));
            }
            sent_start = 0;
            continue;
        }
        let (Some(word), Some(tag)) = (fields.first(), fields.last()) else {
            bail!("line {}: expected `word ... tag`", n + 1);
        };
        let Some(tag) = Tag::parse(tag).filter(|_| fields.len() >= 2) else {
            bail!("line {}: bad tag in {line:?}", n + 1);
        };
        doc.tokens.push(word.to_string());
        sent.push(tag);
    }
    close_sentence(&mut doc, &mut sent, &mut sent_start);
    if !doc.tokens.is_empty() {
        docs.push(doc);
    }
    Ok(docs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_documents_and_converts_iob1() {
        let text = "-DOCSTART- -X- O O\n\nEU NNP I-NP I-ORG\nrejects VBZ I-VP O\n\nPeter NNP I-NP I-PER\nBlackburn NNP I-NP I-PER\n\n-DOCSTART- -X- O O\n\nA DT O I-PER\nB NNP O B-PER\n";
        let docs = parse(text).unwrap();
        assert_eq!(docs.len(), 2);
        assert_eq!(docs[0].sents, vec![0..2, 2..4]);
        let tags: Vec<String> = docs[0]
            .gold
            .iter()
            .map(|&i| Tag::from_index(i).conll())
            .collect();
        assert_eq!(tags, ["B-ORG", "O", "B-PER", "I-PER"]);
        let tags: Vec<String> = docs[1]
            .gold
            .iter()
            .map(|&i| Tag::from_index(i).conll())
            .collect();
        assert_eq!(tags, ["B-PER", "B-PER"]);
    }
}
