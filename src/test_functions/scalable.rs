//! Standard problems of any dimension: Ackley, Levy, Rosenbrock, Styblinski–Tang and
//! Griewank.

use super::TestProblem;
use crate::{Bounds, Error, Result};
use ndarray::{Array1, ArrayView1};
use std::f64::consts::{E, PI};

/// The Ackley function on [−32.768, 32.768]ᵈ, with a = 20, b = 0.2, c = 2π:
/// f(x) = −a exp(−b √(Σᵢ xᵢ²/d)) − exp(Σᵢ cos(c xᵢ)/d) + a + e.
///
/// A nearly flat outer region of many local minima around one deep hole: f* = 0 at the
/// origin. Finite wherever 2πxᵢ is (|xᵢ| below about 2.8·10³⁰⁷): far away it tends to
/// a + e − exp(mean of the cosines).
#[derive(Debug, Clone)]
pub struct Ackley {
    bounds: Bounds,
}

impl Ackley {
    /// The problem in d dimensions.
    ///
    /// # Errors
    /// [`Error::Empty`] for d = 0.
    pub fn new(dim: usize) -> Result<Self> {
        Ok(Ackley { bounds: Bounds::cube(dim, -32.768, 32.768)? })
    }
}

impl TestProblem for Ackley {
    fn name(&self) -> String {
        format!("Ackley-{}", self.dim())
    }
    fn bounds(&self) -> &Bounds {
        &self.bounds
    }
    fn optimal_value(&self) -> f64 {
        0.0
    }
    fn optimisers(&self) -> Vec<Array1<f64>> {
        vec![Array1::zeros(self.dim())]
    }
    fn formula(&self, x: ArrayView1<'_, f64>) -> f64 {
        let (a, b, c) = (20.0, 0.2, 2.0 * PI);
        let d = x.len() as f64;
        let squares = x.iter().map(|v| v * v).sum::<f64>() / d;
        let cosines = x.iter().map(|v| (c * v).cos()).sum::<f64>() / d;
        -a * (-b * squares.sqrt()).exp() - cosines.exp() + a + E
    }
}

/// The Levy function on [−10, 10]ᵈ, with wᵢ = 1 + (xᵢ − 1)/4:
/// f(x) = sin²(πw₁) + Σᵢ₌₁ᵈ⁻¹ (wᵢ − 1)² [1 + 10 sin²(πwᵢ + 1)] + (w_d − 1)² [1 + sin²(2πw_d)].
///
/// f* = 0 at (1, …, 1).
#[derive(Debug, Clone)]
pub struct Levy {
    bounds: Bounds,
}

impl Levy {
    /// The problem in d dimensions.
    ///
    /// # Errors
    /// [`Error::Empty`] for d = 0.
    pub fn new(dim: usize) -> Result<Self> {
        Ok(Levy { bounds: Bounds::cube(dim, -10.0, 10.0)? })
    }
}

impl TestProblem for Levy {
    fn name(&self) -> String {
        format!("Levy-{}", self.dim())
    }
    fn bounds(&self) -> &Bounds {
        &self.bounds
    }
    fn optimal_value(&self) -> f64 {
        0.0
    }
    fn optimisers(&self) -> Vec<Array1<f64>> {
        vec![Array1::ones(self.dim())]
    }
    fn formula(&self, x: ArrayView1<'_, f64>) -> f64 {
        let w: Vec<f64> = x.iter().map(|v| 1.0 + (v - 1.0) / 4.0).collect();
        let (first, last) = (w[0], w[w.len() - 1]);
        let middle: f64 = w[..w.len() - 1]
            .iter()
            .map(|wi| {
                (wi - 1.0).powi(2) * (1.0 + 10.0 * (PI * wi + 1.0).sin().powi(2))
            })
            .sum();
        (PI * first).sin().powi(2)
            + middle
            + (last - 1.0).powi(2) * (1.0 + (2.0 * PI * last).sin().powi(2))
    }
}

/// The Rosenbrock function on [−5, 10]ᵈ, d ≥ 2:
/// f(x) = Σᵢ₌₁ᵈ⁻¹ [100 (xᵢ₊₁ − xᵢ²)² + (1 − xᵢ)²].
///
/// A long curved valley; f* = 0 at (1, …, 1). Beyond about |x| = 10⁷⁷ the fourth powers
/// overflow, which [`TestProblem::value`] reports as an error.
#[derive(Debug, Clone)]
pub struct Rosenbrock {
    bounds: Bounds,
}

impl Rosenbrock {
    /// The problem in d dimensions.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] for d < 2 (the sum would be empty).
    pub fn new(dim: usize) -> Result<Self> {
        if dim < 2 {
            return Err(Error::InvalidInput {
                context: "Rosenbrock::new",
                reason: format!(
                    "d = {dim}: the function needs at least two variables"
                ),
            });
        }
        Ok(Rosenbrock { bounds: Bounds::cube(dim, -5.0, 10.0)? })
    }
}

