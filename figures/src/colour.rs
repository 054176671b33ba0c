//! Colours: the roles a colour plays in the book's model pictures, and the indexed
//! Okabe–Ito palette for generic series, which stays distinguishable for readers with
//! colour-vision deficiencies.

use plotters::style::RGBColor;

/// Okabe–Ito colours, in the order generic series use them.
pub const PALETTE: [RGBColor; 7] = [
    RGBColor(0, 114, 178),   // blue
    RGBColor(213, 94, 0),    // vermilion
    RGBColor(0, 158, 115),   // bluish green
    RGBColor(204, 121, 167), // reddish purple
    RGBColor(230, 159, 0),   // orange
    RGBColor(86, 180, 233),  // sky blue
    RGBColor(0, 0, 0),       // black
];

/// How strongly an uncertainty band is tinted (see [`tint`]).
pub const BAND_TINT: f64 = 0.3;
/// How strongly a shaded region is tinted.
pub const SHADE_TINT: f64 = 0.15;

/// The colour of a layer: a role that every model picture draws alike, or a palette
/// entry for generic series (one colour per method, setting or sample).
///
/// Every layer constructor takes `impl Into<Colour>`, so a plain palette index
/// (`0`, `1`, …) also works.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Colour {
    /// The true function: a black line.
    Truth,
    /// Observed values: black dots.
    Observation,
    /// A surrogate's mean: solid blue; its band is the same blue tinted.
    Mean,
    /// The point chosen next: an orange star (and its guide line).
    Chosen,
    /// The region the data cover: an orange tint.
    Region,
    /// Entry `i` of [`PALETTE`] (wrapping around).
    Palette(usize),
}

impl Colour {
    /// The colour itself.
    pub fn rgb(self) -> RGBColor {
        match self {
            Colour::Truth | Colour::Observation => PALETTE[6],
            Colour::Mean => PALETTE[0],
            Colour::Chosen | Colour::Region => PALETTE[4],
            Colour::Palette(i) => colour(i),
        }
    }

    /// This colour mixed with white: `t` = 0 is white, 1 the full colour.
    pub fn tint(self, t: f64) -> RGBColor {
        tint(self.rgb(), t)
    }
}

impl From<usize> for Colour {
    fn from(i: usize) -> Self {
        Colour::Palette(i)
    }
}

/// Colour `i` of the palette (wrapping around).
pub fn colour(i: usize) -> RGBColor {
    PALETTE[i % PALETTE.len()]
}

/// A colour between white and `to` for `t` in [0, 1]: fills for cells and heat
/// maps.
pub fn tint(to: RGBColor, t: f64) -> RGBColor {
    let t = t.clamp(0.0, 1.0);
    let mix = |c: u8| (255.0 + (f64::from(c) - 255.0) * t).round() as u8;
    RGBColor(mix(to.0), mix(to.1), mix(to.2))
}

/// The sequential scale for lines ordered from low to high, `t` in [0, 1]: light to
/// dark blue. Contour lines use it.
pub fn ramp(t: f64) -> RGBColor {
    tint(PALETTE[0], 0.25 + 0.6 * t)
}

/// The sequential scale for filled colour (heat, filled contours, their colour bars),
/// `t` in [0, 1]: from nearly white for low values to the full blue of [`PALETTE`] for
/// high ones. It spans more than [`ramp`], since neighbouring areas must differ where
/// lines only had to be seen; black dots and the orange star stay legible on all of it.
pub fn fill_ramp(t: f64) -> RGBColor {
    tint(PALETTE[0], 0.04 + 0.96 * t)
}
