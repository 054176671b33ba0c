//! Warnings about the scale of the data a GP was fitted on.
//!
//! The priors, floors and starting values of [`FitOptions::single_task`] mean something only
//! on a known scale: inputs in the unit cube, outputs with mean 0 and standard deviation 1. The
//! transforms guarantee that scale; with [`FitOptions::normalize_inputs`] or
//! [`FitOptions::standardize_outputs`] off nothing does, and [`FittedGp::diagnostics`] says
//! so, as BoTorch's input-scaling warnings do.
//!
//! [`FitOptions::single_task`]: super::FitOptions::single_task
//! [`FitOptions::normalize_inputs`]: super::FitOptions::normalize_inputs
//! [`FitOptions::standardize_outputs`]: super::FitOptions::standardize_outputs

use super::fit::FittedGp;
use crate::transforms::Standardize;
use std::fmt;

/// How far the model's data may stray from the unit cube, from mean 0 and from standard
/// deviation 1 before [`FittedGp::diagnostics`] warns.
pub const SCALE_TOLERANCE: f64 = 1e-2;

/// A sign that a GP was fitted on data off the scale its priors assume. Each is about the
/// data in the units the model sees them (after whatever transforms were applied).
#[derive(Debug, Clone, PartialEq)]
pub enum ScaleWarning {
    /// Some training inputs lie outside the unit cube [0, 1]^d.
    InputsOutsideUnitCube {
        /// The smallest input coordinate.
        min: f64,
        /// The largest input coordinate.
        max: f64,
    },
    /// The training outputs do not have mean 0 and standard deviation 1.
    OutputsNotStandardized {
        /// Their mean.
        mean: f64,
        /// Their sample (n − 1) standard deviation; 0 for a single output or equal outputs.
        std: f64,
    },
}

impl fmt::Display for ScaleWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ScaleWarning::InputsOutsideUnitCube { min, max } => write!(
                f,
                "inputs outside the unit cube: they span [{min:.4}, {max:.4}], and the \
                 lengthscale prior and floor assume [0, 1]; normalise them \
                 (FitOptions::normalize_inputs)"
            ),
            ScaleWarning::OutputsNotStandardized { mean, std } => write!(
                f,
                "outputs not standardised: mean {mean:.4}, standard deviation {std:.4}, and \
                 the noise prior, the noise floor and a fixed output scale assume 0 and 1; \
                 standardise them (FitOptions::standardize_outputs)"
            ),
        }
    }
}

