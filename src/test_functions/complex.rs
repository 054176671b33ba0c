//! The "complex 1-D" family of Parts 4 and 6: three Gaussian dips of different widths,
//! ripples of three frequencies, a tangent tilt and a gentle bowl.

use super::{constant_cube, local_minima_1d, TestProblem};
use crate::{Bounds, Error, Result};
use ndarray::{array, Array1, ArrayView1};

/// The family f(x; a₂, a_t) on [−3, 3]:
/// f(x) = −0.48 exp(−½((x + 1.9)/0.55)²) − a₂ exp(−½((x + 0.35)/0.22)²)
///        − 1.05 exp(−½((x − 1.75)/0.30)²) + 0.10 sin(2.8x) + 0.06 sin(6.5x + 0.4)
///        + 0.035 cos(11x) + a_t tan(0.3x) + 0.025(x − 0.4)² + 0.16.
///
/// a₂ sets the depth of the narrow dip near −0.345, which decides whether it or the broad
/// right-hand basin near 1.717 holds the global minimum; a_t tilts the whole curve. The
/// course uses four variants, each with a named constructor whose minima were computed in
/// 40-digit arithmetic. [`ComplexFamily::new`] takes any parameters and locates the minima
/// numerically. tan(0.3x) is smooth on the box (|0.3x| ≤ 0.9 < π/2); outside it the
/// function is still evaluated, with poles at x = (π/2 + kπ)/0.3.
#[derive(Debug, Clone)]
pub struct ComplexFamily {
    a2: f64,
    a_t: f64,
    bounds: Bounds,
    minima: Vec<(f64, f64)>,
    optimum: (f64, f64),
}

/// A variant the course uses: (a₂, a_t), its interior local minima left to right, and the
/// index of the global one.
type Variant = (f64, f64, [(f64, f64); 5], usize);

const LIBRARY_MODELS: Variant = (
    0.72,
    0.32,
    [
        (-2.087118051925773, -0.3810081449044052),
        (-1.432868540080875, -0.2252187259208615),
        (-0.34499945458821085, -0.7558487691819107),
        (0.8125904636938557, 0.24719072081967336),
        (1.7139768180472494, -0.774456951053684),
    ],
    4,
);
const STANDARD_ACQUISITIONS: Variant = (
    0.89,
    0.24,
    [
        (-2.079688107103199, -0.32328777792689106),
        (-1.427320102495858, -0.18862429226098998),
        (-0.34472787504914304, -0.9174960902766829),
        (0.8191686840904766, 0.22720882499640707),
        (1.7170745230823206, -0.81969613123162),
    ],
    2,
);
const FULL_LOOP: Variant = (
    0.85,
    0.24,
    [
        (-2.0796881071032103, -0.32328777792688956),
        (-1.4273211505849777, -0.18862404399101973),
        (-0.34454523229814865, -0.8775079720876199),
        (0.8191688676410966, 0.2272088544538789),
        (1.7170745230823206, -0.81969613123162),
    ],
    2,
);
const NOISE_AND_REPLICATION: Variant = (
    0.95,
    0.24,
    [
        (-2.079688107103183, -0.32328777792689334),
        (-1.4273185302787055, -0.18862466467680564),
        (-0.34498006956476013, -0.9774796881188835),
        (0.8191684087616069, 0.22720878080995446),
        (1.7170745230823206, -0.81969613123162),
    ],
    2,
);

impl ComplexFamily {
    /// The largest |a₂| and |a_t| accepted by [`ComplexFamily::new`].
    pub const MAX_PARAMETER: f64 = 1e3;

