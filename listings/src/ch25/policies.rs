//! Choosing synthesis–operation pairs from the 50 625-pair library: the flat policy (the
//! pair with the largest LogEI), the two-stage policy (the synthesis whose five best
//! operations score best on average, then its best operation) and random search, all from
//! one flat GP on the four coordinates; and the same two rules from a structured GP whose
//! kernel has a term for the synthesis alone.

use gradbo::acquisition::Acquisition;
use gradbo::candidates::{
    best_unevaluated, choose_in_groups, product_posterior, product_quadratic_form,
    Library,
};
use gradbo::gp::{fit, FitOptions, Kernel, KernelKind, Prior};
use gradbo::linalg::Cholesky;
use gradbo::optim::solvers::{lbfgs_with, LbfgsSettings};
use gradbo::optim::Objective;
use gradbo::test_functions::hierarchical::{
    grid, library_values, PAIRS, SYNTHESES,
};
use gradbo::{Bounds, Error};
use ndarray::{s, Array1, Array2, Axis};
use rand::rngs::ChaCha8Rng;
use rand::{RngExt, SeedableRng};
use std::collections::BTreeSet;
use std::f64::consts::LN_2;

/// The chapter's seed: its initial pairs and the random policy's draws.
pub const SEED: u64 = 41;
/// Pairs in the initial design.
pub const N_INIT: usize = 10;
/// Pairs chosen after it.
pub const STEPS: usize = 50;
/// A synthesis is scored by the mean LogEI of this many of its best open operations.
pub const TOP_K: usize = 5;

/// How the next pair is chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Policy {
    /// Flat GP; the open pair with the largest LogEI.
    Flat,
    /// Flat GP; the best synthesis by its top-5 mean LogEI, then its best operation.
    TwoStage,
    /// A uniformly random open pair.
    Random,
    /// Structured GP; the open pair with the largest LogEI.
    StructuredFlat,
    /// Structured GP; the two-stage rule.
    StructuredTwoStage,
}

impl Policy {
    /// The course's three policies.
    pub const COURSE: [Policy; 3] =
        [Policy::Flat, Policy::TwoStage, Policy::Random];
    /// The structured model's two.
    pub const STRUCTURED: [Policy; 2] =
        [Policy::StructuredFlat, Policy::StructuredTwoStage];

    /// A label for tables and legends.
    pub fn label(self) -> &'static str {
        match self {
            Policy::Flat => "flat",
            Policy::TwoStage => "two-stage",
            Policy::Random => "random",
            Policy::StructuredFlat => "structured GP, flat",
            Policy::StructuredTwoStage => "structured GP, two-stage",
        }
    }
}

/// One run: the pairs in the order they were evaluated (library rows) and their values.
#[derive(Debug, Clone)]
pub struct Run {
    /// The policy.
    pub policy: Policy,
    /// The seed of the initial pairs (and of the random draws).
    pub seed: u64,
    /// Library rows, initial pairs first.
    pub pairs: Vec<usize>,
    /// y at each.
    pub values: Vec<f64>,
}

impl Run {
    /// The best value after 10, 11, …, 60 observations.
    pub fn best(&self) -> Vec<f64> {
        (N_INIT..=self.values.len())
            .map(|n| {
                self.values[..n].iter().copied().fold(f64::NEG_INFINITY, f64::max)
            })
            .collect()
    }

    /// The number of distinct syntheses after 10, 11, …, 60 observations.
    pub fn distinct_syntheses(&self) -> Vec<usize> {
        (N_INIT..=self.pairs.len())
            .map(|n| {
                self.pairs[..n]
                    .iter()
                    .map(|p| p / SYNTHESES)
                    .collect::<BTreeSet<_>>()
                    .len()
            })
            .collect()
    }
}

// ANCHOR: initial
/// The initial design: the first `N_INIT` pairs of a seeded random permutation of the
/// library.
pub fn initial_pairs(seed: u64) -> Vec<usize> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut rows: Vec<usize> = (0..PAIRS).collect();
    for i in 0..N_INIT {
        let j = rng.random_range(i..PAIRS);
        rows.swap(i, j);
    }
    rows.truncate(N_INIT);
    rows
}
// ANCHOR_END: initial

