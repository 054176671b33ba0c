//! A box of inputs, lower ≤ x ≤ upper coordinate by coordinate: where a test problem is
//! defined, where an acquisition function is optimised, and what a Bayesian-optimisation loop
//! searches.

use crate::{Error, Result};
use ndarray::{Array1, Array2, ArrayView1, ArrayView2, ArrayViewMut1, Zip};

/// The box [l₁, u₁] × … × [l_d, u_d], with every lᵢ < uᵢ finite and every width uᵢ − lᵢ finite.
#[derive(Debug, Clone, PartialEq)]
pub struct Bounds {
    lower: Array1<f64>,
    upper: Array1<f64>,
}

impl Bounds {
    /// The box with corners `lower` and `upper`.
    ///
    /// # Errors
    /// [`Error::Empty`] for no coordinate, [`Error::ShapeMismatch`] if the corners differ in
    /// length, [`Error::NonFinite`] for a non-finite corner, [`Error::InvalidInput`] if some
    /// lᵢ ≥ uᵢ or a width uᵢ − lᵢ overflows.
    pub fn new(lower: Array1<f64>, upper: Array1<f64>) -> Result<Self> {
        if lower.is_empty() {
            return Err(Error::Empty { context: "Bounds" });
        }
        if lower.len() != upper.len() {
            return Err(Error::ShapeMismatch {
                context: "Bounds: lower and upper corners",
                expected: vec![lower.len()],
                found: vec![upper.len()],
            });
        }
        if lower.iter().chain(&upper).any(|v| !v.is_finite()) {
            return Err(Error::NonFinite { context: "Bounds" });
        }
        for (i, (l, u)) in lower.iter().zip(&upper).enumerate() {
            if l >= u {
                return Err(Error::InvalidInput {
                    context: "Bounds",
                    reason: format!(
                        "coordinate {i}: the lower bound {l} is not below the upper bound {u}"
                    ),
                });
            }
            if !(u - l).is_finite() {
                return Err(Error::InvalidInput {
                    context: "Bounds",
                    reason: format!(
                        "coordinate {i}: the width {u} − ({l}) overflows"
                    ),
                });
            }
        }
        Ok(Bounds { lower, upper })
    }

    /// The cube [lo, hi]ᵈ.
    ///
    /// # Errors
    /// As for [`Bounds::new`]; [`Error::Empty`] for d = 0.
    pub fn cube(dim: usize, lo: f64, hi: f64) -> Result<Self> {
        Bounds::new(Array1::from_elem(dim, lo), Array1::from_elem(dim, hi))
    }

    /// The unit cube [0, 1]ᵈ.
    ///
    /// # Errors
    /// [`Error::Empty`] for d = 0.
    pub fn unit(dim: usize) -> Result<Self> {
        Bounds::cube(dim, 0.0, 1.0)
    }

    /// The number of coordinates d.
    pub fn dim(&self) -> usize {
        self.lower.len()
    }

    /// The lower corner.
    pub fn lower(&self) -> &Array1<f64> {
        &self.lower
    }

    /// The upper corner.
    pub fn upper(&self) -> &Array1<f64> {
        &self.upper
    }

    /// The widths uᵢ − lᵢ.
    pub fn widths(&self) -> Array1<f64> {
        &self.upper - &self.lower
    }

    /// Whether `x` has d finite coordinates, each within its bounds.
    pub fn contains(&self, x: ArrayView1<'_, f64>) -> bool {
        x.len() == self.dim()
            && Zip::from(&x)
                .and(&self.lower)
                .and(&self.upper)
                .all(|v, l, u| v.is_finite() && l <= v && v <= u)
    }

    /// Checks that the rows of `x` are points of the box.
    ///
    /// # Errors
    /// [`Error::ShapeMismatch`] unless `x` has d columns, [`Error::NonFinite`] for a non-finite
    /// entry, [`Error::InvalidInput`] naming the first row outside the box.
    pub fn check_points(
        &self,
        x: ArrayView2<'_, f64>,
        context: &'static str,
    ) -> Result<()> {
        crate::error::check_points(x, self.dim(), context)?;
        match x.rows().into_iter().position(|row| !self.contains(row)) {
            None => Ok(()),
            Some(i) => Err(Error::InvalidInput {
                context,
                reason: format!("row {i}, {}, lies outside the bounds", x.row(i)),
            }),
        }
    }

