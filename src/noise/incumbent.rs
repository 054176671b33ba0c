//! The model-based incumbent and the repeat count of a point.

use crate::acquisition::Direction;
use crate::models::Model;
use crate::{Error, Result};
use ndarray::{Array1, ArrayView1, ArrayView2};

/// The observed input whose posterior mean is best.
#[derive(Debug, Clone, PartialEq)]
pub struct Incumbent {
    /// Its row among the inputs given (the first of equal means).
    pub index: usize,
    /// The input.
    pub x: Array1<f64>,
    /// The posterior mean of the latent f there, in the objective's units.
    pub mean: f64,
    /// The posterior standard deviation of the latent f there.
    pub sd: f64,
}

/// The row of `x` (the observed inputs, n × d) with the best posterior mean of `model`: the
/// largest for [`Direction::Maximise`], the smallest for [`Direction::Minimise`] — with its
/// mean and standard deviation. Used as the incumbent of expected improvement on noisy data
/// (BoTorch's course practice: best_f = the largest posterior mean at the training inputs,
/// on the maximised scale), it is not biased towards lucky noise as the best observed value
/// is.
///
/// # Errors
/// [`Error::Empty`] for no rows; [`Error::ShapeMismatch`] unless `x` has the model's d
/// columns; [`Error::NonFinite`] for non-finite entries; as for [`Model::marginals`].
pub fn model_incumbent(
    model: &dyn Model,
    x: ArrayView2<'_, f64>,
    direction: Direction,
) -> Result<Incumbent> {
    crate::error::check_points(x, model.dim(), "model_incumbent: the inputs")?;
    if x.nrows() == 0 {
        return Err(Error::Empty { context: "model_incumbent: the inputs" });
    }
    let p = model.marginals(x)?;
    let sign = direction.sign();
    let mut index = 0;
    for (i, &m) in p.mean.iter().enumerate() {
        if sign * m > sign * p.mean[index] {
            index = i;
        }
    }
    Ok(Incumbent {
        index,
        x: x.row(index).to_owned(),
        mean: p.mean[index],
        sd: p.variance[index].sqrt(),
    })
}

/// How many rows of `x` lie within `tolerance` of `point` in every coordinate (the
/// largest coordinate difference at most `tolerance`): the number of times that point has
/// been evaluated.
///
/// # Errors
/// [`Error::ShapeMismatch`] unless `x` has as many columns as `point` has entries;
/// [`Error::NonFinite`] for non-finite entries; [`Error::InvalidInput`] for a tolerance
/// that is not a non-negative number.
pub fn repeat_count(
    x: ArrayView2<'_, f64>,
    point: ArrayView1<'_, f64>,
    tolerance: f64,
) -> Result<usize> {
    crate::error::check_points(x, point.len(), "repeat_count: the inputs")?;
    if point.iter().any(|v| !v.is_finite()) {
        return Err(Error::NonFinite { context: "repeat_count: the point" });
    }
    if !(tolerance >= 0.0 && tolerance.is_finite()) {
        return Err(Error::InvalidInput {
            context: "repeat_count",
            reason: format!(
                "the tolerance must be a non-negative number, got {tolerance}"
            ),
        });
    }
    Ok(x.rows()
        .into_iter()
        .filter(|row| {
            row.iter().zip(&point).all(|(a, b)| (a - b).abs() <= tolerance)
        })
        .count())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gp::{Gp, Hyperparameters, Kernel, KernelKind};
    use ndarray::array;

    /// Three independent points (ℓ ≪ spacing) with known noise: the posterior mean at each is
    /// y/(1 + v), so the noisiest high value is shrunk the most.
    #[test]
    fn the_incumbent_is_the_best_posterior_mean_not_the_best_observation() {
        let x = array![[0.0], [5.0], [10.0]];
        let y = array![1.0, 1.4, -0.5];
        let v = array![0.1, 1.0, 0.1];
        let kernel =
            Kernel::new(KernelKind::SquaredExponential, array![0.01], 1.0).unwrap();
        let hyper = Hyperparameters { kernel, mean: 0.0, noise: 0.0 };
        let gp = Gp::with_noise_variances(x.clone(), y, hyper, v).unwrap();
        let best = model_incumbent(&gp, x.view(), Direction::Maximise).unwrap();
        // 1/1.1 = 0.909 beats 1.4/2 = 0.7, although 1.4 is the best observation.
        assert_eq!(best.index, 0);
        assert!((best.mean - 1.0 / 1.1).abs() < 1e-12);
        assert!((best.sd - (1.0 - 1.0 / 1.1f64).sqrt()).abs() < 1e-12);
        assert_eq!(best.x, array![0.0]);
        let worst = model_incumbent(&gp, x.view(), Direction::Minimise).unwrap();
        assert_eq!(worst.index, 2);
        assert!((worst.mean + 0.5 / 1.1).abs() < 1e-12);
        assert!(model_incumbent(
            &gp,
            x.slice(ndarray::s![..0, ..]),
            Direction::Maximise
        )
        .is_err());
        assert!(model_incumbent(
            &gp,
            array![[0.0, 1.0]].view(),
            Direction::Maximise
        )
        .is_err());
        assert!(model_incumbent(
            &gp,
            array![[f64::NAN]].view(),
            Direction::Maximise
        )
        .is_err());
    }

    #[test]
    fn repeats_are_counted_within_the_tolerance() {
        let x = array![[0.5, 1.0], [0.50005, 1.0], [0.5, 1.0002], [0.5, 1.0]];
        assert_eq!(
            repeat_count(x.view(), array![0.5, 1.0].view(), 1e-4).unwrap(),
            3
        );
        assert_eq!(
            repeat_count(x.view(), array![0.5, 1.0].view(), 0.0).unwrap(),
            2
        );
        assert_eq!(
            repeat_count(x.view(), array![0.5, 1.0].view(), 1e-3).unwrap(),
            4
        );
        assert!(repeat_count(x.view(), array![0.5].view(), 1e-4).is_err());
        assert!(repeat_count(x.view(), array![0.5, f64::NAN].view(), 1e-4).is_err());
        assert!(repeat_count(x.view(), array![0.5, 1.0].view(), -1.0).is_err());
        assert!(repeat_count(x.view(), array![0.5, 1.0].view(), f64::NAN).is_err());
    }
}
