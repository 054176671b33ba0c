//! Noisy expected improvement, qNEI and qLogNEI: expected improvement when the incumbent is
//! not known because every observation carries noise.
//!
//! With noisy data the best *observed* value is a biased incumbent (the luckiest draw of the
//! noise), and even the best posterior mean is a point estimate of a quantity the model is
//! unsure about. Noisy expected improvement keeps that uncertainty: it draws the latent f
//! jointly at the observed points (the *baseline* B) and at the candidates X, and in each
//! draw compares the best candidate with the best baseline point of the same draw,
//!
//! qNEI(X) ≈ (1/s) Σᵢ ( maxⱼ g(xⱼ)⁽ⁱ⁾ − max_b g(b)⁽ⁱ⁾ )⁺,  g = sign · f,
//!
//! and qLogNEI is the logarithm of its smoothed version, exactly as qLogEI smooths qEI (the
//! fat-tailed softplus at τ_relu, the fat-tailed maximum over the candidates at τ_max, the
//! mean over draws in log space; see [`smooth`](super::smooth)), with the per-draw
//! incumbent max_b g(b)⁽ⁱ⁾ in place of a fixed ξ. For one candidate and a noise-free
//! baseline of one point this is EI (LogEI) with that point's value as incumbent.
//!
//! The draws come from [`BaselineSamples`]: the baseline's samples are drawn once, the
//! candidates' conditionally on them (BoTorch's cached root decomposition), with fixed
//! quasi-random base draws, so the estimate is a smooth deterministic function of X whose
//! gradient comes from the tape — or, for a single candidate, from the same formulas
//! written out for one point ([`BaselineSamples::point_samples`]), which agree with the
//! tape to rounding and cost a fraction of recording it. Baseline points are first reduced to distinct rows (f at
//! two equal inputs is one value) and, by default, **pruned** to those that are the best
//! of the baseline in at least one of 2048 posterior draws ([`prune_inferior_points`],
//! BoTorch's `prune_inferior_points`): a point that is never the best never sets a draw's
//! incumbent, and dropping it only makes the sampling cheaper. **Pending points** join the
//! baseline (BoTorch's default, "incremental" qNEI): a candidate scores what it adds over
//! the observed and the pending points.

use super::smooth::{FatMax, FatSoftplus, LogFatplus, LogMeanExp, RowMax};
use super::{
    check_blocks, value_and_gradient_on_tape, value_off_tape, MonteCarloOptions,
};
use crate::acquisition::{AcquisitionFunction, Direction};
use crate::autodiff::Var;
use crate::gp::{BaselineSamples, FittedGp, TapePosterior};
use crate::models::Model;
use crate::sampling::{qmc_normal, NormalSampler};
use crate::{Error, Result};
use ndarray::{concatenate, s, Array1, Array2, ArrayView1, ArrayView2, Axis};
use std::sync::Arc;

/// How baseline points are pruned ([`prune_inferior_points`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PruneOptions {
    /// The number of posterior draws (2048 by default, BoTorch's).
    pub samples: usize,
    /// At most ⌈`max_fraction` · n⌉ points are kept, those best in the most draws
    /// (1 by default: every point best in at least one draw is kept). In (0, 1].
    pub max_fraction: f64,
    /// The seed of the quasi-random draws.
    pub seed: u64,
}

impl Default for PruneOptions {
    fn default() -> Self {
        PruneOptions { samples: 2048, max_fraction: 1.0, seed: 0 }
    }
}

/// Settings of [`NoisyExpectedImprovement`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NoisyOptions {
    /// qLogNEI (`true`, the default, as the library recommends) or qNEI (`false`).
    pub log: bool,
    /// The Monte Carlo estimate: draws, seed and the smoothing temperatures of the log form.
    pub monte_carlo: MonteCarloOptions,
    /// Pruning of the baseline (`Some(default)` by default, as BoTorch does), or `None` to
    /// keep every distinct baseline point.
    pub prune: Option<PruneOptions>,
}

