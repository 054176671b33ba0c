//! Distance rules between a batch's points, enforced as a smooth barrier inside the search
//! and checked exactly on its result.

use crate::acquisition::{log_probability_of_improvement, AcquisitionFunction};
use crate::{Error, Result};
use ndarray::{Array1, ArrayView1, ArrayView2};

/// A distance requirement between a batch's points (Euclidean, in the data's units).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum RadiusRule {
    /// Every new point at least `radius` from every point already in the batch.
    Exclude {
        /// r > 0, at most the box's diagonal.
        radius: f64,
    },
    /// Every new point within `radius` of every point already in the batch, and not on top
    /// of one (at least 10⁻³ away).
    Include {
        /// r > 0.
        radius: f64,
    },
}

/// Slack on the radius, so that a point exactly on the boundary passes.
const SLACK: f64 = 1e-8;
/// The smallest distance [`RadiusRule::Include`] allows.
const DISTINCT: f64 = 1e-3;

impl RadiusRule {
    /// Whether `c` may join a batch whose points are the rows of `chosen` (an empty batch
    /// accepts anything).
    pub fn accepts(
        &self,
        c: ArrayView1<'_, f64>,
        chosen: ArrayView2<'_, f64>,
    ) -> bool {
        let distances = chosen.rows().into_iter().map(|s| {
            let d = &c - &s;
            d.dot(&d).sqrt()
        });
        match *self {
            RadiusRule::Exclude { radius } => {
                distances.fold(f64::INFINITY, f64::min) >= radius - SLACK
            }
            RadiusRule::Include { radius } => distances
                .fold(true, |ok, d| ok && d <= radius + SLACK && d >= DISTINCT),
        }
    }

    pub(super) fn radius(&self) -> f64 {
        match *self {
            RadiusRule::Exclude { radius } | RadiusRule::Include { radius } => {
                radius
            }
        }
    }
}

/// The barrier's width as a fraction of the radius: the barrier's log Φ falls by about
/// z²/2 per width inside the forbidden region, steep against any acquisition's slope.
const WIDTH: f64 = 0.02;
/// The barrier's centre lies this many widths inside the allowed region, so that its
/// optimum is allowed by the exact rule.
const OFFSET: f64 = 3.0;

/// A function plus Σ_j log Φ(z_j(x)), z_j a signed distance to the rule's boundary around
/// the j-th point of the batch, in widths h = 0.02 r: for [`RadiusRule::Exclude`],
/// z_j = (‖x − s_j‖ − r − 3h)/h; for [`RadiusRule::Include`], z_j = (r − 3h − ‖x − s_j‖)/h.
/// The same soft exclusion as local penalisation, with the radius given rather than
/// estimated.
pub(super) struct Ruled<'a> {
    pub base: &'a dyn AcquisitionFunction,
    pub rule: RadiusRule,
    pub chosen: ArrayView2<'a, f64>,
}

impl Ruled<'_> {
    fn barrier(&self, x: ArrayView1<'_, f64>) -> (f64, Array1<f64>) {
        let r = self.rule.radius();
        let h = WIDTH * r;
        let (sign, edge) = match self.rule {
            RadiusRule::Exclude { .. } => (1.0, r + OFFSET * h),
            RadiusRule::Include { .. } => (-1.0, r - OFFSET * h),
        };
        let mut value = 0.0;
        let mut gradient = Array1::zeros(x.len());
        for s in self.chosen.rows() {
            let diff = &x - &s;
            let d = diff.dot(&diff).sqrt();
            let v = log_probability_of_improvement(sign * (d - edge) / h, 1.0, 0.0);
            value += v.value;
            if d > 0.0 {
                gradient.scaled_add(v.d_mean * sign / (h * d), &diff);
            }
        }
        (value, gradient)
    }
}

impl AcquisitionFunction for Ruled<'_> {
    fn dim(&self) -> usize {
        self.base.dim()
    }

    fn values(&self, x: ndarray::ArrayView2<'_, f64>) -> Result<Array1<f64>> {
        let mut values = self.base.values(x)?;
        for (v, row) in values.iter_mut().zip(x.rows()) {
            *v += self.barrier(row).0;
        }
        if values.iter().all(|v| v.is_finite()) {
            Ok(values)
        } else {
            Err(Error::NonFinite { context: "a batch rule's barrier" })
        }
    }

    fn value_and_gradient(
        &self,
        x: ArrayView1<'_, f64>,
    ) -> Result<(f64, Array1<f64>)> {
        let (value, gradient) = self.base.value_and_gradient(x)?;
        let (b, db) = self.barrier(x);
        let (value, gradient) = (value + b, gradient + db);
        if !value.is_finite() || gradient.iter().any(|g| !g.is_finite()) {
            return Err(Error::NonFinite { context: "a batch rule's barrier" });
        }
        Ok((value, gradient))
    }
}
