//! Reading archives: files in the shapes wire archives come in, to
//! [`RawStory`] records.
//!
//! A reader knows its format and nothing of enrichment or indexing. Format
//! is chosen by extension and confirmed or overridden by sniffing the
//! content; `.gz` files are decompressed first (with a size cap).

pub mod date;
pub mod decode;
pub mod json;
pub mod nitf;
pub mod sgml;
pub mod shape;
pub mod text;
pub mod walk;

use std::fmt;
use std::path::Path;

pub use shape::Kind;

/// A story as a reader found it, before enrichment.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RawStory {
    /// The source's own id, when it gives one.
    pub id: Option<String>,
    /// The file, with `#N` for the Nth story of a multi-story file.
    pub path: String,
    pub format: Format,
    pub headline: Option<String>,
    /// The date as the source gives it (normalised by the reader to
    /// RFC 3339 where it can).
    pub date: Option<String>,
    /// A dateline the markup gives separately from the body.
    pub dateline: Option<String>,
    pub byline: Vec<String>,
    /// Paragraphs separated by blank lines.
    pub body: String,
    /// The agency or feed, when the source says.
    pub source: Option<String>,
    /// Codes the source gives, namespaced: `reuters:crude`,
    /// `reuters-places:usa`, `subject:politics`.
    pub codes: Vec<String>,
    /// The line the story starts on, for messages about it.
    pub line: Option<usize>,
    /// The body's shape, judged from its lines as the source laid them out.
    pub kind: Kind,
}

/// The formats Dateline reads.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Format {
    #[default]
    Text,
    Json,
    JsonLines,
    Sgml,
    Nitf,
}

impl Format {
    /// The name stored with each article.
    pub fn name(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Json => "json",
            Format::JsonLines => "jsonl",
            Format::Sgml => "sgml",
            Format::Nitf => "nitf",
        }
    }

    /// The format an extension suggests (after any `.gz` is removed).
    pub fn from_extension(ext: &str) -> Option<Format> {
        Some(match ext.to_ascii_lowercase().as_str() {
            "txt" | "text" | "" => Format::Text,
            "json" => Format::Json,
            "jsonl" | "ndjson" => Format::JsonLines,
            "sgm" | "sgml" => Format::Sgml,
            "xml" | "nitf" => Format::Nitf,
            _ => return None,
        })
    }

    /// The format the content itself shows, where it is unmistakable.
    pub fn sniff(text: &str) -> Option<Format> {
        let head = text.trim_start_matches('\u{feff}').trim_start();
        let start: String = head.chars().take(2000).collect();
        if start.contains("<REUTERS") {
            return Some(Format::Sgml);
        }
        if start.contains("<nitf") {
            return Some(Format::Nitf);
        }
        if head.starts_with('[') {
            return Some(Format::Json);
        }
        if head.starts_with('{') {
            // One object per line (a one-line object is both), or one
            // object over many lines.
            let first = head.lines().next().unwrap_or("");
            let one_line = head.lines().filter(|l| !l.trim().is_empty()).count() == 1;
            return Some(if one_line || first.trim_end().ends_with('}') {
                Format::JsonLines
            } else {
                Format::Json
            });
        }
        None
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Limits that keep a hostile archive from exhausting memory.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Largest file read (after decompression), in bytes.
    pub max_file_bytes: u64,
    /// Largest story body kept, in bytes; longer ones are cut and reported.
    pub max_story_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_file_bytes: 256 << 20,
            max_story_bytes: 1 << 20,
        }
    }
}

/// Something wrong with (part of) a file, reported as `PATH[:LINE]: reason`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub path: String,
    pub line: Option<usize>,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{}: {}", self.path, line, self.message),
            None => write!(f, "{}: {}", self.path, self.message),
        }
    }
}

/// What a file gave: its stories and any problems met on the way. A file
/// with problems may still have good stories.
#[derive(Debug, Default)]
pub struct FileStories {
    pub stories: Vec<RawStory>,
    pub problems: Vec<Problem>,
    /// The whole file was unusable (binary, empty, unreadable).
    pub skipped: bool,
}

