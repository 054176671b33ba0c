//! Chapter 11, prediction, uncertainty and confidence: polynomial means with a heuristic
//! data-support σ, candidates compared by (μ, σ), the score μ̃ − βσ̃ over a window, one new
//! observation, figures and exercise answers.

use crate::figures::{Colour, Layer, Legend, Marker, Panel};
use crate::report::Report;
use crate::{Artifact, Context};
use gradbo::test_functions::running_example as f;
use gradbo_listings::ch11::mean::{self, grid, observe};
use gradbo_listings::ch11::score::{self, zscore};
use gradbo_listings::ch11::support::{self, Support};
use gradbo_listings::ch11::update::{self, EquivalentKernel};
use std::fmt::Write as _;

/// Where this chapter's output and figures go.
const CTX: Context = Context::new("part3", "ch11");

/// Every mean/band picture is drawn in this y-window; curves leaving it are cut at the frame.
const Y_RANGE: (f64, f64) = (-2.5, 2.0);
const BETAS: [f64; 3] = [0.0, 0.5, 1.0];
const CANDIDATES: [f64; 3] = [-2.5, 0.0, 1.8];
/// Candidates that all lie away from the data: normalising σ over them goes wrong.
const FAR: [f64; 3] = [-2.5, 1.8, 2.5];

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

/// A surrogate on the reference grid: the data, a polynomial mean and the heuristic σ.
struct Model {
    x: Vec<f64>,
    y: Vec<f64>,
    support: Support,
    grid: Vec<f64>,
    mu: Vec<f64>,
    sigma: Vec<f64>,
}

impl Model {
    fn fit(x: Vec<f64>, y: Vec<f64>, degree: usize, support: Support) -> Self {
        let grid = grid();
        let (_, mu) = mean::mean(&x, &y, degree, &grid).expect("valid data");
        let sigma = support.sigma(&x, &grid, &grid);
        Model { x, y, support, grid, mu, sigma }
    }

    fn uniform(a: f64, b: f64, n: usize, degree: usize, support: Support) -> Self {
        let (x, y) = observe(a, b, n);
        Model::fit(x, y, degree, support)
    }

    /// μ and σ at the grid points of the search window.
    fn window(&self) -> (Vec<usize>, Vec<f64>, Vec<f64>) {
        let idx = score::window(&self.grid);
        let mu = idx.iter().map(|&i| self.mu[i]).collect();
        let sigma = idx.iter().map(|&i| self.sigma[i]).collect();
        (idx, mu, sigma)
    }

    /// The grid index chosen by the score with this β.
    fn choose(&self, beta: f64) -> usize {
        let (idx, mu, sigma) = self.window();
        idx[score::select(&mu, &sigma, beta)]
    }

    fn mean_at(&self, degree: usize, at: &[f64]) -> Vec<f64> {
        mean::mean(&self.x, &self.y, degree, at).expect("valid data").1
    }
}

/// The central model most of the chapter uses: degree 5, 8 points on [−1.5, 1.5].
fn central() -> Model {
    Model::uniform(-1.5, 1.5, 8, 5, support::DEFAULT)
}

/// The model after evaluating the β = 1 choice and refitting.
fn updated() -> (Model, f64) {
    let before = central();
    let x_new = before.grid[before.choose(1.0)];
    let mut x = before.x.clone();
    let mut y = before.y.clone();
    x.push(x_new);
    y.push(f(x_new));
    (Model::fit(x, y, 5, support::DEFAULT), x_new)
}

fn max_abs_error(model: &Model, inside: impl Fn(f64) -> bool) -> f64 {
    model
        .grid
        .iter()
        .zip(&model.mu)
        .filter(|(x, _)| inside(**x))
        .map(|(&x, m)| (m - f(x)).abs())
        .fold(0.0, f64::max)
}

/// Everything chapter 11 shows.
pub fn run() -> Vec<Artifact> {
    vec![
        Artifact::new(CTX.output(), report()),
        Artifact::new(CTX.figure("fits"), fits_figure()),
        Artifact::new(CTX.figure("more-data"), more_data_figure()),
        Artifact::new(CTX.figure("extrapolation"), extrapolation_figure()),
        Artifact::new(CTX.figure("candidates"), candidates_figure()),
        Artifact::new(CTX.figure("scores"), scores_figure()),
        Artifact::new(CTX.figure("selections"), selections_figure()),
        Artifact::new(CTX.figure("update"), update_figure()),
    ]
}

