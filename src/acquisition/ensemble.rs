//! An acquisition function averaged over an ensemble of models — the members of a fully
//! Bayesian GP, one per draw of its hyperparameters.

use super::{
    Acquisition, AcquisitionFunction, Analytic, Direction, MonteCarlo,
    MonteCarloKind, MonteCarloOptions,
};
use crate::gp::FittedGp;
use crate::models::Model;
use crate::{Error, Result};
use ndarray::{Array1, ArrayView1, ArrayView2};

/// One acquisition function evaluated through each of S models and averaged, as BoTorch
/// averages over the draws of a fully Bayesian model: the plain mean (1/S) Σ aₛ(x), except
/// for the logarithmic functions (LogEI, LogPI, qLogEI), which are averaged in the exponent —
/// log((1/S) Σ e^{aₛ(x)}), the log of the mean EI — by a log-sum-exp that never forms the
/// underflowing e^{aₛ}. The gradient of the log-mean-exp is Σ wₛ ∇aₛ with weights
/// wₛ = e^{aₛ}/Σ e^{aₛ}. `A` is the members' function: [`Analytic`] from [`Ensemble::new`],
/// [`MonteCarlo`] from [`Ensemble::monte_carlo`].
#[derive(Debug, Clone)]
pub struct Ensemble<A: AcquisitionFunction> {
    members: Vec<A>,
    log: bool,
}

/// The members' common input dimension, or why there is none.
fn common_dim<M: Model>(members: &[M]) -> Result<usize> {
    let Some(first) = members.first() else {
        return Err(Error::Empty { context: "Ensemble acquisition: the members" });
    };
    if let Some(m) = members.iter().find(|m| m.dim() != first.dim()) {
        return Err(Error::ShapeMismatch {
            context: "Ensemble acquisition: every member's input dimension",
            expected: vec![first.dim()],
            found: vec![m.dim()],
        });
    }
    Ok(first.dim())
}

impl Ensemble<MonteCarlo> {
    /// The Monte Carlo function `kind` over batches of `q` points through every GP of
    /// `members`, each conditioned on the `pending` points (m × d, m may be 0), with the
    /// same base samples for every member.
    ///
    /// # Errors
    /// [`Error::Empty`] for no members, [`Error::ShapeMismatch`] if their input dimensions
    /// differ, and the errors of [`MonteCarlo::new`] and [`MonteCarlo::with_pending`].
    pub fn monte_carlo(
        members: &[FittedGp],
        kind: MonteCarloKind,
        direction: Direction,
        q: usize,
        options: &MonteCarloOptions,
        pending: ArrayView2<'_, f64>,
    ) -> Result<Self> {
        common_dim(members)?;
        let members = members
            .iter()
            .map(|m| {
                let acqf = MonteCarlo::new(m, kind, direction, q, options)?;
                if pending.nrows() > 0 {
                    acqf.with_pending(pending)
                } else {
                    Ok(acqf)
                }
            })
            .collect::<Result<Vec<_>>>()?;
        let log = matches!(kind, MonteCarloKind::LogExpectedImprovement { .. });
        Ok(Ensemble { members, log })
    }
}

impl<'m, M: Model> Ensemble<Analytic<'m, M>> {
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
        common_dim(members)?;
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
}

impl<A: AcquisitionFunction> Ensemble<A> {
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

impl<A: AcquisitionFunction> AcquisitionFunction for Ensemble<A> {
    fn dim(&self) -> usize {
        self.members[0].dim()
    }

    fn q(&self) -> usize {
        self.members[0].q()
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gp::{fit, FitOptions};
    use ndarray::{array, Array2};

    #[test]
    fn a_monte_carlo_ensemble_of_one_is_its_member_and_of_two_a_log_mean_exp() {
        let x = array![[0.1], [0.4], [0.5], [0.9]];
        let y = array![1.0, 0.2, 0.3, 1.4];
        let a = fit(x.view(), &y, &FitOptions::single_task(1)).unwrap();
        let shifted = array![1.2, 0.1, 0.5, 1.1];
        let b = fit(x.view(), &shifted, &FitOptions::single_task(1)).unwrap();
        let kind = MonteCarloKind::LogExpectedImprovement { best: 0.2 };
        let options =
            MonteCarloOptions { samples: 64, ..MonteCarloOptions::default() };
        let none = Array2::zeros((0, 1));
        let at = array![[0.3], [0.7]];
        let one = Ensemble::monte_carlo(
            std::slice::from_ref(&a),
            kind,
            Direction::Minimise,
            1,
            &options,
            none.view(),
        )
        .unwrap();
        let alone =
            MonteCarlo::new(&a, kind, Direction::Minimise, 1, &options).unwrap();
        assert_eq!(
            one.values(at.view()).unwrap(),
            alone.values(at.view()).unwrap()
        );
        let pair = [a.clone(), b.clone()];
        let two = Ensemble::monte_carlo(
            &pair,
            kind,
            Direction::Minimise,
            1,
            &options,
            none.view(),
        )
        .unwrap();
        let other =
            MonteCarlo::new(&b, kind, Direction::Minimise, 1, &options).unwrap();
        let (va, vb) =
            (alone.values(at.view()).unwrap(), other.values(at.view()).unwrap());
        let v = two.values(at.view()).unwrap();
        for i in 0..2 {
            let want = ((va[i].exp() + vb[i].exp()) / 2.0).ln();
            assert!(
                (v[i] - want).abs() < 1e-12 * want.abs().max(1.0),
                "{} vs {want}",
                v[i]
            );
        }
        assert_eq!(two.q(), 1);
        assert!(matches!(
            Ensemble::monte_carlo(
                &[],
                kind,
                Direction::Minimise,
                1,
                &options,
                none.view()
            ),
            Err(Error::Empty { .. })
        ));
    }
}