/// Σᵢ [100 (xᵢ₊₁ − xᵢ²)² + (1 − xᵢ)²], unchecked (also the value of the optimisation
/// chapters' two-variable Rosenbrock).
pub(crate) fn rosenbrock_sum(x: ArrayView1<'_, f64>) -> f64 {
    (1..x.len())
        .map(|i| {
            let (a, b) = (x[i - 1], x[i]);
            (1.0 - a).powi(2) + 100.0 * (b - a * a).powi(2)
        })
        .sum()
}

impl TestProblem for Rosenbrock {
    fn name(&self) -> String {
        format!("Rosenbrock-{}", self.dim())
    }
    fn bounds(&self) -> &Bounds {
        &self.bounds
    }
    fn optimal_value(&self) -> f64 {
        0.0
    }
    fn optimisers(&self) -> Vec<Array1<f64>> {
        vec![Array1::ones(self.dim())]
    }
    fn formula(&self, x: ArrayView1<'_, f64>) -> f64 {
        rosenbrock_sum(x)
    }
}

/// The Styblinski–Tang function on [−5, 5]ᵈ: f(x) = ½ Σᵢ (xᵢ⁴ − 16xᵢ² + 5xᵢ).
///
/// Separable: each coordinate's minimiser is the root x* = −2.903534027771177 of
/// 4x³ − 32x + 5 = 0, so f* = −39.16616570377141·d. (The Virtual Library quotes
/// −39.16599·d, 4·10⁻⁶ too high: the value at a rounded x*. BoTorch has −39.166166·d.)
#[derive(Debug, Clone)]
pub struct StyblinskiTang {
    bounds: Bounds,
}

impl StyblinskiTang {
    /// The minimiser of each coordinate.
    pub const MINIMISER: f64 = -2.903534027771177;
    /// The minimum per coordinate: f* / d.
    pub const MINIMUM_PER_DIMENSION: f64 = -39.16616570377141;

    /// The problem in d dimensions.
    ///
    /// # Errors
    /// [`Error::Empty`] for d = 0.
    pub fn new(dim: usize) -> Result<Self> {
        Ok(StyblinskiTang { bounds: Bounds::cube(dim, -5.0, 5.0)? })
    }
}

impl TestProblem for StyblinskiTang {
    fn name(&self) -> String {
        format!("Styblinski-Tang-{}", self.dim())
    }
    fn bounds(&self) -> &Bounds {
        &self.bounds
    }
    fn optimal_value(&self) -> f64 {
        Self::MINIMUM_PER_DIMENSION * self.dim() as f64
    }
    fn optimisers(&self) -> Vec<Array1<f64>> {
        vec![Array1::from_elem(self.dim(), Self::MINIMISER)]
    }
    fn formula(&self, x: ArrayView1<'_, f64>) -> f64 {
        0.5 * x
            .iter()
            .map(|v| {
                let v2 = v * v;
                v2 * v2 - 16.0 * v2 + 5.0 * v
            })
            .sum::<f64>()
    }
}

/// The Griewank function on [−600, 600]ᵈ:
/// f(x) = Σᵢ xᵢ²/4000 − Πᵢ cos(xᵢ/√i) + 1.
///
/// Many regularly spaced shallow local minima on a bowl; f* = 0 at the origin.
#[derive(Debug, Clone)]
pub struct Griewank {
    bounds: Bounds,
}

impl Griewank {
    /// The problem in d dimensions.
    ///
    /// # Errors
    /// [`Error::Empty`] for d = 0.
    pub fn new(dim: usize) -> Result<Self> {
        Ok(Griewank { bounds: Bounds::cube(dim, -600.0, 600.0)? })
    }
}

impl TestProblem for Griewank {
    fn name(&self) -> String {
        format!("Griewank-{}", self.dim())
    }
    fn bounds(&self) -> &Bounds {
        &self.bounds
    }
    fn optimal_value(&self) -> f64 {
        0.0
    }
    fn optimisers(&self) -> Vec<Array1<f64>> {
        vec![Array1::zeros(self.dim())]
    }
    fn formula(&self, x: ArrayView1<'_, f64>) -> f64 {
        let bowl = x.iter().map(|v| v * v).sum::<f64>() / 4000.0;
        let ripple: f64 = x
            .iter()
            .enumerate()
            .map(|(i, v)| (v / ((i + 1) as f64).sqrt()).cos())
            .product();
        bowl - ripple + 1.0
    }
}

#[cfg(test)]
mod tests {
    use super::super::check;
    use super::*;
    use ndarray::array;

    fn all(dim: usize) -> Vec<Box<dyn TestProblem>> {
        vec![
            Box::new(Ackley::new(dim).unwrap()),
            Box::new(Levy::new(dim).unwrap()),
            Box::new(Rosenbrock::new(dim.max(2)).unwrap()),
            Box::new(StyblinskiTang::new(dim).unwrap()),
            Box::new(Griewank::new(dim).unwrap()),
        ]
    }

