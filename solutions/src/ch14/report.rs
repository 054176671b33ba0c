//! Chapter 14's worked output: the sections of text the chapter includes.

use super::exercises::answers;
use super::{hand_written, largest_differences, library, Setting};
use crate::report::Report;
use gradbo::gp::{fit, FitOptions, FittedGp, Priors, MIN_VARIANCE};
use gradbo::models::Model;
use gradbo::numeric::column;
use gradbo_listings::ch14::model::{hyperparameters, transformed, NOISE, SEED};
use gradbo_listings::ch14::objective::{
    best_mean, lengthscale_prior, map_objective, NOISE_PRIOR,
};
use std::fmt::Write as _;

pub(super) fn report(first: &Setting, complex: &Setting) -> String {
    let mut r = Report::new();
    r.section("objective", objective_text(first));
    r.section("data", data_text(first));
    r.section("structure", format!("{:#?}", first.s.model));
    r.section("transforms", transforms_text(first));
    r.section("map", map_text(first));
    r.section("units", units_text(&first.s.model, first.design));
    r.section("query", query_text(first));
    r.section("sigma", sigma_text(first));
    r.section("versus-ch12", versus_text(first, complex));
    r.section("complex", complex_text(complex));
    r.section("answers", answers(first));
    r.finish()
}

fn list(v: impl IntoIterator<Item = f64>, digits: usize) -> String {
    v.into_iter().map(|v| format!("{v:+.digits$}")).collect::<Vec<_>>().join(" ")
}

fn objective_text(s: &Setting) -> String {
    let mut t = String::from(
        "f(x) = −0.55 exp(−½((x − 1.1)/0.45)²) + 0.10 sin 3x + 0.04(x − 0.25)² + 0.12 on [−3, 3]\n",
    );
    let g = &s.s.grid;
    let _ = writeln!(
        t,
        "grid: {} points from {} to {}, step {:.6}",
        g.len(),
        g[0],
        g[g.len() - 1],
        g[1] - g[0]
    );
    let (xm, fm) = s.minimum();
    let _ = writeln!(t, "global minimum: f({xm:.4}) = {fm:.5}");
    for (x, v) in s.minima.iter().filter(|m| m.0 != xm) {
        let _ = writeln!(t, "local minimum:  f({x:.4}) = {v:.4}");
    }
    t
}

fn data_text(s: &Setting) -> String {
    let (n, d) = s.data.x.dim();
    let y = &s.data.y;
    let mut t = format!(
        "x: {:?}  (n × d: {n} points, {d} input)\n\
         y: {} values  (the one column of an n × m output matrix, m = {})\n\n",
        s.data.x.dim(),
        y.len(),
        s.s.model.num_outputs()
    );
    t.push_str("     x          f(x)      0.03·u        y\n");
    for ((x, c), y) in s.x().iter().zip(&s.clean).zip(y) {
        let _ = writeln!(t, "{x:+.4}   {c:+.5}   {:.5}   {y:+.5}", y - c);
    }
    let n = y.len() as f64;
    let clean_mean = s.clean.iter().sum::<f64>() / n;
    let noise: Vec<f64> = y.iter().zip(&s.clean).map(|(y, c)| y - c).collect();
    let noise_mean = noise.iter().sum::<f64>() / n;
    let (mean, std) = moments(y.iter().copied());
    let _ = writeln!(
        t,
        "\nmean of f at the data {clean_mean:+.6}; mean of the noise {noise_mean:.6} \
         (its expectation {:.3})",
        NOISE / 2.0
    );
    let _ = writeln!(t, "observed y: mean {mean:+.6}, std (n − 1) {std:.6}");
    t
}

/// Mean and (n − 1) standard deviation.
fn moments(v: impl Iterator<Item = f64> + Clone) -> (f64, f64) {
    let n = v.clone().count() as f64;
    let mean = v.clone().sum::<f64>() / n;
    let var = v.map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0);
    (mean, var.sqrt())
}

fn transforms_text(s: &Setting) -> String {
    let m = &s.s.model;
    let xn = m.normalize.apply(s.data.x.view()).expect("valid");
    let yn = m.standardize.apply(s.data.y.view());
    let tr = transformed(m, &s.data).expect("valid");
    let mut t = format!(
        "normalised x = (x − l)/r with l = {}, r = {}:\n  {}\n",
        m.normalize.lower()[0],
        m.normalize.range()[0],
        list(xn.column(0).iter().copied(), 4)
    );
    let _ = writeln!(
        t,
        "standardised y = (y − ȳ)/s with ȳ = {:+.6}, s = {:.6}:\n  {}",
        m.standardize.mean,
        m.standardize.std,
        list(yn.iter().copied(), 4)
    );
    let _ = writeln!(
        t,
        "normalised x: min {}, max {}\nstandardised y: mean {:.1e}, std (n − 1) {}",
        tr.x_range.0, tr.x_range.1, tr.y_mean, tr.y_std
    );
    t
}

