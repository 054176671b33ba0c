//! Input and outcome transforms: the changes of units in which a GP is fitted, with their
//! inverses and the chain rule that carries gradients back to the data's units.
//!
//! A GP's priors and starting values mean something only on a known scale. So, as BoTorch
//! does, inputs are mapped to the unit cube ([`Normalize`]) and outputs to mean 0 and
//! standard deviation 1 ([`Standardize`]) before fitting, and every prediction is mapped back.
//! The posterior in data units follows from the one in model units by
//! μ = ȳ + s·μₙ, σ² = s²·σₙ², and, since xₙ = (x − l) ⊘ r, ∂/∂x = (∂/∂xₙ) ⊘ r.

use crate::{Bounds, Error, Result};
use ndarray::{Array1, Array2, ArrayView1, ArrayView2, Axis};

/// Per-column affine scaling of inputs, xₙ = (x − l) ⊘ r, usually to the unit cube.
#[derive(Debug, Clone, PartialEq)]
pub struct Normalize {
    lower: Array1<f64>,
    range: Array1<f64>,
}

/// A column whose training values span no more than this relative to their size is treated
/// as constant and given range 1, so that it is shifted, not blown up by rounding noise.
const MIN_RELATIVE_RANGE: f64 = 1e-12;

impl Normalize {
    /// Learns l and r from the training inputs `x` (n × d): each column's minimum and range
    /// max − min, as BoTorch's `Normalize` does by default. A column with (numerically) no
    /// spread gets range 1.
    ///
    /// # Errors
    /// [`Error::Empty`] for no rows or columns, [`Error::NonFinite`] for NaN or infinity, or
    /// if a column's range overflows.
    pub fn learn(x: ArrayView2<'_, f64>) -> Result<Self> {
        if x.nrows() == 0 || x.ncols() == 0 {
            return Err(Error::Empty { context: "Normalize::learn" });
        }
        if x.iter().any(|v| !v.is_finite()) {
            return Err(Error::NonFinite { context: "Normalize::learn" });
        }
        let lower = x.fold_axis(Axis(0), f64::INFINITY, |m, v| m.min(*v));
        let upper = x.fold_axis(Axis(0), f64::NEG_INFINITY, |m, v| m.max(*v));
        let mut range = &upper - &lower;
        if range.iter().any(|r| !r.is_finite()) {
            return Err(Error::NonFinite {
                context: "Normalize::learn: a column's range",
            });
        }
        for ((r, l), u) in range.iter_mut().zip(&lower).zip(&upper) {
            if *r <= MIN_RELATIVE_RANGE * l.abs().max(u.abs()) {
                *r = 1.0;
            }
        }
        Ok(Normalize { lower, range })
    }

    /// The scaling that maps `bounds` onto the unit cube: fixed by the search space, so that
    /// normalised units mean the same at every iteration of a loop.
    pub fn from_bounds(bounds: &Bounds) -> Self {
        Normalize { lower: bounds.lower().clone(), range: bounds.widths() }
    }

    /// The identity on d columns, l = 0 and r = 1: inputs reach the model as they are, and
    /// lengthscales are in the data's units.
    pub fn identity(d: usize) -> Self {
        Normalize { lower: Array1::zeros(d), range: Array1::ones(d) }
    }

    /// The number of input columns d.
    pub fn dim(&self) -> usize {
        self.lower.len()
    }

    /// The shift l.
    pub fn lower(&self) -> &Array1<f64> {
        &self.lower
    }

    /// The scale r: an input difference of r_j in column j is 1 in normalised units.
    pub fn range(&self) -> &Array1<f64> {
        &self.range
    }

    /// xₙ = (x − l) ⊘ r for the rows of `x`.
    ///
    /// # Errors
    /// [`Error::ShapeMismatch`] unless `x` has d columns (never a broadcast),
    /// [`Error::NonFinite`] for NaN or infinity, or if the result overflows.
    pub fn apply(&self, x: ArrayView2<'_, f64>) -> Result<Array2<f64>> {
        self.check(x, "Normalize::apply")?;
        finite((&x - &self.lower) / &self.range, "Normalize::apply")
    }

    /// x = l + r ⊙ xₙ for the rows of `xn`.
    ///
    /// # Errors
    /// As for [`Normalize::apply`].
    pub fn untransform(&self, xn: ArrayView2<'_, f64>) -> Result<Array2<f64>> {
        self.check(xn, "Normalize::untransform")?;
        finite(&xn * &self.range + &self.lower, "Normalize::untransform")
    }