    /// Moves each coordinate of `x` to the nearest point of its interval (the projection onto
    /// the box). `x` must have d coordinates; a NaN stays NaN.
    pub fn clamp(&self, mut x: ArrayViewMut1<'_, f64>) {
        Zip::from(&mut x)
            .and(&self.lower)
            .and(&self.upper)
            .for_each(|v, &l, &u| *v = v.clamp(l, u));
    }

    /// Maps points of the unit cube (rows of `u`) into the box: l + u ⊙ (u − l).
    ///
    /// # Errors
    /// [`Error::ShapeMismatch`] unless `u` has d columns.
    pub fn from_unit(&self, u: ArrayView2<'_, f64>) -> Result<Array2<f64>> {
        self.check_width(u, "Bounds::from_unit")?;
        let mut x = &u * &self.widths() + &self.lower;
        // Rounding can carry l + 1·(u − l) a hair past u: points of the box stay in it.
        for mut row in x.rows_mut() {
            self.clamp(row.view_mut());
        }
        Ok(x)
    }

    /// Maps points of the box (rows of `x`) to the unit cube: (x − l) ⊘ (u − l).
    ///
    /// # Errors
    /// [`Error::ShapeMismatch`] unless `x` has d columns.
    pub fn to_unit(&self, x: ArrayView2<'_, f64>) -> Result<Array2<f64>> {
        self.check_width(x, "Bounds::to_unit")?;
        Ok((&x - &self.lower) / &self.widths())
    }

    fn check_width(
        &self,
        x: ArrayView2<'_, f64>,
        context: &'static str,
    ) -> Result<()> {
        if x.ncols() == self.dim() {
            Ok(())
        } else {
            Err(Error::ShapeMismatch {
                context,
                expected: vec![x.nrows(), self.dim()],
                found: x.shape().to_vec(),
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn bad_corners_are_refused_with_the_reason() {
        let ok = Bounds::new(array![-5.0, 0.0], array![10.0, 15.0]).unwrap();
        assert_eq!(ok.widths(), array![15.0, 15.0]);
        assert!(matches!(
            Bounds::new(array![], array![]),
            Err(Error::Empty { .. })
        ));
        assert!(matches!(
            Bounds::new(array![0.0], array![1.0, 2.0]),
            Err(Error::ShapeMismatch { .. })
        ));
        assert!(matches!(
            Bounds::new(array![f64::NAN], array![1.0]),
            Err(Error::NonFinite { .. })
        ));
        assert!(matches!(
            Bounds::new(array![1.0], array![1.0]),
            Err(Error::InvalidInput { .. })
        ));
        assert!(matches!(
            Bounds::new(array![-1e308], array![1e308]),
            Err(Error::InvalidInput { .. })
        ));
    }

    #[test]
    fn the_unit_maps_are_inverse_and_stay_in_the_box() {
        let b = Bounds::new(array![-5.0, 0.0], array![10.0, 15.0]).unwrap();
        let u = array![[0.0, 1.0], [0.25, 0.5], [1.0, 0.0]];
        let x = b.from_unit(u.view()).unwrap();
        assert_eq!(x, array![[-5.0, 15.0], [-1.25, 7.5], [10.0, 0.0]]);
        assert_eq!(b.to_unit(x.view()).unwrap(), u);
        assert!(b.check_points(x.view(), "test").is_ok());
        // A box near the top of the double range: l + 1·(u − l) is rounded back into it.
        let tiny =
            Bounds::new(array![1e300], array![1e300 * (1.0 + 1e-15)]).unwrap();
        let top = tiny.from_unit(array![[1.0], [0.3]].view()).unwrap();
        assert!(top.iter().all(|&v| tiny.contains(array![v].view())));
        assert!(matches!(
            b.from_unit(array![[0.5]].view()),
            Err(Error::ShapeMismatch { .. })
        ));
    }

    #[test]
    fn points_outside_are_named() {
        let b = Bounds::unit(2).unwrap();
        let err = b.check_points(array![[0.5, 0.5], [0.5, 1.5]].view(), "check");
        match err {
            Err(Error::InvalidInput { reason, .. }) => {
                assert!(reason.contains("row 1"))
            }
            other => panic!("expected InvalidInput, got {other:?}"),
        }
        let mut x = array![-0.5, 2.0];
        b.clamp(x.view_mut());
        assert_eq!(x, array![0.0, 1.0]);
    }
}