    /// The member with parameters (a₂, a_t). Its interior local minima are located on a
    /// grid of 6000 intervals and refined (golden section, then bisection on f′); the
    /// global minimum is the lowest of them and of the two ends of the box.
    ///
    /// # Errors
    /// [`Error::NonFinite`] for a non-finite parameter, [`Error::InvalidInput`] for
    /// |a₂| or |a_t| above [`ComplexFamily::MAX_PARAMETER`].
    pub fn new(a2: f64, a_t: f64) -> Result<Self> {
        if !a2.is_finite() || !a_t.is_finite() {
            return Err(Error::NonFinite { context: "ComplexFamily::new" });
        }
        if a2.abs() > Self::MAX_PARAMETER || a_t.abs() > Self::MAX_PARAMETER {
            return Err(Error::InvalidInput {
                context: "ComplexFamily::new",
                reason: format!(
                    "(a₂, a_t) = ({a2}, {a_t}): each must be at most {} in size",
                    Self::MAX_PARAMETER
                ),
            });
        }
        let f = |x: f64| family(x, a2, a_t);
        let minima = local_minima_1d(f, |x| slope(x, a2, a_t), -3.0, 3.0, 6000);
        let ends = [(-3.0, f(-3.0)), (3.0, f(3.0))];
        let optimum = minima
            .iter()
            .chain(&ends)
            .copied()
            .fold((f64::NAN, f64::INFINITY), |b, m| if m.1 < b.1 { m } else { b });
        Ok(ComplexFamily {
            a2,
            a_t,
            bounds: constant_cube(1, -3.0, 3.0),
            minima,
            optimum,
        })
    }

    fn tabulated((a2, a_t, minima, global): Variant) -> Self {
        ComplexFamily {
            a2,
            a_t,
            bounds: constant_cube(1, -3.0, 3.0),
            minima: minima.to_vec(),
            optimum: minima[global],
        }
    }

    /// (a₂, a_t) = (0.72, 0.32), Part 4's chapter on library models (its closing example):
    /// f* = −0.774456951053684 at x = 1.7139768180472494, the right-hand basin; the narrow
    /// dip at −0.345 reaches −0.7558.
    pub fn library_models() -> Self {
        Self::tabulated(LIBRARY_MODELS)
    }

    /// (a₂, a_t) = (0.89, 0.24), Part 4's chapter on standard acquisition functions:
    /// f* = −0.9174960902766829 at x = −0.34472787504914304, the narrow dip; the right-hand
    /// basin (1.7170745230823206, −0.81969613123162) is only a local minimum.
    pub fn standard_acquisitions() -> Self {
        Self::tabulated(STANDARD_ACQUISITIONS)
    }

    /// (a₂, a_t) = (0.85, 0.24), Part 4's chapter on the full loop:
    /// f* = −0.8775079720876199 at x = −0.34454523229814865.
    pub fn full_loop() -> Self {
        Self::tabulated(FULL_LOOP)
    }

    /// (a₂, a_t) = (0.95, 0.24), Part 6's chapter on noise and replication (the latent
    /// objective): f* = −0.9774796881188835 at x = −0.34498006956476013.
    pub fn noise_and_replication() -> Self {
        Self::tabulated(NOISE_AND_REPLICATION)
    }

    /// The depth a₂ of the narrow dip.
    pub fn a2(&self) -> f64 {
        self.a2
    }

    /// The tilt a_t.
    pub fn a_t(&self) -> f64 {
        self.a_t
    }

    /// f(x) as a plain number, unchecked: finite for |x| up to about 10¹⁵⁴ away from the
    /// poles of tan(0.3x) (none lie in the box).
    pub fn eval(&self, x: f64) -> f64 {
        family(x, self.a2, self.a_t)
    }

    /// Every interior local minimum (x, f(x)), from left to right.
    pub fn local_minima(&self) -> &[(f64, f64)] {
        &self.minima
    }

    /// The global minimiser.
    pub fn minimiser(&self) -> f64 {
        self.optimum.0
    }
}

fn family(x: f64, a2: f64, a_t: f64) -> f64 {
    let bump = |m: f64, w: f64| (-0.5 * ((x - m) / w).powi(2)).exp();
    -0.48 * bump(-1.9, 0.55) - a2 * bump(-0.35, 0.22) - 1.05 * bump(1.75, 0.30)
        + 0.10 * (2.8 * x).sin()
        + 0.06 * (6.5 * x + 0.4).sin()
        + 0.035 * (11.0 * x).cos()
        + a_t * (0.3 * x).tan()
        + 0.025 * (x - 0.4).powi(2)
        + 0.16
}

