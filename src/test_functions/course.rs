//! The course's own objectives: Part 3's running example and chapter 13's harder objective,
//! Part 4's first library example and its two-basin surface.
//!
//! Each comes as a plain function of `f64`s, for the listings, and as a [`TestProblem`].
//! The minimisers were located on a fine grid and refined by Newton's method on the
//! derivative in 40-digit arithmetic; the constants are those values rounded to `f64`.

use super::{constant_cube, TestProblem};
use crate::Bounds;
use ndarray::{array, Array1, ArrayView1};

/// Part 3's running example, f(x) = 0.35 sin(2.2x) + 0.15 cos(5x) + 0.03(x − 1.5)² − 0.25.
///
/// Posed on [−3, 3] (see [`RunningExample`]). Finite for |x| up to about 10¹⁵⁴; beyond, the
/// square overflows to +∞ (the [`TestProblem`] version reports that as an error).
pub fn running_example(x: f64) -> f64 {
    // Written exactly as the chapters write it: the worked outputs depend on every bit.
    0.35 * (2.2 * x).sin() + 0.15 * (5.0 * x).cos() + 0.03 * (x - 1.5).powi(2)
        - 0.25
}

/// Part 3's running example on [−3, 3]: see [`running_example`].
///
/// Three interior local minima: (−0.631347720417767, −0.6079334647683918),
/// (0.5852269121977134, −0.03537882630983905) and the global one, f* =
/// −0.7055347795324824 at x = 1.9595437937324645 (the course's x ≈ 1.95954,
/// f ≈ −0.705535).
#[derive(Debug, Clone)]
pub struct RunningExample {
    bounds: Bounds,
}

impl RunningExample {
    /// Every interior local minimum (x, f(x)), from left to right.
    pub const LOCAL_MINIMA: [(f64, f64); 3] = [
        (-0.631347720417767, -0.6079334647683918),
        (0.5852269121977134, -0.03537882630983905),
        (1.9595437937324645, -0.7055347795324824),
    ];
    /// The global minimiser.
    pub const MINIMISER: f64 = Self::LOCAL_MINIMA[2].0;
    /// The global minimum f*.
    pub const MINIMUM: f64 = Self::LOCAL_MINIMA[2].1;

    /// The problem on [−3, 3].
    pub fn new() -> Self {
        RunningExample { bounds: constant_cube(1, -3.0, 3.0) }
    }
}

impl Default for RunningExample {
    fn default() -> Self {
        RunningExample::new()
    }
}

impl TestProblem for RunningExample {
    fn name(&self) -> String {
        "Running example".into()
    }
    fn bounds(&self) -> &Bounds {
        &self.bounds
    }
    fn optimal_value(&self) -> f64 {
        Self::MINIMUM
    }
    fn optimisers(&self) -> Vec<Array1<f64>> {
        vec![array![Self::MINIMISER]]
    }
    fn formula(&self, x: ArrayView1<'_, f64>) -> f64 {
        running_example(x[0])
    }
}

/// Chapter 13's harder objective,
/// g(x) = 0.035(x + 2.6)² − 0.60 exp(−½((x + 1.15)/0.70)²) − 1.10 exp(−½((x − 2.15)/0.22)²)
///        + 0.11 sin(3.4x) + 0.07 cos(7.6x) + 0.12.
///
/// Posed on [−3.5, 3.5] (see [`HarderExample`]). Finite for |x| up to about 10¹⁵⁴.
pub fn harder_example(x: f64) -> f64 {
    // Written exactly as chapter 13 writes it: the worked outputs depend on every bit.
    0.035 * (x + 2.6).powi(2)
        - 0.60 * (-0.5 * ((x + 1.15) / 0.70).powi(2)).exp()
        - 1.10 * (-0.5 * ((x - 2.15) / 0.22).powi(2)).exp()
        + 0.11 * (3.4 * x).sin()
        + 0.07 * (7.6 * x).cos()
        + 0.12
}

