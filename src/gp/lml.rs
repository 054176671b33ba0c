//! The log marginal likelihood and its gradient, computed the fast way: the kernel matrix and
//! its slopes over the lower triangle only, with a vectorised exponential; K⁻¹ from the
//! Cholesky factor by a blocked triangular inverse and the Gram product of that inverse
//! (n³ flops in all, with the factorisation, nearly all of them in large matrix products);
//! and every trace ½ tr((ααᵀ − K⁻¹) ∂K/∂θ) accumulated in one pass over the lower triangle,
//! without forming any ∂K/∂θ.

use super::kernel::Kernel;
use crate::linalg::{
    factor_in_place, factor_upper_in_place, invert_lower_into, lower_gram_into,
    JITTERS,
};
use crate::special::multiversion;
use crate::{Error, Result};
use ndarray::{Array1, Array2, ArrayView1, ArrayView2};

/// Lanes of the vectorised sums: enough independent accumulators to hide the latency of the
/// additions on 512-bit registers.
const LANES: usize = 16;

/// Σⱼ tⱼ (cᵢ − cⱼ)² over the shorter of `t` and `c`.
#[inline(always)]
fn weighted_sq_diff_sum(t: &[f64], c: &[f64], ci: f64) -> f64 {
    let c = &c[..t.len().min(c.len())];
    let t = &t[..c.len()];
    let mut acc = [0.0; LANES];
    let (tc, cc) = (t.chunks_exact(LANES), c.chunks_exact(LANES));
    let (tr, cr) = (tc.remainder(), cc.remainder());
    for (tb, cb) in tc.zip(cc) {
        for l in 0..LANES {
            let e = ci - cb[l];
            acc[l] += tb[l] * e * e;
        }
    }
    let mut total: f64 = acc.iter().sum();
    for (tv, cv) in tr.iter().zip(cr) {
        total += tv * (ci - cv) * (ci - cv);
    }
    total
}

/// For row i: wⱼ = aᵢαⱼ − kinvⱼ, returns Σⱼ wⱼ valuesⱼ and writes tⱼ = wⱼ slopesⱼ.
#[inline(always)]
fn weights_row(
    ai: f64,
    alpha: &[f64],
    kinv: &[f64],
    values: &[f64],
    slopes: &[f64],
    t: &mut [f64],
) -> f64 {
    let m = t.len();
    let (alpha, kinv, values, slopes) =
        (&alpha[..m], &kinv[..m], &values[..m], &slopes[..m]);
    let mut acc = [0.0; LANES];
    let mut j = 0;
    while j + LANES <= m {
        for l in 0..LANES {
            let w = ai * alpha[j + l] - kinv[j + l];
            acc[l] += w * values[j + l];
            t[j + l] = w * slopes[j + l];
        }
        j += LANES;
    }
    let mut total: f64 = acc.iter().sum();
    while j < m {
        let w = ai * alpha[j] - kinv[j];
        total += w * values[j];
        t[j] = w * slopes[j];
        j += 1;
    }
    total
}

/// The LML gradient with respect to (m, log ℓ₁, …, log ℓ_d, log σ², log σₙ²) from:
/// the scaled coordinates `cols` (xᵢ_d/ℓ_d by dimension), α, the lower triangle of K⁻¹ and
/// of the noise-free kernel values σ²κ and slopes σ²(−κ'/r) (row-major, n columns), and σₙ².
///
/// With W = ααᵀ − K⁻¹: ∂/∂m = Σα; ∂/∂log σ² = ½ Σᵢⱼ Wᵢⱼ σ²κᵢⱼ; ∂/∂log ℓ_d =
/// ½ Σᵢⱼ Wᵢⱼ σ²(−κ'/r)ᵢⱼ (xᵢ_d − xⱼ_d)²/ℓ_d²; ∂/∂log σₙ² = ½ σₙ² tr W. Off-diagonal pairs
/// are visited once and counted twice.
pub(crate) fn gradient(
    cols: &[Vec<f64>],
    alpha: &[f64],
    kinv: &[f64],
    values: &[f64],
    slopes: &[f64],
    noise: f64,
) -> Array1<f64> {
    let d = cols.len();
    let mut g_ls = vec![0.0; d];
    let (g_os, g_trace) =
        gradient_sums(cols, alpha, kinv, values, slopes, &mut g_ls);
    let mut grad = Array1::zeros(d + 3);
    grad[0] = alpha.iter().sum();
    for (k, g) in g_ls.iter().enumerate() {
        grad[1 + k] = 0.5 * g;
    }
    grad[d + 1] = 0.5 * g_os;
    grad[d + 2] = 0.5 * noise * g_trace;
    grad
}

