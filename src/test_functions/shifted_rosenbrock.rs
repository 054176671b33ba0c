//! Part 5's benchmark: Rosenbrock's valley moved so that its minimum lies inside a small box,
//! at a different place in every coordinate, in any dimension d ≥ 2.

use super::{rosenbrock_sum, TestProblem};
use crate::numeric::linspace;
use crate::{Bounds, Error, Result};
use ndarray::{Array1, ArrayView1};

/// The shifted Rosenbrock function on [−2, 2]ᵈ, d ≥ 2: with centres
/// c = linspace(−1.5, 1.5, d) and z = x − c + 1,
/// R(x) = Σᵢ₌₁ᵈ⁻¹ [100 (zᵢ₊₁ − zᵢ²)² + (1 − zᵢ)²].
///
/// It is [`Rosenbrock`](super::Rosenbrock) in z, so R* = 0 at z = 1, that is at x = c,
/// which lies inside the box; the centres are spread evenly over [−1.5, 1.5] so that no
/// two coordinates of the minimiser coincide and no corner or centre of the box is special.
/// Over the box R spans five orders of magnitude: R(0) = 2541.65625 and the largest corner
/// value is 57563.65625 for d = 5. Beyond about |x| = 10⁷⁷ the fourth powers overflow,
/// which [`TestProblem::value`] reports as an error.
#[derive(Debug, Clone)]
pub struct ShiftedRosenbrock {
    bounds: Bounds,
    centres: Array1<f64>,
}

impl ShiftedRosenbrock {
    /// The problem in d dimensions.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] for d < 2 (the sum would be empty).
    pub fn new(dim: usize) -> Result<Self> {
        if dim < 2 {
            return Err(Error::InvalidInput {
                context: "ShiftedRosenbrock::new",
                reason: format!(
                    "d = {dim}: the function needs at least two variables"
                ),
            });
        }
        Ok(ShiftedRosenbrock {
            bounds: Bounds::cube(dim, -2.0, 2.0)?,
            centres: Array1::from(linspace(-1.5, 1.5, dim)),
        })
    }

    /// The centres c = linspace(−1.5, 1.5, d): the minimiser.
    pub fn centres(&self) -> &Array1<f64> {
        &self.centres
    }
}

impl TestProblem for ShiftedRosenbrock {
    fn name(&self) -> String {
        format!("Shifted Rosenbrock-{}", self.dim())
    }
    fn bounds(&self) -> &Bounds {
        &self.bounds
    }
    fn optimal_value(&self) -> f64 {
        0.0
    }
    fn optimisers(&self) -> Vec<Array1<f64>> {
        vec![self.centres.clone()]
    }
    fn formula(&self, x: ArrayView1<'_, f64>) -> f64 {
        let z = &x - &self.centres + 1.0;
        rosenbrock_sum(z.view())
    }
}

#[cfg(test)]
mod tests {
    use super::super::check;
    use super::*;
    use ndarray::{array, Array1};

    fn close(got: f64, want: f64, tol: f64) {
        assert!((got - want).abs() <= tol, "{got} ≠ {want}");
    }

    #[test]
    fn the_centres_and_the_value_at_the_origin() {
        // Part 5's reference values: R(0) for d = 2, 4, 5, 8 (exact in binary for d ≤ 5,
        // where the centres are multiples of 1/4; to 5 decimals for d = 8).
        for (d, want, tol) in [
            (2, 4558.5, 0.0),
            (4, 2621.5, 1e-9),
            (5, 2541.65625, 0.0),
            (8, 2756.79446, 5e-6),
        ] {
            let r = ShiftedRosenbrock::new(d).unwrap();
            close(r.value(Array1::zeros(d).view()).unwrap(), want, tol);
        }
        let centres = |d| ShiftedRosenbrock::new(d).unwrap().centres().to_vec();
        assert_eq!(centres(2), [-1.5, 1.5]);
        let c4 = centres(4);
        assert!(c4
            .iter()
            .zip([-1.5, -0.5, 0.5, 1.5])
            .all(|(a, b)| (a - b).abs() < 1e-15));
        assert_eq!(centres(5), [-1.5, -0.75, 0.0, 0.75, 1.5]);
        let c8 = centres(8);
        assert!(c8.windows(2).all(|w| (w[1] - w[0] - 3.0 / 7.0).abs() < 1e-15));
    }

    #[test]
    fn corners_in_five_dimensions() {
        let r = ShiftedRosenbrock::new(5).unwrap();
        let low = r.value(Array1::from_elem(5, -2.0).view()).unwrap();
        let high = r.value(Array1::from_elem(5, 2.0).view()).unwrap();
        assert_eq!((low, high), (4001.65625, 45313.65625));
        // All 32 corners: the largest is 57563.65625.
        let largest = (0..32u32)
            .map(|bits| {
                let x = Array1::from_shape_fn(5, |i| {
                    if bits >> i & 1 == 1 {
                        2.0
                    } else {
                        -2.0
                    }
                });
                r.value(x.view()).unwrap()
            })
            .fold(f64::MIN, f64::max);
        assert_eq!(largest, 57563.65625);
    }

    #[test]
    fn a_strict_global_minimum_of_zero_at_the_centres() {
        for d in [2, 3, 5, 8] {
            let r = ShiftedRosenbrock::new(d).unwrap();
            check::global_minimum(&r, 0.0);
            check::stationary(&r, 1e-6, 1e-4);
            check::refuses_bad_points(&r);
        }
    }

    #[test]
    fn it_is_rosenbrock_in_the_shifted_variables() {
        // z = x − c + 1 = (0, 0, 0) gives Rosenbrock's 2; z = (−1.2, 1, 1) gives 24.2.
        let r = ShiftedRosenbrock::new(3).unwrap();
        let c = r.centres().clone();
        close(r.value((&c - 1.0).view()).unwrap(), 2.0, 1e-12);
        let x = &c + &array![-2.2, 0.0, 0.0];
        close(r.value(x.view()).unwrap(), 24.2, 1e-12);
        // The gradient at a point away from the minimum, by central differences, matches
        // the closed form of Rosenbrock's in z (the chain rule through z = x − c + 1 is 1).
        let x = array![0.3, -0.4, 1.1];
        let z = &x - &c + 1.0;
        let g = check::gradient(&r, &x, 1e-6);
        let want = [
            -400.0 * z[0] * (z[1] - z[0] * z[0]) - 2.0 * (1.0 - z[0]),
            200.0 * (z[1] - z[0] * z[0])
                - 400.0 * z[1] * (z[2] - z[1] * z[1])
                - 2.0 * (1.0 - z[1]),
            200.0 * (z[2] - z[1] * z[1]),
        ];
        for (g, w) in g.iter().zip(want) {
            close(*g, w, 1e-5 * w.abs().max(1.0));
        }
    }

    #[test]
    fn bad_dimensions_are_refused() {
        for d in [0, 1] {
            assert!(matches!(
                ShiftedRosenbrock::new(d),
                Err(Error::InvalidInput { .. })
            ));
        }
        let r = ShiftedRosenbrock::new(2).unwrap();
        let err = r.value(array![1e300, 1.0].view()).unwrap_err();
        assert!(
            err.to_string().contains("Shifted Rosenbrock-2 overflows"),
            "{err}"
        );
    }
}
