//! Chapter 11's figures.

use super::{central, extrapolation_model, updated, Model, BETAS, CANDIDATES};
use crate::figures::{Colour, Layer, Legend, Marker, Panel};
use gradbo::test_functions::running_example as f;
use gradbo_listings::ch11::mean;
use gradbo_listings::ch11::score;
use gradbo_listings::ch11::support;
use gradbo_listings::ch11::update::{self, EquivalentKernel};

/// Every mean/band picture is drawn in this y-window; curves leaving it are cut at the frame.
const Y_RANGE: (f64, f64) = (-2.5, 2.0);

// The true function, observations, the model's mean and band, the chosen point and the
// data interval are drawn in their `Colour` roles, as in chapters 10, 12 and 13; besides
// them, the search window (sky-blue tint), candidates and second curves (green, vermilion).
const WINDOW: usize = 5;
const CANDIDATE: usize = 2;
const SECOND: usize = 1;

/// A number with a true minus sign, for figure text.
fn num(v: f64, decimals: usize) -> String {
    format!("{v:.decimals$}").replace('-', "−")
}

fn pairs(x: &[f64], y: &[f64]) -> Vec<(f64, f64)> {
    x.iter().copied().zip(y.iter().copied()).collect()
}

/// True curve, mean, optionally the band, and the observations, in the common window.
fn model_panel(
    title: &str,
    m: &Model,
    band: bool,
    shade: Option<(f64, f64)>,
) -> Panel {
    let mut p = Panel::new(title, "x", "f(x)");
    if let Some((a, b)) = shade {
        p = p.with(Layer::shade("data interval", a, b, Colour::Region));
    }
    if band {
        let (lo, hi) = support::band(&m.mu, &m.sigma);
        p = p.with(Layer::band(
            "μ ± 2σ (heuristic)",
            &m.grid,
            &lo,
            &hi,
            Colour::Mean,
        ));
    }
    let truth: Vec<f64> = m.grid.iter().map(|&x| f(x)).collect();
    p = p
        .with(Layer::line("true f", pairs(&m.grid, &truth), Colour::Truth))
        .with(Layer::line("mean μ", pairs(&m.grid, &m.mu), Colour::Mean))
        .with(Layer::points(
            "observations",
            pairs(&m.x, &m.y),
            Colour::Observation,
            Marker::Dot,
        ));
    p.x_range = Some((-3.0, 3.0));
    p.y_range = Some(Y_RANGE);
    p
}

pub(super) fn fits_figure() -> String {
    let a = Model::uniform(-3.0, 3.0, 8, 5, support::DEFAULT);
    let b = central();
    let mut left = model_panel("8 points spread over [−3, 3]", &a, false, None);
    left.legend = Some(Legend::LowerRight);
    let mut right =
        model_panel("8 points in [−1.5, 1.5]", &b, false, Some((-1.5, 1.5)));
    right.legend = Some(Legend::LowerRight);
    Panel::grid(
        "Degree-5 means: the same fit, supported by data or not",
        (1300, 560),
        2,
        &[left, right],
    )
    .expect("draws")
}

pub(super) fn more_data_figure() -> String {
    let panels: Vec<Panel> = [6, 8, 16]
        .iter()
        .map(|&n| {
            let m = Model::uniform(-3.0, 3.0, n, 5, support::DEFAULT);
            let mut p = model_panel(&format!("{n} points"), &m, true, None);
            p.legend = if n == 6 { Some(Legend::LowerLeft) } else { None };
            p
        })
        .collect();
    Panel::grid(
        "More data, narrower band (degree 5, base 0.03, scale 0.30, ℓ = 0.35)",
        (1500, 560),
        3,
        &panels,
    )
    .expect("draws")
}

pub(super) fn extrapolation_figure() -> String {
    let m = extrapolation_model();
    let mut fit = model_panel(
        "Degree 3 from 8 points in [−1.2, 1.2]",
        &m,
        false,
        Some((-1.2, 1.2)),
    );
    fit.legend = Some(Legend::LowerLeft);
    let mut band =
        model_panel("The same fit with μ ± 2σ", &m, true, Some((-1.2, 1.2)));
    band.legend = Some(Legend::LowerLeft);
    let mut sigma = Panel::new("σ(x) alone", "x", "σ(x)")
        .with(Layer::shade("data interval", -1.2, 1.2, Colour::Region))
        .with(Layer::line("σ(x)", pairs(&m.grid, &m.sigma), Colour::Mean));
    sigma.x_range = Some((-3.0, 3.0));
    sigma.y_range = Some((0.0, 0.42));
    sigma.legend = Some(Legend::LowerLeft);
    Panel::grid(
        "Inside the data and outside (base 0.03, scale 0.35, ℓ = 0.30)",
        (1500, 560),
        3,
        &[fit, band, sigma],
    )
    .expect("draws")
}

