//! The figures of chapter 17: for each comparison, best-so-far medians with quartile bands
//! beside one representative seed's points on filled contours; the two designs; the learned
//! hyperparameters.

use super::experiments::Comparison;
use super::{band, model_units, representative};
use crate::figures::{
    Colour, ColourBar, Heat, Layer, Legend, LinePlot, Marker, Panel,
};
use gradbo::test_functions::{two_basins, TwoBasins};
use gradbo_listings::ch17::choices::{Run, CLUSTERED, SPACE_FILLING, STEPS};
use gradbo_listings::ch17::evidence::quantile;

/// The box the runs search.
const BOX: (f64, f64) = (-3.0, 3.0);
/// Grid cells per side of the filled contours.
const CELLS: usize = 90;
/// Filled-contour levels.
const LEVELS: usize = 14;
/// The range of F the colour scale covers (F on [−3, 3]² lies within it).
const F_RANGE: (f64, f64) = (-0.9, 0.9);
/// Two panels side by side.
const SIZE: (u32, u32) = (1500, 660);
/// The colours of a comparison's two variants; on the surface the first variant's
/// points are black dots (blue would vanish in the filled contours), the second's
/// squares in its colour.
const VARIANT_COLOURS: [usize; 2] = [0, 1];

/// A comparison: best-so-far over seeds (left), one seed's points on the surface (right).
pub fn comparison(c: &Comparison, runs: &[Vec<Run>; 2]) -> String {
    let seed = representative(runs);
    let points = |v: usize| -> Vec<(f64, f64)> {
        runs[v][seed].x.rows().into_iter().map(|p| (p[0], p[1])).collect()
    };
    let surface = surface_panel(&format!("evaluated points, seed {seed}"))
        .with(Layer::dots(c.variants[0].0, points(0), Colour::Observation))
        .with(Layer::points(
            c.variants[1].0,
            points(1),
            VARIANT_COLOURS[1],
            Marker::Square,
        ))
        .with_bar(f_bar());
    Panel::grid(c.title, SIZE, 2, &[best_panel(c, runs), surface])
        .expect("chapter 17's figures draw")
}

/// The space-filling and the clustered designs on the surface.
pub fn designs() -> String {
    let panels =
        [("Space-filling design", SPACE_FILLING), ("Clustered design", CLUSTERED)]
            .map(|(name, design)| {
                let points = design.iter().map(|p| (p[0], p[1])).collect();
                surface_panel(name).with(Layer::dots(
                    "design",
                    points,
                    Colour::Observation,
                ))
            });
    Panel::grid_with_bar("The two initial designs on F", SIZE, 2, &panels, &f_bar())
        .expect("chapter 17's figures draw")
}

/// Lengthscales and noise against step, medians over seeds, each run in its own units.
pub fn hyperparameters(runs: &[Vec<Run>; 2]) -> String {
    let medians = |v: usize, k: usize| -> Vec<(f64, f64)> {
        let units: Vec<_> =
            runs[v].iter().map(|r| model_units(r, v == 0)).collect();
        (0..STEPS)
            .map(|s| {
                let at: Vec<f64> = units
                    .iter()
                    .map(|u| if k < 2 { u[s].0[k] } else { u[s].1 })
                    .collect();
                ((s + 1) as f64, quantile(&at, 0.5))
            })
            .collect()
    };
    let log_plot = |title: &str, y_label: &str, range: (f64, f64)| {
        let mut plot = LinePlot::new(title, "step (median over seeds)", y_label);
        plot.y_log = true;
        plot.x_range = Some((1.0, STEPS as f64));
        plot.y_range = Some(range);
        plot
    };
    let lengthscales =
        log_plot("Learned lengthscales", "lengthscale", (0.03, 20.0))
            .with(Layer::line("ℓ₁, on (normalised)", medians(0, 0), 0))
            .with(Layer::line("ℓ₂, on (normalised)", medians(0, 1), 2))
            .with(Layer::dashed("ℓ₁, off (data units)", medians(1, 0), 1))
            .with(Layer::dashed("ℓ₂, off (data units)", medians(1, 1), 3));
    let noise = log_plot("Learned noise variance", "noise variance", (3e-5, 0.3))
        .with(Layer::line("σₙ², on (standardised)", medians(0, 2), 0))
        .with(Layer::dashed("σₙ², off (data units)", medians(1, 2), 1));
    LinePlot::grid(
        "Transforms on and off: what the model learns",
        SIZE,
        2,
        &[lengthscales, noise],
    )
    .expect("chapter 17's figures draw")
}

/// Median best-so-far over seeds with the quartiles as a band, for both variants.
fn best_panel(c: &Comparison, runs: &[Vec<Run>; 2]) -> Panel {
    let bands = [band(&runs[0]), band(&runs[1])];
    let top =
        bands.iter().flat_map(|b| b.iter().map(|m| m[2])).fold(f64::MIN, f64::max);
    let steps: Vec<f64> = (0..=STEPS).map(|s| s as f64).collect();
    let mut panel = Panel::new(
        "median and quartiles over seeds",
        "step",
        "best F so far (noise-free)",
    );
    for (b, &colour) in bands.iter().zip(&VARIANT_COLOURS) {
        let lower: Vec<f64> = b.iter().map(|m| m[1]).collect();
        let upper: Vec<f64> = b.iter().map(|m| m[2]).collect();
        panel = panel.with(Layer::spread("", &steps, &lower, &upper, colour));
    }
    for ((b, &colour), (name, _)) in
        bands.iter().zip(&VARIANT_COLOURS).zip(&c.variants)
    {
        let median = steps.iter().zip(b).map(|(&s, m)| (s, m[0])).collect();
        panel = panel.with(Layer::line(
            format!("{name} (median, quartiles)"),
            median,
            colour,
        ));
    }
    panel = panel.with(Layer::dashed(
        "F* (global minimum)",
        vec![(0.0, TwoBasins::MINIMUM), (STEPS as f64, TwoBasins::MINIMUM)],
        Colour::Truth,
    ));
    panel.x_range = Some((0.0, STEPS as f64));
    panel.y_range = Some((TwoBasins::MINIMUM - 0.05, top + 0.05));
    panel.legend = Some(Legend::UpperRight);
    panel
}

/// The colour bar of F's filled contours.
fn f_bar() -> ColourBar {
    ColourBar::new("F(x₁, x₂)", F_RANGE, LEVELS)
}

/// Filled contours of F on [−3, 3]² with its global minimum marked; the legend at the
/// lower right.
fn surface_panel(title: &str) -> Panel {
    let heat = Heat::function(&two_basins, (BOX, BOX), CELLS);
    let [a, b] = TwoBasins::MINIMISER;
    let mut panel = Panel::new(title, "x₁", "x₂")
        .with(Layer::heat(heat, &f_bar()))
        .with(Layer::points(
            "global minimum",
            vec![(a, b)],
            Colour::Truth,
            Marker::Cross,
        ));
    panel.x_range = Some(BOX);
    panel.y_range = Some(BOX);
    panel.legend = Some(Legend::LowerRight);
    panel
}