impl Default for NoisyOptions {
    fn default() -> Self {
        NoisyOptions {
            log: true,
            monte_carlo: MonteCarloOptions::default(),
            prune: Some(PruneOptions::default()),
        }
    }
}

/// The indices of the first occurrence of each distinct row of `x`, in order.
pub fn distinct_rows(x: ArrayView2<'_, f64>) -> Vec<usize> {
    let mut kept: Vec<usize> = Vec::new();
    for (i, row) in x.rows().into_iter().enumerate() {
        if !kept.iter().any(|&k| x.row(k) == row) {
            kept.push(i);
        }
    }
    kept
}

/// The rows of `x` (n × d) that are the best of them — the largest g = sign · f for
/// `direction` — in at least one of `options.samples` joint posterior draws of `model`
/// (quasi-random, from `options.seed`), as indices in increasing order. If more than
/// ⌈`max_fraction` · n⌉ qualify, those that are best in the most draws are kept (ties to
/// the earlier row). Ties within a draw go to the earlier row, so of two equal rows only
/// the first can be kept. BoTorch's `prune_inferior_points`, for a single-output model.
///
/// # Errors
/// [`Error::Empty`] for no points or no draws; [`Error::ShapeMismatch`] unless `x` has d
/// columns; [`Error::NonFinite`] for non-finite entries; [`Error::InvalidInput`] for a
/// `max_fraction` outside (0, 1], more than [`MAX_DIM`](crate::sampling::MAX_DIM) points,
/// or a posterior that cannot be sampled.
pub fn prune_inferior_points(
    model: &dyn Model,
    x: ArrayView2<'_, f64>,
    direction: Direction,
    options: &PruneOptions,
) -> Result<Vec<usize>> {
    crate::error::check_points(
        x,
        model.dim(),
        "prune_inferior_points: the points",
    )?;
    let n = x.nrows();
    if n == 0 {
        return Err(Error::Empty { context: "prune_inferior_points: the points" });
    }
    let f = options.max_fraction;
    if !(f > 0.0 && f <= 1.0) {
        return Err(Error::InvalidInput {
            context: "prune_inferior_points",
            reason: format!("max_fraction must lie in (0, 1], got {f}"),
        });
    }
    let max_points = ((f * n as f64).ceil() as usize).clamp(1, n);
    let base = qmc_normal(options.samples, n, options.seed)?;
    let draws = model.posterior(x)?.sample(base.view())?;
    let sign = direction.sign();
    let mut wins = vec![0usize; n];
    for row in draws.rows() {
        let mut best = 0;
        for (j, &v) in row.iter().enumerate() {
            if sign * v > sign * row[best] {
                best = j;
            }
        }
        wins[best] += 1;
    }
    let mut kept: Vec<usize> = (0..n).filter(|&i| wins[i] > 0).collect();
    if kept.len() > max_points {
        kept.sort_by(|&a, &b| wins[b].cmp(&wins[a]).then(a.cmp(&b)));
        kept.truncate(max_points);
        kept.sort_unstable();
    }
    Ok(kept)
}

/// qNEI or qLogNEI over batches of q points for a GP, with the observed points as
/// baseline. Implements [`AcquisitionFunction`] over q·d coordinates, for
/// [`optimize_acqf`](crate::optimize_acqf::optimize_acqf).
#[derive(Debug, Clone)]
pub struct NoisyExpectedImprovement {
    posterior: Arc<TapePosterior>,
    direction: Direction,
    q: usize,
    options: NoisyOptions,
    /// The observed baseline after deduplication and pruning.
    observed: Array2<f64>,
    /// Pending points X_p (m × d), part of the baseline.
    pending: Array2<f64>,
    /// Draws at [observed; pending].
    baseline: BaselineSamples,
    /// The best g of each draw over the baseline (s × 1).
    best: Array2<f64>,
    /// The candidates' base draws (s × q).
    base: Array2<f64>,
}