fn report() -> String {
    let mut r = Report::new();
    r.section("fits", fits_text());
    r.section("more-data", more_data_text());
    r.section("extrapolation", extrapolation_text());
    r.section("candidates", candidates_text());
    r.section("selections", selections_text());
    r.section("update", update_text());
    r.section("answer-edge", answer_edge());
    r.section("answer-lengthscale", answer_lengthscale());
    r.section("answer-degree", answer_degree());
    r.finish()
}

fn fits_text() -> String {
    let mut out = String::from(
        "degree 5, 8 points   max |μ − f| inside the data   outside   μ on [−3, 3]\n",
    );
    for (a, b, name) in [(-3.0, 3.0, "[−3, 3]    "), (-1.5, 1.5, "[−1.5, 1.5]")]
    {
        let m = Model::uniform(a, b, 8, 5, support::DEFAULT);
        let inside = |x: f64| (a..=b).contains(&x);
        let outside = if a > -3.0 {
            format!("{:>9.3}", max_abs_error(&m, |x| !inside(x)))
        } else {
            format!("{:>9}", "—")
        };
        let (lo, hi) = mean::range(&m.mu);
        let _ = writeln!(
            out,
            "on {name}       {:>23.3}   {outside}   [{lo:.2}, {hi:.2}]",
            max_abs_error(&m, inside)
        );
    }
    let g = grid();
    let values: Vec<f64> = g.iter().map(|&x| f(x)).collect();
    let (lo, hi) = mean::range(&values);
    let best = nearest(&values, lo);
    let _ = writeln!(
        out,
        "f itself on the grid: from {lo:.3} (at x = {:.3}) to {hi:.3}",
        g[best]
    );
    out
}

fn more_data_text() -> String {
    let mut out = String::from(
        "points   mean σ on [−3, 3]   largest σ     at x   σ(±3)   max |μ − f| on [−3, 3]   f outside μ ± 2σ\n",
    );
    for n in [6, 8, 16] {
        let m = Model::uniform(-3.0, 3.0, n, 5, support::DEFAULT);
        let mean_sigma = m.sigma.iter().sum::<f64>() / m.sigma.len() as f64;
        let largest = m.sigma.iter().copied().fold(0.0, f64::max);
        let at = m.grid[m.sigma.iter().position(|&v| v == largest).expect("a max")];
        let (lo, hi) = support::band(&m.mu, &m.sigma);
        let outside = (0..m.grid.len())
            .filter(|&i| !(lo[i]..=hi[i]).contains(&f(m.grid[i])))
            .count();
        let _ = writeln!(
            out,
            "{n:>6}   {mean_sigma:>17.4}   {largest:>9.4}   {at:>+6.3}   {:>5.4}   {:>22.3}   {:>9.0}% of the grid",
            m.sigma[m.sigma.len() - 1],
            max_abs_error(&m, |_| true),
            100.0 * outside as f64 / m.grid.len() as f64
        );
    }
    out
}

fn extrapolation_model() -> Model {
    Model::uniform(-1.2, 1.2, 8, 3, support::WIDE)
}

fn extrapolation_text() -> String {
    let m = extrapolation_model();
    let mut out = String::from(
        "degree 3, 8 points on [−1.2, 1.2], σ with base 0.03, scale 0.35, ℓ = 0.30\n\
         region                max |μ − f|   σ from … to\n",
    );
    for (name, inside) in [
        (
            "inside  [−1.2, 1.2]",
            Box::new(|x: f64| x.abs() <= 1.2) as Box<dyn Fn(f64) -> bool>,
        ),
        ("outside [−1.2, 1.2]", Box::new(|x: f64| x.abs() > 1.2)),
    ] {
        let s: Vec<f64> = m
            .grid
            .iter()
            .zip(&m.sigma)
            .filter(|(x, _)| inside(**x))
            .map(|(_, s)| *s)
            .collect();
        let (lo, hi) = mean::range(&s);
        let _ = writeln!(
            out,
            "{name}   {:>11.3}   {lo:.3} … {hi:.3}",
            max_abs_error(&m, &inside)
        );
    }
    out
}

