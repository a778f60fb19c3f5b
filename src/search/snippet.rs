//! Query-aware passages from an article body.
//!
//! The body goes through the same analyzers as the index, with offsets,
//! so `election` highlights "elections", `zurich` highlights "Zürich", and
//! a phrase is highlighted only where its words follow each other. Passages
//! are whole sentences where they fit, chosen greedily for the query terms
//! they add that earlier passages lack.

use tantivy::tokenizer::TextAnalyzer;

use crate::index::analyzer;
use crate::index::breaks::{ends_sentence, paragraph_break};
use crate::search::query::{Analysis, Needle};

/// About how many characters all passages of a snippet take together.
pub const SNIPPET_CHARS: usize = 250;

/// Passages shown by default.
pub const DEFAULT_PASSAGES: usize = 3;

/// Between passages.
const SEPARATOR: &str = " … ";

/// A passage no shorter than this is worth adding after the first.
const MIN_PASSAGE_CHARS: usize = 50;

/// How far a whole sentence may run over the budget rather than be cut.
const SLACK_CHARS: usize = 40;

/// Passages of a body with the byte ranges to highlight.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Snippet {
    /// The passages, joined with `" … "`, whitespace collapsed.
    pub text: String,
    /// Byte ranges into `text`, sorted and non-overlapping.
    pub highlights: Vec<(usize, usize)>,
}

/// A needle with how much a match of it is worth.
#[derive(Debug, Clone)]
pub struct Weighted<'a> {
    pub needle: &'a Needle,
    /// Larger for rarer terms; a passage's worth is the sum over the
    /// needles it shows.
    pub weight: f32,
}