impl FittedGp {
    /// The ways the data the GP was fitted on (in the model's units) are off the scale its
    /// priors assume: inputs outside [−ε, 1 + ε]^d, outputs with |mean| > ε or, if they are
    /// not all equal, |std − 1| > ε, with ε = [`SCALE_TOLERANCE`]. Empty when the inputs were
    /// normalised and the outputs standardised, which is the default.
    pub fn diagnostics(&self) -> Vec<ScaleWarning> {
        let mut warnings = Vec::new();
        let x = self.gp.inputs();
        let min = x.iter().copied().fold(f64::INFINITY, f64::min);
        let max = x.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        if min < -SCALE_TOLERANCE || max > 1.0 + SCALE_TOLERANCE {
            warnings.push(ScaleWarning::InputsOutsideUnitCube { min, max });
        }
        let y = self.gp.observations();
        // A fitted GP's outputs are finite and not empty, so this cannot fail; its spread is
        // kept only if the outputs differ (otherwise nothing could standardise them).
        if let Ok(s) = Standardize::learn(y.view()) {
            let equal = y.iter().all(|&v| v == y[0]);
            let std = if equal { 0.0 } else { s.std };
            let off_spread = !equal && (std - 1.0).abs() > SCALE_TOLERANCE;
            if s.mean.abs() > SCALE_TOLERANCE || off_spread {
                warnings.push(ScaleWarning::OutputsNotStandardized {
                    mean: s.mean,
                    std,
                });
            }
        }
        warnings
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gp::{fit, FitOptions};
    use ndarray::{array, Array1, Array2};

    /// Eight points of a smooth surface on [−3, 3]², outputs of mean about −0.15.
    fn data() -> (Array2<f64>, Array1<f64>) {
        let x = Array2::from_shape_fn((8, 2), |(i, j)| {
            -3.0 + 6.0 * (((i * 5 + j * 3) % 8) as f64) / 7.0
        });
        let y = x
            .map_axis(ndarray::Axis(1), |r| 0.3 * (r[0] + 0.5 * r[1]).sin() - 0.15);
        (x, y)
    }

    fn options(normalize: bool, standardize: bool) -> FitOptions {
        FitOptions {
            normalize_inputs: normalize,
            standardize_outputs: standardize,
            ..FitOptions::single_task(2)
        }
    }

    #[test]
    fn transformed_data_raise_no_warning() {
        let (x, y) = data();
        let fitted = fit(x.view(), &y, &FitOptions::single_task(2)).unwrap();
        assert_eq!(fitted.diagnostics(), vec![]);
    }

    #[test]
    fn raw_data_raise_one_warning_each_with_their_numbers() {
        let (x, y) = data();
        let s = Standardize::learn(y.view()).unwrap();
        let raw = fit(x.view(), &y, &options(false, false)).unwrap();
        assert_eq!(raw.normalize.range(), &array![1.0, 1.0]);
        assert_eq!(raw.standardize, Standardize::identity());
        let warnings = raw.diagnostics();
        assert_eq!(
            warnings,
            vec![
                ScaleWarning::InputsOutsideUnitCube { min: -3.0, max: 3.0 },
                ScaleWarning::OutputsNotStandardized { mean: s.mean, std: s.std },
            ]
        );
        let text = warnings[1].to_string();
        assert!(text.contains(&format!("mean {:.4}", s.mean)), "{text}");
        assert!(
            text.contains(&format!("standard deviation {:.4}", s.std)),
            "{text}"
        );
        assert!(warnings[0].to_string().contains("[-3.0000, 3.0000]"));
        // Each transform removes its own warning.
        let inputs_only = fit(x.view(), &y, &options(true, false)).unwrap();
        assert!(matches!(
            inputs_only.diagnostics()[..],
            [ScaleWarning::OutputsNotStandardized { .. }]
        ));
        let outputs_only = fit(x.view(), &y, &options(false, true)).unwrap();
        assert!(matches!(
            outputs_only.diagnostics()[..],
            [ScaleWarning::InputsOutsideUnitCube { .. }]
        ));
    }

    #[test]
    fn raw_data_on_the_standard_scale_raise_none() {
        // Inputs inside the unit cube, outputs already standardised: nothing to warn about.
        let (x, y) = data();
        let x = x.mapv(|v| (v + 3.0) / 6.0);
        let s = Standardize::learn(y.view()).unwrap();
        let y = s.apply(y.view());
        let raw = fit(x.view(), &y, &options(false, false)).unwrap();
        assert_eq!(raw.diagnostics(), vec![]);
    }

    #[test]
    fn equal_outputs_warn_only_about_their_mean() {
        let (x, _) = data();
        let x = x.mapv(|v| (v + 3.0) / 6.0);
        let y = Array1::from_elem(8, 3.0);
        let raw = fit(x.view(), &y, &options(false, false)).unwrap();
        assert_eq!(
            raw.diagnostics(),
            vec![ScaleWarning::OutputsNotStandardized { mean: 3.0, std: 0.0 }]
        );
        let standardised = fit(x.view(), &y, &options(false, true)).unwrap();
        assert_eq!(standardised.diagnostics(), vec![]);
    }

    #[test]
    fn bounds_with_normalisation_off_are_refused() {
        let (x, y) = data();
        let both = FitOptions {
            input_bounds: Some(crate::Bounds::unit(2).unwrap()),
            ..options(false, true)
        };
        assert!(matches!(
            fit(x.view(), &y, &both),
            Err(crate::Error::InvalidInput { .. })
        ));
    }
}
