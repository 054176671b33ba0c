//! Chapter 21, budgets and a human in the loop: the four workflows of the chapter (and the
//! human-guided one without its closeness bonus) over ten seeds on the catalyst problem,
//! with the tables, the generated readings, the figures and the exercises' answers.

pub mod exercises;
pub mod figures;
pub mod report;

use crate::{Artifact, Context};
use gradbo_listings::ch17::evidence::quantile;
use gradbo_listings::ch21::workflows::{self, PoolRule, Run, Workflow, LAMBDA};

/// Where this chapter's output and figures go.
const CTX: Context = Context::new("part5", "ch21");

/// Seeds of every workflow: each draws its own Sobol initial design and seeds the
/// acquisition optimiser and the pools.
pub const SEEDS: u64 = 10;

/// The workflows compared, in the order of every table and legend.
pub fn workflows() -> Vec<Workflow> {
    vec![
        Workflow::Standard,
        Workflow::BudgetAware { lambda: LAMBDA },
        Workflow::EiPerCost,
        Workflow::HumanGuided { closeness: true },
        Workflow::HumanGuided { closeness: false },
    ]
}

/// The workflows that choose from a pool, run again with pools of new designs only.
pub fn pool_workflows() -> Vec<Workflow> {
    workflows().into_iter().filter(|w| !matches!(w, Workflow::Standard)).collect()
}

/// Runs every job on two threads ([`crate::parallel::run_all`]), results in the jobs'
/// order.
pub fn run_all(jobs: &[(Workflow, u64)]) -> Vec<Run> {
    run_all_with(
        &jobs.iter().map(|&(w, s)| (w, s, PoolRule::Any)).collect::<Vec<_>>(),
    )
}

/// [`run_all`] with each job's pool rule.
pub fn run_all_with(jobs: &[(Workflow, u64, PoolRule)]) -> Vec<Run> {
    crate::parallel::run_all(jobs, |&(w, seed, rule)| {
        workflows::run_with(w, seed, rule).expect("the workflow runs")
    })
}

/// Every run the chapter reads: `runs[w][s]` for workflow w and seed s;
/// `new_designs[w][s]` for `pool_workflows()[w]` with pools of new designs only.
pub struct Results {
    pub workflows: Vec<Workflow>,
    pub runs: Vec<Vec<Run>>,
    pub new_designs: Vec<Vec<Run>>,
    pub exercises: exercises::Answers,
}

/// Runs everything.
pub fn results() -> Results {
    let workflows = workflows();
    let mut jobs: Vec<(Workflow, u64, PoolRule)> = Vec::new();
    for &w in &workflows {
        jobs.extend((0..SEEDS).map(|s| (w, s, PoolRule::Any)));
    }
    let fresh = pool_workflows();
    for &w in &fresh {
        jobs.extend((0..SEEDS).map(|s| (w, s, PoolRule::New)));
    }
    let extra = exercises::jobs();
    jobs.extend(extra.iter().map(|&(w, s)| (w, s, PoolRule::Any)));
    let mut all = run_all_with(&jobs).into_iter();
    let mut take = |n: usize| -> Vec<Vec<Run>> {
        (0..n).map(|_| (0..SEEDS).filter_map(|_| all.next()).collect()).collect()
    };
    let runs = take(workflows.len());
    let new_designs = take(fresh.len());
    let rest: Vec<Run> = all.collect();
    Results { workflows, runs, new_designs, exercises: exercises::answers(&rest) }
}

/// Everything chapter 21 shows.
pub fn run_chapter() -> Vec<Artifact> {
    let r = results();
    vec![
        Artifact::new(CTX.output(), report::report(&r)),
        Artifact::new(CTX.figure("vetoes"), figures::vetoes(&r)),
        Artifact::new(CTX.figure("best"), figures::best(&r)),
        Artifact::new(CTX.figure("accepted-cost"), figures::accepted_cost(&r)),
        Artifact::new(CTX.figure("accepted"), figures::accepted(&r)),
    ]
}

/// The chapter's entry point.
pub fn run() -> Vec<Artifact> {
    run_chapter()
}

/// Median, lower and upper quartile.
pub fn quartiles(v: &[f64]) -> [f64; 3] {
    [quantile(v, 0.5), quantile(v, 0.25), quantile(v, 0.75)]
}

/// The best score after `cost` of the budget was spent (the step curve of
/// [`Run::best_by_cost`]).
pub fn best_at_cost(run: &Run, cost: f64) -> f64 {
    let curve = run.best_by_cost();
    curve
        .iter()
        .take_while(|p| p.0 <= cost + 1e-9)
        .last()
        .map_or(curve[0].1, |p| p.1)
}

/// The best score after `k` paid evaluations (the last value held after the run ended).
pub fn best_after(run: &Run, k: usize) -> f64 {
    let curve = run.best_by_cost();
    curve[k.min(curve.len() - 1)].1
}

/// The cost paid for evaluations of designs already run before.
pub fn repeat_cost(run: &Run) -> f64 {
    let mut seen: Vec<_> =
        run.initial.iter().map(|(e, _)| e.repaired.design.key()).collect();
    let mut paid = 0.0;
    for s in &run.steps {
        let k = s.design.key();
        if seen.contains(&k) {
            paid += s.cost;
        } else {
            seen.push(k);
        }
    }
    paid
}

/// Paid evaluations that ran a design already run before (in the design or the loop).
pub fn repeats(run: &Run) -> usize {
    let mut seen: Vec<_> =
        run.initial.iter().map(|(e, _)| e.repaired.design.key()).collect();
    let mut n = 0;
    for s in &run.steps {
        let k = s.design.key();
        if seen.contains(&k) {
            n += 1;
        } else {
            seen.push(k);
        }
    }
    n
}
