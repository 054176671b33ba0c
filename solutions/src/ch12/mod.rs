//! Chapter 12, Gaussian processes as surrogate models: kernels, prior samples, posteriors,
//! hyperparameters and their fitting by marginal likelihood, figures and exercise answers.

mod exercises;
mod figures;
mod report;

use crate::figures::{Colour, Layer};
use crate::{Artifact, Context};
use figures::{
    evidence_figure, fitted_figure, kernel_matrix_figure, kernel_slices_figure,
    more_data_figure, outside_point_figure, posterior_figure, posterior_sd_figure,
    posterior_settings_figure, prior_kernels_figure, prior_samples_figure,
    prior_settings_figure, prior_vs_posterior_figure, sequential_figure,
};
use gradbo::test_functions::running_example as f;
use gradbo_listings::ch12::posterior::{posterior, Posterior, NOISE};
use ndarray::Array1;
use report::report;

/// Where this chapter's output and figures go.
const CTX: Context = Context::new("part3", "ch12");

/// The dense grid of 400 points on [−3, 3].
fn grid() -> Vec<f64> {
    Array1::linspace(-3.0, 3.0, 400).to_vec()
}

/// Everything chapter 12 shows.
pub fn run() -> Vec<Artifact> {
    vec![
        Artifact::new(CTX.output(), report()),
        Artifact::new(CTX.figure("kernel-matrix"), kernel_matrix_figure()),
        Artifact::new(CTX.figure("kernel-slices"), kernel_slices_figure()),
        Artifact::new(CTX.figure("prior-samples"), prior_samples_figure()),
        Artifact::new(CTX.figure("prior-settings"), prior_settings_figure()),
        Artifact::new(CTX.figure("prior-kernels"), prior_kernels_figure()),
        Artifact::new(CTX.figure("posterior"), posterior_figure()),
        Artifact::new(CTX.figure("posterior-sd"), posterior_sd_figure()),
        Artifact::new(
            CTX.figure("prior-vs-posterior"),
            prior_vs_posterior_figure(),
        ),
        Artifact::new(CTX.figure("more-data"), more_data_figure()),
        Artifact::new(
            CTX.figure("posterior-settings"),
            posterior_settings_figure(),
        ),
        Artifact::new(CTX.figure("outside-point"), outside_point_figure()),
        Artifact::new(CTX.figure("sequential"), sequential_figure()),
        Artifact::new(CTX.figure("evidence"), evidence_figure()),
        Artifact::new(CTX.figure("fitted"), fitted_figure()),
    ]
}

fn fixed(x: &[f64], y: &[f64], lengthscale: f64, variance: f64) -> Posterior {
    posterior(x, y, &grid(), lengthscale, variance, NOISE).expect("valid data")
}

/// The true curve on the grid, in black.
fn truth() -> Layer {
    Layer::line(
        "true f",
        grid().iter().map(|&x| (x, f(x))).collect(),
        Colour::Truth,
    )
}

#[cfg(test)]
mod tests {
    use super::exercises::*;
    use gradbo_listings::ch12::fitting::fit_1d;
    use gradbo_listings::ch12::posterior::{observations, posterior, NOISE};

    #[test]
    fn exercise_answers() {
        // 1: the rougher the kernel, the sooner the mean returns to the prior mean 0.
        let family = kernel_family_at_3();
        let mu: Vec<f64> = family.iter().map(|r| r.mean.abs()).collect();
        assert!(mu[0] > mu[1] && mu[1] > mu[2] && mu[2] > mu[3], "{mu:?}");
        assert!(mu[3] < 0.1, "{mu:?}");
        // ... and the smaller its weights; the squared exponential's are the listing's.
        let alpha: Vec<f64> = family.iter().map(|r| r.max_alpha).collect();
        assert!(alpha.windows(2).all(|w| w[1] < w[0]), "{alpha:?}");
        let (x, y) = observations();
        let se = posterior(&x, &y, &[3.0], 1.0, 1.0, NOISE).unwrap();
        let se_max = se.alpha.iter().fold(0.0_f64, |m, a| m.max(a.abs()));
        assert!((alpha[0] / se_max - 1.0).abs() < 1e-9, "{} {se_max}", alpha[0]);
        // 2: conditioning in two batches is conditioning once.
        let (dm, dc) = two_batches();
        assert!(dm < 1e-8 && dc < 1e-10, "{dm} {dc}");
        // 3: more noise, smaller weights, less overshoot.
        let sweep = noise_sweep();
        for w in sweep.windows(2) {
            assert!(w[1].2 < w[0].2 && w[1].1.abs() < w[0].1.abs(), "{sweep:?}");
        }
    }

    #[test]
    fn the_fitted_lengthscale_is_shorter_than_the_hand_set_one() {
        let (x, y) = observations();
        let (_, h) = fit_1d(&x, &y).unwrap();
        assert!(h.lengthscale > 0.2 && h.lengthscale < 0.6, "{h:?}");
    }
}
