//! The smooth pieces of qLogEI (Ament et al. 2023, "Unexpected improvements to expected
//! improvement"), as scalar formulas with their derivatives and as tape operations:
//!
//! - the fat-tailed softplus, a smooth ReLU whose logarithm decays only like −2 ln|x| far
//!   below zero, so that a hopeless improvement still has a finite value and a gradient;
//! - the fat-tailed smooth maximum over the q points of a sample;
//! - the mean of exponentials over the samples, taken in log space.
//!
//! Each tape operation's backward rule multiplies the upstream adjoint by a weight array
//! computed by a companion operation; those companions have no second derivative here,
//! and differentiating them again is an error rather than a silent zero.

use crate::autodiff::{Function, Var};
use crate::{Error, Result};
use ndarray::{Array1, Array2, ArrayD, ArrayView1, Axis, Ix1, Ix2};

/// τ_relu, the temperature of the fat-tailed softplus (BoTorch's default `tau_relu`).
pub const TAU_RELU: f64 = 1e-6;

/// τ_max, the temperature of the smooth maximum over the q points (BoTorch's `tau_max`).
pub const TAU_MAX: f64 = 1e-2;

/// α, the weight of the Cauchy tail in the fat-tailed softplus: the value for which
/// BoTorch's fatplus is monotone and convex.
const CAUCHY_WEIGHT: f64 = 0.1;

/// Beyond |u| = |x/τ| = 50 one of the two terms of h is below 10⁻²⁰ of the other, so h is
/// its tail: α/(1 + u²) below, u + α/(1 + u²) above (eᵘ and e⁻ᵘ are then below 2·10⁻²²,
/// against α/(1 + u²) ≥ 4·10⁻⁵). The tails need one logarithm, the middle three
/// transcendental functions; at τ = 10⁻⁶ nearly every sample is in a tail.
const TAIL: f64 = 50.0;

/// Below u = −10⁸, 1 + u² is u² to within 10⁻¹⁶, and ln u² is taken from ln|x| − ln τ so
/// that u² is never formed (it overflows beyond |u| ≈ 1.3·10¹⁵⁴).
const FAR_BELOW: f64 = -1e8;

/// Above u = 10¹⁰, u + α/(1 + u²) is u to within 10⁻³¹.
const LINEAR_ABOVE: f64 = 1e10;

/// ln(τ h(x/τ)) with h(u) = softplus(u) + α/(1 + u²), the logarithm of the fat-tailed
/// softplus at temperature τ, and its derivative in x.
///
/// For x ≫ τ this is ln x; for x ≪ −τ it is ln(α τ³/x²), finite for every finite x (the
/// logarithm of the ordinary softplus, ln τ + x/τ, would reach −∞ at x = −∞ only, but its
/// gradient 1/τ carries no information about how far below zero x is; the fat tail's
/// −2/x does). Both far tails are computed from ln|x| and ln τ so that x/τ never has to be
/// formed where it would overflow.
pub fn log_fatplus(x: f64, tau: f64) -> (f64, f64) {
    FatSoftplus::new(tau).log_and_slope(x)
}

/// The fat-tailed softplus at one temperature, with the logarithms every evaluation needs
/// taken once.
#[derive(Debug, Clone, Copy)]
pub(crate) struct FatSoftplus {
    tau: f64,
    log_tau: f64,
    log_tau_weight: f64,
}

impl FatSoftplus {
    pub(crate) fn new(tau: f64) -> Self {
        FatSoftplus {
            tau,
            log_tau: tau.ln(),
            log_tau_weight: (tau * CAUCHY_WEIGHT).ln(),
        }
    }

