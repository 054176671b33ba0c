//! What the report shows, computed from the stored state: the observations in order,
//! best-so-far series, cumulative cost, the ranking, the non-dominated set, and the model's
//! view (posterior at the observations, the incumbent, the lengthscales).
//!
//! Everything here is a function of the stored state alone (no clock, no hash order), so
//! the same state gives the same report.

use crate::engine::{Counts, State, Status};
use crate::error::{Error, Result};
use crate::spec::Campaign;
use gradbo::acquisition::Direction;
use gradbo::bo::{MixedOptimizer, MixedSettings};
use gradbo::mixed::Variable;
use ndarray::{Array1, Array2};

/// One recorded result, as the report sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct Observation {
    /// The suggestion's id.
    pub id: String,
    /// The design in natural coordinates.
    pub design: Array1<f64>,
    /// One value per objective of the campaign, in the campaign file's order.
    pub values: Vec<f64>,
    /// The run's cost, if recorded.
    pub cost: Option<f64>,
}

/// The values of an entry's result, one per objective, or `None` if it lacks one.
///
/// A campaign of one objective takes the result's value; with several, each objective's
/// value is the stored outcome of that name (`None` if one is missing).
fn values_of(
    campaign: &Campaign,
    stored: &crate::store::Suggestion,
) -> Option<Vec<f64>> {
    match campaign.objectives.as_slice() {
        [_] => stored.result.as_ref().map(|r| vec![r.value]),
        many => many
            .iter()
            .map(|o| {
                stored
                    .results
                    .iter()
                    .find(|r| r.objective == o.name)
                    .map(|r| r.value)
            })
            .collect(),
    }
}

/// The observations (recorded, not rejected, with a value for every objective), in the
/// order of their suggestions, and the counts of every status.
pub fn observations(state: &State) -> (Vec<Observation>, Counts) {
    let out = state
        .entries
        .iter()
        .filter(|e| e.status() == Status::Recorded)
        .filter_map(|e| {
            let values = values_of(&state.campaign, &e.stored)?;
            Some(Observation {
                id: e.stored.id.clone(),
                design: e.design.clone(),
                values,
                cost: e.stored.result.as_ref()?.cost,
            })
        })
        .collect();
    (out, state.counts())
}

/// The cost spent up to and including each evaluation; a run without a recorded cost
/// adds nothing.
pub fn cumulative_cost(costs: &[Option<f64>]) -> Vec<f64> {
    let mut total = 0.0;
    costs
        .iter()
        .map(|c| {
            total += c.unwrap_or(0.0);
            total
        })
        .collect()
}

/// The indices of `values` from best to worst in `direction`, the earlier first on a tie.
pub fn ranking(values: &[f64], direction: Direction) -> Vec<usize> {
    let s = direction.sign();
    let mut order: Vec<usize> = (0..values.len()).collect();
    order.sort_by(|&i, &j| {
        (s * values[j]).total_cmp(&(s * values[i])).then(i.cmp(&j))
    });
    order
}

/// The indices (increasing) of the non-dominated rows among `values` (one row of m
/// objective values per observation), each objective taken in its own direction; of exact
/// duplicates only the first is kept ([`gradbo::multi_objective::non_dominated`]).
///
/// # Errors
/// A failure if a row has the wrong length or a value is not finite (stored values are).
pub fn non_dominated(
    values: &[Vec<f64>],
    directions: &[Direction],
) -> Result<Vec<usize>> {
    if values.is_empty() {
        return Ok(Vec::new());
    }
    let m = directions.len();
    let mut y = Array2::zeros((values.len(), m));
    for (i, row) in values.iter().enumerate() {
        if row.len() != m {
            return Err(Error::failure(format!(
                "observation {i} has {} objective values, not {m}",
                row.len()
            )));
        }
        for (k, (&v, d)) in row.iter().zip(directions).enumerate() {
            y[[i, k]] = d.sign() * v;
        }
    }
    Ok(gradbo::multi_objective::non_dominated(y.view())?)
}

/// A numeric variable's fitted lengthscale, or one of a categorical variable's labels'.
#[derive(Debug, Clone, PartialEq)]
pub struct Lengthscale {
    /// The variable's name (`solvent = water` for a label's column).
    pub name: String,
    /// Whether it is a numeric variable (continuous, integer or discrete): drawn as a bar.
    pub numeric: bool,
    /// The lengthscale on the encoded unit cube.
    pub value: f64,
}

/// The model of the first objective, fitted to the observations as `suggest` fits it.
#[derive(Debug, Clone, PartialEq)]
pub struct ModelView {
    /// The posterior mean of the objective at each observation's design.
    pub mean: Vec<f64>,
    /// The posterior standard deviation there (of the latent objective, noise not added).
    pub sd: Vec<f64>,
    /// The incumbent: the observation with the best posterior mean (the earlier on a tie).
    pub incumbent: usize,
    /// The fitted lengthscales, in the order of the encoded columns.
    pub lengthscales: Vec<Lengthscale>,
    /// The fitted noise standard deviation, in the objective's units.
    pub noise_sd: f64,
}

