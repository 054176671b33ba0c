//! A fitted GP's structure as its `Debug`: what the model is made of — likelihood, mean,
//! kernel, priors, constraints, transforms — with the fitted values, each in the units the
//! model works in (normalised inputs, standardised outputs).
//!
//! `{:#?}` prints it as a tree, the way a reader inspects a model before trusting it.
//! [`FittedGp::data_units`] gives the same hyperparameters in the data's units.

// The structs below exist only to be printed: their fields are read by the derived `Debug`,
// which dead-code analysis does not count.
#![allow(dead_code)]

use super::fit::FittedGp;
use super::kernel::KernelKind;
use super::prior::Prior;
use std::fmt;

/// A lower bound a fitted hyperparameter is kept above.
#[derive(Debug)]
struct AtLeast(f64);

/// How observation noise enters the model.
#[derive(Debug)]
enum Likelihood {
    /// One learned noise variance σₙ² for every observation.
    Gaussian { noise: f64, prior: Option<Prior>, constraint: AtLeast },
    /// Known noise variances, one per observation (standardised units): nothing learned.
    FixedNoise { variances: Vec<f64> },
}

/// The prior mean, a learned constant.
#[derive(Debug)]
enum Mean {
    Constant { value: f64 },
}

/// Whether the output scale σ² is learned or fixed.
#[derive(Debug)]
enum OutputScale {
    Learned { value: f64, prior: Option<Prior> },
    Fixed(f64),
}

#[derive(Debug)]
struct Kernel {
    kind: KernelKind,
    lengthscales: Vec<f64>,
    prior: Option<Prior>,
    constraint: AtLeast,
    outputscale: OutputScale,
}

#[derive(Debug)]
struct Normalize {
    lower: Vec<f64>,
    range: Vec<f64>,
}

#[derive(Debug)]
struct Standardize {
    mean: f64,
    std: f64,
}

#[derive(Debug)]
struct Data {
    observations: usize,
    inputs: usize,
}

impl fmt::Debug for FittedGp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let h = self.gp.hyperparameters();
        let priors = &self.options.priors;
        let likelihood = match self.gp.noise_variances() {
            Some(v) => Likelihood::FixedNoise { variances: v.to_vec() },
            None => Likelihood::Gaussian {
                noise: h.noise,
                prior: priors.noise,
                constraint: AtLeast(
                    self.options.noise_floor.max(priors.noise_floor),
                ),
            },
        };
        let outputscale = match self.options.outputscale {
            Some(value) => OutputScale::Fixed(value),
            None => OutputScale::Learned {
                value: h.kernel.outputscale(),
                prior: priors.outputscale,
            },
        };
        let kernel = Kernel {
            kind: h.kernel.kind(),
            lengthscales: h.kernel.lengthscales().to_vec(),
            prior: priors.lengthscale,
            constraint: AtLeast(self.options.lengthscale_floor),
            outputscale,
        };
        let (n, d) = self.gp.inputs().dim();
        f.debug_struct("FittedGp")
            .field("likelihood", &likelihood)
            .field("mean", &Mean::Constant { value: h.mean })
            .field("kernel", &kernel)
            .field(
                "input_transform",
                &Normalize {
                    lower: self.normalize.lower().to_vec(),
                    range: self.normalize.range().to_vec(),
                },
            )
            .field(
                "outcome_transform",
                &Standardize {
                    mean: self.standardize.mean,
                    std: self.standardize.std,
                },
            )
            .field("data", &Data { observations: n, inputs: d })
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use crate::gp::{fit, FitOptions};
    use ndarray::{array, Array1};

    #[test]
    fn the_structure_names_every_part_with_its_fitted_value() {
        let x = array![[0.0], [0.3], [0.5], [0.9], [1.4], [2.0]];
        let y: Array1<f64> = x.column(0).mapv(|v: f64| (3.0 * v).sin());
        let model = fit(x.view(), &y, &FitOptions::single_task(1)).unwrap();
        let text = format!("{model:#?}");
        let h = model.gp.hyperparameters();
        for part in [
            "likelihood: Gaussian",
            "prior: Some(\n            LogNormal",
            "constraint: AtLeast(\n            0.0001",
            "mean: Constant",
            "kind: SquaredExponential",
            "constraint: AtLeast(\n            0.025",
            "outputscale: Fixed(\n            1.0",
            "input_transform: Normalize",
            "outcome_transform: Standardize",
            "observations: 6",
        ] {
            assert!(text.contains(part), "{part:?} missing from\n{text}");
        }
        assert!(text.contains(&format!("{:?}", h.noise)), "{text}");
        assert!(
            text.contains(&format!("{:?}", h.kernel.lengthscales()[0])),
            "{text}"
        );
        assert!(
            !text.contains("strides"),
            "plain lists, not ndarray internals: {text}"
        );
    }

    #[test]
    fn known_noise_shows_as_fixed_noise() {
        let x = array![[0.0], [0.5], [1.0], [1.5]];
        let y = array![0.1, 0.4, 0.2, 0.9];
        let options = FitOptions::fixed_noise(1, array![0.01, 0.01, 0.02, 0.01]);
        let model = fit(x.view(), &y, &options).unwrap();
        let text = format!("{model:?}");
        assert!(text.contains("likelihood: FixedNoise { variances: ["), "{text}");
    }
}
