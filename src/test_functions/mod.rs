//! Test functions: minimisation problems over a box whose global minimum is known, the
//! standard ones of the Bayesian-optimisation literature and the course's own objectives.
//!
//! Every problem implements [`TestProblem`] (after BoTorch's `SyntheticTestFunction`): its
//! box, its global minimum f* and every global minimiser, and its value at a point. The
//! definitions follow BoTorch and the Virtual Library of Simulation Experiments (Surjanovic
//! & Bingham). Where a published minimum is quoted to a few digits, the constants here were
//! recomputed to full double precision (40-digit arithmetic, Newton's method on the
//! gradient) and the tests check that they are minima.
//!
//! - standard problems of fixed dimension: [`Branin`], [`SixHumpCamel`], [`Hartmann6`],
//!   [`Michalewicz`];
//! - standard problems of any dimension: [`Ackley`], [`Levy`], [`Rosenbrock`],
//!   [`StyblinskiTang`], [`Griewank`];
//! - Part 5's benchmark of any dimension: [`ShiftedRosenbrock`];
//! - any problem placed at chosen coordinates of a higher-dimensional box, the other
//!   coordinates inert: [`Embedded`] (Hartmann-6 in 30 dimensions);
//! - Part 5's mixed-variable [`catalyst`] problem (a maximisation over designs, with its
//!   own types rather than [`TestProblem`]);
//! - Part 6's two-objective [`battery`] problem (efficiency and capacity of an
//!   electrolyte, both maximised, with its own types rather than [`TestProblem`]);
//! - Part 6's [`cocatalyst`] loading problems (maximisations of one design with a fidelity
//!   or a context beside it, as plain functions);
//! - Part 6's [`hierarchical`] synthesis–operation workflow (a maximisation over a finite
//!   library of pairs, as plain functions);
//! - the course's objectives: Part 3's [`RunningExample`] and chapter 13's
//!   [`HarderExample`], Part 4's [`LibraryExample`], [`ComplexFamily`] and [`TwoBasins`],
//!   with plain scalar versions ([`running_example`], [`harder_example`],
//!   [`library_example`], [`two_basins`]) for code that works on `f64`s.
//!
//! Points outside the box are evaluated too, as BoTorch does: the box is where the problem
//! is posed, not where the formula stops. What is refused is a point of the wrong length or
//! with a non-finite coordinate, and a point so far out that the formula overflows.

pub mod battery;
pub mod catalyst;
mod classic;
pub mod cocatalyst;
mod complex;
mod course;
mod embedded;
pub mod hierarchical;
mod scalable;
mod shifted_rosenbrock;

pub use classic::{
    Branin, Hartmann6, Michalewicz, SixHumpCamel, HARTMANN6_A, HARTMANN6_ALPHA,
    HARTMANN6_P,
};
pub use complex::ComplexFamily;
pub use course::{
    harder_example, library_example, running_example, two_basins, HarderExample,
    LibraryExample, RunningExample, TwoBasins,
};
pub use embedded::Embedded;
pub use scalable::{Ackley, Griewank, Levy, Rosenbrock, StyblinskiTang};
pub use shifted_rosenbrock::ShiftedRosenbrock;

pub(crate) use scalable::rosenbrock_sum;

use crate::{Bounds, Error, Result};
use ndarray::{Array1, ArrayView1, ArrayView2};
use rand::rngs::ChaCha8Rng;
use rand::{RngExt, SeedableRng};

/// A minimisation problem over a box with a known global minimum.
///
/// Implementors supply the formula; [`TestProblem::value`] wraps it with the checks every
/// caller needs.
pub trait TestProblem {
    /// A short name, with the dimension for problems of any dimension: "Branin",
    /// "Ackley-5".
    fn name(&self) -> String;

    /// The box on which the problem is posed.
    fn bounds(&self) -> &Bounds;

    /// The number of variables d.
    fn dim(&self) -> usize {
        self.bounds().dim()
    }

    /// The global minimum f* over the box.
    fn optimal_value(&self) -> f64;

    /// Every global minimiser in the box (Branin has three; most problems one).
    fn optimisers(&self) -> Vec<Array1<f64>>;

