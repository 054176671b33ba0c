//! qEHVI: the expected hypervolume improvement of a batch of q candidates, by Monte Carlo
//! over the joint posterior of independent GPs, with its gradient from the autodiff tape.
//!
//! For a batch X = (x₁, …, x_q) and the boxes [l, u] of the region not dominated by the
//! current front ([`non_dominated_boxes`]), the hypervolume a
//! sample Y (q × m) adds is, by inclusion–exclusion over the non-empty subsets S of the
//! batch,
//!
//! HVI(Y) = Σ_S (−1)^{|S|+1} Σ_boxes Πₖ (min(min_{i∈S} Yᵢₖ, uₖ) − lₖ)⁺,
//!
//! the formula of S. Daulton, M. Balandat and E. Bakshy, "Differentiable expected
//! hypervolume improvement for parallel multi-objective Bayesian optimization", *NeurIPS*
//! 2020, which BoTorch's `qExpectedHypervolumeImprovement` computes. qEHVI(X) is its mean
//! over s reparameterised samples Y⁽ⁱ⁾ = μ(X) + L(X) z⁽ⁱ⁾, one independent block of q
//! columns of z per objective (the GPs of a [`ModelList`] are independent), with the base
//! samples z drawn once from a scrambled Sobol sequence and held fixed, as for
//! [`MonteCarlo`](crate::acquisition::MonteCarlo): the estimate is then a deterministic,
//! almost everywhere differentiable function of X. The gradient flows from the
//! improvement's closed-form derivative (one operation on the tape) back through the
//! samples, the Cholesky factors of Σ(X) and the kernels ([`TapePosterior::samples`]).
//! Second derivatives are not provided. Pending points (chosen, not yet observed;
//! [`Qehvi::with_pending`]) join the batch in the joint posterior, as in BoTorch.
//!
//! The cost per evaluation is about s·(2^q − 1)·(number of boxes)·m operations besides the
//! posteriors: batches are limited to [`MAX_Q`] points.

use super::boxes::{non_dominated_boxes, BoxDecomposition};
use super::model_list::ModelList;
use crate::acquisition::monte_carlo::{
    check_blocks, value_and_gradient_on_tape, value_off_tape,
};
use crate::acquisition::AcquisitionFunction;
use crate::autodiff::{Function, Tape, Var};
use crate::gp::{FixedPoints, TapePosterior};
use crate::sampling::NormalSampler;
use crate::{Error, Result};
use ndarray::{s, Array1, Array2, ArrayD, ArrayView1, ArrayView2, Ix1, Ix2};
use std::sync::Arc;

/// The largest batch: the inclusion–exclusion sum has 2^q − 1 terms.
pub const MAX_Q: usize = 10;

/// Settings of the Monte Carlo estimate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QehviOptions {
    /// The number of base samples s (128 by default, BoTorch's for qEHVI; a power of two
    /// keeps the Sobol points balanced).
    pub samples: usize,
    /// The seed of the scrambled Sobol base samples.
    pub seed: u64,
}

impl Default for QehviOptions {
    fn default() -> Self {
        QehviOptions { samples: 128, seed: 0 }
    }
}

/// qEHVI over batches of q points for m independent GP posteriors. Implements
/// [`AcquisitionFunction`] over q·d coordinates (the q points one after another), so
/// [`optimize_acqf`](crate::optimize_acqf::optimize_acqf) maximises it.
#[derive(Debug, Clone)]
pub struct Qehvi {
    posteriors: Vec<Arc<TapePosterior>>,
    cells: Arc<Cells>,
    boxes: BoxDecomposition,
    q: usize,
    options: QehviOptions,
    /// X_p, p × d (p may be 0).
    pending: Array2<f64>,
    /// Each posterior's share for the pending points, computed once (empty for p = 0).
    fixed: Vec<Arc<FixedPoints>>,
    /// z, s × ((q + p)·m): columns k·(q + p) … k·(q + p) + q + p − 1 for objective k.
    base: Array2<f64>,
}

