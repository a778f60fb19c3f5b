//! Hits for people reading a terminal: rank and headline, where and when,
//! who and what, the passages that matched, and the id to `--show`.

use std::io::{self, Write};

use crate::archive::versions::{changes, cluster_name, Changes};
use crate::article::{Article, QuoteKind};
use crate::search::quotes::QuoteResults;
use crate::search::{Hit, Results};

const BOLD: &str = "\x1b[1m";
const DIM: &str = "\x1b[2m";
const MATCH: &str = "\x1b[1;33m";
const RESET: &str = "\x1b[0m";

/// Terminal styling: plain text when colour is off.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    pub color: bool,
}

impl Style {
    fn paint(&self, code: &str, text: &str) -> String {
        if self.color {
            format!("{code}{text}{RESET}")
        } else {
            text.to_string()
        }
    }
}

/// Writes the hits and a footer with the total and the time taken.
pub fn hits(
    out: &mut impl Write,
    results: &Results,
    offset: usize,
    style: Style,
) -> io::Result<()> {
    for (i, hit) in results.hits.iter().enumerate() {
        write_hit(out, offset + i + 1, hit, style)?;
    }
    let shown = if results.hits.is_empty() {
        String::new()
    } else {
        format!(", showing {}–{}", offset + 1, offset + results.hits.len())
    };
    writeln!(
        out,
        "{}",
        style.paint(
            DIM,
            &format!(
                "{} {}{} ({:.1} ms)",
                results.total,
                if results.total == 1 {
                    "story matches"
                } else {
                    "stories match"
                },
                shown,
                results.elapsed.as_secs_f64() * 1000.0
            )
        )
    )
}

fn write_hit(out: &mut impl Write, rank: usize, hit: &Hit, style: Style) -> io::Result<()> {
    let a = &hit.article;
    let versions = match hit.versions {
        0 | 1 => String::new(),
        2 => format!("  {}", style.paint(DIM, "+1 version")),
        n => format!("  {}", style.paint(DIM, &format!("+{} versions", n - 1))),
    };
    writeln!(
        out,
        "{:>3}. {}{versions}",
        rank,
        style.paint(BOLD, &a.display_title())
    )?;
    let meta = meta_line(a);
    if !meta.is_empty() {
        writeln!(out, "     {}", style.paint(DIM, &meta))?;
    }
    let who = entities_line(a);
    if !who.is_empty() {
        writeln!(out, "     {who}")?;
    }
    for passage in highlighted(&hit.snippet.text, &hit.snippet.highlights, style).split(" … ") {
        writeln!(out, "     {}", passage.trim())?;
    }
    writeln!(out, "     {}", style.paint(DIM, &format!("id: {}", a.id)))?;
    writeln!(out)
}

/// `2012-12-29 · Moscow, Russia · AP`
pub fn meta_line(a: &Article) -> String {
    let mut parts = Vec::new();
    if let Some(d) = &a.date {
        parts.push(d.get(..10).unwrap_or(d).to_string());
    }
    if let Some(d) = &a.dateline {
        let place = d.place.clone().unwrap_or_else(|| d.text.clone());
        parts.push(match &d.country {
            Some(c) if *c != place => format!("{place}, {c}"),
            _ => place,
        });
    }
    if let Some(s) = a
        .source
        .as_ref()
        .or(a.dateline.as_ref().and_then(|d| d.agency.as_ref()))
    {
        parts.push(s.clone());
    }
    // Running prose is the norm; any other shape is worth a word.
    if !a.kind.is_empty() && a.kind != "story" {
        parts.push(a.kind.clone());
    }
    parts.join(" · ")
}