fn candidates_text() -> String {
    let m = central();
    let (_, mu) = mean::mean(&m.x, &m.y, 5, &CANDIDATES).expect("valid");
    let sigma = m.support.sigma(&m.x, &m.grid, &CANDIDATES);
    let mut out = String::from("    x      μ(x)     σ(x)      f(x)\n");
    for i in 0..3 {
        let x = CANDIDATES[i];
        let _ = writeln!(
            out,
            "{x:>+5.1}   {:>+7.3}   {:.4}   {:>+7.3}",
            mu[i],
            sigma[i],
            f(x)
        );
    }
    let _ = writeln!(
        out,
        "\nσ at the outermost observations, x = ±1.5: {:.4}",
        m.support.sigma(&m.x, &m.grid, &[1.5])[0]
    );
    out.push_str(
        "\nσ normalised over the candidates themselves, and over the grid:\n\
         candidate set           x      own     grid\n",
    );
    for (name, c) in [("{−2.5, 0, 1.8}  ", CANDIDATES), ("{−2.5, 1.8, 2.5}", FAR)]
    {
        let own = m.support.sigma(&m.x, &c, &c);
        let grid = m.support.sigma(&m.x, &m.grid, &c);
        for k in 0..3 {
            let _ = writeln!(
                out,
                "{name}   {:>+5.1}   {:.4}   {:.4}",
                c[k], own[k], grid[k]
            );
        }
    }
    out
}

/// The index of the grid point nearest x.
fn nearest(grid: &[f64], x: f64) -> usize {
    (0..grid.len())
        .min_by(|&i, &j| (grid[i] - x).abs().total_cmp(&(grid[j] - x).abs()))
        .expect("a grid")
}

fn selections_text() -> String {
    let m = central();
    let (idx, mu, sigma) = m.window();
    let (mz, sz) = (zscore(&mu), zscore(&sigma));
    let mut out = format!(
        "window [−2.2, 2.2]: {} grid points, x from {:.5} to {:.5}\n\
         over the window: μ has mean {:+.4} and std {:.4}; σ has mean {:.4} and std {:.4}\n\
         \n   β     chosen x      μ        σ       μ̃        σ̃      f(x)\n",
        idx.len(),
        m.grid[idx[0]],
        m.grid[*idx.last().expect("non-empty")],
        mean_of(&mu),
        std_of(&mu),
        mean_of(&sigma),
        std_of(&sigma)
    );
    for beta in BETAS {
        let k = score::select(&mu, &sigma, beta);
        let x = m.grid[idx[k]];
        let _ = writeln!(
            out,
            "{beta:>4.1}   {x:>+9.3}   {:>+7.3}   {:.4}   {:>+6.2}   {:>+6.2}   {:>+6.3}",
            mu[k],
            sigma[k],
            mz[k],
            sz[k],
            f(x)
        );
    }
    let _ = writeln!(
        out,
        "\nthe score ranks points as μ − β′σ does, with β′ = β·s_μ/s_σ = {:.2}·β",
        std_of(&mu) / std_of(&sigma)
    );
    // z-scoring removes σ's base and scale: the same choices with other settings.
    let other = Support { base: 0.5, scale: 3.0, lengthscale: 0.35 };
    let m2 = Model::fit(m.x.clone(), m.y.clone(), 5, other);
    let same = BETAS.iter().all(|&b| m2.choose(b) == m.choose(b));
    let _ = writeln!(
        out,
        "with base 0.5 and scale 3.0 instead of 0.03 and 0.30, the same three choices: {same}"
    );
    out
}

fn mean_of(v: &[f64]) -> f64 {
    v.iter().sum::<f64>() / v.len() as f64
}

fn std_of(v: &[f64]) -> f64 {
    let m = mean_of(v);
    (v.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (v.len() as f64 - 1.0)).sqrt()
}

/// The numbers of the update: before, after and as predicted from the old fit.
struct Update {
    x_new: f64,
    y_new: f64,
    mu_old: f64,
    leverage: f64,
    mu_new: f64,
    predicted_mu_new: f64,
    worst_prediction_error: f64,
    max_old: f64,
    max_new: f64,
    sigma_old: f64,
    sigma_new: f64,
    predicted_sigma_new: f64,
    far_change: Vec<(f64, f64)>,
    sigma_change_beyond: f64,
    range_new: (f64, f64),
    change_on_data: f64,
}

