//! Chapter 12, Gaussian processes as surrogate models: kernels, prior samples, posteriors,
//! hyperparameters and their fitting by marginal likelihood, figures and exercise answers.

use crate::figures::{
    label_font, svg, tick_font, tick_label, tint, title_font, Colour, Layer,
    Legend, LinePlot, Marker, Panel,
};
use crate::report::Report;
use crate::{Artifact, Context};
use gradbo::gp::{prior_samples, Gp, Hyperparameters, Kernel, KernelKind};
use gradbo::linalg::{symmetric_eigen, Cholesky};
use gradbo::numeric::column;
use gradbo::test_functions::running_example as f;
use gradbo_listings::ch12::evidence::evidence;
use gradbo_listings::ch12::fitting::fit_1d;
use gradbo_listings::ch12::kernel::{kernel_matrix, rbf};
use gradbo_listings::ch12::posterior::{observations, posterior, Posterior, NOISE};
use gradbo_listings::ch12::prior;
use ndarray::{array, Array1, Array2};
use plotters::prelude::*;
use std::fmt::Write as _;

/// Where this chapter's output and figures go.
const CTX: Context = Context::new("part3", "ch12");
/// The (ℓ, σf²) settings compared in the prior and posterior grids.
const SETTINGS: [(f64, f64); 4] = [(0.3, 0.5), (0.3, 1.5), (1.2, 0.5), (1.2, 1.5)];
/// The points added one at a time in the sequential figure.
const SEQUENCE: [f64; 5] = [-3.0, 3.0, -2.5, -2.0, 2.0];

/// The dense grid of 400 points on [−3, 3].
fn grid() -> Vec<f64> {
    Array1::linspace(-3.0, 3.0, 400).to_vec()
}

/// Everything chapter 12 shows.
pub fn run() -> Vec<Artifact> {
    vec![
        Artifact::new(CTX.output(), report()),
        Artifact::new(CTX.figure("kernel-matrix"), kernel_matrix_figure()),
        Artifact::new(CTX.figure("kernel-slices"), kernel_slices_figure()),
        Artifact::new(CTX.figure("prior-samples"), prior_samples_figure()),
        Artifact::new(CTX.figure("prior-settings"), prior_settings_figure()),
        Artifact::new(CTX.figure("prior-kernels"), prior_kernels_figure()),
        Artifact::new(CTX.figure("posterior"), posterior_figure()),
        Artifact::new(CTX.figure("posterior-sd"), posterior_sd_figure()),
        Artifact::new(
            CTX.figure("prior-vs-posterior"),
            prior_vs_posterior_figure(),
        ),
        Artifact::new(CTX.figure("more-data"), more_data_figure()),
        Artifact::new(
            CTX.figure("posterior-settings"),
            posterior_settings_figure(),
        ),
        Artifact::new(CTX.figure("outside-point"), outside_point_figure()),
        Artifact::new(CTX.figure("sequential"), sequential_figure()),
        Artifact::new(CTX.figure("evidence"), evidence_figure()),
        Artifact::new(CTX.figure("fitted"), fitted_figure()),
    ]
}

fn fixed(x: &[f64], y: &[f64], lengthscale: f64, variance: f64) -> Posterior {
    posterior(x, y, &grid(), lengthscale, variance, NOISE).expect("valid data")
}