/// Chapter 13's harder objective on [−3.5, 3.5]: see [`harder_example`].
///
/// A broad basin holds the global minimum, g* = −0.387990404288099 at
/// x = −1.194022105087149; the narrow dip near 2.12 that looks like the target is only a
/// local minimum (−0.16677514196484847 at 2.1164037359502696). Six interior local minima
/// in all, in [`HarderExample::LOCAL_MINIMA`].
#[derive(Debug, Clone)]
pub struct HarderExample {
    bounds: Bounds,
}

impl HarderExample {
    /// Every interior local minimum (x, g(x)), from left to right.
    pub const LOCAL_MINIMA: [(f64, f64); 6] = [
        (-2.0305965168433358, -0.27196288585247264),
        (-1.194022105087149, -0.387990404288099),
        (-0.5760115977082977, -0.2901477691252484),
        (1.221383336357996, 0.4665136536291681),
        (2.1164037359502696, -0.16677514196484847),
        (2.866465719203281, 1.0571558786812545),
    ];
    /// The global minimiser.
    pub const MINIMISER: f64 = Self::LOCAL_MINIMA[1].0;
    /// The global minimum g*.
    pub const MINIMUM: f64 = Self::LOCAL_MINIMA[1].1;

    /// The problem on [−3.5, 3.5].
    pub fn new() -> Self {
        HarderExample { bounds: constant_cube(1, -3.5, 3.5) }
    }
}

impl Default for HarderExample {
    fn default() -> Self {
        HarderExample::new()
    }
}

impl TestProblem for HarderExample {
    fn name(&self) -> String {
        "Harder example".into()
    }
    fn bounds(&self) -> &Bounds {
        &self.bounds
    }
    fn optimal_value(&self) -> f64 {
        Self::MINIMUM
    }
    fn optimisers(&self) -> Vec<Array1<f64>> {
        vec![array![Self::MINIMISER]]
    }
    fn formula(&self, x: ArrayView1<'_, f64>) -> f64 {
        harder_example(x[0])
    }
}

/// Part 4's first objective (fitted with library models),
/// f(x) = −0.55 exp(−½((x − 1.1)/0.45)²) + 0.10 sin(3x) + 0.04(x − 0.25)² + 0.12.
///
/// Posed on [−3, 3] (see [`LibraryExample`]). Finite for |x| up to about 10¹⁵⁴.
pub fn library_example(x: f64) -> f64 {
    -0.55 * (-0.5 * ((x - 1.1) / 0.45).powi(2)).exp()
        + 0.10 * (3.0 * x).sin()
        + 0.04 * (x - 0.25).powi(2)
        + 0.12
}

/// Part 4's first objective on [−3, 3]: see [`library_example`].
///
/// f* = −0.42559900294674236 at x = 1.1761006328746255 (the course's x ≈ 1.1761,
/// f ≈ −0.42560); two more interior local minima, (−2.36123685018729, 0.3209701222590775)
/// and (−0.448331660280988, 0.04056734183311178).
#[derive(Debug, Clone)]
pub struct LibraryExample {
    bounds: Bounds,
}

impl LibraryExample {
    /// Every interior local minimum (x, f(x)), from left to right.
    pub const LOCAL_MINIMA: [(f64, f64); 3] = [
        (-2.36123685018729, 0.3209701222590775),
        (-0.448331660280988, 0.04056734183311178),
        (1.1761006328746255, -0.42559900294674236),
    ];
    /// The global minimiser.
    pub const MINIMISER: f64 = Self::LOCAL_MINIMA[2].0;
    /// The global minimum f*.
    pub const MINIMUM: f64 = Self::LOCAL_MINIMA[2].1;

    /// The problem on [−3, 3].
    pub fn new() -> Self {
        LibraryExample { bounds: constant_cube(1, -3.0, 3.0) }
    }
}