fn update_numbers() -> Update {
    let before = central();
    let (after, x_new) = updated();
    let y_new = f(x_new);
    let i = before.grid.iter().position(|&x| x == x_new).expect("a grid point");
    let kernel = EquivalentKernel::new(&before.x, 5).expect("full rank");
    let residual = y_new - before.mu[i];
    let change =
        update::mean_change(&kernel, x_new, residual, &before.grid).expect("valid");
    let worst_prediction_error = (0..before.grid.len())
        .map(|j| (before.mu[j] + change[j] - after.mu[j]).abs())
        .fold(0.0, f64::max);
    let s = before.support;
    let max_old = s.max_influence(&before.x, &before.grid);
    let max_new = s.max_influence(&after.x, &after.grid);
    let far_change = [-1.5, 0.0, 1.5, 3.0]
        .iter()
        .map(|&x| {
            let m = before.mean_at(5, &[x])[0];
            (x, after.mean_at(5, &[x])[0] - m)
        })
        .collect();
    let sigma_change_beyond = (0..before.grid.len())
        .filter(|&j| (before.grid[j] - x_new).abs() > 4.0 * s.lengthscale)
        .map(|j| (after.sigma[j] - before.sigma[j]).abs())
        .fold(0.0, f64::max);
    Update {
        x_new,
        y_new,
        mu_old: before.mu[i],
        leverage: kernel.k(x_new, x_new).expect("valid"),
        mu_new: after.mu[i],
        predicted_mu_new: before.mu[i] + change[i],
        worst_prediction_error,
        max_old,
        max_new,
        sigma_old: before.sigma[i],
        sigma_new: after.sigma[i],
        predicted_sigma_new: before.sigma[i]
            - s.drop_from_new_point(max_old, x_new, x_new),
        far_change,
        sigma_change_beyond,
        range_new: mean::range(&after.mu),
        change_on_data: (0..before.grid.len())
            .filter(|&j| before.grid[j].abs() <= 1.5)
            .map(|j| (after.mu[j] - before.mu[j]).abs())
            .fold(0.0, f64::max),
    }
}

fn update_text() -> String {
    let u = update_numbers();
    let mut out = format!(
        "new point x_new = {:.5}, y_new = f(x_new) = {:.3}\n\
         mean at x_new: before {:+.3}, after {:+.3}; predicted from the old fit {:+.3}\n\
         leverage k(x_new, x_new) = {:.2}: the new fit moves k/(1 + k) = {:.3} of the way to y_new\n\
         largest |predicted − refitted mean| over the grid: {:.1e}\n\
         change of the mean far from x_new:",
        u.x_new,
        u.y_new,
        u.mu_old,
        u.mu_new,
        u.predicted_mu_new,
        u.leverage,
        u.leverage / (1.0 + u.leverage),
        u.worst_prediction_error,
    );
    for (x, d) in &u.far_change {
        let _ = write!(out, "  Δμ({x:+.1}) = {d:+.3}");
    }
    let _ = write!(
        out,
        "\nlargest |Δμ| on the old data interval [−1.5, 1.5]: {:.4}",
        u.change_on_data
    );
    let _ = write!(
        out,
        "\nmean after the update ranges over [{:.2}, {:.2}] on [−3, 3]\n\
         normaliser max I: before {:.4}, after {:.4} (a change of {:.1e})\n\
         σ at x_new: before {:.4}, after {:.4}; predicted {:.4}\n\
         largest |Δσ| farther than 4ℓ from x_new: {:.1e}\n",
        u.range_new.0,
        u.range_new.1,
        u.max_old,
        u.max_new,
        u.max_new - u.max_old,
        u.sigma_old,
        u.sigma_new,
        u.predicted_sigma_new,
        u.sigma_change_beyond
    );
    out
}