/// The coordinates (u₁, u₂, v₁, v₂) of library rows.
pub fn coordinates(pairs: &[usize]) -> Array2<f64> {
    let g = grid();
    Array2::from_shape_fn((pairs.len(), 4), |(k, j)| {
        let (s, o) = (pairs[k] / SYNTHESES, pairs[k] % SYNTHESES);
        if j < 2 {
            g[[s, j]]
        } else {
            g[[o, j - 2]]
        }
    })
}

// ANCHOR: score
/// LogEI at every pair of the library (−∞ at evaluated ones), from a posterior mean and
/// variance over the library in its order.
pub fn log_ei(
    mean: &Array1<f64>,
    variance: &Array1<f64>,
    best: f64,
    open: &[bool],
) -> Array1<f64> {
    let acqf = Acquisition::LogExpectedImprovement { best };
    Array1::from_shape_fn(open.len(), |k| {
        if open[k] {
            acqf.from_moments(mean[k], variance[k].sqrt()).value
        } else {
            f64::NEG_INFINITY
        }
    })
}

/// The flat GP's LogEI over the library: BoTorch's single-task GP on the four coordinates
/// (refitted to all the data), its posterior over the 225 × 225 product by
/// `product_posterior`.
pub fn flat_scores(
    pairs: &[usize],
    values: &[f64],
    open: &[bool],
) -> gradbo::Result<Array1<f64>> {
    let options = FitOptions {
        input_bounds: Some(Bounds::unit(4)?),
        threads: 1,
        ..FitOptions::single_task(4)
    };
    let model =
        fit(coordinates(pairs).view(), &Array1::from(values.to_vec()), &options)?;
    let g = grid();
    let p = product_posterior(&model, g.view(), g.view())?;
    Ok(log_ei(&p.mean, &p.variance, best_of(values), open))
}
// ANCHOR_END: score

fn best_of(values: &[f64]) -> f64 {
    values.iter().copied().fold(f64::NEG_INFINITY, f64::max)
}

// ANCHOR: run
/// Runs `policy` from the initial pairs of `seed` for `STEPS` steps, with `y` the value at
/// every library row.
pub fn run(policy: Policy, seed: u64, y: &Array1<f64>) -> gradbo::Result<Run> {
    let mut pairs = initial_pairs(seed);
    let mut open = vec![true; PAIRS];
    for &p in &pairs {
        open[p] = false;
    }
    let groups = Library::product_groups(SYNTHESES, SYNTHESES);
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x0531);
    let mut theta = Structured::START.to_vec();
    for _ in 0..STEPS {
        let values: Vec<f64> = pairs.iter().map(|&p| y[p]).collect();
        let scores = match policy {
            Policy::Random => None,
            Policy::Flat | Policy::TwoStage => {
                Some(flat_scores(&pairs, &values, &open)?)
            }
            Policy::StructuredFlat | Policy::StructuredTwoStage => {
                let model = Structured::fit(&coordinates(&pairs), &values, &theta)?;
                theta = model.theta.to_vec();
                let (mean, variance) = model.posterior_over_library()?;
                Some(log_ei(&mean, &variance, best_of(&values), &open))
            }
        };
        let next = match (policy, scores) {
            (Policy::Flat | Policy::StructuredFlat, Some(a)) => {
                best_unevaluated(a.view(), &open)?.0
            }
            (Policy::TwoStage | Policy::StructuredTwoStage, Some(a)) => {
                choose_in_groups(a.view(), &open, &groups, TOP_K)?.index
            }
            _ => {
                let k = rng.random_range(0..open.iter().filter(|&&o| o).count());
                open.iter()
                    .enumerate()
                    .filter(|(_, o)| **o)
                    .nth(k)
                    .map(|(i, _)| i)
                    .unwrap_or(0)
            }
        };
        open[next] = false;
        pairs.push(next);
    }
    let values = pairs.iter().map(|&p| y[p]).collect();
    Ok(Run { policy, seed, pairs, values })
}
// ANCHOR_END: run

