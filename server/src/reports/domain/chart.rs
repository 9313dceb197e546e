//! Trend charts as SVG, drawn on the server with plotters (readable on a phone, no
//! JavaScript, nothing inline that the CSP would block).

use plotters::prelude::*;

/// One line: a label and a value (0 – 100) per point; `None` leaves a gap.
pub struct Series {
    pub label: String,
    pub values: Vec<Option<f64>>,
}

const COLOURS: [RGBColor; 4] = [
    RGBColor(0x6b, 0x3e, 0x1f),
    RGBColor(0x1f, 0x6b, 0x52),
    RGBColor(0x2f, 0x4f, 0x9a),
    RGBColor(0xa0, 0x3a, 0x2a),
];

/// A line chart of percentages over `points` (e.g. quarters), with a legend.
pub fn percent_lines(title: &str, points: &[String], series: &[Series]) -> String {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (360, 240)).into_drawing_area();
        if draw(&root, title, points, series).is_err() {
            // Drawing into a string cannot fail for I/O; any other error leaves a blank
            // chart rather than a broken page.
            tracing::warn!("chart could not be drawn");
        }
    }
    svg
}

fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, plotters::coord::Shift>,
    title: &str,
    points: &[String],
    series: &[Series],
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    root.fill(&WHITE)?;
    let n = points.len().max(1);
    let mut chart = ChartBuilder::on(root)
        .caption(title, ("sans-serif", 16))
        .margin(8)
        .x_label_area_size(28)
        .y_label_area_size(36)
        .build_cartesian_2d(0f64..(n as f64 - 1.0).max(1.0), 0f64..100f64)?;
    chart
        .configure_mesh()
        .x_labels(n)
        .x_label_formatter(&|x| {
            let i = x.round() as usize;
            points.get(i).cloned().unwrap_or_default()
        })
        .y_labels(6)
        .y_label_formatter(&|y| format!("{y:.0}%"))
        .light_line_style(WHITE.mix(0.0))
        .draw()?;
    for (i, s) in series.iter().enumerate() {
        let colour = COLOURS[i % COLOURS.len()];
        let dots: Vec<(f64, f64)> = s
            .values
            .iter()
            .enumerate()
            .filter_map(|(x, v)| v.map(|v| (x as f64, v)))
            .collect();
        chart
            .draw_series(LineSeries::new(dots.clone(), colour.stroke_width(2)))?
            .label(s.label.clone())
            .legend(move |(x, y)| {
                PathElement::new(vec![(x, y), (x + 16, y)], colour.stroke_width(2))
            });
        chart.draw_series(dots.into_iter().map(|p| Circle::new(p, 3, colour.filled())))?;
    }
    chart
        .configure_series_labels()
        .background_style(WHITE.mix(0.8))
        .border_style(BLACK.mix(0.3))
        .position(SeriesLabelPosition::LowerRight)
        .draw()?;
    root.present()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn draws_lines_labels_and_no_inline_styles() {
        let svg = percent_lines(
            "Сдали, %",
            &["3 кв. 2026".into(), "4 кв. 2026".into()],
            &[
                Series {
                    label: "Кофе".into(),
                    values: vec![Some(60.0), Some(80.0)],
                },
                Series {
                    label: "Бар".into(),
                    values: vec![None, Some(50.0)],
                },
            ],
        );
        assert!(svg.starts_with("<svg"), "{svg}");
        assert!(svg.contains("Кофе") && svg.contains("4 кв. 2026"), "{svg}");
        assert!(svg.contains("<polyline") || svg.contains("<path"), "{svg}");
        assert!(
            !svg.contains("style="),
            "the CSP forbids inline styles: {svg}"
        );
    }
}