impl Qehvi {
    /// qEHVI for batches of `q` points through the models of `models`, over the region cut
    /// into `boxes` (of [`non_dominated_boxes`] for the current observations), with base
    /// samples from `options`.
    ///
    /// # Errors
    /// [`Error::ShapeMismatch`] unless the boxes have one objective per model;
    /// [`Error::InvalidInput`] for q = 0 or q > [`MAX_Q`]; as for [`TapePosterior::new`]
    /// and [`NormalSampler::new`].
    pub fn new(
        models: &ModelList,
        boxes: BoxDecomposition,
        q: usize,
        options: &QehviOptions,
    ) -> Result<Self> {
        let posteriors = models
            .models()
            .iter()
            .map(TapePosterior::new)
            .collect::<Result<Vec<_>>>()?;
        Qehvi::with_posteriors(posteriors, boxes, q, options)
    }

    /// As [`Qehvi::new`], with the boxes of the region not dominated by the rows of
    /// `observed` (n × m objective values) above `reference`.
    ///
    /// # Errors
    /// As for [`non_dominated_boxes`] and [`Qehvi::new`].
    pub fn from_observations(
        models: &ModelList,
        observed: ArrayView2<'_, f64>,
        reference: ArrayView1<'_, f64>,
        q: usize,
        options: &QehviOptions,
    ) -> Result<Self> {
        let boxes = non_dominated_boxes(observed, reference)?;
        Qehvi::new(models, boxes, q, options)
    }

    /// As [`Qehvi::new`], for posteriors already prepared (one per objective, all of the
    /// same input dimension; of plain [`Gp`](crate::gp::Gp)s, say, by
    /// [`TapePosterior::from_gp`]).
    ///
    /// # Errors
    /// As for [`Qehvi::new`]; [`Error::Empty`] for no posteriors, [`Error::ShapeMismatch`]
    /// for posteriors of different input dimensions.
    pub fn with_posteriors(
        posteriors: Vec<TapePosterior>,
        boxes: BoxDecomposition,
        q: usize,
        options: &QehviOptions,
    ) -> Result<Self> {
        let m = posteriors.len();
        let Some(first) = posteriors.first() else {
            return Err(Error::Empty { context: "Qehvi: the posteriors" });
        };
        let d = first.dim();
        if posteriors.iter().any(|p| p.dim() != d) {
            return Err(Error::ShapeMismatch {
                context: "Qehvi: every posterior needs the same inputs",
                expected: vec![d],
                found: posteriors.iter().map(|p| p.dim()).collect(),
            });
        }
        if boxes.num_objectives() != m {
            return Err(Error::ShapeMismatch {
                context: "Qehvi: the boxes need one objective per model",
                expected: vec![m],
                found: vec![boxes.num_objectives()],
            });
        }
        if q == 0 || q > MAX_Q {
            return Err(Error::InvalidInput {
                context: "Qehvi",
                reason: format!("a batch needs 1 to {MAX_Q} points, got q = {q}"),
            });
        }
        let base = NormalSampler::new(options.samples, q * m, options.seed)?;
        Ok(Qehvi {
            posteriors: posteriors.into_iter().map(Arc::new).collect(),
            cells: Arc::new(Cells::new(&boxes, q)),
            boxes,
            q,
            options: *options,
            pending: Array2::zeros((0, d)),
            fixed: Vec::new(),
            base: base.base().to_owned(),
        })
    }

    /// The same function with pending points X_p (p × d, p ≥ 0, replacing any before):
    /// points chosen but not yet observed. As in BoTorch, they join the batch in the joint
    /// posterior, and the improvement is that of the q + p points together, so a candidate
    /// scores what it adds beside them; the base samples are drawn afresh for q + p points
    /// per objective from the same seed (the same numbers as a batch of q + p points with
    /// the pending points last).
    ///
    /// # Errors
    /// [`Error::ShapeMismatch`] unless `pending` has d columns, [`Error::NonFinite`] for
    /// non-finite entries, [`Error::InvalidInput`] if q + p exceeds [`MAX_Q`]; as for
    /// [`NormalSampler::new`].
    pub fn with_pending(&self, pending: ArrayView2<'_, f64>) -> Result<Self> {
        crate::error::check_points(
            pending,
            self.dim(),
            "Qehvi: the pending points",
        )?;
        let width = self.q + pending.nrows();
        if width > MAX_Q {
            return Err(Error::InvalidInput {
                context: "Qehvi",
                reason: format!(
                    "a batch and its pending points hold at most {MAX_Q} points, got {width}"
                ),
            });
        }
        let m = self.posteriors.len();
        let base =
            NormalSampler::new(self.options.samples, width * m, self.options.seed)?;
        let fixed = match pending.nrows() {
            0 => Vec::new(),
            _ => self
                .posteriors
                .iter()
                .map(|p| p.fix(pending).map(Arc::new))
                .collect::<Result<Vec<_>>>()?,
        };
        Ok(Qehvi {
            cells: Arc::new(Cells::new(&self.boxes, width)),
            pending: pending.to_owned(),
            fixed,
            base: base.base().to_owned(),
            ..self.clone()
        })
    }