multiversion! {
    /// The sums of [`gradient`] before the factors ½: Σᵢⱼ Wᵢⱼ(−κ'/r)ᵢⱼ(xᵢ_d − xⱼ_d)²/ℓ_d²
    /// into `g_ls`, and (Σᵢⱼ Wᵢⱼ κᵢⱼ, tr W) returned.
    fn gradient_sums(
        cols: &[Vec<f64>],
        alpha: &[f64],
        kinv: &[f64],
        values: &[f64],
        slopes: &[f64],
        g_ls: &mut [f64],
    ) -> (f64, f64) {
        let n = alpha.len();
        let (mut g_os, mut g_trace) = (0.0, 0.0);
        let mut t = vec![0.0; n];
        for i in 0..n {
            let row = i * n..i * n + i;
            let ai = alpha[i];
            g_os += 2.0
                * weights_row(
                    ai,
                    alpha,
                    &kinv[row.clone()],
                    &values[row.clone()],
                    &slopes[row],
                    &mut t[..i],
                );
            for (g, c) in g_ls.iter_mut().zip(cols) {
                *g += 2.0 * weighted_sq_diff_sum(&t[..i], c, c[i]);
            }
            let wii = ai * ai - kinv[i * n + i];
            g_os += wii * values[i * n + i];
            g_trace += wii;
        }
        (g_os, g_trace)
    }
}

/// Buffers for repeated evaluations of the LML and its gradient on one data set, as the
/// fit needs them: nothing of size n² is allocated after the first evaluation.
#[derive(Debug, Clone)]
pub(crate) struct LmlWorkspace {
    x: Array2<f64>,
    y: Array1<f64>,
    values: Vec<f64>,
    slopes: Vec<f64>,
    factor: Array2<f64>,
    inverse: Array2<f64>,
    /// The kernel and noise whose covariance the factor's buffer holds, if it holds one.
    factored: Option<(Kernel, f64)>,
    /// The forward substitution of [`LmlWorkspace::log_likelihood`].
    solved: Vec<f64>,
    /// The inputs' columns, contiguous (filled at the first [`LmlWorkspace::log_likelihood`]).
    columns: Vec<Vec<f64>>,
}

impl LmlWorkspace {
    /// A workspace for inputs `x` (n × d) and outputs `y` (n), assumed checked.
    pub(crate) fn new(x: ArrayView2<'_, f64>, y: ArrayView1<'_, f64>) -> Self {
        LmlWorkspace {
            x: x.to_owned(),
            y: y.to_owned(),
            values: Vec::new(),
            slopes: Vec::new(),
            factor: Array2::zeros((0, 0)),
            inverse: Array2::zeros((0, 0)),
            factored: None,
            solved: Vec::new(),
            columns: Vec::new(),
        }
    }