    #[test]
    fn minima_in_one_two_and_five_dimensions() {
        for dim in [1, 2, 5] {
            for p in all(dim) {
                check::global_minimum(p.as_ref(), 1e-14);
                check::refuses_bad_points(p.as_ref());
            }
        }
    }

    #[test]
    fn the_minimisers_are_strict_minima() {
        for p in all(3) {
            // Ackley's minimum is a cone point: no gradient, but lower nowhere nearby.
            let smooth = !p.name().starts_with("Ackley");
            let tol = if smooth { 1e-6 } else { f64::INFINITY };
            check::stationary(p.as_ref(), tol, 1e-4);
        }
    }

    #[test]
    fn known_values() {
        // Values at simple points, from the formulas by hand.
        let ackley = Ackley::new(2).unwrap();
        let one = ackley.value(array![1.0, 1.0].view()).unwrap();
        let want = -20.0 * (-0.2_f64).exp() - 1.0_f64.exp() + 20.0 + E;
        assert!((one - want).abs() < 1e-14, "{one}");
        let rosen = Rosenbrock::new(3).unwrap();
        let v = rosen.value(array![0.0, 0.0, 0.0].view()).unwrap();
        assert_eq!(v, 2.0);
        let v = rosen.value(array![-1.2, 1.0, 1.0].view()).unwrap();
        assert!((v - 24.2).abs() < 1e-12, "{v}");
        let st = StyblinskiTang::new(4).unwrap();
        assert!((st.optimal_value() / 4.0 + 39.16599).abs() < 2e-4);
        let root = StyblinskiTang::MINIMISER;
        let cubic = 4.0 * root.powi(3) - 32.0 * root + 5.0;
        assert!(cubic.abs() < 1e-12, "{cubic}");
        let griewank = Griewank::new(2).unwrap();
        let v = griewank.value(array![PI, 0.0].view()).unwrap();
        assert!((v - (PI * PI / 4000.0 + 2.0)).abs() < 1e-15);
        let levy = Levy::new(2).unwrap();
        // x = (5, 1): w = (2, 1), so only the first term's sin²(2π) and the middle term
        // (w₁ − 1)²[1 + 10 sin²(2π + 1)] remain.
        let v = levy.value(array![5.0, 1.0].view()).unwrap();
        let want =
            (2.0 * PI).sin().powi(2) + 1.0 + 10.0 * (2.0 * PI + 1.0).sin().powi(2);
        assert!((v - want).abs() < 1e-13, "{v}");
    }

    #[test]
    fn agrees_with_botorch_in_ten_dimensions() {
        // BoTorch 0.18.1's Ackley(dim=10) and Rosenbrock(dim=10) at the reference points,
        // printed by benches/python/test_function_reference.py.
        let ackley = [20.978979513012845, 21.10909050268137, 21.106605846686687];
        check::agrees_with_botorch(&Ackley::new(10).unwrap(), ackley, 1e-14);
        let rosenbrock = [616284.5457908787, 757900.2235844873, 995054.8382921659];
        check::agrees_with_botorch(
            &Rosenbrock::new(10).unwrap(),
            rosenbrock,
            1e-14,
        );
        // f* = 0 at the stated minimisers, as BoTorch's optimal_value.
        for p in [
            &Ackley::new(10).unwrap() as &dyn TestProblem,
            &Rosenbrock::new(10).unwrap(),
        ] {
            assert_eq!(p.optimal_value(), 0.0);
            let x = &p.optimisers()[0];
            assert!(p.value(x.view()).unwrap().abs() < 1e-15, "{}", p.name());
        }
        assert_eq!(Rosenbrock::new(10).unwrap().bounds().lower()[9], -5.0);
        assert_eq!(Rosenbrock::new(10).unwrap().bounds().upper()[0], 10.0);
    }

    #[test]
    fn overflow_is_reported_and_bad_dimensions_refused() {
        let rosen = Rosenbrock::new(2).unwrap();
        let err = rosen.value(array![1e300, 1.0].view()).unwrap_err();
        assert!(matches!(err, Error::InvalidInput { .. }), "{err}");
        assert!(err.to_string().contains("Rosenbrock-2 overflows"), "{err}");
        // Ackley stays finite far out, until 2πxᵢ itself overflows.
        let ackley = Ackley::new(3).unwrap();
        let v = ackley.value(array![1e300, -1e300, 1e307].view()).unwrap();
        assert!(v.is_finite() && v > 0.0);
        assert!(matches!(Rosenbrock::new(1), Err(Error::InvalidInput { .. })));
        assert!(matches!(Ackley::new(0), Err(Error::Empty { .. })));
        assert!(matches!(Griewank::new(0), Err(Error::Empty { .. })));
    }
}
