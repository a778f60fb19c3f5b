//! Reuters-21578 SGML: many `<REUTERS>` stories a file.
//!
//! The markup is simple and regular, but not XML (numeric references to
//! control characters, a DOCTYPE without a DTD to hand), so it is scanned
//! directly. The collection's codes (TOPICS, PLACES, PEOPLE, ORGS,
//! EXCHANGES) are kept as namespaced source codes.

use crate::read::{clean, date, join_paragraphs, shape, FileStories, Kind, Problem, RawStory};

/// Reads every story of an SGML file.
pub fn read(text: &str, path: &str) -> FileStories {
    let mut out = FileStories::default();
    let mut pos = 0;
    let mut n = 0;
    // Lines are counted as the scan moves on, not from the start for each
    // story, and the next `</REUTERS>` is remembered while records that
    // lost their end are skipped: otherwise a file of many small (or
    // unclosed) records takes quadratic time, minutes for a few MB
    // (found by tests/hostile.rs).
    let mut line = 1;
    let mut counted = 0;
    let mut close: Option<usize> = None;
    while let Some(found) = text[pos..].find("<REUTERS") {
        let start = pos + found;
        line += text[counted..start].bytes().filter(|&b| b == b'\n').count();
        counted = start;
        n += 1;
        let end = match close {
            Some(c) if c > start => c,
            _ => match text[start..].find("</REUTERS>") {
                Some(len) => start + len,
                None => {
                    out.problems.push(Problem {
                        path: path.to_string(),
                        line: Some(line),
                        message: "story not closed by </REUTERS> (truncated file?), skipped".into(),
                    });
                    break;
                }
            },
        };
        close = Some(end);
        let record = &text[start..end];
        // A second opening tag inside means this record lost its end.
        if let Some(inner) = record[8..].find("<REUTERS") {
            out.problems.push(Problem {
                path: path.to_string(),
                line: Some(line),
                message: "story not closed before the next <REUTERS>, skipped".into(),
            });
            pos = start + 8 + inner;
            continue;
        }
        pos = end + "</REUTERS>".len();
        match story(record, &format!("{path}#{n}"), line) {
            Some(s) => out.stories.push(s),
            None => out.problems.push(Problem {
                path: path.to_string(),
                line: Some(line),
                message: "story without title or text, skipped".into(),
            }),
        }
    }
    if n == 0 {
        out.problems.push(Problem {
            path: path.to_string(),
            line: None,
            message: "no <REUTERS> story in this SGML file".into(),
        });
        out.skipped = true;
    }
    out
}

fn story(record: &str, path: &str, line: usize) -> Option<RawStory> {
    let open_tag_end = record.find('>')?;
    let attrs = &record[..open_tag_end];
    let mut s = RawStory {
        id: attr(attrs, "NEWID").map(|id| format!("reuters21578-{id}")),
        path: path.to_string(),
        line: Some(line),
        source: Some("Reuters".into()),
        ..RawStory::default()
    };
    s.date = element(record, "DATE").and_then(|d| date::normalize(&decode(d)));
    for (tag, namespace) in [
        ("TOPICS", "reuters"),
        ("PLACES", "reuters-places"),
        ("PEOPLE", "reuters-people"),
        ("ORGS", "reuters-orgs"),
        ("EXCHANGES", "reuters-exchanges"),
    ] {
        if let Some(list) = element(record, tag) {
            s.codes.extend(
                elements(list, "D").map(|code| format!("{namespace}:{}", decode(code).trim())),
            );
        }
    }
    let text = element(record, "TEXT").unwrap_or("");
    s.headline = element(text, "TITLE").and_then(|t| clean(&decode(t)));
    s.dateline =
        element(text, "DATELINE").and_then(|d| clean(decode(d).trim_end_matches([' ', '-'])));
    let body = match element(text, "BODY") {
        Some(b) => b,
        // UNPROC stories have their text directly in TEXT.
        None if !text.contains("<TITLE>") => text,
        None => "",
    };
    let body = decode(body);
    s.kind = shape::describe(body.lines());
    s.body = paragraphs(&body);
    if s.body.is_empty() {
        s.kind = Kind::Brief;
        // BRIEF stories are a title only: that is their text. A record with
        // neither is still a numbered story of the collection: kept, empty.
        s.body = s.headline.clone().unwrap_or_default();
        if s.body.is_empty() && s.id.is_none() {
            return None;
        }
    }
    Some(s)
}

/// Reuters bodies wrap lines at 70 columns and indent new paragraphs; the
/// sign-off `Reuter` closes the story.
fn paragraphs(body: &str) -> String {
    let mut paras: Vec<String> = Vec::new();
    for raw in body.lines() {
        if raw.trim().is_empty() {
            paras.push(String::new());
            continue;
        }
        let starts_para = raw.starts_with("    ") || raw.starts_with('\t') || paras.is_empty();
        if starts_para || paras.last().is_some_and(String::is_empty) {
            paras.push(raw.trim().to_string());
        } else if let Some(last) = paras.last_mut() {
            last.push(' ');
            last.push_str(raw.trim());
        }
    }
    while paras.last().is_some_and(|p| p.trim().is_empty()) {
        paras.pop();
    }
    if let Some(last) = paras.last_mut() {
        for sign_off in ["Reuter", "REUTER", "Reuters"] {
            if let Some(rest) = last.trim_end().strip_suffix(sign_off) {
                if rest.is_empty() || rest.ends_with(char::is_whitespace) {
                    *last = rest.trim_end().to_string();
                    break;
                }
            }
        }
    }
    join_paragraphs(paras.iter().map(String::as_str))
}

