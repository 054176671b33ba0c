//! A campaign's state as read from its store, and the decisions made on it: what is pending,
//! what the model sees, and the next suggestions.
//!
//! - A suggestion is *pending* until its result is recorded, *recorded* after, and
//!   *rejected* once reviewed so (whatever its result).
//! - The model is fitted to the recorded results of suggestions not rejected.
//! - Pending suggestions are conditioned on, so a second `suggest` before the results
//!   proposes other designs. Rejected suggestions are abandoned, as BoTorch and Ax abandon
//!   trials: their results are not data. They stay among the pending points of the model,
//!   so that it is not drawn back to them, and a finite space never offers them again.
//! - Until the campaign has `initial_design` results, suggestions come from a scrambled
//!   Sobol sequence (seeded by the campaign's seed, continued across calls); then from the
//!   model, by [`MixedOptimizer`] (with several objectives, by qEHVI through the same
//!   search: [`crate::pareto`]).
//! - Every suggestion is a function of the stored state: its seed is derived from the
//!   campaign's seed and the number of suggestions stored.

use crate::error::{Error, Result};
use crate::spec::{format_value, parse_value, Campaign};
use crate::store::{StoredCampaign, Suggestion, Transaction, Verdict};
use gradbo::bo::{MixedBatch, MixedOptimizer, MixedSettings};
use gradbo::mixed::Variable;
use ndarray::{Array1, Array2};
use serde_json::{Map, Value};

/// Where a suggestion stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Suggested, no result yet.
    Pending,
    /// Its result is recorded.
    Recorded,
    /// Reviewed and rejected: abandoned.
    Rejected,
    /// Run by `run`, which failed or timed out: abandoned unless a result is recorded.
    Failed,
}

impl Status {
    /// The word shown and exported.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pending => "pending",
            Status::Recorded => "recorded",
            Status::Rejected => "rejected",
            Status::Failed => "failed",
        }
    }
}

/// A stored suggestion with its design decoded.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// What the store holds.
    pub stored: Suggestion,
    /// The design in natural coordinates.
    pub design: Array1<f64>,
}

impl Entry {
    /// Where it stands.
    pub fn status(&self) -> Status {
        match (&self.stored.review, &self.stored.result) {
            (Some(r), _) if r.verdict == Verdict::Rejected => Status::Rejected,
            (_, Some(_)) => Status::Recorded,
            _ if self.stored.failure.is_some() => Status::Failed,
            _ => Status::Pending,
        }
    }
}

/// How many suggestions stand where.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Counts {
    /// Every suggestion.
    pub suggestions: usize,
    /// Suggested, no result yet.
    pub pending: usize,
    /// With a recorded result the model sees.
    pub recorded: usize,
    /// Reviewed and rejected.
    pub rejected: usize,
    /// Run by `run`, which failed or timed out.
    pub failed: usize,
}

/// A campaign and its suggestions, as one transaction reads them.
#[derive(Debug, Clone)]
pub struct State {
    /// The stored campaign.
    pub stored: StoredCampaign,
    /// The campaign file, parsed.
    pub campaign: Campaign,
    /// Every suggestion, in order.
    pub entries: Vec<Entry>,
}

/// A design as stored: a JSON object from variable names to numbers or labels.
pub fn design_to_json(campaign: &Campaign, design: &Array1<f64>) -> String {
    Value::Object(design_object(campaign, design)).to_string()
}

/// A design as a JSON object.
pub fn design_object(
    campaign: &Campaign,
    design: &Array1<f64>,
) -> Map<String, Value> {
    let mut map = Map::new();
    for (v, &x) in campaign.variables().iter().zip(design.iter()) {
        let value = match v {
            Variable::Categorical { .. } => Value::String(format_value(v, x)),
            Variable::Integer { .. } => Value::from(x as i64),
            _ => Value::from(x),
        };
        map.insert(v.name().to_string(), value);
    }
    map
}

/// A stored design read back.
///
/// # Errors
/// A database error if it does not fit the campaign's variables.
pub fn design_from_json(campaign: &Campaign, text: &str) -> Result<Array1<f64>> {
    let bad = |why: String| {
        Error::database(format!("a stored design {text} is damaged: {why}"))
    };
    let map: Map<String, Value> =
        serde_json::from_str(text).map_err(|e| bad(e.to_string()))?;
    let mut out = Array1::zeros(campaign.variables().len());
    for (i, v) in campaign.variables().iter().enumerate() {
        let value =
            map.get(v.name()).ok_or_else(|| bad(format!("no {}", v.name())))?;
        let text = match value {
            Value::String(s) => s.clone(),
            Value::Number(n) => n.to_string(),
            other => return Err(bad(format!("{other} is not a value"))),
        };
        out[i] = parse_value(v, &text).map_err(bad)?;
    }
    Ok(out)
}