/// Exercise 1: the choices as β grows from 0 to 2 (each from the β at which it takes
/// over), and the smallest β that picks the window's edge.
pub fn exercise_edge() -> (Vec<(f64, f64)>, f64) {
    let m = central();
    let (idx, mu, sigma) = m.window();
    let path: Vec<(f64, f64)> = score::path(&mu, &sigma, 2.0)
        .into_iter()
        .map(|(b, k)| (b, m.grid[idx[k]]))
        .collect();
    let edge = m.grid[idx[0]];
    let beta = path.iter().find(|p| p.1 == edge).expect("reaches the edge").0;
    (path, beta)
}

fn answer_edge() -> String {
    let (path, beta) = exercise_edge();
    let mut out = String::from("  from β     choice x\n");
    for (b, x) in &path {
        let _ = writeln!(out, "{b:>8.4}   {x:>+9.3}");
    }
    let _ = writeln!(
        out,
        "the choice jumps to the window's left edge at β = {beta:.4}; before that it creeps\n\
         right, one grid point at a time, along the rising edge of σ beyond the data (each step\n\
         a tie between neighbours), then leaves for the largest σ in the window"
    );
    out
}

/// Exercise 2: for each ℓ, σ at the three candidates and the choices for β = 0.5 and 1.
pub fn exercise_lengthscale() -> Vec<(f64, [f64; 3], [f64; 2])> {
    [0.2, 0.35, 0.5, 0.7]
        .iter()
        .map(|&l| {
            let s = Support { lengthscale: l, ..support::DEFAULT };
            let m = Model::uniform(-1.5, 1.5, 8, 5, s);
            let sig = s.sigma(&m.x, &m.grid, &CANDIDATES);
            (
                l,
                [sig[0], sig[1], sig[2]],
                [m.grid[m.choose(0.5)], m.grid[m.choose(1.0)]],
            )
        })
        .collect()
}

fn answer_lengthscale() -> String {
    let mut out = String::from(
        "   ℓ     σ(−2.5)   σ(0)     σ(1.8)   choice β = 0.5   β = 1\n",
    );
    let end = "a short ℓ separates the bumps: the influence peaks at the data points and dips\n\
               between them, so x = 0 (between ±0.214) is no longer the best-supported point and\n\
               σ(0) rises above the base. σ also reaches its ceiling b + s close to the data, so\n\
               every point beyond is equally uncertain and the mean decides among them: β = 1\n\
               picks a point just beyond the data (first row), not the far edge. A long ℓ lets\n\
               support reach farther.\n\
               b and s change no choice: σ is affine in I, and z-scoring removes any affine map\n";
    for (l, s, c) in exercise_lengthscale() {
        let _ = writeln!(
            out,
            "{l:>5.2}   {:.4}   {:.4}   {:.4}   {:>+14.3}   {:>+6.3}",
            s[0], s[1], s[2], c[0], c[1]
        );
    }
    out.push_str(end);
    out
}

/// Exercise 3's answer: the mean's range on [−3, 3], its values at the candidates, and
/// (x, μ, σ) of the choice for each β.
pub type DegreeThree = ((f64, f64), Vec<f64>, Vec<(f64, f64, f64)>);

/// Exercise 3: the degree-3 mean from the same 8 central points: its range on [−3, 3],
/// its values at the candidates and the three choices.
pub fn exercise_degree() -> DegreeThree {
    let m = Model::uniform(-1.5, 1.5, 8, 3, support::DEFAULT);
    let choices = BETAS
        .iter()
        .map(|&b| {
            let i = m.choose(b);
            (m.grid[i], m.mu[i], m.sigma[i])
        })
        .collect();
    (mean::range(&m.mu), m.mean_at(3, &CANDIDATES), choices)
}

fn answer_degree() -> String {
    let ((lo, hi), mu, choices) = exercise_degree();
    let mut out = format!(
        "degree 3 from the 8 central points: μ ranges over [{lo:.2}, {hi:.2}] on [−3, 3]\n\
         μ(−2.5) = {:+.3}, μ(0) = {:+.3}, μ(1.8) = {:+.3}\n",
        mu[0], mu[1], mu[2]
    );
    for (b, (x, mu, sigma)) in BETAS.iter().zip(&choices) {
        let _ = writeln!(
            out,
            "β = {b}: choose x = {x:+.3} (μ = {mu:+.3}, σ = {sigma:.4}, f = {:+.3})",
            f(*x)
        );
    }
    out.push_str(
        "the cubic dives on the right edge of the window, where σ is also large: low mean and\n\
         high uncertainty point the same way, so every β picks the same point. The score can\n\
         only rank what the mean and σ say; a mean that extrapolates steeply decides for it\n",
    );
    out
}