/// The content of the first `<TAG>…</TAG>` (or `<TAG attr>…`) in `s`.
fn element<'a>(s: &'a str, tag: &'a str) -> Option<&'a str> {
    elements(s, tag).next()
}

fn elements<'a>(s: &'a str, tag: &'a str) -> impl Iterator<Item = &'a str> + 'a {
    let close = ["</", tag, ">"].concat();
    let mut pos = 0;
    std::iter::from_fn(move || loop {
        // Tags sit a few bytes apart in a record's head: a plain scan
        // beats setting up memchr for each short hop.
        let found = s.as_bytes()[pos..].iter().position(|&b| b == b'<')? + pos;
        let rest = &s[found + 1..];
        pos = found + 1;
        if !rest.starts_with(tag) {
            continue;
        }
        let after = &rest[tag.len()..];
        if !after.starts_with(['>', ' ']) {
            continue;
        }
        let content_start = found + 1 + tag.len() + after.find('>')? + 1;
        let end = s[content_start..].find(&close)? + content_start;
        pos = end + close.len();
        return Some(&s[content_start..end]);
    })
}

fn attr<'a>(attrs: &'a str, name: &str) -> Option<&'a str> {
    let i = attrs.find(&format!("{name}=\""))? + name.len() + 2;
    let end = attrs[i..].find('"')? + i;
    Some(&attrs[i..end])
}

/// Decodes SGML character references; references to control characters
/// become nothing (they are transmission codes, not text).
pub fn decode(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        // References are short: look for the `;` in the next 12 bytes only,
        // counted in bytes but cut on a char boundary (`&` before multi-byte
        // text panicked here, killing the run; found by tests/hostile.rs).
        let mut window = rest.len().min(12);
        while !rest.is_char_boundary(window) {
            window -= 1;
        }
        let semi = rest[..window].find(';');
        let Some(semi) = semi else {
            out.push('&');
            rest = &rest[1..];
            continue;
        };
        let name = &rest[1..semi];
        let ch = match name {
            "lt" => Some('<'),
            "gt" => Some('>'),
            "amp" => Some('&'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            _ => name
                .strip_prefix('#')
                .and_then(|n| n.parse::<u32>().ok())
                .map(|n| {
                    char::from_u32(n)
                        .filter(|c| !c.is_control())
                        .unwrap_or('\0')
                }),
        };
        match ch {
            Some('\0') => {}
            Some(c) => out.push(c),
            None => out.push_str(&rest[..=semi]),
        }
        rest = &rest[semi + 1..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const TWO: &str = "<!DOCTYPE lewis SYSTEM \"lewis.dtd\">\n<REUTERS TOPICS=\"YES\" NEWID=\"7\">\n<DATE>26-FEB-1987 15:01:01.79</DATE>\n<TOPICS><D>cocoa</D></TOPICS>\n<PLACES><D>el-salvador</D><D>usa</D></PLACES>\n<PEOPLE></PEOPLE>\n<TEXT>&#2;\n<TITLE>BAHIA COCOA &lt;REVIEW></TITLE>\n<DATELINE>    SALVADOR, Feb 26 - </DATELINE><BODY>Showers continued in\nthe Bahia zone.\n    Arrivals were 155 bags &amp; more.\n Reuter\n&#3;</BODY></TEXT>\n</REUTERS>\n<REUTERS NEWID=\"8\">\n<DATE>26-FEB-1987 15:02:20.00</DATE>\n<TEXT TYPE=\"BRIEF\">&#2;\n******<TITLE>SHORT ONE</TITLE>\n&#3;\n</TEXT>\n</REUTERS>\n";

    #[test]
    fn references_before_multibyte_text_do_not_panic() {
        assert_eq!(decode("&éééééé"), "&éééééé");
        assert_eq!(decode("a &amp; é&#233;"), "a & éé");
    }

    #[test]
    fn stories_fields_and_codes() {
        let out = read(TWO, "r.sgm");
        assert!(out.problems.is_empty(), "{:?}", out.problems);
        let s = &out.stories[0];
        assert_eq!(s.id.as_deref(), Some("reuters21578-7"));
        assert_eq!(s.path, "r.sgm#1");
        assert_eq!(s.line, Some(2));
        assert_eq!(s.date.as_deref(), Some("1987-02-26T15:01:01Z"));
        assert_eq!(s.headline.as_deref(), Some("BAHIA COCOA <REVIEW>"));
        assert_eq!(s.dateline.as_deref(), Some("SALVADOR, Feb 26"));
        assert_eq!(
            s.body,
            "Showers continued in the Bahia zone.\n\nArrivals were 155 bags & more."
        );
        assert_eq!(
            s.codes,
            [
                "reuters:cocoa",
                "reuters-places:el-salvador",
                "reuters-places:usa"
            ]
        );
        assert_eq!(out.stories[1].body, "SHORT ONE");
    }

    #[test]
    fn truncated_and_garbage_sgml_is_reported() {
        let cut = &TWO[..TWO.len() - 60];
        let out = read(cut, "r.sgm");
        assert_eq!(out.stories.len(), 1);
        assert_eq!(out.problems[0].line, Some(15));
        let out = read("<REUTERS <<<>>> &#99999999; &#x;", "g.sgm");
        assert!(out.stories.is_empty() && !out.problems.is_empty());
        let out = read(
            "<REUTERS NEWID=\"1\"><REUTERS NEWID=\"2\"><TEXT><BODY>x</BODY></TEXT></REUTERS>",
            "h.sgm",
        );
        assert_eq!(out.stories.len(), 1);
        assert_eq!(out.problems.len(), 1);
    }

    #[test]
    fn references_decode() {
        assert_eq!(
            decode("a &lt;b&gt; &amp; &#3;c &#252; &bogus; &"),
            "a <b> & c ü &bogus; &"
        );
    }
}
