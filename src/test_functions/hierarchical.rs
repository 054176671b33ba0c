//! The course's hierarchical workflow (Part 6): a material is made under synthesis
//! conditions U = (u₁, u₂) (precursor ratio, annealing temperature), then operated under
//! conditions V = (v₁, v₂) (electrolyte pH, applied potential). Every variable is
//! normalised to [0, 1], and the problem is a maximisation.
//!
//! The synthesis fixes three latent material properties,
//!
//! - crystallinity κ = exp(−½((u₁ − 0.65)/0.18)²),
//! - defect density δ = exp(−½((u₂ − 0.35)/0.16)²),
//! - surface activation α = sigmoid(8(u₁ + 0.6u₂ − 0.75)),
//!
//! and through them the material's quality Q(U) = 0.45 + 0.75κ + 0.45 exp(−½((δ −
//! 0.72)/0.22)²) + 0.25α − 0.18κδ, its preferred operating point V\*(U) = clamp((0.25 +
//! 0.45κ − 0.10δ, 0.30 + 0.35δ + 0.15α), 0.05, 0.95), and how tolerant it is of operating
//! away from it, the widths w₁ = 0.11 + 0.05α and w₂ = 0.12 + 0.04κ. The measured
//! performance is
//!
//! y(U, V) = Q(U) + 0.95 exp(−½[((v₁ − v₁\*)/w₁)² + ((v₂ − v₂\*)/w₂)²]).
//!
//! Experiments are chosen from a finite [`library`]: each variable on the 15 levels k/14,
//! 225 syntheses × 225 operations = 50 625 pairs, the pair of synthesis s and operation o
//! at row s·225 + o ([`pair_index`]).
//!
//! Every formula is finite for every finite input, however far outside the unit square.

use crate::{Error, Result};
use ndarray::{Array1, Array2, ArrayView1};

/// Levels per variable in the library.
pub const LEVELS: usize = 15;
/// Syntheses (and operations) in the library: 15².
pub const SYNTHESES: usize = LEVELS * LEVELS;
/// Synthesis–operation pairs in the library: 225².
pub const PAIRS: usize = SYNTHESES * SYNTHESES;

/// The library's best pair: synthesis U = (9/14, 7/14), operation V = (9/14, 9/14).
pub const LIBRARY_OPTIMUM: [f64; 4] =
    [9.0 / 14.0, 7.0 / 14.0, 9.0 / 14.0, 9.0 / 14.0];
/// y at [`LIBRARY_OPTIMUM`], the largest value in the library.
pub const LIBRARY_OPTIMAL_VALUE: f64 = 2.661_731_591_699_96;

/// The latent properties a synthesis gives the material.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Properties {
    /// Crystallinity κ ∈ (0, 1].
    pub crystallinity: f64,
    /// Defect density δ ∈ (0, 1].
    pub defects: f64,
    /// Surface activation α ∈ (0, 1).
    pub activation: f64,
}

fn gaussian(x: f64, centre: f64, width: f64) -> f64 {
    let z = (x - centre) / width;
    (-0.5 * z * z).exp()
}

/// The logistic function, written so that it neither overflows nor loses its tails.
fn sigmoid(t: f64) -> f64 {
    if t >= 0.0 {
        1.0 / (1.0 + (-t).exp())
    } else {
        let e = t.exp();
        e / (1.0 + e)
    }
}

/// κ, δ and α at synthesis `u` = (u₁, u₂).
pub fn properties(u: [f64; 2]) -> Properties {
    Properties {
        crystallinity: gaussian(u[0], 0.65, 0.18),
        defects: gaussian(u[1], 0.35, 0.16),
        activation: sigmoid(8.0 * (u[0] + 0.6 * u[1] - 0.75)),
    }
}

/// The preferred operating point V\*(U), each coordinate clamped to [0.05, 0.95].
pub fn preferred_operation(u: [f64; 2]) -> [f64; 2] {
    let p = properties(u);
    [
        (0.25 + 0.45 * p.crystallinity - 0.10 * p.defects).clamp(0.05, 0.95),
        (0.30 + 0.35 * p.defects + 0.15 * p.activation).clamp(0.05, 0.95),
    ]
}

/// The material's quality Q(U): y at the preferred operating point is Q + 0.95.
pub fn quality(u: [f64; 2]) -> f64 {
    let p = properties(u);
    0.45 + 0.75 * p.crystallinity
        + 0.45 * gaussian(p.defects, 0.72, 0.22)
        + 0.25 * p.activation
        - 0.18 * p.crystallinity * p.defects
}

/// The operating widths (w₁, w₂): how far from V\* the response falls by e^{−½}.
pub fn widths(u: [f64; 2]) -> [f64; 2] {
    let p = properties(u);
    [0.11 + 0.05 * p.activation, 0.12 + 0.04 * p.crystallinity]
}

