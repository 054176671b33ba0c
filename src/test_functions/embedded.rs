//! A problem placed in a box of higher dimension: its inputs are read from chosen
//! coordinates and every other coordinate is inert, the standard test of whether a method
//! finds the few inputs that matter (Hartmann-6 in 30 dimensions, Branin in 30 in BoTorch's
//! SAASBO tutorial).

use super::TestProblem;
use crate::{Bounds, Error, Result};
use ndarray::{Array1, ArrayView1};

/// A d-dimensional problem read from d chosen coordinates of a D-dimensional box, the
/// other D − d coordinates inert: f(x) = g(x\[c₁\], …, x\[c_d\]).
///
/// The box is the inner problem's interval on each active coordinate and [0, 1] on each
/// inert one, so the inner problem's minimum f* is kept and reached wherever the active
/// coordinates are at a minimiser of the inner problem, whatever the inert ones are.
/// [`TestProblem::optimisers`] therefore lists one point per inner minimiser, with the inert
/// coordinates at 0.5, the centre of their interval: a representative of each minimising
/// face, not every minimiser.
///
/// [`Embedded::spread`] chooses the active coordinates as the centre of each of d equal
/// blocks of the D, ⌊(k + ½)·D/d⌋ for k = 0, …, d − 1: coordinates 2, 7, 12, 17, 22 and 27
/// (counting from 0) for Hartmann-6 in 30 dimensions, the set that the BoTorch baselines of
/// `benches/python/quality.py` use too.
#[derive(Debug, Clone)]
pub struct Embedded<P> {
    inner: P,
    coordinates: Vec<usize>,
    bounds: Bounds,
}

impl<P: TestProblem> Embedded<P> {
    /// `inner` read from `coordinates` (one per inner variable, in the inner problem's
    /// order, counting from 0) of a box of `dim` coordinates.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] unless there is one coordinate per inner variable, each
    /// below `dim` and none repeated.
    pub fn new(inner: P, dim: usize, coordinates: &[usize]) -> Result<Self> {
        let refuse = |reason: String| Error::InvalidInput {
            context: "Embedded::new",
            reason,
        };
        if coordinates.len() != inner.dim() {
            return Err(refuse(format!(
                "{} has {} variables but {} coordinates were given",
                inner.name(),
                inner.dim(),
                coordinates.len()
            )));
        }
        if let Some(&c) = coordinates.iter().find(|&&c| c >= dim) {
            return Err(refuse(format!(
                "coordinate {c} is outside a box of {dim} coordinates (counted from 0)"
            )));
        }
        for (k, c) in coordinates.iter().enumerate() {
            if coordinates[..k].contains(c) {
                return Err(refuse(format!("coordinate {c} is given twice")));
            }
        }
        let mut lower = Array1::zeros(dim);
        let mut upper = Array1::ones(dim);
        for (j, &c) in coordinates.iter().enumerate() {
            lower[c] = inner.bounds().lower()[j];
            upper[c] = inner.bounds().upper()[j];
        }
        let bounds = Bounds::new(lower, upper)?;
        Ok(Embedded { inner, coordinates: coordinates.to_vec(), bounds })
    }

    /// `inner` read from the centre coordinate of each of d equal blocks of `dim`,
    /// ⌊(k + ½)·dim/d⌋ for k = 0, …, d − 1.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] when `dim` is below the inner dimension d.
    pub fn spread(inner: P, dim: usize) -> Result<Self> {
        let d = inner.dim();
        if dim < d {
            return Err(Error::InvalidInput {
                context: "Embedded::spread",
                reason: format!(
                    "{} has {d} variables, more than the {dim} coordinates of the box",
                    inner.name()
                ),
            });
        }
        let coordinates: Vec<usize> =
            (0..d).map(|k| (2 * k + 1) * dim / (2 * d)).collect();
        Embedded::new(inner, dim, &coordinates)
    }

    /// The coordinates the inner problem reads, in its variables' order.
    pub fn coordinates(&self) -> &[usize] {
        &self.coordinates
    }

    /// The embedded problem.
    pub fn inner(&self) -> &P {
        &self.inner
    }
}

impl<P: TestProblem> TestProblem for Embedded<P> {
    fn name(&self) -> String {
        format!("{} in {}-D", self.inner.name(), self.dim())
    }
    fn bounds(&self) -> &Bounds {
        &self.bounds
    }
    fn optimal_value(&self) -> f64 {
        self.inner.optimal_value()
    }
    fn optimisers(&self) -> Vec<Array1<f64>> {
        self.inner
            .optimisers()
            .into_iter()
            .map(|z| {
                let mut x = Array1::from_elem(self.dim(), 0.5);
                for (&c, &v) in self.coordinates.iter().zip(&z) {
                    x[c] = v;
                }
                x
            })
            .collect()
    }
    fn formula(&self, x: ArrayView1<'_, f64>) -> f64 {
        let z: Array1<f64> = self.coordinates.iter().map(|&c| x[c]).collect();
        self.inner.formula(z.view())
    }
}

