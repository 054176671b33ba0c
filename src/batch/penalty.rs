//! Local penalisation (González, Dai, Hennig & Lawrence, 2016): a single-point acquisition
//! function multiplied by one soft "exclusion" factor per point already chosen.
//!
//! If the objective g (= sign · f, to be maximised) is L-Lipschitz and M is its maximum,
//! then no point within r_j = (M − g(x_j))/L of x_j can be a maximiser. The model does not
//! know g(x_j), only N(μ_j, σ_j²), so the factor is the probability that x lies outside
//! that ball:
//!
//! φ_j(x) = Φ((L‖x − x_j‖ − M + μ_j)/σ_j),
//!
//! near 0 at x_j and rising to 1 beyond r_j. In log space the penalised function is
//! log α(x) + Σ_j log Φ(z_j(x)), which is why the base function must be a logarithmic one.

use crate::acquisition::{
    log_probability_of_improvement, Acquisition, AcquisitionFunction, Analytic,
    Direction,
};
use crate::gp::FittedGp;
use crate::models::Model;
use crate::sampling::draw_sobol_samples;
use crate::{Bounds, Error, Result};
use ndarray::{concatenate, Array1, ArrayView1, ArrayView2, Axis};

/// Points surveyed, beside the training inputs, to estimate the Lipschitz constant.
const LIPSCHITZ_SURVEY: usize = 512;

/// A point already chosen and what the model says about it (in g units).
#[derive(Debug, Clone)]
struct Centre {
    x: Array1<f64>,
    mean: f64,
    sd: f64,
}

/// LogEI or log PI through a model, penalised around chosen points.
pub struct Penalised<'m> {
    base: Analytic<'m, FittedGp>,
    model: &'m FittedGp,
    sign: f64,
    /// M: the incumbent in g units.
    best: f64,
    /// L: the largest ‖∇μ‖ found over the box, at least a tiny positive number.
    lipschitz: f64,
    centres: Vec<Centre>,
}

impl<'m> Penalised<'m> {
    /// The base function `kind` (LogEI or log PI) through `model` for `direction`, with no
    /// centres yet; L is estimated as the largest ‖∇μ‖ over 512 Sobol points of `bounds`
    /// (seed `seed`) and the model's training inputs.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] for a base function that is not logarithmic (the penalties
    /// are added in log space); as [`Analytic::new`] and the model's predictions.
    pub fn new(
        model: &'m FittedGp,
        kind: Acquisition,
        direction: Direction,
        bounds: &Bounds,
        seed: u64,
    ) -> Result<Self> {
        let best = match kind {
            Acquisition::LogExpectedImprovement { best }
            | Acquisition::LogProbabilityOfImprovement { best } => best,
            _ => return Err(Error::InvalidInput {
                context: "local penalisation",
                reason:
                    "the base acquisition function must be LogEI or log PI: the \
                             penalties are added to its logarithm"
                        .into(),
            }),
        };
        let base = Analytic::new(model, kind, direction)?;
        let lipschitz = lipschitz(model, bounds, seed)?;
        let sign = direction.sign();
        Ok(Penalised {
            base,
            model,
            sign,
            best: sign * best,
            lipschitz,
            centres: vec![],
        })
    }

    /// Adds a penalty around `x` (a chosen or pending point).
    ///
    /// # Errors
    /// As the model's prediction at `x`.
    pub fn penalise(&mut self, x: ArrayView1<'_, f64>) -> Result<()> {
        let p = self.model.point(x)?;
        self.centres.push(Centre {
            x: x.to_owned(),
            mean: self.sign * p.mean,
            sd: p.variance.sqrt(),
        });
        Ok(())
    }

    /// The estimated Lipschitz constant L of the posterior mean.
    pub fn lipschitz(&self) -> f64 {
        self.lipschitz
    }

    /// The exclusion radius (M − μ_j)/L of each centre, where its penalty is one half.
    pub fn radii(&self) -> Vec<f64> {
        self.centres
            .iter()
            .map(|c| ((self.best - c.mean) / self.lipschitz).max(0.0))
            .collect()
    }

    /// Σ_j log φ_j(x) and its gradient.
    fn penalty(&self, x: ArrayView1<'_, f64>) -> (f64, Array1<f64>) {
        let mut value = 0.0;
        let mut gradient = Array1::zeros(x.len());
        for c in &self.centres {
            let diff = &x - &c.x;
            let r = diff.dot(&diff).sqrt();
            let v = log_probability_of_improvement(
                self.lipschitz * r + c.mean,
                c.sd,
                self.best,
            );
            value += v.value;
            // ∇‖x − x_j‖ = (x − x_j)/‖x − x_j‖; at the centre itself the norm has no
            // gradient and every direction is equally good: take none.
            if r > 0.0 {
                gradient.scaled_add(v.d_mean * self.lipschitz / r, &diff);
            }
        }
        (value, gradient)
    }
}