fn report() -> String {
    let mut r = Report::new();
    let (x, y) = observations();
    let mut obs = String::from("   x         f(x)\n");
    for (x, y) in x.iter().zip(&y) {
        let _ = writeln!(obs, "{x:+8.4}  {y:+9.5}");
    }
    r.section("observations", obs);
    r.section(
        "kernel",
        format!("k(0, 1) with ℓ = 0.8, σf² = 1: {:.6}\n", rbf(0.0, 1.0, 0.8, 1.0)),
    );
    r.section("jitter", jitter_text());
    let mut post = String::from(
        "  ℓ     μ(−3)     μ(0)      μ(3)    σ(−3)    σ(0)      σ(3)\n",
    );
    let mut weights = String::new();
    let mut lows = String::new();
    for l in [1.0, 0.8] {
        let p = posterior(&x, &y, &[-3.0, 0.0, 3.0], l, 1.0, NOISE).expect("valid");
        let sd = p.variance().mapv(f64::sqrt);
        let _ = writeln!(
            post,
            "{l:4.1}  {:+8.3}  {:+8.4}  {:+8.3}  {:7.4}  {:8.5}  {:7.4}",
            p.mean[0], p.mean[1], p.mean[2], sd[0], sd[1], sd[2]
        );
        let dense = fixed(&x, &y, l, 1.0);
        let low = gradbo::array::argmin(&dense.mean).unwrap_or(0);
        let _ = writeln!(
            lows,
            "ℓ = {l:.1}: lowest μ on the grid {:+.3} at x = {:+.3}",
            dense.mean[low],
            grid()[low]
        );
        let alpha: Vec<String> =
            p.alpha.iter().map(|a| format!("{a:+.0}")).collect();
        let _ = writeln!(weights, "ℓ = {l:.1}: α = ({})", alpha.join(", "));
    }
    post.push_str(&lows);
    r.section("posterior", post);
    r.section("weights", weights);
    r.section("evidence", evidence_table());
    r.section("fit", fit_text());
    r.section("answers", answers());
    r.finish()
}

fn jitter_text() -> String {
    let g = grid();
    let k = kernel_matrix(&g, &g, 0.8, 1.0);
    let eigen = symmetric_eigen(k.view()).expect("symmetric");
    let smallest = eigen.values[0];
    let largest = eigen.values[eigen.values.len() - 1];
    let plain = match Cholesky::new(k.view()) {
        Ok(_) => "succeeds".to_string(),
        Err(e) => format!("fails: {e}"),
    };
    let tiny = eigen.values.iter().filter(|v| v.abs() < 1e-10).count();
    format!(
        "K on the 400-point grid (ℓ = 0.8): eigenvalues from {smallest:.1e} to {largest:.1}\n\
         eigenvalues below 10⁻¹⁰ in size: {tiny} of 400\n\
         Cholesky of K:               {plain}\n\
         Cholesky of K + 10⁻⁶ I:      {}\n",
        if prior::prior_samples(&g, 0.8, 1.0, 1, 0).is_ok() { "succeeds" } else { "fails" }
    )
}

fn evidence_table() -> String {
    let (x, y) = observations();
    let mut t = String::from("  ℓ     data fit   complexity   log p(y)\n");
    for l in [0.1, 0.2, 0.3, 0.5, 0.8, 1.0, 1.2] {
        let e = evidence(&x, &y, l, 1.0, NOISE).expect("valid");
        let _ = writeln!(
            t,
            "{l:4.1}  {:+10.3}  {:+10.3}  {:+10.3}",
            e.data_fit, e.complexity, e.value
        );
    }
    let (best, value) = (0..=1000)
        .map(|k| 0.05 + 1.25 * f64::from(k) / 1000.0)
        .map(|l| (l, evidence(&x, &y, l, 1.0, NOISE).expect("valid").value))
        .fold((0.0, f64::NEG_INFINITY), |b, c| if c.1 > b.1 { c } else { b });
    let _ = writeln!(
        t,
        "largest on a fine grid of ℓ: ℓ = {best:.3}, log p(y) = {value:+.3}"
    );
    t
}

