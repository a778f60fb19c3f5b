//! Identities for `dateline --people NAME` and `dateline --orgs NAME`: a
//! list of the identities a name matches, and one identity's card; for
//! terminals and as JSON Lines. People and organisations print alike,
//! from any [`Book`].

use std::io::{self, Write};

use serde_json::{json, Value};

use crate::archive::identities::{Book, IdentityId, Kind};

/// One identity as a JSON object: the card's fields (an organisation's
/// also `co_mentioned_people`).
pub fn value(book: &dyn Book, id: IdentityId) -> Value {
    let i = book.identity(id);
    let named = |v: &[(String, u32)]| {
        v.iter()
            .map(|(c, n)| json!({"id": c, "name": book.name_of(c).unwrap_or_default(), "count": n}))
            .collect::<Vec<_>>()
    };
    let mut v = json!({
        "id": i.id,
        "name": i.name,
        "kind": i.kind,
        "stories": i.stories,
        "first": i.first,
        "last": i.last,
        "aliases": i.aliases.iter().map(|(a, n)| json!({"name": a, "count": n})).collect::<Vec<_>>(),
        "datelines": i.datelines.iter().map(|(d, n)| json!({"name": d, "count": n})).collect::<Vec<_>>(),
        "co_mentioned": named(&i.co_mentioned),
    });
    if book.with_people() {
        v["co_mentioned_people"] = Value::Array(named(&i.co_people));
    }
    v
}

/// Writes each identity as one JSON line.
pub fn json_lines(out: &mut impl Write, book: &dyn Book, ids: &[IdentityId]) -> io::Result<()> {
    for &id in ids {
        serde_json::to_writer(&mut *out, &value(book, id))?;
        out.write_all(b"\n")?;
    }
    Ok(())
}

fn span(first: &Option<String>, last: &Option<String>) -> String {
    match (first, last) {
        (Some(a), Some(b)) if a == b => a.clone(),
        (Some(a), Some(b)) => format!("{a} – {b}"),
        _ => "undated".into(),
    }
}

/// Writes the list: one line per identity, most stories first.
pub fn list(out: &mut impl Write, book: &dyn Book, ids: &[IdentityId]) -> io::Result<()> {
    for &id in ids {
        let i = book.identity(id);
        let note = match i.kind {
            Kind::Person | Kind::Organisation => "",
            Kind::Surname => "  (surname only)",
            Kind::Ambiguous => "  (stories that do not say which)",
        };
        writeln!(
            out,
            "{:>6}  {}  [{}]  {}{}",
            i.stories,
            i.name,
            i.id,
            span(&i.first, &i.last),
            note
        )?;
    }
    Ok(())
}

/// Writes one identity's card.
pub fn card(out: &mut impl Write, book: &dyn Book, id: IdentityId) -> io::Result<()> {
    let i = book.identity(id);
    writeln!(out, "{}  [{}]", i.name, i.id)?;
    writeln!(out, "  stories:   {}", i.stories)?;
    writeln!(out, "  dates:     {}", span(&i.first, &i.last))?;
    let few = |v: &[(String, u32)], n: usize| {
        v.iter()
            .take(n)
            .map(|(a, c)| format!("{a} ({c})"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let named = |v: &[(String, u32)]| -> Vec<(String, u32)> {
        v.iter()
            .map(|(c, n)| (book.name_of(c).unwrap_or(c).to_string(), *n))
            .collect()
    };
    writeln!(out, "  aliases:   {}", few(&i.aliases, 20))?;
    if !i.datelines.is_empty() {
        writeln!(out, "  datelines: {}", few(&i.datelines, 5))?;
    }
    if !i.co_mentioned.is_empty() {
        writeln!(out, "  with:      {}", few(&named(&i.co_mentioned), 8))?;
    }
    if !i.co_people.is_empty() {
        writeln!(out, "  people:    {}", few(&named(&i.co_people), 8))?;
    }
    Ok(())
}
