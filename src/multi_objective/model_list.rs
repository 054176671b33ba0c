//! One GP per objective, on the same inputs: BoTorch's `ModelListGP` of independent
//! `SingleTaskGP`s.
//!
//! The objectives are modelled as independent: the joint posterior at a point is the
//! product of the m single-objective posteriors. Fitting them "together" by maximising the
//! sum of the m log marginal likelihoods is the same as fitting each alone, since no
//! hyperparameter is shared: each model is fitted by [`gp::fit`](crate::gp::fit) on its own
//! column of outputs.

use crate::gp::{fit, FitOptions, FittedGp};
use crate::models::Model;
use crate::{Error, Result};
use ndarray::{Array2, ArrayView2, Axis};

/// m fitted GPs, one per objective, over the same d inputs.
#[derive(Clone)]
pub struct ModelList {
    models: Vec<FittedGp>,
}

/// The posterior means and variances of every objective at n points.
#[derive(Debug, Clone, PartialEq)]
pub struct ListPrediction {
    /// Posterior means, n × m (column k for objective k).
    pub mean: Array2<f64>,
    /// Posterior variances of the latent functions, n × m.
    pub variance: Array2<f64>,
}

impl std::fmt::Debug for ModelList {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ModelList")
            .field("objectives", &self.models.len())
            .field("dim", &self.dim())
            .finish()
    }
}

impl ModelList {
    /// Fits one GP per column of `y` (n × m) on the inputs `x` (n × d), each with
    /// `options` ([`FitOptions::single_task`] for BoTorch's models).
    ///
    /// # Errors
    /// [`Error::Empty`] for no objectives, [`Error::ShapeMismatch`] unless `y` has a row
    /// per row of `x`, and as for [`fit`] (non-finite values, empty data, a failed fit).
    pub fn fit(
        x: ArrayView2<'_, f64>,
        y: ArrayView2<'_, f64>,
        options: &FitOptions,
    ) -> Result<Self> {
        if y.ncols() == 0 {
            return Err(Error::Empty { context: "ModelList::fit: the objectives" });
        }
        if y.nrows() != x.nrows() {
            return Err(Error::ShapeMismatch {
                context: "ModelList::fit: one row of objectives per input",
                expected: vec![x.nrows(), y.ncols()],
                found: y.shape().to_vec(),
            });
        }
        let models = y
            .axis_iter(Axis(1))
            .map(|column| fit(x, &column.to_owned(), options))
            .collect::<Result<Vec<_>>>()?;
        Ok(ModelList { models })
    }

    /// A list of models already fitted, one per objective.
    ///
    /// # Errors
    /// [`Error::Empty`] for none, [`Error::ShapeMismatch`] unless all have the same input
    /// dimension.
    pub fn from_models(models: Vec<FittedGp>) -> Result<Self> {
        let Some(first) = models.first() else {
            return Err(Error::Empty { context: "ModelList: the models" });
        };
        let d = first.dim();
        if let Some(other) = models.iter().find(|m| m.dim() != d) {
            return Err(Error::ShapeMismatch {
                context: "ModelList: every model needs the same inputs",
                expected: vec![d],
                found: vec![other.dim()],
            });
        }
        Ok(ModelList { models })
    }

    /// The models, one per objective.
    pub fn models(&self) -> &[FittedGp] {
        &self.models
    }

    /// The number of objectives m.
    pub fn num_objectives(&self) -> usize {
        self.models.len()
    }

    /// The input dimension d.
    pub fn dim(&self) -> usize {
        self.models[0].dim()
    }

    /// The sum of the models' log marginal likelihoods (each of its own standardised data):
    /// the quantity the joint fit maximises.
    pub fn log_marginal_likelihood(&self) -> f64 {
        self.models.iter().map(|m| m.gp.log_marginal_likelihood()).sum()
    }

    /// The posterior means and variances of every objective at the rows of `x` (n × d), in
    /// the data's units.
    ///
    /// # Errors
    /// As for [`FittedGp::predict`].
    pub fn predict(&self, x: ArrayView2<'_, f64>) -> Result<ListPrediction> {
        let n = x.nrows();
        let m = self.models.len();
        let mut mean = Array2::zeros((n, m));
        let mut variance = Array2::zeros((n, m));
        for (k, model) in self.models.iter().enumerate() {
            crate::error::check_points(x, model.dim(), "ModelList::predict")?;
            let p = model.predict(x)?;
            mean.column_mut(k).assign(&p.mean);
            variance.column_mut(k).assign(&p.variance);
        }
        Ok(ListPrediction { mean, variance })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn each_objective_is_its_own_fit() {
        let x = Array2::from_shape_fn((12, 2), |(i, j)| {
            ((i * 5 + j * 7) % 12) as f64 / 11.0
        });
        let f1 = x.map_axis(Axis(1), |r| (3.0 * r[0]).sin() + r[1]);
        let f2 =
            x.map_axis(Axis(1), |r| 100.0 - 40.0 * (r[0] - 0.3).powi(2) * r[1]);
        let mut y = Array2::zeros((12, 2));
        y.column_mut(0).assign(&f1);
        y.column_mut(1).assign(&f2);
        let options = FitOptions::single_task(2);
        let list = ModelList::fit(x.view(), y.view(), &options).unwrap();
        assert_eq!((list.num_objectives(), list.dim()), (2, 2));
        let alone = fit(x.view(), &f2, &options).unwrap();
        let at = array![[0.25, 0.75], [0.9, 0.1]];
        let p = list.predict(at.view()).unwrap();
        let q = alone.predict(at.view()).unwrap();
        assert_eq!(p.mean.column(1), q.mean);
        assert_eq!(p.variance.column(1), q.variance);
        let total = list.log_marginal_likelihood();
        let separate: f64 = [f1, f2]
            .iter()
            .map(|f| {
                fit(x.view(), f, &options).unwrap().gp.log_marginal_likelihood()
            })
            .sum();
        assert_eq!(total, separate);
        // At a training input the means are close to the data.
        let first = list.predict(x.slice(ndarray::s![0..1, ..])).unwrap();
        assert!((first.mean[[0, 1]] - y[[0, 1]]).abs() < 0.5);
    }

    #[test]
    fn bad_input_is_an_error() {
        let x = Array2::from_shape_fn((4, 1), |(i, _)| i as f64);
        let y = Array2::zeros((3, 2));
        assert!(matches!(
            ModelList::fit(x.view(), y.view(), &FitOptions::single_task(1)),
            Err(Error::ShapeMismatch { .. })
        ));
        let y = Array2::zeros((4, 0));
        assert!(matches!(
            ModelList::fit(x.view(), y.view(), &FitOptions::single_task(1)),
            Err(Error::Empty { .. })
        ));
        let mut y = Array2::from_shape_fn((4, 2), |(i, j)| (i + j) as f64);
        y[[1, 1]] = f64::NAN;
        assert!(matches!(
            ModelList::fit(x.view(), y.view(), &FitOptions::single_task(1)),
            Err(Error::NonFinite { .. })
        ));
        assert!(matches!(
            ModelList::from_models(Vec::new()),
            Err(Error::Empty { .. })
        ));
    }
}
