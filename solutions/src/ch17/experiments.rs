//! The chapter's runs: every variant of every comparison over the same seeds, and the
//! exercises' runs, on two threads.

use gradbo::bo::Settings;
use gradbo_listings::ch17::choices::{
    run, run_with, Run, Variant, CLUSTERED, SPACE_FILLING,
};
use std::sync::atomic::{AtomicUsize, Ordering};

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

/// Runs every job on two threads. The jobs are independent and each is deterministic, so
/// the results, returned in the jobs' order, do not depend on which thread ran what.
pub fn run_all(jobs: &[Job]) -> Vec<Run> {
    let next = AtomicUsize::new(0);
    let work = || {
        let mut done = Vec::new();
        loop {
            let k = next.fetch_add(1, Ordering::Relaxed);
            let Some(job) = jobs.get(k) else { break };
            let r = match &job.settings {
                None => run(&job.variant, job.seed),
                Some(s) => run_with(&job.variant, s.clone(), job.seed),
            };
            done.push((k, r.expect("the loop runs")));
        }
        done
    };
    let mut all = std::thread::scope(|scope| {
        let helper = scope.spawn(work);
        let mut all = work();
        all.extend(helper.join().expect("the helper thread finishes"));
        all
    });
    all.sort_by_key(|(k, _)| *k);
    all.into_iter().map(|(_, r)| r).collect()
}
