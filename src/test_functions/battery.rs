//! The course's synthetic battery electrolyte (Part 6): two competing objectives of a
//! formulation with salt concentration s and additive fraction a, both in [0, 1], and both
//! **maximised**:
//!
//! - Coulombic efficiency
//!   E(s, a) = clamp(0.965 + 0.030·exp(−((s − 0.35)/0.22)² − ((a − 0.28)/0.18)²)
//!   − 0.020·exp(−((s − 0.85)/0.25)² − ((a − 0.78)/0.22)²) − 0.012(s − 0.55)²
//!   − 0.010(a − 0.35)² + 0.003·sin(8s + 2a), 0.88, 0.997);
//! - charging capacity
//!   C(s, a) = clamp(145 + 72·exp(−((s − 0.72)/0.24)² − ((a − 0.62)/0.28)²) + 18s + 10a
//!   − 22·exp(−((s − 0.25)/0.18)² − ((a − 0.25)/0.18)²) + 4·sin(5s − 1.5a), 110, 235).
//!
//! The Gaussian bumps have **no** factor ½ in their exponents. Efficiency peaks near
//! (0.33, 0.27), where a salt-poor, additive-poor electrolyte is most reversible; capacity
//! peaks near (0.72, 0.62), and there it is *clamped*: on the 100 × 100 grid, 89 points
//! share C = 235 exactly, a flat plateau on which every point ties for the best capacity.
//! E never reaches its clamps on [0, 1]² (it stays within [0.944, 0.994]).
//!
//! Points outside the box are evaluated too (the clamps keep the values bounded); what is
//! refused is a point of the wrong length, a non-finite coordinate, and a point so far out
//! that a sine's argument overflows.

use crate::numeric::linspace;
use crate::{Bounds, Error, Result};
use ndarray::{Array2, ArrayView1, ArrayView2};

/// The clamp of the efficiency: E ∈ [0.88, 0.997].
pub const EFFICIENCY_CLAMP: (f64, f64) = (0.88, 0.997);
/// The clamp of the capacity: C ∈ [110, 235].
pub const CAPACITY_CLAMP: (f64, f64) = (110.0, 235.0);
/// The course's reference point for hypervolume, (E, C) = (0.88, 115): a formulation must
/// beat both coordinates to count.
pub const REFERENCE_POINT: [f64; 2] = [0.88, 115.0];
/// Points per axis of the course's grid, linspace(0, 1, 100).
pub const GRID_SIZE: usize = 100;

/// The Coulombic efficiency E(s, a), clamped to [0.88, 0.997] (see the module's
/// documentation). NaN only if 8s + 2a overflows (or an input is NaN).
pub fn efficiency(s: f64, a: f64) -> f64 {
    let peak =
        0.030 * (-((s - 0.35) / 0.22).powi(2) - ((a - 0.28) / 0.18).powi(2)).exp();
    let dip =
        0.020 * (-((s - 0.85) / 0.25).powi(2) - ((a - 0.78) / 0.22).powi(2)).exp();
    let e = 0.965 + peak
        - dip
        - 0.012 * (s - 0.55).powi(2)
        - 0.010 * (a - 0.35).powi(2)
        + 0.003 * (8.0 * s + 2.0 * a).sin();
    clamp(e, EFFICIENCY_CLAMP)
}

/// The charging capacity C(s, a), clamped to [110, 235] (see the module's documentation).
/// NaN only if 5s − 1.5a overflows (or an input is NaN).
pub fn capacity(s: f64, a: f64) -> f64 {
    let peak =
        72.0 * (-((s - 0.72) / 0.24).powi(2) - ((a - 0.62) / 0.28).powi(2)).exp();
    let dip =
        22.0 * (-((s - 0.25) / 0.18).powi(2) - ((a - 0.25) / 0.18).powi(2)).exp();
    let c =
        145.0 + peak + 18.0 * s + 10.0 * a - dip + 4.0 * (5.0 * s - 1.5 * a).sin();
    clamp(c, CAPACITY_CLAMP)
}

/// `v` clamped to [lo, hi]; NaN stays NaN (as in NumPy and PyTorch).
fn clamp(v: f64, (lo, hi): (f64, f64)) -> f64 {
    v.clamp(lo, hi)
}

/// The battery problem: inputs (s, a) ∈ [0, 1]², objectives (E, C), both maximised.
#[derive(Debug, Clone)]
pub struct Battery {
    bounds: Bounds,
}