impl Default for LibraryExample {
    fn default() -> Self {
        LibraryExample::new()
    }
}

impl TestProblem for LibraryExample {
    fn name(&self) -> String {
        "Library example".into()
    }
    fn bounds(&self) -> &Bounds {
        &self.bounds
    }
    fn optimal_value(&self) -> f64 {
        Self::MINIMUM
    }
    fn optimisers(&self) -> Vec<Array1<f64>> {
        vec![array![Self::MINIMISER]]
    }
    fn formula(&self, x: ArrayView1<'_, f64>) -> f64 {
        library_example(x[0])
    }
}

/// Part 4's two-basin surface,
/// F(x₁, x₂) = −1.15 exp(−½((x₁ − 1.1)/0.45)² − ½((x₂ − 1.5)/0.55)²)
///             − 0.55 exp(−½((x₁ + 1.2)/0.8)² − ½((x₂ + 0.8)/0.7)²)
///             + 0.08 sin(2.2x₁) + 0.06 cos(2.8x₂) + 0.03(x₁² + 0.8x₂²) + 0.20.
///
/// Posed on [−3, 3]² (see [`TwoBasins`]). Finite for |x| up to about 10¹⁵⁴.
pub fn two_basins(x1: f64, x2: f64) -> f64 {
    let deep = (-0.5 * ((x1 - 1.1) / 0.45).powi(2)
        - 0.5 * ((x2 - 1.5) / 0.55).powi(2))
    .exp();
    let shallow = (-0.5 * ((x1 + 1.2) / 0.8).powi(2)
        - 0.5 * ((x2 + 0.8) / 0.7).powi(2))
    .exp();
    -1.15 * deep - 0.55 * shallow
        + 0.08 * (2.2 * x1).sin()
        + 0.06 * (2.8 * x2).cos()
        + 0.03 * (x1 * x1 + 0.8 * x2 * x2)
        + 0.20
}

/// Part 4's two-basin surface on [−3, 3]²: see [`two_basins`].
///
/// The deep basin holds the global minimum, F* = −0.8425493427736309 at
/// (1.1120835089071104, 1.4465504570853847); the second basin's minimum is
/// −0.39263459111844856 at (−1.0020093595162876, −0.8641538088276735). Two shallow
/// local minima besides, in [`TwoBasins::LOCAL_MINIMA`].
#[derive(Debug, Clone)]
pub struct TwoBasins {
    bounds: Bounds,
}

impl TwoBasins {
    /// Every interior local minimum ((x₁, x₂), F), the global one last.
    pub const LOCAL_MINIMA: [([f64; 2], f64); 4] = [
        ([-1.0020093595162876, -0.8641538088276735], -0.39263459111844856),
        ([-0.6262889176341044, -2.923540429081134], 0.3145610628593568),
        ([1.829438424656196, -1.0162270060012697], 0.20556991930933044),
        ([1.1120835089071104, 1.4465504570853847], -0.8425493427736309),
    ];
    /// The global minimiser.
    pub const MINIMISER: [f64; 2] = Self::LOCAL_MINIMA[3].0;
    /// The global minimum F*.
    pub const MINIMUM: f64 = Self::LOCAL_MINIMA[3].1;

    /// The problem on [−3, 3]².
    pub fn new() -> Self {
        TwoBasins { bounds: constant_cube(2, -3.0, 3.0) }
    }
}

impl Default for TwoBasins {
    fn default() -> Self {
        TwoBasins::new()
    }
}

impl TestProblem for TwoBasins {
    fn name(&self) -> String {
        "Two basins".into()
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
        two_basins(x[0], x[1])
    }
}

#[cfg(test)]
mod tests {
    use super::super::{check, local_minima_1d};
    use super::*;
    use crate::numeric::{derivative, linspace};

    fn close(got: &[f64], want: &[f64], tol: f64) {
        assert_eq!(got.len(), want.len());
        for (g, w) in got.iter().zip(want) {
            assert!((g - w).abs() <= tol, "{got:?} vs {want:?}");
        }
    }

