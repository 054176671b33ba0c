//! What the single-task fit maximises, written out: the log marginal likelihood of the
//! standardised outputs at the normalised inputs, plus the log prior densities of the
//! lengthscale and of the noise variance — and the constant mean that is best for the rest.

use gradbo::gp::{
    fit, FitOptions, FittedGp, Gp, Hyperparameters, Kernel, KernelKind,
};
use gradbo::linalg::Cholesky;
use gradbo::numeric::{column, linspace};
use gradbo::test_functions::{LibraryExample, TestProblem};
use ndarray::{array, Array1};

/// The seed and size of the observation noise (f(x) + 0.03·u, u ~ Uniform[0, 1)).
pub const SEED: u64 = 14;
pub const NOISE: f64 = 0.03;

// ANCHOR: log_normal
/// The log density of LogNormal(λ, τ) at x > 0: ln x ~ N(λ, τ²), so
/// ln p(x) = −ln x − ln τ − ½ ln 2π − (ln x − λ)²/(2τ²).
pub fn log_normal(x: f64, loc: f64, scale: f64) -> f64 {
    let z = (x.ln() - loc) / scale;
    -x.ln() - scale.ln() - 0.5 * (2.0 * std::f64::consts::PI).ln() - 0.5 * z * z
}

/// The single-task priors for d inputs, as (λ, τ): ℓ ~ LogNormal(√2 + ½ ln d, √3) on
/// every lengthscale, σₙ² ~ LogNormal(−4, 1) on the noise variance.
pub fn lengthscale_prior(d: usize) -> (f64, f64) {
    (std::f64::consts::SQRT_2 + 0.5 * (d as f64).ln(), 3f64.sqrt())
}
pub const NOISE_PRIOR: (f64, f64) = (-4.0, 1.0);
// ANCHOR_END: log_normal

// ANCHOR: objective
/// The three terms of the MAP objective at (ℓ, σₙ², c), in the model's units.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MapObjective {
    /// log p(ỹ | ℓ, σₙ², c): the log marginal likelihood of the standardised outputs.
    pub lml: f64,
    /// log p(ℓ) and log p(σₙ²): the log prior densities.
    pub log_prior_lengthscale: f64,
    pub log_prior_noise: f64,
}

impl MapObjective {
    /// What the fit maximises: the sum of the three.
    pub fn total(&self) -> f64 {
        self.lml + self.log_prior_lengthscale + self.log_prior_noise
    }
}

/// The objective of a one-input model's fit, evaluated at (ℓ, σₙ², c) on the data the
/// model was fitted to, in its units: normalised inputs, standardised outputs.
pub fn map_objective(
    model: &FittedGp,
    (lengthscale, noise, mean): (f64, f64, f64),
) -> gradbo::Result<MapObjective> {
    let (xn, yn) = (model.gp.inputs().clone(), model.gp.observations().clone());
    // σ_f² = 1: the model has no output scale to learn.
    let kernel =
        Kernel::new(KernelKind::SquaredExponential, array![lengthscale], 1.0)?;
    let gp = Gp::new(xn, yn, Hyperparameters { kernel, mean, noise })?;
    let (mu_l, s_l) = lengthscale_prior(1);
    let (mu_n, s_n) = NOISE_PRIOR;
    Ok(MapObjective {
        lml: gp.log_marginal_likelihood(),
        log_prior_lengthscale: log_normal(lengthscale, mu_l, s_l),
        log_prior_noise: log_normal(noise, mu_n, s_n),
    })
}
// ANCHOR_END: objective

// ANCHOR: best_mean
/// The constant mean that maximises the likelihood for given ℓ and σₙ²: setting
/// ∂/∂c = 1ᵀA⁻¹(ỹ − c1) to zero, with A = K + σₙ²I, gives c* = 1ᵀA⁻¹ỹ / 1ᵀA⁻¹1.
pub fn best_mean(
    model: &FittedGp,
    lengthscale: f64,
    noise: f64,
) -> gradbo::Result<f64> {
    let (xn, yn) = (model.gp.inputs(), model.gp.observations());
    let kernel =
        Kernel::new(KernelKind::SquaredExponential, array![lengthscale], 1.0)?;
    let mut a = kernel.matrix(xn.view(), xn.view())?;
    a.diag_mut().mapv_inplace(|v| v + noise); // A = K + σₙ²I
    let l = Cholesky::new(a.view())?;
    let ones = Array1::ones(yn.len());
    let a_inv_ones = l.solve_vec(ones.view())?; // A⁻¹1
    Ok(a_inv_ones.dot(yn) / a_inv_ones.sum())
}
// ANCHOR_END: best_mean

