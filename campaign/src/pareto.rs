//! Pareto campaigns: several objectives, one GP each on the encoded designs
//! ([`ModelList`]), suggestions that maximise qEHVI over the same mixed space and by the
//! same search as a single objective ([`MixedOptimizer::ask_batch_with`]), and the
//! observed front with its hypervolume.
//!
//! - Values are kept in each objective's own units; inside, every objective is maximised
//!   (one to be minimised enters negated), BoTorch's convention.
//! - The reference point is each objective's `reference` from the campaign file, or, for
//!   one without, BoTorch's inferred one ([`infer_reference_point`]): the worst value on
//!   the observed front less a tenth of the front's range.
//! - Pending designs (suggested, rejected or failed) join each candidate in the joint
//!   posterior of qEHVI, as for one objective: a candidate scores the hypervolume it adds
//!   to theirs, so a second `suggest` before the results proposes elsewhere. The
//!   inclusion–exclusion sum of qEHVI doubles with every point, so only the latest
//!   [`JOINT_PENDING`] enter it; any earlier ones are believed (each model conditioned
//!   on its own posterior mean there, the Kriging believer), which removes the
//!   uncertainty, and with it the expected improvement, around them.

use crate::engine::{derive_seed, model_proposal, Entry, Proposal, State, Status};
use crate::error::{Error, Result};
use crate::spec::Campaign;
use gradbo::acquisition::{AcquisitionFunction, Direction};
use gradbo::bo::{MixedOptimizer, MixedSettings};
use gradbo::gp::FitOptions;
use gradbo::multi_objective::{
    hypervolume, infer_reference_point, non_dominated, non_dominated_boxes,
    ModelList, Qehvi, QehviOptions, REFERENCE_SCALE,
};
use ndarray::{Array1, Array2};

/// Pending designs in qEHVI's joint posterior (with the candidate, a batch of 4 terms'
/// worth, 2⁴ − 1 subsets); earlier ones are believed.
pub const JOINT_PENDING: usize = 3;

/// The base samples of qEHVI (BoTorch's default for it).
pub const QEHVI_SAMPLES: usize = 128;

/// An entry's values in objective order, in the objectives' own units, if every one is
/// recorded.
pub fn values(campaign: &Campaign, entry: &Entry) -> Option<Vec<f64>> {
    campaign
        .objectives
        .iter()
        .map(|o| {
            entry
                .stored
                .results
                .iter()
                .find(|r| r.objective == o.name)
                .map(|r| r.value)
        })
        .collect()
}

/// +1 for an objective maximised, −1 for one minimised.
fn signs(campaign: &Campaign) -> Array1<f64> {
    campaign.objectives.iter().map(|o| o.direction.sign()).collect()
}

/// The observed front and how much it dominates.
#[derive(Debug, Clone, PartialEq)]
pub struct Front {
    /// The ids of the non-dominated observations, in the order of suggestion.
    pub ids: Vec<String>,
    /// Their values (one row each, objective order, the objectives' units).
    pub values: Array2<f64>,
    /// The reference point (objective order, the objectives' units).
    pub reference: Array1<f64>,
    /// Which coordinates of the reference point were inferred.
    pub inferred: Vec<bool>,
    /// The hypervolume of the observations above the reference point.
    pub hypervolume: f64,
}

/// The recorded observations: entries, their designs (rows) and values in the maximised
/// convention (rows).
fn observed(state: &State) -> Result<(Vec<&Entry>, Array2<f64>, Array2<f64>)> {
    let campaign = &state.campaign;
    let sign = signs(campaign);
    let entries: Vec<&Entry> = state.observations().collect();
    let mut x = Array2::zeros((0, campaign.space.dim()));
    let mut y = Array2::zeros((0, campaign.objectives.len()));
    for e in &entries {
        let v = values(campaign, e).ok_or_else(|| {
            Error::database(format!(
                "{} has a result but not one for every objective",
                e.stored.id
            ))
        })?;
        let _ = x.push_row(e.design.view());
        let _ = y.push_row((&Array1::from(v) * &sign).view());
    }
    Ok((entries, x, y))
}

/// The reference point in the maximised convention, and which coordinates were inferred.
fn reference(
    campaign: &Campaign,
    y: &Array2<f64>,
) -> Result<(Array1<f64>, Vec<bool>)> {
    let inferred = infer_reference_point(y.view(), REFERENCE_SCALE)?;
    let mut r = Array1::zeros(campaign.objectives.len());
    let mut which = Vec::new();
    for (k, o) in campaign.objectives.iter().enumerate() {
        match o.reference {
            Some(v) => {
                r[k] = o.direction.sign() * v;
                which.push(false);
            }
            None => {
                r[k] = inferred[k];
                which.push(true);
            }
        }
    }
    Ok((r, which))
}

impl State {
    /// The observed Pareto front, its reference point and hypervolume; `None` before any
    /// result.
    ///
    /// # Errors
    /// A database error if a recorded suggestion lacks an objective's value; a failure if
    /// the library refuses the values.
    pub fn front(&self) -> Result<Option<Front>> {
        let (entries, _, y) = observed(self)?;
        if entries.is_empty() {
            return Ok(None);
        }
        let (r, inferred) = reference(&self.campaign, &y)?;
        let mut rows = non_dominated(y.view())?;
        rows.sort_unstable();
        let sign = signs(&self.campaign);
        let mut values = Array2::zeros((0, y.ncols()));
        for &i in &rows {
            let _ = values.push_row((&y.row(i) * &sign).view());
        }
        Ok(Some(Front {
            ids: rows.iter().map(|&i| entries[i].stored.id.clone()).collect(),
            values,
            reference: &r * &sign,
            inferred,
            hypervolume: hypervolume(y.view(), r.view())?,
        }))
    }

