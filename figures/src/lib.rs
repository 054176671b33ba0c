//! The figure style of the gradbo book and the campaign tool's reports: one style and one
//! vocabulary for every chart, drawn as SVG text by plotters with the bundled DejaVu Sans.
//!
//! The worked versions of the book's chapters reach it as `gradbo_solutions::figures`
//! (a re-export), the campaign tool (`gradbo-campaign report`) directly.
//!
//! - [`style`]: sizes, fonts, the [`svg`] wrapper, legends and tick labels;
//! - [`colour`]: colour roles ([`Colour::Truth`], [`Colour::Mean`], …) and the
//!   Okabe–Ito palette for generic series;
//! - [`layer`]: what is drawn on a set of axes ([`Layer`]: lines, bands, markers,
//!   paths, strips, guide lines, text, heat) and the one [`extent`] that sets a
//!   window;
//! - [`heat`]: a quantity over a rectangle as filled colour ([`Heat`]: filled
//!   contours, a matrix) and the [`ColourBar`] that maps values to colours and is
//!   drawn beside the axes;
//! - one file per kind of chart: [`LinePlot`] (linear or log axes), [`Panel`]
//!   (model pictures and surfaces, alone or in a grid), [`PlanePlot`] (contours and
//!   paths in the plane), [`matrix_heat_map`], [`cell_grids`], [`diagram`] and
//!   [`bar_chart`].
//!
//! ```ignore
//! let plot = LinePlot::new("Loss", "step", "loss")
//!     .with(Layer::line("GD", points, 0))
//!     .with(Layer::dashed("bound", bound, 1));
//! let panel = Panel::new("Posterior", "x", "f(x)")
//!     .with(Layer::band("μ ± 2σ", &x, &lower, &upper, Colour::Mean))
//!     .with(Layer::line("true f", truth, Colour::Truth))
//!     .with(Layer::dots("observations", data, Colour::Observation))
//!     .with(Layer::points("next", vec![next], Colour::Chosen, Marker::Star));
//! let heat = Heat::function(&f, window, 100);
//! let bar = ColourBar::new("f(x₁, x₂)", heat.range(), 30);
//! let surface = Panel::new("Surface", "x₁", "x₂")
//!     .with(Layer::heat(heat, &bar))
//!     .with(Layer::dots("observations", data, Colour::Observation))
//!     .with_bar(bar);
//! ```

pub mod bar;
pub mod colour;
pub mod diagram;
pub mod grid;
pub mod heat;
pub mod layer;
pub mod line;
pub mod panel;
pub mod plane;
pub mod style;

pub use bar::bar_chart;
pub use colour::{colour, fill_ramp, ramp, tint, Colour, PALETTE};
pub use diagram::{arrow, dashed_arrow, diagram, DiagramNode};
pub use grid::{cell_grids, CellGrid};
pub use heat::{matrix_heat_map, ColourBar, Heat, Scale};
pub use layer::{extent, Layer, Marker};
pub use line::{step_curve, LinePlot};
pub use panel::Panel;
pub use plane::{contour_segments, PlanePlot};
pub use style::{
    annotation_font, label_font, legend_font, svg, tick_font, tick_label,
    title_font, DrawResult, Legend, FONT, LINE, SIZE,
};
