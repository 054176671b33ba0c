//! The one figure style: sizes, fonts, the SVG wrapper, legends and tick
//! labels, which every chart kind in this folder draws with.
//!
//! Figures are SVG, drawn by plotters into a `String` (so a test can compare them
//! with the committed copies without touching the disk). Text is measured with the
//! bundled DejaVu Sans, which is registered once; titles are bold, axis labels and
//! ticks large enough to read at the width of the text column, and lines thick.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::FontStyle;
use std::error::Error;
use std::sync::Once;

/// Default figure size in pixels (the SVG scales to the column width).
pub const SIZE: (u32, u32) = (900, 560);
/// The font family written into the SVG and used to measure text.
pub const FONT: &str = "sans-serif";
/// Stroke width of data lines.
pub const LINE: u32 = 3;

/// A plotting failure, boxed: figures are drawn by our own code, so any failure is
/// a bug to report.
pub type DrawResult<T = ()> = Result<T, Box<dyn Error>>;

/// Makes the bundled DejaVu Sans available to plotters under [`FONT`].
pub fn register_fonts() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let fonts = [
            (FontStyle::Normal, dejavu::sans::regular()),
            (FontStyle::Bold, dejavu::sans::bold()),
        ];
        for (style, bytes) in fonts {
            if plotters::style::register_font(FONT, style, bytes).is_err() {
                panic!("the bundled DejaVu Sans font is invalid");
            }
        }
    });
}

/// Bold title text.
pub fn title_font() -> TextStyle<'static> {
    (FONT, 30).into_font().style(FontStyle::Bold).color(&BLACK)
}

/// Axis-label text.
pub fn label_font() -> TextStyle<'static> {
    (FONT, 24).into_font().color(&BLACK)
}

/// Tick-label text.
pub fn tick_font() -> TextStyle<'static> {
    (FONT, 19).into_font().color(&BLACK)
}

/// Legend text.
pub fn legend_font() -> TextStyle<'static> {
    (FONT, 20).into_font().color(&BLACK)
}

/// Text written inside a figure (cell labels, annotations).
pub fn annotation_font(size: u32) -> TextStyle<'static> {
    (FONT, size).into_font().color(&BLACK)
}

/// Draws a figure of `size` with `draw` and returns the SVG text.
pub fn svg<F>(size: (u32, u32), draw: F) -> DrawResult<String>
where
    F: FnOnce(&DrawingArea<SVGBackend<'_>, Shift>) -> DrawResult,
{
    register_fonts();
    let mut text = String::new();
    {
        let root = SVGBackend::with_string(&mut text, size).into_drawing_area();
        root.fill(&WHITE)?;
        draw(&root)?;
        root.present()?;
    }
    Ok(text)
}

/// Which corner of the plot holds the legend.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Legend {
    UpperLeft,
    UpperRight,
    LowerLeft,
    LowerRight,
    MiddleRight,
}

impl Legend {
    pub(crate) fn position(self) -> SeriesLabelPosition {
        match self {
            Legend::UpperLeft => SeriesLabelPosition::UpperLeft,
            Legend::UpperRight => SeriesLabelPosition::UpperRight,
            Legend::LowerLeft => SeriesLabelPosition::LowerLeft,
            Legend::LowerRight => SeriesLabelPosition::LowerRight,
            Legend::MiddleRight => SeriesLabelPosition::MiddleRight,
        }
    }
}

/// A tick label: powers of ten as `1e-6` on a log axis, and at most four
/// significant digits.
pub fn tick_label(v: f64, log: bool) -> String {
    if v == 0.0 {
        return "0".into();
    }
    let magnitude = v.abs().log10();
    if log && !(-2.0..5.0).contains(&magnitude) {
        let exponent = magnitude.round();
        let mantissa = v / 10f64.powf(exponent);
        if (mantissa - 1.0).abs() < 1e-9 {
            return format!("1e{exponent}");
        }
        return format!("{v:.1e}");
    }
    let text = format!("{v:.4}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    // A tick at −1e−16 (rounding in the axis range) prints as 0, not −0.
    if text.is_empty() || text == "-" || text == "-0" {
        "0".into()
    } else {
        text.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::tick_label;

    #[test]
    fn tick_labels() {
        assert_eq!(tick_label(-1e-16, false), "0");
        assert_eq!(tick_label(0.0, false), "0");
        assert_eq!(tick_label(-0.25, false), "-0.25");
        assert_eq!(tick_label(1e-6, true), "1e-6");
        assert_eq!(tick_label(2.5, false), "2.5");
    }
}