fn map_text(s: &Setting) -> String {
    let m = &s.s.model;
    let h = m.gp.hyperparameters();
    let (mu_l, s_l) = lengthscale_prior(1);
    let (mu_n, s_n) = NOISE_PRIOR;
    // The same model without priors (the constraints kept): maximum likelihood.
    let options = FitOptions {
        priors: Priors { lengthscale: None, noise: None, ..Priors::single_task(1) },
        ..FitOptions::single_task(1)
    };
    let ml = fit(s.data.x.view(), &s.data.y, &options).expect("fits");
    let hm = ml.gp.hyperparameters();
    let rows = [
        (
            "start: the priors' modes",
            (mu_l - s_l * s_l).exp(),
            (mu_n - s_n * s_n).exp(),
        ),
        ("fitted: MAP", h.kernel.lengthscales()[0], h.noise),
        ("without priors: ML", hm.kernel.lengthscales()[0], hm.noise),
    ];
    let mut t = String::from(
        "                              ℓ        σₙ²         c      log p(ỹ)  log p(ℓ)  log p(σₙ²)   total\n",
    );
    for (name, l, n) in rows {
        let mean = best_mean(m, l, n).expect("valid");
        let o = map_objective(m, (l, n, mean)).expect("valid");
        let _ = writeln!(
            t,
            "{name:<26} {l:8.4} {n:10.6} {mean:+9.4} {:10.4} {:9.4} {:10.4} {:9.4}",
            o.lml,
            o.log_prior_lengthscale,
            o.log_prior_noise,
            o.total()
        );
    }
    let _ = writeln!(
        t,
        "the fitted model's own log p(ỹ): {:.4}; its mean c {:+.4}",
        m.gp.log_marginal_likelihood(),
        h.mean
    );
    // A profile in ℓ at the fitted noise: where each term peaks.
    t.push_str("\nat the fitted σₙ², with the best c for each ℓ:\n     ℓ      log p(ỹ)  log p(ℓ)   total\n");
    for l in [0.05, 0.1, 0.15, h.kernel.lengthscales()[0], 0.3, 0.5, 1.0] {
        let mean = best_mean(m, l, h.noise).expect("valid");
        let o = map_objective(m, (l, h.noise, mean)).expect("valid");
        let _ = writeln!(
            t,
            "  {l:.4}  {:9.4} {:9.4} {:9.4}",
            o.lml,
            o.log_prior_lengthscale,
            o.total()
        );
    }
    t.push_str(
        "\nat the fitted ℓ, with the best c for each σₙ²:\n     σₙ²      log p(ỹ)  log p(σₙ²)   total\n",
    );
    for n in [1e-4, 1e-3, h.noise, 0.02, 0.1] {
        let l = h.kernel.lengthscales()[0];
        let mean = best_mean(m, l, n).expect("valid");
        let o = map_objective(m, (l, n, mean)).expect("valid");
        let _ = writeln!(
            t,
            "  {n:.6} {:9.4} {:10.4} {:9.4}",
            o.lml,
            o.log_prior_noise,
            o.total()
        );
    }
    t
}

fn units_text(model: &FittedGp, design: (f64, f64, usize)) -> String {
    let (own, u) = hyperparameters(model).expect("finite");
    let (r, s) = (model.normalize.range()[0], model.standardize);
    let by_hand = [
        own.lengthscale * r,
        s.mean + s.std * own.mean,
        s.std * s.std * 1.0,
        s.std * s.std * own.noise,
    ];
    let library = [u.lengthscales[0], u.mean, u.outputscale, u.noise];
    let mut t = format!(
        "model units (x normalised, y standardised): ℓ = {:.4}, c = {:+.4}, σ_f² = 1 (fixed), σₙ² = {:.6}\n\
         the transforms: input range r = {} (x from {} to {}), ȳ = {:+.6}, s = {:.6}\n\n",
        own.lengthscale, own.mean, own.noise, r, design.0, design.1, s.mean, s.std
    );
    t.push_str(
        "       by hand                                                 the library's data_units()   difference\n",
    );
    let names = [
        ("ℓ", format!("ℓ·r = {:.4} × {}", own.lengthscale, r)),
        (
            "c",
            format!("ȳ + s·c = {:+.6} + {:.6} × {:+.4}", s.mean, s.std, own.mean),
        ),
        ("σ_f²", format!("s² × 1 = {:.6}²", s.std)),
        ("σₙ²", format!("s²·σₙ² = {:.6} × {:.6}", s.std * s.std, own.noise)),
    ];
    for (((name, how), a), b) in names.iter().zip(by_hand).zip(library) {
        let _ = writeln!(
            t,
            "{name:<5}  {how:<40} = {a:+.6}     {b:+.6}                   {:.1e}",
            (a - b).abs()
        );
    }
    let _ = writeln!(
        t,
        "noise standard deviation in data units: √σₙ² = {:.5}; the uniform noise's own: 0.03/√12 = {:.5}",
        u.noise.sqrt(),
        NOISE / 12f64.sqrt()
    );
    t
}

