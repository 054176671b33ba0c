//! The answers to chapter 11's exercises.

use super::{central, Model, BETAS, CANDIDATES};
use gradbo::test_functions::running_example as f;
use gradbo_listings::ch11::mean;
use gradbo_listings::ch11::score;
use gradbo_listings::ch11::support::{self, Support};
use std::fmt::Write as _;

/// The three answers as one numbered list, each answer's lines indented under its number.
pub(super) fn answers() -> String {
    let mut out = String::new();
    let parts = [
        (
            "the choice as β grows, from the β at which each point takes over:",
            answer_edge(),
        ),
        (
            "the candidates' σ and the choices for four lengthscales:",
            answer_lengthscale(),
        ),
        ("a cubic mean instead of degree 5:", answer_degree()),
    ];
    for (k, (heading, body)) in parts.iter().enumerate() {
        let _ = writeln!(out, "{}. {heading}", k + 1);
        for line in body.lines() {
            let _ = writeln!(out, "   {line}");
        }
    }
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
