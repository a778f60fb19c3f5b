//! Plain-text stories: an optional `Key: value` header, then the story.
//!
//! Without a header, a short first line followed by a blank line is the
//! headline. Paragraphs are separated by blank lines; in a file without any
//! blank line each line is a paragraph (a common archive shape).

use crate::read::{clean, date, join_paragraphs, shape, FileStories, Kind, Problem, RawStory};

/// Header keys and the fields they fill.
const KEYS: &[&str] = &[
    "headline", "title", "date", "byline", "by", "dateline", "source", "topics", "id",
];

/// Longest first line taken as a headline when there is no header.
const MAX_HEADLINE: usize = 150;

/// Reads one plain-text story. Every file with text gives a story, whatever
/// its shape; the shape is described in [`RawStory::kind`].
pub fn read(text: &str, path: &str) -> FileStories {
    let mut story = RawStory {
        path: path.to_string(),
        line: Some(1),
        ..RawStory::default()
    };
    let mut problems = Vec::new();
    let lines: Vec<&str> = text.lines().collect();
    let mut start = 0;

    let header_len = lines
        .iter()
        .take_while(|l| header_field(l).is_some())
        .count();
    let header_ends = header_len > 0 && lines.get(header_len).is_none_or(|l| l.trim().is_empty());
    if header_ends {
        for (i, line) in lines[..header_len].iter().enumerate() {
            let (key, value) = header_field(line).expect("counted above");
            apply(&mut story, &key, value, path, i + 1, &mut problems);
        }
        start = header_len;
    } else if lines.len() > 2
        && !lines[0].trim().is_empty()
        && lines[0].trim().chars().count() <= MAX_HEADLINE
        && lines[1].trim().is_empty()
    {
        story.headline = clean(lines[0]);
        start = 1;
    }

    let rest = &lines[start..];
    story.kind = shape::describe(rest.iter().copied());
    let has_blank = rest
        .iter()
        .skip_while(|l| l.trim().is_empty())
        .any(|l| l.trim().is_empty());
    // Rows of a table stay rows: folded into one paragraph they would read
    // as a run-on sentence in snippets and `--show`.
    let tabular = matches!(story.kind, Kind::Table | Kind::List);
    story.body = if has_blank && !tabular {
        let joined = rest.join("\n");
        join_paragraphs(joined.split("\n\n").flat_map(|p| p.split("\n \n")))
    } else {
        join_paragraphs(rest.iter().copied())
    };
    if story.body.is_empty() {
        // A headline alone is a story too (a bulletin): its text is the
        // headline, as Reuters files its briefs.
        match story.headline.clone() {
            Some(h) => {
                story.body = h;
                story.kind = Kind::Brief;
            }
            None => {
                problems.push(Problem {
                    path: path.to_string(),
                    line: None,
                    message: "no story text (header only), skipped".into(),
                });
                return FileStories {
                    stories: Vec::new(),
                    problems,
                    skipped: true,
                };
            }
        }
    }
    FileStories {
        stories: vec![story],
        problems,
        skipped: false,
    }
}

/// A header line `Key: value` with a known key.
fn header_field(line: &str) -> Option<(String, &str)> {
    let (key, value) = line.split_once(':')?;
    let key = key.trim().to_ascii_lowercase();
    (KEYS.contains(&key.as_str()) && !value.trim().is_empty()).then_some((key, value.trim()))
}

fn apply(
    story: &mut RawStory,
    key: &str,
    value: &str,
    path: &str,
    line: usize,
    problems: &mut Vec<Problem>,
) {
    match key {
        "headline" | "title" => story.headline = clean(value),
        "date" => {
            story.date = date::normalize(value);
            if story.date.is_none() {
                problems.push(Problem {
                    path: path.to_string(),
                    line: Some(line),
                    message: format!("not a date: {value:?} (story kept without a date)"),
                });
            }
        }
        "byline" | "by" => story.byline = split_names(value),
        "dateline" => story.dateline = clean(value),
        "source" => story.source = clean(value),
        "topics" => story.codes.extend(
            value
                .split([',', ';'])
                .filter_map(clean)
                .map(|t| format!("subject:{}", t.to_lowercase())),
        ),
        "id" => story.id = clean(value),
        _ => {}
    }
}

