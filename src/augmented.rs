//! A model of a design x and one more input t, fitted on the augmented points [x, t]: t is a
//! fidelity in [`crate::fidelity`] (chosen, and priced) and a context in [`crate::context`]
//! (given by the world). Either way the model is an ordinary GP on two inputs; what this
//! module adds is the *slice* — the candidates x of a grid with t held fixed — and the best
//! point on it, by the posterior mean (a recommendation) or by an acquisition function (the
//! next design for a given t).

use crate::acquisition::{Acquisition, Analytic, Direction};
use crate::models::Model;
use crate::{Error, Result};
use ndarray::Array2;

/// The points [x, t] for every x of `xs`, one per row, in the order of `xs`.
///
/// # Errors
/// [`Error::Empty`] for no x, [`Error::NonFinite`] for a non-finite x or t.
pub fn slice(xs: &[f64], t: f64) -> Result<Array2<f64>> {
    if xs.is_empty() {
        return Err(Error::Empty { context: "slice: the designs" });
    }
    if !t.is_finite() || xs.iter().any(|x| !x.is_finite()) {
        return Err(Error::NonFinite { context: "slice" });
    }
    Ok(Array2::from_shape_fn(
        (xs.len(), 2),
        |(i, j)| if j == 0 { xs[i] } else { t },
    ))
}

/// The best design of a slice and what the model says there.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SliceBest {
    /// Its position in the designs.
    pub index: usize,
    /// The design x.
    pub x: f64,
    /// The value it was chosen by (the posterior mean for a recommendation).
    pub value: f64,
    /// The posterior mean μ(x, t).
    pub mean: f64,
    /// The posterior standard deviation σ(x, t) of the latent function.
    pub sd: f64,
}

/// The design of `xs` that maximises `acquisition` at [x, t] (the first on ties), for an
/// objective to be maximised. With [`Acquisition::PosteriorMean`] this is the
/// recommendation on the slice: the design the model believes best at t.
///
/// # Errors
/// [`Error::ShapeMismatch`] unless the model has two inputs; [`slice()`]'s errors; the
/// acquisition function's errors (a negative β, a non-finite parameter or value).
pub fn best_on_slice<M: Model + ?Sized>(
    model: &M,
    xs: &[f64],
    t: f64,
    acquisition: Acquisition,
) -> Result<SliceBest> {
    if model.dim() != 2 {
        return Err(Error::ShapeMismatch {
            context: "best_on_slice: a model of [x, t]",
            expected: vec![2],
            found: vec![model.dim()],
        });
    }
    // Validates the acquisition function (β ≥ 0, finite parameters) once.
    Analytic::new(model, acquisition, Direction::Maximise)?;
    let points = slice(xs, t)?;
    let p = model.marginals(points.view())?;
    let mut best: Option<SliceBest> = None;
    for (i, (&m, &v)) in p.mean.iter().zip(&p.variance).enumerate() {
        let sd = v.max(0.0).sqrt();
        let value = acquisition.from_moments(m, sd).value;
        if !value.is_finite() {
            return Err(Error::NonFinite {
                context: "best_on_slice: acquisition value",
            });
        }
        if best.is_none_or(|b| value > b.value) {
            best = Some(SliceBest { index: i, x: xs[i], value, mean: m, sd });
        }
    }
    best.ok_or(Error::Empty { context: "best_on_slice: the designs" })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gp::{Gp, Hyperparameters, Kernel, KernelKind};
    use ndarray::array;

    /// An exact GP of [x, t] through three points, unit lengthscales, small noise.
    fn model() -> Gp {
        let x = array![[0.2, 0.0], [0.5, 0.0], [0.8, 1.0]];
        let y = array![1.0, 2.0, 0.5];
        let kernel =
            Kernel::new(KernelKind::SquaredExponential, array![0.3, 0.5], 1.0)
                .unwrap();
        let h = Hyperparameters { kernel, noise: 1e-6, mean: 0.0 };
        Gp::new(x, y, h).unwrap()
    }

    #[test]
    fn a_slice_holds_t_in_its_second_column() {
        let s = slice(&[0.1, 0.4], 0.7).unwrap();
        assert_eq!(s, array![[0.1, 0.7], [0.4, 0.7]]);
        assert!(matches!(slice(&[], 0.7), Err(Error::Empty { .. })));
        assert!(matches!(slice(&[0.1], f64::NAN), Err(Error::NonFinite { .. })));
        assert!(matches!(
            slice(&[f64::INFINITY], 0.0),
            Err(Error::NonFinite { .. })
        ));
    }

    #[test]
    fn the_recommendation_is_the_argmax_of_the_mean_and_ucb_adds_the_spread() {
        let gp = model();
        let xs: Vec<f64> = (0..=100).map(|k| k as f64 / 100.0).collect();
        let rec = best_on_slice(&gp, &xs, 0.0, Acquisition::PosteriorMean).unwrap();
        // Checked against the model's own predictions on the slice.
        let p = gp.predict(slice(&xs, 0.0).unwrap().view()).unwrap();
        let (i, m) =
            p.mean.iter().enumerate().fold((0, f64::NEG_INFINITY), |b, (i, &m)| {
                if m > b.1 {
                    (i, m)
                } else {
                    b
                }
            });
        assert_eq!(rec.index, i);
        assert_eq!(rec.mean, m);
        assert_eq!(rec.value, m);
        // Near the largest observation, x = 0.5 at t = 0, pulled a little towards the
        // positive point at (0.8, 1).
        assert!(rec.x > 0.5 && rec.x < 0.55, "{}", rec.x);
        // UCB with β = 2.25 is μ + 1.5σ at its argmax, and at least the mean's maximum.
        let ucb = Acquisition::UpperConfidenceBound { beta: 2.25 };
        let u = best_on_slice(&gp, &xs, 0.0, ucb).unwrap();
        assert!((u.value - (u.mean + 1.5 * u.sd)).abs() < 1e-15);
        assert!(u.value >= rec.mean);
    }

    #[test]
    fn bad_input_is_an_error() {
        let gp = model();
        let bad = Acquisition::UpperConfidenceBound { beta: -1.0 };
        assert!(matches!(
            best_on_slice(&gp, &[0.5], 0.0, bad),
            Err(Error::InvalidInput { .. })
        ));
        assert!(best_on_slice(&gp, &[], 0.0, Acquisition::PosteriorMean).is_err());
        let one_d = Gp::new(
            array![[0.1], [0.9]],
            array![0.0, 1.0],
            Hyperparameters {
                kernel: Kernel::new(
                    KernelKind::SquaredExponential,
                    array![0.3],
                    1.0,
                )
                .unwrap(),
                noise: 1e-6,
                mean: 0.0,
            },
        )
        .unwrap();
        assert!(matches!(
            best_on_slice(&one_d, &[0.5], 0.0, Acquisition::PosteriorMean),
            Err(Error::ShapeMismatch { .. })
        ));
    }
}
