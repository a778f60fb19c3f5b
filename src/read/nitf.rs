//! NITF XML stories (News Industry Text Format).
//!
//! Reads the headline (`hedline/hl1`, else `head/title`), byline, dateline,
//! date (`date.issue@norm`, `pubdata@date.publication`, `story.date@norm`),
//! the paragraphs of `body.content`, and subjects and keywords as codes.

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

use crate::read::{
    clean, date, join_paragraphs, shape, text::split_names, FileStories, Kind, Problem, RawStory,
};

/// Reads one NITF document.
pub fn read(text: &str, path: &str) -> FileStories {
    let mut out = FileStories::default();
    let mut s = RawStory {
        path: path.to_string(),
        line: Some(1),
        ..RawStory::default()
    };
    let mut reader = Reader::from_str(text);
    let mut stack: Vec<String> = Vec::new();
    let mut parts = Parts::default();
    let mut raw_dates: Vec<String> = Vec::new();
    let mut error = None;

    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) => {
                let name = String::from_utf8_lossy(e.name().as_ref()).to_lowercase();
                attributes(&e, &name, &mut s, &mut raw_dates);
                if name == "p" && within(&stack, "body.content") {
                    parts.paragraphs.push(String::new());
                }
                // Bound the depth: hostile files nest without end.
                if stack.len() > 256 {
                    error = Some((
                        reader.buffer_position(),
                        "elements nested too deep".to_string(),
                    ));
                    break;
                }
                stack.push(name);
            }
            Ok(Event::Empty(e)) => {
                let name = String::from_utf8_lossy(e.name().as_ref()).to_lowercase();
                attributes(&e, &name, &mut s, &mut raw_dates);
            }
            Ok(Event::End(_)) => {
                stack.pop();
            }
            Ok(Event::Text(t)) => {
                let raw = String::from_utf8_lossy(t.as_ref()).into_owned();
                let value = quick_xml::escape::unescape(&raw)
                    .map(|c| c.into_owned())
                    .unwrap_or(raw);
                parts.add_text(&stack, &value);
            }
            Ok(Event::CData(t)) => {
                let value = String::from_utf8_lossy(t.as_ref()).into_owned();
                parts.add_text(&stack, &value);
            }
            Ok(Event::Eof) => break,
            Ok(_) => {}
            Err(e) => {
                error = Some((reader.error_position(), e.to_string()));
                break;
            }
        }
    }
    if error.is_none() && !stack.is_empty() {
        error = Some((
            text.len() as u64,
            format!("unclosed element <{}>", stack.last().unwrap()),
        ));
    }
    if let Some((offset, message)) = error {
        let offset = (offset as usize).min(text.len());
        let line = 1 + text.as_bytes()[..offset]
            .iter()
            .filter(|&&b| b == b'\n')
            .count();
        out.problems.push(Problem {
            path: path.to_string(),
            line: Some(line),
            message: format!("malformed XML: {message} (text before it kept)"),
        });
    }

    s.headline = clean(&parts.hl1).or(parts.title.and_then(|t| clean(&t)));
    s.byline = split_names(&parts.byline);
    s.dateline = clean(parts.dateline.trim_end_matches([' ', '-', '—', ',']));
    s.date = raw_dates.iter().find_map(|d| date::normalize(d));
    s.kind = shape::describe(parts.paragraphs.iter().flat_map(|p| p.lines()));
    s.body = join_paragraphs(parts.paragraphs.iter().map(String::as_str));
    if s.body.is_empty() {
        // A headline alone is a bulletin: its text is the headline.
        s.body = s.headline.clone().unwrap_or_default();
        s.kind = Kind::Brief;
    }
    if s.body.is_empty() {
        out.problems.push(Problem {
            path: path.to_string(),
            line: None,
            message: "no headline and no body.content paragraphs, skipped".into(),
        });
        out.skipped = true;
    } else {
        out.stories.push(s);
    }
    out
}

fn within(stack: &[String], name: &str) -> bool {
    stack.iter().any(|n| n == name)
}

/// The text parts of a document, gathered as the parser meets them.
#[derive(Default)]
struct Parts {
    paragraphs: Vec<String>,
    title: Option<String>,
    hl1: String,
    byline: String,
    dateline: String,
}