// ANCHOR: structured
/// A GP whose kernel knows which coordinates are the synthesis's:
///
/// k((U, V), (U′, V′)) = s_Q·k(U, U′; ℓ_Q) + s_I·k(U, U′; ℓ_U)·k(V, V′; ℓ_V),
///
/// squared-exponential factors with their own lengthscales. The first term is a material
/// quality shared by every operation of a synthesis; the second, the operating response,
/// whose shape in V changes smoothly with U. Outputs standardised, a constant mean
/// profiled out, noise variance fixed at 1e-4 (the data are noise-free), and a MAP fit:
/// the flat model's LogNormal prior on every lengthscale, LogNormal(ln ½, 1) on each share.
pub struct Structured {
    /// ln of (ℓ_Q1, ℓ_Q2, ℓ_U1, ℓ_U2, ℓ_V1, ℓ_V2, s_Q, s_I).
    pub theta: [f64; 8],
    x: Array2<f64>,
    mean: f64,
    alpha: Array1<f64>,
    kinv: Array2<f64>,
    y_mean: f64,
    y_std: f64,
}
// ANCHOR_END: structured

/// −log posterior, its gradient, and the fitted m, α and K⁻¹.
type Evaluation = (f64, Array1<f64>, f64, Array1<f64>, Array2<f64>);

/// The fixed noise variance of the structured model (standardised units).
const NOISE: f64 = 1e-4;

fn lengthscale_prior() -> Prior {
    Prior::LogNormal {
        loc: std::f64::consts::SQRT_2 + 0.5 * 4f64.ln(),
        scale: 3f64.sqrt(),
    }
}

fn share_prior() -> Prior {
    Prior::LogNormal { loc: 0.5f64.ln(), scale: 1.0 }
}

/// The kernel's parts on the training inputs: the quality term, the interaction term, and
/// the squared coordinate differences.
struct Parts {
    kq: Array2<f64>,
    ki: Array2<f64>,
    d2: Vec<Array2<f64>>,
}

fn se(
    ls: &[f64],
    a: ndarray::ArrayView2<'_, f64>,
    b: ndarray::ArrayView2<'_, f64>,
    scale: f64,
) -> gradbo::Result<Array2<f64>> {
    Kernel::new(KernelKind::SquaredExponential, Array1::from(ls.to_vec()), scale)?
        .matrix(a, b)
}

impl Structured {
    /// The starting θ of the first fit: the lengthscale prior's mode, equal shares.
    pub const START: [f64; 8] =
        [-0.8927, -0.8927, -0.8927, -0.8927, -0.8927, -0.8927, -LN_2, -LN_2];

    fn parts(x: &Array2<f64>, theta: &[f64]) -> gradbo::Result<Parts> {
        let l: Vec<f64> = theta.iter().map(|t| t.exp()).collect();
        let (u, v) = (x.slice(s![.., ..2]), x.slice(s![.., 2..]));
        let kq = se(&l[0..2], u, u, l[6])?;
        let ki = se(&l[2..4], u, u, l[7])? * se(&l[4..6], v, v, 1.0)?;
        let d2 = (0..4)
            .map(|d| {
                let c = x.column(d);
                Array2::from_shape_fn((x.nrows(), x.nrows()), |(i, j)| {
                    (c[i] - c[j]).powi(2)
                })
            })
            .collect();
        Ok(Parts { kq, ki, d2 })
    }