/// The operation's contribution, 0.95 exp(−½[((v₁ − v₁\*)/w₁)² + ((v₂ − v₂\*)/w₂)²]).
pub fn response(u: [f64; 2], v: [f64; 2]) -> f64 {
    let star = preferred_operation(u);
    let w = widths(u);
    0.95 * gaussian(v[0], star[0], w[0]) * gaussian(v[1], star[1], w[1])
}

/// y(U, V) = Q(U) + response(U, V), for finite coordinates.
pub fn performance(u: [f64; 2], v: [f64; 2]) -> f64 {
    quality(u) + response(u, v)
}

/// y at a pair x = (u₁, u₂, v₁, v₂).
///
/// # Errors
/// [`Error::ShapeMismatch`] unless `x` has four coordinates, [`Error::NonFinite`] for a
/// non-finite one.
pub fn value(x: ArrayView1<'_, f64>) -> Result<f64> {
    if x.len() != 4 {
        return Err(Error::ShapeMismatch {
            context: "hierarchical::value: a pair (u₁, u₂, v₁, v₂)",
            expected: vec![4],
            found: vec![x.len()],
        });
    }
    if x.iter().any(|v| !v.is_finite()) {
        return Err(Error::NonFinite { context: "hierarchical::value" });
    }
    Ok(performance([x[0], x[1]], [x[2], x[3]]))
}

/// The library's levels of one variable, k/14 for k = 0, …, 14.
pub fn levels() -> Array1<f64> {
    Array1::from_shape_fn(LEVELS, |k| k as f64 / (LEVELS - 1) as f64)
}

/// The 225 points of a 15 × 15 grid, the first coordinate the slow index: the library's
/// syntheses, and equally its operations.
pub fn grid() -> Array2<f64> {
    let l = levels();
    Array2::from_shape_fn((SYNTHESES, 2), |(k, j)| {
        if j == 0 {
            l[k / LEVELS]
        } else {
            l[k % LEVELS]
        }
    })
}

/// The row of synthesis `s` and operation `o` (each 0..225) in [`library`]: s·225 + o.
pub fn pair_index(s: usize, o: usize) -> usize {
    s * SYNTHESES + o
}

/// The whole library, 50 625 rows (u₁, u₂, v₁, v₂): synthesis s with operation o at row
/// s·225 + o.
pub fn library() -> Array2<f64> {
    let g = grid();
    Array2::from_shape_fn((PAIRS, 4), |(k, j)| {
        if j < 2 {
            g[[k / SYNTHESES, j]]
        } else {
            g[[k % SYNTHESES, j - 2]]
        }
    })
}