    /// xₙ for one point.
    ///
    /// # Errors
    /// As for [`Normalize::apply`].
    pub fn apply_point(&self, x: ArrayView1<'_, f64>) -> Result<Array1<f64>> {
        Ok(self.apply(x.insert_axis(Axis(0)))?.row(0).to_owned())
    }

    /// The chain rule: a gradient in normalised units, ∂g/∂xₙ, as ∂g/∂x = (∂g/∂xₙ) ⊘ r.
    ///
    /// # Errors
    /// [`Error::ShapeMismatch`] unless it has d entries.
    pub fn gradient_to_data(&self, g: ArrayView1<'_, f64>) -> Result<Array1<f64>> {
        if g.len() != self.dim() {
            return Err(Error::ShapeMismatch {
                context: "Normalize::gradient_to_data",
                expected: vec![self.dim()],
                found: vec![g.len()],
            });
        }
        Ok(&g / &self.range)
    }

    fn check(&self, x: ArrayView2<'_, f64>, context: &'static str) -> Result<()> {
        crate::error::check_points(x, self.dim(), context)?;
        Ok(())
    }
}

fn finite(x: Array2<f64>, context: &'static str) -> Result<Array2<f64>> {
    if x.iter().all(|v| v.is_finite()) {
        Ok(x)
    } else {
        Err(Error::NonFinite { context })
    }
}

/// Outcome standardisation y ↦ (y − ȳ)/s with the sample (n − 1) standard deviation s.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Standardize {
    /// The mean ȳ of the training outputs.
    pub mean: f64,
    /// Their sample standard deviation s (1 if there is a single output or no spread).
    pub std: f64,
}

impl Standardize {
    /// Learns ȳ and s from the training outputs `y`. With one output, or outputs that are
    /// all equal (to rounding), s = 1: the outputs are shifted, not blown up.
    ///
    /// # Errors
    /// [`Error::Empty`] for no outputs, [`Error::NonFinite`] for NaN or infinity, or if the
    /// mean or the spread overflows.
    pub fn learn(y: ArrayView1<'_, f64>) -> Result<Self> {
        if y.is_empty() {
            return Err(Error::Empty { context: "Standardize::learn" });
        }
        if y.iter().any(|v| !v.is_finite()) {
            return Err(Error::NonFinite { context: "Standardize::learn" });
        }
        // Outputs near ±1e308 would overflow the sum of squares: scale them down first.
        let big = y.iter().fold(0.0_f64, |m, v| m.max(v.abs()));
        let unit = if big > 1e150 { big } else { 1.0 };
        let n = y.len() as f64;
        let mean = y.mapv(|v| v / unit).sum() / n;
        let var = if y.len() > 1 {
            y.mapv(|v| (v / unit - mean).powi(2)).sum() / (n - 1.0)
        } else {
            0.0
        };
        let (mean, std) = (mean * unit, var.sqrt() * unit);
        let std = if std > MIN_RELATIVE_RANGE * big && std.is_finite() {
            std
        } else {
            1.0
        };
        if !mean.is_finite() {
            return Err(Error::NonFinite {
                context: "Standardize::learn: the mean",
            });
        }
        Ok(Standardize { mean, std })
    }

    /// The identity, ȳ = 0 and s = 1: outputs reach the model as they are.
    pub fn identity() -> Self {
        Standardize { mean: 0.0, std: 1.0 }
    }

    /// (y − ȳ)/s for each output.
    pub fn apply(&self, y: ArrayView1<'_, f64>) -> Array1<f64> {
        y.mapv(|v| (v - self.mean) / self.std)
    }

    /// ȳ + s·yₙ: a value (or a mean) back in data units.
    pub fn untransform(&self, yn: f64) -> f64 {
        self.mean + self.std * yn
    }

    /// s²·v: a variance back in data units.
    pub fn untransform_variance(&self, vn: f64) -> f64 {
        self.std * self.std * vn
    }

