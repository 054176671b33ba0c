//! Chapter 12's figures.

use super::{fixed, grid, truth};
use crate::figures::{
    matrix_heat_map, Colour, ColourBar, Layer, Legend, LinePlot, Marker, Panel,
};
use gradbo::gp::{prior_samples, Gp, Hyperparameters, Kernel, KernelKind};
use gradbo::numeric::column;
use gradbo::test_functions::running_example as f;
use gradbo_listings::ch12::evidence::evidence;
use gradbo_listings::ch12::fitting::fit_1d;
use gradbo_listings::ch12::kernel::{kernel_matrix, rbf};
use gradbo_listings::ch12::posterior::{observations, Posterior, NOISE};
use gradbo_listings::ch12::prior;
use ndarray::{array, Array1, Array2};

/// The (ℓ, σf²) settings compared in the prior and posterior grids.
const SETTINGS: [(f64, f64); 4] = [(0.3, 0.5), (0.3, 1.5), (1.2, 0.5), (1.2, 1.5)];
/// The points added one at a time in the sequential figure.
const SEQUENCE: [f64; 5] = [-3.0, 3.0, -2.5, -2.0, 2.0];

/// Mean and ±2σ band of a posterior on the grid.
fn model_layers(p: &Posterior) -> [Layer; 2] {
    let g = grid();
    let sd = p.variance().mapv(f64::sqrt);
    let lower: Vec<f64> =
        p.mean.iter().zip(&sd).map(|(m, s)| m - 2.0 * s).collect();
    let upper: Vec<f64> =
        p.mean.iter().zip(&sd).map(|(m, s)| m + 2.0 * s).collect();
    [
        Layer::band("μ ± 2σ", &g, &lower, &upper, Colour::Mean),
        Layer::line(
            "posterior mean μ",
            g.iter().copied().zip(p.mean.iter().copied()).collect(),
            Colour::Mean,
        ),
    ]
}

fn data_layer(x: &[f64], y: &[f64]) -> Layer {
    Layer::points(
        "observations",
        x.iter().copied().zip(y.iter().copied()).collect(),
        Colour::Observation,
        Marker::Dot,
    )
}

/// A posterior panel: band, mean, truth, data.
fn posterior_panel(title: &str, x: &[f64], y: &[f64], p: &Posterior) -> Panel {
    let [band, mean] = model_layers(p);
    let mut panel = Panel::new(title, "x", "f(x)")
        .with(band)
        .with(truth())
        .with(mean)
        .with(data_layer(x, y));
    panel.x_range = Some((-3.0, 3.0));
    panel
}

pub(super) fn kernel_matrix_figure() -> String {
    let g: Vec<f64> = Array1::linspace(-3.0, 3.0, 60).to_vec();
    let k = kernel_matrix(&g, &g, 0.8, 1.0);
    // k from 0 (nearly white) to 1 (full blue), in 100 bands.
    let bar = ColourBar::new("k", (0.0, 1.0), 100);
    matrix_heat_map(
        "The kernel matrix on 60 points (ℓ = 0.8, σf² = 1)",
        ("input index j", "input index i"),
        k.view(),
        &bar,
        (850, 700),
    )
    .expect("draws")
}

pub(super) fn kernel_slices_figure() -> String {
    let g = grid();
    let mut panel = Panel::new(
        "One row of the kernel: k(x, x′) against x (ℓ = 0.8)",
        "x",
        "k(x, x′)",
    );
    for (i, &x2) in [-2.0, 0.0, 2.0].iter().enumerate() {
        let pts = g.iter().map(|&x| (x, rbf(x, x2, 0.8, 1.0))).collect();
        panel = panel.with(Layer::line(format!("x′ = {x2}"), pts, i));
    }
    panel.y_range = Some((0.0, 1.25));
    panel.legend = Some(Legend::UpperRight);
    panel.render((900, 500)).expect("draws")
}

