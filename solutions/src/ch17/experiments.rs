//! The chapter's runs: every variant of every comparison over the same seeds, and the
//! exercises' runs, on two threads.

use gradbo::bo::Settings;
use gradbo_listings::ch17::choices::{
    run, run_with, Run, Variant, CLUSTERED, SPACE_FILLING,
};

/// Seeds of every comparison: each draws the design's noise and seeds the acquisition
/// optimiser, identically for the two variants compared.
pub const SEEDS: u64 = 10;

/// Two variants that differ in one choice.
pub struct Comparison {
    /// Short name: figure names and report sections.
    pub key: &'static str,
    /// What is compared, for titles.
    pub title: &'static str,
    /// The two variants with their labels.
    pub variants: [(&'static str, Variant); 2],
}

/// The four comparisons.
pub fn comparisons() -> Vec<Comparison> {
    let base = Variant::default();
    vec![
        Comparison {
            key: "transforms",
            title: "Transforms on and off",
            variants: [
                ("transforms on", base.clone()),
                ("transforms off", Variant { transforms: false, ..base.clone() }),
            ],
        },
        Comparison {
            key: "noise",
            title: "Noise in the initial design",
            variants: [
                (
                    "design noise 0.01·U",
                    Variant { initial_noise: 0.01, ..base.clone() },
                ),
                (
                    "design noise 0.10·U",
                    Variant { initial_noise: 0.10, ..base.clone() },
                ),
            ],
        },
        Comparison {
            key: "effort",
            title: "Acquisition-optimisation effort",
            variants: [
                (
                    "weak (3 restarts, 15 raw)",
                    Variant { restarts: 3, raw_samples: 15, ..base.clone() },
                ),
                (
                    "strong (15 restarts, 80 raw)",
                    Variant { restarts: 15, raw_samples: 80, ..base.clone() },
                ),
            ],
        },
        Comparison {
            key: "design",
            title: "Initial design",
            variants: [
                (
                    "space-filling",
                    Variant { design: SPACE_FILLING, ..base.clone() },
                ),
                ("clustered", Variant { design: CLUSTERED, ..base }),
            ],
        },
    ]
}

/// One loop to run: a variant, optionally with its own settings, and a seed.
pub struct Job {
    pub variant: Variant,
    pub settings: Option<Settings>,
    pub seed: u64,
}

/// Runs every job on two threads ([`crate::parallel::run_all`]), results in the jobs'
/// order.
pub fn run_all(jobs: &[Job]) -> Vec<Run> {
    crate::parallel::run_all(jobs, |job| {
        match &job.settings {
            None => run(&job.variant, job.seed),
            Some(s) => run_with(&job.variant, s.clone(), job.seed),
        }
        .expect("the loop runs")
    })
}
