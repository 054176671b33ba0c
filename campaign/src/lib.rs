//! `gradbo-campaign`: Bayesian-optimisation campaigns that run over days, on the `gradbo`
//! library. A campaign file ([`spec`]) describes the variables and the objectives; a SQLite
//! file ([`sqlite`], behind the [`store::Store`] trait) keeps the suggestions, results,
//! reviews and an append-only audit log; [`engine`] decides what to suggest ([`pareto`] with
//! several objectives); [`cli`] is the
//! command line; [`results`] reads and writes results files; [`run`] runs an experiment
//! command with a timeout; [`report`] writes the HTML report.

pub mod cli;
pub mod engine;
pub mod error;
pub mod pareto;
pub mod report;
pub mod results;
pub mod run;
pub mod spec;
pub mod sqlite;
pub mod store;