    /// [`log_fatplus`] at x.
    pub(crate) fn log_and_slope(&self, x: f64) -> (f64, f64) {
        let tau = self.tau;
        let u = x / tau;
        if u > LINEAR_ABOVE {
            return (x.ln(), 1.0 / x);
        }
        if u < FAR_BELOW {
            // ln(τα/u²) with ln|u| = ln|x| − ln τ.
            return (
                self.log_tau_weight - 2.0 * ((-x).ln() - self.log_tau),
                -2.0 / x,
            );
        }
        let spread = 1.0 + u * u;
        let cauchy = CAUCHY_WEIGHT / spread;
        // h'(u) = σ(u) − 2αu/(1 + u²)².
        let cauchy_slope = -2.0 * u * cauchy / spread;
        if u < -TAIL {
            // ln h = ln α − ln(1 + u²), and (ln h)' = −2u/(1 + u²).
            return (self.log_tau_weight - spread.ln(), -2.0 * u / (spread * tau));
        }
        if u > TAIL {
            let h = u + cauchy;
            return ((tau * h).ln(), (1.0 + cauchy_slope) / (tau * h));
        }
        let h = crate::autodiff::function::softplus(u) + cauchy;
        let slope = crate::autodiff::function::sigmoid(u) + cauchy_slope;
        (self.log_tau + h.ln(), slope / (tau * h))
    }

    /// The derivative alone: [`FatSoftplus::log_and_slope`]'s, branch for branch, with no
    /// logarithm in the tails (far below zero, where a sample short of the incumbent by
    /// more than 10⁸ τ lands, is the common case).
    pub(crate) fn slope(&self, x: f64) -> f64 {
        let tau = self.tau;
        let u = x / tau;
        if u > LINEAR_ABOVE {
            return 1.0 / x;
        }
        if u < FAR_BELOW {
            return -2.0 / x;
        }
        let spread = 1.0 + u * u;
        if u < -TAIL {
            return -2.0 * u / (spread * tau);
        }
        if u > TAIL {
            let cauchy = CAUCHY_WEIGHT / spread;
            let cauchy_slope = -2.0 * u * cauchy / spread;
            return (1.0 + cauchy_slope) / (tau * (u + cauchy));
        }
        self.log_and_slope(x).1
    }
}

/// The fat-tailed decay p(t) = 2/(2 + 2t + t²) of the smooth maximum (BoTorch's `_pareto`
/// with exponent 2: p(0) = 1, p′(0) = −1, p″(0) = 1, p ~ 2/t²) and its derivative.
fn pareto(t: f64) -> (f64, f64) {
    if !t.is_finite() {
        return (0.0, 0.0);
    }
    let denominator = 2.0 + 2.0 * t + t * t;
    let p = 2.0 / denominator;
    // −2(2 + 2t)/D², written as −p² (1 + t) to stay finite when D² overflows.
    (p, -p * p * (1.0 + t))
}

/// The fat-tailed smooth maximum of `x` at temperature τ,
/// fatmax(x) = M + τ ln Σⱼ p((M − xⱼ)/τ), M = maxⱼ xⱼ,
/// and its gradient. It exceeds M by at most τ ln q, equals M + τ ln q when all q
/// entries tie, and, unlike τ ln Σ e^{xⱼ/τ}, lets entries far below the maximum keep a
/// gradient that decays like a power (about 4τ³/(M − xⱼ)³), not exponentially.
///
/// The gradient: with tⱼ = (M − xⱼ)/τ and S = Σ p(tⱼ), ∂/∂xₖ = −p′(tₖ)/S for k other than
/// the maximiser k*, and 1 + Σ_{j ≠ k*} p′(tⱼ)/S for k*; they sum to 1 and agree at ties.
pub fn fatmax(x: ArrayView1<'_, f64>, tau: f64) -> (f64, Array1<f64>) {
    let row = x.to_vec();
    let mut gradient = vec![0.0; row.len()];
    let value = fatmax_into(&row, 1.0 / tau, Some(&mut gradient));
    (value, gradient.into())
}