fn sample_layers(samples: &Array2<f64>) -> Vec<Layer> {
    let g = grid();
    samples
        .rows()
        .into_iter()
        .enumerate()
        .map(|(k, s)| {
            let pts = g.iter().copied().zip(s.iter().copied()).collect();
            Layer::line(format!("sample {}", k + 1), pts, k)
        })
        .collect()
}

pub(super) fn prior_samples_figure() -> String {
    let samples = prior::prior_samples(&grid(), 0.8, 1.0, 5, 0).expect("valid");
    let mut panel = Panel::new(
        "Five functions from the GP prior (ℓ = 0.8, σf² = 1)",
        "x",
        "f(x)",
    );
    for layer in sample_layers(&samples) {
        panel = panel.with(layer);
    }
    // The five samples are interchangeable: no legend to cover them.
    panel.legend = None;
    panel.y_range = Some((-3.0, 3.0));
    panel.render((900, 560)).expect("draws")
}

pub(super) fn prior_settings_figure() -> String {
    let panels: Vec<Panel> = SETTINGS
        .iter()
        .map(|&(l, v)| {
            let samples = prior::prior_samples(&grid(), l, v, 5, 0).expect("valid");
            let mut panel = Panel::new(&format!("ℓ = {l}, σf² = {v}"), "x", "f(x)");
            for layer in sample_layers(&samples) {
                panel = panel.with(layer);
            }
            panel.y_range = Some((-3.5, 3.5));
            panel.legend = None;
            panel
        })
        .collect();
    Panel::grid(
        "Prior samples: ℓ sets the wiggle, σf² the amplitude",
        (1200, 800),
        2,
        &panels,
    )
    .expect("draws")
}

pub(super) fn prior_kernels_figure() -> String {
    let g = grid();
    let kinds = [
        (KernelKind::SquaredExponential, "squared exponential"),
        (KernelKind::Matern52, "Matérn 5/2"),
        (KernelKind::Matern32, "Matérn 3/2"),
        (KernelKind::Matern12, "Matérn 1/2"),
    ];
    let panels: Vec<Panel> = kinds
        .iter()
        .map(|&(kind, name)| {
            let kernel = Kernel::new(kind, array![0.8], 1.0).expect("valid");
            let samples =
                prior_samples(&kernel, column(&g).view(), 3, 0).expect("valid");
            let mut panel = Panel::new(name, "x", "f(x)");
            for layer in sample_layers(&samples) {
                panel = panel.with(layer);
            }
            panel.y_range = Some((-3.0, 3.0));
            panel.legend = None;
            panel
        })
        .collect();
    Panel::grid(
        "Same lengthscale (0.8), same seed: smoothness is the kernel's choice",
        (1200, 800),
        2,
        &panels,
    )
    .expect("draws")
}

pub(super) fn posterior_figure() -> String {
    let (x, y) = observations();
    let panels: Vec<Panel> = [1.0, 0.8]
        .iter()
        .map(|&l| {
            let mut p = posterior_panel(
                &format!("ℓ = {l}"),
                &x,
                &y,
                &fixed(&x, &y, l, 1.0),
            );
            p.y_range = Some((-5.0, 3.0));
            p.legend = if l == 1.0 { Some(Legend::UpperRight) } else { None };
            p
        })
        .collect();
    Panel::grid(
        "The posterior given eight observations (σf² = 1, σₙ² = 10⁻⁴)",
        (1200, 520),
        2,
        &panels,
    )
    .expect("draws")
}

pub(super) fn posterior_sd_figure() -> String {
    let (x, y) = observations();
    let g = grid();
    let mut panel = Panel::new("Posterior standard deviation σ(x)", "x", "σ(x)")
        .with(Layer::shade("data region", -1.5, 1.5, Colour::Region));
    for (i, l) in [1.0, 0.8].iter().enumerate() {
        let sd = fixed(&x, &y, *l, 1.0).variance().mapv(f64::sqrt);
        let pts = g.iter().copied().zip(sd.iter().copied()).collect();
        panel = panel.with(Layer::line(format!("ℓ = {l}"), pts, i));
    }
    panel = panel.with(Layer::points(
        "observed x",
        x.iter().map(|&x| (x, 0.0)).collect(),
        6,
        Marker::Dot,
    ));
    panel.y_range = Some((-0.02, 1.45));
    panel.legend = Some(Legend::UpperRight);
    panel.render((900, 500)).expect("draws")
}