/// f′(x): the dips give c·e·(x − m)/w², the tangent 0.3 a_t / cos²(0.3x).
fn slope(x: f64, a2: f64, a_t: f64) -> f64 {
    let dip = |c: f64, m: f64, w: f64| {
        c * (-0.5 * ((x - m) / w).powi(2)).exp() * (x - m) / (w * w)
    };
    dip(0.48, -1.9, 0.55)
        + dip(a2, -0.35, 0.22)
        + dip(1.05, 1.75, 0.30)
        + 0.28 * (2.8 * x).cos()
        + 0.39 * (6.5 * x + 0.4).cos()
        - 0.385 * (11.0 * x).sin()
        + 0.3 * a_t / (0.3 * x).cos().powi(2)
        + 0.05 * (x - 0.4)
}

impl TestProblem for ComplexFamily {
    fn name(&self) -> String {
        format!("Complex family (a₂ = {}, a_t = {})", self.a2, self.a_t)
    }
    fn bounds(&self) -> &Bounds {
        &self.bounds
    }
    fn optimal_value(&self) -> f64 {
        self.optimum.1
    }
    fn optimisers(&self) -> Vec<Array1<f64>> {
        vec![array![self.optimum.0]]
    }
    fn formula(&self, x: ArrayView1<'_, f64>) -> f64 {
        self.eval(x[0])
    }
}

#[cfg(test)]
mod tests {
    use super::super::check;
    use super::*;
    use crate::numeric::{derivative, linspace};

    fn variants() -> [ComplexFamily; 4] {
        [
            ComplexFamily::library_models(),
            ComplexFamily::standard_acquisitions(),
            ComplexFamily::full_loop(),
            ComplexFamily::noise_and_replication(),
        ]
    }

    #[test]
    fn the_slope_is_the_derivative() {
        for x in linspace(-2.9, 2.9, 23) {
            let numeric = derivative(|x| family(x, 0.8, 0.3), x, 1e-6);
            assert!((numeric - slope(x, 0.8, 0.3)).abs() < 1e-8, "{x}");
        }
    }

    #[test]
    fn each_variant_is_minimal_where_its_table_says() {
        for p in variants() {
            check::global_minimum(&p, 1e-15);
            check::stationary(&p, 1e-8, 1e-6);
            check::refuses_bad_points(&p);
            for &(x, v) in p.local_minima() {
                assert!((p.eval(x) - v).abs() < 1e-15, "{}", p.name());
                assert!(
                    slope(x, p.a2(), p.a_t()).abs() < 1e-13,
                    "{}: {x}",
                    p.name()
                );
                assert!(p.eval(x - 1e-6) > v && p.eval(x + 1e-6) > v);
            }
            // The tabulated minima are those `new` finds for the same parameters.
            let found = ComplexFamily::new(p.a2(), p.a_t()).unwrap();
            assert_eq!(found.local_minima().len(), p.local_minima().len());
            for (a, b) in found.local_minima().iter().zip(p.local_minima()) {
                assert!((a.0 - b.0).abs() < 1e-12 && (a.1 - b.1).abs() < 1e-15);
            }
            assert!((found.minimiser() - p.minimiser()).abs() < 1e-12);
        }
    }

