//! The appendix "Spending speed on quality": the study's tables and figures, read from
//! the committed runs in `book/appendix/measurements/quality-*.csv` (one file per tool,
//! problem and loop, each row one evaluation of one seed). Like [`crate::appendix`], this
//! module only redraws what the measurements say; a file that is absent, or a seed whose
//! rows stop before the problem's budget, is left out.

mod exercises;
mod figures;
mod table;

use crate::report::Report;
use crate::{repo_root, Artifact};
use gradbo_listings::ch17::evidence::quantile;
use std::collections::BTreeMap;
use std::fs;

const TABLE: &str = "book/appendix/outputs/quality.txt";
const REGRET_FIGURE: &str = "book/appendix/figures/quality-regret.svg";
const SECONDS_FIGURE: &str = "book/appendix/figures/quality-seconds.svg";

/// Two final values closer than this (in log₁₀ regret) count as the same.
pub const SAME: f64 = 0.005;

/// A problem of the study: its name in the files, its title, and its budget of
/// evaluations (the initial design included).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Problem {
    pub key: &'static str,
    pub title: &'static str,
    pub budget: usize,
}

/// The problems, in the order the tables and figures show them.
pub const PROBLEMS: [Problem; 6] = [
    Problem { key: "branin", title: "Branin (d = 2)", budget: 50 },
    Problem { key: "hartmann6", title: "Hartmann-6 (d = 6)", budget: 100 },
    Problem { key: "ackley5", title: "Ackley-5 (d = 5)", budget: 100 },
    Problem { key: "ackley10", title: "Ackley-10 (d = 10)", budget: 100 },
    Problem { key: "rosenbrock10", title: "Rosenbrock-10 (d = 10)", budget: 100 },
    Problem {
        key: "hartmann6in30",
        title: "Hartmann-6 in 30-D (d = 30)",
        budget: 300,
    },
];

/// A loop of the study: the tool that ran it, its name in the files, and its name in
/// tables and legends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Method {
    pub tool: &'static str,
    pub key: &'static str,
    pub name: &'static str,
}

/// The loops, indexed by the constants below.
pub const METHODS: [Method; 10] = [
    Method { tool: "botorch", key: "botorch_default", name: "BoTorch default" },
    Method { tool: "botorch", key: "botorch_turbo", name: "BoTorch TuRBO" },
    Method { tool: "gradbo", key: "gradbo_default", name: "gradbo default" },
    Method { tool: "gradbo", key: "gradbo_mc", name: "gradbo MC" },
    Method { tool: "gradbo", key: "gradbo_bayes_mc", name: "gradbo Bayes MC" },
    Method { tool: "gradbo", key: "gradbo_saas_mc", name: "gradbo SAAS MC" },
    Method { tool: "gradbo", key: "gradbo_region", name: "gradbo region" },
    Method { tool: "gradbo", key: "gradbo_spend", name: "gradbo spend" },
    Method {
        tool: "botorch",
        key: "botorch_default_timed",
        name: "BoTorch default",
    },
    Method { tool: "gradbo", key: "gradbo_spend_ladder", name: "gradbo ladder" },
];
pub const BOTORCH: usize = 0;
pub const TURBO: usize = 1;
pub const DEFAULT: usize = 2;
pub const SPEND: usize = 7;
/// BoTorch's default loop run again for its time alone, on a quieter machine than
/// [`BOTORCH`]'s runs had; the seconds per iteration are read from it where it exists.
pub const TIMED: usize = 8;
/// gradbo's loops, as the table of its parts lists them.
pub const PARTS: [usize; 7] = [2, 3, 4, 5, 6, 9, 7];

impl Method {
    /// The measurement file of this loop on `problem`, relative to the repository root.
    pub fn path(&self, problem: &str) -> String {
        format!(
            "book/appendix/measurements/quality-{}-{problem}-{}.csv",
            self.tool, self.key
        )
    }
}

/// One seed's run to the end of the budget.
#[derive(Debug, Clone, PartialEq)]
pub struct Seed {
    pub seed: u64,
    /// log₁₀ regret of the best so far after evaluation k + 1.
    pub regret: Vec<f64>,
    /// The seconds of each iteration after the initial design.
    pub seconds: Vec<f64>,
}

/// The complete seeds of one loop on one problem.
#[derive(Debug, Clone, PartialEq)]
pub struct Runs {
    pub seeds: Vec<Seed>,
}

/// An evaluation's row: (log₁₀ regret, seconds).
type Row = (f64, f64);

impl Runs {
    /// The seeds of `csv` (`problem,method,seed,evaluation,f,best_so_far,log10_regret,
    /// seconds`) with a row for every evaluation from 1 to `budget`, in seed order; rows
    /// that do not parse and evaluations past the budget are skipped.
    pub fn read(csv: &str, budget: usize) -> Self {
        let mut by_seed: BTreeMap<u64, Vec<Option<Row>>> = BTreeMap::new();
        for line in csv.lines().skip(1) {
            let f: Vec<&str> = line.split(',').collect();
            let parsed = (|| {
                let seed: u64 = f.get(2)?.trim().parse().ok()?;
                let evaluation: usize = f.get(3)?.trim().parse().ok()?;
                let regret: f64 = f.get(6)?.trim().parse().ok()?;
                let seconds: f64 = f.get(7)?.trim().parse().ok()?;
                Some((seed, evaluation, regret, seconds))
            })();
            let Some((seed, evaluation, regret, seconds)) = parsed else {
                continue;
            };
            if (1..=budget).contains(&evaluation) && regret.is_finite() {
                by_seed.entry(seed).or_insert_with(|| vec![None; budget])
                    [evaluation - 1] = Some((regret, seconds));
            }
        }
        let seeds = by_seed
            .into_iter()
            .filter_map(|(seed, rows)| {
                let rows: Vec<Row> = rows.into_iter().collect::<Option<_>>()?;
                Some(Seed {
                    seed,
                    regret: rows.iter().map(|r| r.0).collect(),
                    seconds: rows
                        .iter()
                        .map(|r| r.1)
                        .filter(|&s| s > 0.0)
                        .collect(),
                })
            })
            .collect();
        Runs { seeds }
    }

