//! JSON for the research views: timelines and concordances as JSON Lines
//! (one object per row), a network as one object.

use std::io::{self, Write};

use serde_json::{json, Value};

use crate::views::kwic::Line;
use crate::views::network::Network;
use crate::views::timeline::Timeline;

fn line(out: &mut impl Write, v: &impl serde::Serialize) -> io::Result<()> {
    serde_json::to_writer(&mut *out, v)?;
    out.write_all(b"\n")
}

/// One object per period: `{"label", "period", "start", "count"}`, plus
/// `"all"` and `"share"` when normalised; each label's undated stories
/// last, with `"period": null` and `"start": null`.
pub fn timelines(out: &mut impl Write, timelines: &[(String, Timeline)]) -> io::Result<()> {
    for (label, t) in timelines {
        for r in &t.rows {
            let mut v = json!({
                "label": label,
                "period": r.label,
                "start": r.start.format("%Y-%m-%d").to_string(),
                "count": r.count,
            });
            if let (Some(all), Value::Object(m)) = (r.all, &mut v) {
                m.insert("all".into(), json!(all));
                m.insert("share".into(), json!(r.share().unwrap_or(0.0)));
            }
            line(out, &v)?;
        }
        let mut v = json!({"label": label, "period": null, "start": null, "count": t.undated});
        if let (Some(all), Value::Object(m)) = (t.undated_all, &mut v) {
            let share = if all == 0 {
                0.0
            } else {
                t.undated as f64 / all as f64
            };
            m.insert("all".into(), json!(all));
            m.insert("share".into(), json!(share));
        }
        line(out, &v)?;
    }
    Ok(())
}

/// `{"label", "count"}` per query.
pub fn counts(out: &mut impl Write, counts: &[(String, u64)]) -> io::Result<()> {
    for (label, n) in counts {
        line(out, &json!({"label": label, "count": n}))?;
    }
    Ok(())
}

/// The network as one object: `{"stories", "edges_found", "nodes": [{"id",
/// "label", "kind", "stories"}], "edges": [{"source", "target", "weight"}]}`.
pub fn network(out: &mut impl Write, net: &Network) -> io::Result<()> {
    line(out, net)
}

/// One object per occurrence: `{"id", "date", "start", "end", "left",
/// "keyword", "right"}` (offsets are bytes into the story's body).
pub fn kwic(out: &mut impl Write, lines: &[Line]) -> io::Result<()> {
    for l in lines {
        line(out, l)?;
    }
    Ok(())
}
