//! Part 6's co-catalyst loading problems, to be **maximised** over x ∈ [0, 1]: a
//! high-fidelity activity h(x), cheaper but biased evaluations F(x, s) at fidelity s, and an
//! activity g(x, c) whose optimum moves with an external context c (a light intensity).
//!
//! Written exactly as the course writes them (the worked outputs depend on every bit). The
//! course evaluates them on [`grid`], 500 evenly spaced points of [0, 1]; the grid optima
//! below are the course's check values, recomputed here in double precision. Each function
//! is finite for every finite argument up to about 10¹⁵⁴ (beyond, a square overflows); the
//! checked versions [`checked`] report a non-finite argument or value as an error.

use crate::numeric::linspace;
use crate::{Error, Result};

/// The number of points of the course's grid over [0, 1].
pub const GRID_POINTS: usize = 500;

/// The course's grid: [`GRID_POINTS`] evenly spaced points from 0 to 1, both included.
pub fn grid() -> Vec<f64> {
    linspace(0.0, 1.0, GRID_POINTS)
}

/// The high-fidelity target (a co-catalyst loading's true activity),
///
/// h(x) = 0.35 + 0.95 exp(−½((x − 0.68)/0.14)²) + 0.38 exp(−½((x − 0.27)/0.10)²)
///        + 0.04 sin(18x + 0.3) − 0.08(x − 0.55)².
///
/// Its maximum on [`grid`] is [`TARGET_GRID_OPTIMUM`]; on [0, 1] it is
/// [`TARGET_OPTIMUM`], with a secondary local maximum [`TARGET_SECONDARY`].
pub fn target(x: f64) -> f64 {
    0.35 + 0.95 * (-0.5 * ((x - 0.68) / 0.14).powi(2)).exp()
        + 0.38 * (-0.5 * ((x - 0.27) / 0.10).powi(2)).exp()
        + 0.04 * (18.0 * x + 0.3).sin()
        - 0.08 * (x - 0.55).powi(2)
}

/// The bias of a low-fidelity evaluation, before its weight 1 − s,
///
/// b(x) = 0.22 exp(−½((x − 0.38)/0.17)²) − 0.18 exp(−½((x − 0.78)/0.13)²) + 0.06 sin(9x + 0.5).
pub fn bias(x: f64) -> f64 {
    0.22 * (-0.5 * ((x - 0.38) / 0.17).powi(2)).exp()
        - 0.18 * (-0.5 * ((x - 0.78) / 0.13).powi(2)).exp()
        + 0.06 * (9.0 * x + 0.5).sin()
}

/// An evaluation at fidelity s (s = 1 is the target itself),
///
/// F(x, s) = h(x) + (1 − s)·b(x) − 0.05(1 − s).
///
/// The formula is defined for any s; which fidelities can actually be run is a question for
/// [`crate::fidelity::Fidelities`]. The course's levels are [`LEVELS`].
pub fn multi_fidelity(x: f64, s: f64) -> f64 {
    target(x) + (1.0 - s) * bias(x) - 0.05 * (1.0 - s)
}

/// The course's fidelity levels, cheapest first.
pub const LEVELS: [f64; 3] = [0.2, 0.5, 1.0];

/// The course's price of an evaluation at fidelity s: 0.15 + 0.85 s² (0.184, 0.3625 and 1.0
/// at [`LEVELS`]). See [`crate::fidelity::QuadraticCost::COURSE`].
pub const COST_FIXED: f64 = 0.15;
/// The part of the price that grows with s²: see [`COST_FIXED`].
pub const COST_SCALE: f64 = 0.85;

/// The high-fidelity maximum on [`grid`]: x = 346/499, h(x). The course's check value.
pub const TARGET_GRID_OPTIMUM: (f64, f64) =
    (0.6933867735470942, 1.3025887326852548);

/// The maximum of h on [0, 1], (x*, h(x*)), off the grid (the course's (0.69403, 1.302599)).
pub const TARGET_OPTIMUM: (f64, f64) = (0.6940298209530095, 1.302599215271069);

/// The secondary local maximum of h, near the smaller bump (the course's (0.3008, 0.7101)).
pub const TARGET_SECONDARY: (f64, f64) = (0.3007686389341705, 0.7101309649260916);

/// Where the contextual activity's main peak sits: x*(c) = 0.25 + 0.55c.
pub fn contextual_peak(c: f64) -> f64 {
    0.25 + 0.55 * c
}

/// The activity under context c (a light intensity in [0, 1]),
///
/// g(x, c) = 0.25 + (0.75 + 0.35c) exp(−½((x − x*(c))/0.13)²)
///           + 0.25 exp(−½((x − (0.75 − 0.25c))/0.18)²) + 0.04 sin(12x + 4c),
///
/// with x*(c) = [`contextual_peak`]. The grid optimum is close to x*(c) but not on it: the
/// second bump and the sine pull it aside.
pub fn contextual(x: f64, c: f64) -> f64 {
    let peak = contextual_peak(c);
    0.25 + (0.75 + 0.35 * c) * (-0.5 * ((x - peak) / 0.13).powi(2)).exp()
        + 0.25 * (-0.5 * ((x - (0.75 - 0.25 * c)) / 0.18).powi(2)).exp()
        + 0.04 * (12.0 * x + 4.0 * c).sin()
}