/// y at every pair of the library, in its order.
pub fn library_values() -> Array1<f64> {
    let g = grid();
    Array1::from_shape_fn(PAIRS, |k| {
        let (s, o) = (k / SYNTHESES, k % SYNTHESES);
        performance([g[[s, 0]], g[[s, 1]]], [g[[o, 0]], g[[o, 1]]])
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    fn close(a: f64, b: f64, tol: f64) -> bool {
        (a - b).abs() <= tol
    }

    #[test]
    fn the_library_has_the_courses_sizes_and_order() {
        let lib = library();
        assert_eq!((grid().nrows(), lib.nrows(), lib.ncols()), (225, 50_625, 4));
        assert_eq!(
            lib.row(pair_index(3, 17)),
            array![0.0, 3.0 / 14.0, 1.0 / 14.0, 2.0 / 14.0]
        );
        assert_eq!(lib.row(PAIRS - 1), array![1.0, 1.0, 1.0, 1.0]);
    }

    #[test]
    fn the_library_optimum_is_the_courses() {
        let y = library_values();
        let (best, &value) = y
            .iter()
            .enumerate()
            .fold((0, &f64::NEG_INFINITY), |b, c| if c.1 > b.1 { c } else { b });
        // U = (9/14, 7/14) is synthesis 9·15 + 7, V = (9/14, 9/14) operation 9·15 + 9.
        assert_eq!(best, pair_index(9 * 15 + 7, 9 * 15 + 9));
        assert_eq!(library().row(best), Array1::from(LIBRARY_OPTIMUM.to_vec()));
        assert!(close(value, LIBRARY_OPTIMAL_VALUE, 1e-13), "{value}");
        assert!(close(value, 2.66173159169996, 1e-13));
        // At that synthesis: V* = (0.63521, 0.64912) and Q = 1.713673.
        let u = [9.0 / 14.0, 0.5];
        let star = preferred_operation(u);
        assert!(
            close(star[0], 0.63521, 5e-6) && close(star[1], 0.64912, 5e-6),
            "{star:?}"
        );
        assert!(close(quality(u), 1.713673, 5e-7), "{}", quality(u));
    }

    #[test]
    fn the_best_pair_of_each_synthesis_lies_in_the_courses_range() {
        let y = library_values();
        let per: Vec<f64> = (0..SYNTHESES)
            .map(|s| {
                y.slice(ndarray::s![s * SYNTHESES..(s + 1) * SYNTHESES])
                    .fold(f64::NEG_INFINITY, |a, &b| a.max(b))
            })
            .collect();
        let lo = per.iter().copied().fold(f64::INFINITY, f64::min);
        let hi = per.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        assert!(close(lo, 1.35220, 5e-6) && close(hi, 2.66173, 5e-6), "{lo} {hi}");
    }

    #[test]
    fn the_example_syntheses_match_the_course() {
        // (U, V*, best library V in fourteenths, best y)
        let cases = [
            ([0.20, 0.20], [0.2053, 0.5302], [3.0, 7.0], 1.82808),
            ([0.55, 0.35], [0.5356, 0.7280], [7.0, 10.0], 2.18299),
            ([0.80, 0.70], [0.5589, 0.4786], [8.0, 7.0], 2.15746),
        ];
        let g = grid();
        for (u, star, v, y) in cases {
            let s = preferred_operation(u);
            assert!(
                close(s[0], star[0], 5e-5) && close(s[1], star[1], 5e-5),
                "{s:?}"
            );
            let (o, best) = (0..SYNTHESES)
                .map(|o| (o, performance(u, [g[[o, 0]], g[[o, 1]]])))
                .fold((0, f64::NEG_INFINITY), |b, c| if c.1 > b.1 { c } else { b });
            assert_eq!([g[[o, 0]] * 14.0, g[[o, 1]] * 14.0], v);
            assert!(close(best, y, 5e-6), "{best}");
        }
    }

    #[test]
    fn the_courses_initial_pairs_have_its_values() {
        // The course's printed initial pairs (six decimals) and their printed values.
        let pairs = [
            ([0.071429, 0.071429, 0.642857, 0.071429], 0.489516),
            ([0.142857, 0.285714, 0.857143, 1.000000], 0.763120),
            ([0.928571, 0.071429, 0.071429, 0.071429], 0.912750),
            ([0.642857, 0.428571, 0.857143, 0.285714], 1.575640),
            ([0.857143, 0.857143, 0.571429, 0.857143], 1.099399),
            ([0.857143, 0.142857, 0.571429, 0.857143], 1.280661),
            ([0.357143, 0.071429, 0.214286, 0.571429], 0.858690),
            ([0.500000, 0.285714, 0.428571, 0.928571], 1.449847),
            ([0.857143, 0.214286, 0.428571, 0.571429], 2.158998),
            ([0.428571, 0.642857, 0.785714, 1.000000], 0.966577),
        ];
        for (x, y) in pairs {
            // The exact library pair: each coordinate is the nearest fourteenth.
            let exact =
                Array1::from_shape_fn(4, |j| (x[j] * 14.0_f64).round() / 14.0);
            let v = value(exact.view()).unwrap();
            assert!(close(v, y, 1e-6), "{x:?}: {v} vs {y}");
        }
    }

    #[test]
    fn the_continuous_optimum_lies_just_above_the_librarys() {
        // Q + 0.95 at V = V*(U): ≈ 2.6796 near U ≈ (0.665, 0.4875).
        let mut best = (f64::NEG_INFINITY, [0.0; 2]);
        for i in 0..=400 {
            for j in 0..=400 {
                let u = [i as f64 / 400.0, j as f64 / 400.0];
                let y = quality(u) + 0.95;
                if y > best.0 {
                    best = (y, u);
                }
            }
        }
        assert!(close(best.0, 2.6796, 5e-5), "{best:?}");
        assert!(close(best.1[0], 0.665, 0.005) && close(best.1[1], 0.4875, 0.005));
        let u = best.1;
        let star = preferred_operation(u);
        assert!(close(performance(u, star), best.0, 1e-15));
    }

    #[test]
    fn bad_pairs_are_refused_and_far_points_stay_finite() {
        assert!(matches!(
            value(array![0.5, 0.5, 0.5].view()),
            Err(Error::ShapeMismatch { .. })
        ));
        assert!(matches!(
            value(array![0.5, f64::NAN, 0.5, 0.5].view()),
            Err(Error::NonFinite { .. })
        ));
        for s in [1e3, 1e150, 1e300, f64::MAX] {
            for x in [array![s, -s, s, -s], array![-s, s, -s, s]] {
                let v = value(x.view()).unwrap();
                assert!(v.is_finite(), "{x}: {v}");
            }
        }
        // Q is at least 0.45 − 0.18 and y at most Q + 0.95.
        assert!(close(sigmoid(-800.0), 0.0, 1e-300) && sigmoid(800.0) == 1.0);
    }
}
