//! Sequential greedy batches (BoTorch's `optimize_acqf(..., sequential=True)`): the q
//! points of a batch chosen one at a time, each maximising the one-point Monte Carlo
//! function with the points already chosen passed as pending. Each step searches d
//! coordinates instead of q·d; for qEI, whose value is submodular in the batch, the greedy
//! batch is within a factor 1 − 1/e of the best one (Wilson et al. 2018).

use super::{stacked, MonteCarlo};
use crate::acquisition::AcquisitionFunction;
use crate::optimize_acqf::{optimize_acqf, AcqfOptions, Optimised};
use crate::{Bounds, Error, Result};
use ndarray::{Array1, Array2};

/// A batch built point by point.
#[derive(Debug, Clone, PartialEq)]
pub struct SequentialBatch {
    /// The q points, one per row, in the order they were chosen.
    pub x: Array2<f64>,
    /// The value of each point's step: the one-point function with the earlier points (and
    /// the function's own pending points) pending.
    pub values: Array1<f64>,
    /// What each step's [`optimize_acqf`] found.
    pub steps: Vec<Optimised>,
}

/// Chooses q points greedily: point k maximises `acqf` (a one-point function) with the
/// points 1, …, k − 1 added to its pending points, by [`optimize_acqf`] over `bounds`
/// with `options` (whose seed is advanced by one per step).
///
/// # Errors
/// [`Error::InvalidInput`] for q = 0, for a function with q ≠ 1, or for q larger than the
/// raw-sample pool (`options.raw_samples`); as for [`optimize_acqf`].
pub fn optimize_acqf_sequential(
    acqf: &MonteCarlo,
    q: usize,
    bounds: &Bounds,
    options: &AcqfOptions,
) -> Result<SequentialBatch> {
    let invalid = |reason: String| {
        Err(Error::InvalidInput { context: "optimize_acqf_sequential", reason })
    };
    if q == 0 {
        return invalid("a batch needs at least one point (q ≥ 1)".into());
    }
    if acqf.q() != 1 {
        return invalid(format!(
            "the steps need a one-point function, got one of q = {}",
            acqf.q()
        ));
    }
    if q > options.raw_samples {
        return invalid(format!(
            "q = {q} exceeds the pool of {} raw samples",
            options.raw_samples
        ));
    }
    let d = acqf.dim();
    let mut chosen = Array2::zeros((0, d));
    let mut values = Vec::with_capacity(q);
    let mut steps = Vec::with_capacity(q);
    for k in 0..q {
        let pending = stacked(acqf.pending(), chosen.view())?;
        let step = acqf.with_pending(pending.view())?;
        let options = AcqfOptions {
            seed: options.seed.wrapping_add(k as u64),
            ..options.clone()
        };
        let found = optimize_acqf(&step, bounds, &options)?;
        let point = found.x.view().insert_axis(ndarray::Axis(0));
        chosen = stacked(chosen.view(), point)?;
        values.push(found.value);
        steps.push(found);
    }
    Ok(SequentialBatch { x: chosen, values: values.into(), steps })
}
