//! Minimisation in a box: a projected limited-memory quasi-Newton method.
//!
//! [`minimise_bounded`] minimises a smooth f over the box Ω = {x : l ≤ x ≤ u} (a
//! [`Bounds`]), given f and ∇f. It is the inner solver of acquisition-function optimisation:
//! a few dozen iterations from each of many starts, in 1 to ~20 dimensions, often with the
//! optimum on a face or a corner of the box.
//!
//! # The idea
//!
//! The projection P(x)ᵢ = min(max(xᵢ, lᵢ), uᵢ) maps any point to the nearest point of the box,
//! and it is what turns an unconstrained method into a bounded one:
//!
//! 1. **Optimality.** A point x of the box is stationary when no feasible direction decreases
//!    f: ∂ᵢf ≥ 0 where xᵢ = lᵢ, ∂ᵢf ≤ 0 where xᵢ = uᵢ and ∂ᵢf = 0 in between (the KKT
//!    conditions). All three say that the *projected gradient*
//!    p(x) = x − P(x − ∇f(x)) vanishes, so ‖p(x)‖∞ measures how far x is from stationary
//!    (SciPy's L-BFGS-B tests the same quantity against its `pgtol`).
//! 2. **The active set.** A coordinate that sits on a bound with the gradient pushing it
//!    outwards (xᵢ = lᵢ and ∂ᵢf ≥ 0, or xᵢ = uᵢ and ∂ᵢf ≤ 0) cannot move; it is held fixed.
//!    The others, the free set F, are where the step is taken. Identifying the active set
//!    from the gradient each iteration lets a bound be left as soon as the gradient points
//!    inwards, and a whole group of bounds be reached in one step (step 4).
//! 3. **The quasi-Newton direction on F.** The last m steps sₖ = xₖ₊₁ − xₖ and gradient
//!    changes yₖ = ∇fₖ₊₁ − ∇fₖ, restricted to F, define an inverse Hessian approximation
//!    H_F: the BFGS updates H ← (I − ρsyᵀ)H(I − ρysᵀ) + ρssᵀ, ρ = 1/sᵀy, applied pair by
//!    pair to H⁰ = γI with γ = sᵀy/yᵀy of the newest pair. The two-loop recursion computes
//!    H_F∇_F f from the pairs without forming any matrix, and the direction is
//!    d_F = −H_F ∇_F f, d_A = 0. With no usable pair (at the start, or after the memory is
//!    cleared) d_F = −∇_F f/‖∇_F f‖₂, a first step of length 1 as in SciPy. A
//!    pair is used only if s_Fᵀy_F > ε‖s_F‖‖y_F‖: only pairs with positive curvature keep H_F
//!    positive definite (so d is a descent direction); pairs with sᵀy ≤ 0 arise because the
//!    line search below does not enforce the Wolfe curvature condition, because f is not
//!    convex, or because the motion was in coordinates that are now fixed. A free coordinate
//!    on a bound whose dᵢ points out of the box would be clamped by the projection, so it is
//!    moved to the active set and d recomputed: d is then the step of the model restricted
//!    to the coordinates that really move.
//! 4. **The projected line search.** Trial points follow the projection arc
//!    x(α) = P(x + αd), α = 1, then shrinking, until the Armijo condition
//!    f(x(α)) − f(x) ≤ c₁ ∇f(x)ᵀ(x(α) − x) holds (c₁ = 10⁻⁴). Along the arc, coordinates
//!    that reach a bound stop there while the others go on, so many bounds can become active
//!    at once. After a rejected trial, α shrinks to the minimiser of the quadratic through
//!    f(x), the predicted slope and the trial's value, kept within [0.1α, 0.5α]. A trial
//!    where f fails (an `Err`, NaN or ±∞ in its value or gradient) counts as f = +∞: the
//!    step is halved, so the search backs away from regions where f is not defined.
//!    Near a minimiser the decrease a step can make falls below f's rounding error, where
//!    Armijo's test can no longer be passed; a step that changes f by no more than that
//!    error (taken as 1000ε|f|) is then accepted if the slope along it has flattened as it does at a line
//!    minimum (Hager and Zhang's approximate Wolfe conditions, 2005). Otherwise the run would
//!    stall with ‖x − x*‖ ≈ √ε, long before the gradient is small.
//! 5. **The memory.** After each step the pair (s, y) is stored, the oldest of m dropped. If
//!    a line search finds no acceptable point, the pairs may describe f badly there: they
//!    are cleared and steepest descent tried once before the run gives up.
//!
//! This is Bertsekas's projected Newton idea (1982) with an L-BFGS matrix in place of the
//! Hessian, close to the projected quasi-Newton method of Kim, Sra and Dhillon (2010),
//! rather than the L-BFGS-B of Byrd, Lu, Nocedal and Zhu (1995), which finds the active set
//! through the generalised Cauchy point of a quadratic model and then minimises that model
//! over the free variables. Both take the same kind of step once the active set has settled;
//! this one is shorter and easier to follow, and it pays for that when the model's
//! constrained minimiser is far along a bent projection arc: L-BFGS-B's Cauchy point finds
//! such bounds in one step, this method may take a few.
//!
//! # Stopping
//!
//! After each iteration k, the first of: ‖p(xₖ)‖∞ ≤ `pgtol`; a relative reduction
//! (fₖ − fₖ₊₁) / max(|fₖ|, |fₖ₊₁|, 1) ≤ `ftol`; k = `max_iters`; the evaluation budget
//! `max_evals` spent; a line search that cannot decrease f even after the memory is cleared
//! and steepest descent tried. These are SciPy's tests (`ftol` is its factr·ε), so the two
//! stop in comparable places. Each iterate is lower than the one before, except that the
//! last may be higher by f's rounding error when it was accepted on the gradient's evidence
//! (step 4; such a step ends the run, as its reduction is below `ftol`).
//!
//! # Cost
//!
//! Per iteration O(m·d) arithmetic for the direction (the restricted inner products and the
//! two-loop recursion; a few more rounds if coordinates are moved to the active set), O(d)
//! per trial point, and one evaluation of f and ∇f per trial point: usually one per
//! iteration once the quasi-Newton scaling has settled. Memory O(m·d).

use crate::{Bounds, Error, Result};
use ndarray::{Array1, ArrayView1};
use std::collections::VecDeque;

/// The Armijo constant c₁: a step is accepted if it achieves at least this fraction of the
/// decrease that the gradient predicts.
const ARMIJO: f64 = 1e-4;

/// The rounding error allowed in a computed f, relative to |f|: a thousand units in the last
/// place, room for f to be a sum of terms up to a thousand times larger than itself. A step
/// that raises f by at most this much may still be accepted on the gradient's evidence (see
/// `acceptable`); it then ends the run, since it reduced f by less than `ftol`.
const ROUNDING: f64 = 1e3 * f64::EPSILON;

/// The curvature test: a pair (s, y) enters H only if sᵀy > CURVATURE·‖s‖‖y‖, i.e. if the
/// angle between s and y is safely below 90°. For a convex quadratic with condition number
/// κ the cosine is at least 2√κ/(1 + κ), so this skips nothing up to κ ≈ 10²⁰.
const CURVATURE: f64 = 1e-10;

/// The most trial points in one line search. Each trial shrinks the step by at least half,
/// so after this many the step is below 2⁻⁴⁰ ≈ 10⁻¹² of the first: no further progress is
/// to be had along that direction.
const MAX_TRIALS: usize = 40;

