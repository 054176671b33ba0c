//! Standard problems of fixed dimension: Branin, the six-hump camel, Hartmann-6 and
//! Michalewicz.

use super::{constant_cube, TestProblem};
use crate::{Bounds, Error, Result};
use ndarray::{array, Array1, ArrayView1};
use std::f64::consts::{FRAC_PI_2, PI};

/// The Branin function on [−5, 10] × [0, 15]:
/// f(x) = (x₂ − b x₁² + c x₁ − r)² + s (1 − t) cos x₁ + s,
/// with b = 5.1/(4π²), c = 5/π, r = 6, s = 10, t = 1/(8π).
///
/// f* = s t = 5/(4π) = 0.397887357729738… at three points, (−π, 12.275), (π, 2.275) and
/// (3π, 2.475): where cos x₁ = −1 and the square vanishes.
#[derive(Debug, Clone)]
pub struct Branin {
    bounds: Bounds,
}

impl Branin {
    /// The problem on its standard box.
    pub fn new() -> Self {
        let bounds = Bounds::new(array![-5.0, 0.0], array![10.0, 15.0])
            .expect("a constant, valid box");
        Branin { bounds }
    }
}

impl Default for Branin {
    fn default() -> Self {
        Branin::new()
    }
}

impl TestProblem for Branin {
    fn name(&self) -> String {
        "Branin".into()
    }
    fn bounds(&self) -> &Bounds {
        &self.bounds
    }
    fn optimal_value(&self) -> f64 {
        5.0 / (4.0 * PI)
    }
    fn optimisers(&self) -> Vec<Array1<f64>> {
        vec![array![-PI, 12.275], array![PI, 2.275], array![3.0 * PI, 2.475]]
    }
    fn formula(&self, x: ArrayView1<'_, f64>) -> f64 {
        let (b, c, r, s, t) =
            (5.1 / (4.0 * PI * PI), 5.0 / PI, 6.0, 10.0, 1.0 / (8.0 * PI));
        (x[1] - b * x[0] * x[0] + c * x[0] - r).powi(2)
            + s * (1.0 - t) * x[0].cos()
            + s
    }
}

/// The six-hump camel on [−3, 3] × [−2, 2]:
/// f(x) = (4 − 2.1x₁² + x₁⁴/3) x₁² + x₁x₂ + (−4 + 4x₂²) x₂².
///
/// f* = −1.0316284534898774 at ±(0.08984201310031806, −0.7126564030207396); four more
/// local minima. (Published to four digits, ±(0.0898, −0.7126); these digits are from
/// Newton's method on the gradient in 40-digit arithmetic.)
#[derive(Debug, Clone)]
pub struct SixHumpCamel {
    bounds: Bounds,
}

impl SixHumpCamel {
    /// The global minimum f*.
    pub const MINIMUM: f64 = -1.0316284534898774;
    /// One global minimiser; the other is its negative.
    pub const MINIMISER: [f64; 2] = [0.08984201310031806, -0.7126564030207396];

    /// The problem on its standard box.
    pub fn new() -> Self {
        let bounds = Bounds::new(array![-3.0, -2.0], array![3.0, 2.0])
            .expect("a constant, valid box");
        SixHumpCamel { bounds }
    }
}

impl Default for SixHumpCamel {
    fn default() -> Self {
        SixHumpCamel::new()
    }
}

impl TestProblem for SixHumpCamel {
    fn name(&self) -> String {
        "Six-hump camel".into()
    }
    fn bounds(&self) -> &Bounds {
        &self.bounds
    }
    fn optimal_value(&self) -> f64 {
        Self::MINIMUM
    }
    fn optimisers(&self) -> Vec<Array1<f64>> {
        let [a, b] = Self::MINIMISER;
        vec![array![a, b], array![-a, -b]]
    }
    fn formula(&self, x: ArrayView1<'_, f64>) -> f64 {
        let (a, b) = (x[0], x[1]);
        let a2 = a * a;
        let b2 = b * b;
        (4.0 - 2.1 * a2 + a2 * a2 / 3.0) * a2 + a * b + (-4.0 + 4.0 * b2) * b2
    }
}

/// The exponents Aᵢⱼ of the Hartmann-6 function.
pub const HARTMANN6_A: [[f64; 6]; 4] = [
    [10.0, 3.0, 17.0, 3.5, 1.7, 8.0],
    [0.05, 10.0, 17.0, 0.1, 8.0, 14.0],
    [3.0, 3.5, 1.7, 10.0, 17.0, 8.0],
    [17.0, 8.0, 0.05, 10.0, 0.1, 14.0],
];

/// The centres Pᵢⱼ of the Hartmann-6 function.
pub const HARTMANN6_P: [[f64; 6]; 4] = [
    [0.1312, 0.1696, 0.5569, 0.0124, 0.8283, 0.5886],
    [0.2329, 0.4135, 0.8307, 0.3736, 0.1004, 0.9991],
    [0.2348, 0.1451, 0.3522, 0.2883, 0.3047, 0.6650],
    [0.4047, 0.8828, 0.8732, 0.5743, 0.1091, 0.0381],
];