    /// The pending points X_p (p × d).
    pub fn pending(&self) -> ArrayView2<'_, f64> {
        self.pending.view()
    }

    /// The same function with explicit base samples z (s × (w·m), w = q + p the batch and
    /// its pending points: columns k·w to k·w + w − 1 for objective k), for instance to
    /// reproduce another library's estimate.
    ///
    /// # Errors
    /// [`Error::ShapeMismatch`] unless `base` has w·m columns, [`Error::Empty`] for no
    /// rows, [`Error::NonFinite`] for non-finite draws.
    pub fn with_base_samples(&self, base: ArrayView2<'_, f64>) -> Result<Self> {
        let width = (self.q + self.pending.nrows()) * self.posteriors.len();
        if base.ncols() != width {
            return Err(Error::ShapeMismatch {
                context: "Qehvi: base samples, q columns per objective",
                expected: vec![base.nrows(), width],
                found: base.shape().to_vec(),
            });
        }
        if base.nrows() == 0 {
            return Err(Error::Empty { context: "Qehvi: base samples" });
        }
        if base.iter().any(|v| !v.is_finite()) {
            return Err(Error::NonFinite { context: "Qehvi: base samples" });
        }
        Ok(Qehvi { base: base.to_owned(), ..self.clone() })
    }

    /// The boxes the improvement is summed over.
    pub fn boxes(&self) -> &BoxDecomposition {
        &self.boxes
    }

    /// The base samples z (s × ((q + p)·m)).
    pub fn base_samples(&self) -> ArrayView2<'_, f64> {
        self.base.view()
    }

    /// The settings it was built with.
    pub fn options(&self) -> &QehviOptions {
        &self.options
    }

    /// The hypervolume improvement of each of the s joint samples at the batch `x` (q × d,
    /// in the data's units), recorded on `x`'s tape: a vector whose mean is qEHVI.
    ///
    /// # Errors
    /// As for [`TapePosterior::samples`] (shape, non-finite entries, a covariance that
    /// cannot be factored).
    pub fn improvements_on_tape<'t>(&self, x: Var<'t>) -> Result<Var<'t>> {
        let tape = x.tape();
        let w = self.q + self.pending.nrows();
        let parts = self
            .posteriors
            .iter()
            .enumerate()
            .map(|(k, p)| {
                let base = self.base.slice(s![.., k * w..(k + 1) * w]);
                match self.fixed.get(k) {
                    None => p.samples(x, base),
                    Some(fixed) => p.samples_with_fixed(x, fixed, base),
                }
            })
            .collect::<Result<Vec<_>>>()?;
        let y = tape.concat(&parts, 1);
        Ok(tape.custom(Improvement(self.cells.clone()), &[y]))
    }

    /// qEHVI at the batch `x` (q × d) as a 0-dimensional value on `x`'s tape.
    ///
    /// # Errors
    /// As for [`Qehvi::improvements_on_tape`]; [`Error::NonFinite`] if the value is not
    /// finite.
    pub fn value_on_tape<'t>(&self, x: Var<'t>) -> Result<Var<'t>> {
        let value = self.improvements_on_tape(x)?.mean();
        let v = x.tape().item(value)?;
        if !v.is_finite() {
            return Err(Error::NonFinite { context: "Qehvi: the value" });
        }
        Ok(value)
    }

    /// The hypervolume improvement of each joint sample at the batch `x` (q × d): their
    /// mean is qEHVI, their spread says how precise the estimate is.
    ///
    /// # Errors
    /// [`Error::ShapeMismatch`] unless `x` is q × d; as for
    /// [`Qehvi::improvements_on_tape`].
    pub fn improvement_samples(
        &self,
        x: ArrayView2<'_, f64>,
    ) -> Result<Array1<f64>> {
        let (q, d) = (self.q, self.dim());
        if x.dim() != (q, d) {
            return Err(Error::ShapeMismatch {
                context: "Qehvi::improvement_samples: a batch of q points",
                expected: vec![q, d],
                found: x.shape().to_vec(),
            });
        }
        let tape = Tape::new();
        let v =
            self.improvements_on_tape(tape.constant(x.to_owned().into_dyn()))?;
        let out =
            tape.inspect(v, |a| a.iter().copied().collect::<Array1<f64>>())?;
        Ok(out)
    }

    /// The q·d coordinates of one candidate as a q × d matrix.
    fn batch(&self, x: ArrayView1<'_, f64>) -> Result<Array2<f64>> {
        let d = self.dim();
        if x.len() != self.q * d {
            return Err(Error::ShapeMismatch {
                context: "Qehvi: a candidate has q·d coordinates",
                expected: vec![self.q * d],
                found: vec![x.len()],
            });
        }
        if x.iter().any(|v| !v.is_finite()) {
            return Err(Error::NonFinite { context: "Qehvi: a candidate" });
        }
        Array2::from_shape_vec((self.q, d), x.to_vec()).map_err(|e| {
            Error::InvalidInput { context: "Qehvi", reason: e.to_string() }
        })
    }
}