/// Settings of [`minimise_bounded`]. The defaults are SciPy's L-BFGS-B defaults except for
/// `max_iters` and `max_evals` (SciPy: 15 000 each), which are set for an inner solver run
/// from many starts.
#[derive(Debug, Clone, PartialEq)]
pub struct BoundedOptions {
    /// The number m ≥ 1 of recent (s, y) pairs kept for the inverse Hessian approximation.
    pub memory: usize,
    /// The most iterations (accepted steps).
    pub max_iters: usize,
    /// The most evaluations of the objective (value and gradient together), the one at the
    /// start included; at least 1.
    pub max_evals: usize,
    /// Stop when the projected gradient's largest entry ‖x − P(x − ∇f)‖∞ is at most this
    /// (finite, ≥ 0).
    pub pgtol: f64,
    /// Stop when an iteration reduces f by at most this fraction,
    /// (fₖ − fₖ₊₁) / max(|fₖ|, |fₖ₊₁|, 1) ≤ `ftol` (finite, ≥ 0).
    pub ftol: f64,
}

impl Default for BoundedOptions {
    /// m = 10, 200 iterations, 1000 evaluations, `pgtol` = 10⁻⁵, `ftol` = 10⁷·ε ≈ 2.2·10⁻⁹.
    fn default() -> Self {
        BoundedOptions {
            memory: 10,
            max_iters: 200,
            max_evals: 1000,
            pgtol: 1e-5,
            ftol: 1e7 * f64::EPSILON,
        }
    }
}

impl BoundedOptions {
    fn validate(&self) -> Result<()> {
        let invalid = |reason: String| {
            Err(Error::InvalidInput { context: "BoundedOptions", reason })
        };
        if self.memory == 0 {
            return invalid("the memory must keep at least one pair".into());
        }
        if self.max_evals == 0 {
            return invalid("at least one evaluation (the start) is needed".into());
        }
        for (name, v) in [("pgtol", self.pgtol), ("ftol", self.ftol)] {
            if !(v.is_finite() && v >= 0.0) {
                return invalid(format!(
                    "{name} = {v} is not a finite tolerance ≥ 0"
                ));
            }
        }
        Ok(())
    }
}

/// Why [`minimise_bounded`] stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Termination {
    /// The projected gradient is small: ‖x − P(x − ∇f)‖∞ ≤ `pgtol`. x is (nearly) a
    /// stationary point of f in the box.
    ProjectedGradient,
    /// The last iteration reduced f by at most `ftol` relative to |f| (or to 1).
    SmallReduction,
    /// `max_iters` iterations were taken.
    MaxIterations,
    /// `max_evals` evaluations were spent (possibly in the middle of a line search).
    MaxEvaluations,
    /// No trial point along the search direction decreased f enough, neither with the
    /// quasi-Newton direction nor with steepest descent after clearing the memory: f is at
    /// the limit of its rounding, not smooth there, or fails on every trial point nearby.
    LineSearchFailed,
}

/// What [`minimise_bounded`] found.
#[derive(Debug, Clone, PartialEq)]
pub struct BoundedReport {
    /// The last iterate: in the box and finite; the lowest point accepted, up to f's rounding
    /// error (see the module documentation's *Stopping*).
    pub x: Array1<f64>,
    /// f(x), as the objective returned it at x.
    pub value: f64,
    /// ∇f(x), as the objective returned it at x.
    pub gradient: Array1<f64>,
    /// ‖x − P(x − ∇f(x))‖∞.
    pub projected_gradient_norm: f64,
    /// Iterations (accepted steps) taken.
    pub iterations: usize,
    /// Evaluations of the objective, the one at the start included.
    pub evaluations: usize,
    /// Why the iteration stopped.
    pub termination: Termination,
}