/// A short people and places line: the first few of each.
pub fn entities_line(a: &Article) -> String {
    let few = |v: &[String]| {
        let mut s = v.iter().take(4).cloned().collect::<Vec<_>>().join(", ");
        if v.len() > 4 {
            s.push_str(&format!(" +{}", v.len() - 4));
        }
        s
    };
    let mut parts = Vec::new();
    if !a.people.is_empty() {
        parts.push(format!("people: {}", few(&a.people)));
    }
    if !a.places.is_empty() {
        parts.push(format!("places: {}", few(&a.places)));
    }
    if !a.topics.is_empty() {
        parts.push(format!(
            "topics: {}",
            few(&a.topics[..a.topics.len().min(2)])
        ));
    }
    parts.join(" · ")
}

/// The snippet with its highlighted ranges painted (or left plain).
pub fn highlighted(text: &str, highlights: &[(usize, usize)], style: Style) -> String {
    if !style.color {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + highlights.len() * 12);
    let mut pos = 0;
    for &(s, e) in highlights {
        if s < pos
            || e > text.len()
            || s > e
            || !text.is_char_boundary(s)
            || !text.is_char_boundary(e)
        {
            continue;
        }
        out.push_str(&text[pos..s]);
        out.push_str(MATCH);
        out.push_str(&text[s..e]);
        out.push_str(RESET);
        pos = e;
    }
    out.push_str(&text[pos..]);
    out
}

/// Writes facet counts as a small table.
pub fn facets(out: &mut impl Write, results: &Results, style: Style) -> io::Result<()> {
    facet_table(out, &results.facets, style)
}

/// Writes facet counts (name, then value and count lines).
pub fn facet_table(
    out: &mut impl Write,
    facets: &[(String, Vec<(String, u64)>)],
    style: Style,
) -> io::Result<()> {
    for (name, values) in facets {
        writeln!(out, "{}", style.paint(BOLD, name))?;
        if values.is_empty() {
            writeln!(out, "   (none)")?;
        }
        for (value, count) in values {
            writeln!(out, "  {count:>7}  {value}")?;
        }
    }
    Ok(())
}

/// Writes matching quotations, one block each: speaker, date and
/// dateline; the quotation with the query's words highlighted; its kind
/// and the story's id. A footer counts them.
pub fn quotes(
    out: &mut impl Write,
    results: &QuoteResults,
    offset: usize,
    style: Style,
) -> io::Result<()> {
    for hit in &results.hits {
        let q = &hit.quote;
        let who = q.speaker.as_ref().map_or_else(
            || match &q.attribution {
                Some(a) => format!("({a})"),
                None => "(no speaker)".to_string(),
            },
            |s| s.name.clone(),
        );
        let meta = meta_line(&hit.article);
        if meta.is_empty() {
            writeln!(out, "{}", style.paint(BOLD, &who))?;
        } else {
            writeln!(
                out,
                "{} · {}",
                style.paint(BOLD, &who),
                style.paint(DIM, &meta)
            )?;
        }
        let text = highlighted(&q.text, &hit.highlights, style);
        match q.kind {
            QuoteKind::Indirect => writeln!(out, "  (reported) {text}")?,
            _ => writeln!(out, "  “{text}”")?,
        }
        let how = match &q.verb {
            Some(v) => format!("{}, {v}", q.kind.name()),
            None => q.kind.name().to_string(),
        };
        writeln!(
            out,
            "  {}",
            style.paint(DIM, &format!("{how} · id: {}", hit.article.id))
        )?;
        writeln!(out)?;
    }
    let shown = if results.hits.is_empty() {
        String::new()
    } else {
        format!(
            ", showing quotations {}–{}",
            offset + 1,
            offset + results.hits.len()
        )
    };
    writeln!(
        out,
        "{}",
        style.paint(
            DIM,
            &format!(
                "{} {} with matching quotations{} ({:.1} ms)",
                results.stories,
                if results.stories == 1 {
                    "story"
                } else {
                    "stories"
                },
                shown,
                results.elapsed.as_secs_f64() * 1000.0
            )
        )
    )
}