    /// The final log₁₀ regret of each seed, by seed.
    pub fn finals(&self) -> Vec<(u64, f64)> {
        self.seeds
            .iter()
            .filter_map(|s| Some((s.seed, *s.regret.last()?)))
            .collect()
    }

    /// The median, least and greatest final log₁₀ regret over the seeds.
    pub fn final_spread(&self) -> Option<(f64, f64, f64)> {
        let v: Vec<f64> = self.finals().iter().map(|f| f.1).collect();
        (!v.is_empty())
            .then(|| (quantile(&v, 0.5), quantile(&v, 0.0), quantile(&v, 1.0)))
    }

    /// The median seconds over every iteration of every seed.
    pub fn median_seconds(&self) -> Option<f64> {
        let v: Vec<f64> =
            self.seeds.iter().flat_map(|s| s.seconds.clone()).collect();
        (!v.is_empty()).then(|| quantile(&v, 0.5))
    }

    /// The evaluations (from 1), and the median, least and greatest log₁₀ regret of the
    /// best over the seeds after each.
    pub fn curves(&self) -> (Vec<f64>, Vec<f64>, Vec<f64>, Vec<f64>) {
        let len = self.seeds.iter().map(|s| s.regret.len()).min().unwrap_or(0);
        let (mut x, mut med, mut lo, mut hi) = (vec![], vec![], vec![], vec![]);
        for i in 0..len {
            let v: Vec<f64> = self.seeds.iter().map(|s| s.regret[i]).collect();
            x.push((i + 1) as f64);
            med.push(quantile(&v, 0.5));
            lo.push(quantile(&v, 0.0));
            hi.push(quantile(&v, 1.0));
        }
        (x, med, lo, hi)
    }
}

/// Seeds run by both of two loops, paired by seed number: on how many the first ends
/// lower than the second by more than [`SAME`], higher, and within it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pairs {
    pub lower: usize,
    pub higher: usize,
    pub same: usize,
}

/// `ours` against `other`, seed by seed.
pub fn pairs(ours: &Runs, other: &Runs) -> Pairs {
    let theirs = other.finals();
    let mut p = Pairs { lower: 0, higher: 0, same: 0 };
    for (seed, r) in ours.finals() {
        let Some(&(_, o)) = theirs.iter().find(|t| t.0 == seed) else { continue };
        if r < o - SAME {
            p.lower += 1;
        } else if r > o + SAME {
            p.higher += 1;
        } else {
            p.same += 1;
        }
    }
    p
}

/// Every loop's complete runs on every problem: `runs[p][m]` for [`PROBLEMS`]`[p]` and
/// [`METHODS`]`[m]`, `None` where the file is absent or holds no complete seed.
pub struct Study {
    pub runs: Vec<Vec<Option<Runs>>>,
}

impl Study {
    /// BoTorch's default loop's seconds per iteration on `problem`: from its timed runs
    /// ([`TIMED`]) where there are any, else from the study's ([`BOTORCH`]).
    pub fn botorch_seconds(&self, problem: usize) -> Option<f64> {
        self.get(problem, TIMED)
            .or_else(|| self.get(problem, BOTORCH))?
            .median_seconds()
    }

    /// The study from the files that `read` finds (given each one's path).
    pub fn load(read: impl Fn(&str) -> Option<String>) -> Self {
        let runs = PROBLEMS
            .iter()
            .map(|p| {
                METHODS
                    .iter()
                    .map(|m| {
                        let runs = Runs::read(&read(&m.path(p.key))?, p.budget);
                        (!runs.seeds.is_empty()).then_some(runs)
                    })
                    .collect()
            })
            .collect();
        Study { runs }
    }

    /// Loop `method`'s runs on problem `problem` (indices into [`METHODS`] and
    /// [`PROBLEMS`]).
    pub fn get(&self, problem: usize, method: usize) -> Option<&Runs> {
        self.runs.get(problem)?.get(method)?.as_ref()
    }
}

/// BoTorch's SAAS loop on Hartmann-6 in 30-D, in the tutorial's batches of 5 and stopped at
/// 100 evaluations (too slow to run further here).
const SAAS: &str =
    "book/appendix/measurements/quality-botorch-hartmann6in30-botorch_saas_q5_n100.csv";
/// The evaluations it ran.
const SAAS_EVALUATIONS: usize = 100;

/// Everything the appendix's section on the study shows.
pub fn run() -> Vec<Artifact> {
    let root = repo_root();
    let study = Study::load(|path| fs::read_to_string(root.join(path)).ok());
    let saas = fs::read_to_string(root.join(SAAS))
        .map(|csv| Runs::read(&csv, SAAS_EVALUATIONS))
        .ok();
    let mut report = Report::new();
    report.section("evidence", table::evidence(&study));
    report.section("parts", table::parts(&study));
    report.section(
        "saas",
        table::at_evaluation(&study, saas.as_ref(), SAAS_EVALUATIONS),
    );
    report.section("exercises", exercises::answers());
    vec![
        Artifact::new(TABLE, report.finish()),
        Artifact::new(
            REGRET_FIGURE,
            figures::regret(&study).expect("the regret figure draws"),
        ),
        Artifact::new(
            SECONDS_FIGURE,
            figures::seconds(&study).expect("the seconds figure draws"),
        ),
    ]
}

#[cfg(test)]
mod tests;
