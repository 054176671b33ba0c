//! Analytic acquisition functions, in the maximisation form: a larger value marks a more
//! promising point. (To minimise f, model −f; see the course's conventions.)
//!
//! Each is a function of the posterior mean μ and standard deviation σ at a point and, for
//! the improvement-based ones, of the incumbent f* (the best value seen). Each returns its
//! value and its partial derivatives in μ and σ, so that [`Acquisition::evaluate`] can chain
//! them with the GP's gradients into a gradient in x.

use crate::gp::Gp;
use crate::special::{erfcx, normal_cdf, normal_pdf};
use crate::{Error, Result};
use ndarray::{Array1, ArrayView1};

/// An acquisition value with its partial derivatives in μ and σ.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Value {
    pub value: f64,
    pub d_mean: f64,
    pub d_sd: f64,
}

/// UCB(μ, σ) = μ + √β σ (BoTorch's β: the square of the σ-multiplier).
pub fn upper_confidence_bound(mean: f64, sd: f64, beta: f64) -> Value {
    let k = beta.sqrt();
    Value { value: mean + k * sd, d_mean: 1.0, d_sd: k }
}

/// PI = Φ(z), z = (μ − f*)/σ: the probability of improving on f*.
pub fn probability_of_improvement(mean: f64, sd: f64, best: f64) -> Value {
    let z = (mean - best) / sd;
    let density = normal_pdf(z);
    Value { value: normal_cdf(z), d_mean: density / sd, d_sd: -z * density / sd }
}

/// EI = σ h(z), h(z) = φ(z) + zΦ(z), z = (μ − f*)/σ: the expected improvement on f*.
/// ∂EI/∂μ = Φ(z) and ∂EI/∂σ = φ(z).
pub fn expected_improvement(mean: f64, sd: f64, best: f64) -> Value {
    let z = (mean - best) / sd;
    let (cdf, pdf) = (normal_cdf(z), normal_pdf(z));
    Value { value: sd * (pdf + z * cdf), d_mean: cdf, d_sd: pdf }
}

/// ln(1 − eᵃ) for a < 0, accurate for a near 0 and for very negative a.
fn log1mexp(a: f64) -> f64 {
    if a > -std::f64::consts::LN_2 {
        (-a.exp_m1()).ln()
    } else {
        (-a.exp()).ln_1p()
    }
}

/// ln h(z) with h(z) = φ(z) + zΦ(z), and h(z)/φ(z) = 1 + zR(z) with the Mills ratio
/// R = Φ/φ = √(π/2) erfcx(−z/√2). Direct for z > −1; for z ≤ −1 as
/// −z²/2 − ½ ln 2π + ln(1 − (−z)R), the last term by `log1mexp`; for z < −1000 by the
/// asymptotic expansion 1 + zR ≈ z⁻²(1 − 3z⁻² + 15z⁻⁴).
fn log_h(z: f64) -> (f64, f64) {
    let log_pdf = -0.5 * z * z - 0.5 * (2.0 * std::f64::consts::PI).ln();
    let mills =
        (std::f64::consts::PI / 2.0).sqrt() * erfcx(-z / std::f64::consts::SQRT_2);
    if z > -1.0 {
        let ratio = 1.0 + z * mills;
        (log_pdf + ratio.ln(), mills / ratio)
    } else if z > -1000.0 {
        let log_ratio = log1mexp((-z).ln() + mills.ln());
        (log_pdf + log_ratio, mills / log_ratio.exp())
    } else {
        let w = 1.0 / (z * z);
        let log_ratio = w.ln() + (1.0 - 3.0 * w + 15.0 * w * w).ln();
        // Φ/h = R/(1 + zR) with R ≈ −1/z: ≈ −z.
        (log_pdf + log_ratio, mills / log_ratio.exp())
    }
}

/// ln EI = ln σ + ln h(z), finite with useful gradients even where EI underflows to 0.
/// ∂/∂μ = Φ(z)/(σ h(z)) = R/(σ(1 + zR)) and ∂/∂σ = φ(z)/(σ h(z)) = 1/(σ(1 + zR)).
pub fn log_expected_improvement(mean: f64, sd: f64, best: f64) -> Value {
    let z = (mean - best) / sd;
    let (lh, cdf_over_h) = log_h(z);
    // φ/h = (Φ/h)/R.
    let mills =
        (std::f64::consts::PI / 2.0).sqrt() * erfcx(-z / std::f64::consts::SQRT_2);
    Value {
        value: sd.ln() + lh,
        d_mean: cdf_over_h / sd,
        d_sd: cdf_over_h / mills / sd,
    }
}