/// The checked versions: each function with its arguments and value required finite.
pub mod checked {
    use super::*;

    fn finite(value: f64, context: &'static str) -> Result<f64> {
        if value.is_finite() {
            Ok(value)
        } else {
            Err(Error::InvalidInput {
                context,
                reason:
                    "the formula overflows: the argument is too far outside [0, 1]"
                        .into(),
            })
        }
    }

    fn arguments(args: &[f64], context: &'static str) -> Result<()> {
        if args.iter().all(|v| v.is_finite()) {
            Ok(())
        } else {
            Err(Error::NonFinite { context })
        }
    }

    /// [`target`](super::target) h(x).
    ///
    /// # Errors
    /// [`Error::NonFinite`] for a non-finite x, [`Error::InvalidInput`] where the formula
    /// overflows (|x| beyond about 10¹⁵⁴).
    pub fn target(x: f64) -> Result<f64> {
        arguments(&[x], "cocatalyst::target")?;
        finite(super::target(x), "cocatalyst::target")
    }

    /// [`multi_fidelity`](super::multi_fidelity) F(x, s).
    ///
    /// # Errors
    /// As for [`target`].
    pub fn multi_fidelity(x: f64, s: f64) -> Result<f64> {
        arguments(&[x, s], "cocatalyst::multi_fidelity")?;
        finite(super::multi_fidelity(x, s), "cocatalyst::multi_fidelity")
    }

    /// [`contextual`](super::contextual) g(x, c).
    ///
    /// # Errors
    /// As for [`target`].
    pub fn contextual(x: f64, c: f64) -> Result<f64> {
        arguments(&[x, c], "cocatalyst::contextual")?;
        finite(super::contextual(x, c), "cocatalyst::contextual")
    }
}

