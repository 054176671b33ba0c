//! The fully Bayesian GP as a [`Model`]: the moments of the equal-weight mixture of its
//! members' posteriors.

use super::FullyBayesianGp;
use crate::gp::{PointPrediction, Prediction};
use crate::models::{Model, Posterior};
use crate::{Error, Result};
use ndarray::{Array1, Array2, ArrayView1, ArrayView2};

impl FullyBayesianGp {
    fn count(&self) -> f64 {
        self.members.len() as f64
    }
}

/// Over S members with means μₛ and variances vₛ (at one point or many): the mixture's mean
/// μ̄ = Σμₛ/S and variance Σvₛ/S + Σ(μₛ − μ̄)²/S, the law of total variance, written as a
/// sum of non-negative terms (no cancellation).
fn mixture(parts: &[Prediction]) -> Prediction {
    let s = parts.len() as f64;
    let mut mean = Array1::zeros(parts[0].mean.len());
    for p in parts {
        mean += &p.mean;
    }
    mean /= s;
    let mut variance = Array1::zeros(mean.len());
    for p in parts {
        variance += &p.variance;
        variance += &(&p.mean - &mean).mapv(|e| e * e);
    }
    variance /= s;
    Prediction { mean, variance }
}

impl Model for FullyBayesianGp {
    fn dim(&self) -> usize {
        self.members[0].dim()
    }

    /// The Gaussian with the mixture's mean and covariance, Σ = Σₛ(Σₛ + (μₛ − μ̄)(μₛ − μ̄)ᵀ)/S.
    /// The mixture itself is not Gaussian; acquisition functions that need its shape go
    /// through the members ([`Ensemble`](crate::acquisition::Ensemble)).
    fn posterior(&self, x: ArrayView2<'_, f64>) -> Result<Posterior> {
        let parts = self
            .members
            .iter()
            .map(|m| m.posterior(x))
            .collect::<Result<Vec<_>>>()?;
        let n = x.nrows();
        let mut mean = Array1::zeros(n);
        for p in &parts {
            mean += p.mean();
        }
        mean /= self.count();
        let mut covariance = Array2::zeros((n, n));
        for p in &parts {
            covariance += p.covariance();
            let e = (p.mean() - &mean).insert_axis(ndarray::Axis(1));
            covariance += &e.dot(&e.t());
        }
        covariance /= self.count();
        // The prior variance (the jitter's scale) of the mixture: the members' average.
        let prior_variance = self
            .members
            .iter()
            .map(|m| {
                m.standardize.untransform_variance(
                    m.gp.hyperparameters().kernel.outputscale(),
                )
            })
            .sum::<f64>()
            / self.count();
        Posterior::new(mean, covariance, prior_variance)
    }

    fn marginals(&self, x: ArrayView2<'_, f64>) -> Result<Prediction> {
        let parts = self
            .members
            .iter()
            .map(|m| m.marginals(x))
            .collect::<Result<Vec<_>>>()?;
        let p = mixture(&parts);
        if p.mean.iter().chain(&p.variance).any(|v| !v.is_finite()) {
            return Err(crate::gp::overflow("FullyBayesianGp::marginals"));
        }
        Ok(p)
    }

    /// The mixture's mean and variance with their gradients: ∇μ̄ = Σ∇μₛ/S and
    /// ∇v = Σₛ(∇vₛ + 2(μₛ − μ̄)∇μₛ)/S (the terms in ∇μ̄ cancel since Σ(μₛ − μ̄) = 0).
    fn point(&self, x: ArrayView1<'_, f64>) -> Result<PointPrediction> {
        let parts =
            self.members.iter().map(|m| m.point(x)).collect::<Result<Vec<_>>>()?;
        let s = self.count();
        let d = x.len();
        let mean = parts.iter().map(|p| p.mean).sum::<f64>() / s;
        let mut variance = 0.0;
        let mut mean_gradient = Array1::zeros(d);
        let mut variance_gradient = Array1::zeros(d);
        for p in &parts {
            let e = p.mean - mean;
            variance += p.variance + e * e;
            mean_gradient += &p.mean_gradient;
            variance_gradient += &p.variance_gradient;
            variance_gradient.scaled_add(2.0 * e, &p.mean_gradient);
        }
        let point = PointPrediction {
            mean,
            variance: variance / s,
            mean_gradient: mean_gradient / s,
            variance_gradient: variance_gradient / s,
        };
        if [point.mean, point.variance]
            .iter()
            .chain(&point.mean_gradient)
            .chain(&point.variance_gradient)
            .any(|v| !v.is_finite())
        {
            return Err(Error::NonFinite { context: "FullyBayesianGp::point" });
        }
        Ok(point)
    }
}