impl AcquisitionFunction for Qehvi {
    fn dim(&self) -> usize {
        self.posteriors[0].dim()
    }

    fn q(&self) -> usize {
        self.q
    }

    fn values(&self, x: ArrayView2<'_, f64>) -> Result<Array1<f64>> {
        check_blocks(
            x,
            self.q * self.dim(),
            "Qehvi::values: one candidate of q·d coordinates per row",
        )?;
        x.rows()
            .into_iter()
            .map(|row| value_off_tape(self.batch(row)?, |v| self.value_on_tape(v)))
            .collect()
    }

    fn value_and_gradient(
        &self,
        x: ArrayView1<'_, f64>,
    ) -> Result<(f64, Array1<f64>)> {
        value_and_gradient_on_tape(
            self.batch(x)?,
            |v| self.value_on_tape(v),
            "Qehvi: the gradient",
        )
    }
}

/// The boxes in a flat layout and the batch's subsets with their signs.
#[derive(Debug)]
struct Cells {
    m: usize,
    q: usize,
    /// Row-major k × m.
    lower: Vec<f64>,
    upper: Vec<f64>,
    /// (members of S as a bit mask, (−1)^{|S|+1}).
    subsets: Vec<(u32, f64)>,
}

impl Cells {
    fn new(boxes: &BoxDecomposition, q: usize) -> Self {
        let subsets = (1u32..(1u32 << q))
            .map(|mask| (mask, if mask.count_ones() % 2 == 1 { 1.0 } else { -1.0 }))
            .collect();
        Cells {
            m: boxes.num_objectives(),
            q,
            lower: boxes.lower().iter().copied().collect(),
            upper: boxes.upper().iter().copied().collect(),
            subsets,
        }
    }

    /// HVI of one joint sample `y` (m·q values, objective k of point i at k·q + i), and if
    /// `gradient` is given, `weight` times its gradient added to it.
    fn improvement(
        &self,
        y: &[f64],
        mut gradient: Option<(&mut [f64], f64)>,
    ) -> f64 {
        let (m, q) = (self.m, self.q);
        let mut z = vec![0.0; m];
        let mut arg = vec![0usize; m];
        let mut side = vec![0.0; m];
        let mut total = 0.0;
        for &(mask, sign) in &self.subsets {
            for k in 0..m {
                let mut low = f64::INFINITY;
                for i in 0..q {
                    if mask & (1 << i) != 0 && y[k * q + i] < low {
                        low = y[k * q + i];
                        arg[k] = i;
                    }
                }
                z[k] = low;
            }
            for (l, u) in self.lower.chunks_exact(m).zip(self.upper.chunks_exact(m))
            {
                let mut product = 1.0;
                let mut empty = false;
                for k in 0..m {
                    side[k] = z[k].min(u[k]) - l[k];
                    if side[k] <= 0.0 {
                        empty = true;
                        break;
                    }
                    product *= side[k];
                }
                if empty {
                    continue;
                }
                total += sign * product;
                if let Some((g, weight)) = gradient.as_mut() {
                    for k in 0..m {
                        if z[k] < u[k] {
                            let others: f64 = (0..m)
                                .filter(|&j| j != k)
                                .map(|j| side[j])
                                .product();
                            g[k * q + arg[k]] += *weight * sign * others;
                        }
                    }
                }
            }
        }
        total
    }
}