/// [`fatmax`]'s value for a row of a sample matrix (`inverse_tau` = 1/τ), writing its
/// gradient into `gradient` if given: slices and no allocation.
fn fatmax_into(x: &[f64], inverse_tau: f64, gradient: Option<&mut [f64]>) -> f64 {
    let (top, at) =
        x.iter().enumerate().fold((f64::NEG_INFINITY, 0), |(m, k), (j, &v)| {
            if v > m {
                (v, j)
            } else {
                (m, k)
            }
        });
    let Some(gradient) = gradient else {
        let total: f64 = x.iter().map(|&v| pareto((top - v) * inverse_tau).0).sum();
        return top + total.ln() / inverse_tau;
    };
    // Each p and p′ once: the slopes wait in `gradient` until the total is known.
    let mut total = -0.0;
    for (g, &v) in gradient.iter_mut().zip(x) {
        let (p, slope) = pareto((top - v) * inverse_tau);
        total += p;
        *g = slope;
    }
    let mut others = 0.0;
    for (j, g) in gradient.iter_mut().enumerate() {
        let slope = *g;
        *g = -slope / total;
        if j != at {
            others += slope;
        }
    }
    if let Some(g) = gradient.get_mut(at) {
        *g = 1.0 + others / total;
    }
    top + total.ln() / inverse_tau
}

/// The rows of a standard-layout s × w matrix as slices.
fn rows_of<S: ndarray::Data<Elem = f64>>(
    m: &ndarray::ArrayBase<S, Ix2>,
) -> impl Iterator<Item = &[f64]> {
    let w = m.ncols().max(1);
    m.as_slice().unwrap_or(&[]).chunks_exact(w)
}

/// ln((1/n) Σᵢ e^{xᵢ}), computed as M + ln Σ e^{xᵢ − M} − ln n so that nothing overflows or
/// underflows to −∞, and its gradient, the weights e^{xᵢ − value}/n.
pub fn log_mean_exp(x: ArrayView1<'_, f64>) -> (f64, Array1<f64>) {
    let top = x.fold(f64::NEG_INFINITY, |m, &v| m.max(v));
    let total: f64 = x.iter().map(|v| (v - top).exp()).sum();
    let n = x.len() as f64;
    let value = top + total.ln() - n.ln();
    (value, x.mapv(|v| (v - value).exp() / n))
}

fn as_matrix<'a>(
    a: &'a ArrayD<f64>,
    context: &'static str,
) -> Result<ndarray::ArrayView2<'a, f64>> {
    a.view().into_dimensionality::<Ix2>().map_err(|_| Error::InvalidInput {
        context,
        reason: format!("needs a matrix, found shape {:?}", a.shape()),
    })
}

/// A backward rule's weights have no backward rule of their own here.
fn no_second_derivative<'t>(
    g: Var<'t>,
    name: &'static str,
) -> Vec<Option<Var<'t>>> {
    let error = Error::InvalidInput {
        context: name,
        reason:
            "second derivatives of the Monte Carlo acquisition functions' smooth \
                 maxima are not implemented"
                .into(),
    };
    vec![Some(g.tape().failed(error))]
}

/// x ↦ ln(τ h(x/τ)) element-wise ([`log_fatplus`]).
pub(crate) struct LogFatplus(pub FatSoftplus);

impl Function for LogFatplus {
    fn name(&self) -> &'static str {
        "log_fatplus"
    }
    fn forward(&self, x: &[&ArrayD<f64>]) -> Result<ArrayD<f64>> {
        Ok(x[0].mapv(|v| self.0.log_and_slope(v).0))
    }
    fn vjp<'t>(
        &self,
        g: Var<'t>,
        x: &[Var<'t>],
        _: Var<'t>,
    ) -> Vec<Option<Var<'t>>> {
        vec![Some(g.tape().custom(LogFatplusSlope(self.0), &[x[0], g]))]
    }
}

/// (x, g) ↦ g ⊙ the derivative of [`LogFatplus`] at x, element-wise: the backward rule
/// in one pass (x and g have one shape).
struct LogFatplusSlope(FatSoftplus);

