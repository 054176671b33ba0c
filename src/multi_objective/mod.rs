//! Several objectives at once: dominance, Pareto fronts, hypervolume, the box
//! decompositions that expected hypervolume improvement integrates over, qEHVI itself, a
//! list of independent GPs (one per objective) and rules that pick one point from a front.
//!
//! The convention is BoTorch's: **every objective is maximised**. An objective to be
//! minimised enters negated. Objective values are the rows of an n × m matrix `y` (n points,
//! m objectives); a reference point r (m values) bounds the region whose volume is measured,
//! and should be slightly worse than every point one cares about.
//!
//! - [`dominance`]: a dominates b when a ≥ b in every objective and a > b in at least one;
//!   the non-dominated points of a set are its Pareto front, [`non_dominated`] returns their
//!   row indices (exact duplicates kept once).
//! - [`hypervolume`](mod@hypervolume): the volume of the region dominated by the front and
//!   dominating r — exact, by a sweep in two objectives, by the dimension sweep of Fonseca,
//!   Paquete and López-Ibáñez in three and by the WFG algorithm beyond.
//! - [`boxes`]: the region not dominated by the front (and the dominated one) cut into
//!   disjoint axis-aligned boxes, what BoTorch calls a partitioning.
//! - [`ehvi`]: expected hypervolume improvement in closed form, for one candidate whose
//!   objectives are independent Gaussians.
//! - [`qehvi`]: the Monte Carlo estimate for a batch of q candidates under independent GPs,
//!   with its gradient from the autodiff tape, ready for
//!   [`optimize_acqf`](crate::optimize_acqf::optimize_acqf).
//! - [`model_list`]: one fitted GP per objective, on the same inputs.
//! - [`decision`]: min–max normalisation of a front and three rules for choosing one of its
//!   points.
//! - [`reference`](mod@reference): the checks on objective matrices and reference points shared by
//!   all, and a reference point inferred from the observations ([`infer_reference_point`]).

pub mod boxes;
pub mod decision;
pub mod dominance;
pub mod ehvi;
pub mod hypervolume;
pub mod model_list;
pub mod qehvi;
pub mod reference;

pub use boxes::{dominated_boxes, non_dominated_boxes, BoxDecomposition};
pub use decision::{
    closest_to_ideal, normalise_min_max, threshold_then_maximise, weighted_sum,
    Choice,
};
pub use dominance::{dominates, non_dominated, pareto_front};
pub use ehvi::expected_hypervolume_improvement;
pub use hypervolume::hypervolume;
pub use model_list::{ListPrediction, ModelList};
pub use qehvi::{Qehvi, QehviOptions};
pub use reference::{
    check_objectives, infer_reference_point, validate_reference, REFERENCE_SCALE,
};
