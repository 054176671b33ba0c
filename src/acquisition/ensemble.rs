//! An analytic acquisition function averaged over an ensemble of models — the members of a
//! fully Bayesian GP, one per draw of its hyperparameters.

use super::{Acquisition, AcquisitionFunction, Analytic, Direction};
use crate::models::Model;
use crate::{Error, Result};
use ndarray::{Array1, ArrayView1, ArrayView2};

/// `kind` evaluated through each of S models and averaged, as BoTorch averages over the
/// draws of a fully Bayesian model: the plain mean (1/S) Σ aₛ(x), except for the logarithmic
/// functions (LogEI, LogPI), which are averaged in the exponent — log((1/S) Σ e^{aₛ(x)}),
/// the log of the mean EI — by a log-sum-exp that never forms the underflowing e^{aₛ}.
/// The gradient of the log-mean-exp is Σ wₛ ∇aₛ with weights wₛ = e^{aₛ}/Σ e^{aₛ}.
#[derive(Debug, Clone)]
pub struct Ensemble<'m, M: Model> {
    members: Vec<Analytic<'m, M>>,
    log: bool,
}

impl<'m, M: Model> Ensemble<'m, M> {
    /// `kind` through every model of `members`, for an objective optimised in `direction`.
    ///
    /// # Errors
    /// [`Error::Empty`] for no members, [`Error::ShapeMismatch`] if their input dimensions
    /// differ, and the errors of [`Analytic::new`].
    pub fn new(
        members: &'m [M],
        kind: Acquisition,
        direction: Direction,
    ) -> Result<Self> {
        let Some(first) = members.first() else {
            return Err(Error::Empty {
                context: "Ensemble acquisition: the members",
            });
        };
        if let Some(m) = members.iter().find(|m| m.dim() != first.dim()) {
            return Err(Error::ShapeMismatch {
                context: "Ensemble acquisition: every member's input dimension",
                expected: vec![first.dim()],
                found: vec![m.dim()],
            });
        }
        let members = members
            .iter()
            .map(|m| Analytic::new(m, kind, direction))
            .collect::<Result<Vec<_>>>()?;
        let log = matches!(
            kind,
            Acquisition::LogExpectedImprovement { .. }
                | Acquisition::LogProbabilityOfImprovement { .. }
        );
        Ok(Ensemble { members, log })
    }

    /// The members' number S.
    pub fn len(&self) -> usize {
        self.members.len()
    }

    /// Whether there are no members (never: [`Ensemble::new`] refuses that).
    pub fn is_empty(&self) -> bool {
        self.members.is_empty()
    }

    /// The average of the members' values `a`: the mean, or the log-mean-exp.
    fn average(&self, a: &[f64]) -> f64 {
        let s = a.len() as f64;
        if self.log {
            let top = a.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            top + (a.iter().map(|v| (v - top).exp()).sum::<f64>() / s).ln()
        } else {
            a.iter().sum::<f64>() / s
        }
    }
}

fn finite(value: f64, context: &'static str) -> Result<f64> {
    if value.is_finite() {
        Ok(value)
    } else {
        Err(Error::NonFinite { context })
    }
}

impl<M: Model> AcquisitionFunction for Ensemble<'_, M> {
    fn dim(&self) -> usize {
        self.members[0].dim()
    }

    fn values(&self, x: ArrayView2<'_, f64>) -> Result<Array1<f64>> {
        let parts =
            self.members.iter().map(|m| m.values(x)).collect::<Result<Vec<_>>>()?;
        (0..x.nrows())
            .map(|i| {
                let a: Vec<f64> = parts.iter().map(|p| p[i]).collect();
                finite(self.average(&a), "ensemble acquisition value")
            })
            .collect()
    }

    fn value_and_gradient(
        &self,
        x: ArrayView1<'_, f64>,
    ) -> Result<(f64, Array1<f64>)> {
        let parts = self
            .members
            .iter()
            .map(|m| m.value_and_gradient(x))
            .collect::<Result<Vec<_>>>()?;
        let a: Vec<f64> = parts.iter().map(|p| p.0).collect();
        let value = finite(self.average(&a), "ensemble acquisition value")?;
        let s = a.len() as f64;
        let mut gradient = Array1::zeros(x.len());
        for (v, g) in &parts {
            // ∂/∂aₛ of the log-mean-exp is e^{aₛ − value}/S; of the mean, 1/S.
            let w = if self.log { (v - value).exp() / s } else { 1.0 / s };
            gradient.scaled_add(w, g);
        }
        if gradient.iter().any(|g| !g.is_finite()) {
            return Err(Error::NonFinite {
                context: "ensemble acquisition gradient",
            });
        }
        Ok((value, gradient))
    }
}