    /// Every listed local minimum is one (stationary, lower than its neighbours), and the
    /// list is complete: a grid search with golden-section refinement finds the same.
    fn minima_1d(p: &dyn TestProblem, f: fn(f64) -> f64, listed: &[(f64, f64)]) {
        for &(x, v) in listed {
            assert!((f(x) - v).abs() < 1e-15, "{}: f({x})", p.name());
            let slope = derivative(f, x, 1e-6);
            assert!(slope.abs() < 1e-8, "{}: f'({x}) ≈ {slope}", p.name());
            assert!(f(x - 1e-6) > v && f(x + 1e-6) > v, "{}: {x}", p.name());
        }
        let (a, b) = (p.bounds().lower()[0], p.bounds().upper()[0]);
        let slope = |x: f64| derivative(f, x, 1e-7);
        let found = local_minima_1d(f, slope, a, b, 20_000);
        assert_eq!(found.len(), listed.len(), "{}: {found:?}", p.name());
        for (&(x, v), &(y, w)) in found.iter().zip(listed) {
            assert!((x - y).abs() < 1e-7 && (v - w).abs() < 1e-14, "{}", p.name());
        }
        check::global_minimum(p, 1e-15);
        check::stationary(p, 1e-8, 1e-6);
        check::refuses_bad_points(p);
    }

    #[test]
    fn the_running_example_and_the_course_check_values() {
        let p = RunningExample::new();
        minima_1d(&p, running_example, &RunningExample::LOCAL_MINIMA);
        let f = running_example;
        assert!((RunningExample::MINIMISER - 1.95954).abs() < 5e-6);
        assert!((RunningExample::MINIMUM + 0.705535).abs() < 5e-7);
        assert!((f(-3.0) - 0.1345).abs() < 5e-5 && (f(3.0) + 0.1874).abs() < 5e-5);
        // Part 3, Tutorial 3's training values at linspace(−1.5, 1.5, 8).
        let y: Vec<f64> = linspace(-1.5, 1.5, 8).into_iter().map(f).collect();
        let want = [
            0.12721, -0.20873, -0.60757, -0.24896, 0.03038, -0.03184, 0.09291,
            -0.25322,
        ];
        close(&y, &want, 5e-6);
        // The minimum on the 600- and 400-point grids.
        for (n, x, v) in [(600, 1.95826, -0.705531), (400, 1.96241, -0.705514)] {
            let grid = linspace(-3.0, 3.0, n);
            let best = grid.iter().copied().min_by(|a, b| f(*a).total_cmp(&f(*b)));
            let best = best.unwrap();
            assert!((best - x).abs() < 5e-6 && (f(best) - v).abs() < 5e-7, "{n}");
        }
    }

    #[test]
    fn the_harder_example_and_chapter_13s_check_values() {
        let p = HarderExample::new();
        minima_1d(&p, harder_example, &HarderExample::LOCAL_MINIMA);
        assert!((HarderExample::MINIMISER + 1.1940).abs() < 5e-5);
        assert!((HarderExample::MINIMUM + 0.38799).abs() < 5e-6);
        let want = [
            (-2.0306, -0.272),
            (-1.1940, -0.38799),
            (-0.576, -0.2901),
            (1.2214, 0.4665),
            (2.1164, -0.1668),
            (2.8665, 1.0572),
        ];
        for (&(x, v), (wx, wv)) in HarderExample::LOCAL_MINIMA.iter().zip(want) {
            assert!((x - wx).abs() < 5e-4 && (v - wv).abs() < 5e-4, "{x}");
        }
        let y: Vec<f64> =
            linspace(-3.5, 3.5, 6).into_iter().map(harder_example).collect();
        close(&y, &[0.2214, -0.2611, -0.2776, 0.5988, -0.1635, 1.3616], 5e-5);
    }