    /// The next `q` designs of a Pareto campaign chosen by the model: qEHVI maximised one
    /// design at a time, each conditioned on the pending designs and those before it.
    ///
    /// # Errors
    /// A failure if a fit or the optimiser fails, a state error if a finite space has no
    /// design left to offer.
    pub fn propose_pareto(&self, q: usize) -> Result<Proposal> {
        let campaign = &self.campaign;
        let space = &campaign.space;
        let seed = derive_seed(campaign.seed, self.entries.len() as u64);
        let (_, x, y) = observed(self)?;
        let (r, _) = reference(campaign, &y)?;
        let encoded = space.encode(x.view())?;
        let options = FitOptions {
            input_bounds: space.encoded_bounds().ok(),
            ..FitOptions::single_task(space.encoded_dim())
        };
        let models = ModelList::fit(encoded.view(), y.view(), &options)?;
        let boxes = non_dominated_boxes(y.view(), r.view())?;
        let mut settings = MixedSettings::default();
        settings.acqf.seed = seed;
        let mc =
            QehviOptions { samples: QEHVI_SAMPLES, seed: seed.rotate_left(17) };
        let base = Qehvi::new(&models, boxes, 1, &mc)?;
        let mut opt =
            MixedOptimizer::new(space.clone(), Direction::Maximise, settings)?;
        let rows = |entries: Vec<&Entry>| {
            let mut x = Array2::zeros((0, space.dim()));
            for e in entries {
                let _ = x.push_row(e.design.view());
            }
            x
        };
        let open = rows(
            self.entries
                .iter()
                .filter(|e| {
                    matches!(
                        e.status(),
                        Status::Pending | Status::Rejected | Status::Failed
                    )
                })
                .collect(),
        );
        opt.add_pending(open.view())?;
        // Observed designs too: a finite space never offers them again.
        let seen = rows(
            self.entries.iter().filter(|e| e.status() != Status::Pending).collect(),
        );
        opt.exclude(seen.view())?;
        let mut acquisition = |pending: &[Array1<f64>]| -> gradbo::Result<
            Box<dyn AcquisitionFunction>,
        > {
            let cut = pending.len().saturating_sub(JOINT_PENDING);
            let stack = |points: &[Array1<f64>]| {
                let mut x = Array2::zeros((0, space.dim()));
                for p in points {
                    let _ = x.push_row(p.view());
                }
                space.encode(x.view())
            };
            let believed = stack(&pending[..cut])?;
            let joint = stack(&pending[cut..])?;
            let qehvi = if believed.nrows() == 0 {
                base.clone()
            } else {
                let conditioned = models
                    .models()
                    .iter()
                    .map(|m| {
                        let mean = m.predict(believed.view())?.mean;
                        m.condition_on(believed.view(), mean.view())
                    })
                    .collect::<gradbo::Result<Vec<_>>>()?;
                let list = ModelList::from_models(conditioned)?;
                Qehvi::new(&list, base.boxes().clone(), 1, &mc)?
            };
            let qehvi = if joint.nrows() == 0 { qehvi } else { qehvi.with_pending(joint.view())? };
            Ok(Box::new(qehvi))
        };
        model_proposal(opt.ask_batch_with(q, &mut acquisition))
    }
}

/// The values given for a result, in objective order: either one number per objective in
/// the campaign file's order (`0.82 3.1`), or `name=value` for every objective in any
/// order (`cost=3.1 yield=0.82`).
///
/// # Errors
/// An input error for a count of values other than the number of objectives, a mix of the
/// two forms, an unknown, repeated or missing name, or a value that is not a finite
/// number.
pub fn parse_values(campaign: &Campaign, given: &[String]) -> Result<Vec<f64>> {
    let names = campaign.objective_names();
    let list = names.join(", ");
    let number = |name: &str, text: &str| {
        crate::spec::parse_number(text).map_err(|m| {
            if names.len() == 1 {
                Error::input(format!("the value: {m}"))
            } else {
                Error::input(format!("the value of {name}: {m}"))
            }
        })
    };
    let named = given.iter().filter(|g| g.contains('=')).count();
    if named == 0 {
        if given.len() != names.len() {
            return Err(Error::input(format!(
                "expected {} value{} ({list}, in this order, or as name=value), got {}",
                names.len(),
                if names.len() == 1 { "" } else { "s" },
                given.len()
            )));
        }
        return names.iter().zip(given).map(|(n, g)| number(n, g)).collect();
    }
    if named != given.len() {
        return Err(Error::input(
            "give every value as name=value, or every value alone in the objectives' order, \
             not a mix",
        ));
    }
    let mut out: Vec<Option<f64>> = vec![None; names.len()];
    for g in given {
        let (name, text) = g.split_once('=').unwrap_or((g, ""));
        let name = name.trim();
        let k = names.iter().position(|n| *n == name).ok_or_else(|| {
            Error::input(format!(
                "{name:?} is not an objective (the objectives: {list})"
            ))
        })?;
        if out[k].is_some() {
            return Err(Error::input(format!("{name} is given twice")));
        }
        out[k] = Some(number(name, text)?);
    }
    names
        .iter()
        .zip(out)
        .map(|(n, v)| {
            v.ok_or_else(|| Error::input(format!("no value for {n} (give {list})")))
        })
        .collect()
}