/// Fits the chapter's eight observations and compares the objective at the start of the
/// fit (the priors' modes) with its value at the fitted hyperparameters.
pub fn main() -> gradbo::Result<()> {
    let x = column(&linspace(-1.5, 1.5, 8));
    let y = LibraryExample::new().observe(x.view(), NOISE, SEED)?;
    let model = fit(x.view(), &y, &FitOptions::single_task(1))?;
    let h = model.gp.hyperparameters();
    let fitted = (h.kernel.lengthscales()[0], h.noise);
    let (mu_l, s_l) = lengthscale_prior(1);
    let (mu_n, s_n) = NOISE_PRIOR;
    let start = ((mu_l - s_l * s_l).exp(), (mu_n - s_n * s_n).exp()); // the modes
    for (name, (l, n)) in [("start", start), ("fitted", fitted)] {
        let c = best_mean(&model, l, n)?;
        let o = map_objective(&model, (l, n, c))?;
        println!(
            "{name:>6}: ℓ = {l:.4}, σₙ² = {n:.6}, c = {c:+.4}: \
             log p(ỹ) = {:.4}, log p(ℓ) = {:.4}, log p(σₙ²) = {:.4}, total {:.4}",
            o.lml,
            o.log_prior_lengthscale,
            o.log_prior_noise,
            o.total()
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use gradbo::gp::{Prior, Priors};

    fn model() -> FittedGp {
        let x = column(&linspace(-1.5, 1.5, 8));
        let y = LibraryExample::new().observe(x.view(), NOISE, SEED).unwrap();
        fit(x.view(), &y, &FitOptions::single_task(1)).unwrap()
    }

    #[test]
    fn the_written_out_priors_are_the_library_s() {
        let p = Priors::single_task(1);
        let (mu_l, s_l) = lengthscale_prior(1);
        assert_eq!(p.lengthscale, Some(Prior::LogNormal { loc: mu_l, scale: s_l }));
        let (mu_n, s_n) = NOISE_PRIOR;
        assert_eq!(p.noise, Some(Prior::LogNormal { loc: mu_n, scale: s_n }));
        for x in [0.003, 0.2, 1.7] {
            let lib = p.lengthscale.unwrap().log_density_and_slope(x).0;
            assert!((log_normal(x, mu_l, s_l) - lib).abs() < 1e-14);
        }
        // The modes, where the fit starts: e^(μ − s²).
        let mode = p.lengthscale.unwrap().mode();
        assert!((mode - (std::f64::consts::SQRT_2 - 3.0).exp()).abs() < 1e-15);
        assert!((p.noise.unwrap().mode() - (-5.0f64).exp()).abs() < 1e-17);
    }

    #[test]
    fn the_fitted_mean_is_the_best_mean() {
        let m = model();
        let h = m.gp.hyperparameters();
        let best = best_mean(&m, h.kernel.lengthscales()[0], h.noise).unwrap();
        assert!((best - h.mean).abs() < 1e-10, "{best} vs {}", h.mean);
    }

    #[test]
    fn the_fit_is_a_maximum_of_the_written_out_objective() {
        let m = model();
        let h = m.gp.hyperparameters();
        let (l, n) = (h.kernel.lengthscales()[0], h.noise);
        let at = |l: f64, n: f64| {
            let mean = best_mean(&m, l, n).unwrap();
            map_objective(&m, (l, n, mean)).unwrap().total()
        };
        let best = at(l, n);
        // The library's own likelihood agrees with the written-out one.
        let o = map_objective(&m, (l, n, h.mean)).unwrap();
        assert!((o.lml - m.gp.log_marginal_likelihood()).abs() < 1e-12);
        // Moving ℓ or σₙ² by 2% either way lowers it.
        for (dl, dn) in [(1.02, 1.0), (0.98, 1.0), (1.0, 1.02), (1.0, 0.98)] {
            assert!(at(l * dl, n * dn) < best, "ℓ × {dl}, σₙ² × {dn}");
        }
        // And the start, at the priors' modes, is lower still.
        let start = at((2f64.sqrt() - 3.0).exp(), (-5.0f64).exp());
        assert!(start < best, "{start} vs {best}");
    }

    #[test]
    fn main_runs() {
        main().unwrap();
    }
}