impl Parts {
    /// Adds text found inside the elements of `stack` to the part it belongs to.
    fn add_text(&mut self, stack: &[String], value: &str) {
        let current = stack.last().map(String::as_str).unwrap_or("");
        if within(stack, "body.content") {
            if let Some(p) = self.paragraphs.last_mut() {
                p.push_str(value);
            }
        } else if within(stack, "hl1") {
            self.hl1.push_str(value);
        } else if current == "title" && within(stack, "head") {
            self.title.get_or_insert_with(String::new).push_str(value);
        } else if within(stack, "byline") && !within(stack, "byttl") {
            self.byline.push_str(value);
        } else if within(stack, "dateline") {
            self.dateline.push_str(value);
        }
    }
}

fn attributes(e: &BytesStart, name: &str, s: &mut RawStory, dates: &mut Vec<String>) {
    for a in e.attributes().flatten() {
        let key = String::from_utf8_lossy(a.key.as_ref()).to_lowercase();
        let value = String::from_utf8_lossy(&a.value).into_owned();
        match (name, key.as_str()) {
            ("date.issue", "norm") | ("story.date", "norm") | ("pubdata", "date.publication") => {
                dates.push(value)
            }
            ("doc-id", "id-string") => s.id = clean(&value),
            ("pubdata", "name") => s.source = clean(&value),
            ("tobject.subject", "tobject.subject.matter" | "tobject.subject.type") => {
                if let Some(v) = clean(&value) {
                    s.codes.push(format!("subject:{}", v.to_lowercase()));
                }
            }
            ("keyword", "key") => {
                if let Some(v) = clean(&value) {
                    s.codes.push(format!("keyword:{}", v.to_lowercase()));
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<nitf>
 <head>
  <title>Fallback title</title>
  <tobject tobject.type="news"><tobject.subject tobject.subject.type="Politics" tobject.subject.matter="diplomacy"/></tobject>
  <docdata><doc-id id-string="nitf-42"/><date.issue norm="20121229T101500"/>
   <key-list><keyword key="Syria"/></key-list></docdata>
  <pubdata name="AP" date.publication="20121229T000000"/>
 </head>
 <body>
  <body.head>
   <hedline><hl1>Russia says Assad won&apos;t go</hl1></hedline>
   <byline>By <person>Jim Heintz</person></byline>
   <dateline><location>MOSCOW</location>, <story.date norm="20121229">Dec. 29</story.date></dateline>
  </body.head>
  <body.content>
   <p>Russia&#8217;s foreign minister said <em>Saturday</em> that...</p>
   <p>Second paragraph.</p>
  </body.content>
 </body>
</nitf>"#;

    #[test]
    fn fields_are_read() {
        let out = read(DOC, "a.xml");
        assert!(out.problems.is_empty(), "{:?}", out.problems);
        let s = &out.stories[0];
        assert_eq!(s.headline.as_deref(), Some("Russia says Assad won't go"));
        assert_eq!(s.byline, ["Jim Heintz"]);
        assert_eq!(s.dateline.as_deref(), Some("MOSCOW, Dec. 29"));
        assert_eq!(s.date.as_deref(), Some("2012-12-29T10:15:00Z"));
        assert_eq!(s.id.as_deref(), Some("nitf-42"));
        assert_eq!(s.source.as_deref(), Some("AP"));
        assert_eq!(
            s.codes,
            ["subject:politics", "subject:diplomacy", "keyword:syria"]
        );
        assert_eq!(
            s.body,
            "Russia’s foreign minister said Saturday that...\n\nSecond paragraph."
        );
    }

    #[test]
    fn unclosed_xml_keeps_its_text_and_names_the_line() {
        let cut = &DOC[..DOC.find("<p>Second").unwrap()];
        let out = read(cut, "a.xml");
        assert_eq!(out.stories.len(), 1);
        assert!(
            out.problems[0].to_string().starts_with("a.xml:"),
            "{}",
            out.problems[0]
        );
    }

    #[test]
    fn deep_nesting_is_refused() {
        let t = format!("<nitf>{}", "<x>".repeat(10_000));
        let out = read(&t, "d.xml");
        assert!(out.skipped);
        assert!(out.problems.iter().any(|p| p.message.contains("nested")));
    }
}
