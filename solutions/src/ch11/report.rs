//! Chapter 11's worked output: the sections of text the chapter includes.

use super::exercises::answers;
use super::{central, extrapolation_model, updated, Model, BETAS, CANDIDATES};
use crate::report::Report;
use gradbo::test_functions::running_example as f;
use gradbo_listings::ch11::mean::{self, grid};
use gradbo_listings::ch11::score::{self, zscore};
use gradbo_listings::ch11::support::{self, Support};
use gradbo_listings::ch11::update::{self, EquivalentKernel};
use std::fmt::Write as _;

/// Candidates that all lie away from the data: normalising σ over them goes wrong.
const FAR: [f64; 3] = [-2.5, 1.8, 2.5];

fn max_abs_error(model: &Model, inside: impl Fn(f64) -> bool) -> f64 {
    model
        .grid
        .iter()
        .zip(&model.mu)
        .filter(|(x, _)| inside(**x))
        .map(|(&x, m)| (m - f(x)).abs())
        .fold(0.0, f64::max)
}

pub(super) fn report() -> String {
    let mut r = Report::new();
    r.section("fits", fits_text());
    r.section("more-data", more_data_text());
    r.section("extrapolation", extrapolation_text());
    r.section("candidates", candidates_text());
    r.section("selections", selections_text());
    r.section("update", update_text());
    r.section("answers", answers());
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
         over the window: μ has mean μ̄ = {:+.4} and sd_μ = {:.4}; σ has mean σ̄ = {:.4} and sd_σ = {:.4}\n\
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
        "\nthe score ranks points as μ − β′σ does, with β′ = β·sd_μ/sd_σ = {:.2}·β",
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
pub(super) struct Update {
    pub(super) x_new: f64,
    pub(super) y_new: f64,
    pub(super) mu_old: f64,
    pub(super) leverage: f64,
    pub(super) mu_new: f64,
    pub(super) predicted_mu_new: f64,
    pub(super) worst_prediction_error: f64,
    pub(super) max_old: f64,
    pub(super) max_new: f64,
    pub(super) sigma_old: f64,
    pub(super) sigma_new: f64,
    pub(super) predicted_sigma_new: f64,
    pub(super) far_change: Vec<(f64, f64)>,
    pub(super) sigma_change_beyond: f64,
    pub(super) range_new: (f64, f64),
    pub(super) change_on_data: f64,
}

pub(super) fn update_numbers() -> Update {
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