impl FileStories {
    fn skip(path: &str, message: impl Into<String>) -> FileStories {
        FileStories {
            stories: Vec::new(),
            problems: vec![Problem {
                path: path.to_string(),
                line: None,
                message: message.into(),
            }],
            skipped: true,
        }
    }
}

/// Reads one file into stories. `display` is the path as reported and
/// stored. Never panics on any content.
pub fn read_file(path: &Path, display: &str, limits: &Limits) -> FileStories {
    let bytes = match decode::read_bytes(path, limits) {
        Ok(b) => b,
        Err(e) => return FileStories::skip(display, e.to_string()),
    };
    let mut out = read_bytes(&bytes.data, &bytes.inner_name, display, limits);
    if let Some(message) = bytes.problem {
        out.problems.push(Problem {
            path: display.to_string(),
            line: None,
            message,
        });
    }
    out
}

/// Reads stories from a file's bytes; `name` (the file name without `.gz`)
/// suggests the format.
pub fn read_bytes(data: &[u8], name: &str, display: &str, limits: &Limits) -> FileStories {
    if data.iter().all(u8::is_ascii_whitespace) {
        return FileStories::skip(display, "empty file, skipped");
    }
    if decode::looks_binary(data) {
        return FileStories::skip(display, "binary file, skipped");
    }
    let decoded = decode::to_text(data);
    let mut problems = Vec::new();
    if let Some(note) = decoded.note {
        problems.push(Problem {
            path: display.to_string(),
            line: None,
            message: note,
        });
    }
    let text = decoded.text;
    let ext = Path::new(name)
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("");
    let format = Format::sniff(&text)
        .or_else(|| Format::from_extension(ext))
        .unwrap_or(Format::Text);
    let mut out = match format {
        Format::Text => text::read(&text, display),
        Format::Json | Format::JsonLines => json::read(&text, display, format),
        Format::Sgml => sgml::read(&text, display),
        Format::Nitf => nitf::read(&text, display),
    };
    problems.append(&mut out.problems);
    out.problems = problems;
    for story in &mut out.stories {
        story.format = format;
        cap_story(story, limits, &mut out.problems);
    }
    out
}

fn cap_story(story: &mut RawStory, limits: &Limits, problems: &mut Vec<Problem>) {
    if story.body.len() > limits.max_story_bytes {
        let mut cut = limits.max_story_bytes;
        while !story.body.is_char_boundary(cut) {
            cut -= 1;
        }
        story.body.truncate(cut);
        problems.push(Problem {
            path: story.path.clone(),
            line: story.line,
            message: format!(
                "story longer than the {} byte limit (--max-story-bytes): cut",
                limits.max_story_bytes
            ),
        });
    }
}

/// Joins paragraphs into a body: trimmed, inner whitespace folded, empty
/// ones dropped, separated by blank lines.
pub fn join_paragraphs<'a>(paragraphs: impl IntoIterator<Item = &'a str>) -> String {
    let mut body = String::new();
    for p in paragraphs {
        let before = body.len();
        if !body.is_empty() {
            body.push_str("\n\n");
        }
        let start = body.len();
        fold_whitespace_into(&mut body, p);
        if body.len() == start {
            body.truncate(before);
        }
    }
    body
}

/// Collapses runs of whitespace (and control characters) to single spaces.
pub fn fold_whitespace(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    fold_whitespace_into(&mut out, s);
    out
}

/// [`fold_whitespace`], appending to `out`. Every byte of every story
/// passes here: ASCII is classified without decoding, and words are
/// copied whole.
fn fold_whitespace_into(out: &mut String, s: &str) {
    let b = s.as_bytes();
    let mut first = true;
    let mut i = 0;
    while i < b.len() {
        let (gap, len) = gap_at(s, i);
        i += len;
        if gap {
            continue;
        }
        // A word, up to the next gap; printable ASCII needs no decoding.
        let start = i - len;
        while i < b.len() {
            if (b'!'..=b'~').contains(&b[i]) {
                i += 1;
                continue;
            }
            let (gap, len) = gap_at(s, i);
            if gap {
                break;
            }
            i += len;
        }
        if !first {
            out.push(' ');
        }
        out.push_str(&s[start..i]);
        first = false;
    }
}

