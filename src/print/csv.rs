//! CSV for spreadsheets, R and pandas: RFC 4180 (CRLF line ends, fields
//! quoted when they must be), UTF-8, a header row.

use std::borrow::Cow;
use std::io::{self, Write};

use crate::views::export::Field;
use crate::views::kwic::Line;
use crate::views::network::Network;
use crate::views::timeline::Timeline;

/// A CSV writer with the RFC 4180 line end.
pub fn writer<W: Write>(out: W) -> csv::Writer<W> {
    csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(out)
}

/// A CSV error as the I/O error under it, so that a closed pipe is still
/// recognised as one.
pub fn io_error(e: csv::Error) -> io::Error {
    match e.into_kind() {
        csv::ErrorKind::Io(e) => e,
        other => io::Error::other(format!("{other:?}")),
    }
}

fn record<W: Write, I, T>(w: &mut csv::Writer<W>, cells: I) -> io::Result<()>
where
    I: IntoIterator<Item = T>,
    T: AsRef<[u8]>,
{
    w.write_record(cells).map_err(io_error)
}

/// Timelines as `label,period,count` rows (`all,share` too when
/// normalised); each label's undated stories in a last row whose period
/// is `undated`.
pub fn timelines(out: impl Write, timelines: &[(String, Timeline)]) -> io::Result<()> {
    let normalized = timelines.iter().any(|(_, t)| t.undated_all.is_some());
    let mut w = writer(out);
    let mut header = vec!["label", "period", "count"];
    if normalized {
        header.extend(["all", "share"]);
    }
    record(&mut w, header)?;
    for (label, t) in timelines {
        for r in &t.rows {
            let mut row = vec![label.clone(), r.label.clone(), r.count.to_string()];
            if normalized {
                row.push(r.all.unwrap_or(0).to_string());
                row.push(r.share().map_or(String::new(), |s| s.to_string()));
            }
            record(&mut w, row)?;
        }
        let mut row = vec![label.clone(), "undated".into(), t.undated.to_string()];
        if normalized {
            let all = t.undated_all.unwrap_or(0);
            row.push(all.to_string());
            let share = if all == 0 {
                0.0
            } else {
                t.undated as f64 / all as f64
            };
            row.push(share.to_string());
        }
        record(&mut w, row)?;
    }
    w.flush()
}

/// `label,count` rows.
pub fn counts(out: impl Write, counts: &[(String, u64)]) -> io::Result<()> {
    let mut w = writer(out);
    record(&mut w, ["label", "count"])?;
    for (label, n) in counts {
        record(&mut w, [label.as_str(), n.to_string().as_str()])?;
    }
    w.flush()
}

/// The edge list as Gephi imports it: `source,target,weight` with node
/// ids, then the endpoints' labels and kinds.
pub fn edges(out: impl Write, net: &Network) -> io::Result<()> {
    let mut w = writer(out);
    record(
        &mut w,
        [
            "source",
            "target",
            "weight",
            "source_label",
            "target_label",
            "source_kind",
            "target_kind",
        ],
    )?;
    let node = |id: &str| net.nodes.iter().find(|n| n.id == id);
    for e in &net.edges {
        let (s, t) = (node(&e.source), node(&e.target));
        record(
            &mut w,
            [
                e.source.as_str(),
                e.target.as_str(),
                e.weight.to_string().as_str(),
                s.map_or("", |n| n.label.as_str()),
                t.map_or("", |n| n.label.as_str()),
                s.map_or("", |n| n.kind.name()),
                t.map_or("", |n| n.kind.name()),
            ],
        )?;
    }
    w.flush()
}

/// Concordance lines: `id,date,start,end,left,keyword,right`.
pub fn kwic(out: impl Write, lines: &[Line]) -> io::Result<()> {
    let mut w = writer(out);
    record(
        &mut w,
        ["id", "date", "start", "end", "left", "keyword", "right"],
    )?;
    for l in lines {
        record(
            &mut w,
            [
                l.id.as_str(),
                l.date.as_deref().unwrap_or(""),
                l.start.to_string().as_str(),
                l.end.to_string().as_str(),
                l.left.as_str(),
                l.keyword.as_str(),
                l.right.as_str(),
            ],
        )?;
    }
    w.flush()
}

/// An export being written: the header first, then one row per story.
/// The header waits for the first row (or the end), so that a query that
/// fails before any row leaves stdout empty rather than a header alone.
pub struct Export<W: Write> {
    w: csv::Writer<W>,
    header: Option<Vec<&'static str>>,
}

impl<W: Write> Export<W> {
    /// An export of `fields`.
    pub fn new(out: W, fields: &[Field]) -> io::Result<Export<W>> {
        Ok(Export {
            w: writer(out),
            header: Some(fields.iter().map(|f| f.name()).collect()),
        })
    }

    fn write_header(&mut self) -> io::Result<()> {
        match self.header.take() {
            Some(h) => record(&mut self.w, h),
            None => Ok(()),
        }
    }

    /// Writes one story's cells.
    pub fn row(&mut self, cells: &[Cow<'_, str>]) -> io::Result<()> {
        self.write_header()?;
        record(&mut self.w, cells.iter().map(|c| c.as_bytes()))
    }

    /// Writes the header if no row did, and flushes what is buffered.
    pub fn finish(mut self) -> io::Result<()> {
        self.write_header()?;
        self.w.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_are_quoted_and_end_in_crlf() {
        let mut out = Vec::new();
        let mut e = Export::new(&mut out, &[Field::Id, Field::Headline]).unwrap();
        e.row(&[Cow::Borrowed("1"), Cow::Borrowed("Talks, \"maybe\"\nsoon")])
            .unwrap();
        e.finish().unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "id,headline\r\n1,\"Talks, \"\"maybe\"\"\nsoon\"\r\n"
        );
    }

    #[test]
    fn the_header_waits_for_a_row_or_the_end() {
        let mut out = Vec::new();
        let e = Export::new(&mut out, &[Field::Id, Field::Headline]).unwrap();
        drop(e);
        assert!(out.is_empty(), "nothing before the first row");
        let e = Export::new(&mut out, &[Field::Id, Field::Headline]).unwrap();
        e.finish().unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), "id,headline\r\n");
    }
}