pub(super) fn candidates_figure() -> String {
    let m = central();
    let (_, mu) = mean::mean(&m.x, &m.y, 5, &CANDIDATES).expect("valid");
    let sigma = m.support.sigma(&m.x, &m.grid, &CANDIDATES);
    let mut p = model_panel(
        "Three candidates: what the model predicts, and how sure it is",
        &m,
        true,
        Some((-1.5, 1.5)),
    )
    .with(Layer::points(
        "candidates",
        pairs(&CANDIDATES, &mu),
        CANDIDATE,
        Marker::Square,
    ));
    for i in 0..3 {
        p = p
            .with(Layer::Text {
                at: (CANDIDATES[i], mu[i] + 0.95),
                text: format!("μ = {}", num(mu[i], 3)),
            })
            .with(Layer::Text {
                at: (CANDIDATES[i], mu[i] + 0.75),
                text: format!("σ = {}", num(sigma[i], 3)),
            });
    }
    p.legend = Some(Legend::LowerRight);
    p.render((1000, 600)).expect("draws")
}

pub(super) fn scores_figure() -> String {
    let m = central();
    let (idx, mu, sigma) = m.window();
    let xs: Vec<f64> = idx.iter().map(|&i| m.grid[i]).collect();
    let panels: Vec<Panel> = BETAS
        .iter()
        .map(|&beta| {
            let s = score::scores(&mu, &sigma, beta);
            let k = score::select(&mu, &sigma, beta);
            let title = format!("β = {beta}: minimum at x = {}", num(xs[k], 3));
            let mut p = Panel::new(&title, "x", "score a(x) = μ̃ − βσ̃")
                .with(Layer::line("", pairs(&xs, &s), Colour::Mean))
                .with(Layer::vline(xs[k], Colour::Chosen))
                .with(Layer::points(
                    "",
                    vec![(xs[k], s[k])],
                    Colour::Chosen,
                    Marker::Star,
                ));
            p.x_range = Some((-2.3, 2.3));
            p.y_range = Some((-3.2, 2.6));
            p.legend = None;
            p
        })
        .collect();
    Panel::grid(
        "The score over the window [−2.2, 2.2]: larger β rewards uncertainty",
        (1500, 540),
        3,
        &panels,
    )
    .expect("draws")
}

pub(super) fn selections_figure() -> String {
    let m = central();
    let mut p = model_panel("Where each β would evaluate next", &m, true, None);
    p.layers.insert(
        0,
        Layer::shade("search window", score::WINDOW.0, score::WINDOW.1, WINDOW),
    );
    p.layers.insert(1, Layer::shade("data interval", -1.5, 1.5, Colour::Region));
    for (k, beta) in BETAS.iter().enumerate() {
        let i = m.choose(*beta);
        let marker = [Marker::Square, Marker::Cross, Marker::Star][k];
        p = p.with(Layer::points(
            format!("β = {beta}: x = {}", num(m.grid[i], 3)),
            vec![(m.grid[i], m.mu[i])],
            [Colour::Palette(CANDIDATE), Colour::Palette(SECOND), Colour::Chosen]
                [k],
            marker,
        ));
    }
    p.legend = Some(Legend::LowerRight);
    p.render((1000, 760)).expect("draws")
}

pub(super) fn update_figure() -> String {
    let before = central();
    let (after, x_new) = updated();
    let star = Layer::points(
        "new point",
        vec![(x_new, f(x_new))],
        Colour::Chosen,
        Marker::Star,
    );
    let mut b = model_panel("Before: 8 points", &before, true, None);
    b.legend = Some(Legend::LowerRight);
    let mut a =
        model_panel("After adding the β = 1 choice", &after, true, None).with(star);
    a.legend = Some(Legend::LowerRight);
    let mut s = Panel::new("σ before and after", "x", "σ(x)")
        .with(Layer::line(
            "before",
            pairs(&before.grid, &before.sigma),
            Colour::Mean,
        ))
        .with(Layer::dashed("after", pairs(&after.grid, &after.sigma), SECOND))
        .with(Layer::vline(x_new, Colour::Chosen));
    s.x_range = Some((-3.0, 3.0));
    s.y_range = Some((0.0, 0.36));
    s.legend = Some(Legend::LowerRight);
    let kernel = EquivalentKernel::new(&before.x, 5).expect("full rank");
    let i = before.grid.iter().position(|&x| x == x_new).expect("grid point");
    let predicted =
        update::mean_change(&kernel, x_new, f(x_new) - before.mu[i], &before.grid)
            .expect("valid");
    let refit: Vec<f64> =
        after.mu.iter().zip(&before.mu).map(|(a, b)| a - b).collect();
    let mut d = Panel::new("Change of the mean, Δμ(x)", "x", "Δμ(x)")
        .with(Layer::shade("data interval", -1.5, 1.5, Colour::Region))
        .with(Layer::line("refitted", pairs(&before.grid, &refit), Colour::Mean))
        .with(Layer::dashed(
            "predicted: k(x, x_new) r/(1 + k(x_new, x_new))",
            pairs(&before.grid, &predicted),
            SECOND,
        ))
        .with(Layer::vline(x_new, Colour::Chosen));
    d.x_range = Some((-3.0, 3.0));
    d.y_range = Some((-3.0, 3.0));
    d.legend = Some(Legend::UpperRight);
    Panel::grid(
        "One new observation at the window's edge",
        (1300, 1000),
        2,
        &[b, a, s, d],
    )
    .expect("draws")
}