    /// The negative log posterior density at θ (up to a constant) and its gradient, for
    /// standardised outputs `y`; also the fitted quantities (m, α, K⁻¹).
    fn evaluate(
        x: &Array2<f64>,
        y: &Array1<f64>,
        theta: &[f64],
    ) -> gradbo::Result<Evaluation> {
        let n = y.len();
        let p = Structured::parts(x, theta)?;
        let mut k = &p.kq + &p.ki;
        k.diag_mut().mapv_inplace(|d| d + NOISE);
        let chol = Cholesky::with_jitter(k.view())?;
        let kinv = chol.solve(Array2::eye(n).view())?;
        let ones = Array1::ones(n);
        let (a, b) = (kinv.dot(y), kinv.dot(&ones));
        let mean = a.sum() / b.sum();
        let r = y - mean;
        let alpha = kinv.dot(&r);
        let mut value = 0.5 * r.dot(&alpha) + 0.5 * chol.log_det();
        // ∂(−LML)/∂θ = −½ tr((ααᵀ − K⁻¹) ∂K/∂θ).
        let w = &alpha.view().insert_axis(Axis(1))
            * &alpha.view().insert_axis(Axis(0))
            - &kinv;
        let l: Vec<f64> = theta.iter().map(|t| t.exp()).collect();
        let mut grad = Array1::zeros(8);
        for d in 0..2 {
            grad[d] = -0.5 * (&w * &p.kq * &p.d2[d]).sum() / (l[d] * l[d]);
            grad[2 + d] =
                -0.5 * (&w * &p.ki * &p.d2[d]).sum() / (l[2 + d] * l[2 + d]);
            grad[4 + d] =
                -0.5 * (&w * &p.ki * &p.d2[2 + d]).sum() / (l[4 + d] * l[4 + d]);
        }
        grad[6] = -0.5 * (&w * &p.kq).sum();
        grad[7] = -0.5 * (&w * &p.ki).sum();
        for (i, &li) in l.iter().enumerate() {
            let prior = if i < 6 { lengthscale_prior() } else { share_prior() };
            let (logp, slope) = prior.log_density_and_slope(li);
            value -= logp;
            grad[i] -= slope;
        }
        Ok((value, grad, mean, alpha, kinv))
    }

    /// Fits the model to pairs `x` (rows (u₁, u₂, v₁, v₂)) and values `y`, by L-BFGS from
    /// `start` (the previous step's θ in a loop) and from [`Structured::START`], keeping
    /// the better.
    ///
    /// # Errors
    /// [`Error::Empty`] for fewer than two points; the solver's and the factorisation's
    /// errors.
    pub fn fit(
        x: &Array2<f64>,
        values: &[f64],
        start: &[f64],
    ) -> gradbo::Result<Structured> {
        if values.len() < 2 || x.nrows() != values.len() {
            return Err(Error::Empty {
                context: "Structured::fit: at least two pairs",
            });
        }
        let y = Array1::from(values.to_vec());
        let y_mean = y.mean().unwrap_or(0.0);
        let y_std = y.std(1.0).max(1e-12);
        let ys = (&y - y_mean) / y_std;
        let objective = Likelihood { x, y: &ys };
        let settings = LbfgsSettings {
            memory: 10,
            max_iters: 200,
            tol_grad: 1e-5,
            tol_change: 1e-10,
        };
        let mut best: Option<(f64, Array1<f64>)> = None;
        for s in [start, &Structured::START[..]] {
            let found =
                lbfgs_with(&objective, &Array1::from(s.to_vec()), &settings)
                    .ok()
                    .filter(|r| {
                        r.value.is_finite()
                            && best.as_ref().is_none_or(|b| r.value < b.0)
                    });
            if let Some(r) = found {
                best = Some((r.value, r.x));
            }
        }
        let (_, t) = best.ok_or(Error::InvalidInput {
            context: "Structured::fit",
            reason: "no start could be optimised".into(),
        })?;
        let theta: [f64; 8] = std::array::from_fn(|i| t[i]);
        let (_, _, mean, alpha, kinv) = Structured::evaluate(x, &ys, &theta)?;
        Ok(Structured { theta, x: x.clone(), mean, alpha, kinv, y_mean, y_std })
    }