    /// Fills the kernel values (and, `for_gradient`, the slopes) from the scaled coordinates
    /// `cols` and factors K + σₙ²I + diag(v) into the factor's buffer — by the blocked
    /// factorisation `for_gradient`, as the maximum a posteriori fit always has, by the
    /// right-looking one for the value alone, which is faster at a sampler's sizes — following the jitter
    /// schedule of [`Cholesky::with_jitter`](crate::linalg::Cholesky::with_jitter) relative
    /// to σ² + σₙ²; returns the jitter used.
    fn factor(
        &mut self,
        kernel: &Kernel,
        cols: &[Vec<f64>],
        noise: f64,
        fixed_noise: Option<&Array1<f64>>,
        for_gradient: bool,
    ) -> Result<f64> {
        let n = self.x.nrows();
        if self.factor.nrows() != n {
            self.values = vec![0.0; n * n];
            self.slopes = vec![0.0; n * n];
            self.factor = Array2::zeros((n, n));
            self.inverse = Array2::zeros((n, n));
        }
        let slope_buffer =
            if for_gradient { &mut self.slopes[..] } else { &mut [][..] };
        kernel.fill(cols, cols, true, n, &mut self.values, slope_buffer);
        let scale = (kernel.outputscale() + noise).abs().max(f64::MIN_POSITIVE);
        for &j in &JITTERS {
            let f = self
                .factor
                .as_slice_mut()
                .unwrap_or_else(|| unreachable!("a standard-layout array"));
            let diagonal = |i: usize| {
                noise + j * scale + fixed_noise.map_or(0.0, |v: &Array1<f64>| v[i])
            };
            let factored = if for_gradient {
                for (i, (row, source)) in f
                    .chunks_exact_mut(n)
                    .zip(self.values.chunks_exact(n))
                    .enumerate()
                {
                    row[..=i].copy_from_slice(&source[..=i]);
                    row[i] += diagonal(i);
                }
                factor_in_place(self.factor.view_mut()).is_ok()
            } else {
                // The upper triangle, for the right-looking factorisation.
                for (i, source) in self.values.chunks_exact(n).enumerate() {
                    for (j, &v) in source[..i].iter().enumerate() {
                        f[j * n + i] = v;
                    }
                    f[i * n + i] = source[i] + diagonal(i);
                }
                factor_upper_in_place(f, n).is_ok()
            };
            if factored {
                return Ok(j * scale);
            }
        }
        Err(Error::InvalidInput {
            context: "log marginal likelihood",
            reason: format!(
                "the covariance is not positive definite even with jitter {:e}",
                JITTERS[JITTERS.len() - 1] * scale
            ),
        })
    }

    /// The LML of N(y | m, K + σₙ²I) alone, without its gradient: one factorisation —
    /// skipped when the kernel and the noise are those of the previous call, so that a
    /// change of the mean alone costs a triangular solve — and one forward substitution.
    /// The jitter schedule is that of [`evaluate_with`](LmlWorkspace::evaluate_with).
    ///
    /// # Errors
    /// As for [`evaluate_with`](LmlWorkspace::evaluate_with).
    pub(crate) fn log_likelihood(
        &mut self,
        kernel: &Kernel,
        mean: f64,
        noise: f64,
    ) -> Result<f64> {
        let n = self.x.nrows();
        let cached =
            matches!(&self.factored, Some((k, s)) if k == kernel && *s == noise);
        if !cached {
            self.factored = None;
            // The scaled coordinates from the inputs' columns, kept contiguous.
            if self.columns.is_empty() {
                self.columns =
                    self.x.columns().into_iter().map(|c| c.to_vec()).collect();
            }
            let cols: Vec<Vec<f64>> = self
                .columns
                .iter()
                .zip(kernel.lengthscales())
                .map(|(c, l)| c.iter().map(|v| v / l).collect())
                .collect();
            self.factor(kernel, &cols, noise, None, false)?;
            self.factored = Some((kernel.clone(), noise));
        }
        let f = self
            .factor
            .as_slice()
            .unwrap_or_else(|| unreachable!("standard layout"));
        // Uᵀz = y − m, column by column of Uᵀ (rows of U); ½ log det = Σ log Uᵢᵢ.
        let z = &mut self.solved;
        z.clear();
        z.extend(self.y.iter().map(|v| v - mean));
        let mut half_log_det = 0.0;
        let mut quadratic = 0.0;
        for (k, row) in f.chunks_exact(n).enumerate() {
            let zk = z[k] / row[k];
            z[k] = zk;
            quadratic += zk * zk;
            half_log_det += row[k].ln();
            for (t, &u) in z[k + 1..].iter_mut().zip(&row[k + 1..]) {
                *t -= zk * u;
            }
        }
        let lml = -0.5 * quadratic
            - half_log_det
            - 0.5 * n as f64 * (2.0 * std::f64::consts::PI).ln();
        if lml.is_finite() {
            Ok(lml)
        } else {
            Err(Error::NonFinite { context: "log marginal likelihood" })
        }
    }