    #[test]
    fn the_course_check_values() {
        // (minimiser, f*, the other local minima), each as the spec rounds them.
        type Rounded = (f64, f64, [(f64, f64); 4]);
        let want: [Rounded; 4] = [
            (
                1.7140,
                -0.77446,
                [
                    (-2.0871, -0.381),
                    (-1.4329, -0.2252),
                    (-0.345, -0.7558),
                    (0.8126, 0.2472),
                ],
            ),
            (
                -0.3447,
                -0.91750,
                [
                    (-2.0797, -0.3233),
                    (-1.4273, -0.1886),
                    (0.8192, 0.2272),
                    (1.7171, -0.8197),
                ],
            ),
            (
                -0.3446,
                -0.87751,
                [
                    (-2.0797, -0.3233),
                    (-1.4273, -0.1886),
                    (0.8192, 0.2272),
                    (1.7171, -0.8197),
                ],
            ),
            (
                -0.34498,
                -0.977480,
                [
                    (-2.0797, -0.3233),
                    (-1.4273, -0.1886),
                    (0.8192, 0.2272),
                    (1.7171, -0.8197),
                ],
            ),
        ];
        for (p, (x, v, others)) in variants().iter().zip(want) {
            assert!((p.minimiser() - x).abs() < 1e-4, "{}", p.name());
            assert!((p.optimal_value() - v).abs() < 5e-6, "{}", p.name());
            for (wx, wv) in others {
                let near =
                    p.local_minima().iter().find(|m| (m.0 - wx).abs() < 5e-4);
                let (_, got) = near.unwrap_or_else(|| panic!("{}: {wx}", p.name()));
                assert!((got - wv).abs() < 5e-4, "{}: {wx}", p.name());
            }
        }
        // Part 4, Tutorial 2: the best of ten evenly spaced points on [−2, 2].
        let t2 = ComplexFamily::standard_acquisitions();
        let (x, v) = best(&t2, &linspace(-2.0, 2.0, 10));
        assert!((x + 0.2222).abs() < 5e-5 && (v + 0.73978).abs() < 5e-6);
        // Tutorial 3: the best of eight.
        let t3 = ComplexFamily::full_loop();
        let (x, v) = best(&t3, &linspace(-2.0, 2.0, 8));
        assert!((x + 0.2857).abs() < 5e-5 && (v + 0.83616).abs() < 5e-6);
        // Part 6, Tutorial 1: the minimum on the 600-point grid, printed to full precision.
        let p6 = ComplexFamily::noise_and_replication();
        let (x, v) = best(&p6, &linspace(-3.0, 3.0, 600));
        assert!((x + 0.345_575_959_933_222_1).abs() < 1e-15, "{x}");
        assert!((v + 0.977_475_089_884_407_2).abs() < 1e-14, "{v}");
        // ... and the latent values at the printed initial design (six decimals).
        let table = [
            (-1.803161, -0.164846),
            (-1.974407, -0.293433),
            (1.496142, -0.579282),
            (-1.894117, -0.236182),
            (0.303135, 0.252887),
            (1.593833, -0.743405),
            (-0.823996, -0.075803),
            (2.896669, 0.749496),
        ];
        for (x, v) in table {
            assert!((p6.eval(x) - v).abs() < 5e-6, "{x}: {}", p6.eval(x));
        }
    }

    fn best(p: &ComplexFamily, xs: &[f64]) -> (f64, f64) {
        xs.iter()
            .map(|&x| (x, p.eval(x)))
            .fold((f64::NAN, f64::INFINITY), |b, m| if m.1 < b.1 { m } else { b })
    }

    #[test]
    fn new_handles_any_parameters_and_refuses_bad_ones() {
        // Without the narrow dip the right-hand basin is global.
        let p = ComplexFamily::new(0.0, 0.24).unwrap();
        assert!((p.minimiser() - 1.717).abs() < 1e-2, "{}", p.minimiser());
        check::global_minimum(&p, 1e-15);
        // A steep tilt sends the minimum to the left end of the box.
        let p = ComplexFamily::new(0.5, 20.0).unwrap();
        assert_eq!(p.minimiser(), -3.0);
        check::global_minimum(&p, 1e-15);
        assert!(matches!(
            ComplexFamily::new(f64::NAN, 0.2),
            Err(Error::NonFinite { .. })
        ));
        assert!(matches!(
            ComplexFamily::new(0.5, 1e9),
            Err(Error::InvalidInput { .. })
        ));
    }
}