fn query_text(s: &Setting) -> String {
    let m = &s.s.model;
    let grid = &s.s.grid;
    let xq = column(grid);
    let marginals = m.marginals(xq.view()).expect("valid");
    let joint = m.posterior(column(&grid[..3]).view()).expect("valid");
    let all = m.posterior(xq.view()).expect("valid");
    let mut t = format!(
        "query X: {:?}  (n × d)\n\
         marginals: mean ({}), variance ({})  (one μ and σ² per row)\n\
         joint posterior at the first 3 rows: mean ({}), covariance {:?}\n\
         joint posterior on the whole grid: covariance {:?}\n",
        xq.dim(),
        marginals.mean.len(),
        marginals.variance.len(),
        joint.mean().len(),
        joint.covariance().dim(),
        all.covariance().dim()
    );
    let std = m.standardize.std;
    let (i, v) = marginals
        .variance
        .iter()
        .copied()
        .enumerate()
        .fold((0, f64::INFINITY), |b, (i, v)| if v < b.1 { (i, v) } else { b });
    let clamped = marginals
        .variance
        .iter()
        .filter(|v| **v <= MIN_VARIANCE * std * std * (1.0 + 1e-12))
        .count();
    let _ = writeln!(
        t,
        "smallest σ² on the grid: {v:.3e} at x = {:+.4} ({:.3e} in the model's units); \
         kept ≥ 1e-12 in the model's units: {clamped} of {} points at the floor",
        grid[i],
        v / (std * std),
        grid.len()
    );
    t.push_str("\n     x         μ(x)      σ(x)     f(x)\n");
    for k in [0, 125, 187, 250, 312, 375, 499] {
        let _ = writeln!(
            t,
            "{:+.4}   {:+.5}   {:.5}   {:+.5}",
            grid[k], s.s.mean[k], s.s.sd[k], s.truth[k]
        );
    }
    t.push_str(&coverage(s));
    t
}

fn sigma_text(s: &Setting) -> String {
    let m = &s.s.model;
    let u = m.data_units().expect("finite");
    let std = m.standardize.std;
    let (_, sd_data) = library(s, &s.x());
    let mut t = format!("σ at the data: {}\n", list(sd_data.iter().copied(), 5));
    let grid = &s.s.grid;
    let between = (0..grid.len()).filter(|&k| grid[k].abs() <= 1.5).fold(
        (0.0, 0.0),
        |b, k| if s.s.sd[k] > b.1 { (grid[k], s.s.sd[k]) } else { b },
    );
    let _ = writeln!(
        t,
        "largest σ between the data: {:.5} at x = {:+.4}",
        between.1, between.0
    );
    let _ = writeln!(
        t,
        "σ at the grid's ends: σ(−3) = {:.5}, σ(3) = {:.5}",
        s.s.sd[0],
        s.s.sd[grid.len() - 1]
    );
    let (_, far) = library(s, &[-60.0, 60.0]);
    let _ = writeln!(
        t,
        "far away: σ(−60) = {:.6}, σ(60) = {:.6}; the outputs' std s = {std:.6}",
        far[0], far[1]
    );
    let _ = writeln!(
        t,
        "noise in data units: √σₙ² = {:.5}; bound at a data point √(σ_f²σₙ²/(σ_f² + σₙ²)) = {:.5}",
        u.noise.sqrt(),
        (u.outputscale * u.noise / (u.outputscale + u.noise)).sqrt()
    );
    t
}