/// Y (s × m·q) ↦ the s samples' hypervolume improvements.
struct Improvement(Arc<Cells>);

impl Function for Improvement {
    fn name(&self) -> &'static str {
        "hypervolume_improvement"
    }

    fn forward(&self, x: &[&ArrayD<f64>]) -> Result<ArrayD<f64>> {
        let y = samples(x[0], &self.0)?;
        let out: Array1<f64> = y
            .rows()
            .into_iter()
            .map(|row| self.0.improvement(&row.to_vec(), None))
            .collect();
        Ok(out.into_dyn())
    }

    fn vjp<'t>(
        &self,
        g: Var<'t>,
        x: &[Var<'t>],
        _: Var<'t>,
    ) -> Vec<Option<Var<'t>>> {
        let adjoint =
            || g.tape().custom(ImprovementAdjoint(self.0.clone()), &[g, x[0]]);
        vec![x[0].requires_grad().then(adjoint)]
    }
}

/// (G, Y) ↦ Gᵢ ∂HVI(Yᵢ)/∂Yᵢ row by row: the adjoint of [`Improvement`], piecewise
/// polynomial in Y; no second derivatives flow through it.
struct ImprovementAdjoint(Arc<Cells>);

impl Function for ImprovementAdjoint {
    fn name(&self) -> &'static str {
        "hypervolume_improvement_adjoint"
    }

    fn forward(&self, x: &[&ArrayD<f64>]) -> Result<ArrayD<f64>> {
        let g = x[0].view().into_dimensionality::<Ix1>().map_err(|_| {
            Error::InvalidInput {
                context: "hypervolume_improvement_adjoint",
                reason: "the adjoint must be a vector".into(),
            }
        })?;
        let y = samples(x[1], &self.0)?;
        if g.len() != y.nrows() {
            return Err(Error::ShapeMismatch {
                context: "hypervolume_improvement_adjoint",
                expected: vec![y.nrows()],
                found: vec![g.len()],
            });
        }
        let mut out = Array2::zeros(y.raw_dim());
        for ((row, mut o), &w) in y.rows().into_iter().zip(out.rows_mut()).zip(&g) {
            let mut grad = vec![0.0; row.len()];
            self.0.improvement(&row.to_vec(), Some((&mut grad, w)));
            o.assign(&Array1::from(grad));
        }
        Ok(out.into_dyn())
    }

    fn vjp<'t>(
        &self,
        _: Var<'t>,
        _: &[Var<'t>],
        _: Var<'t>,
    ) -> Vec<Option<Var<'t>>> {
        vec![None, None]
    }
}

/// The samples as an s × (m·q) matrix.
fn samples<'a>(
    a: &'a ArrayD<f64>,
    cells: &Cells,
) -> Result<ndarray::ArrayView2<'a, f64>> {
    let y =
        a.view().into_dimensionality::<Ix2>().map_err(|_| Error::InvalidInput {
            context: "hypervolume_improvement",
            reason: format!(
                "needs a matrix of samples, found shape {:?}",
                a.shape()
            ),
        })?;
    if y.ncols() != cells.m * cells.q {
        return Err(Error::ShapeMismatch {
            context: "hypervolume_improvement: q columns per objective",
            expected: vec![y.nrows(), cells.m * cells.q],
            found: y.shape().to_vec(),
        });
    }
    Ok(y)
}

#[cfg(test)]
mod tests;
