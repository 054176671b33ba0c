//! Chapter 14's figures.

use super::{library, Setting};
use crate::figures::{Colour, Layer, Legend, Marker, Panel};

fn truth(s: &Setting) -> Layer {
    let points = s.s.grid.iter().copied().zip(s.truth.iter().copied()).collect();
    Layer::line("true f", points, Colour::Truth)
}

fn observations(s: &Setting) -> Layer {
    let points = s.x().into_iter().zip(s.data.y.iter().copied()).collect();
    Layer::dots("observations", points, Colour::Observation)
}

fn minimum(s: &Setting) -> Layer {
    Layer::points("global minimum", vec![s.minimum()], Colour::Truth, Marker::Cross)
}

/// The posterior mean and its ±2σ band on the grid.
fn model(s: &Setting) -> [Layer; 2] {
    let g = &s.s.grid;
    let lower: Vec<f64> =
        s.s.mean.iter().zip(&s.s.sd).map(|(m, d)| m - 2.0 * d).collect();
    let upper: Vec<f64> =
        s.s.mean.iter().zip(&s.s.sd).map(|(m, d)| m + 2.0 * d).collect();
    [
        Layer::band("μ ± 2σ", g, &lower, &upper, Colour::Mean),
        Layer::line(
            "posterior mean μ",
            g.iter().copied().zip(s.s.mean.iter().copied()).collect(),
            Colour::Mean,
        ),
    ]
}

fn posterior_panel(title: &str, s: &Setting) -> Panel {
    let [band, mean] = model(s);
    let mut panel = Panel::new(title, "x", "f(x)")
        .with(band)
        .with(truth(s))
        .with(mean)
        .with(observations(s));
    panel.x_range = Some((-3.0, 3.0));
    panel
}

pub(super) fn objective_figure(s: &Setting) -> String {
    let mut panel =
        Panel::new("The objective and eight noisy observations", "x", "f(x)")
            .with(truth(s))
            .with(observations(s))
            .with(minimum(s));
    panel.x_range = Some((-3.0, 3.0));
    panel.y_range = Some((-0.55, 0.75));
    panel.legend = Some(Legend::LowerLeft);
    panel.render((900, 520)).expect("draws")
}

pub(super) fn posterior_figure(s: &Setting) -> String {
    let mut panel =
        posterior_panel("The library's posterior given eight observations", s);
    panel.y_range = Some((-0.65, 1.1));
    panel.legend = Some(Legend::UpperRight);
    panel.render((900, 560)).expect("draws")
}

pub(super) fn sigma_figure(s: &Setting) -> String {
    let g = &s.s.grid;
    let std = s.s.model.standardize.std;
    let x = s.x();
    let (_, at_data) = library(s, &x);
    let mut panel = Panel::new("Posterior standard deviation σ(x)", "x", "σ(x)")
        .with(Layer::shade("data region", -1.5, 1.5, Colour::Region))
        .with(Layer::dashed(
            "s, the outputs' std",
            vec![(-3.0, std), (3.0, std)],
            Colour::Truth,
        ))
        .with(Layer::line(
            "σ(x)",
            g.iter().copied().zip(s.s.sd.iter().copied()).collect(),
            Colour::Mean,
        ))
        .with(Layer::dots(
            "σ at the observed x",
            x.into_iter().zip(at_data).collect(),
            Colour::Observation,
        ));
    panel.x_range = Some((-3.0, 3.0));
    panel.y_range = Some((0.0, 0.46));
    panel.legend = Some(Legend::UpperRight);
    panel.render((900, 520)).expect("draws")
}

pub(super) fn complex_figure(c: &Setting) -> String {
    let mut left = Panel::new("twelve observations of f", "x", "f(x)")
        .with(truth(c))
        .with(observations(c))
        .with(minimum(c));
    left.x_range = Some((-3.0, 3.0));
    let mut right = posterior_panel("the fitted posterior", c);
    for p in [&mut left, &mut right] {
        p.y_range = Some((-1.2, 1.6));
        p.legend = Some(Legend::UpperLeft);
    }
    Panel::grid(
        "The same workflow on a harder objective",
        (1400, 560),
        2,
        &[left, right],
    )
    .expect("draws")
}