impl NoisyExpectedImprovement {
    /// qLogNEI (or qNEI, see [`NoisyOptions::log`]) for batches of `q` points through
    /// `model`, for an objective optimised in `direction`, with the rows of `baseline`
    /// (usually every observed input, replicates included) as baseline. The base draws
    /// are `options.monte_carlo.samples` quasi-random normal vectors from its seed, one
    /// column per baseline point and then one per candidate.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] for q = 0 or τ's that are not positive numbers;
    /// [`Error::Empty`] for no baseline points or no draws; [`Error::ShapeMismatch`] or
    /// [`Error::NonFinite`] for bad baseline points; as for [`prune_inferior_points`] and
    /// [`BaselineSamples::new`].
    pub fn new(
        model: &FittedGp,
        baseline: ArrayView2<'_, f64>,
        direction: Direction,
        q: usize,
        options: &NoisyOptions,
    ) -> Result<Self> {
        if q == 0 {
            return Err(Error::InvalidInput {
                context: "NoisyExpectedImprovement",
                reason: "a batch needs at least one point (q ≥ 1)".into(),
            });
        }
        let mc = &options.monte_carlo;
        for (name, tau) in [("τ_max", mc.tau_max), ("τ_relu", mc.tau_relu)] {
            if !(tau > 0.0 && tau.is_finite()) {
                return Err(Error::InvalidInput {
                    context: "NoisyExpectedImprovement",
                    reason: format!("{name} must be a positive number, got {tau}"),
                });
            }
        }
        let context = "NoisyExpectedImprovement: the baseline";
        crate::error::check_points(baseline, model.dim(), context)?;
        if baseline.nrows() == 0 {
            return Err(Error::Empty { context });
        }
        let distinct = baseline.select(Axis(0), &distinct_rows(baseline));
        let observed = match &options.prune {
            Some(prune) => {
                let kept = prune_inferior_points(
                    model,
                    distinct.view(),
                    direction,
                    prune,
                )?;
                distinct.select(Axis(0), &kept)
            }
            None => distinct,
        };
        let posterior = Arc::new(TapePosterior::new(model)?);
        let pending = Array2::zeros((0, model.dim()));
        NoisyExpectedImprovement::assemble(
            posterior, direction, q, *options, observed, pending, None,
        )
    }

    /// Builds the draws for the baseline [observed; pending], from `base` if given
    /// (s × (b + m + q)), else from the seed.
    fn assemble(
        posterior: Arc<TapePosterior>,
        direction: Direction,
        q: usize,
        options: NoisyOptions,
        observed: Array2<f64>,
        pending: Array2<f64>,
        base: Option<Array2<f64>>,
    ) -> Result<Self> {
        let points = concatenate![Axis(0), observed.view(), pending.view()];
        let b = points.nrows();
        let base = match base {
            Some(base) => base,
            None => {
                let mc = &options.monte_carlo;
                NormalSampler::new(mc.samples, b + q, mc.seed)?.base().to_owned()
            }
        };
        let baseline = BaselineSamples::new(
            posterior.clone(),
            points.view(),
            base.slice(s![.., ..b]),
        )?;
        let sign = direction.sign();
        let best = baseline
            .samples()
            .map_axis(Axis(1), |row| {
                row.iter().fold(f64::NEG_INFINITY, |m, &v| m.max(sign * v))
            })
            .insert_axis(Axis(1));
        Ok(NoisyExpectedImprovement {
            posterior,
            direction,
            q,
            options,
            observed,
            pending,
            baseline,
            best,
            base: base.slice(s![.., b..]).to_owned(),
        })
    }

