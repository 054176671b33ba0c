//! Fitting the hyperparameters by maximising the marginal likelihood, with the library.

use gradbo::gp::{fit, FitOptions, FittedGp, KernelKind};
use ndarray::{Array1, Axis};

// ANCHOR: fit
/// Hyperparameters in the units of the data: lengthscale in x units, variances in y units².
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Fitted {
    pub mean: f64,
    pub lengthscale: f64,
    pub variance: f64,
    pub noise: f64,
}

/// Fits a squared-exponential GP (constant mean, output scale, noise) to 1-D data by
/// maximising the log marginal likelihood from five starts, and reads its hyperparameters
/// back in the data's units.
pub fn fit_1d(x: &[f64], y: &[f64]) -> gradbo::Result<(FittedGp, Fitted)> {
    let xc = Array1::from(x.to_vec()).insert_axis(Axis(1));
    let options = FitOptions {
        kind: KernelKind::SquaredExponential,
        restarts: 4,
        ..FitOptions::default()
    };
    let model = fit(xc.view(), &Array1::from(y.to_vec()), &options)?;
    // The fit ran on x scaled to [0, 1] and y standardised: undo both.
    let hyper = model.gp.hyperparameters();
    let (x_lo, x_hi) =
        x.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &v| {
            (lo.min(v), hi.max(v))
        });
    let s = model.standardize;
    let fitted = Fitted {
        mean: s.mean + s.std * hyper.mean,
        lengthscale: hyper.kernel.lengthscales()[0] * (x_hi - x_lo),
        variance: hyper.kernel.outputscale() * s.std * s.std,
        noise: hyper.noise * s.std * s.std,
    };
    Ok((model, fitted))
}
// ANCHOR_END: fit

/// The running example f(x) = 0.35 sin(2.2x) + 0.15 cos(5x) + 0.03(x − 1.5)² − 0.25.
pub use gradbo::test_functions::running_example as f;

/// Fits the chapter's eight observations and prints the hyperparameters.
pub fn main() -> gradbo::Result<()> {
    let x = Array1::linspace(-1.5, 1.5, 8).to_vec();
    let y: Vec<f64> = x.iter().map(|&x| f(x)).collect();
    let (model, h) = fit_1d(&x, &y)?;
    println!(
        "m = {:.4}, ℓ = {:.4}, σ_f² = {:.4}, σₙ² = {:.2e}, log p(y)/n = {:.4}",
        h.mean,
        h.lengthscale,
        h.variance,
        h.noise,
        model.lml_per_point()
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use gradbo::gp::{Gp, Hyperparameters, Kernel};
    use ndarray::array;

    fn data() -> (Vec<f64>, Vec<f64>) {
        let x = Array1::linspace(-1.5, 1.5, 8).to_vec();
        let y = x.iter().map(|&x| f(x)).collect();
        (x, y)
    }

    #[test]
    fn the_fit_is_a_stationary_point_and_beats_the_hand_set_values() {
        let (x, y) = data();
        let (model, h) = fit_1d(&x, &y).unwrap();
        let g = model.gp.lml_gradient();
        // Every parameter is free here (the noise is well above its floor of 10⁻⁶ in
        // standardised units), so the whole gradient vanishes at the optimum, to the fit's
        // tolerance of 2·10⁻⁴ per observation.
        assert!(model.gp.hyperparameters().noise > 1e-5);
        let tolerance = 2e-4 * y.len() as f64;
        assert!(g.iter().all(|v| v.abs() < tolerance), "{g}");
        // The same data and model in original units, at the fitted values and at the
        // chapter's hand-set ℓ = 0.8, σ_f² = 1: the fitted values are more probable.
        let lml = |mean: f64, l: f64, v: f64, noise: f64| {
            let kernel =
                Kernel::new(KernelKind::SquaredExponential, array![l], v).unwrap();
            let hyper = Hyperparameters { kernel, mean, noise };
            let xc = Array1::from(x.clone()).insert_axis(Axis(1));
            Gp::new(xc, Array1::from(y.clone()), hyper)
                .unwrap()
                .log_marginal_likelihood()
        };
        let fitted = lml(h.mean, h.lengthscale, h.variance, h.noise);
        assert!(fitted > lml(0.0, 0.8, 1.0, 1e-4) + 10.0);
        assert!(fitted > lml(0.0, 1.0, 1.0, 1e-4) + 10.0);
        // Undoing the scaling changes the likelihood only by the Jacobian of y ↦ (y − ȳ)/s.
        let n = y.len() as f64;
        let standardised = model.gp.log_marginal_likelihood();
        let s = model.standardize.std;
        assert!((fitted - (standardised - n * s.ln())).abs() < 1e-8);
    }

    #[test]
    fn main_runs() {
        main().unwrap();
    }
}