/// Minimises `objective` over `bounds` from `start` (projected into the box first) by the
/// projected L-BFGS method of the [module documentation](self).
///
/// `objective(x)` returns f(x) and ∇f(x). Away from the start it may fail — return an
/// `Err`, a non-finite value or gradient, or a gradient of the wrong length — and that trial
/// point is treated as f = +∞. The report's x is always in the box and finite, and its
/// `value` and `gradient` are what the objective returned at that very x.
///
/// # Errors
/// [`Error::ShapeMismatch`] if `start` does not have one coordinate per bound,
/// [`Error::NonFinite`] for a non-finite start, [`Error::InvalidInput`] for invalid
/// `options`; and, at the projected start, [`Error::InvalidInput`] if the objective returns
/// an error (its message is kept), [`Error::NonFinite`] if it returns a non-finite value or
/// gradient, [`Error::ShapeMismatch`] for a gradient of the wrong length.
pub fn minimise_bounded<F>(
    mut objective: F,
    start: ArrayView1<'_, f64>,
    bounds: &Bounds,
    options: &BoundedOptions,
) -> Result<BoundedReport>
where
    F: FnMut(ArrayView1<'_, f64>) -> Result<(f64, Array1<f64>)>,
{
    options.validate()?;
    if start.len() != bounds.dim() {
        return Err(Error::ShapeMismatch {
            context: "minimise_bounded: the start",
            expected: vec![bounds.dim()],
            found: vec![start.len()],
        });
    }
    if start.iter().any(|v| !v.is_finite()) {
        return Err(Error::NonFinite { context: "minimise_bounded: the start" });
    }
    let mut x0 = start.to_owned();
    bounds.clamp(x0.view_mut());
    // Failures at the start are errors: there is no point of the box to fall back on.
    let mut current = evaluate(&mut objective, x0)?;

    let mut evaluations = 1;
    let mut iterations = 0;
    let mut memory = Memory::new(options.memory);
    let termination = loop {
        if projected_gradient_norm(&current, bounds) <= options.pgtol {
            break Termination::ProjectedGradient;
        }
        if iterations >= options.max_iters {
            break Termination::MaxIterations;
        }
        let direction = search_direction(&current, bounds, &memory);
        let budget = options.max_evals.saturating_sub(evaluations);
        let (outcome, used) =
            line_search(&mut objective, &current, &direction, bounds, budget);
        evaluations += used;
        match outcome {
            Search::Accepted(next) => {
                iterations += 1;
                let reduction = (current.value - next.value)
                    / current.value.abs().max(next.value.abs()).max(1.0);
                memory
                    .push(&next.x - &current.x, &next.gradient - &current.gradient);
                current = next;
                if reduction <= options.ftol {
                    break Termination::SmallReduction;
                }
            }
            Search::Failed { lowest } => {
                // Never discard a lower point that was evaluated.
                if let Some(p) = lowest {
                    current = p;
                }
                // Old pairs may describe f badly here (or the direction was spoiled by
                // rounding): like SciPy, clear the memory and retry once with steepest
                // descent before giving up.
                if memory.is_empty() {
                    break Termination::LineSearchFailed;
                }
                memory.clear();
            }
            Search::OutOfEvaluations { lowest } => {
                if let Some(p) = lowest {
                    current = p;
                }
                break Termination::MaxEvaluations;
            }
        }
    };
    Ok(BoundedReport {
        projected_gradient_norm: projected_gradient_norm(&current, bounds),
        x: current.x,
        value: current.value,
        gradient: current.gradient,
        iterations,
        evaluations,
        termination,
    })
}

/// A point of the box with the objective's value and gradient there.
#[derive(Debug, Clone)]
struct Point {
    x: Array1<f64>,
    value: f64,
    gradient: Array1<f64>,
}

/// Evaluates the objective at `x`, refusing non-finite results and gradients of the wrong
/// length (the caller decides whether that is an error or a failed trial point).
fn evaluate<F>(objective: &mut F, x: Array1<f64>) -> Result<Point>
where
    F: FnMut(ArrayView1<'_, f64>) -> Result<(f64, Array1<f64>)>,
{
    // Only failures at the start surface as errors: the contexts say so.
    const CONTEXT: &str =
        "minimise_bounded: the objective's value and gradient at the (projected) start";
    let (value, gradient) =
        objective(x.view()).map_err(|e| Error::InvalidInput {
            context: "minimise_bounded: the objective at the (projected) start",
            reason: format!("it fails at {x}: {e}"),
        })?;
    if gradient.len() != x.len() {
        return Err(Error::ShapeMismatch {
            context: CONTEXT,
            expected: vec![x.len()],
            found: vec![gradient.len()],
        });
    }
    if !value.is_finite() || gradient.iter().any(|g| !g.is_finite()) {
        return Err(Error::NonFinite { context: CONTEXT });
    }
    Ok(Point { x, value, gradient })
}

/// ‖x − P(x − ∇f(x))‖∞: zero exactly at the points that satisfy the KKT conditions.
fn projected_gradient_norm(p: &Point, bounds: &Bounds) -> f64 {
    let mut stepped = &p.x - &p.gradient;
    bounds.clamp(stepped.view_mut());
    // (x − ∇f can overflow to ±∞; the projection brings it back to a bound.)
    p.x.iter().zip(&stepped).fold(0.0, |m, (x, s)| m.max((x - s).abs()))
}

/// Whether coordinate `i` sits on a bound and moving along `step` would leave the box.
fn pushes_out(p: &Point, bounds: &Bounds, i: usize, step: f64) -> bool {
    (p.x[i] <= bounds.lower()[i] && step < 0.0)
        || (p.x[i] >= bounds.upper()[i] && step > 0.0)
}

/// The entries of `v` at the indices `free`.
fn gather(v: &Array1<f64>, free: &[usize]) -> Array1<f64> {
    free.iter().map(|&i| v[i]).collect()
}

/// The Euclidean norm, scaled by the largest entry first so that it neither overflows nor
/// underflows.
fn norm(v: &Array1<f64>) -> f64 {
    let scale = v.fold(0.0_f64, |m, a| m.max(a.abs()));
    if scale == 0.0 || !scale.is_finite() {
        return scale;
    }
    scale * v.iter().map(|a| (a / scale).powi(2)).sum::<f64>().sqrt()
}

/// The search direction d (zero on the active set) of step 3 of the module documentation.
fn search_direction(p: &Point, bounds: &Bounds, memory: &Memory) -> Array1<f64> {
    let n = p.x.len();
    // The active set: coordinates on a bound with the gradient pushing them out (or zero).
    // A descent step −∂ᵢf would leave the box there, so they are held fixed.
    let (lower, upper) = (bounds.lower(), bounds.upper());
    let mut free: Vec<usize> = (0..n)
        .filter(|&i| {
            let (x, g) = (p.x[i], p.gradient[i]);
            let held = (x <= lower[i] && g >= 0.0) || (x >= upper[i] && g <= 0.0);
            !held
        })
        .collect();
    loop {
        let g_free = gather(&p.gradient, &free);
        let d_free = memory
            .inverse_hessian_times(&g_free, &free)
            .map(|h_g| -h_g)
            // H_F is positive definite in exact arithmetic; rounding (or a huge scaling)
            // could still spoil d, so fall back to steepest descent rather than step uphill.
            .filter(|d| {
                let slope = d.dot(&g_free);
                d.iter().all(|v| v.is_finite()) && slope < 0.0
            })
            .unwrap_or_else(|| steepest_descent(&g_free));
        // A free coordinate on a bound whose step points outwards would only be clamped
        // back: hold it fixed and recompute the step of the others. Such a coordinate has
        // ∂ᵢf·dᵢ > 0 (its gradient points inwards, its step outwards), while ∇fᵀd < 0 needs
        // some ∂ᵢf·dᵢ < 0: each round fixes at least one coordinate and keeps at least one,
        // so this ends, with F non-empty.
        let before = free.len();
        let kept: Vec<usize> = free
            .iter()
            .zip(&d_free)
            .filter(|&(&i, &di)| !pushes_out(p, bounds, i, di))
            .map(|(&i, _)| i)
            .collect();
        if kept.len() == before || kept.is_empty() {
            let mut d = Array1::zeros(n);
            for (&i, &di) in free.iter().zip(&d_free) {
                d[i] = di;
            }
            return d;
        }
        free = kept;
    }
}

/// The steepest-descent direction scaled to unit length: with no curvature information the
/// step's length is a guess, and SciPy's L-BFGS-B guesses 1 too.
fn steepest_descent(g: &Array1<f64>) -> Array1<f64> {
    let length = norm(g);
    if length == 0.0 || !length.is_finite() {
        return Array1::zeros(g.len());
    }
    g.mapv(|v| -v / length)
}

/// The stored curvature pairs (sₖ, yₖ), oldest first, at most `capacity` of them.
struct Memory {
    pairs: VecDeque<(Array1<f64>, Array1<f64>)>,
    capacity: usize,
}

/// Whether a pair has safely positive curvature: sᵀy > CURVATURE·‖s‖‖y‖. Returns 1/sᵀy if so.
fn curvature(s: &Array1<f64>, y: &Array1<f64>) -> Option<f64> {
    let sy = s.dot(y);
    let rho = 1.0 / sy;
    (sy > CURVATURE * norm(s) * norm(y) && rho.is_finite()).then_some(rho)
}

impl Memory {
    fn new(capacity: usize) -> Self {
        Memory { pairs: VecDeque::with_capacity(capacity), capacity }
    }

    fn is_empty(&self) -> bool {
        self.pairs.is_empty()
    }

    fn clear(&mut self) {
        self.pairs.clear();
    }

    /// Keeps (s, y), dropping the oldest pair when full, if its curvature is safely
    /// positive: a pair that fails the test on the whole step (f is not convex there) is not
    /// trusted on any part of it either.
    fn push(&mut self, s: Array1<f64>, y: Array1<f64>) {
        if curvature(&s, &y).is_some() {
            if self.pairs.len() == self.capacity {
                self.pairs.pop_front();
            }
            self.pairs.push_back((s, y));
        }
    }

    /// H_F g by the two-loop recursion over the pairs restricted to the coordinates `free`,
    /// skipping those without positive curvature there; H⁰ = γI with γ = sᵀy / yᵀy of the
    /// newest pair used. `None` if no pair can be used.
    fn inverse_hessian_times(
        &self,
        g: &Array1<f64>,
        free: &[usize],
    ) -> Option<Array1<f64>> {
        let pairs: Vec<(Array1<f64>, Array1<f64>, f64)> = self
            .pairs
            .iter()
            .filter_map(|(s, y)| {
                let (s, y) = (gather(s, free), gather(y, free));
                curvature(&s, &y).map(|rho| (s, y, rho))
            })
            .collect();
        let (s_new, y_new, _) = pairs.last()?;
        let gamma = s_new.dot(y_new) / y_new.dot(y_new);
        let mut q = g.clone();
        let mut alphas = vec![0.0; pairs.len()];
        for ((s, y, rho), alpha) in pairs.iter().zip(&mut alphas).rev() {
            *alpha = rho * s.dot(&q);
            q.scaled_add(-*alpha, y);
        }
        let mut r = q * gamma;
        for ((s, y, rho), alpha) in pairs.iter().zip(&alphas) {
            let beta = rho * y.dot(&r);
            r.scaled_add(alpha - beta, s);
        }
        Some(r)
    }
}

/// How a line search ended.
enum Search {
    /// The Armijo condition holds at this trial point.
    Accepted(Point),
    /// No trial point was good enough; the lowest one below f(x), if any.
    Failed { lowest: Option<Point> },
    /// The evaluation budget ran out; the lowest trial point below f(x), if any.
    OutOfEvaluations { lowest: Option<Point> },
}

/// Backtracks along the projection arc x(α) = P(x + αd) from α = 1 until the Armijo
/// condition holds, spending at most `budget` evaluations. Returns the outcome and the
/// evaluations spent.
fn line_search<F>(
    objective: &mut F,
    current: &Point,
    d: &Array1<f64>,
    bounds: &Bounds,
    budget: usize,
) -> (Search, usize)
where
    F: FnMut(ArrayView1<'_, f64>) -> Result<(f64, Array1<f64>)>,
{
    let mut alpha = 1.0;
    let mut used = 0;
    let mut lowest: Option<Point> = None;
    for _ in 0..MAX_TRIALS {
        let mut x = &current.x + &(alpha * d);
        bounds.clamp(x.view_mut());
        let step = &x - &current.x;
        if step.iter().all(|&s| s == 0.0) {
            // The step no longer changes x in floating point: nothing more to try.
            break;
        }
        // The decrease the gradient predicts along the arc. It is negative for small α
        // (d is a descent direction, and clamping only removes uphill components there),
        // but clamping can make it positive for large α: see `acceptable`.
        let predicted = current.gradient.dot(&step);
        if used == budget {
            return (Search::OutOfEvaluations { lowest }, used);
        }
        used += 1;
        let shrink = match evaluate(objective, x) {
            Ok(trial) => {
                let change = trial.value - current.value;
                let slope = trial.gradient.dot(&step);
                if acceptable(
                    change,
                    predicted,
                    slope,
                    ROUNDING * current.value.abs(),
                ) {
                    return (Search::Accepted(trial), used);
                }
                let factor = interpolated_factor(change, predicted);
                if change < 0.0
                    && lowest.as_ref().is_none_or(|l| trial.value < l.value)
                {
                    lowest = Some(trial);
                }
                factor
            }
            // f failed here (or is not finite): no model to interpolate, just back off.
            Err(_) => 0.5,
        };
        alpha *= shrink;
    }
    (Search::Failed { lowest }, used)
}

/// Whether a trial point is accepted, given the change in f, the change the gradient
/// predicts, ∇f(x)ᵀΔ, and the slope at the trial point along the same step, ∇f(x(α))ᵀΔ.
///
/// The rule is Armijo's: change ≤ c₁·predicted. Near a minimiser, though, the decrease a
/// step can make falls below the rounding error of f: f can no longer tell a better point
/// from a worse one (the computed change is a few units in the last place, of either sign),
/// while the gradient still can. So a step whose change is within the rounding error
/// `noise` of f is also accepted if the slope has fallen as a line-search minimiser's
/// would: Hager and Zhang's *approximate Wolfe* conditions,
/// σ·predicted ≤ slope ≤ (2δ − 1)·predicted with σ = 0.9, δ = 0.1. Without this, the
/// iteration stalls where f's rounding hides progress, ‖x − x*‖ ≈ √ε in well-scaled cases.
fn acceptable(change: f64, predicted: f64, slope: f64, noise: f64) -> bool {
    // A predicted rise (possible when clamping bends the arc) is never accepted, nor a NaN
    // (an overflowed product); all the comparisons below are false for NaN.
    let downhill = predicted < 0.0;
    let armijo = change <= ARMIJO * predicted;
    let approximate_wolfe =
        change <= noise && 0.9 * predicted <= slope && slope <= -0.8 * predicted;
    downhill && (armijo || approximate_wolfe)
}

/// The factor by which to shrink α after a rejected trial: the minimiser of the quadratic
/// in α through f(x), the predicted slope and the trial value, kept within [0.1, 0.5] so
/// that each trial makes real progress but does not collapse the step on a poor model.
fn interpolated_factor(change: f64, predicted: f64) -> f64 {
    // φ(t) = f(x(tα)) with φ(0) = 0 (relative), φ'(0) ≈ predicted, φ(1) = change:
    // the quadratic's minimiser is t = −predicted / (2(change − predicted)).
    let t = -predicted / (2.0 * (change - predicted));
    if predicted < 0.0 && t.is_finite() {
        t.clamp(0.1, 0.5)
    } else {
        0.5
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::linalg::Cholesky;
    use ndarray::{array, Array2};
    use proptest::prelude::*;
    use std::f64::consts::PI;

    type Eval = Result<(f64, Array1<f64>)>;

    /// f(x) = ½xᵀAx − bᵀx, ∇f = Ax − b.
    fn quadratic(
        a: Array2<f64>,
        b: Array1<f64>,
    ) -> impl FnMut(ArrayView1<'_, f64>) -> Eval {
        move |x| {
            let ax = a.dot(&x);
            Ok((0.5 * x.dot(&ax) - b.dot(&x), ax - &b))
        }
    }

    /// A 3 × 3 positive definite matrix (eigenvalues ≈ 1.6, 2.7, 4.6).
    fn a3() -> Array2<f64> {
        array![[4.0, 1.0, 0.0], [1.0, 3.0, 0.5], [0.0, 0.5, 2.0]]
    }

    /// H diag(1, 10, 100, 10⁴) H with the Householder reflection H = I − 2vvᵀ/vᵀv,
    /// v = (1, 2, 3, 4): condition number 10⁴, no coordinate axis an eigenvector.
    fn ill_conditioned() -> Array2<f64> {
        let v = array![1.0, 2.0, 3.0, 4.0];
        let outer = Array2::from_shape_fn((4, 4), |(i, j)| v[i] * v[j]);
        let h = Array2::<f64>::eye(4) - outer * (2.0 / v.dot(&v));
        let lambda = Array2::from_diag(&array![1.0, 10.0, 100.0, 1e4]);
        h.dot(&lambda).dot(&h)
    }

    /// The largest violation of the KKT conditions at x: −∂ᵢf on a lower bound, ∂ᵢf on an
    /// upper bound, |∂ᵢf| elsewhere (each counted only when positive).
    fn kkt_violation(x: &Array1<f64>, g: &Array1<f64>, bounds: &Bounds) -> f64 {
        (0..x.len())
            .map(|i| {
                if x[i] <= bounds.lower()[i] {
                    (-g[i]).max(0.0)
                } else if x[i] >= bounds.upper()[i] {
                    g[i].max(0.0)
                } else {
                    g[i].abs()
                }
            })
            .fold(0.0, f64::max)
    }

    /// The minimiser of ½xᵀAx − bᵀx over the box, by trying every assignment of each
    /// coordinate to its lower bound, its upper bound or free (3ᵈ of them), solving for the
    /// free ones and keeping the assignment that is feasible and satisfies KKT. Independent
    /// of the method under test; fine for d ≤ 6.
    fn qp_by_enumeration(
        a: &Array2<f64>,
        b: &Array1<f64>,
        bounds: &Bounds,
    ) -> Array1<f64> {
        let d = b.len();
        for code in 0..3_usize.pow(d as u32) {
            let kinds: Vec<usize> =
                (0..d).map(|i| code / 3_usize.pow(i as u32) % 3).collect();
            let mut x = Array1::zeros(d);
            for i in 0..d {
                x[i] = match kinds[i] {
                    0 => bounds.lower()[i],
                    1 => bounds.upper()[i],
                    _ => 0.0,
                };
            }
            let free: Vec<usize> = (0..d).filter(|&i| kinds[i] == 2).collect();
            if !free.is_empty() {
                let aff =
                    Array2::from_shape_fn((free.len(), free.len()), |(r, c)| {
                        a[[free[r], free[c]]]
                    });
                let rhs: Array1<f64> =
                    free.iter().map(|&i| b[i] - a.row(i).dot(&x)).collect();
                let xf = Cholesky::new(aff.view())
                    .unwrap()
                    .solve_vec(rhs.view())
                    .unwrap();
                for (k, &i) in free.iter().enumerate() {
                    x[i] = xf[k];
                }
            }
            let g = a.dot(&x) - b;
            let feasible = free
                .iter()
                .all(|&i| bounds.lower()[i] < x[i] && x[i] < bounds.upper()[i]);
            if feasible && kkt_violation(&x, &g, bounds) < 1e-9 {
                return x;
            }
        }
        panic!("no KKT point: the matrix is not positive definite");
    }

    fn tight() -> BoundedOptions {
        BoundedOptions { pgtol: 1e-10, ftol: 0.0, ..BoundedOptions::default() }
    }

    /// Runs the method and checks what every report must satisfy: x in the box, and value
    /// and gradient those of the objective at x.
    fn solve<F>(
        mut f: F,
        start: Array1<f64>,
        bounds: &Bounds,
        options: &BoundedOptions,
    ) -> BoundedReport
    where
        F: FnMut(ArrayView1<'_, f64>) -> Eval,
    {
        let r = minimise_bounded(&mut f, start.view(), bounds, options).unwrap();
        assert!(bounds.contains(r.x.view()), "{r:?}");
        let (value, gradient) = f(r.x.view()).unwrap();
        assert_eq!((value, &gradient), (r.value, &r.gradient));
        assert!(
            r.evaluations <= options.max_evals && r.iterations <= options.max_iters
        );
        r
    }

    fn max_abs_diff(a: &Array1<f64>, b: &Array1<f64>) -> f64 {
        (a - b).fold(0.0, |m, v| m.max(v.abs()))
    }

    /// Σᵢ 100(xᵢ₊₁ − xᵢ²)² + (1 − xᵢ)², the chained Rosenbrock function, minimum 0 at 1.
    fn rosenbrock(x: ArrayView1<'_, f64>) -> Eval {
        let d = x.len();
        let mut value = 0.0;
        let mut g = Array1::zeros(d);
        for i in 0..d - 1 {
            let (a, b) = (x[i], x[i + 1]);
            value += 100.0 * (b - a * a).powi(2) + (1.0 - a).powi(2);
            g[i] += -400.0 * a * (b - a * a) - 2.0 * (1.0 - a);
            g[i + 1] += 200.0 * (b - a * a);
        }
        Ok((value, g))
    }

    /// Branin's function on [−5, 10] × [0, 15], with its gradient.
    fn branin(x: ArrayView1<'_, f64>) -> Eval {
        let (b, c, t) = (5.1 / (4.0 * PI * PI), 5.0 / PI, 1.0 / (8.0 * PI));
        let (x1, x2) = (x[0], x[1]);
        let inner = x2 - b * x1 * x1 + c * x1 - 6.0;
        let value = inner * inner + 10.0 * (1.0 - t) * x1.cos() + 10.0;
        let g = array![
            2.0 * inner * (c - 2.0 * b * x1) - 10.0 * (1.0 - t) * x1.sin(),
            2.0 * inner
        ];
        Ok((value, g))
    }

    #[test]
    fn an_interior_minimiser_is_found_to_1e_8() {
        let x_star = array![0.2, -0.3, 0.5];
        let b = a3().dot(&x_star);
        let bounds = Bounds::cube(3, -1.0, 1.0).unwrap();
        let r =
            solve(quadratic(a3(), b), array![0.9, 0.9, -0.9], &bounds, &tight());
        assert!(max_abs_diff(&r.x, &x_star) < 1e-8, "{r:?}");
        // (With ftol = 0 the run may also end when f stops changing in floating point.)
        assert!(
            matches!(
                r.termination,
                Termination::ProjectedGradient | Termination::SmallReduction
            ),
            "{r:?}"
        );
        // L-BFGS on a 3-D quadratic: a handful of iterations, not dozens.
        assert!(r.iterations <= 10, "{r:?}");
    }

    #[test]
    fn a_minimiser_outside_the_box_lands_on_the_bound_with_kkt() {
        // Unconstrained minimiser (2, −0.5, 0.3): x₁ = 2 is cut off by the box.
        let b = a3().dot(&array![2.0, -0.5, 0.3]);
        let bounds = Bounds::cube(3, -1.0, 1.0).unwrap();
        // By hand: b = (7.5, 0.65, 0.35); x₁ = 1, then
        // [[3, 0.5], [0.5, 2]](x₂, x₃) = (b₂ − 1, b₃) = (−0.35, 0.35) gives
        // (x₂, x₃) = (−0.875, 1.225)/5.75 = (−7/46, 49/230).
        let expected = array![1.0, -7.0 / 46.0, 49.0 / 230.0];
        assert!(
            max_abs_diff(&qp_by_enumeration(&a3(), &b, &bounds), &expected) < 1e-14
        );
        let r = solve(quadratic(a3(), b), array![0.0, 0.0, 0.0], &bounds, &tight());
        assert!(max_abs_diff(&r.x, &expected) < 1e-9, "{r:?}");
        assert_eq!(r.x[0], 1.0, "on the bound exactly");
        // KKT: the gradient pushes out through the active bound, vanishes on the free ones.
        // ∂₁f = 4·1 + x₂ − 7.5 = −3.5 − 7/46 < 0: pushing out through x₁ = 1.
        assert!((r.gradient[0] - (-3.5 - 7.0 / 46.0)).abs() < 1e-9, "{r:?}");
        assert!(r.gradient[1].abs() < 1e-9 && r.gradient[2].abs() < 1e-9, "{r:?}");
    }

    #[test]
    fn a_badly_conditioned_quadratic_is_solved_inside_and_on_the_bounds() {
        let a = ill_conditioned();
        let bounds = Bounds::cube(4, -1.0, 1.0).unwrap();
        // Inside: a minimiser in the box, to 1e-8 (the smallest eigenvalue is 1, so a
        // gradient of 1e-10 means an error of at most 1e-10 in x).
        let x_star = array![0.5, -0.2, 0.3, 0.7];
        let b = a.dot(&x_star);
        let r = solve(
            quadratic(a.clone(), b),
            array![-1.0, 1.0, -1.0, 1.0],
            &bounds,
            &tight(),
        );
        assert!(max_abs_diff(&r.x, &x_star) < 1e-8, "{r:?}");
        // Outside: two coordinates of (0.5, −2, 0.3, 1.5) are cut off.
        let b = a.dot(&array![0.5, -2.0, 0.3, 1.5]);
        let expected = qp_by_enumeration(&a, &b, &bounds);
        let r =
            solve(quadratic(a, b), array![0.0, 0.0, 0.0, 0.0], &bounds, &tight());
        assert!(max_abs_diff(&r.x, &expected) < 1e-8, "{r:?} vs {expected}");
        assert!(kkt_violation(&r.x, &r.gradient, &bounds) < 1e-8, "{r:?}");
        let on_bounds = r.x.iter().filter(|v| v.abs() == 1.0).count();
        assert!(on_bounds >= 1, "{r:?}");
    }

    #[test]
    fn a_corner_solution_is_reached_exactly() {
        // Unconstrained minimiser (5, −5, 5); at the corner (1, −1, 1) the gradient
        // A(c − x*) = (−12, 6, −6) pushes out through all three bounds.
        let b = a3().dot(&array![5.0, -5.0, 5.0]);
        let bounds = Bounds::cube(3, -1.0, 1.0).unwrap();
        let options =
            BoundedOptions { pgtol: 0.0, ftol: 0.0, ..BoundedOptions::default() };
        let r =
            solve(quadratic(a3(), b), array![0.3, 0.2, -0.4], &bounds, &options);
        assert_eq!(r.x, array![1.0, -1.0, 1.0]);
        assert_eq!(r.gradient, array![-12.0, 6.0, -6.0]);
        assert_eq!(r.projected_gradient_norm, 0.0);
        assert_eq!(r.termination, Termination::ProjectedGradient);
    }

    #[test]
    fn rosenbrock_in_a_box_that_holds_its_minimum() {
        for d in [2, 10] {
            let bounds = Bounds::cube(d, -2.0, 2.0).unwrap();
            let start =
                Array1::from_shape_fn(d, |i| if i % 2 == 0 { -1.2 } else { 1.0 });
            let r = solve(rosenbrock, start, &bounds, &tight());
            assert!(max_abs_diff(&r.x, &Array1::ones(d)) < 1e-7, "d = {d}: {r:?}");
            assert!(r.value < 1e-14, "d = {d}: {r:?}");
        }
    }

    #[test]
    fn rosenbrock_in_a_box_that_cuts_off_its_minimum() {
        let bounds = Bounds::cube(2, -2.0, 0.5).unwrap();
        // x₁ = 0.5 on the bound, x₂ = x₁² free: f = 0.25, ∂₁f = −1 pushes out.
        let r = solve(
            rosenbrock,
            array![-1.2, 1.0],
            &bounds,
            &BoundedOptions::default(),
        );
        assert!(max_abs_diff(&r.x, &array![0.5, 0.25]) < 1e-6, "{r:?}");
        assert!(
            (r.value - 0.25).abs() < 1e-10 && (r.gradient[0] + 1.0).abs() < 1e-5
        );
        // In 10-D only x₁ = 0.5 is on a bound; the others decay along the chain. The
        // optimum, f* = 7.594812948946874 with x = (0.5, 0.263066, 0.080031, 0.016574,
        // 0.010381, 0.010212, 0.010208, 0.010204, 0.010004, 0.000100), is SciPy's L-BFGS-B
        // with gtol 1e-12 from five random starts, all agreeing to 1e-15.
        let bounds = Bounds::cube(10, -2.0, 0.5).unwrap();
        let start =
            Array1::from_shape_fn(10, |i| if i % 2 == 0 { -1.2 } else { 0.4 });
        let r = solve(rosenbrock, start, &bounds, &tight());
        assert!((r.value - 7.594812948946874).abs() < 1e-10, "{r:?}");
        assert!(
            (r.x[1] - 0.263065982).abs() < 1e-6
                && (r.x[9] - 1.0008e-4).abs() < 1e-6
        );
        assert_eq!(r.x[0], 0.5);
        assert!(kkt_violation(&r.x, &r.gradient, &bounds) < 1e-8, "{r:?}");
    }

    #[test]
    fn branin_reaches_one_of_its_three_minimisers_from_several_starts() {
        let bounds = Bounds::new(array![-5.0, 0.0], array![10.0, 15.0]).unwrap();
        let minimisers =
            [array![-PI, 12.275], array![PI, 2.275], array![9.42478, 2.475]];
        let starts = [
            [-5.0, 0.0],
            [10.0, 15.0],
            [2.5, 7.5],
            [-2.0, 14.0],
            [8.0, 1.0],
            [0.0, 5.0],
        ];
        let mut found = [false; 3];
        for s in starts {
            let r = solve(
                branin,
                array![s[0], s[1]],
                &bounds,
                &BoundedOptions::default(),
            );
            assert!(
                (r.value - 0.397887357729739).abs() < 1e-8,
                "from {s:?}: {r:?}"
            );
            let k = minimisers.iter().position(|m| max_abs_diff(&r.x, m) < 1e-4);
            found[k.unwrap_or_else(|| panic!("from {s:?}: {r:?}"))] = true;
            assert!(r.evaluations < 60, "from {s:?}: {r:?}");
        }
        assert!(found.iter().filter(|&&f| f).count() >= 2, "{found:?}");
    }

    /// f = ‖x − c‖², failing (by `Err` or with NaN) where `fails(x)`.
    fn failing_bowl(
        c: [f64; 2],
        fails: impl Fn(ArrayView1<'_, f64>) -> bool,
        with_nan: bool,
    ) -> impl FnMut(ArrayView1<'_, f64>) -> Eval {
        move |x| {
            let value = (x[0] - c[0]).powi(2) + (x[1] - c[1]).powi(2);
            let gradient = array![2.0 * (x[0] - c[0]), 2.0 * (x[1] - c[1])];
            match (fails(x), with_nan) {
                (false, _) => Ok((value, gradient)),
                (true, true) => Ok((f64::NAN, gradient)),
                (true, false) => Err(Error::InvalidInput {
                    context: "test",
                    reason: "undefined".into(),
                }),
            }
        }
    }

    #[test]
    fn trial_points_where_the_objective_fails_are_backed_away_from() {
        // The minimiser (0.5, 0.5) is where f works, but the first (unit) step from
        // (0.9, 0.55) lands at x₁ ≈ −0.09, where it fails: the search halves the step and
        // goes on to the minimiser.
        let bounds = Bounds::cube(2, -3.0, 3.0).unwrap();
        for with_nan in [false, true] {
            let f = failing_bowl([0.5, 0.5], |x| x[0] < 0.0, with_nan);
            let r =
                solve(f, array![0.9, 0.55], &bounds, &BoundedOptions::default());
            assert!(max_abs_diff(&r.x, &array![0.5, 0.5]) < 1e-6, "{r:?}");
            assert_eq!(r.termination, Termination::ProjectedGradient, "{r:?}");
        }
    }

    #[test]
    fn a_failing_region_that_hides_the_minimiser_ends_cleanly_on_its_edge() {
        // f = ‖x − (2, 2)‖² fails beyond x₁ + x₂ = 3, so the lowest point it can reach is
        // (1.5, 1.5) with f = 0.5. The method does not know where the edge is: every
        // direction aims at (2, 2), every step is cut back to just inside the edge, and the
        // iterates creep along it until the reduction is too small. What matters is that it
        // ends with a point where f works, lower than the start, and says why.
        let bounds = Bounds::cube(2, 0.0, 3.0).unwrap();
        for with_nan in [false, true] {
            let f = failing_bowl([2.0, 2.0], |x| x[0] + x[1] > 3.0, with_nan);
            let r = solve(f, array![0.2, 0.6], &bounds, &BoundedOptions::default());
            assert!(r.x[0] + r.x[1] <= 3.0 && r.value.is_finite(), "{r:?}");
            assert!(r.value < 0.52, "{r:?}");
            assert!(r.termination != Termination::ProjectedGradient, "{r:?}");
        }
        // An objective that fails everywhere but at the start: nothing to move to.
        let only_start = |x: ArrayView1<'_, f64>| -> Eval {
            let value = if x[0] == 0.2 { 1.0 } else { f64::INFINITY };
            Ok((value, array![1.0, 1.0]))
        };
        let r = solve(
            only_start,
            array![0.2, 0.6],
            &bounds,
            &BoundedOptions::default(),
        );
        assert_eq!((r.x, r.value), (array![0.2, 0.6], 1.0));
        assert_eq!(r.termination, Termination::LineSearchFailed);
    }

    #[test]
    fn a_non_smooth_objective_ends_near_its_kink_without_error() {
        // f = |x₁ − 0.3| + 2|x₂ + 0.2|: the gradient never vanishes, so the method must
        // stop by another test, near the kink at (0.3, −0.2) where f = 0.
        let f = |x: ArrayView1<'_, f64>| -> Eval {
            let (a, b) = (x[0] - 0.3, x[1] + 0.2);
            Ok((a.abs() + 2.0 * b.abs(), array![a.signum(), 2.0 * b.signum()]))
        };
        let bounds = Bounds::cube(2, -1.0, 1.0).unwrap();
        let r = solve(f, array![-0.9, 0.8], &bounds, &BoundedOptions::default());
        assert!(r.value < 1e-3, "{r:?}");
        assert_ne!(r.termination, Termination::ProjectedGradient, "{r:?}");
    }

    #[test]
    fn failure_at_the_start_is_an_error_naming_it() {
        let bounds = Bounds::unit(2).unwrap();
        let options = BoundedOptions::default();
        let err = |_: ArrayView1<'_, f64>| -> Eval {
            Err(Error::InvalidInput { context: "test", reason: "boom".into() })
        };
        match minimise_bounded(err, array![0.5, 0.5].view(), &bounds, &options) {
            Err(Error::InvalidInput { context, reason }) => {
                assert!(
                    context.contains("start") && reason.contains("boom"),
                    "{reason}"
                )
            }
            other => panic!("{other:?}"),
        }
        let nan =
            |_: ArrayView1<'_, f64>| -> Eval { Ok((f64::NAN, array![0.0, 0.0])) };
        assert!(matches!(
            minimise_bounded(nan, array![0.5, 0.5].view(), &bounds, &options),
            Err(Error::NonFinite { .. })
        ));
        let short = |_: ArrayView1<'_, f64>| -> Eval { Ok((1.0, array![0.0])) };
        assert!(matches!(
            minimise_bounded(short, array![0.5, 0.5].view(), &bounds, &options),
            Err(Error::ShapeMismatch { .. })
        ));
    }

    #[test]
    fn bad_starts_and_options_are_refused() {
        let bounds = Bounds::unit(2).unwrap();
        let f = |x: ArrayView1<'_, f64>| -> Eval { Ok((x.sum(), Array1::ones(2))) };
        let ok = BoundedOptions::default();
        assert!(matches!(
            minimise_bounded(f, array![0.5].view(), &bounds, &ok),
            Err(Error::ShapeMismatch { .. })
        ));
        assert!(matches!(
            minimise_bounded(f, array![0.5, f64::NAN].view(), &bounds, &ok),
            Err(Error::NonFinite { .. })
        ));
        for bad in [
            BoundedOptions { memory: 0, ..ok.clone() },
            BoundedOptions { max_evals: 0, ..ok.clone() },
            BoundedOptions { pgtol: -1e-5, ..ok.clone() },
            BoundedOptions { ftol: f64::NAN, ..ok.clone() },
            BoundedOptions { pgtol: f64::INFINITY, ..ok.clone() },
        ] {
            assert!(
                matches!(
                    minimise_bounded(f, array![0.5, 0.5].view(), &bounds, &bad),
                    Err(Error::InvalidInput { .. })
                ),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn a_start_on_a_bound_pushed_outwards_stays_there() {
        // f = x₁ + 2x₂ on the unit square from its lower corner: already optimal.
        let f = |x: ArrayView1<'_, f64>| -> Eval {
            Ok((x[0] + 2.0 * x[1], array![1.0, 2.0]))
        };
        let bounds = Bounds::unit(2).unwrap();
        let r = solve(f, array![0.0, 0.0], &bounds, &BoundedOptions::default());
        assert_eq!((r.iterations, r.evaluations), (0, 1));
        assert_eq!(r.termination, Termination::ProjectedGradient);
        assert_eq!(r.x, array![0.0, 0.0]);
        // A start outside is projected first: (5, −3) → (1, 0), where f = (x − 2)² + x₂
        // pushes out through x₁ = 1 and x₂ = 0.
        let g = |x: ArrayView1<'_, f64>| -> Eval {
            Ok(((x[0] - 2.0).powi(2) + x[1], array![2.0 * (x[0] - 2.0), 1.0]))
        };
        let r = solve(g, array![5.0, -3.0], &bounds, &BoundedOptions::default());
        assert_eq!((r.x, r.evaluations), (array![1.0, 0.0], 1));
        assert_eq!(r.projected_gradient_norm, 0.0);
    }

    #[test]
    fn zero_tolerances_and_budgets_end_cleanly() {
        let b = a3().dot(&array![0.2, -0.3, 0.5]);
        let bounds = Bounds::cube(3, -1.0, 1.0).unwrap();
        let start = array![0.9, 0.9, -0.9];
        // With pgtol = ftol = 0 only an exact zero or the end of progress stops it.
        let zero =
            BoundedOptions { pgtol: 0.0, ftol: 0.0, ..BoundedOptions::default() };
        let r = solve(quadratic(a3(), b.clone()), start.clone(), &bounds, &zero);
        assert!(max_abs_diff(&r.x, &array![0.2, -0.3, 0.5]) < 1e-10, "{r:?}");
        assert!(r.iterations < 50, "{r:?}");
        assert!(matches!(
            r.termination,
            Termination::ProjectedGradient
                | Termination::LineSearchFailed
                | Termination::SmallReduction
        ));
        let none = BoundedOptions { max_iters: 0, ..BoundedOptions::default() };
        let r = solve(quadratic(a3(), b.clone()), start.clone(), &bounds, &none);
        assert_eq!(
            (r.termination, r.iterations, &r.x),
            (Termination::MaxIterations, 0, &start)
        );
        for max_evals in [1, 2, 5] {
            let few = BoundedOptions { max_evals, ..BoundedOptions::default() };
            let r = solve(quadratic(a3(), b.clone()), start.clone(), &bounds, &few);
            assert_eq!(
                (r.termination, r.evaluations),
                (Termination::MaxEvaluations, max_evals)
            );
        }
        // A box of width 10⁻¹²: ‖x − P(x − ∇f)‖∞ ≤ 10⁻¹² everywhere, so with the default
        // pgtol the start is already converged. With pgtol = 0, the first (unit) step
        // overshoots the box by twelve orders of magnitude, is clamped, and lands on the
        // upper bound, where f = (x − 2)² is lowest.
        let narrow = Bounds::new(array![1.0], array![1.0 + 1e-12]).unwrap();
        let f = |x: ArrayView1<'_, f64>| -> Eval {
            Ok(((x[0] - 2.0).powi(2), array![2.0 * (x[0] - 2.0)]))
        };
        let r = solve(f, array![1.0], &narrow, &BoundedOptions::default());
        assert_eq!((r.x[0], r.termination), (1.0, Termination::ProjectedGradient));
        let r = solve(f, array![1.0], &narrow, &zero);
        assert_eq!((r.x[0], r.evaluations), (1.0 + 1e-12, 2));
        assert_eq!(r.termination, Termination::ProjectedGradient);
    }

    #[test]
    fn one_dimension() {
        // The double well x⁴/4 − x²/2 on [−0.5, 3] from 0.1: the minimiser 1 inside.
        let well = |x: ArrayView1<'_, f64>| -> Eval {
            let v = x[0];
            Ok((0.25 * v.powi(4) - 0.5 * v * v, array![v * v * v - v]))
        };
        let bounds = Bounds::new(array![-0.5], array![3.0]).unwrap();
        let r = solve(well, array![0.1], &bounds, &tight());
        assert!(
            (r.x[0] - 1.0).abs() < 1e-10 && (r.value + 0.25).abs() < 1e-15,
            "{r:?}"
        );
        // On [−0.5, 0.8] the well's minimum is cut off: x = 0.8 with f' = −0.288 < 0.
        let bounds = Bounds::new(array![-0.5], array![0.8]).unwrap();
        let r = solve(well, array![0.1], &bounds, &tight());
        assert_eq!(r.x[0], 0.8);
        assert!((r.gradient[0] + 0.288).abs() < 1e-14);
    }

    #[test]
    fn extreme_scales_stay_finite() {
        // f = 10³⁰⁰·Σ(xᵢ − 0.3)²: values and gradients near 10³⁰⁰.
        let huge = |x: ArrayView1<'_, f64>| -> Eval {
            let r = x.mapv(|v| v - 0.3);
            Ok((1e300 * r.dot(&r), r.mapv(|v| 2e300 * v)))
        };
        let bounds = Bounds::cube(3, -1.0, 1.0).unwrap();
        let r = solve(
            huge,
            array![-1.0, 0.9, 1.0],
            &bounds,
            &BoundedOptions::default(),
        );
        assert!(max_abs_diff(&r.x, &array![0.3, 0.3, 0.3]) < 1e-6, "{r:?}");
        assert!(r.value.is_finite() && r.projected_gradient_norm.is_finite());
        // f = 10⁻³⁰⁰·Σ xᵢ²: the projected gradient is below pgtol at once.
        let tiny = |x: ArrayView1<'_, f64>| -> Eval {
            Ok((1e-300 * x.dot(&x), x.mapv(|v| 2e-300 * v)))
        };
        let r = solve(
            tiny,
            array![-1.0, 0.9, 1.0],
            &bounds,
            &BoundedOptions::default(),
        );
        assert_eq!(r.termination, Termination::ProjectedGradient);
    }

    fn random_problem(
    ) -> impl Strategy<Value = (Array2<f64>, Array1<f64>, Bounds, Array1<f64>)>
    {
        (1..=5_usize).prop_flat_map(|d| {
            (
                prop::collection::vec(-1.0..1.0_f64, d * d),
                prop::collection::vec(-3.0..3.0_f64, d),
                prop::collection::vec((-2.0..1.0_f64, 0.1..3.0_f64), d),
                prop::collection::vec(0.0..1.0_f64, d),
            )
                .prop_map(move |(m, b, corners, u)| {
                    let m = Array2::from_shape_vec((d, d), m).unwrap();
                    // MᵀM + 0.05·I: positive definite, condition numbers up to ~10³.
                    let a = m.t().dot(&m) + Array2::<f64>::eye(d) * 0.05;
                    let lower: Array1<f64> = corners.iter().map(|c| c.0).collect();
                    let upper: Array1<f64> =
                        corners.iter().map(|c| c.0 + c.1).collect();
                    let bounds = Bounds::new(lower.clone(), upper.clone()).unwrap();
                    let start = &lower + &(Array1::from(u) * (&upper - &lower));
                    (a, Array1::from(b), bounds, start)
                })
        })
    }

    /// A random non-convex problem: ½xᵀAx − bᵀx + Σᵢ sin(3xᵢ + cᵢ) (A positive
    /// semidefinite), NaN within 0.2 of c in some coordinate when `holes` (but not at the
    /// start), in a random box, from a random start that may lie outside it.
    fn wiggly_problem(
    ) -> impl Strategy<Value = (usize, Vec<f64>, bool, Bounds, Array1<f64>)> {
        (1..=8_usize).prop_flat_map(|d| {
            (
                Just(d),
                prop::collection::vec(-1.0..1.0_f64, d * d + 2 * d),
                any::<bool>(),
                prop::collection::vec((-2.0..1.0_f64, 0.1..3.0_f64), d),
                prop::collection::vec(-4.0..4.0_f64, d),
            )
                .prop_map(
                    |(d, coefficients, holes, corners, start)| {
                        let lower: Array1<f64> =
                            corners.iter().map(|c| c.0).collect();
                        let upper: Array1<f64> =
                            corners.iter().map(|c| c.0 + c.1).collect();
                        let bounds = Bounds::new(lower, upper).unwrap();
                        (d, coefficients, holes, bounds, Array1::from(start))
                    },
                )
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        #[test]
        fn wiggly_and_failing_objectives_keep_every_promise(
            (d, coefficients, holes, bounds, start) in wiggly_problem()
        ) {
            let m = Array2::from_shape_vec((d, d), coefficients[..d * d].to_vec()).unwrap();
            let a = m.t().dot(&m);
            let b = Array1::from(coefficients[d * d..d * d + d].to_vec()) * 3.0;
            let c = Array1::from(coefficients[d * d + d..].to_vec()) * 2.0;
            let mut projected = start.clone();
            bounds.clamp(projected.view_mut());
            let f = |x: ArrayView1<'_, f64>| -> Eval {
                let ax = a.dot(&x);
                let wiggle: f64 = x.iter().zip(&c).map(|(v, c)| (3.0 * v + c).sin()).sum();
                let g = ax.clone() - &b
                    + x.iter().zip(&c).map(|(v, c)| 3.0 * (3.0 * v + c).cos()).collect::<Array1<f64>>();
                let in_hole = x.iter().zip(&c).any(|(v, c)| (v - c).abs() < 0.2);
                let value = if holes && in_hole && x != projected.view() {
                    f64::NAN
                } else {
                    0.5 * x.dot(&ax) - b.dot(&x) + wiggle
                };
                Ok((value, g))
            };
            let options = BoundedOptions { max_evals: 300, ..BoundedOptions::default() };
            // `solve` checks the report: x in the box, value and gradient those at x, budgets.
            let r = solve(f, start, &bounds, &options);
            let (f0, _) = f(projected.view()).unwrap();
            prop_assert!(r.value <= f0 + ROUNDING * f0.abs(), "{:?} from f = {}", r, f0);
            prop_assert!(r.projected_gradient_norm.is_finite());
            if r.termination == Termination::ProjectedGradient {
                prop_assert!(r.projected_gradient_norm <= options.pgtol);
            }
        }

        #[test]
        fn convex_quadratics_in_random_boxes_meet_kkt((a, b, bounds, start) in random_problem()) {
            let expected = qp_by_enumeration(&a, &b, &bounds);
            let options = BoundedOptions { pgtol: 1e-10, ftol: 0.0, ..BoundedOptions::default() };
            let r = solve(quadratic(a, b), start, &bounds, &options);
            prop_assert!(kkt_violation(&r.x, &r.gradient, &bounds) < 1e-7, "{:?}", r);
            prop_assert!(max_abs_diff(&r.x, &expected) < 1e-5, "{:?} vs {}", r, expected);
            prop_assert!(r.termination != Termination::MaxIterations, "{:?}", r);
        }
    }
}