/// The index and value of the largest of `f` over `xs` (the first on ties).
///
/// # Errors
/// [`Error::Empty`] for no points, [`Error::NonFinite`] for a non-finite point or value.
pub fn grid_maximum(xs: &[f64], f: impl Fn(f64) -> f64) -> Result<(usize, f64)> {
    if xs.is_empty() {
        return Err(Error::Empty { context: "grid_maximum: the points" });
    }
    let mut best: Option<(usize, f64)> = None;
    for (i, &x) in xs.iter().enumerate() {
        let v = f(x);
        if !x.is_finite() || !v.is_finite() {
            return Err(Error::NonFinite { context: "grid_maximum" });
        }
        if best.is_none_or(|(_, b)| v > b) {
            best = Some((i, v));
        }
    }
    best.ok_or(Error::Empty { context: "grid_maximum: the points" })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::numeric::derivative;

    fn close(a: f64, b: f64, tol: f64) -> bool {
        (a - b).abs() <= tol
    }

    #[test]
    fn the_high_fidelity_grid_optimum_is_the_courses() {
        let xs = grid();
        assert_eq!(xs.len(), 500);
        let (i, v) = grid_maximum(&xs, target).unwrap();
        assert_eq!(i, 346);
        assert!(close(xs[i], TARGET_GRID_OPTIMUM.0, 1e-15), "{}", xs[i]);
        assert!(close(v, TARGET_GRID_OPTIMUM.1, 1e-14), "{v}");
    }

    #[test]
    fn the_continuous_maxima_are_stationary_and_match_the_course() {
        for (x, v) in [TARGET_OPTIMUM, TARGET_SECONDARY] {
            assert!(close(target(x), v, 1e-14));
            assert!(derivative(target, x, 1e-6).abs() < 1e-8);
            // A maximum: lower on both sides.
            assert!(target(x - 1e-4) < v && target(x + 1e-4) < v);
        }
        assert!(close(TARGET_OPTIMUM.0, 0.69403, 5e-6));
        assert!(close(TARGET_OPTIMUM.1, 1.302599, 5e-7));
        assert!(close(TARGET_SECONDARY.0, 0.3008, 5e-5));
        assert!(close(TARGET_SECONDARY.1, 0.7101, 5e-5));
        // The grid optimum is below the continuous one, and no grid point beats it.
        assert!(TARGET_GRID_OPTIMUM.1 < TARGET_OPTIMUM.1);
    }

    #[test]
    fn each_fidelity_has_its_own_grid_maximum() {
        let xs = grid();
        // The course's recomputed values: s = 0.2 at 0.68136 (1.203586), s = 0.5 at
        // 0.68737 (1.239883); s = 1 is the target.
        let cases = [(0.2, 0.68136, 1.203586), (0.5, 0.68737, 1.239883)];
        for (s, x, v) in cases {
            let (i, best) = grid_maximum(&xs, |x| multi_fidelity(x, s)).unwrap();
            assert!(close(xs[i], x, 5e-6), "s = {s}: {}", xs[i]);
            assert!(close(best, v, 5e-7), "s = {s}: {best}");
        }
        for &x in &xs {
            assert_eq!(multi_fidelity(x, 1.0), target(x));
        }
        // F at s = 0.2 at the grid optimum, by hand: h + 0.8 b − 0.04.
        let (x, h) = TARGET_GRID_OPTIMUM;
        assert!(close(multi_fidelity(x, 0.2), h + 0.8 * bias(x) - 0.04, 1e-15));
    }

    #[test]
    fn target_values_at_the_courses_recommendations() {
        assert!(close(target(0.687375), 1.301483, 5e-7));
        assert!(close(target(0.691383), 1.302422, 5e-7));
    }

    #[test]
    fn contextual_grid_optima_are_the_courses() {
        let xs = grid();
        let table = [
            (0.0, 0.240481, 1.012664),
            (0.1, 0.302605, 1.019721),
            (0.2, 0.376754, 1.080250),
            (0.4, 0.488978, 1.335179),
            (0.5, 0.531062, 1.426904),
            (0.6, 0.575150, 1.461868),
            (0.8, 0.679359, 1.432177),
            (0.9, 0.739479, 1.433264),
            (1.0, 0.795591, 1.447520),
        ];
        for (c, x, v) in table {
            let (i, best) = grid_maximum(&xs, |x| contextual(x, c)).unwrap();
            assert!(close(xs[i], x, 5e-7), "c = {c}: {}", xs[i]);
            assert!(close(best, v, 5e-7), "c = {c}: {best}");
        }
    }

    #[test]
    fn contextual_values_at_the_courses_printed_inputs() {
        // Appendix C: the initial design (x, c) → g, inputs printed to six decimals.
        let initial = [
            (0.975892, 0.880871, 0.468543),
            (0.279166, 0.338503, 0.653815),
            (0.309347, 0.022200, 0.948518),
            (0.518247, 0.593114, 1.371096),
            (0.623181, 0.825882, 1.293103),
            (0.745105, 0.669870, 0.996194),
            (0.614642, 0.584244, 1.391164),
            (0.499116, 0.256839, 1.018123),
            (0.522118, 0.772366, 1.010086),
            (0.817265, 0.003610, 0.467299),
        ];
        // Inputs rounded to 6 decimals move g by up to about 3e-6 here.
        for (x, c, g) in initial {
            assert!(close(contextual(x, c), g, 4e-6), "g({x}, {c})");
        }
        // The loop's chosen and recommended points (grid values, printed to six decimals).
        let steps = [
            (0.15, 0.000000, 0.303158, 0.478958, 0.785753),
            (0.85, 0.691383, 1.419480, 0.653307, 1.341718),
            (0.35, 0.599198, 0.936601, 0.543086, 1.137332),
            (0.65, 0.597194, 1.460673, 0.599198, 1.460681),
            (0.25, 0.410822, 1.137007, 0.464930, 1.079438),
            (0.75, 0.657315, 1.439542, 0.649299, 1.440682),
            (0.45, 0.496994, 1.381675, 0.513026, 1.387675),
            (0.95, 0.729459, 1.395163, 0.711423, 1.346042),
            (0.10, 0.396794, 0.873183, 0.376754, 0.923426),
            (0.55, 0.557114, 1.450893, 0.553106, 1.451415),
            (0.70, 0.625251, 1.451867, 0.625251, 1.451867),
            (0.30, 0.434870, 1.203144, 0.438878, 1.203740),
        ];
        for (c, x, g, xr, gr) in steps {
            assert!(close(contextual(x, c), g, 4e-6), "g({x}, {c})");
            assert!(close(contextual(xr, c), gr, 4e-6), "g({xr}, {c})");
        }
    }

    #[test]
    fn checked_versions_refuse_non_finite_arguments_and_overflow() {
        assert_eq!(checked::target(0.3), Ok(target(0.3)));
        assert_eq!(checked::multi_fidelity(0.3, 0.5), Ok(multi_fidelity(0.3, 0.5)));
        assert_eq!(checked::contextual(0.3, 0.5), Ok(contextual(0.3, 0.5)));
        assert!(matches!(checked::target(f64::NAN), Err(Error::NonFinite { .. })));
        assert!(matches!(
            checked::multi_fidelity(0.5, f64::INFINITY),
            Err(Error::NonFinite { .. })
        ));
        assert!(matches!(
            checked::contextual(f64::NEG_INFINITY, 0.5),
            Err(Error::NonFinite { .. })
        ));
        assert!(matches!(checked::target(1e200), Err(Error::InvalidInput { .. })));
        // Far out but representable: finite.
        assert!(checked::target(1e100).unwrap().is_finite());
        assert!(checked::contextual(1e300, 0.5).unwrap().is_finite());
    }

    #[test]
    fn grid_maximum_refuses_bad_grids() {
        assert!(matches!(grid_maximum(&[], target), Err(Error::Empty { .. })));
        assert!(matches!(
            grid_maximum(&[0.1, f64::NAN], target),
            Err(Error::NonFinite { .. })
        ));
        assert_eq!(grid_maximum(&[0.0, 1.0, 1.0], |x| x), Ok((1, 1.0)));
    }
}
