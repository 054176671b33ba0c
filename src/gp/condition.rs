//! Conditioning a fitted model on more data without refitting it: what a batch needs when
//! it "believes" the model at points chosen but not yet observed (fantasy observations).

use super::{FittedGp, Gp};
use crate::{Error, Result};
use ndarray::{concatenate, Array1, ArrayView1, ArrayView2, Axis};

impl FittedGp {
    /// The model conditioned on further observations `y` at the rows of `x` (both in the
    /// data's units), with everything it learned kept fixed: the hyperparameters, the input
    /// normalisation and the output standardisation. Only the posterior changes — the
    /// Cholesky factor and the weights α are recomputed for the longer data set.
    ///
    /// With `y` set to the model's own posterior mean at `x` this is the *Kriging
    /// believer*: the mean does not move, but the variance at and around `x` collapses, so
    /// an acquisition function computed from the result no longer rewards those places.
    /// A new observation gets the model's learned noise variance; for a model with known
    /// per-observation noise, the smallest of the known variances.
    ///
    /// # Errors
    /// [`Error::ShapeMismatch`] unless `x` has the model's d columns and one row per value
    /// of `y`; [`Error::NonFinite`] for NaN or infinite entries; as [`Gp::new`] if the
    /// longer covariance stays indefinite even after jitter.
    pub fn condition_on(
        &self,
        x: ArrayView2<'_, f64>,
        y: ArrayView1<'_, f64>,
    ) -> Result<FittedGp> {
        let d = self.normalize.dim();
        if x.ncols() != d || x.nrows() != y.len() {
            return Err(Error::ShapeMismatch {
                context: "FittedGp::condition_on: one row of d inputs per value",
                expected: vec![y.len(), d],
                found: vec![x.nrows(), x.ncols()],
            });
        }
        if x.iter().chain(y.iter()).any(|v| !v.is_finite()) {
            return Err(Error::NonFinite {
                context: "FittedGp::condition_on: the new data",
            });
        }
        let xn = self.normalize.apply(x)?;
        let yn = self.standardize.apply(y);
        if yn.iter().any(|v| !v.is_finite()) {
            return Err(Error::NonFinite {
                context: "FittedGp::condition_on: the values in the model's units",
            });
        }
        let inputs = concatenate![Axis(0), self.gp.inputs().view(), xn.view()];
        let values =
            concatenate![Axis(0), self.gp.observations().view(), yn.view()];
        let hyper = self.gp.hyperparameters().clone();
        let gp = match self.gp.noise_variances() {
            None => Gp::new(inputs, values, hyper)?,
            Some(known) => {
                let smallest = known.iter().copied().fold(f64::INFINITY, f64::min);
                let more = Array1::from_elem(y.len(), smallest);
                let variances = concatenate![Axis(0), known.view(), more.view()];
                Gp::with_noise_variances(inputs, values, hyper, variances)?
            }
        };
        Ok(FittedGp { gp, ..self.clone() })
    }
}

#[cfg(test)]
mod tests {
    use crate::gp::{fit, FitOptions};
    use crate::models::Model;
    use ndarray::{array, Array2, Axis};

    fn model() -> crate::gp::FittedGp {
        let x = Array2::from_shape_fn((8, 2), |(i, j)| {
            10.0 * ((i * 3 + j * 5) % 8) as f64 / 7.0 + 50.0 * j as f64
        });
        let y = x.map_axis(Axis(1), |r| 100.0 + (r[0] / 3.0).sin() + r[1] / 50.0);
        fit(x.view(), &y, &FitOptions::single_task(2)).unwrap()
    }

    /// One new observation y at x with noise variance τ² updates the posterior at x by the
    /// scalar Gaussian rule: σ′² = σ²τ²/(σ² + τ²) and μ′ = μ + σ²/(σ² + τ²)·(y − μ).
    #[test]
    fn one_new_observation_updates_mean_and_variance_by_the_scalar_rule() {
        let m = model();
        let at = array![[4.2, 55.0]];
        let before = m.marginals(at.view()).unwrap();
        let (mu, s2) = (before.mean[0], before.variance[0]);
        let tau2 = m.data_units().unwrap().noise;
        let gain = s2 / (s2 + tau2);
        for y in [mu, mu + 1.0, mu - 3.0] {
            let conditioned = m.condition_on(at.view(), array![y].view()).unwrap();
            let after = conditioned.marginals(at.view()).unwrap();
            let (mean, variance) = (mu + gain * (y - mu), s2 * tau2 / (s2 + tau2));
            assert!(
                (after.mean[0] - mean).abs() < 1e-8 * (1.0 + mean.abs()),
                "{after:?}"
            );
            assert!(
                (after.variance[0] - variance).abs() < 1e-6 * variance,
                "{after:?}"
            );
        }
        // Believing the mean (the Kriging believer) leaves it where it was.
        let believed = m.condition_on(at.view(), before.mean.view()).unwrap();
        assert!(
            (believed.marginals(at.view()).unwrap().mean[0] - mu).abs()
                < 1e-9 * mu.abs()
        );
        // Hyperparameters and transforms are kept.
        assert_eq!(believed.data_units().unwrap(), m.data_units().unwrap());
        assert_eq!(believed.gp.observations().len(), 9);
    }

    #[test]
    fn bad_new_data_is_refused() {
        let m = model();
        assert!(m
            .condition_on(array![[1.0, 2.0, 3.0]].view(), array![1.0].view())
            .is_err());
        assert!(m
            .condition_on(array![[1.0, 2.0]].view(), array![1.0, 2.0].view())
            .is_err());
        assert!(m
            .condition_on(array![[f64::NAN, 2.0]].view(), array![1.0].view())
            .is_err());
        assert!(m
            .condition_on(array![[1.0, 2.0]].view(), array![f64::INFINITY].view())
            .is_err());
    }
}
