//! Identities for `dateline --people NAME`: a list of the identities a
//! name matches, and one identity's card; for terminals and as JSON Lines.

use std::io::{self, Write};

use serde_json::{json, Value};

use crate::archive::identities::{IdentityId, Kind, Registry};

/// One identity as a JSON object: the card's fields.
pub fn value(registry: &Registry, id: IdentityId) -> Value {
    let i = registry.get(id);
    let name_of = |id: &str| {
        registry
            .by_id(id)
            .map(|x| registry.get(x).name.clone())
            .unwrap_or_default()
    };
    json!({
        "id": i.id,
        "name": i.name,
        "kind": i.kind,
        "stories": i.stories,
        "first": i.first,
        "last": i.last,
        "aliases": i.aliases.iter().map(|(a, n)| json!({"name": a, "count": n})).collect::<Vec<_>>(),
        "datelines": i.datelines.iter().map(|(d, n)| json!({"name": d, "count": n})).collect::<Vec<_>>(),
        "co_mentioned": i.co_mentioned.iter().map(|(c, n)| json!({"id": c, "name": name_of(c), "count": n})).collect::<Vec<_>>(),
    })
}

/// Writes each identity as one JSON line.
pub fn json_lines(out: &mut impl Write, registry: &Registry, ids: &[IdentityId]) -> io::Result<()> {
    for &id in ids {
        serde_json::to_writer(&mut *out, &value(registry, id))?;
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
pub fn list(out: &mut impl Write, registry: &Registry, ids: &[IdentityId]) -> io::Result<()> {
    for &id in ids {
        let i = registry.get(id);
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
pub fn card(out: &mut impl Write, registry: &Registry, id: IdentityId) -> io::Result<()> {
    let i = registry.get(id);
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
    writeln!(out, "  aliases:   {}", few(&i.aliases, 20))?;
    if !i.datelines.is_empty() {
        writeln!(out, "  datelines: {}", few(&i.datelines, 5))?;
    }
    if !i.co_mentioned.is_empty() {
        let named: Vec<(String, u32)> = i
            .co_mentioned
            .iter()
            .map(|(c, n)| {
                let name = registry
                    .by_id(c)
                    .map_or_else(|| c.clone(), |x| registry.get(x).name.clone());
                (name, *n)
            })
            .collect();
        writeln!(out, "  with:      {}", few(&named, 8))?;
    }
    Ok(())
}
