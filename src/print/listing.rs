//! Views for people reading a terminal: count tables, co-mention
//! listings and aligned concordance lines.

use std::io::{self, Write};

use crate::print::human::Style;
use crate::views::kwic::Line;
use crate::views::network::Network;

const BOLD: &str = "\x1b[1m";
const RESET: &str = "\x1b[0m";

fn chars(s: &str) -> usize {
    s.chars().count()
}

/// `label  count` rows, counts aligned.
pub fn counts(out: &mut impl Write, counts: &[(String, u64)]) -> io::Result<()> {
    let w = counts.iter().map(|(l, _)| chars(l)).max().unwrap_or(0);
    for (label, n) in counts {
        let pad = w - chars(label);
        writeln!(out, "{label}{:pad$}  {n:>8}", "")?;
    }
    Ok(())
}

/// The heaviest edges, then the nodes with their story counts.
pub fn network(out: &mut impl Write, net: &Network, min_weight: u64) -> io::Result<()> {
    let label = |id: &str| {
        net.nodes
            .iter()
            .find(|n| n.id == id)
            .map_or(id.to_string(), |n| n.label.clone())
    };
    writeln!(
        out,
        "{} {} · {} of {} pairs with weight ≥ {}",
        net.stories,
        if net.stories == 1 { "story" } else { "stories" },
        net.edges.len(),
        net.edges_found,
        min_weight.max(1)
    )?;
    if !net.edges.is_empty() {
        writeln!(out, "\n{:>7}  mentioned together", "stories")?;
        for e in &net.edges {
            writeln!(
                out,
                "{:>7}  {} — {}",
                e.weight,
                label(&e.source),
                label(&e.target)
            )?;
        }
    }
    if !net.nodes.is_empty() {
        writeln!(out, "\n{:>7}  mentioned", "stories")?;
        for n in &net.nodes {
            writeln!(out, "{:>7}  {} ({})", n.stories, n.label, n.kind.name())?;
        }
    }
    Ok(())
}

/// One line per occurrence: id, date, left context right-aligned to
/// `width`, the keyword, the right context.
pub fn kwic(out: &mut impl Write, lines: &[Line], width: usize, style: Style) -> io::Result<()> {
    let id_w = lines.iter().map(|l| chars(&l.id)).max().unwrap_or(0);
    let key_w = lines.iter().map(|l| chars(&l.keyword)).max().unwrap_or(0);
    for l in lines {
        let date = l
            .date
            .as_deref()
            .map_or("undated", |d| d.get(..10).unwrap_or(d));
        let left_pad = width.saturating_sub(chars(&l.left));
        let key_pad = key_w - chars(&l.keyword);
        let keyword = if style.color {
            format!("{BOLD}{}{RESET}", l.keyword)
        } else {
            l.keyword.clone()
        };
        writeln!(
            out,
            "{:id_w$}  {date:<10}  {:left_pad$}{} │ {keyword}{:key_pad$} │ {}",
            l.id, "", l.left, "", l.right
        )?;
    }
    writeln!(
        out,
        "{} {}",
        lines.len(),
        if lines.len() == 1 {
            "occurrence"
        } else {
            "occurrences"
        }
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn concordance_columns_align() {
        let line = |id: &str, left: &str, kw: &str| Line {
            id: id.into(),
            date: Some("2012-12-29T10:00:00Z".into()),
            start: 0,
            end: 0,
            left: left.into(),
            keyword: kw.into(),
            right: "after".into(),
        };
        let mut out = Vec::new();
        let lines = [
            line("1", "a few words", "Precondition"),
            line("22", "é", "preconditions"),
        ];
        kwic(&mut out, &lines, 12, Style { color: false }).unwrap();
        let text = String::from_utf8(out).unwrap();
        let bars: Vec<Vec<usize>> = text
            .lines()
            .take(2)
            .map(|l| {
                l.char_indices()
                    .filter(|c| c.1 == '│')
                    .map(|(i, _)| l[..i].chars().count())
                    .collect()
            })
            .collect();
        assert_eq!(bars[0], bars[1], "{text}");
        assert!(text.contains("2012-12-29"));
        assert!(text.ends_with("2 occurrences\n"));
    }
}
