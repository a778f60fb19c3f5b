//! JSON (an object or an array of objects) and JSON Lines stories.
//!
//! The usual field names of news feeds are mapped; other fields are ignored.

use serde_json::Value;

use crate::read::{
    clean, date, join_paragraphs, shape, text::split_names, FileStories, Format, Kind, Problem,
    RawStory,
};

const HEADLINE: &[&str] = &["headline", "title", "hed"];
const BODY: &[&str] = &["body", "text", "content", "story", "article"];
const DATE: &[&str] = &[
    "date",
    "published",
    "pubDate",
    "published_at",
    "datetime",
    "firstcreated",
];
const BYLINE: &[&str] = &["byline", "author", "authors", "by"];
const DATELINE: &[&str] = &["dateline"];
const TOPICS: &[&str] = &["topics", "subjects", "keywords", "tags", "categories"];
const ID: &[&str] = &["id", "guid", "uri", "url"];
const SOURCE: &[&str] = &["source", "agency", "provider"];

/// Reads a JSON or JSON Lines file.
pub fn read(text: &str, path: &str, format: Format) -> FileStories {
    let mut out = FileStories::default();
    let add = |value: Value, line: Option<usize>, out: &mut FileStories, n: usize, many: bool| {
        let display = if many {
            format!("{path}#{n}")
        } else {
            path.to_string()
        };
        match story(&value, &display, line, &mut out.problems) {
            Some(s) => out.stories.push(s),
            None => out.problems.push(Problem {
                path: path.to_string(),
                line,
                message: "no headline or story text in this object, skipped".into(),
            }),
        }
    };
    if format == Format::JsonLines {
        let lines: Vec<&str> = text.lines().collect();
        let many = lines.iter().filter(|l| !l.trim().is_empty()).count() > 1;
        let mut n = 0;
        for (i, line) in lines.iter().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            n += 1;
            match serde_json::from_str::<Value>(line) {
                Ok(v) => add(v, Some(i + 1), &mut out, n, many),
                Err(e) => out.problems.push(Problem {
                    path: path.to_string(),
                    line: Some(i + 1),
                    message: format!("bad JSON line: {e}"),
                }),
            }
        }
        return out;
    }
    match serde_json::from_str::<Value>(text) {
        Ok(Value::Array(items)) => {
            for (i, v) in items.into_iter().enumerate() {
                add(v, None, &mut out, i + 1, true);
            }
        }
        Ok(v) => add(v, None, &mut out, 1, false),
        Err(e) => {
            out.problems.push(Problem {
                path: path.to_string(),
                line: Some(e.line()),
                message: format!("bad JSON: {e}"),
            });
            out.skipped = true;
        }
    }
    out
}

/// The first of `names` that the object has, case-insensitively.
fn field<'a>(obj: &'a serde_json::Map<String, Value>, names: &[&str]) -> Option<&'a Value> {
    names.iter().find_map(|n| {
        obj.iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(n))
            .map(|(_, v)| v)
            .filter(|v| !v.is_null())
    })
}

/// Text of a value: a string, or strings in an array (paragraphs, names),
/// or the `name`/`text` of objects.
fn strings(v: &Value) -> Vec<String> {
    match v {
        Value::String(s) => vec![s.clone()],
        Value::Number(n) => vec![n.to_string()],
        Value::Array(items) => items.iter().flat_map(strings).collect(),
        Value::Object(o) => field(o, &["name", "text", "label", "value"])
            .map(strings)
            .unwrap_or_default(),
        _ => Vec::new(),
    }
}

fn story(
    value: &Value,
    path: &str,
    line: Option<usize>,
    problems: &mut Vec<Problem>,
) -> Option<RawStory> {
    let obj = value.as_object()?;
    let body_parts = field(obj, BODY).map(strings).unwrap_or_default();
    let mut kind = shape::describe(body_parts.iter().flat_map(|p| p.lines()));
    let mut body = if matches!(kind, Kind::Table | Kind::List) {
        join_paragraphs(body_parts.iter().flat_map(|p| p.lines()))
    } else {
        join_paragraphs(body_parts.iter().flat_map(|p| p.split("\n\n")))
    };
    let first = |names| {
        field(obj, names)
            .map(strings)
            .and_then(|v| v.first().and_then(|s| clean(s)))
    };
    if body.is_empty() {
        // A headline alone is a bulletin: its text is the headline.
        body = first(HEADLINE)?;
        kind = Kind::Brief;
    }
    let raw_date = first(DATE);
    let date = raw_date.as_deref().and_then(date::normalize);
    if let (Some(raw), None) = (&raw_date, &date) {
        problems.push(Problem {
            path: path.to_string(),
            line,
            message: format!("not a date: {raw:?} (story kept without a date)"),
        });
    }
    Some(RawStory {
        id: first(ID),
        path: path.to_string(),
        format: Format::Json,
        headline: first(HEADLINE),
        date,
        dateline: first(DATELINE),
        byline: field(obj, BYLINE)
            .map(strings)
            .unwrap_or_default()
            .iter()
            .flat_map(|s| split_names(s))
            .collect(),
        body,
        source: first(SOURCE),
        codes: field(obj, TOPICS)
            .map(strings)
            .unwrap_or_default()
            .iter()
            .filter_map(|t| clean(t))
            .map(|t| format!("subject:{}", t.to_lowercase()))
            .collect(),
        line,
        kind,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_lines_keep_good_lines_and_name_bad_ones() {
        let t = "{\"title\":\"A\",\"text\":\"One.\"}\nnot json\n{\"headline\":\"B\",\"body\":[\"P1\",\"P2\"],\"authors\":[{\"name\":\"Ann Lee\"}]}\n";
        let out = read(t, "f.jsonl", Format::JsonLines);
        assert_eq!(out.stories.len(), 2);
        assert_eq!(out.stories[1].body, "P1\n\nP2");
        assert_eq!(out.stories[1].byline, ["Ann Lee"]);
        assert_eq!(out.stories[1].path, "f.jsonl#3");
        assert_eq!(out.problems.len(), 1);
        assert!(out.problems[0]
            .to_string()
            .starts_with("f.jsonl:2: bad JSON line"));
    }

    #[test]
    fn arrays_and_field_names_map() {
        let t = r#"[{"id":"x1","headline":"H","content":"C.","pubDate":"2012-12-29","keywords":["Syria"],"dateline":"MOSCOW"},{"nothing":1}]"#;
        let out = read(t, "f.json", Format::Json);
        let s = &out.stories[0];
        assert_eq!(s.id.as_deref(), Some("x1"));
        assert_eq!(s.date.as_deref(), Some("2012-12-29"));
        assert_eq!(s.codes, ["subject:syria"]);
        assert_eq!(s.dateline.as_deref(), Some("MOSCOW"));
        assert_eq!(out.problems.len(), 1, "the object without text is named");
    }

    #[test]
    fn broken_json_is_reported_with_a_line() {
        let out = read("[\n{\"a\":\n", "f.json", Format::Json);
        assert!(out.skipped);
        assert!(out.problems[0].line.is_some());
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let t = "[".repeat(100_000);
        let out = read(&t, "deep.json", Format::Json);
        assert!(out.skipped);
    }
}