#[cfg(test)]
mod tests {
    use super::super::check;
    use super::super::{Ackley, Branin, Hartmann6, Rosenbrock};
    use super::*;
    use ndarray::array;

    fn hartmann6_in_30() -> Embedded<Hartmann6> {
        Embedded::spread(Hartmann6::new(), 30).unwrap()
    }

    #[test]
    fn spread_coordinates_are_the_block_centres() {
        let p = hartmann6_in_30();
        assert_eq!(p.coordinates(), &[2, 7, 12, 17, 22, 27]);
        assert_eq!(p.name(), "Hartmann-6 in 30-D");
        assert_eq!(p.dim(), 30);
        // Branin in 30: blocks of 15, centres 7 and 22; in its own dimension, the identity.
        assert_eq!(
            Embedded::spread(Branin::new(), 30).unwrap().coordinates(),
            &[7, 22]
        );
        let same = Embedded::spread(Branin::new(), 2).unwrap();
        assert_eq!(same.coordinates(), &[0, 1]);
        // Uneven blocks: 3 in 10 gives ⌊5/3⌋, ⌊15/3⌋, ⌊25/3⌋.
        let ackley = Embedded::spread(Ackley::new(3).unwrap(), 10).unwrap();
        assert_eq!(ackley.coordinates(), &[1, 5, 8]);
    }

    #[test]
    fn the_box_keeps_the_inner_intervals_and_adds_unit_ones() {
        let p = Embedded::new(Branin::new(), 4, &[3, 1]).unwrap();
        assert_eq!(p.bounds().lower(), &array![0.0, 0.0, 0.0, -5.0]);
        assert_eq!(p.bounds().upper(), &array![1.0, 15.0, 1.0, 10.0]);
        // The inner variables' order is the coordinates' order, not the box's.
        let v =
            p.value(array![0.9, 2.275, 0.1, std::f64::consts::PI].view()).unwrap();
        assert!((v - Branin::new().optimal_value()).abs() < 1e-14, "{v}");
    }

    #[test]
    fn values_are_the_inner_values_whatever_the_inert_coordinates() {
        let p = hartmann6_in_30();
        let inner = Hartmann6::new();
        let z = array![0.1, 0.9, 0.3, 0.7, 0.5, 0.2];
        let want = inner.value(z.view()).unwrap();
        for fill in [0.0, 0.37, 1.0, -4.0] {
            let mut x = Array1::from_elem(30, fill);
            for (&c, &v) in p.coordinates().iter().zip(&z) {
                x[c] = v;
            }
            assert_eq!(p.value(x.view()).unwrap(), want);
        }
        assert_eq!(p.optimal_value(), Hartmann6::MINIMUM);
        check::global_minimum(&p, 1e-15);
        check::refuses_bad_points(&p);
        // Branin's three minimisers are three representatives, each at f*.
        let b = Embedded::spread(Branin::new(), 5).unwrap();
        assert_eq!(b.optimisers().len(), 3);
        check::global_minimum(&b, 1e-14);
    }

    #[test]
    fn agrees_with_botorch() {
        // BoTorch 0.18.1's Hartmann(dim=6) at coordinates 2, 7, …, 27 of the 30-D
        // reference points, printed by benches/python/test_function_reference.py.
        let want =
            [-0.3223871163097799, -0.005191207996607803, -1.4810912843399349];
        check::agrees_with_botorch(&hartmann6_in_30(), want, 1e-14);
    }

    #[test]
    fn overflow_is_reported_under_the_embedded_name() {
        let p = Embedded::spread(Rosenbrock::new(2).unwrap(), 3).unwrap();
        assert_eq!(p.coordinates(), &[0, 2]);
        let err = p.value(array![1e300, 0.5, 1.0].view()).unwrap_err();
        assert!(err.to_string().contains("Rosenbrock-2 in 3-D overflows"), "{err}");
        // A huge inert coordinate changes nothing.
        assert_eq!(p.value(array![1.0, 1e300, 1.0].view()).unwrap(), 0.0);
    }

    #[test]
    fn bad_coordinates_are_refused() {
        let bad = |coordinates: &[usize]| {
            matches!(
                Embedded::new(Branin::new(), 5, coordinates),
                Err(Error::InvalidInput { .. })
            )
        };
        assert!(bad(&[0]));
        assert!(bad(&[0, 1, 2]));
        assert!(bad(&[0, 5]));
        assert!(bad(&[3, 3]));
        assert!(!bad(&[4, 0]));
        assert!(matches!(
            Embedded::spread(Hartmann6::new(), 5),
            Err(Error::InvalidInput { .. })
        ));
    }
}