    /// The LML of N(y | m, K + σₙ²I + diag(v)), its gradient with respect to
    /// (m, log ℓ₁, …, log ℓ_d, log σ², log σₙ²), the mean m used — the one given or, for
    /// `None`, the mean profiled out, m* = 1ᵀK⁻¹y / 1ᵀK⁻¹1, which maximises the LML for the
    /// other hyperparameters (there the gradient in m is zero and the others are the partial
    /// derivatives, since nothing else depends on m) — and the jitter the factorisation
    /// needed. `fixed_noise`, if given, holds known per-observation noise variances v
    /// added to the learned σₙ².
    ///
    /// If the covariance does not factor, the jitter schedule of
    /// [`Cholesky::with_jitter`](crate::linalg::Cholesky::with_jitter) is followed, relative
    /// to σ² + σₙ², as [`Gp::new`](super::Gp::new) does.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] if even the largest jitter does not make the matrix positive
    /// definite, [`Error::NonFinite`] if the result is not finite.
    pub(crate) fn evaluate_with(
        &mut self,
        kernel: &Kernel,
        mean: Option<f64>,
        noise: f64,
        fixed_noise: Option<&Array1<f64>>,
    ) -> Result<LmlEvaluation> {
        let n = self.x.nrows();
        let cols = kernel.scaled_columns(self.x.view());
        let jitter = self.factor(kernel, &cols, noise, fixed_noise, true)?;
        // The factor's buffer is overwritten with K⁻¹ below.
        self.factored = None;
        let log_det: f64 =
            2.0 * self.factor.diag().iter().map(|v| v.ln()).sum::<f64>();
        invert_lower_into(self.factor.view(), self.inverse.view_mut());
        let kinv = |v: &Array1<f64>| self.inverse.t().dot(&self.inverse.dot(v));
        let mean = match mean {
            Some(m) => m,
            None => {
                let kinv_ones = kinv(&Array1::ones(n));
                kinv_ones.dot(&self.y) / kinv_ones.sum()
            }
        };
        let r = &self.y - mean;
        let alpha = kinv(&r);
        let lml = -0.5 * r.dot(&alpha)
            - 0.5 * log_det
            - 0.5 * n as f64 * (2.0 * std::f64::consts::PI).ln();
        // K⁻¹ = L⁻ᵀL⁻¹ into the factor's buffer, which is no longer needed.
        lower_gram_into(self.inverse.view(), self.factor.view_mut());
        let kinv = self
            .factor
            .as_slice()
            .unwrap_or_else(|| unreachable!("standard layout"));
        let alpha = alpha.to_vec();
        let gradient =
            gradient(&cols, &alpha, kinv, &self.values, &self.slopes, noise);
        if !lml.is_finite() || gradient.iter().any(|g| !g.is_finite()) {
            return Err(Error::NonFinite { context: "log marginal likelihood" });
        }
        Ok(LmlEvaluation { lml, gradient, mean, jitter })
    }
}