/// The weights αᵢ of the Hartmann-6 function.
pub const HARTMANN6_ALPHA: [f64; 4] = [1.0, 1.2, 3.0, 3.2];

/// The Hartmann-6 function on [0, 1]⁶:
/// f(x) = −Σᵢ αᵢ exp(−Σⱼ Aᵢⱼ (xⱼ − Pᵢⱼ)²), with [`HARTMANN6_A`], [`HARTMANN6_P`] and
/// [`HARTMANN6_ALPHA`].
///
/// Six local minima; the global one is f* = −3.3223680114155147 at
/// (0.20168951100670543, 0.15001069182345797, 0.476873974221897, 0.2753324304940561,
/// 0.31165161660011326, 0.6573005340656203) — published to six digits as
/// (0.20169, 0.150011, 0.476874, 0.275332, 0.311652, 0.6573), refined here by Newton's
/// method on the gradient. Smooth and bounded everywhere: points far outside the cube give
/// values near 0.
#[derive(Debug, Clone)]
pub struct Hartmann6 {
    bounds: Bounds,
}

impl Hartmann6 {
    /// The global minimum f*.
    pub const MINIMUM: f64 = -3.3223680114155147;
    /// The global minimiser.
    pub const MINIMISER: [f64; 6] = [
        0.20168951100670543,
        0.15001069182345797,
        0.476873974221897,
        0.2753324304940561,
        0.31165161660011326,
        0.6573005340656203,
    ];

    /// The problem on the unit cube.
    pub fn new() -> Self {
        Hartmann6 { bounds: constant_cube(6, 0.0, 1.0) }
    }
}

impl Default for Hartmann6 {
    fn default() -> Self {
        Hartmann6::new()
    }
}

impl TestProblem for Hartmann6 {
    fn name(&self) -> String {
        "Hartmann-6".into()
    }
    fn bounds(&self) -> &Bounds {
        &self.bounds
    }
    fn optimal_value(&self) -> f64 {
        Self::MINIMUM
    }
    fn optimisers(&self) -> Vec<Array1<f64>> {
        vec![Array1::from(Self::MINIMISER.to_vec())]
    }
    fn formula(&self, x: ArrayView1<'_, f64>) -> f64 {
        let terms = HARTMANN6_A.iter().zip(&HARTMANN6_P).zip(HARTMANN6_ALPHA);
        -terms
            .map(|((a, p), alpha)| {
                let inner: f64 = (0..6).map(|j| a[j] * (x[j] - p[j]).powi(2)).sum();
                alpha * (-inner).exp()
            })
            .sum::<f64>()
    }
}

/// The minimiser of −sin(x) sin²ᵐ(i x²/π) over [0, π] for i = 1, …, 10 (m = 10): the
/// Michalewicz function is a sum of such terms, so its minimiser is these coordinates.
/// For i = 2, 6 and 10 it is π/2, where both sines are ±1.
const MICHALEWICZ_COORDINATES: [f64; 10] = [
    2.2029055201726093,
    FRAC_PI_2,
    1.2849915705529245,
    1.9230584698663629,
    1.7204697725658413,
    FRAC_PI_2,
    1.454413971362379,
    1.7560865209450263,
    1.6557174168210291,
    FRAC_PI_2,
];

/// The minimum of each term, coordinate by coordinate (−1 exactly where i x²/π is an odd
/// multiple of π/2 at x = π/2: i = 2, 6, 10).
const MICHALEWICZ_TERMS: [f64; 10] = [
    -0.8013034100985525,
    -1.0,
    -0.9590912698960059,
    -0.9384624184720834,
    -0.9888010806215044,
    -1.0,
    -0.9932271353558816,
    -0.9828720362722106,
    -0.9963943649251029,
    -1.0,
];

/// The Michalewicz function on [0, π]ᵈ with m = 10:
/// f(x) = −Σᵢ sin(xᵢ) sin²ᵐ(i xᵢ²/π), i = 1, …, d.
///
/// Steep narrow valleys; d! local minima. Each term depends on one coordinate, so the
/// global minimiser is found coordinate by coordinate (done here in 40-digit arithmetic for
/// d ≤ 10). f* = −1.8013034100985525 (d = 2), −4.687658179088146 (d = 5) and
/// −9.66015171564134 (d = 10), the published −1.8013, −4.687658 and −9.66015.
#[derive(Debug, Clone)]
pub struct Michalewicz {
    bounds: Bounds,
}

impl Michalewicz {
    /// The steepness m.
    pub const M: i32 = 10;