pub(super) fn prior_vs_posterior_figure() -> String {
    let (x, y) = observations();
    let g = grid();
    let prior_draws = prior::prior_samples(&g, 0.8, 1.0, 5, 0).expect("valid");
    let kernel = Kernel::new(KernelKind::SquaredExponential, array![0.8], 1.0)
        .expect("valid");
    let gp = Gp::new(
        column(&x),
        Array1::from(y.clone()),
        Hyperparameters { kernel, mean: 0.0, noise: NOISE },
    )
    .expect("valid");
    let post_draws = gp.sample(column(&g).view(), 5, 0).expect("valid");
    let mut left = Panel::new("prior", "x", "f(x)");
    for layer in sample_layers(&prior_draws) {
        left = left.with(layer);
    }
    let mut right = Panel::new("posterior", "x", "f(x)");
    for layer in sample_layers(&post_draws) {
        right = right.with(layer);
    }
    right = right.with(data_layer(&x, &y));
    for p in [&mut left, &mut right] {
        p.y_range = Some((-3.0, 3.0));
        p.legend = None;
    }
    right.legend = Some(Legend::LowerLeft);
    Panel::grid(
        "Five functions before and after seeing the data (ℓ = 0.8)",
        (1200, 520),
        2,
        &[left, right],
    )
    .expect("draws")
}

pub(super) fn more_data_figure() -> String {
    let panels: Vec<Panel> = [6, 16]
        .iter()
        .map(|&n| {
            let x = Array1::linspace(-2.0, 2.0, n).to_vec();
            let y: Vec<f64> = x.iter().map(|&x| f(x)).collect();
            let mut p = posterior_panel(
                &format!("{n} observations on [−2, 2]"),
                &x,
                &y,
                &fixed(&x, &y, 0.8, 1.0),
            );
            p.y_range = Some((-3.0, 2.5));
            p.legend = if n == 6 { Some(Legend::LowerLeft) } else { None };
            p
        })
        .collect();
    Panel::grid("More data, narrower band (ℓ = 0.8)", (1200, 520), 2, &panels)
        .expect("draws")
}

pub(super) fn posterior_settings_figure() -> String {
    let (x, y) = observations();
    let panels: Vec<Panel> = SETTINGS
        .iter()
        .enumerate()
        .map(|(i, &(l, v))| {
            let mut p = posterior_panel(
                &format!("ℓ = {l}, σf² = {v}"),
                &x,
                &y,
                &fixed(&x, &y, l, v),
            );
            p.y_range = Some((-5.0, 3.0));
            p.legend = if i == 0 { Some(Legend::LowerLeft) } else { None };
            p
        })
        .collect();
    Panel::grid(
        "The same data under four hyperparameter settings",
        (1200, 800),
        2,
        &panels,
    )
    .expect("draws")
}

pub(super) fn outside_point_figure() -> String {
    let x = Array1::linspace(-2.0, 2.0, 8).to_vec();
    let y: Vec<f64> = x.iter().map(|&x| f(x)).collect();
    let mut before = posterior_panel("before", &x, &y, &fixed(&x, &y, 0.8, 1.0));
    let (mut x2, mut y2) = (x.clone(), y.clone());
    x2.push(2.7);
    y2.push(f(2.7));
    let mut after = posterior_panel(
        "after adding x = 2.7",
        &x2,
        &y2,
        &fixed(&x2, &y2, 0.8, 1.0),
    )
    .with(Layer::points(
        "new point",
        vec![(2.7, f(2.7))],
        Colour::Chosen,
        Marker::Star,
    ));
    for p in [&mut before, &mut after] {
        p.y_range = Some((-3.0, 2.5));
        p.legend = None;
    }
    before.legend = Some(Legend::LowerLeft);
    after.legend = Some(Legend::LowerLeft);
    Panel::grid(
        "One observation outside the data (ℓ = 0.8)",
        (1200, 520),
        2,
        &[before, after],
    )
    .expect("draws")
}