    /// The same function with pending points X_p (m × d, replacing any before): they join
    /// the baseline, and the base draws are drawn afresh for the longer baseline from the
    /// same seed.
    ///
    /// # Errors
    /// [`Error::ShapeMismatch`] unless `pending` has d columns, [`Error::NonFinite`] for
    /// non-finite entries; as for [`BaselineSamples::new`].
    pub fn with_pending(&self, pending: ArrayView2<'_, f64>) -> Result<Self> {
        let context = "NoisyExpectedImprovement: the pending points";
        crate::error::check_points(pending, self.dim(), context)?;
        NoisyExpectedImprovement::assemble(
            self.posterior.clone(),
            self.direction,
            self.q,
            self.options,
            self.observed.clone(),
            pending.to_owned(),
            None,
        )
    }

    /// The same function with explicit base draws z (s × (b + m + q): one column per kept
    /// baseline point, then per pending point, then per candidate), for instance to
    /// reproduce another library's estimate draw for draw.
    ///
    /// # Errors
    /// [`Error::ShapeMismatch`] unless `base` has b + m + q columns, [`Error::Empty`] for
    /// no rows, [`Error::NonFinite`] for non-finite draws.
    pub fn with_base_samples(&self, base: ArrayView2<'_, f64>) -> Result<Self> {
        let width = self.observed.nrows() + self.pending.nrows() + self.q;
        if base.ncols() != width {
            return Err(Error::ShapeMismatch {
                context:
                    "NoisyExpectedImprovement: base draws, one column per baseline \
                          point, pending point and candidate",
                expected: vec![base.nrows(), width],
                found: base.shape().to_vec(),
            });
        }
        if base.nrows() == 0 {
            return Err(Error::Empty {
                context: "NoisyExpectedImprovement: base draws",
            });
        }
        NoisyExpectedImprovement::assemble(
            self.posterior.clone(),
            self.direction,
            self.q,
            self.options,
            self.observed.clone(),
            self.pending.clone(),
            Some(base.to_owned()),
        )
    }