fn fit_text() -> String {
    let (x, y) = observations();
    let (model, h) = fit_1d(&x, &y).expect("fits");
    let hand = evidence(&x, &y, 0.8, 1.0, NOISE).expect("valid").value;
    let fitted = gp_lml(&x, &y, h.mean, h.lengthscale, h.variance, h.noise);
    let g = grid();
    let covered = |mean: &Array1<f64>, var: &Array1<f64>| {
        let inside = g
            .iter()
            .zip(mean.iter().zip(var))
            .filter(|(&x, (m, v))| (f(x) - *m).abs() <= 2.0 * v.sqrt())
            .count();
        100.0 * inside as f64 / g.len() as f64
    };
    let p = model.predict(column(&g).view()).expect("valid");
    let hand_p = fixed(&x, &y, 0.8, 1.0);
    // The stretches of x where the fitted band misses the truth.
    let mut misses = Vec::new();
    let mut start: Option<f64> = None;
    for (i, &x) in g.iter().enumerate() {
        let out = (f(x) - p.mean[i]).abs() > 2.0 * p.variance[i].sqrt();
        match (out, start) {
            (true, None) => start = Some(x),
            (false, Some(a)) => {
                misses.push(format!("[{a:+.2}, {:+.2}]", g[i - 1]));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(a) = start {
        misses.push(format!("[{a:+.2}, {:+.2}]", g[g.len() - 1]));
    }
    let near_zero_noise = gp_lml(&x, &y, h.mean, h.lengthscale, h.variance, 1e-9);
    // The evidence curve is a slice at m = 0, σf² = 1; its peak moves with the other values.
    let peak = |mean: f64, v: f64, noise: f64| {
        (0..=1000)
            .map(|k| 0.05 + 1.25 * f64::from(k) / 1000.0)
            .map(|l| (l, gp_lml(&x, &y, mean, l, v, noise)))
            .fold((0.0, f64::NEG_INFINITY), |b, c| if c.1 > b.1 { c } else { b })
            .0
    };
    let slices = format!(
        "largest log p(y) on the fine grid of ℓ: with m = 0, σf² = 1, σₙ² = 10⁻⁴ at ℓ = {:.3}; \
         with σf² = {:.4} instead at ℓ = {:.3}; with m, σf², σₙ² all at their fitted values at ℓ = {:.3}\n",
        peak(0.0, 1.0, NOISE),
        h.variance,
        peak(0.0, h.variance, NOISE),
        peak(h.mean, h.variance, h.noise)
    );
    let coverage = format!(
        "share of the 400 grid points where the true f lies within μ ± 2σ: fitted {:.0}%, hand-set {:.0}%\n",
        covered(&p.mean, &p.variance),
        covered(&hand_p.mean, &hand_p.variance())
    );
    coverage
        + &slices
        + &format!("the fitted band misses the truth on {}\n", misses.join(", "))
        + &format!(
            "log p(y) at the fitted values but σₙ² = 10⁻⁹: {near_zero_noise:+.3}\n"
        )
        + &format!(
        "fitted: m = {:+.4}, ℓ = {:.4}, σf² = {:.4}, σₙ² = {:.1e}\n\
         log p(y): fitted {fitted:+.3}, hand-set (m = 0, ℓ = 0.8, σf² = 1, σₙ² = 10⁻⁴) {hand:+.3}\n\
         jitter added to factor the fitted model: {}\n",
        h.mean,
        h.lengthscale,
        h.variance,
        h.noise,
        match model.gp.jitter() {
            0.0 => "none".to_string(),
            j => format!("{j:.0e}"),
        }
    )
}

fn gp_lml(x: &[f64], y: &[f64], mean: f64, l: f64, v: f64, noise: f64) -> f64 {
    let kernel =
        Kernel::new(KernelKind::SquaredExponential, array![l], v).expect("valid");
    let hyper = Hyperparameters { kernel, mean, noise };
    Gp::new(column(x), Array1::from(y.to_vec()), hyper)
        .expect("valid")
        .log_marginal_likelihood()
}

// ---------------------------------------------------------------- figures

/// The true curve on the grid, in black.
fn truth() -> Layer {
    Layer::line(
        "true f",
        grid().iter().map(|&x| (x, f(x))).collect(),
        Colour::Truth,
    )
}

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

fn kernel_matrix_figure() -> String {
    let g: Vec<f64> = Array1::linspace(-3.0, 3.0, 60).to_vec();
    let k = kernel_matrix(&g, &g, 0.8, 1.0);
    let n = g.len();
    svg((820, 700), |root| {
        let body = root.titled(
            "The kernel matrix on 60 points (ℓ = 0.8, σf² = 1)",
            title_font(),
        )?;
        let (left, right) = body.split_horizontally(700);
        let mut chart = ChartBuilder::on(&left)
            .margin(15)
            .x_label_area_size(65)
            .y_label_area_size(75)
            .build_cartesian_2d(-0.5..n as f64 - 0.5, -0.5..n as f64 - 0.5)?;
        chart
            .configure_mesh()
            .disable_mesh()
            .x_desc("input index j")
            .y_desc("input index i")
            // Row 0 is drawn at the top; label rows 0, 10, 20, … like the columns.
            .y_labels(n)
            .y_label_formatter(&|v| {
                let row = n as f64 - 1.0 - v;
                if row.rem_euclid(10.0).abs() < 1e-9 {
                    format!("{row:.0}")
                } else {
                    String::new()
                }
            })
            .x_label_formatter(&|v| format!("{v:.0}"))
            .axis_desc_style(label_font())
            .label_style(tick_font())
            .axis_style(BLACK.stroke_width(2))
            .draw()?;
        let blue = crate::figures::colour(0);
        chart.draw_series((0..n).flat_map(|i| {
            let y = (n - 1 - i) as f64;
            let row = k.row(i).to_owned();
            (0..n).map(move |j| {
                let x = j as f64;
                Rectangle::new(
                    [(x - 0.5, y - 0.5), (x + 0.5, y + 0.5)],
                    tint(blue, row[j]).filled(),
                )
            })
        }))?;
        // A colour bar: k from 0 (white) to 1 (full blue).
        let mut bar = ChartBuilder::on(&right)
            .margin_top(15)
            .margin_bottom(80)
            .margin_right(10)
            .y_label_area_size(60)
            .caption("k", label_font())
            .build_cartesian_2d(0.0..1.0, 0.0..1.0)?;
        bar.configure_mesh()
            .disable_mesh()
            .disable_x_axis()
            .y_labels(6)
            .y_label_formatter(&|v| tick_label(*v, false))
            .label_style(tick_font())
            .axis_style(BLACK.stroke_width(2))
            .draw()?;
        bar.draw_series((0..100).map(|s| {
            let v = f64::from(s) / 100.0;
            Rectangle::new(
                [(0.0, v), (1.0, v + 0.01)],
                tint(blue, v + 0.005).filled(),
            )
        }))?;
        Ok(())
    })
    .expect("draws")
}

fn kernel_slices_figure() -> String {
    let g = grid();
    let mut panel = Panel::new(
        "One row of the kernel: k(x, x′) against x (ℓ = 0.8)",
        "x",
        "k(x, x′)",
    );
    for (i, &x2) in [-2.0, 0.0, 2.0].iter().enumerate() {
        let pts = g.iter().map(|&x| (x, rbf(x, x2, 0.8, 1.0))).collect();
        panel = panel.with(Layer::line(&format!("x′ = {x2}"), pts, i));
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
            Layer::line(&format!("sample {}", k + 1), pts, k)
        })
        .collect()
}

fn prior_samples_figure() -> String {
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

fn prior_settings_figure() -> String {
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

fn prior_kernels_figure() -> String {
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

fn posterior_figure() -> String {
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

fn posterior_sd_figure() -> String {
    let (x, y) = observations();
    let g = grid();
    let mut panel = Panel::new("Posterior standard deviation σ(x)", "x", "σ(x)")
        .with(Layer::shade("data region", -1.5, 1.5, Colour::Region));
    for (i, l) in [1.0, 0.8].iter().enumerate() {
        let sd = fixed(&x, &y, *l, 1.0).variance().mapv(f64::sqrt);
        let pts = g.iter().copied().zip(sd.iter().copied()).collect();
        panel = panel.with(Layer::line(&format!("ℓ = {l}"), pts, i));
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

fn prior_vs_posterior_figure() -> String {
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

fn more_data_figure() -> String {
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

fn posterior_settings_figure() -> String {
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

fn outside_point_figure() -> String {
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

fn sequential_figure() -> String {
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

fn evidence_figure() -> String {
    let (x, y) = observations();
    let ls: Vec<f64> =
        (0..=120).map(|k| 10f64.powf(-1.3 + 1.6 * f64::from(k) / 120.0)).collect();
    let terms: Vec<_> = ls
        .iter()
        .map(|&l| (l, evidence(&x, &y, l, 1.0, NOISE).expect("valid")))
        .collect();
    let mut plot = LinePlot::new(
        "The two terms of log p(y) against ℓ (σf² = 1, σₙ² = 10⁻⁴)",
        "lengthscale ℓ",
        "log-likelihood terms",
    );
    plot.legend = Legend::LowerLeft;
    plot.y_range = Some((-40.0, 25.0));
    plot.layers = vec![
        Layer::dashed(
            "data fit −½yᵀK⁻¹y",
            terms.iter().map(|(l, e)| (*l, e.data_fit)).collect(),
            1,
        ),
        Layer::dashed(
            "complexity −½log det K",
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

fn fitted_figure() -> String {
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

// ---------------------------------------------------------------- exercises

/// Exercise answers: (1) the kernel family and the overshoot; (2) conditioning in two
/// batches; (3) a larger noise variance.
fn answers() -> String {
    let mut t = String::new();
    let _ = writeln!(
        t,
        "1. μ and σ at x = 3 by kernel (ℓ = 1.0, σf² = 1, σₙ² = 10⁻⁴):"
    );
    for (_, name, mu, sd) in kernel_family_at_3() {
        let _ = writeln!(t, "   {name:<20} μ(3) = {mu:+.3}   σ(3) = {sd:.4}");
    }
    let _ = writeln!(
        t,
        "2. largest difference between conditioning on all 8 points at once and in two\n   \
         batches of 4: mean {:.1e}, covariance {:.1e}",
        two_batches().0,
        two_batches().1
    );
    let _ =
        writeln!(t, "3. noise variance against the overshoot at x = 3 (ℓ = 1.0):");
    for (noise, mu, max_alpha) in noise_sweep() {
        let _ = writeln!(
            t,
            "   σₙ² = {noise:.0e}: μ(3) = {mu:+.3}, max |α| = {max_alpha:.1}, \
             largest gain 1/(λ_min + σₙ²) = {:.1e}",
            1.0 / (smallest_eigenvalue() + noise)
        );
    }
    let (x, _) = observations();
    let k = kernel_matrix(&x, &x, 1.0, 1.0);
    let values = symmetric_eigen(k.view()).expect("symmetric").values;
    let _ = writeln!(
        t,
        "   eigenvalues of K (ℓ = 1.0, the 8 observations): {}",
        values
            .iter()
            .rev()
            .map(|v| format!("{v:.1e}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    t.push_str(
        "   why: with K = Σ λᵢ uᵢuᵢᵀ, α = (K + σₙ²I)⁻¹y = Σ uᵢ (uᵢᵀy)/(λᵢ + σₙ²). The part of y\n   \
         along each eigenvector is divided by λᵢ + σₙ², so with λ_min = 7.6e-6 and a small σₙ² the\n   \
         part along the last eigenvectors is multiplied by up to 1/(λ_min + σₙ²). That gives the\n   \
         huge weights, whose bumps cancel on the data and not beyond them. Adding σₙ² to every eigenvalue caps the gain at 1/σₙ²:\n   \
         once σₙ² exceeds the small eigenvalues (1e-2 and 1e-1 above), those directions are treated\n   \
         as noise, the weights shrink and the overshoot at x = 3 goes with them.\n",
    );
    t
}

/// The smallest eigenvalue of K (ℓ = 1, σf² = 1) on the chapter's eight inputs.
fn smallest_eigenvalue() -> f64 {
    let (x, _) = observations();
    let k = kernel_matrix(&x, &x, 1.0, 1.0);
    symmetric_eigen(k.view()).expect("symmetric").values[0]
}

/// The posterior at x = 3 for each kernel of the Matérn family and the squared exponential.
fn kernel_family_at_3() -> Vec<(KernelKind, &'static str, f64, f64)> {
    let (x, y) = observations();
    [
        (KernelKind::SquaredExponential, "squared exponential"),
        (KernelKind::Matern52, "Matérn 5/2"),
        (KernelKind::Matern32, "Matérn 3/2"),
        (KernelKind::Matern12, "Matérn 1/2"),
    ]
    .iter()
    .map(|&(kind, name)| {
        let kernel = Kernel::new(kind, array![1.0], 1.0).expect("valid");
        let gp = Gp::new(
            column(&x),
            Array1::from(y.clone()),
            Hyperparameters { kernel, mean: 0.0, noise: NOISE },
        )
        .expect("valid");
        let p = gp.predict(array![[3.0]].view()).expect("valid");
        (kind, name, p.mean[0], p.variance[0].sqrt())
    })
    .collect()
}

/// Conditions a zero-mean SE prior on a grid on the first four observations and then, using
/// that posterior as the new prior, on the last four; compares with conditioning on all eight
/// at once. Returns the largest differences in mean and covariance.
fn two_batches() -> (f64, f64) {
    let (x, y) = observations();
    let g: Vec<f64> = Array1::linspace(-3.0, 3.0, 25).to_vec();
    // Joint points: the 8 inputs followed by the grid.
    let all: Vec<f64> = x.iter().chain(&g).copied().collect();
    let k = kernel_matrix(&all, &all, 0.8, 1.0);
    let condition = |mean: &Array1<f64>, cov: &Array2<f64>, idx: &[usize]| {
        // Condition the Gaussian (mean, cov) on noisy observations y[idx] of components idx.
        let s = Array2::from_shape_fn((idx.len(), idx.len()), |(a, b)| {
            cov[[idx[a], idx[b]]] + if a == b { NOISE } else { 0.0 }
        });
        let c = Array2::from_shape_fn((cov.nrows(), idx.len()), |(i, b)| {
            cov[[i, idx[b]]]
        });
        let r = Array1::from_shape_fn(idx.len(), |b| y[idx[b]] - mean[idx[b]]);
        let chol = Cholesky::new(s.view()).expect("positive definite");
        let gain = chol.solve(c.t()).expect("solves"); // S⁻¹Cᵀ
        let new_mean = mean + &gain.t().dot(&r);
        let new_cov = cov - &c.dot(&gain);
        (new_mean, new_cov)
    };
    let zero = Array1::zeros(all.len());
    let (m_all, c_all) = condition(&zero, &k, &(0..8).collect::<Vec<_>>());
    let (m_half, c_half) = condition(&zero, &k, &[0, 1, 2, 3]);
    let (m_two, c_two) = condition(&m_half, &c_half, &[4, 5, 6, 7]);
    let max_diff = |a: &Array2<f64>, b: &Array2<f64>| {
        a.iter().zip(b).fold(0.0_f64, |m, (p, q)| m.max((p - q).abs()))
    };
    let mean_diff =
        m_all.iter().zip(&m_two).fold(0.0_f64, |m, (p, q)| m.max((p - q).abs()));
    (mean_diff, max_diff(&c_all, &c_two))
}

/// μ(3) and the largest weight |α| for growing noise variance (ℓ = 1.0).
fn noise_sweep() -> Vec<(f64, f64, f64)> {
    let (x, y) = observations();
    [1e-6, 1e-4, 1e-2, 1e-1]
        .iter()
        .map(|&noise| {
            let p = posterior(&x, &y, &[3.0], 1.0, 1.0, noise).expect("valid");
            let max_alpha = p.alpha.iter().fold(0.0_f64, |m, a| m.max(a.abs()));
            (noise, p.mean[0], max_alpha)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exercise_answers() {
        // 1: the rougher the kernel, the sooner the mean returns to the prior mean 0.
        let family = kernel_family_at_3();
        let mu: Vec<f64> = family.iter().map(|r| r.2.abs()).collect();
        assert!(mu[0] > mu[1] && mu[1] > mu[2] && mu[2] > mu[3], "{mu:?}");
        assert!(mu[3] < 0.1, "{mu:?}");
        // 2: conditioning in two batches is conditioning once.
        let (dm, dc) = two_batches();
        assert!(dm < 1e-8 && dc < 1e-10, "{dm} {dc}");
        // 3: more noise, smaller weights, less overshoot.
        let sweep = noise_sweep();
        for w in sweep.windows(2) {
            assert!(w[1].2 < w[0].2 && w[1].1.abs() < w[0].1.abs(), "{sweep:?}");
        }
    }

    #[test]
    fn the_fitted_lengthscale_is_shorter_than_the_hand_set_one() {
        let (x, y) = observations();
        let (_, h) = fit_1d(&x, &y).unwrap();
        assert!(h.lengthscale > 0.2 && h.lengthscale < 0.6, "{h:?}");
    }
}