/// Writes a whole story with all its fields.
pub fn article(out: &mut impl Write, a: &Article, style: Style) -> io::Result<()> {
    writeln!(out, "{}", style.paint(BOLD, &a.display_title()))?;
    let meta = meta_line(a);
    if !meta.is_empty() {
        writeln!(out, "{}", style.paint(DIM, &meta))?;
    }
    let fields: [(&str, &[String]); 7] = [
        ("by", &a.byline),
        ("people", &a.people),
        ("places", &a.places),
        ("countries", &a.countries),
        ("organisations", &a.orgs),
        ("topics", &a.topics),
        ("source codes", &a.source_codes),
    ];
    for (label, values) in fields {
        if !values.is_empty() {
            writeln!(out, "{}: {}", style.paint(DIM, label), values.join(", "))?;
        }
    }
    writeln!(
        out,
        "{}",
        style.paint(DIM, &format!("id: {} · {}", a.id, a.path))
    )?;
    writeln!(out)?;
    for p in a.body.split("\n\n") {
        writeln!(out, "{p}\n")?;
    }
    if !a.quotes.is_empty() {
        writeln!(out, "{}", style.paint(BOLD, "Quotations"))?;
        for q in &a.quotes {
            let who = q.speaker.as_ref().map_or("-", |s| s.name.as_str());
            let short: String = q.text.chars().take(100).collect();
            let more = if short.len() < q.text.len() {
                " …"
            } else {
                ""
            };
            writeln!(
                out,
                "  {} {}: {short}{more}",
                style.paint(BOLD, who),
                style.paint(DIM, &format!("({})", q.kind.name()))
            )?;
        }
    }
    Ok(())
}

/// A story's versions, oldest first, each with what changed from the one
/// before: paragraphs added and removed, figures changed. The last is the
/// lead version.
pub fn versions(out: &mut impl Write, hits: &[Hit], style: Style) -> io::Result<()> {
    let lead = hits.len().saturating_sub(1);
    writeln!(
        out,
        "{} version{} of one story (cluster {})",
        hits.len(),
        if hits.len() == 1 { "" } else { "s" },
        hits.first()
            .map_or(String::new(), |h| cluster_name(h.cluster))
    )?;
    for (i, hit) in hits.iter().enumerate() {
        let a = &hit.article;
        let mark = if i == lead { " (lead)" } else { "" };
        writeln!(out)?;
        writeln!(
            out,
            "{:>3}. {}{}",
            i + 1,
            style.paint(BOLD, &a.display_title()),
            style.paint(DIM, mark)
        )?;
        let meta = meta_line(a);
        if !meta.is_empty() {
            writeln!(out, "     {}", style.paint(DIM, &meta))?;
        }
        writeln!(
            out,
            "     {}",
            style.paint(DIM, &format!("id: {} · {}", a.id, a.path))
        )?;
        if i > 0 {
            writeln!(
                out,
                "     {}",
                describe_changes(&changes(&hits[i - 1].article.body, &a.body))
            )?;
        }
    }
    Ok(())
}

/// `2 paragraphs added, 1 removed; figures 44,000 → 45,000`
fn describe_changes(c: &Changes) -> String {
    let mut parts = Vec::new();
    let plural = |n: usize| if n == 1 { "" } else { "s" };
    if c.added > 0 {
        parts.push(format!("{} paragraph{} added", c.added, plural(c.added)));
    }
    if c.removed > 0 {
        parts.push(format!(
            "{} paragraph{} removed",
            c.removed,
            plural(c.removed)
        ));
    }
    let mut text = if parts.is_empty() {
        "same paragraphs".to_string()
    } else {
        parts.join(", ")
    };
    if !c.figures_removed.is_empty() || !c.figures_added.is_empty() {
        text.push_str(&format!(
            "; figures {} → {}",
            if c.figures_removed.is_empty() {
                "none".to_string()
            } else {
                c.figures_removed.join(", ")
            },
            if c.figures_added.is_empty() {
                "none".to_string()
            } else {
                c.figures_added.join(", ")
            }
        ));
    }
    text
}