/// An acquisition function with its parameters.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Acquisition {
    /// Upper confidence bound with BoTorch's β.
    UpperConfidenceBound { beta: f64 },
    /// Probability of improvement over `best`.
    ProbabilityOfImprovement { best: f64 },
    /// Expected improvement over `best`.
    ExpectedImprovement { best: f64 },
    /// The logarithm of the expected improvement over `best`.
    LogExpectedImprovement { best: f64 },
}

impl Acquisition {
    /// The value from a posterior mean and standard deviation.
    pub fn from_moments(&self, mean: f64, sd: f64) -> Value {
        match *self {
            Acquisition::UpperConfidenceBound { beta } => {
                upper_confidence_bound(mean, sd, beta)
            }
            Acquisition::ProbabilityOfImprovement { best } => {
                probability_of_improvement(mean, sd, best)
            }
            Acquisition::ExpectedImprovement { best } => {
                expected_improvement(mean, sd, best)
            }
            Acquisition::LogExpectedImprovement { best } => {
                log_expected_improvement(mean, sd, best)
            }
        }
    }

    /// The value at `x` under the posterior of `gp`, and its gradient in x, by the chain
    /// rule through μ(x) and σ(x) = √σ²(x).
    ///
    /// # Errors
    /// The errors of [`Gp::predict_with_gradient`]; [`Error::NonFinite`] for a non-finite
    /// parameter.
    pub fn evaluate(
        &self,
        gp: &Gp,
        x: ArrayView1<'_, f64>,
    ) -> Result<(f64, Array1<f64>)> {
        let parameter = match *self {
            Acquisition::UpperConfidenceBound { beta } => beta,
            Acquisition::ProbabilityOfImprovement { best }
            | Acquisition::ExpectedImprovement { best }
            | Acquisition::LogExpectedImprovement { best } => best,
        };
        if !parameter.is_finite() {
            return Err(Error::NonFinite { context: "Acquisition" });
        }
        let (mean, variance, d_mean, d_variance) = gp.predict_with_gradient(x)?;
        let sd = variance.sqrt();
        let v = self.from_moments(mean, sd);
        let gradient = &d_mean * v.d_mean + &d_variance * (v.d_sd / (2.0 * sd));
        Ok((v.value, gradient))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gp::{Hyperparameters, Kernel, KernelKind};
    use crate::test_functions::running_example;
    use ndarray::{array, Array, Array2, Axis};

    #[test]
    fn partial_derivatives_match_finite_differences() {
        let h = 1e-6;
        for (mean, sd, best) in
            [(0.3, 0.7, 0.1), (-1.0, 0.2, 0.5), (2.0, 1.5, 2.5), (-3.0, 0.05, 0.4)]
        {
            let fns: [fn(f64, f64, f64) -> Value; 3] = [
                probability_of_improvement,
                expected_improvement,
                log_expected_improvement,
            ];
            for f in fns {
                let v = f(mean, sd, best);
                let dm = (f(mean + h, sd, best).value
                    - f(mean - h, sd, best).value)
                    / (2.0 * h);
                let ds = (f(mean, sd + h, best).value
                    - f(mean, sd - h, best).value)
                    / (2.0 * h);
                assert!(
                    (v.d_mean - dm).abs() < 1e-6 * dm.abs().max(1.0),
                    "{mean} {sd} {best}: {} vs {dm}",
                    v.d_mean
                );
                assert!(
                    (v.d_sd - ds).abs() < 1e-6 * ds.abs().max(1.0),
                    "{mean} {sd} {best}: {} vs {ds}",
                    v.d_sd
                );
            }
        }
    }

    #[test]
    fn log_ei_agrees_with_ei_and_survives_where_ei_underflows() {
        for z in [3.0, 0.5, 0.0, -0.9, -1.0, -1.1, -5.0, -20.0, -37.0] {
            let ei = expected_improvement(z, 1.0, 0.0).value;
            let log_ei = log_expected_improvement(z, 1.0, 0.0).value;
            assert!(
                (log_ei - ei.ln()).abs() < 1e-9 * ei.ln().abs().max(1.0),
                "z = {z}: {log_ei} vs {}",
                ei.ln()
            );
        }
        // Far beyond underflow: the asymptote −z²/2 − ½ ln 2π − 2 ln(−z).
        for z in [-50.0_f64, -500.0, -5000.0, -1e6] {
            assert_eq!(expected_improvement(z, 1.0, 0.0).value, 0.0);
            let v = log_expected_improvement(z, 1.0, 0.0);
            let asymptote = -0.5 * z * z
                - 0.5 * (2.0 * std::f64::consts::PI).ln()
                - 2.0 * (-z).ln();
            assert!(
                v.value.is_finite()
                    && ((v.value - asymptote) / asymptote).abs() < 1e-3
            );
            // The gradient in μ stays useful: about −z/σ.
            assert!((v.d_mean / -z - 1.0).abs() < 0.05, "z = {z}: {}", v.d_mean);
        }
    }

    fn course_gp(x: &[f64]) -> Gp {
        let xs = Array::from(x.to_vec());
        let y = xs.mapv(running_example);
        let kernel =
            Kernel::new(KernelKind::SquaredExponential, array![0.8], 1.0).unwrap();
        Gp::new(
            xs.insert_axis(Axis(1)),
            y,
            Hyperparameters { kernel, mean: 0.0, noise: 1e-4 },
        )
        .unwrap()
    }

    #[test]
    fn gradients_in_x_match_finite_differences() {
        let x = Array2::from_shape_fn((10, 2), |(i, j)| {
            ((i * 5 + j * 3) % 7) as f64 / 3.0 - 1.0
        });
        let y = x.map_axis(Axis(1), |r| r[0].sin() - r[1] * r[1]);
        for kind in [
            KernelKind::SquaredExponential,
            KernelKind::Matern32,
            KernelKind::Matern52,
        ] {
            let kernel = Kernel::new(kind, array![0.7, 1.2], 1.3).unwrap();
            let gp = Gp::new(
                x.clone(),
                y.clone(),
                Hyperparameters { kernel, mean: 0.1, noise: 1e-3 },
            )
            .unwrap();
            let acquisitions = [
                Acquisition::UpperConfidenceBound { beta: 2.0 },
                Acquisition::ProbabilityOfImprovement { best: 0.4 },
                Acquisition::ExpectedImprovement { best: 0.4 },
                Acquisition::LogExpectedImprovement { best: 0.4 },
            ];
            for acq in acquisitions {
                let p = array![0.23, -0.41];
                let (_, g) = acq.evaluate(&gp, p.view()).unwrap();
                for d in 0..2 {
                    let h = 1e-6;
                    let mut up = p.clone();
                    let mut down = p.clone();
                    up[d] += h;
                    down[d] -= h;
                    let fd = (acq.evaluate(&gp, up.view()).unwrap().0
                        - acq.evaluate(&gp, down.view()).unwrap().0)
                        / (2.0 * h);
                    assert!(
                        (g[d] - fd).abs() < 1e-5 * fd.abs().max(1.0),
                        "{kind:?} {acq:?} {d}: {} vs {fd}",
                        g[d]
                    );
                }
            }
        }
    }

    #[test]
    fn the_course_ei_loop_picks_the_published_points() {
        // Minimising f: model −f, best = max(−y); on a 400-point grid, excluding sampled points.
        let grid: Vec<f64> =
            (0..400).map(|i| -3.0 + 6.0 * f64::from(i) / 399.0).collect();
        let mut xs: Vec<f64> =
            (0..8).map(|i| -1.5 + 3.0 * f64::from(i) / 7.0).collect();
        let mut picks = Vec::new();
        for _ in 0..5 {
            let gp = course_gp(&xs);
            let best = -xs
                .iter()
                .map(|&x| running_example(x))
                .fold(f64::INFINITY, f64::min);
            let p = gp
                .predict(Array::from(grid.clone()).insert_axis(Axis(1)).view())
                .unwrap();
            let mut top = (f64::NEG_INFINITY, 0.0);
            for (i, &x) in grid.iter().enumerate() {
                if xs.iter().any(|s| (s - x).abs() < 1e-6) {
                    continue;
                }
                let ei =
                    expected_improvement(-p.mean[i], p.variance[i].sqrt(), best)
                        .value;
                if ei > top.0 {
                    top = (ei, x);
                }
            }
            picks.push(top.1);
            xs.push(top.1);
        }
        for (got, want) in
            picks.iter().zip([2.3985, -2.5940, 2.0226, 1.9925, 2.0075])
        {
            assert!((got - want).abs() < 1e-4, "{picks:?}");
        }
    }
}