impl Function for LogFatplusSlope {
    fn name(&self) -> &'static str {
        "log_fatplus_slope"
    }
    fn forward(&self, x: &[&ArrayD<f64>]) -> Result<ArrayD<f64>> {
        if x[0].shape() != x[1].shape() {
            return Err(Error::ShapeMismatch {
                context: "log_fatplus_slope: the adjoint",
                expected: x[0].shape().to_vec(),
                found: x[1].shape().to_vec(),
            });
        }
        Ok(ndarray::Zip::from(x[1])
            .and(x[0])
            .map_collect(|&g, &v| g * self.0.slope(v)))
    }
    fn vjp<'t>(
        &self,
        g: Var<'t>,
        _: &[Var<'t>],
        _: Var<'t>,
    ) -> Vec<Option<Var<'t>>> {
        no_second_derivative(g, self.name())
    }
}

/// An s × w matrix ↦ the [`fatmax`] of each row (a vector of s entries).
pub(crate) struct FatMax(pub f64);

impl Function for FatMax {
    fn name(&self) -> &'static str {
        "fatmax"
    }
    fn forward(&self, x: &[&ArrayD<f64>]) -> Result<ArrayD<f64>> {
        // The value alone, row slice by row slice: no gradient and no allocation per row
        // (the backward pass computes the weights once, in FatMaxWeights).
        let m = as_matrix(x[0], "fatmax")?;
        let m = m.as_standard_layout();
        let inverse_tau = 1.0 / self.0;
        Ok(rows_of(&m)
            .map(|r| fatmax_into(r, inverse_tau, None))
            .collect::<Array1<f64>>()
            .into_dyn())
    }
    fn vjp<'t>(
        &self,
        g: Var<'t>,
        x: &[Var<'t>],
        _: Var<'t>,
    ) -> Vec<Option<Var<'t>>> {
        vec![Some(g.tape().custom(FatMaxWeights(self.0), &[x[0], g]))]
    }
}

/// (X, g) ↦ the backward rule of [`FatMax`]: row i of X's [`fatmax`] weights times gᵢ, in
/// one pass (X is s × w, g has s entries).
struct FatMaxWeights(f64);

impl Function for FatMaxWeights {
    fn name(&self) -> &'static str {
        "fatmax_weights"
    }
    fn forward(&self, x: &[&ArrayD<f64>]) -> Result<ArrayD<f64>> {
        let m = as_matrix(x[0], "fatmax_weights")?;
        let m = m.as_standard_layout();
        let g = x[1];
        if g.shape() != [m.nrows()] {
            return Err(Error::ShapeMismatch {
                context: "fatmax_weights: one adjoint per row",
                expected: vec![m.nrows()],
                found: g.shape().to_vec(),
            });
        }
        let mut out = Array2::zeros(m.raw_dim());
        let w = m.ncols().max(1);
        if let Some(slots) = out.as_slice_mut() {
            for ((o, r), &gi) in slots.chunks_exact_mut(w).zip(rows_of(&m)).zip(g) {
                fatmax_into(r, 1.0 / self.0, Some(o));
                o.iter_mut().for_each(|v| *v *= gi);
            }
        }
        Ok(out.into_dyn())
    }
    fn vjp<'t>(
        &self,
        g: Var<'t>,
        _: &[Var<'t>],
        _: Var<'t>,
    ) -> Vec<Option<Var<'t>>> {
        no_second_derivative(g, self.name())
    }
}

/// A vector ↦ its [`log_mean_exp`] (0-dimensional). The backward rule, g e^{x − out}/n,
/// is written with the tape's own operations.
pub(crate) struct LogMeanExp;

impl Function for LogMeanExp {
    fn name(&self) -> &'static str {
        "log_mean_exp"
    }
    fn forward(&self, x: &[&ArrayD<f64>]) -> Result<ArrayD<f64>> {
        let v = x[0].view().into_dimensionality::<Ix1>().map_err(|_| {
            Error::InvalidInput {
                context: "log_mean_exp",
                reason: format!("needs a vector, found shape {:?}", x[0].shape()),
            }
        })?;
        if v.is_empty() {
            return Err(Error::Empty { context: "log_mean_exp" });
        }
        Ok(ArrayD::from_elem(ndarray::IxDyn(&[]), log_mean_exp(v).0))
    }
    fn vjp<'t>(
        &self,
        g: Var<'t>,
        x: &[Var<'t>],
        out: Var<'t>,
    ) -> Vec<Option<Var<'t>>> {
        let n = x[0].shape().first().copied().unwrap_or(1).max(1) as f64;
        vec![Some(g * (x[0] - out).exp() * (1.0 / n))]
    }
}