/// Reads the whole state in `tx`.
///
/// # Errors
/// A database error if the campaign or a design cannot be read.
pub fn load(tx: &dyn Transaction) -> Result<State> {
    let stored = tx.campaign()?;
    let campaign = Campaign::parse("the stored campaign file", &stored.spec)
        .map_err(|e| Error::database(e.message))?;
    let entries = tx
        .suggestions()?
        .into_iter()
        .map(|s| {
            let design = design_from_json(&campaign, &s.design)?;
            Ok(Entry { stored: s, design })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(State { stored, campaign, entries })
}

/// A 64-bit mix of the campaign's seed and a counter (SplitMix64's finaliser), so that
/// nearby counters give unrelated seeds.
pub fn derive_seed(seed: u64, counter: u64) -> u64 {
    let mut z = seed ^ counter.wrapping_add(1).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// New suggestions, not yet stored.
#[derive(Debug, Clone, PartialEq)]
pub struct Proposal {
    /// The designs, one per row.
    pub designs: Array2<f64>,
    /// `sobol` or `model`.
    pub source: &'static str,
    /// The acquisition value of each design, for model suggestions.
    pub acquisition: Option<Vec<f64>>,
}

impl State {
    /// How many suggestions stand where.
    pub fn counts(&self) -> Counts {
        let mut c = Counts { suggestions: self.entries.len(), ..Counts::default() };
        for e in &self.entries {
            match e.status() {
                Status::Pending => c.pending += 1,
                Status::Recorded => c.recorded += 1,
                Status::Rejected => c.rejected += 1,
                Status::Failed => c.failed += 1,
            }
        }
        c
    }

    /// The ids of the pending suggestions, in order.
    pub fn pending_ids(&self) -> Vec<&str> {
        self.entries
            .iter()
            .filter(|e| e.status() == Status::Pending)
            .map(|e| e.stored.id.as_str())
            .collect()
    }

    /// The entries whose results the model sees: recorded and not rejected.
    pub fn observations(&self) -> impl Iterator<Item = &Entry> {
        self.entries.iter().filter(|e| e.status() == Status::Recorded)
    }

    /// The entry with id `id`.
    ///
    /// # Errors
    /// A state error naming the id if there is none.
    pub fn entry(&self, id: &str) -> Result<&Entry> {
        self.entries.iter().find(|e| e.stored.id == id).ok_or_else(|| {
            Error::state(format!("no suggestion {id:?} in this campaign"))
        })
    }

    /// The best recorded result (the first on a tie).
    pub fn best(&self) -> Option<&Entry> {
        let sign = self.campaign.objective().direction.sign();
        self.observations().fold(None, |best: Option<&Entry>, e| {
            let v = e.stored.result.as_ref().map_or(f64::NAN, |r| r.value);
            match best {
                Some(b)
                    if sign
                        * b.stored
                            .result
                            .as_ref()
                            .map_or(f64::NAN, |r| r.value)
                        >= sign * v =>
                {
                    Some(b)
                }
                _ => Some(e),
            }
        })
    }

    /// Whether the next suggestions come from the model (or from the initial design).
    pub fn model_decides(&self) -> bool {
        self.observations().count() >= self.campaign.initial_design
    }

    /// The next `q` designs.
    ///
    /// # Errors
    /// A failure if the optimiser fails, a state error if a finite space has no design
    /// left to offer.
    pub fn propose(&self, q: usize) -> Result<Proposal> {
        let space = &self.campaign.space;
        let count = self.entries.len() as u64;
        if !self.model_decides() {
            let done =
                self.entries.iter().filter(|e| e.stored.source == "sobol").count();
            let draws = space.sobol_designs(done + q, self.campaign.seed)?;
            let designs = draws.slice(ndarray::s![done.., ..]).to_owned();
            return Ok(Proposal { designs, source: "sobol", acquisition: None });
        }
        if self.campaign.is_pareto() {
            return self.propose_pareto(q);
        }
        let seed = derive_seed(self.campaign.seed, count);
        let mut settings = MixedSettings::default();
        settings.acqf.seed = seed;
        settings.monte_carlo.seed = seed.rotate_left(17);
        let mut opt = MixedOptimizer::new(
            space.clone(),
            self.campaign.objective().direction,
            settings,
        )?;
        let rows = |entries: Vec<&Entry>| {
            let mut x = Array2::zeros((0, space.dim()));
            for e in entries {
                let _ = x.push_row(e.design.view());
            }
            x
        };
        let observed: Vec<&Entry> = self.observations().collect();
        let y: Array1<f64> = observed
            .iter()
            .map(|e| e.stored.result.as_ref().map_or(f64::NAN, |r| r.value))
            .collect();
        opt.tell(rows(observed).view(), y.view())?;
        let open: Vec<&Entry> = self
            .entries
            .iter()
            .filter(|e| {
                matches!(
                    e.status(),
                    Status::Pending | Status::Rejected | Status::Failed
                )
            })
            .collect();
        opt.add_pending(rows(open).view())?;
        let rejected: Vec<&Entry> = self
            .entries
            .iter()
            .filter(|e| matches!(e.status(), Status::Rejected | Status::Failed))
            .collect();
        opt.exclude(rows(rejected).view())?;
        model_proposal(opt.ask_batch(q))
    }
}

/// The model's batch as a proposal; a finite space with nothing left is a state error.
///
/// # Errors
/// A state error for an exhausted finite space, a failure for the optimiser's other errors.
pub fn model_proposal(batch: gradbo::Result<MixedBatch>) -> Result<Proposal> {
    let batch = batch.map_err(|e| match e {
        gradbo::Error::Empty { .. } => Error::state(
            "every design of this finite space has been suggested: nothing left to offer",
        ),
        other => Error::from(other),
    })?;
    Ok(Proposal {
        designs: batch.designs,
        source: "model",
        acquisition: Some(batch.values),
    })
}

/// The id of the suggestion numbered `seq`.
pub fn id_of(seq: i64) -> String {
    format!("s{seq:04}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seeds_differ_for_neighbouring_counters_and_repeat_for_equal_ones() {
        assert_eq!(derive_seed(7, 3), derive_seed(7, 3));
        let seeds: std::collections::BTreeSet<u64> =
            (0..1000).map(|c| derive_seed(7, c)).collect();
        assert_eq!(seeds.len(), 1000);
        assert_ne!(derive_seed(7, 0), derive_seed(8, 0));
        assert_eq!(id_of(7), "s0007");
        assert_eq!(id_of(12345), "s12345");
    }
}