/// Splits a byline such as `By Jim Heintz and Vladimir Isachenkov` into names.
pub fn split_names(value: &str) -> Vec<String> {
    let v = value.trim();
    let v = v
        .strip_prefix("By ")
        .or_else(|| v.strip_prefix("BY "))
        .or_else(|| v.strip_prefix("by "))
        .unwrap_or(v);
    v.split([',', ';', '&'])
        .flat_map(|p| p.split(" and "))
        .filter_map(clean)
        .filter(|n| n.chars().any(char::is_alphabetic))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_block_fills_fields() {
        let t = "Headline: Talks stall\nDate: Dec. 29, 2012\nBy: Jim Heintz and Nataliya Vasilyeva\nTopics: politics, diplomacy\nId: ap-1\n\nMOSCOW (AP) — First.\n\nSecond.\n";
        let s = &read(t, "a.txt").stories[0];
        assert_eq!(s.headline.as_deref(), Some("Talks stall"));
        assert_eq!(s.date.as_deref(), Some("2012-12-29"));
        assert_eq!(s.byline, ["Jim Heintz", "Nataliya Vasilyeva"]);
        assert_eq!(s.codes, ["subject:politics", "subject:diplomacy"]);
        assert_eq!(s.id.as_deref(), Some("ap-1"));
        assert_eq!(s.body, "MOSCOW (AP) — First.\n\nSecond.");
    }

    #[test]
    fn short_first_line_is_the_headline() {
        let t = "Brahimi warns of chaos\n\nBEIRUT (AP) — The envoy\nsaid so.\n\nMore.";
        let s = &read(t, "a.txt").stories[0];
        assert_eq!(s.headline.as_deref(), Some("Brahimi warns of chaos"));
        assert_eq!(s.body, "BEIRUT (AP) — The envoy said so.\n\nMore.");
    }

    #[test]
    fn lines_are_paragraphs_without_blank_lines() {
        let t = "MOSCOW — One.\nMOSCOW — One.\nTwo.";
        let s = &read(t, "a.txt").stories[0];
        assert!(s.headline.is_none());
        assert_eq!(s.body, "MOSCOW — One.\n\nMOSCOW — One.\n\nTwo.");
    }

    #[test]
    fn bad_date_is_reported_with_its_line_and_a_headline_alone_is_a_brief() {
        let out = read("Title: X\nDate: 2012-02-30\n\nBody.", "a.txt");
        assert_eq!(
            out.problems[0].to_string(),
            "a.txt:2: not a date: \"2012-02-30\" (story kept without a date)"
        );
        assert!(out.stories[0].date.is_none());
        let out = read("Title: Bank raises rates\nDate: 2012-02-03\n", "b.txt");
        assert!(!out.skipped);
        assert_eq!(out.stories[0].body, "Bank raises rates");
        assert_eq!(out.stories[0].kind, Kind::Brief);
        let out = read("Date: 2012-02-03\nId: x-1\n", "c.txt");
        assert!(out.skipped && out.stories.is_empty());
    }

    #[test]
    fn lists_and_tables_are_kept_and_described() {
        let out = read(&"amex\nase\nasx\nnyse\n".repeat(4), "codes.txt");
        assert_eq!(out.stories.len(), 1);
        assert_eq!(out.stories[0].kind, Kind::List);
        let t = "Soccer - Northern league standings\n\nLONDON 1996-08-24\n\nStandings after Saturday's matches:\n\nNorthfield 10 8 1 1 25\nRiverside 10 6 3 1 21\nEaston 10 5 2 3 17\nHillcrest 10 1 1 8 4\n";
        let out = read(t, "standings.txt");
        let s = &out.stories[0];
        assert_eq!(s.kind, Kind::Table);
        assert_eq!(
            s.headline.as_deref(),
            Some("Soccer - Northern league standings")
        );
        assert!(
            s.body.contains("Northfield 10 8 1 1 25\n\nRiverside"),
            "{:?}",
            s.body
        );
    }

    #[test]
    fn a_colon_in_the_first_sentence_is_not_a_header() {
        let t = "Note: this is not a header line at all\nand continues.";
        let s = &read(t, "a.txt").stories[0];
        assert!(s.body.starts_with("Note: this"));
    }
}