/// An s × w matrix ↦ the maximum of each row (a vector of s entries). Where entries tie for the
/// maximum the gradient is shared equally among them, as PyTorch's `amax` does.
pub(crate) struct RowMax;

impl Function for RowMax {
    fn name(&self) -> &'static str {
        "row_max"
    }
    fn forward(&self, x: &[&ArrayD<f64>]) -> Result<ArrayD<f64>> {
        let m = as_matrix(x[0], "row_max")?;
        Ok(m.fold_axis(Axis(1), f64::NEG_INFINITY, |a, &b| a.max(b)).into_dyn())
    }
    fn vjp<'t>(
        &self,
        g: Var<'t>,
        x: &[Var<'t>],
        _: Var<'t>,
    ) -> Vec<Option<Var<'t>>> {
        let rows = x[0].shape().first().copied().unwrap_or(0);
        let share = g.tape().custom(ArgMaxShare, &[x[0]]);
        vec![Some(g.reshape(&[rows, 1]) * share)]
    }
}

/// 1/k at the k entries of each row that attain its maximum, 0 elsewhere: piecewise
/// constant, so no gradient flows through it.
struct ArgMaxShare;

impl Function for ArgMaxShare {
    fn name(&self) -> &'static str {
        "argmax_share"
    }
    fn forward(&self, x: &[&ArrayD<f64>]) -> Result<ArrayD<f64>> {
        let m = as_matrix(x[0], "argmax_share")?;
        let mut out = Array2::zeros(m.raw_dim());
        for (mut o, r) in out.rows_mut().into_iter().zip(m.rows()) {
            let top = r.fold(f64::NEG_INFINITY, |a, &b| a.max(b));
            let ties = r.iter().filter(|&&v| v == top).count().max(1) as f64;
            o.zip_mut_with(&r, |o, &v| {
                *o = if v == top { 1.0 / ties } else { 0.0 }
            });
        }
        Ok(out.into_dyn())
    }
    fn vjp<'t>(
        &self,
        _: Var<'t>,
        _: &[Var<'t>],
        _: Var<'t>,
    ) -> Vec<Option<Var<'t>>> {
        vec![None]
    }
}

/// The sign of x (−1, 0 or 1), element-wise: piecewise constant, so no gradient flows
/// through it; |x| = x ⊙ sign(x) then has the derivative sign(x), 0 at 0 as in PyTorch.
pub(crate) struct Sign;