impl Default for Battery {
    fn default() -> Self {
        Battery::new()
    }
}

impl Battery {
    /// Inputs: salt concentration s and additive fraction a.
    pub const DIM: usize = 2;
    /// Objectives: efficiency E and capacity C.
    pub const OBJECTIVES: usize = 2;
    /// The objectives' names, in column order.
    pub const OBJECTIVE_NAMES: [&'static str; 2] = ["efficiency", "capacity"];

    /// The problem on [0, 1]².
    pub fn new() -> Self {
        Battery { bounds: Bounds::unit(Self::DIM).expect("the unit square") }
    }

    /// The box [0, 1]².
    pub fn bounds(&self) -> &Bounds {
        &self.bounds
    }

    /// (E, C) at x = (s, a).
    ///
    /// # Errors
    /// [`Error::ShapeMismatch`] unless `x` has 2 coordinates, [`Error::NonFinite`] for a
    /// non-finite coordinate, [`Error::InvalidInput`] for a point so far outside the box
    /// that a sine's argument overflows.
    pub fn evaluate(&self, x: ArrayView1<'_, f64>) -> Result<[f64; 2]> {
        if x.len() != Self::DIM {
            return Err(Error::ShapeMismatch {
                context: "Battery::evaluate",
                expected: vec![Self::DIM],
                found: vec![x.len()],
            });
        }
        if x.iter().any(|v| !v.is_finite()) {
            return Err(Error::NonFinite { context: "Battery::evaluate" });
        }
        let (s, a) = (x[0], x[1]);
        let y = [efficiency(s, a), capacity(s, a)];
        if y.iter().all(|v| v.is_finite()) {
            Ok(y)
        } else {
            Err(Error::InvalidInput {
                context: "Battery::evaluate",
                reason: format!(
                    "the battery objectives overflow at ({s}, {a}): the point is too far \
                     outside the box for the formula to be represented in double precision"
                ),
            })
        }
    }

    /// The objectives at each row of `x` (n × 2): an n × 2 matrix with E in column 0 and C
    /// in column 1.
    ///
    /// # Errors
    /// [`Error::ShapeMismatch`] unless `x` has 2 columns; otherwise as
    /// [`Battery::evaluate`], for the first row that fails.
    pub fn evaluate_all(&self, x: ArrayView2<'_, f64>) -> Result<Array2<f64>> {
        if x.ncols() != Self::DIM {
            return Err(Error::ShapeMismatch {
                context: "Battery::evaluate_all",
                expected: vec![x.nrows(), Self::DIM],
                found: x.shape().to_vec(),
            });
        }
        let mut y = Array2::zeros((x.nrows(), Self::OBJECTIVES));
        for (i, row) in x.rows().into_iter().enumerate() {
            let v = self.evaluate(row)?;
            y[[i, 0]] = v[0];
            y[[i, 1]] = v[1];
        }
        Ok(y)
    }

    /// The n × n grid of the box, linspace(0, 1, n) per axis, as an n² × 2 matrix in "ij"
    /// order: row k = i·n + j is (sᵢ, aⱼ). The course's grid has n = [`GRID_SIZE`].
    ///
    /// # Errors
    /// [`Error::InvalidInput`] if n < 2.
    pub fn grid(&self, n: usize) -> Result<Array2<f64>> {
        if n < 2 {
            return Err(Error::InvalidInput {
                context: "Battery::grid",
                reason: format!("a grid needs at least 2 points per axis, got {n}"),
            });
        }
        let t = linspace(0.0, 1.0, n);
        Ok(Array2::from_shape_fn((n * n, 2), |(k, c)| {
            if c == 0 {
                t[k / n]
            } else {
                t[k % n]
            }
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::{array, Array1};

    fn grid_values() -> (Array2<f64>, Array2<f64>) {
        let b = Battery::new();
        let x = b.grid(GRID_SIZE).unwrap();
        let y = b.evaluate_all(x.view()).unwrap();
        (x, y)
    }

    /// The index of the first largest entry.
    fn first_argmax(v: ArrayView1<'_, f64>) -> usize {
        let mut best = 0;
        for (i, &x) in v.iter().enumerate() {
            if x > v[best] {
                best = i;
            }
        }
        best
    }

    #[test]
    fn grid_ranges_are_the_course_s_to_the_last_digit() {
        let (_, y) = grid_values();
        let range = |c: usize| {
            let col = y.column(c);
            let lo = col.iter().copied().fold(f64::INFINITY, f64::min);
            let hi = col.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            (lo, hi)
        };
        let (e_lo, e_hi) = range(0);
        let (c_lo, c_hi) = range(1);
        assert!((e_lo - 0.9441960876196617).abs() < 1e-15, "{e_lo}");
        assert!((e_hi - 0.9939438365825255).abs() < 1e-15, "{e_hi}");
        assert!((c_lo - 132.8574149935737).abs() < 1e-12, "{c_lo}");
        assert_eq!(c_hi, 235.0);
    }

    #[test]
    fn the_grid_argmaxima_are_at_33_27_and_67_60() {
        let (x, y) = grid_values();
        let e = first_argmax(y.column(0));
        let c = first_argmax(y.column(1));
        assert_eq!((e / GRID_SIZE, e % GRID_SIZE), (33, 27));
        assert_eq!((c / GRID_SIZE, c % GRID_SIZE), (67, 60));
        assert!((x[[e, 0]] - 33.0 / 99.0).abs() < 1e-15);
        assert!((x[[c, 1]] - 60.0 / 99.0).abs() < 1e-15);
    }

    #[test]
    fn eighty_nine_grid_points_sit_on_the_capacity_plateau() {
        let (_, y) = grid_values();
        let clamped = y.column(1).iter().filter(|&&c| c == 235.0).count();
        assert_eq!(clamped, 89);
        // E is never clamped on the box.
        assert!(y.column(0).iter().all(|&e| e > 0.88 && e < 0.997));
    }

    /// Non-dominated rows of an n × 2 matrix (maximisation), duplicates kept once, by a
    /// sort and a sweep: an independent check of the library's Pareto filter.
    fn front_by_sweep(y: &Array2<f64>) -> Vec<[f64; 2]> {
        let mut pts: Vec<[f64; 2]> =
            y.rows().into_iter().map(|r| [r[0], r[1]]).collect();
        // E descending, then C descending: a point is kept iff its C beats every C before.
        pts.sort_by(|p, q| q[0].total_cmp(&p[0]).then(q[1].total_cmp(&p[1])));
        let mut front: Vec<[f64; 2]> = Vec::new();
        let mut best_c = f64::NEG_INFINITY;
        for p in pts {
            if p[1] > best_c {
                front.push(p);
                best_c = p[1];
            }
        }
        front
    }

    /// 2-D hypervolume, the course's formula: front sorted by E descending,
    /// Σ (Eᵢ − Eᵢ₊₁)(Cᵢ − r₂) with E_{n+1} = r₁.
    fn hypervolume_2d(front: &[[f64; 2]], r: [f64; 2]) -> f64 {
        let mut f = front.to_vec();
        f.sort_by(|p, q| q[0].total_cmp(&p[0]));
        (0..f.len())
            .map(|i| {
                let next = if i + 1 < f.len() { f[i + 1][0] } else { r[0] };
                (f[i][0] - next) * (f[i][1] - r[1])
            })
            .sum()
    }

    #[test]
    fn the_grid_front_has_229_points_and_hypervolume_11_759799() {
        let (_, y) = grid_values();
        let front = front_by_sweep(&y);
        assert_eq!(front.len(), 229);
        let hv = hypervolume_2d(&front, REFERENCE_POINT);
        assert!((hv - 11.759799).abs() < 5e-7, "{hv}");
        // The front spans E ∈ [0.95975, 0.99394] and C ∈ [141.211, 235].
        let e_min = front.iter().map(|p| p[0]).fold(f64::INFINITY, f64::min);
        let c_min = front.iter().map(|p| p[1]).fold(f64::INFINITY, f64::min);
        assert!((e_min - 0.95975).abs() < 5e-6, "{e_min}");
        assert!((c_min - 141.211).abs() < 5e-4, "{c_min}");
        assert!(front.iter().any(|p| p[1] == 235.0));
    }

    #[test]
    fn the_ten_printed_formulations() {
        // (s, a) → (E, C), inputs and values printed to 6 decimals.
        let rows = [
            (0.205256, 0.358456, 0.981780, 140.073846),
            (0.630919, 0.549240, 0.961653, 223.585254),
            (0.028490, 0.293221, 0.967412, 142.709955),
            (0.271524, 0.611339, 0.963474, 159.511116),
            (0.873679, 0.722048, 0.946376, 209.212086),
            (0.263656, 0.808522, 0.960182, 159.481873),
            (0.627663, 0.097114, 0.963832, 159.630548),
            (0.370619, 0.877682, 0.958414, 166.200719),
            (0.285057, 0.754617, 0.960616, 160.966604),
            (0.395999, 0.514588, 0.966915, 169.799363),
        ];
        let b = Battery::new();
        for (s, a, e, c) in rows {
            let [ve, vc] = b.evaluate(array![s, a].view()).unwrap();
            // Inputs rounded to 5e-7 move E by at most ~1e-7 and C by ~1e-4.
            assert!((ve - e).abs() < 1e-6, "E({s}, {a}) = {ve}, printed {e}");
            assert!((vc - c).abs() < 2e-4, "C({s}, {a}) = {vc}, printed {c}");
        }
        // The observed Pareto set of the ten is rows 1, 2, 3 and 10.
        let y = Array2::from_shape_fn((10, 2), |(i, j)| {
            let (_, _, e, c) = rows[i];
            [e, c][j]
        });
        let mut front = front_by_sweep(&y);
        front.sort_by(|p, q| p[0].total_cmp(&q[0]));
        let expected = [rows[1], rows[9], rows[2], rows[0]];
        assert_eq!(front.len(), 4);
        for (p, r) in front.iter().zip(expected) {
            assert_eq!((p[0], p[1]), (r.2, r.3));
        }
        assert!((hypervolume_2d(&front, REFERENCE_POINT) - 9.528699).abs() < 5e-6);
    }

    #[test]
    fn the_clamps_bind_far_outside_the_box() {
        assert_eq!(capacity(5.0, 5.0), 235.0);
        assert_eq!(capacity(-5.0, -5.0), 110.0);
        assert_eq!(efficiency(5.0, -5.0), 0.88);
        // Inside the box the formula is unclamped where C < 235: a hand evaluation.
        let (s, a): (f64, f64) = (0.5, 0.5);
        let c = 145.0
            + 72.0
                * (-((s - 0.72) / 0.24).powi(2) - ((a - 0.62) / 0.28).powi(2))
                    .exp()
            + 18.0 * s
            + 10.0 * a
            - 22.0
                * (-((s - 0.25) / 0.18).powi(2) - ((a - 0.25) / 0.18).powi(2))
                    .exp()
            + 4.0 * (5.0 * s - 1.5 * a).sin();
        assert!(c < 235.0);
        assert_eq!(capacity(s, a), c);
    }

    #[test]
    fn bad_points_are_refused() {
        let b = Battery::new();
        assert!(matches!(
            b.evaluate(Array1::zeros(3).view()),
            Err(Error::ShapeMismatch { .. })
        ));
        assert!(matches!(
            b.evaluate(array![f64::NAN, 0.5].view()),
            Err(Error::NonFinite { .. })
        ));
        assert!(matches!(
            b.evaluate(array![0.5, f64::INFINITY].view()),
            Err(Error::NonFinite { .. })
        ));
        assert!(matches!(
            b.evaluate(array![f64::MAX, 0.5].view()),
            Err(Error::InvalidInput { .. })
        ));
        assert!(matches!(
            b.evaluate_all(Array2::zeros((4, 3)).view()),
            Err(Error::ShapeMismatch { .. })
        ));
        assert!(matches!(b.grid(1), Err(Error::InvalidInput { .. })));
        // Far but representable points give clamped, finite values.
        for x in [1e3, -1e3, 1e30, -1e30, 1e300] {
            let [e, c] = b.evaluate(array![x, -x].view()).unwrap();
            assert!((0.88..=0.997).contains(&e) && (110.0..=235.0).contains(&c));
        }
    }

    #[test]
    fn the_grid_is_ij_ordered_linspace() {
        let g = Battery::new().grid(3).unwrap();
        assert_eq!(
            g,
            array![
                [0.0, 0.0],
                [0.0, 0.5],
                [0.0, 1.0],
                [0.5, 0.0],
                [0.5, 0.5],
                [0.5, 1.0],
                [1.0, 0.0],
                [1.0, 0.5],
                [1.0, 1.0]
            ]
        );
    }
}