    /// The posterior mean and variance at every pair of the library, in its order: the
    /// quality term's covariances depend on the synthesis alone, the interaction's are
    /// products of a synthesis column and an operation column.
    ///
    /// # Errors
    /// The kernel's errors.
    pub fn posterior_over_library(
        &self,
    ) -> gradbo::Result<(Array1<f64>, Array1<f64>)> {
        let l: Vec<f64> = self.theta.iter().map(|t| t.exp()).collect();
        let (sq, si) = (l[6], l[7]);
        let g = grid();
        let (u, v) = (self.x.slice(s![.., ..2]), self.x.slice(s![.., 2..]));
        let q = se(&l[0..2], u, g.view(), 1.0)?; // n × 225
        let a = se(&l[2..4], u, g.view(), 1.0)?;
        let b = se(&l[4..6], v, g.view(), 1.0)?;
        // Mean: m + s_Q qᵢᵀα + s_I (aᵢ ∘ α)ᵀ bⱼ.
        let qa = q.t().dot(&self.alpha) * sq;
        let aw = &a * &self.alpha.view().insert_axis(Axis(1));
        let mean_ij = aw.t().dot(&b) * si;
        // Variance: s_Q + s_I − s_Q² qᵢᵀK⁻¹qᵢ − 2 s_Q s_I ((K⁻¹qᵢ) ∘ aᵢ)ᵀ bⱼ
        //           − s_I² (aᵢ ∘ bⱼ)ᵀ K⁻¹ (aᵢ ∘ bⱼ).
        let kq = self.kinv.dot(&q);
        let qq = (&q * &kq).sum_axis(Axis(0)) * (sq * sq);
        let cross = (&kq * &a).t().dot(&b) * (2.0 * sq * si);
        let inter = product_quadratic_form(self.kinv.view(), a.view(), b.view())?
            * (si * si);
        let (m, sd) = (self.mean, self.y_std);
        let mut mean = Array1::zeros(PAIRS);
        let mut variance = Array1::zeros(PAIRS);
        for i in 0..SYNTHESES {
            for j in 0..SYNTHESES {
                let k = i * SYNTHESES + j;
                mean[k] = (m + qa[i] + mean_ij[[i, j]]) * sd + self.y_mean;
                let var = sq + si - qq[i] - cross[[i, j]] - inter[[i, j]];
                variance[k] = var.max(1e-12) * sd * sd;
            }
        }
        Ok((mean, variance))
    }
}

/// −(log likelihood + log prior) of the structured model, for L-BFGS.
struct Likelihood<'a> {
    x: &'a Array2<f64>,
    y: &'a Array1<f64>,
}

impl Objective for Likelihood<'_> {
    fn dim(&self) -> usize {
        8
    }
    fn value_and_gradient(
        &self,
        theta: &Array1<f64>,
    ) -> gradbo::Result<(f64, Array1<f64>)> {
        // Beyond e^±12 the kernel is degenerate: evaluate at the nearest point inside and
        // add a steep quadratic wall, so that a long trial step is rejected, not fatal.
        let inside = theta.mapv(|t| t.clamp(-12.0, 12.0));
        let excess = theta - &inside;
        let (v, g, ..) =
            Structured::evaluate(self.x, self.y, inside.as_slice().unwrap_or(&[]))?;
        let (v, g) = (v + 1e3 * excess.dot(&excess), g + 2e3 * &excess);
        // Per observation, as the library's fit does: steps of a sensible size.
        let n = self.y.len() as f64;
        let (v, g) = (v / n, g / n);
        Ok((v, g))
    }
}