/// Fits the model of the first objective to `obs` with the settings `suggest` uses
/// ([`MixedOptimizer::fit_model`], the fit its asks make) and reads it at the observations.
///
/// # Errors
/// A failure if the fit fails; a state error for fewer than two observations.
pub fn model_view(campaign: &Campaign, obs: &[Observation]) -> Result<ModelView> {
    if obs.len() < 2 {
        return Err(Error::state("the model needs at least two observations"));
    }
    let space = &campaign.space;
    let direction = campaign.objectives[0].direction;
    let mut opt =
        MixedOptimizer::new(space.clone(), direction, MixedSettings::default())?;
    let mut x = Array2::zeros((0, space.dim()));
    for o in obs {
        x.push_row(o.design.view()).map_err(|e| {
            Error::failure(format!("a design of the wrong width: {e}"))
        })?;
    }
    let y: Array1<f64> = obs.iter().map(|o| o.values[0]).collect();
    opt.tell(x.view(), y.view())?;
    let model = opt.fit_model()?;
    let p = model.predict(space.encode(x.view())?.view())?;
    let mean = p.mean.to_vec();
    let sd: Vec<f64> = p.variance.iter().map(|v| v.max(0.0).sqrt()).collect();
    let incumbent = ranking(&mean, direction)[0];
    let fitted = model.gp.hyperparameters().kernel.lengthscales();
    let mut lengthscales = Vec::new();
    let mut col = 0;
    for v in space.variables() {
        let names: Vec<String> = match v {
            Variable::Categorical { labels, .. } => {
                labels.iter().map(|l| format!("{} = {l}", v.name())).collect()
            }
            _ => vec![v.name().to_string()],
        };
        for name in names {
            // An isotropic kernel has one lengthscale for every column.
            let value = fitted.get(col).or_else(|| fitted.get(0)).copied();
            if let Some(value) = value {
                lengthscales.push(Lengthscale {
                    name,
                    numeric: !matches!(v, Variable::Categorical { .. }),
                    value,
                });
            }
            col += 1;
        }
    }
    let noise_sd = model.data_units()?.noise.max(0.0).sqrt();
    Ok(ModelView { mean, sd, incumbent, lengthscales, noise_sd })
}

#[cfg(test)]
mod tests {
    use super::*;
    use Direction::{Maximise, Minimise};

    #[test]
    fn best_so_far_follows_the_direction() {
        let v = [3.0, 1.0, 4.0, 1.0, 5.0, 2.0];
        assert_eq!(Maximise.best_so_far(&v), [3.0, 3.0, 4.0, 4.0, 5.0, 5.0]);
        assert_eq!(Minimise.best_so_far(&v), [3.0, 1.0, 1.0, 1.0, 1.0, 1.0]);
        assert!(Maximise.best_so_far(&[]).is_empty());
    }

    #[test]
    fn cumulative_cost_counts_missing_costs_as_nothing() {
        let c = [Some(1.5), None, Some(2.0), Some(0.25)];
        assert_eq!(cumulative_cost(&c), [1.5, 1.5, 3.5, 3.75]);
    }

    #[test]
    fn ranking_is_best_first_and_stable_on_ties() {
        let v = [0.2, 0.9, 0.5, 0.9, -1.0];
        assert_eq!(ranking(&v, Maximise), [1, 3, 2, 0, 4]);
        assert_eq!(ranking(&v, Minimise), [4, 0, 2, 1, 3]);
    }

    #[test]
    fn non_dominated_takes_each_objective_in_its_direction() {
        // Maximise the first, minimise the second.
        let v = vec![
            vec![1.0, 1.0], // on the front: nothing has a larger first and smaller second
            vec![2.0, 3.0], // on the front
            vec![1.5, 3.5], // dominated by [2, 3]
            vec![0.5, 2.0], // dominated by [1, 1]
            vec![2.0, 3.0], // a duplicate of row 1: left out
            vec![3.0, 5.0], // on the front
        ];
        assert_eq!(non_dominated(&v, &[Maximise, Minimise]).unwrap(), [0, 1, 5]);
        // Both maximised: [3, 5] dominates every other row.
        assert_eq!(non_dominated(&v, &[Maximise, Maximise]).unwrap(), [5]);
        // Three objectives: the third row is dominated by the first unless the third
        // objective is minimised.
        let w =
            vec![vec![1.0, 0.0, 0.0], vec![0.0, 1.0, 0.0], vec![0.5, 0.0, -1.0]];
        assert_eq!(
            non_dominated(&w, &[Maximise, Maximise, Maximise]).unwrap(),
            [0, 1]
        );
        assert_eq!(
            non_dominated(&w, &[Maximise, Maximise, Minimise]).unwrap(),
            [0, 1, 2]
        );
        assert!(non_dominated(&[], &[Maximise, Minimise]).unwrap().is_empty());
        assert!(non_dominated(&[vec![1.0]], &[Maximise, Minimise]).is_err());
    }
}
