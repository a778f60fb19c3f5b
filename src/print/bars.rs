//! Timelines as terminal bar charts: one row per period, bars in eighths
//! of a character cell, a labelled axis under them. Several timelines
//! share one scale, so their bars compare.

use std::io::{self, Write};

use crate::views::timeline::Timeline;

/// Character cells of the longest bar.
pub const BAR_WIDTH: usize = 50;

const EIGHTHS: [char; 8] = [' ', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];

/// A bar of `value` where `max` fills `width` cells.
pub fn bar(value: f64, max: f64, width: usize) -> String {
    if max <= 0.0 || value <= 0.0 {
        return String::new();
    }
    let eighths = ((value / max).min(1.0) * (width * 8) as f64).round() as usize;
    let mut s = "█".repeat(eighths / 8);
    if !eighths.is_multiple_of(8) {
        s.push(EIGHTHS[eighths % 8]);
    }
    // A non-zero count always shows.
    if s.is_empty() {
        s.push(EIGHTHS[1]);
    }
    s
}

/// A tick value as short text.
fn tick(v: f64, percent: bool) -> String {
    if percent {
        format!("{:.3}%", v * 100.0)
            .trim_end_matches('0')
            .trim_end_matches('.')
            .to_string()
    } else if v.fract() == 0.0 {
        format!("{v}")
    } else {
        format!("{v:.1}")
    }
}

/// Writes each labelled timeline as a chart; with `normalize`, bars show
/// each period's share of all stories.
pub fn timelines(out: &mut impl Write, timelines: &[(String, Timeline)]) -> io::Result<()> {
    let normalized = timelines.iter().any(|(_, t)| t.undated_all.is_some());
    let value = |count: u64, share: Option<f64>| {
        if normalized {
            share.unwrap_or(0.0)
        } else {
            count as f64
        }
    };
    let max = timelines
        .iter()
        .flat_map(|(_, t)| t.rows.iter().map(|r| value(r.count, r.share())))
        .fold(0.0, f64::max);
    let label_width = timelines
        .iter()
        .flat_map(|(_, t)| t.rows.iter().map(|r| r.label.len()))
        .max()
        .unwrap_or(4)
        .max("period".len());
    for (i, (label, t)) in timelines.iter().enumerate() {
        if i > 0 {
            writeln!(out)?;
        }
        let what = if normalized {
            "share of all stories"
        } else {
            "stories"
        };
        writeln!(out, "{label} — {what} per {}", t.period.unit())?;
        if t.rows.is_empty() {
            writeln!(out, "  (no dated stories)")?;
        } else {
            writeln!(out, "{:>label_width$} │", "period")?;
        }
        for r in &t.rows {
            let v = value(r.count, r.share());
            let number = match r.all {
                Some(all) => format!("{} / {} ({})", r.count, all, tick(v, true)),
                None => r.count.to_string(),
            };
            let b = bar(v, max, BAR_WIDTH);
            let pad = BAR_WIDTH + 1 - b.chars().count();
            writeln!(out, "{:>label_width$} │{b}{:pad$}{number}", r.label, "")?;
        }
        if !t.rows.is_empty() {
            axis(out, label_width, max, normalized, what)?;
        }
        let undated = match t.undated_all {
            Some(all) => format!("{} of {all} undated", t.undated),
            None => t.undated.to_string(),
        };
        writeln!(out, "undated: {undated} · total: {}", t.total)?;
    }
    Ok(())
}

/// The x axis: a rule with ticks at 0, half and the maximum, and its name.
fn axis(
    out: &mut impl Write,
    indent: usize,
    max: f64,
    percent: bool,
    name: &str,
) -> io::Result<()> {
    let mut rule: Vec<char> = "─".repeat(BAR_WIDTH + 1).chars().collect();
    for at in [0, BAR_WIDTH / 2, BAR_WIDTH] {
        rule[at] = '┬';
    }
    rule[0] = '└';
    let rule: String = rule.into_iter().collect();
    writeln!(out, "{:indent$} {rule}", "")?;
    let (lo, mid, hi) = (
        tick(0.0, percent),
        tick(max / 2.0, percent),
        tick(max, percent),
    );
    let mut labels = format!("{lo:<w$}", w = BAR_WIDTH / 2);
    labels.push_str(&format!("{mid:<w$}", w = BAR_WIDTH - BAR_WIDTH / 2));
    labels.push_str(&hi);
    writeln!(out, "{:indent$} {labels}  {name}", "")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::views::timeline::{DayCounts, Period, Timeline};

    #[test]
    fn bars_scale_to_the_maximum() {
        assert_eq!(bar(10.0, 10.0, 4), "████");
        assert_eq!(bar(5.0, 10.0, 4), "██");
        assert_eq!(bar(1.0, 10.0, 4), "▍");
        assert_eq!(bar(0.01, 10.0, 4), "▏");
        assert_eq!(bar(0.0, 10.0, 4), "");
    }

    #[test]
    fn charts_label_periods_and_axis() {
        let mut days = DayCounts::default();
        days.days.insert(15_000, 4);
        days.days.insert(15_040, 2);
        days.undated = 1;
        let span = crate::views::timeline::span(Period::Month, &[&days]);
        let t = Timeline::build(Period::Month, &days, None, span).unwrap();
        let mut out = Vec::new();
        timelines(&mut out, &[("q".into(), t)]).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.contains("q — stories per month"), "{text}");
        assert!(text.contains("2011-01 │"), "{text}");
        assert!(text.contains("stories\n"), "{text}");
        assert!(text.contains("undated: 1 · total: 7"), "{text}");
    }
}