    /// The observed baseline points kept (distinct and, unless switched off, pruned).
    pub fn baseline(&self) -> ArrayView2<'_, f64> {
        self.observed.view()
    }

    /// The pending points X_p (m × d).
    pub fn pending(&self) -> ArrayView2<'_, f64> {
        self.pending.view()
    }

    /// The incumbent of each draw, max over the baseline of g = sign · f (s entries).
    pub fn incumbents(&self) -> Array1<f64> {
        self.best.column(0).to_owned()
    }

    /// The settings it was built with.
    pub fn options(&self) -> &NoisyOptions {
        &self.options
    }

    /// The direction of the objective.
    pub fn direction(&self) -> Direction {
        self.direction
    }

    /// The acquisition value at the batch `x` (q × d, data units) as a 0-dimensional value
    /// on `x`'s tape.
    ///
    /// # Errors
    /// As for [`BaselineSamples::joint_samples`]; [`Error::NonFinite`] for a value that is
    /// not finite.
    pub fn value_on_tape<'t>(&self, x: Var<'t>) -> Result<Var<'t>> {
        let tape = x.tape();
        let y = self.baseline.joint_samples(x, self.base.view())?;
        let g = match self.direction {
            Direction::Maximise => y,
            Direction::Minimise => -y,
        };
        let improvement = g - tape.constant(self.best.clone().into_dyn());
        let mc = &self.options.monte_carlo;
        let value = if self.options.log {
            let li = tape
                .custom(LogFatplus(FatSoftplus::new(mc.tau_relu)), &[improvement]);
            let per_draw = tape.custom(FatMax(mc.tau_max), &[li]);
            tape.custom(LogMeanExp, &[per_draw])
        } else {
            tape.custom(RowMax, &[improvement.relu()]).mean()
        };
        if !tape.item(value)?.is_finite() {
            return Err(Error::NonFinite {
                context: "NoisyExpectedImprovement: the value",
            });
        }
        Ok(value)
    }

    /// The value at one point (q = 1) and its gradient, from
    /// [`BaselineSamples::point_samples`] without the tape: for one candidate the smooth
    /// maximum over the batch is the identity, so qLogNEI is the log-mean-exp over draws of
    /// ln fatplus(g − best) and qNEI the mean of (g − best)⁺; their gradients are weighted
    /// sums of the samples' Jacobian rows.
    fn one_point(&self, x: ArrayView1<'_, f64>) -> Result<(f64, Array1<f64>)> {
        let (y, jac) = self.baseline.point_samples(x, self.base.column(0))?;
        let sign = self.direction.sign();
        let s = y.len() as f64;
        let improvement: Array1<f64> = y
            .iter()
            .zip(self.best.column(0))
            .map(|(&v, &b)| sign * v - b)
            .collect();
        let (value, weights) = if self.options.log {
            let fat = FatSoftplus::new(self.options.monte_carlo.tau_relu);
            let (logs, slopes): (Vec<f64>, Vec<f64>) =
                improvement.iter().map(|&u| fat.log_and_slope(u)).unzip();
            let (value, w) = super::smooth::log_mean_exp(Array1::from(logs).view());
            (value, &w * &Array1::from(slopes))
        } else {
            let value = improvement.iter().map(|u| u.max(0.0)).sum::<f64>() / s;
            (value, improvement.mapv(|u| if u > 0.0 { 1.0 / s } else { 0.0 }))
        };
        let gradient = jac.t().dot(&weights) * sign;
        if !value.is_finite() || gradient.iter().any(|g| !g.is_finite()) {
            return Err(Error::NonFinite {
                context: "NoisyExpectedImprovement: the value",
            });
        }
        Ok((value, gradient))
    }

    /// q·d finite coordinates.
    fn check(&self, x: ArrayView1<'_, f64>) -> Result<()> {
        self.batch(x).map(|_| ())
    }

    /// The q·d coordinates of one candidate as a q × d matrix.
    fn batch(&self, x: ArrayView1<'_, f64>) -> Result<Array2<f64>> {
        let d = self.dim();
        if x.len() != self.q * d {
            return Err(Error::ShapeMismatch {
                context:
                    "NoisyExpectedImprovement: a candidate has q·d coordinates",
                expected: vec![self.q * d],
                found: vec![x.len()],
            });
        }
        if x.iter().any(|v| !v.is_finite()) {
            return Err(Error::NonFinite {
                context: "NoisyExpectedImprovement: a candidate",
            });
        }
        Array2::from_shape_vec((self.q, d), x.to_vec()).map_err(|e| {
            Error::InvalidInput {
                context: "NoisyExpectedImprovement",
                reason: e.to_string(),
            }
        })
    }
}

impl AcquisitionFunction for NoisyExpectedImprovement {
    fn dim(&self) -> usize {
        self.posterior.dim()
    }

    fn q(&self) -> usize {
        self.q
    }

    fn values(&self, x: ArrayView2<'_, f64>) -> Result<Array1<f64>> {
        check_blocks(
            x,
            self.q * self.dim(),
            "NoisyExpectedImprovement::values: one candidate of q·d coordinates per row",
        )?;
        x.rows()
            .into_iter()
            .map(|row| {
                if self.q == 1 {
                    return self
                        .check(row)
                        .and_then(|_| self.one_point(row))
                        .map(|v| v.0);
                }
                value_off_tape(self.batch(row)?, |v| self.value_on_tape(v))
            })
            .collect()
    }

    fn value_and_gradient(
        &self,
        x: ArrayView1<'_, f64>,
    ) -> Result<(f64, Array1<f64>)> {
        if self.q == 1 {
            self.check(x)?;
            return self.one_point(x);
        }
        value_and_gradient_on_tape(
            self.batch(x)?,
            |v| self.value_on_tape(v),
            "NoisyExpectedImprovement: the gradient",
        )
    }
}

#[cfg(test)]
mod tests;