/// Whether the char at byte `i` of `s` separates words (whitespace or a
/// control character), and its length.
fn gap_at(s: &str, i: usize) -> (bool, usize) {
    let b = s.as_bytes()[i];
    if b < 0x80 {
        // ASCII whitespace is all at or below the space; controls are
        // below it, and DEL.
        return (b <= b' ' || b == 0x7f, 1);
    }
    let c = s[i..].chars().next().unwrap_or_default();
    (c.is_whitespace() || c.is_control(), c.len_utf8())
}

/// A non-empty, trimmed, whitespace-folded value.
pub fn clean(s: &str) -> Option<String> {
    let f = fold_whitespace(s);
    (!f.is_empty()).then_some(f)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_are_sniffed_before_extensions() {
        assert_eq!(
            Format::sniff("<!DOCTYPE lewis>\n<REUTERS NEWID=\"1\">"),
            Some(Format::Sgml)
        );
        assert_eq!(
            Format::sniff("<?xml version=\"1.0\"?><nitf>"),
            Some(Format::Nitf)
        );
        assert_eq!(Format::sniff("[{\"a\":1}]"), Some(Format::Json));
        assert_eq!(
            Format::sniff("{\"a\":1}\n{\"a\":2}\n"),
            Some(Format::JsonLines)
        );
        assert_eq!(Format::sniff("{\n \"a\": 1\n}\n"), Some(Format::Json));
        assert_eq!(Format::sniff("MOSCOW (AP) — Text"), None);
    }

    #[test]
    fn empty_and_binary_files_are_skipped_and_named() {
        let l = Limits::default();
        let out = read_bytes(b"  \n\t\n", "a.txt", "a.txt", &l);
        assert!(out.skipped && out.problems[0].to_string().starts_with("a.txt: empty"));
        let out = read_bytes(b"\0\0\0\x01\x02binary", "b.txt", "b.txt", &l);
        assert!(out.skipped && out.problems[0].message.contains("binary"));
    }

    #[test]
    fn long_stories_are_cut_on_a_char_boundary_and_reported() {
        let l = Limits {
            max_story_bytes: 10,
            ..Limits::default()
        };
        let out = read_bytes("Headline\n\nééééééééééé".as_bytes(), "a.txt", "a.txt", &l);
        assert!(out.stories[0].body.len() <= 10);
        assert!(out.problems.iter().any(|p| p.message.contains("cut")));
    }

    /// Whitespace folding as first written, to check the byte scan against.
    fn fold_reference(s: &str) -> String {
        let words: Vec<&str> = s
            .split(|c: char| c.is_whitespace() || c.is_control())
            .filter(|w| !w.is_empty())
            .collect();
        words.join(" ")
    }

    #[test]
    fn whitespace_folds_like_the_reference() {
        for s in [
            "",
            " ",
            "a",
            "  a \t\n b\r\n\x0bc\x7fd\x00e ",
            "x\u{a0}y\u{85}z\u{2028}w\u{3000}v\u{9f}u é\u{200b}ü",
        ] {
            assert_eq!(fold_whitespace(s), fold_reference(s), "{s:?}");
        }
        assert_eq!(
            join_paragraphs([" a  b ", "\t", "", "c\u{a0}", " "]),
            "a b\n\nc"
        );
    }

    proptest::proptest! {
        #[test]
        fn whitespace_folds_like_the_reference_on_any_text(s in "(?s)(.|[ \t\n\r\x0b\x7f\u{a0}\u{85}]|[a-z]{1,5})*") {
            proptest::prop_assert_eq!(fold_whitespace(&s), fold_reference(&s));
            let paras: Vec<&str> = s.split('\n').collect();
            let joined: Vec<String> = paras.iter().map(|p| fold_reference(p)).filter(|p| !p.is_empty()).collect();
            proptest::prop_assert_eq!(join_paragraphs(paras.iter().copied()), joined.join("\n\n"));
        }
    }
}