    /// v/s²: a variance (such as a known noise variance) in standardised units.
    pub fn apply_variance(&self, v: f64) -> f64 {
        v / (self.std * self.std)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn transforms_match_their_definitions() {
        let x = array![[0.0, 5.0], [2.0, 5.0], [4.0, 5.0]];
        let n = Normalize::learn(x.view()).unwrap();
        assert_eq!(
            n.apply(x.view()).unwrap(),
            array![[0.0, 0.0], [0.5, 0.0], [1.0, 0.0]]
        );
        assert_eq!(n.untransform(n.apply(x.view()).unwrap().view()).unwrap(), x);
        let s = Standardize::learn(array![1.0, 2.0, 3.0, 4.0, 5.0, 6.0].view())
            .unwrap();
        assert!(
            (s.mean - 3.5).abs() < 1e-15 && (s.std - 3.5_f64.sqrt()).abs() < 1e-15
        );
        assert_eq!(s.untransform(s.apply(array![2.5].view())[0]), 2.5);
        assert!(
            (s.untransform_variance(s.apply_variance(0.3)) - 0.3).abs() < 1e-16
        );
    }

    #[test]
    fn the_identities_change_nothing() {
        let x = array![[-3.0, 250.0], [1.5, -7.0]];
        let n = Normalize::identity(2);
        assert_eq!(n.apply(x.view()).unwrap(), x);
        assert_eq!(n.untransform(x.view()).unwrap(), x);
        assert_eq!(n.range(), &array![1.0, 1.0]);
        assert!(n.apply(array![[1.0]].view()).is_err());
        let s = Standardize::identity();
        let y = array![-0.4, 0.2, 3.0];
        assert_eq!(s.apply(y.view()), y);
        assert_eq!((s.untransform(0.7), s.untransform_variance(0.3)), (0.7, 0.3));
    }

    #[test]
    fn a_wrong_width_is_an_error_not_a_broadcast() {
        // Learned on two columns, a one-column input used to be broadcast to both (wrong
        // predictions) and a three-column input used to panic.
        let n = Normalize::learn(array![[0.0, 0.0], [1.0, 10.0]].view()).unwrap();
        for bad in [Array2::<f64>::zeros((4, 1)), Array2::zeros((4, 3))] {
            assert!(matches!(
                n.apply(bad.view()),
                Err(Error::ShapeMismatch { .. })
            ));
            assert!(matches!(
                n.untransform(bad.view()),
                Err(Error::ShapeMismatch { .. })
            ));
        }
        assert!(n.gradient_to_data(array![1.0].view()).is_err());
        assert!(matches!(
            n.apply(array![[f64::NAN, 0.0]].view()),
            Err(Error::NonFinite { .. })
        ));
    }

    #[test]
    fn from_bounds_is_fixed_by_the_box() {
        let b = Bounds::new(array![-5.0, 0.0], array![10.0, 15.0]).unwrap();
        let n = Normalize::from_bounds(&b);
        let u = n.apply(array![[-5.0, 15.0], [2.5, 7.5]].view()).unwrap();
        assert_eq!(u, array![[0.0, 1.0], [0.5, 0.5]]);
        // ∂/∂x = ∂/∂xₙ / 15 in both columns.
        assert_eq!(
            n.gradient_to_data(array![15.0, 30.0].view()).unwrap(),
            array![1.0, 2.0]
        );
    }

    #[test]
    fn extreme_scales_stay_finite_or_are_refused() {
        // Outputs near the top of the double range: the plain sum of squares would overflow.
        let y = array![1e308, -1e308, 5e307];
        let s = Standardize::learn(y.view()).unwrap();
        assert!(s.mean.is_finite() && s.std.is_finite() && s.std > 1e307);
        assert!(s.apply(y.view()).iter().all(|v| v.is_finite() && v.abs() < 2.0));
        // Constant and single outputs: shifted, not scaled.
        let c = Standardize::learn(array![3.0, 3.0, 3.0].view()).unwrap();
        assert_eq!((c.mean, c.std), (3.0, 1.0));
        assert_eq!(Standardize::learn(array![7.0].view()).unwrap().std, 1.0);
        assert!(Standardize::learn(array![].view()).is_err());
        // Inputs whose range overflows are refused; a column with a tiny spread around a
        // large value is treated as constant.
        assert!(Normalize::learn(array![[-1e308], [1e308]].view()).is_err());
        let n = Normalize::learn(array![[1e10], [1e10 + 1e-3]].view()).unwrap();
        assert_eq!(n.range()[0], 1.0);
        let tiny = Normalize::learn(array![[0.0], [1e-300]].view()).unwrap();
        assert!(
            (tiny.apply(array![[5e-301]].view()).unwrap()[[0, 0]] - 0.5).abs()
                < 1e-15
        );
    }
}