impl Function for Sign {
    fn name(&self) -> &'static str {
        "sign"
    }
    fn forward(&self, x: &[&ArrayD<f64>]) -> Result<ArrayD<f64>> {
        Ok(x[0].mapv(|v| {
            if v > 0.0 {
                1.0
            } else if v < 0.0 {
                -1.0
            } else {
                0.0
            }
        }))
    }
    fn vjp<'t>(
        &self,
        _: Var<'t>,
        _: &[Var<'t>],
        _: Var<'t>,
    ) -> Vec<Option<Var<'t>>> {
        vec![None]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::numeric::{central_difference, derivative};
    use ndarray::array;

    #[test]
    fn log_fatplus_is_the_log_of_the_fat_softplus_with_its_derivative() {
        let direct = |x: f64, tau: f64| {
            let u = x / tau;
            (tau * ((1.0 + u.exp()).ln() + 0.1 / (1.0 + u * u))).ln()
        };
        for tau in [1.0, 1e-3, TAU_RELU] {
            for k in [-30.0, -3.0, -0.5, 0.0, 0.4, 2.0, 25.0] {
                let x = k * tau;
                let (v, d) = log_fatplus(x, tau);
                let want = direct(x, tau);
                assert!((v - want).abs() < 1e-12 * want.abs().max(1.0), "{x}");
                let fd = derivative(|x| log_fatplus(x, tau).0, x, 1e-4 * tau);
                assert!(
                    (d - fd).abs() < 1e-6 * fd.abs().max(1.0 / tau),
                    "{x}: {d} vs {fd}"
                );
            }
        }
        // The tails: ln x above, ln(α τ³ / x²) below, continuous across the switches.
        for x in [1.0, 1e5, 1e300] {
            assert!(
                (log_fatplus(x, TAU_RELU).0 - x.ln()).abs()
                    < 1e-15 * x.ln().abs().max(1.0)
            );
        }
        for x in [-1e3, -1e100, -f64::MAX] {
            let (v, d) = log_fatplus(x, TAU_RELU);
            let want = 0.1f64.ln() + 3.0 * TAU_RELU.ln() - 2.0 * (-x).ln();
            assert!((v - want).abs() < 1e-13 * want.abs() && v.is_finite());
            assert!((d - 2.0 / -x).abs() <= 1e-15 * d && d > 0.0);
        }
        for edge in [LINEAR_ABOVE, FAR_BELOW, TAIL, -TAIL] {
            let x = edge * TAU_RELU;
            let (below, above) = (
                log_fatplus(x * (1.0 - 1e-12), TAU_RELU),
                log_fatplus(x * (1.0 + 1e-12), TAU_RELU),
            );
            assert!((below.0 - above.0).abs() < 1e-10, "{edge}");
            assert!((below.1 - above.1).abs() < 1e-8 * below.1.abs(), "{edge}");
        }
    }

    #[test]
    fn fatmax_bounds_the_maximum_and_its_gradient_is_exact() {
        let x = array![0.3, -0.2, 0.29, 0.1];
        for tau in [1.0, 0.1, TAU_MAX] {
            let (v, g) = fatmax(x.view(), tau);
            assert!(v >= 0.3 && v <= 0.3 + tau * 4f64.ln());
            let fd = central_difference(
                |y| fatmax(y.view(), tau).0,
                &x,
                1e-7 * tau.max(1e-3),
            );
            assert!((&g - &fd).iter().all(|e| e.abs() < 1e-6), "{g} vs {fd}");
            assert!((g.sum() - 1.0).abs() < 1e-14);
        }
        // Ties: M + τ ln q, equal weights.
        let (v, g) = fatmax(array![2.0, 2.0, 2.0].view(), 0.5);
        assert!((v - (2.0 + 0.5 * 3f64.ln())).abs() < 1e-15);
        assert!(g.iter().all(|w| (w - 1.0 / 3.0).abs() < 1e-15));
        // Far apart: the maximum, and the far entry still has a (power-law) gradient.
        let (v, g) = fatmax(array![-1e300, 1e300].view(), TAU_MAX);
        assert_eq!(v, 1e300);
        assert!(g.iter().all(|w| w.is_finite()));
        let (_, g) = fatmax(array![0.0, -1.0].view(), TAU_MAX);
        let tail = 4.0 * TAU_MAX.powi(3);
        assert!(g[1] > 0.0 && (g[1] - tail).abs() < 0.05 * tail, "{g}");
    }

    #[test]
    fn log_mean_exp_never_overflows_or_underflows() {
        let (v, g) = log_mean_exp(array![0.0, 2f64.ln()].view());
        assert!((v - 1.5f64.ln()).abs() < 1e-15);
        assert!(
            (g[0] - 1.0 / 3.0).abs() < 1e-15 && (g[1] - 2.0 / 3.0).abs() < 1e-15
        );
        let (v, _) = log_mean_exp(array![-1e4, -1e4 + 1.0].view());
        assert!((v - (-1e4 + ((1.0 + 1f64.exp()) / 2.0).ln())).abs() < 1e-10);
        let (v, _) = log_mean_exp(array![800.0, 800.0].view());
        assert_eq!(v, 800.0);
    }
}