fn versus_text(first: &Setting, complex: &Setting) -> String {
    let u = first.s.model.data_units().expect("finite");
    let mut t = format!(
        "chapter 12's posterior with ℓ = {:.6}, σ_f² = {:.6}, σₙ² = {:.6}, mean {:+.6}\n\n",
        u.lengthscales[0], u.outputscale, u.noise, u.mean
    );
    let xs = [-3.0, -1.5, -0.75, 0.0, 1.1761, 2.0, 3.0];
    let (lm, ls) = library(first, &xs);
    let (hm, hs) = hand_written(first, &xs);
    t.push_str(
        "     x      library μ     chapter 12 μ    library σ     chapter 12 σ\n",
    );
    for k in 0..xs.len() {
        let _ = writeln!(
            t,
            "{:+.4}   {:+.10}   {:+.10}   {:.10}   {:.10}",
            xs[k], lm[k], hm[k], ls[k], hs[k]
        );
    }
    for (name, s) in [("this objective", first), ("the complex objective", complex)]
    {
        let (dm, ds) = largest_differences(s);
        let _ = writeln!(
            t,
            "largest difference on the {}-point grid, {name}: |Δμ| = {dm:.1e}, |Δσ| = {ds:.1e}",
            s.s.grid.len()
        );
    }
    t
}

fn complex_text(c: &Setting) -> String {
    let (xm, fm) = c.minimum();
    let mut t = String::from(
        "f(x) = −0.48 e^(−½((x+1.9)/0.55)²) − 0.72 e^(−½((x+0.35)/0.22)²) − 1.05 e^(−½((x−1.75)/0.30)²)\n\
         \x20      + 0.10 sin 2.8x + 0.06 sin(6.5x + 0.4) + 0.035 cos 11x + 0.32 tan 0.3x + 0.025(x − 0.4)² + 0.16\n",
    );
    let _ = writeln!(t, "global minimum: f({xm:.4}) = {fm:.5}");
    for (x, v) in c.minima.iter().filter(|m| m.0 != xm) {
        let _ = writeln!(t, "local minimum:  f({x:.4}) = {v:.4}");
    }
    let g = &c.s.grid;
    let _ = writeln!(
        t,
        "data: x {:?}, y {} values, {} to {}, seed {SEED}; grid: {} points on [{}, {}]",
        c.data.x.dim(),
        c.data.y.len(),
        c.design.0,
        c.design.1,
        g.len(),
        g[0],
        g[g.len() - 1]
    );
    let (own, u) = hyperparameters(&c.s.model).expect("finite");
    let _ = writeln!(
        t,
        "model units: ℓ = {:.4}, c = {:+.4}, σₙ² = {:.6}\n\
         data units:  ℓ = {:.4}, c = {:+.4}, σ_f² = {:.6}, σₙ² = {:.6}  (r = {}, s = {:.6})",
        own.lengthscale,
        own.mean,
        own.noise,
        u.lengthscales[0],
        u.mean,
        u.outputscale,
        u.noise,
        c.s.model.normalize.range()[0],
        c.s.model.standardize.std
    );
    let best =
        (0..g.len()).fold(0, |b, i| if c.s.mean[i] < c.s.mean[b] { i } else { b });
    let _ = writeln!(
        t,
        "\nlowest posterior mean: μ({:+.4}) = {:+.5}, σ = {:.5}; f there {:+.5}",
        g[best], c.s.mean[best], c.s.sd[best], c.truth[best]
    );
    let dip = c.minima[2];
    let k = (0..g.len())
        .min_by(|&a, &b| (g[a] - dip.0).abs().total_cmp(&(g[b] - dip.0).abs()))
        .unwrap_or(0);
    let _ = writeln!(
        t,
        "at the narrow dip: μ({:+.4}) = {:+.5}, σ = {:.5}; f there {:+.5}",
        g[k], c.s.mean[k], c.s.sd[k], c.truth[k]
    );
    t.push_str(&coverage(c));
    t
}

/// Where the true f lies outside the band μ ± 2σ on the grid: a count and the stretches.
fn coverage(s: &Setting) -> String {
    let g = &s.s.grid;
    let outside: Vec<bool> = (0..g.len())
        .map(|k| (s.s.mean[k] - s.truth[k]).abs() > 2.0 * s.s.sd[k])
        .collect();
    let count = outside.iter().filter(|o| **o).count();
    let mut stretches = Vec::new();
    let mut k = 0;
    while k < g.len() {
        if outside[k] {
            let start = k;
            while k + 1 < g.len() && outside[k + 1] {
                k += 1;
            }
            stretches.push(format!("[{:+.3}, {:+.3}]", g[start], g[k]));
        }
        k += 1;
    }
    let mut t = format!("f outside μ ± 2σ: {count} of {} grid points", g.len());
    if !stretches.is_empty() {
        t.push_str(&format!(", on x in {}", stretches.join(", ")));
    }
    t.push('\n');
    t
}
