//! Timelines as an SVG line chart (plotters' SVG backend): one line per
//! label, periods along the x axis, stories (or shares) up the y axis.

use std::path::Path;

use plotters::prelude::*;

use crate::views::timeline::{Period, Timeline};

/// Chart size in pixels.
const SIZE: (u32, u32) = (1000, 520);

/// Draws the labelled timelines (all over the same periods, as
/// [`multi::timelines`](crate::views::multi::timelines) makes them) to an
/// SVG file.
pub fn svg(path: &Path, timelines: &[(String, Timeline)]) -> Result<(), String> {
    let failed =
        |e: &dyn std::fmt::Display| format!("{}: cannot draw the chart: {e}", path.display());
    let normalized = timelines.iter().any(|(_, t)| t.undated_all.is_some());
    let value = |count: u64, share: Option<f64>| {
        if normalized {
            share.unwrap_or(0.0) * 100.0
        } else {
            count as f64
        }
    };
    let labels: Vec<String> = timelines
        .iter()
        .max_by_key(|(_, t)| t.rows.len())
        .map(|(_, t)| t.rows.iter().map(|r| r.label.clone()).collect())
        .unwrap_or_default();
    let period = timelines.first().map_or(Period::Month, |(_, t)| t.period);
    let max = timelines
        .iter()
        .flat_map(|(_, t)| t.rows.iter().map(|r| value(r.count, r.share())))
        .fold(0.0, f64::max);
    let x_end = labels.len().saturating_sub(1).max(1) as f64;
    let y_end = if max > 0.0 { max * 1.05 } else { 1.0 };

    let root = SVGBackend::new(path, SIZE).into_drawing_area();
    root.fill(&WHITE).map_err(|e| failed(&e))?;
    let caption = if normalized {
        format!("Share of all stories per {}", period.unit())
    } else {
        format!("Stories per {}", period.unit())
    };
    let mut chart = ChartBuilder::on(&root)
        .caption(caption, ("sans-serif", 22))
        .margin(16)
        .x_label_area_size(48)
        .y_label_area_size(64)
        .build_cartesian_2d(0f64..x_end, 0f64..y_end)
        .map_err(|e| failed(&e))?;
    let label_at = |x: &f64| {
        let i = x.round();
        if (x - i).abs() < 1e-6 && i >= 0.0 {
            labels.get(i as usize).cloned().unwrap_or_default()
        } else {
            String::new()
        }
    };
    chart
        .configure_mesh()
        .x_labels(labels.len().clamp(2, 12))
        .x_label_formatter(&label_at)
        .x_desc(period.unit())
        .y_desc(if normalized {
            "% of all stories"
        } else {
            "stories"
        })
        .draw()
        .map_err(|e| failed(&e))?;
    for (i, (label, t)) in timelines.iter().enumerate() {
        let color = Palette99::pick(i).to_rgba();
        let points = t
            .rows
            .iter()
            .enumerate()
            .map(|(x, r)| (x as f64, value(r.count, r.share())));
        chart
            .draw_series(LineSeries::new(points, color.stroke_width(2)))
            .map_err(|e| failed(&e))?
            .label(label.as_str())
            .legend(move |(x, y)| {
                PathElement::new(vec![(x, y), (x + 20, y)], color.stroke_width(2))
            });
    }
    chart
        .configure_series_labels()
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK)
        .position(SeriesLabelPosition::UpperRight)
        .draw()
        .map_err(|e| failed(&e))?;
    root.present().map_err(|e| failed(&e))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::views::timeline::DayCounts;

    #[test]
    fn draws_one_line_per_label() {
        let mut a = DayCounts::default();
        a.days.insert(15_000, 4);
        a.days.insert(15_100, 1);
        let mut b = DayCounts::default();
        b.days.insert(15_050, 2);
        let span = crate::views::timeline::span(Period::Month, &[&a, &b]);
        let t = |d: &DayCounts| Timeline::build(Period::Month, d, None, span).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.svg");
        svg(
            &path,
            &[("first".into(), t(&a)), ("second <b>".into(), t(&b))],
        )
        .unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.starts_with("<svg"), "{}", &text[..100.min(text.len())]);
        assert!(text.contains("first"));
        assert!(text.contains("2011-01"));
        assert!(text.contains("second &lt;b&gt;"), "labels are escaped");
    }
}