/// max ‖∇μ‖ over a Sobol survey of the box and the training inputs, at least 1e-300.
fn lipschitz(model: &FittedGp, bounds: &Bounds, seed: u64) -> Result<f64> {
    let survey = draw_sobol_samples(bounds, LIPSCHITZ_SURVEY, seed)?;
    let training = model.normalize.untransform(model.gp.inputs().view())?;
    let points = concatenate![Axis(0), survey.view(), training.view()];
    let mut largest: f64 = 1e-300;
    for x in points.rows() {
        let g = model.point(x)?.mean_gradient;
        largest = largest.max(g.dot(&g).sqrt());
    }
    Ok(largest)
}

impl AcquisitionFunction for Penalised<'_> {
    fn dim(&self) -> usize {
        self.base.dim()
    }

    fn values(&self, x: ArrayView2<'_, f64>) -> Result<Array1<f64>> {
        let mut values = self.base.values(x)?;
        for (v, row) in values.iter_mut().zip(x.rows()) {
            *v += self.penalty(row).0;
        }
        finite(values)
    }

    fn value_and_gradient(
        &self,
        x: ArrayView1<'_, f64>,
    ) -> Result<(f64, Array1<f64>)> {
        let (value, gradient) = self.base.value_and_gradient(x)?;
        let (p, dp) = self.penalty(x);
        let (value, gradient) = (value + p, gradient + dp);
        if !value.is_finite() || gradient.iter().any(|g| !g.is_finite()) {
            return Err(Error::NonFinite { context: "local penalisation" });
        }
        Ok((value, gradient))
    }
}

fn finite(values: Array1<f64>) -> Result<Array1<f64>> {
    if values.iter().all(|v| v.is_finite()) {
        Ok(values)
    } else {
        Err(Error::NonFinite { context: "local penalisation" })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gp::{fit, FitOptions};
    use crate::numeric::central_difference;
    use ndarray::{array, Array2};

    fn setting() -> (FittedGp, Bounds, f64) {
        let x = Array2::from_shape_fn((9, 2), |(i, j)| {
            ((i * 4 + j * 7) % 9) as f64 / 8.0
        });
        let y = x
            .map_axis(Axis(1), |r| (3.0 * r[0]).sin() + (2.0 * r[1] - 1.0).powi(2));
        let model = fit(x.view(), &y, &FitOptions::single_task(2)).unwrap();
        let best = y.iter().copied().fold(f64::INFINITY, f64::min);
        (model, Bounds::unit(2).unwrap(), best)
    }

    #[test]
    fn the_penalty_is_one_half_at_the_radius_and_small_at_the_centre() {
        let (model, bounds, best) = setting();
        let kind = Acquisition::LogExpectedImprovement { best };
        let mut p =
            Penalised::new(&model, kind, Direction::Minimise, &bounds, 0).unwrap();
        let centre = array![0.3, 0.6];
        p.penalise(centre.view()).unwrap();
        let r = p.radii()[0];
        assert!(r > 0.0);
        let at = |t: f64| array![0.3 + t, 0.6];
        assert!((p.penalty(at(r).view()).0 - 0.5f64.ln()).abs() < 1e-12);
        assert!(p.penalty(centre.view()).0 < 0.5f64.ln());
        assert!(p.penalty(at(3.0 * r).view()).0 > p.penalty(at(r).view()).0);
    }

    #[test]
    fn gradients_match_finite_differences() {
        let (model, bounds, best) = setting();
        let kind = Acquisition::LogExpectedImprovement { best };
        let mut p =
            Penalised::new(&model, kind, Direction::Minimise, &bounds, 1).unwrap();
        p.penalise(array![0.3, 0.6].view()).unwrap();
        p.penalise(array![0.8, 0.1].view()).unwrap();
        let x = array![0.45, 0.52];
        let (_, g) = p.value_and_gradient(x.view()).unwrap();
        let f = |v: &Array1<f64>| p.value_and_gradient(v.view()).unwrap().0;
        let fd = central_difference(f, &x, 1e-6);
        for (a, b) in g.iter().zip(&fd) {
            assert!((a - b).abs() < 1e-5 * (1.0 + b.abs()), "{g} vs {fd}");
        }
    }

    #[test]
    fn only_logarithmic_base_functions_are_accepted() {
        let (model, bounds, best) = setting();
        let ei = Acquisition::ExpectedImprovement { best };
        assert!(
            Penalised::new(&model, ei, Direction::Minimise, &bounds, 0).is_err()
        );
    }
}