    /// The problem in d dimensions, 1 ≤ d ≤ 10.
    ///
    /// # Errors
    /// [`Error::Empty`] for d = 0, [`Error::InvalidInput`] for d > 10 (the minimiser is
    /// tabulated up to 10).
    pub fn new(dim: usize) -> Result<Self> {
        if dim > MICHALEWICZ_COORDINATES.len() {
            return Err(Error::InvalidInput {
                context: "Michalewicz::new",
                reason: format!("d = {dim}: the minimiser is tabulated for d ≤ 10"),
            });
        }
        Ok(Michalewicz { bounds: Bounds::cube(dim, 0.0, PI)? })
    }
}

impl TestProblem for Michalewicz {
    fn name(&self) -> String {
        format!("Michalewicz-{}", self.dim())
    }
    fn bounds(&self) -> &Bounds {
        &self.bounds
    }
    fn optimal_value(&self) -> f64 {
        MICHALEWICZ_TERMS[..self.dim()].iter().sum()
    }
    fn optimisers(&self) -> Vec<Array1<f64>> {
        vec![Array1::from(MICHALEWICZ_COORDINATES[..self.dim()].to_vec())]
    }
    fn formula(&self, x: ArrayView1<'_, f64>) -> f64 {
        -x.iter()
            .enumerate()
            .map(|(i, &v)| {
                let inner = (i + 1) as f64 * v * v / PI;
                v.sin() * inner.sin().powi(2 * Self::M)
            })
            .sum::<f64>()
    }
}

#[cfg(test)]
mod tests {
    use super::super::check;
    use super::*;

    #[test]
    fn branin() {
        let p = Branin::new();
        assert!((p.optimal_value() - 0.397_887_357_729_738).abs() < 1e-15);
        check::global_minimum(&p, 1e-14);
        check::stationary(&p, 1e-7, 1e-4);
        check::refuses_bad_points(&p);
        assert_eq!(p.optimisers().len(), 3);
        // Away from the minima: f(0, 0) = 36 + 10(1 − t) + 10 = 55.602112642270262…
        let v = p.value(array![0.0, 0.0].view()).unwrap();
        assert!((v - 55.602_112_642_270_26).abs() < 1e-10, "{v}");
    }

    #[test]
    fn six_hump_camel() {
        let p = SixHumpCamel::new();
        check::global_minimum(&p, 1e-15);
        check::stationary(&p, 1e-8, 1e-5);
        check::refuses_bad_points(&p);
        // The published four-digit minimisers are within 1e-7 of f*.
        let v = p.value(array![0.0898, -0.7126].view()).unwrap();
        assert!((v - SixHumpCamel::MINIMUM).abs() < 1e-7);
        // The two minimisers are the only ones: symmetry f(−x) = f(x).
        let x = array![0.7, -1.3];
        assert_eq!(p.value(x.view()).unwrap(), p.value((-&x).view()).unwrap());
    }

    #[test]
    fn hartmann6() {
        let p = Hartmann6::new();
        check::global_minimum(&p, 1e-15);
        check::stationary(&p, 1e-8, 1e-5);
        check::refuses_bad_points(&p);
        // The published point, to six digits, gives f* to ten.
        let published =
            array![0.20169, 0.150011, 0.476874, 0.275332, 0.311652, 0.6573];
        let v = p.value(published.view()).unwrap();
        assert!((v + 3.322_368_011_415_51).abs() < 1e-10, "{v}");
        // Far away every term has decayed.
        let far = Array1::from_elem(6, 1e200);
        assert_eq!(p.value(far.view()).unwrap(), 0.0);
    }

    #[test]
    fn michalewicz() {
        for (d, published, tol) in
            [(2, -1.8013, 5e-5), (5, -4.687658, 5e-7), (10, -9.66015, 5e-6)]
        {
            let p = Michalewicz::new(d).unwrap();
            assert!((p.optimal_value() - published).abs() < tol, "{d}");
            check::global_minimum(&p, 1e-14);
            check::stationary(&p, 1e-7, 1e-6);
            check::refuses_bad_points(&p);
        }
        // Each coordinate's term alone: nothing on a fine grid of [0, π] is lower.
        for (i, (&x, &v)) in
            MICHALEWICZ_COORDINATES.iter().zip(&MICHALEWICZ_TERMS).enumerate()
        {
            let term = |t: f64| {
                -t.sin()
                    * ((i + 1) as f64 * t * t / PI).sin().powi(2 * Michalewicz::M)
            };
            assert!((term(x) - v).abs() < 1e-14, "{i}");
            let lowest = (0..=200_000)
                .map(|k| term(PI * k as f64 / 200_000.0))
                .fold(f64::INFINITY, f64::min);
            assert!(lowest >= v - 1e-14, "{i}: {lowest} < {v}");
        }
        assert!(matches!(Michalewicz::new(0), Err(Error::Empty { .. })));
        assert!(matches!(Michalewicz::new(11), Err(Error::InvalidInput { .. })));
    }
}