// ---------------------------------------------------------------- figures

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

fn fits_figure() -> String {
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

fn more_data_figure() -> String {
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

fn extrapolation_figure() -> String {
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

fn candidates_figure() -> String {
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

fn scores_figure() -> String {
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

fn selections_figure() -> String {
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
            &format!("β = {beta}: x = {}", num(m.grid[i], 3)),
            vec![(m.grid[i], m.mu[i])],
            [Colour::Palette(CANDIDATE), Colour::Palette(SECOND), Colour::Chosen]
                [k],
            marker,
        ));
    }
    p.legend = Some(Legend::LowerRight);
    p.render((1000, 760)).expect("draws")
}

fn update_figure() -> String {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn candidates_and_selections_match_the_check_values() {
        let m = central();
        let (_, mu) = mean::mean(&m.x, &m.y, 5, &CANDIDATES).unwrap();
        for (got, want) in mu.iter().zip([-1.598, -0.190, -0.231]) {
            assert!((got - want).abs() < 5e-4, "{got}");
        }
        let picks: Vec<f64> = BETAS.iter().map(|&b| m.grid[m.choose(b)]).collect();
        for (got, want) in picks.iter().zip([-0.636, 1.768, -2.199]) {
            assert!((got - want).abs() < 5e-4, "{got}");
        }
        assert!((f(picks[2]) - 0.507).abs() < 5e-4);
        assert_eq!(m.window().0.len(), 440);
    }

    #[test]
    fn the_choices_on_the_chapters_window_survive_rescaling() {
        let m = central();
        let (_, mu, sigma) = m.window();
        // Other units for f (μ → 1000μ − 7) and another base and scale for σ.
        let mu2: Vec<f64> = mu.iter().map(|v| 1000.0 * v - 7.0).collect();
        let other = Support { base: 0.5, scale: 3.0, lengthscale: 0.35 };
        let m2 = Model::fit(m.x.clone(), m.y.clone(), 5, other);
        let (_, _, sigma2) = m2.window();
        for beta in [0.0, 0.25, 0.5, 0.75, 1.0, 1.5] {
            let k = score::select(&mu, &sigma, beta);
            assert_eq!(score::select(&mu2, &sigma, beta), k, "β = {beta}");
            assert_eq!(score::select(&mu, &sigma2, beta), k, "β = {beta}");
            assert_eq!(score::select(&mu2, &sigma2, beta), k, "β = {beta}");
        }
    }

    #[test]
    fn one_new_point_as_predicted() {
        let u = update_numbers();
        assert!(u.worst_prediction_error < 1e-8, "{}", u.worst_prediction_error);
        // The new point's tail adds about 6e-8 to the peak influence near x = −0.19.
        assert!((u.max_new / u.max_old - 1.0).abs() < 1e-7);
        assert!((u.sigma_new - u.predicted_sigma_new).abs() < 1e-7);
        assert!(u.sigma_change_beyond < 1e-3);
        // The polynomial's mean moves far away from the new point.
        assert!(u.far_change.iter().any(|(x, d)| *x > 1.0 && d.abs() > 0.1));
    }

    #[test]
    fn exercise_answers() {
        let (path, beta) = exercise_edge();
        let m = central();
        let (_, mu, sigma) = m.window();
        // Just below the edge β the choice is elsewhere, just above it is the edge.
        let edge = m.grid[m.window().0[0]];
        let pick = |b: f64| m.grid[m.window().0[score::select(&mu, &sigma, b)]];
        assert!(pick(beta - 1e-6) != edge && pick(beta + 1e-6) == edge);
        assert!(beta > 0.5 && beta < 1.0, "{beta}");
        assert!(path.len() >= 2);
        let l = exercise_lengthscale();
        assert!((l[1].1[2] - 0.2111).abs() < 5e-5);
        let ((lo, hi), _, choices) = exercise_degree();
        assert!(hi - lo < 8.77 + 11.50);
        assert_eq!(choices.len(), 3);
    }
}