    /// The formula at `x`, which has d finite coordinates. Far outside the box it may
    /// overflow to ±∞ or NaN: call [`TestProblem::value`], which reports that as an error.
    fn formula(&self, x: ArrayView1<'_, f64>) -> f64;

    /// f(x), anywhere in ℝᵈ: inside the box or not.
    ///
    /// # Errors
    /// [`Error::ShapeMismatch`] unless `x` has d coordinates, [`Error::NonFinite`] for a
    /// non-finite coordinate, [`Error::InvalidInput`] where the formula overflows (a point
    /// so far outside the box that, say, a fourth power exceeds the double range).
    fn value(&self, x: ArrayView1<'_, f64>) -> Result<f64> {
        if x.len() != self.dim() {
            return Err(Error::ShapeMismatch {
                context: "TestProblem::value",
                expected: vec![self.dim()],
                found: vec![x.len()],
            });
        }
        if x.iter().any(|v| !v.is_finite()) {
            return Err(Error::NonFinite { context: "TestProblem::value" });
        }
        let v = self.formula(x);
        if v.is_finite() {
            Ok(v)
        } else {
            Err(overflow(&self.name(), x))
        }
    }

    /// f at each row of `x` (n × d).
    ///
    /// # Errors
    /// [`Error::ShapeMismatch`] unless `x` has d columns; otherwise as
    /// [`TestProblem::value`], for the first row that fails.
    fn values(&self, x: ArrayView2<'_, f64>) -> Result<Array1<f64>> {
        if x.ncols() != self.dim() {
            return Err(Error::ShapeMismatch {
                context: "TestProblem::values",
                expected: vec![x.nrows(), self.dim()],
                found: x.shape().to_vec(),
            });
        }
        x.rows().into_iter().map(|row| self.value(row)).collect()
    }

    /// Noisy observations at the rows of `x` (n × d): yᵢ = f(xᵢ) + scale·uᵢ with
    /// uᵢ ~ Uniform[0, 1) drawn in order from a generator seeded with `seed`. This is the
    /// course's experimental noise: one-sided, so its mean is scale/2, not zero.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] unless `scale` is finite and non-negative; otherwise as
    /// [`TestProblem::values`].
    fn observe(
        &self,
        x: ArrayView2<'_, f64>,
        scale: f64,
        seed: u64,
    ) -> Result<Array1<f64>> {
        if !(scale >= 0.0 && scale.is_finite()) {
            return Err(Error::InvalidInput {
                context: "TestProblem::observe",
                reason: format!(
                    "the noise scale must be finite and ≥ 0, got {scale}"
                ),
            });
        }
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let clean = self.values(x)?;
        let noisy = clean.mapv(|v| v + scale * rng.random::<f64>());
        match noisy.iter().position(|v| !v.is_finite()) {
            None => Ok(noisy),
            Some(i) => Err(overflow(&self.name(), x.row(i))),
        }
    }
}

fn overflow(name: &str, x: ArrayView1<'_, f64>) -> Error {
    Error::InvalidInput {
        context: "TestProblem::value",
        reason: format!(
            "{name} overflows at {x}: the point is too far outside the box for the \
             formula to be represented in double precision"
        ),
    }
}

/// The box [lo, hi]ᵈ of a problem whose bounds are constants.
fn constant_cube(dim: usize, lo: f64, hi: f64) -> Bounds {
    Bounds::cube(dim, lo, hi).expect("a constant, non-empty box")
}

/// The interior local minima of f on [a, b], with their values, from left to right: each
/// strict minimum of f on an n-interval grid is refined by golden section in its bracket,
/// then by bisection on the sign of f′ where f′ changes sign close by (which golden section
/// alone leaves about √ε from the minimiser, the limit of comparing values).
fn local_minima_1d(
    f: impl Fn(f64) -> f64,
    df: impl Fn(f64) -> f64,
    a: f64,
    b: f64,
    n: usize,
) -> Vec<(f64, f64)> {
    let xs: Vec<f64> = (0..=n).map(|k| a + (b - a) * k as f64 / n as f64).collect();
    let ys: Vec<f64> = xs.iter().map(|&x| f(x)).collect();
    let mut minima = Vec::new();
    for k in 1..n {
        if ys[k] < ys[k - 1] && ys[k] <= ys[k + 1] {
            let x = refine(&f, &df, xs[k - 1], xs[k + 1]);
            minima.push((x, f(x)));
        }
    }
    minima
}

fn refine(
    f: &impl Fn(f64) -> f64,
    df: &impl Fn(f64) -> f64,
    lo: f64,
    hi: f64,
) -> f64 {
    let x = crate::numeric::golden_section(f, lo, hi, 60);
    let h = 1e-6 * (1.0 + x.abs());
    let (mut lo, mut hi) = (x - h, x + h);
    if df(lo) < 0.0 && df(hi) > 0.0 {
        while hi - lo > f64::EPSILON * (1.0 + x.abs()) {
            let mid = 0.5 * (lo + hi);
            if mid <= lo || mid >= hi {
                break;
            }
            if df(mid) < 0.0 {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        0.5 * (lo + hi)
    } else {
        x
    }
}

/// Checks shared by the tests of every problem.
#[cfg(test)]
pub(crate) mod check {
    use super::TestProblem;
    use crate::numeric::central_difference;
    use ndarray::{Array1, Array2};
    use rand::rngs::ChaCha8Rng;
    use rand::{RngExt, SeedableRng};

    /// f at every stated minimiser is f* to `tol` (relative to max(1, |f*|)), every
    /// minimiser lies in the box, and no point of a grid (d ≤ 2) or of 10 000 seeded
    /// uniform points of the box is below f* − `tol`.
    pub fn global_minimum(p: &dyn TestProblem, tol: f64) {
        let f_star = p.optimal_value();
        let scale = f_star.abs().max(1.0);
        let optimisers = p.optimisers();
        assert!(!optimisers.is_empty(), "{}", p.name());
        for x in &optimisers {
            assert!(p.bounds().contains(x.view()), "{}: {x}", p.name());
            let v = p.value(x.view()).unwrap();
            assert!(
                (v - f_star).abs() <= tol * scale,
                "{}: f({x}) = {v}",
                p.name()
            );
        }
        let points = sample(p);
        let values = p.values(points.view()).unwrap();
        let lowest = values.iter().copied().fold(f64::INFINITY, f64::min);
        assert!(
            lowest >= f_star - tol * scale,
            "{}: {lowest} < {f_star}",
            p.name()
        );
    }

    /// A grid of 100 001 points (d = 1), 501² points (d = 2), or 10 000 seeded uniform
    /// points of the box (d > 2).
    pub fn sample(p: &dyn TestProblem) -> Array2<f64> {
        let (lo, hi) = (p.bounds().lower(), p.bounds().upper());
        let at = |i: usize, k: usize, n: usize| {
            lo[i] + (hi[i] - lo[i]) * k as f64 / (n - 1) as f64
        };
        match p.dim() {
            1 => Array2::from_shape_fn((100_001, 1), |(k, _)| at(0, k, 100_001)),
            2 => Array2::from_shape_fn((501 * 501, 2), |(k, j)| {
                at(j, if j == 0 { k / 501 } else { k % 501 }, 501)
            }),
            d => {
                let mut rng = ChaCha8Rng::seed_from_u64(2024);
                let u = Array2::from_shape_fn((10_000, d), |_| rng.random::<f64>());
                p.bounds().from_unit(u.view()).unwrap()
            }
        }
    }

    /// Central differences of f at `x` in each coordinate, with relative step h.
    pub fn gradient(p: &dyn TestProblem, x: &Array1<f64>, h: f64) -> Array1<f64> {
        central_difference(|x| p.value(x.view()).unwrap(), x, h)
    }

    /// The stated minimisers are stationary (central differences below `tol`) and no
    /// neighbour at distance `step` along a coordinate is lower.
    pub fn stationary(p: &dyn TestProblem, tol: f64, step: f64) {
        for x in p.optimisers() {
            let g = gradient(p, &x, 1e-6);
            assert!(g.iter().all(|v| v.abs() < tol), "{}: ∇f({x}) ≈ {g}", p.name());
            let v = p.value(x.view()).unwrap();
            for i in 0..x.len() {
                for s in [-step, step] {
                    let mut y = x.clone();
                    y[i] += s;
                    assert!(p.value(y.view()).unwrap() > v, "{}: {y}", p.name());
                }
            }
        }
    }

    /// u_k[i] = ((i + 1)(2k + 3) mod 17) / 17, k = 0, 1, 2: exact points of the unit cube
    /// shared with benches/python/test_function_reference.py.
    pub fn reference_points(d: usize) -> Vec<Array1<f64>> {
        (0..3)
            .map(|k| {
                Array1::from_shape_fn(d, |i| {
                    ((i + 1) * (2 * k + 3) % 17) as f64 / 17.0
                })
            })
            .collect()
    }

    /// f at `reference_points` mapped to the box, beside BoTorch's values.
    pub fn agrees_with_botorch(p: &dyn TestProblem, want: [f64; 3], tol: f64) {
        let (lo, hi) = (p.bounds().lower(), p.bounds().upper());
        for (u, want) in reference_points(p.dim()).into_iter().zip(want) {
            let x = lo + &(u * &(hi - lo));
            let got = p.value(x.view()).unwrap();
            assert!(
                (got - want).abs() <= tol * want.abs().max(1.0),
                "{}: {got} ≠ {want}",
                p.name()
            );
        }
    }

    /// Wrong lengths and non-finite coordinates are errors; points far outside the box
    /// give a finite value or an error, never ∞ or NaN.
    pub fn refuses_bad_points(p: &dyn TestProblem) {
        use crate::Error;
        let d = p.dim();
        let short = Array1::zeros(d + 1);
        assert!(matches!(p.value(short.view()), Err(Error::ShapeMismatch { .. })));
        let mut nan = Array1::zeros(d);
        nan[0] = f64::NAN;
        assert!(matches!(p.value(nan.view()), Err(Error::NonFinite { .. })));
        nan[0] = f64::INFINITY;
        assert!(matches!(p.value(nan.view()), Err(Error::NonFinite { .. })));
        let wide = Array2::<f64>::zeros((3, d + 1));
        assert!(matches!(p.values(wide.view()), Err(Error::ShapeMismatch { .. })));
        for scale in [1e3, 1e8, 1e30, 1e150, 1e200, 1e300, f64::MAX] {
            for sign in [1.0, -1.0] {
                let x = Array1::from_shape_fn(d, |i| {
                    sign * scale * if i % 2 == 0 { 1.0 } else { -0.7 }
                });
                match p.value(x.view()) {
                    Ok(v) => assert!(v.is_finite(), "{}: {v}", p.name()),
                    Err(Error::InvalidInput { reason, .. }) => {
                        assert!(reason.contains("overflows"), "{reason}")
                    }
                    Err(e) => panic!("{}: {e}", p.name()),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn observations_add_seeded_one_sided_uniform_noise() {
        let p = LibraryExample::new();
        let x = array![[-1.5], [0.0], [1.5], [2.0]];
        let clean = p.values(x.view()).unwrap();
        let noisy = p.observe(x.view(), 0.03, 7).unwrap();
        // The same seed gives the same draws, in order: u = (y − f)/scale.
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        for (y, f) in noisy.iter().zip(&clean) {
            let u: f64 = rng.random();
            assert!((y - f - 0.03 * u).abs() < 1e-15);
            assert!((0.0..0.03).contains(&(y - f)), "one-sided: {}", y - f);
        }
        assert_eq!(noisy, p.observe(x.view(), 0.03, 7).unwrap());
        assert_ne!(noisy, p.observe(x.view(), 0.03, 8).unwrap());
        assert_eq!(p.observe(x.view(), 0.0, 7).unwrap(), clean);
    }

    #[test]
    fn observations_refuse_a_bad_scale_or_bad_points() {
        let p = LibraryExample::new();
        let x = array![[0.0], [1.0]];
        for scale in [-0.1, f64::NAN, f64::INFINITY] {
            assert!(matches!(
                p.observe(x.view(), scale, 0),
                Err(Error::InvalidInput { .. })
            ));
        }
        let wide = array![[0.0, 1.0]];
        assert!(matches!(
            p.observe(wide.view(), 0.03, 0),
            Err(Error::ShapeMismatch { .. })
        ));
        // The largest scale still gives finite observations (u < 1).
        let huge = p.observe(x.view(), f64::MAX, 0).unwrap();
        assert!(huge.iter().all(|v| v.is_finite()));
    }
}