impl<'a> Weighted<'a> {
    /// Every needle at weight 1, for callers without an index's
    /// statistics (tests, benchmarks).
    pub fn uniform(needles: &'a [Needle]) -> Vec<Weighted<'a>> {
        needles
            .iter()
            .map(|needle| Weighted {
                needle,
                weight: 1.0,
            })
            .collect()
    }
}

/// One word of the body under both analyses.
struct Word {
    from: usize,
    to: usize,
    stemmed: String,
    plain: String,
}

/// Where a needle matches: a byte range of the body.
#[derive(Debug, Clone, Copy)]
struct Hit {
    from: usize,
    to: usize,
    needle: usize,
}

/// Builds a snippet of at most `passages` passages from `body`, or the
/// start of `lead` when no needle matches the body.
pub fn snippet(body: &str, lead: &str, needles: &[Weighted], passages: usize) -> Snippet {
    if passages == 0 {
        return lead_snippet(lead);
    }
    // A data file read as one story can run to hundreds of kilobytes;
    // analysing all of it would cost tens of milliseconds a hit, and the
    // first piece that holds a match makes as good a snippet.
    let mut start = 0;
    while start < body.len() {
        let end = piece_end(body, start);
        if let Some(s) = snippet_of(&body[start..end], needles, passages) {
            return s;
        }
        start = end;
    }
    lead_snippet(lead)
}

/// Longest piece of a body analysed at once for its snippet.
const PIECE_BYTES: usize = 32 * 1024;

/// Where the piece from `start` ends: the last line break within
/// [`PIECE_BYTES`], else a character boundary; the body's end at most.
fn piece_end(body: &str, start: usize) -> usize {
    if body.len() - start <= PIECE_BYTES {
        return body.len();
    }
    let mut cut = start + PIECE_BYTES;
    while !body.is_char_boundary(cut) {
        cut -= 1;
    }
    match body[start..cut].rfind('\n') {
        Some(nl) if nl > PIECE_BYTES / 2 => start + nl + 1,
        _ => cut,
    }
}

/// The snippet of one piece of a body, if a needle matches it.
fn snippet_of(body: &str, needles: &[Weighted], passages: usize) -> Option<Snippet> {
    let words = analyse(body, needles);
    let hits = find_hits(&words, needles);
    if hits.is_empty() {
        return None;
    }
    let sentences = sentences(body);
    let picked = pick(body, &sentences, &hits, needles, passages);
    if picked.is_empty() {
        return None;
    }
    let mut out = Snippet::default();
    for (i, &(from, to)) in picked.iter().enumerate() {
        if i > 0 {
            out.text.push_str(SEPARATOR);
        }
        let ranges = merged(
            hits.iter()
                .filter(|h| h.from >= from && h.to <= to)
                .map(|h| (h.from, h.to)),
        );
        // Mark cuts inside a sentence, so a reader knows text is missing.
        if !sentences.iter().any(|s| s.0 == from) {
            out.text.push('…');
        }
        render(body, from, to, &ranges, &mut out);
        if !sentences.iter().any(|s| s.1 == to) {
            out.text.push('…');
        }
    }
    Some(out)
}

thread_local! {
    // Built once a thread: building an analyzer costs more than running it
    // over a short story.
    static PLAIN: std::cell::RefCell<TextAnalyzer> = std::cell::RefCell::new(analyzer::plain());
}

/// The words of `body`, each under both analyses. One pass of the plain
/// analyzer; the stemmed form is the English stem of the plain one (the
/// stemmed analyzer is the plain one plus that stemmer), computed only for
/// words that could equal a stemmed needle term: a stem keeps its word's
/// first letter, so other words are left unstemmed (empty).
fn analyse(body: &str, needles: &[Weighted]) -> Vec<Word> {
    let mut heads: Vec<&[u8]> = needles
        .iter()
        .filter(|w| w.needle.analysis == Analysis::Stemmed)
        .flat_map(|w| w.needle.terms.iter().chain(&w.needle.alternatives))
        .map(|t| head(t))
        .collect();
    heads.sort_unstable();
    heads.dedup();
    let stemmer = frostem::Stemmer::new(frostem::Algorithm::English);
    PLAIN.with_borrow_mut(|plain| {
        with_offsets(plain, body)
            .into_iter()
            .map(|(from, to, plain)| {
                let stemmed = if heads.binary_search(&head(&plain)).is_ok() {
                    stemmer.stem(&plain).into_owned()
                } else {
                    String::new()
                };
                Word {
                    from,
                    to,
                    stemmed,
                    plain,
                }
            })
            .collect()
    })
}

/// The first byte of a term ("lying" stems to "lie": the second may
/// change).
fn head(term: &str) -> &[u8] {
    &term.as_bytes()[..term.len().min(1)]
}

fn with_offsets(analyzer: &mut TextAnalyzer, text: &str) -> Vec<(usize, usize, String)> {
    let mut out = Vec::new();
    let mut stream = analyzer.token_stream(text);
    while let Some(t) = stream.next() {
        out.push((t.offset_from, t.offset_to, t.text.clone()));
    }
    out
}

fn find_hits(words: &[Word], needles: &[Weighted]) -> Vec<Hit> {
    let mut hits = Vec::new();
    for (n, w) in needles.iter().enumerate() {
        let alternatives = &w.needle.alternatives;
        if !alternatives.is_empty() {
            // A wildcard's or fuzzy word's expansions: any one word.
            let mut sorted: Vec<&str> = alternatives.iter().map(String::as_str).collect();
            sorted.sort_unstable();
            for word in words {
                let form = match w.needle.analysis {
                    Analysis::Stemmed => word.stemmed.as_str(),
                    Analysis::Plain => word.plain.as_str(),
                };
                if sorted.binary_search(&form).is_ok() {
                    hits.push(Hit {
                        from: word.from,
                        to: word.to,
                        needle: n,
                    });
                }
            }
            continue;
        }
        let terms = &w.needle.terms;
        if terms.is_empty() || terms.len() > words.len() {
            continue;
        }
        for start in 0..=words.len() - terms.len() {
            let run = &words[start..start + terms.len()];
            let matches = run
                .iter()
                .zip(terms)
                .all(|(word, term)| match w.needle.analysis {
                    Analysis::Stemmed => &word.stemmed == term,
                    Analysis::Plain => &word.plain == term,
                });
            if matches {
                hits.push(Hit {
                    from: run[0].from,
                    to: run[run.len() - 1].to,
                    needle: n,
                });
            }
        }
    }
    hits.sort_by_key(|h| (h.from, h.to));
    hits
}

/// Byte spans of the sentences of `text`, trimmed, in order.
fn sentences(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut i = 0;
    while i < chars.len() {
        let (at, c) = chars[i];
        if c == '\n' && paragraph_break(text, at) {
            push_trimmed(text, start, at, &mut out);
            start = at + 1;
        } else if matches!(c, '.' | '!' | '?') && ends_sentence(text, at) {
            // Closing quotes and brackets belong to the sentence they end.
            let mut end = at + 1;
            while let Some(n) = text[end..]
                .chars()
                .next()
                .filter(|n| matches!(n, '"' | '”' | '’' | '\'' | ')'))
            {
                end += n.len_utf8();
            }
            push_trimmed(text, start, end, &mut out);
            start = end;
            while i + 1 < chars.len() && chars[i + 1].0 < end {
                i += 1;
            }
        }
        i += 1;
    }
    push_trimmed(text, start, text.len(), &mut out);
    out
}

fn push_trimmed(text: &str, from: usize, to: usize, out: &mut Vec<(usize, usize)>) {
    let piece = &text[from..to];
    let lead = piece.len() - piece.trim_start().len();
    let trail = piece.len() - piece.trim_end().len();
    if from + lead < to - trail {
        out.push((from + lead, to - trail));
    }
}

/// Chooses passages greedily: each time the sentence whose hits add the
/// most weight of needles not yet shown, then cuts it to the budget.
fn pick(
    body: &str,
    sentences: &[(usize, usize)],
    hits: &[Hit],
    needles: &[Weighted],
    passages: usize,
) -> Vec<(usize, usize)> {
    let in_sentence: Vec<Vec<Hit>> = sentences
        .iter()
        .map(|&(s, e)| {
            hits.iter()
                .filter(|h| h.from >= s && h.to <= e)
                .copied()
                .collect()
        })
        .collect();
    let mut shown = vec![false; needles.len()];
    let mut used = vec![false; sentences.len()];
    let mut budget = SNIPPET_CHARS;
    let mut out = Vec::new();
    while out.len() < passages {
        let gain = |i: usize| -> f32 {
            let mut seen = vec![false; needles.len()];
            let mut g = 0.0;
            for h in &in_sentence[i] {
                if !shown[h.needle] && !seen[h.needle] {
                    g += needles[h.needle].weight;
                    seen[h.needle] = true;
                }
                // Repeats count a little, so the densest sentence wins ties.
                g += 0.1 * needles[h.needle].weight;
            }
            g
        };
        let best = (0..sentences.len())
            .filter(|&i| !used[i] && !in_sentence[i].is_empty())
            .map(|i| (i, gain(i)))
            .fold(None::<(usize, f32)>, |best, (i, g)| match best {
                Some((_, bg)) if bg >= g => best,
                _ => Some((i, g)),
            });
        let Some((i, g)) = best else { break };
        if g <= 0.0 {
            break;
        }
        used[i] = true;
        let (s, e) = sentences[i];
        let len = body[s..e].chars().count();
        let span = if len <= budget + SLACK_CHARS {
            (s, e)
        } else {
            window(body, (s, e), &in_sentence[i], needles, budget)
        };
        for h in &in_sentence[i] {
            if h.from >= span.0 && h.to <= span.1 {
                shown[h.needle] = true;
            }
        }
        out.push(span);
        budget = budget.saturating_sub(body[span.0..span.1].chars().count());
        if budget < MIN_PASSAGE_CHARS {
            break;
        }
    }
    out
}

/// A span of about `chars` characters of the sentence `s..e`, on word
/// boundaries, starting a little before a hit: the one whose span shows
/// the most weight of distinct needles.
fn window(
    body: &str,
    (s, e): (usize, usize),
    hits: &[Hit],
    needles: &[Weighted],
    chars: usize,
) -> (usize, usize) {
    let covered = |(from, to): (usize, usize)| -> f32 {
        let mut seen = vec![false; needles.len()];
        let mut total = 0.0;
        for h in hits.iter().filter(|h| h.from >= from && h.to <= to) {
            if !seen[h.needle] {
                seen[h.needle] = true;
                total += needles[h.needle].weight;
            }
        }
        total
    };
    let mut best = (f32::MIN, (s, e));
    for h in hits {
        let span = span_before(body, (s, e), h.from, chars);
        let c = covered(span);
        if c > best.0 {
            best = (c, span);
        }
    }
    if best.0 == f32::MIN {
        span_before(body, (s, e), s, chars)
    } else {
        best.1
    }
}

/// About `chars` characters of `s..e` on word boundaries, starting a
/// fifth of that before `first` so the hit has some context.
fn span_before(body: &str, (s, e): (usize, usize), first: usize, chars: usize) -> (usize, usize) {
    let lead_in = chars / 5;
    let mut from = body[s..first]
        .char_indices()
        .rev()
        .nth(lead_in.saturating_sub(1))
        .map_or(s, |(i, _)| s + i);
    if from > s {
        // Start on a word: skip the partial word we landed in.
        if let Some(sp) = body[from..first].find(char::is_whitespace) {
            from += sp;
        }
        from += body[from..].len() - body[from..].trim_start().len();
    }
    let mut to = body[from..e]
        .char_indices()
        .nth(chars)
        .map_or(e, |(i, _)| from + i);
    if to < e {
        if let Some(sp) = body[from..to].rfind(char::is_whitespace) {
            if from + sp > first {
                to = from + sp;
            }
        }
        to = from + body[from..to].trim_end().len();
    }
    (from, to.max(from))
}

/// Sorted, overlapping ranges merged.
fn merged(ranges: impl Iterator<Item = (usize, usize)>) -> Vec<(usize, usize)> {
    let mut v: Vec<(usize, usize)> = ranges.collect();
    v.sort_unstable();
    let mut out: Vec<(usize, usize)> = Vec::new();
    for (a, b) in v {
        match out.last_mut() {
            Some(last) if a <= last.1 => last.1 = last.1.max(b),
            _ => out.push((a, b)),
        }
    }
    out
}

/// Appends `body[from..to]` with whitespace runs collapsed to one space,
/// translating the highlight ranges into `out.text`.
fn render(body: &str, from: usize, to: usize, ranges: &[(usize, usize)], out: &mut Snippet) {
    let mut pos = from;
    for &(a, b) in ranges {
        push_collapsed(&mut out.text, &body[pos..a]);
        let start = out.text.len();
        push_collapsed(&mut out.text, &body[a..b]);
        out.highlights.push((start, out.text.len()));
        pos = b;
    }
    push_collapsed(&mut out.text, &body[pos..to]);
}

fn push_collapsed(out: &mut String, s: &str) {
    let mut in_space = false;
    for c in s.chars() {
        if c.is_whitespace() {
            if !in_space {
                out.push(' ');
            }
            in_space = true;
        } else {
            out.push(c);
            in_space = false;
        }
    }
}

/// The start of the lead, cut on a word boundary.
fn lead_snippet(lead: &str) -> Snippet {
    let mut text = String::new();
    push_collapsed(&mut text, lead.trim());
    if text.chars().count() > SNIPPET_CHARS {
        let cut = text
            .char_indices()
            .nth(SNIPPET_CHARS)
            .map_or(text.len(), |(i, _)| i);
        let cut = text[..cut].rfind(' ').filter(|&i| i > 0).unwrap_or(cut);
        text.truncate(cut);
        text.push('…');
    }
    Snippet {
        text,
        highlights: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::schema::Fields;
    use crate::search::query::{compile, parse};

    fn split(text: &str) -> Vec<&str> {
        sentences(text)
            .into_iter()
            .map(|(a, b)| &text[a..b])
            .collect()
    }

    /// A snippet for `query` over `body`, every needle weighing 1.
    fn snip(query: &str, body: &str, passages: usize) -> Snippet {
        let compiled = compile(&Fields::new(), &parse(query).unwrap()).unwrap();
        snippet(
            body,
            "the lead",
            &Weighted::uniform(&compiled.needles),
            passages,
        )
    }

    fn marked(s: &Snippet) -> String {
        let mut out = String::new();
        let mut pos = 0;
        for &(a, b) in &s.highlights {
            out.push_str(&s.text[pos..a]);
            out.push('[');
            out.push_str(&s.text[a..b]);
            out.push(']');
            pos = b;
        }
        out.push_str(&s.text[pos..]);
        out
    }

    #[test]
    fn sentences_split_on_ends_not_abbreviations() {
        assert_eq!(
            split("Mr. Smith met Gen. Jones in the U.S. capital. They talked!  \"Fine,\" he said.\n\nNew paragraph"),
            [
                "Mr. Smith met Gen. Jones in the U.S. capital.",
                "They talked!",
                "\"Fine,\" he said.",
                "New paragraph"
            ]
        );
        assert_eq!(
            split("He said \"never.\" Then left."),
            ["He said \"never.\"", "Then left."]
        );
        assert_eq!(
            split("prices rose 3.5 percent. ok"),
            ["prices rose 3.5 percent. ok"]
        );
        assert!(split("  \n\n ").is_empty());
    }

    /// What [`analyse`] relies on, over every text story shipped in
    /// `corpus/`: the stemmed analyzer is the plain one plus the English
    /// stemmer, word for word, and a stem keeps its word's first byte.
    #[test]
    fn stems_are_the_plain_words_stemmed_and_keep_their_heads() {
        let stemmer = frostem::Stemmer::new(frostem::Algorithm::English);
        let (mut stemmed, mut plain) = (analyzer::stemmed(), analyzer::plain());
        let mut words = 0;
        for entry in walkdir::WalkDir::new(concat!(env!("CARGO_MANIFEST_DIR"), "/corpus")) {
            let entry = entry.unwrap();
            if entry.path().extension().is_none_or(|e| e != "txt") {
                continue;
            }
            let text = std::fs::read_to_string(entry.path()).unwrap();
            let a = with_offsets(&mut stemmed, &text);
            let b = with_offsets(&mut plain, &text);
            assert_eq!(a.len(), b.len());
            for ((_, _, s), (_, _, p)) in a.iter().zip(&b) {
                assert_eq!(*s, stemmer.stem(p), "{p}");
                assert_eq!(head(s), head(p), "{p} → {s}");
                words += 1;
            }
        }
        assert!(words > 1_000, "{words} words");
    }

    #[test]
    fn long_bodies_take_the_first_piece_with_a_match() {
        let filler = "Nothing of note happened on this line.\n".repeat(2_000);
        assert!(filler.len() > 2 * PIECE_BYTES);
        let late = format!("{filler}Wheat exports rose.\n");
        assert_eq!(marked(&snip("wheat", &late, 3)), "[Wheat] exports rose.");
        let both = format!("Coffee prices fell.\n{filler}Coffee exports rose.\n");
        assert_eq!(marked(&snip("coffee", &both, 3)), "[Coffee] prices fell.");
        assert_eq!(snip("cocoa", &both, 3).text, "the lead");
    }

    #[test]
    fn whitespace_collapses_and_offsets_follow() {
        let s = snip("oil", "Crude\n  oil   rose.", 3);
        assert_eq!(marked(&s), "Crude [oil] rose.");
    }

    #[test]
    fn best_passage_first_and_separators() {
        let body = "Oil rose. Nothing here. Gas and oil fell. Oil again.";
        let s = snip("oil gas", body, 3);
        assert_eq!(
            marked(&s),
            "[Gas] and [oil] fell. … [Oil] rose. … [Oil] again."
        );
        let s = snip("oil gas", body, 1);
        assert_eq!(marked(&s), "[Gas] and [oil] fell.");
    }

    #[test]
    fn overlapping_needles_merge() {
        let s = snip("assad \"bashar assad\"", "President Bashar Assad spoke.", 3);
        assert_eq!(marked(&s), "President [Bashar Assad] spoke.");
    }

    #[test]
    fn long_sentences_are_cut_around_hits() {
        let body = format!("{} oil {}", "word ".repeat(100), "word ".repeat(100));
        let s = snip("oil", &body, 3);
        assert!(s.text.starts_with('…') && s.text.ends_with('…'), "{s:?}");
        assert!(s.text.chars().count() <= SNIPPET_CHARS + 2, "{s:?}");
        assert_eq!(s.highlights.len(), 1);
    }

    #[test]
    fn no_match_gives_the_lead_start() {
        let s = snip("gas", "Oil rose.", 3);
        assert_eq!(s.text, "the lead");
        let long = "word ".repeat(100);
        let s = lead_snippet(&long);
        assert!(s.text.ends_with("word…") && s.text.chars().count() <= SNIPPET_CHARS + 1);
    }
}