pub(super) fn sequential_figure() -> String {
    let (mut x, mut y) = observations();
    let mut panels = Vec::new();
    for step in 0..=SEQUENCE.len() {
        let title = if step == 0 {
            "start: 8 central points".to_string()
        } else {
            format!("{step}: add x = {}", SEQUENCE[step - 1])
        };
        let mut p = posterior_panel(&title, &x, &y, &fixed(&x, &y, 0.8, 1.0));
        if step > 0 {
            let newest = (x[x.len() - 1], y[y.len() - 1]);
            p = p.with(Layer::points(
                "newest",
                vec![newest],
                Colour::Chosen,
                Marker::Star,
            ));
        }
        p.y_range = Some((-3.0, 2.5));
        p.legend = None;
        panels.push(p);
        if let Some(&next) = SEQUENCE.get(step) {
            x.push(next);
            y.push(f(next));
        }
    }
    Panel::grid("Adding points one at a time (ℓ = 0.8)", (1500, 860), 3, &panels)
        .expect("draws")
}

pub(super) fn evidence_figure() -> String {
    let (x, y) = observations();
    let ls: Vec<f64> =
        (0..=120).map(|k| 10f64.powf(-1.3 + 1.6 * f64::from(k) / 120.0)).collect();
    let terms: Vec<_> = ls
        .iter()
        .map(|&l| (l, evidence(&x, &y, l, 1.0, NOISE).expect("valid")))
        .collect();
    let mut plot = LinePlot::new(
        "The two terms of log p(y) against ℓ (m = 0, σf² = 1, σₙ² = 10⁻⁴)",
        "lengthscale ℓ",
        "log-likelihood terms",
    );
    plot.legend = Legend::LowerLeft;
    plot.y_range = Some((-40.0, 25.0));
    plot.layers = vec![
        Layer::dashed(
            "data fit −½yᵀK_y⁻¹y",
            terms.iter().map(|(l, e)| (*l, e.data_fit)).collect(),
            1,
        ),
        Layer::dashed(
            "complexity −½log det K_y",
            terms.iter().map(|(l, e)| (*l, e.complexity)).collect(),
            2,
        ),
        Layer::line(
            "log p(y)",
            terms.iter().map(|(l, e)| (*l, e.value)).collect(),
            0,
        ),
    ];
    plot.render().expect("draws")
}

pub(super) fn fitted_figure() -> String {
    let (x, y) = observations();
    let (model, h) = fit_1d(&x, &y).expect("fits");
    let g = grid();
    let p = model.predict(column(&g).view()).expect("valid");
    let fitted = Posterior {
        mean: p.mean,
        covariance: Array2::from_diag(&p.variance),
        alpha: Array1::zeros(0),
    };
    let mut left = posterior_panel(
        "hand-set: m = 0, ℓ = 0.8, σf² = 1",
        &x,
        &y,
        &fixed(&x, &y, 0.8, 1.0),
    );
    let mut right = posterior_panel(
        &format!(
            "fitted: m = {:.2}, ℓ = {:.2}, σf² = {:.3}",
            h.mean, h.lengthscale, h.variance
        ),
        &x,
        &y,
        &fitted,
    );
    for p in [&mut left, &mut right] {
        p.y_range = Some((-3.0, 3.0));
        p.legend = None;
    }
    left.legend = Some(Legend::UpperRight);
    Panel::grid(
        "Hyperparameters by hand, and by maximum marginal likelihood",
        (1200, 520),
        2,
        &[left, right],
    )
    .expect("draws")
}