/// One evaluation of the log marginal likelihood by [`LmlWorkspace::evaluate_with`].
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct LmlEvaluation {
    /// log p(y).
    pub lml: f64,
    /// Its gradient with respect to (m, log ℓ₁, …, log ℓ_d, log σ², log σₙ²).
    pub gradient: Array1<f64>,
    /// The constant mean m used.
    pub mean: f64,
    /// The jitter added to the diagonal to factor the covariance (0 if none).
    pub jitter: f64,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gp::{Gp, Hyperparameters, KernelKind};
    use ndarray::{array, Axis};

    #[test]
    fn the_value_alone_agrees_with_the_model_and_reuses_its_factor() {
        let x = Array2::from_shape_fn((90, 4), |(i, j)| {
            ((i * 17 + j * 5) % 31) as f64 / 31.0
        });
        let y = x.map_axis(Axis(1), |r| (3.0 * r[0]).sin() - r[1] * r[3]);
        let mut ws = LmlWorkspace::new(x.view(), y.view());
        let kernel =
            Kernel::new(KernelKind::Matern52, array![0.3, 0.5, 1.1, 2.0], 1.4)
                .unwrap();
        for (mean, noise) in [(0.2, 1e-3), (-0.5, 1e-3), (0.2, 0.1)] {
            let got = ws.log_likelihood(&kernel, mean, noise).unwrap();
            let hyper = Hyperparameters { kernel: kernel.clone(), mean, noise };
            let want = Gp::new(x.clone(), y.clone(), hyper)
                .unwrap()
                .log_marginal_likelihood();
            assert!((got - want).abs() < 1e-10 * want.abs(), "{got} vs {want}");
        }
        // After a gradient evaluation (which overwrites the factor) the value is recomputed.
        ws.evaluate_with(&kernel, Some(0.0), 0.1, None).unwrap();
        let again = ws.log_likelihood(&kernel, 0.2, 0.1).unwrap();
        let fresh = LmlWorkspace::new(x.view(), y.view())
            .log_likelihood(&kernel, 0.2, 0.1)
            .unwrap();
        assert_eq!(again, fresh);
    }

    #[test]
    fn the_right_looking_factor_is_the_blocked_one() {
        let x = Array2::from_shape_fn((150, 2), |(i, j)| {
            ((i * 7 + j * 3) % 37) as f64 / 37.0 + 1e-3 * i as f64
        });
        let kernel =
            Kernel::new(KernelKind::Matern32, array![0.4, 0.7], 1.0).unwrap();
        let mut k = kernel.matrix(x.view(), x.view()).unwrap();
        k.diag_mut().mapv_inplace(|v| v + 1e-4);
        let blocked = crate::linalg::Cholesky::new(k.view()).unwrap();
        let mut upper = k.clone();
        factor_upper_in_place(upper.as_slice_mut().unwrap(), 150).unwrap();
        for i in 0..150 {
            for j in 0..=i {
                let (a, b) = (upper[[j, i]], blocked.factor()[[i, j]]);
                assert!((a - b).abs() < 1e-10, "{i} {j}: {a} vs {b}");
            }
        }
        // Not positive definite: an error naming the pivot.
        let mut bad = Array2::<f64>::eye(3);
        bad[[2, 2]] = -1.0;
        assert!(factor_upper_in_place(bad.as_slice_mut().unwrap(), 3).is_err());
    }

    #[test]
    fn the_workspace_agrees_with_the_model() {
        let x = Array2::from_shape_fn((70, 3), |(i, j)| {
            ((i * 13 + j * 7) % 29) as f64 / 29.0
        });
        let y = x.map_axis(Axis(1), |r| (3.0 * r[0]).sin() + r[1] * r[2]);
        let mut ws = LmlWorkspace::new(x.view(), y.view());
        for kind in [
            KernelKind::SquaredExponential,
            KernelKind::Matern12,
            KernelKind::Matern32,
            KernelKind::Matern52,
        ] {
            let kernel = Kernel::new(kind, array![0.3, 0.5, 1.1], 1.4).unwrap();
            let e = ws.evaluate_with(&kernel, None, 1e-3, None).unwrap();
            let (best, g, m) = (e.lml, e.gradient, e.mean);
            // The profiled mean is the maximiser: zero gradient in m, and no better nearby.
            assert!(g[0].abs() < 1e-9 * best.abs(), "{}", g[0]);
            for dm in [-1e-3, 1e-3] {
                assert!(
                    ws.evaluate_with(&kernel, Some(m + dm), 1e-3, None)
                        .unwrap()
                        .lml
                        < best
                );
            }
            let e = ws.evaluate_with(&kernel, Some(0.2), 1e-3, None).unwrap();
            let (lml, grad) = (e.lml, e.gradient);
            let hyper = Hyperparameters { kernel, mean: 0.2, noise: 1e-3 };
            let gp = Gp::new(x.clone(), y.clone(), hyper).unwrap();
            assert!((lml - gp.log_marginal_likelihood()).abs() < 1e-9 * lml.abs());
            let want = gp.lml_gradient();
            for (g, w) in grad.iter().zip(&want) {
                assert!(
                    (g - w).abs() < 1e-8 * w.abs().max(1.0),
                    "{kind:?}: {g} vs {w}"
                );
            }
        }
    }
}