    #[test]
    fn the_library_example_and_part_4s_training_values() {
        let p = LibraryExample::new();
        minima_1d(&p, library_example, &LibraryExample::LOCAL_MINIMA);
        let want = [(-2.3612, 0.321), (-0.4483, 0.0406), (1.1761, -0.42560)];
        for (&(x, v), (wx, wv)) in LibraryExample::LOCAL_MINIMA.iter().zip(want) {
            assert!((x - wx).abs() < 5e-5 && (v - wv).abs() < 5e-4, "{x}");
        }
        assert!((LibraryExample::MINIMUM + 0.42560).abs() < 5e-6);
        let y: Vec<f64> =
            linspace(-1.5, 1.5, 8).into_iter().map(library_example).collect();
        let want = [
            0.34025, 0.19711, 0.05792, 0.06095, 0.10073, -0.10846, -0.40917,
            -0.28575,
        ];
        close(&y, &want, 5e-6);
        let mean = y.iter().sum::<f64>() / 8.0;
        assert!((mean + 0.005804).abs() < 5e-7, "{mean}");
    }

    #[test]
    fn the_two_basins_and_part_4s_designs() {
        let p = TwoBasins::new();
        check::global_minimum(&p, 1e-15);
        check::refuses_bad_points(&p);
        for (x, v) in TwoBasins::LOCAL_MINIMA {
            let x = Array1::from(x.to_vec());
            assert!((p.value(x.view()).unwrap() - v).abs() < 1e-15);
            let g = check::gradient(&p, &x, 1e-6);
            assert!(g.iter().all(|d| d.abs() < 1e-8), "∇F({x}) ≈ {g}");
            // Lower than every neighbour on a small ring around it.
            for k in 0..16 {
                let t = std::f64::consts::PI * k as f64 / 8.0;
                let y = &x + &array![1e-5 * t.cos(), 1e-5 * t.sin()];
                assert!(p.value(y.view()).unwrap() > v, "{y}");
            }
        }
        let [a, b] = TwoBasins::MINIMISER;
        assert!((a - 1.1121).abs() < 5e-5 && (b - 1.4466).abs() < 5e-5);
        assert!((TwoBasins::MINIMUM + 0.84255).abs() < 5e-6);
        let ([a, b], v) = TwoBasins::LOCAL_MINIMA[0];
        assert!((a + 1.0020).abs() < 5e-5 && (b + 0.8642).abs() < 5e-5);
        assert!((v + 0.39263).abs() < 5e-6);
        let at = |points: &[(f64, f64)]| -> Vec<f64> {
            points.iter().map(|&(a, b)| two_basins(a, b)).collect()
        };
        // Part 4, Tutorial 3's fixed initial design.
        let t3 = [
            (-2.2, -2.0),
            (-1.5, 1.0),
            (-0.5, -0.8),
            (0.3, 0.5),
            (1.0, 2.2),
            (1.8, 2.0),
        ];
        close(
            &at(&t3),
            &[0.50915, 0.22879, -0.26073, 0.20569, -0.02877, 0.15445],
            5e-6,
        );
        // Tutorial 4's space-filling and clustered designs.
        let filling = [
            (-2.2, -2.0),
            (-1.2, -1.0),
            (-0.5, 0.0),
            (0.8, 1.2),
            (1.5, 1.8),
            (2.2, 2.2),
        ];
        close(
            &at(&filling),
            &[0.5092, -0.3558, 0.0009, -0.5202, -0.3157, 0.4158],
            5e-5,
        );
        let clustered = [
            (-2.2, -2.0),
            (-2.0, -1.8),
            (-1.8, -2.2),
            (-1.6, -1.7),
            (-2.1, -1.5),
            (-1.7, -1.9),
        ];
        close(
            &at(&clustered),
            &[0.5092, 0.3730, 0.4751, 0.1662, 0.2594, 0.3210],
            5e-5,
        );
    }
}