pub fn main() -> gradbo::Result<()> {
    let y = library_values();
    for policy in Policy::COURSE.into_iter().chain(Policy::STRUCTURED) {
        let r = run(policy, SEED, &y)?;
        println!(
            "{:<26} best {:.6} after {} observations, {} distinct syntheses",
            policy.label(),
            r.best().last().copied().unwrap_or(f64::NAN),
            r.values.len(),
            r.distinct_syntheses().last().copied().unwrap_or(0)
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use gradbo::test_functions::hierarchical::{value, LIBRARY_OPTIMAL_VALUE};

    #[test]
    fn runs_never_repeat_a_pair_and_their_curves_rise() {
        let y = library_values();
        for policy in [Policy::TwoStage, Policy::Random] {
            let r = run(policy, SEED, &y).unwrap();
            assert_eq!(r.pairs.len(), N_INIT + STEPS);
            assert_eq!(
                r.pairs.iter().collect::<BTreeSet<_>>().len(),
                N_INIT + STEPS
            );
            assert_eq!(r.pairs[..N_INIT], initial_pairs(SEED)[..]);
            let best = r.best();
            assert_eq!(best.len(), STEPS + 1);
            assert!(best.windows(2).all(|w| w[1] >= w[0]));
            assert!(*best.last().unwrap() <= LIBRARY_OPTIMAL_VALUE);
            let x = coordinates(&r.pairs);
            for (k, row) in x.rows().into_iter().enumerate() {
                assert_eq!(value(row).unwrap(), r.values[k]);
            }
        }
    }

    #[test]
    fn the_structured_posterior_matches_a_direct_computation() {
        let pairs = initial_pairs(SEED);
        let y = library_values();
        let vals: Vec<f64> = pairs.iter().map(|&p| y[p]).collect();
        let m = Structured::fit(&coordinates(&pairs), &vals, &Structured::START)
            .unwrap();
        let (mean, var) = m.posterior_over_library().unwrap();
        // Direct: k(x*, X) K⁻¹ (y − m) and k** − k*ᵀK⁻¹k* at a few pairs.
        let l: Vec<f64> = m.theta.iter().map(|t| t.exp()).collect();
        let x = coordinates(&pairs);
        for &p in &[0, 777, 25_000, pairs[0], PAIRS - 1] {
            let xs = coordinates(&[p]);
            let ks =
                se(&l[0..2], x.slice(s![.., ..2]), xs.slice(s![.., ..2]), l[6])
                    .unwrap()
                    + se(
                        &l[2..4],
                        x.slice(s![.., ..2]),
                        xs.slice(s![.., ..2]),
                        l[7],
                    )
                    .unwrap()
                        * se(
                            &l[4..6],
                            x.slice(s![.., 2..]),
                            xs.slice(s![.., 2..]),
                            1.0,
                        )
                        .unwrap();
            let k = ks.column(0);
            let mu = (m.mean + k.dot(&m.alpha)) * m.y_std + m.y_mean;
            let v = (l[6] + l[7] - k.dot(&m.kinv.dot(&k))).max(1e-12)
                * m.y_std
                * m.y_std;
            assert!((mean[p] - mu).abs() < 1e-9, "{p}: {} vs {mu}", mean[p]);
            assert!((var[p] - v).abs() < 1e-9, "{p}: {} vs {v}", var[p]);
        }
        // The fitted model reproduces its (noise-free) data.
        for (k, &p) in pairs.iter().enumerate() {
            assert!((mean[p] - vals[k]).abs() < 0.02, "{}", mean[p] - vals[k]);
        }
    }

    #[test]
    fn the_structured_gradient_matches_finite_differences() {
        let pairs = initial_pairs(SEED);
        let y = library_values();
        let x = coordinates(&pairs);
        let v: Array1<f64> = pairs.iter().map(|&p| y[p]).collect();
        let ys = (&v - v.mean().unwrap()) / v.std(1.0);
        let theta = [-1.0, -0.5, -0.7, -1.2, -1.5, -1.1, -0.3, -0.9];
        let (_, g, ..) = Structured::evaluate(&x, &ys, &theta).unwrap();
        for i in 0..8 {
            let h = 1e-6;
            let (mut up, mut down) = (theta, theta);
            up[i] += h;
            down[i] -= h;
            let fd = (Structured::evaluate(&x, &ys, &up).unwrap().0
                - Structured::evaluate(&x, &ys, &down).unwrap().0)
                / (2.0 * h);
            assert!(
                (g[i] - fd).abs() < 1e-5 * fd.abs().max(1.0),
                "{i}: {} vs {fd}",
                g[i]
            );
        }
    }
}
