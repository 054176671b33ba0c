//! Chapter 21: four ways to spend a budget on the catalyst problem — standard BO that stops at
//! its first unaffordable proposal, a budget-aware loop that trades LogEI against cost, the
//! same with EI per unit cost, and a loop that a person guides with vetoes and preferences.

use gradbo::acquisition::{Acquisition, AcquisitionFunction, Analytic, Direction};
use gradbo::bo::{Optimizer, Settings};
use gradbo::budget::{
    choose_affordable, rank_distinct, Budget, CostModel, CostUtility, Offer,
    Policy, Priced, VetoTally,
};
use gradbo::gp::FittedGp;
use gradbo::optimize_acqf::AcqfOptions;
use gradbo::sampling::sobol_points;
use gradbo::test_functions::catalyst::{
    cost, Catalyst, Design, DesignKey, Evaluation, Pipeline, Solvent,
};
use gradbo::{Bounds, Error, Result};
use ndarray::{Array1, ArrayView2, Axis};

// ANCHOR: constants
/// The budget of the BO stage; the initial design is not charged to it.
pub const BUDGET: f64 = 60.0;
/// The cheapest reachable design's cost: (T ≤ 95, L ≤ 0.11, 10 min, A) costs 1.0.
pub const CHEAPEST: f64 = 1.0;
/// Initial design: scrambled Sobol points in the latent cube.
pub const N_INIT: usize = 8;
/// Distinct designs in a candidate pool…
pub const POOL: usize = 24;
/// …taken from the acquisition maximiser and this many Sobol points ranked by LogEI.
pub const POOL_SOBOL: usize = 256;
/// The human-guided loop's second look when the pool has nothing acceptable.
pub const FALLBACK_SOBOL: usize = 512;
/// Local runs of the acquisition optimiser…
pub const RESTARTS: usize = 20;
/// …from this many raw Sobol points.
pub const RAW_SAMPLES: usize = 256;
/// λ of the budget-aware loop's utility LogEI − λ·cost.
pub const LAMBDA: f64 = 1.0;
// ANCHOR_END: constants

/// A pool member for a custom choice rule (see [`Workflow::Custom`]).
pub type Chooser = fn(&[Member], &Budget) -> Result<Option<usize>>;

// ANCHOR: workflow
/// How a loop spends its budget.
#[derive(Debug, Clone, Copy)]
pub enum Workflow {
    /// Run the LogEI maximiser; stop at the first one that does not fit.
    Standard,
    /// From the pool's affordable members, the largest LogEI − λ·cost.
    BudgetAware { lambda: f64 },
    /// From the pool's affordable members, the largest EI per unit cost.
    EiPerCost,
    /// The pool reviewed by [`human_policy`]; `closeness` adds the bonus that knows where
    /// the optimum is.
    HumanGuided { closeness: bool },
    /// A choice rule of the caller's, on the pool.
    Custom { name: &'static str, choose: Chooser },
}
// ANCHOR_END: workflow

impl Workflow {
    /// A short name for tables and legends.
    pub fn name(&self) -> String {
        match self {
            Workflow::Standard => "standard".into(),
            Workflow::BudgetAware { lambda } => format!("LogEI − {lambda}·cost"),
            Workflow::EiPerCost => "EI per cost".into(),
            Workflow::HumanGuided { closeness: true } => "human-guided".into(),
            Workflow::HumanGuided { closeness: false } => {
                "human, no closeness bonus".into()
            }
            Workflow::Custom { name, .. } => (*name).into(),
        }
    }
}

/// A candidate of the pool: a latent point, the repaired design it leads to, its LogEI
/// and the design's cost. The design is known before it is run; its score is not.
#[derive(Debug, Clone, PartialEq)]
pub struct Member {
    pub latent: Array1<f64>,
    pub design: Design,
    pub log_ei: f64,
    pub cost: f64,
}

/// One paid evaluation.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    pub latent: Array1<f64>,
    pub design: Design,
    pub score: f64,
    pub cost: f64,
    /// Refusals while choosing it, by reason (the human-guided loop only).
    pub vetoes: VetoTally,
}

/// Why a run ended.
#[derive(Debug, Clone, PartialEq)]
pub enum Stop {
    /// The standard loop's proposal did not fit: the design and its cost. Never run,
    /// never paid, never counted.
    Unaffordable(Design, f64),
    /// Nothing in the pool (or, for the human-guided loop, the fallback) was acceptable;
    /// with the refusals of that last look.
    NothingAcceptable(VetoTally),
}

/// A whole run.
#[derive(Debug, Clone)]
pub struct Run {
    pub workflow: Workflow,
    pub seed: u64,
    /// The initial design through the pipeline, with each design's cost.
    pub initial: Vec<(Evaluation, f64)>,
    /// The paid evaluations, in order.
    pub steps: Vec<Step>,
    /// The ledger: spent, payments, evaluations.
    pub budget: Budget,
    pub stop: Stop,
}

impl Run {
    /// The best initial score.
    pub fn initial_best(&self) -> f64 {
        self.initial.iter().map(|(e, _)| e.score).fold(f64::MIN, f64::max)
    }

    /// (cumulative BO cost, best score so far): from (0, initial best), one point per paid
    /// evaluation.
    pub fn best_by_cost(&self) -> Vec<(f64, f64)> {
        let (mut spent, mut best) = (0.0, self.initial_best());
        let mut curve = vec![(spent, best)];
        for s in &self.steps {
            spent += s.cost;
            best = best.max(s.score);
            curve.push((spent, best));
        }
        curve
    }

    /// The best score after the run.
    pub fn final_best(&self) -> f64 {
        self.best_by_cost().last().map_or(f64::MIN, |p| p.1)
    }

    /// The design of the best score after the run (initial or BO).
    pub fn best_design(&self) -> Design {
        let mut best = (f64::MIN, Catalyst::OPTIMUM);
        let all = self.initial.iter().map(|(e, _)| (e.score, e.repaired.design));
        for (s, d) in all.chain(self.steps.iter().map(|s| (s.score, s.design))) {
            if s > best.0 {
                best = (s, d);
            }
        }
        best.1
    }

    /// Every refusal of the run, the final look's included.
    pub fn vetoes(&self) -> VetoTally {
        let mut all = VetoTally::new();
        self.steps.iter().for_each(|s| all.merge(&s.vetoes));
        if let Stop::NothingAcceptable(last) = &self.stop {
            all.merge(last);
        }
        all
    }
}

// ANCHOR: policy
/// The human policy of the guided loop.
///
/// Vetoes, during the first three BO steps only: C at T ≥ 130 °C, and C for 50 minutes.
/// Preferences: 0.05 for A, 0.03 for B, 0.02 for C; 0.02 for T ≤ 105 °C; 0.02 for 20 or 30
/// minutes. With `closeness`, C designs also get
/// max(0, 0.18 − 0.02|T − 125|) + max(0, 0.14 − 6|L − 0.08|) + 0.05·[t = 40]:
/// a bonus that peaks at (125 °C, 0.08, 40 min), the optimum of the synthetic score. It is
/// prior knowledge of an expert who already knows where the best experiment is.
/// The utility charges 0.025 per unit cost.
pub fn human_policy(closeness: bool) -> Result<Policy<Design>> {
    let mut policy = Policy::new(0.025)?
        .with_veto(|d: &Design, step| {
            (step < 3 && d.solvent == Solvent::C && d.temperature >= 130.0)
                .then_some("early_block_very_hottest_C")
        })
        .with_veto(|d: &Design, step| {
            (step < 3 && d.solvent == Solvent::C && d.time == 50)
                .then_some("early_no_longest_C")
        })
        .with_preference(|d: &Design| match d.solvent {
            Solvent::A => 0.05,
            Solvent::B => 0.03,
            Solvent::C => 0.02,
        })
        .with_preference(
            |d: &Design| if d.temperature <= 105.0 { 0.02 } else { 0.0 },
        )
        .with_preference(
            |d: &Design| {
                if d.time == 20 || d.time == 30 {
                    0.02
                } else {
                    0.0
                }
            },
        );
    if closeness {
        policy = policy.with_preference(closeness_bonus);
    }
    Ok(policy)
}

/// The closeness bonus: expert knowledge of the optimum (125 °C, 0.08, 40 min, C).
pub fn closeness_bonus(d: &Design) -> f64 {
    if d.solvent != Solvent::C {
        return 0.0;
    }
    let t = (0.18 - 0.02 * (d.temperature - 125.0).abs()).max(0.0);
    let l = (0.14 - 6.0 * (d.loading - 0.08).abs()).max(0.0);
    t + l + if d.time == 40 { 0.05 } else { 0.0 }
}
// ANCHOR_END: policy

// ANCHOR: pool
/// Latent points through decode and repair (not scored: that would be running them), with
/// LogEI and cost.
fn members(
    problem: &Catalyst,
    acqf: &dyn AcquisitionFunction,
    x: ArrayView2<'_, f64>,
) -> Result<Vec<Member>> {
    let log_ei = acqf.values(x)?;
    x.rows()
        .into_iter()
        .zip(log_ei)
        .map(|(r, log_ei)| {
            let design = problem.repair(&problem.decode(r)?)?.design;
            let cost = cost.checked_cost(&design)?;
            Ok(Member { latent: r.to_owned(), design, log_ei, cost })
        })
        .collect()
}

/// The candidate pool: the acquisition maximiser, then Sobol points in descending LogEI,
/// one per repaired design, until the pool holds [`POOL`] distinct designs. Designs in
/// `exclude` (those already run, for a pool of new designs only) are left out, the
/// maximiser's among them.
fn pool(
    problem: &Catalyst,
    acqf: &dyn AcquisitionFunction,
    maximiser: &Array1<f64>,
    seed: u64,
    exclude: &[DesignKey],
) -> Result<Vec<Member>> {
    let mut first = members(problem, acqf, maximiser.view().insert_axis(Axis(0)))?;
    first.retain(|m| !exclude.contains(&m.design.key()));
    let sobol = members(problem, acqf, sobol_points(POOL_SOBOL, 4, seed)?.view())?;
    let keys: Vec<DesignKey> = sobol.iter().map(|m| m.design.key()).collect();
    let values: Vec<f64> = sobol.iter().map(|m| m.log_ei).collect();
    let mut taken: Vec<DesignKey> = exclude.to_vec();
    taken.extend(first.iter().map(|m| m.design.key()));
    let ranked = rank_distinct(&keys, &values, &taken, POOL - first.len())?;
    Ok(first
        .into_iter()
        .chain(ranked.into_iter().map(|i| sobol[i].clone()))
        .collect())
}
// ANCHOR_END: pool

// ANCHOR: human
/// The human-guided choice: the pool reviewed in descending LogEI; if nothing there is
/// acceptable, the designs of [`FALLBACK_SOBOL`] Sobol points that the pool did not hold,
/// until [`POOL`] acceptable ones are found. Returns the chosen member, or `None`.
/// A pool member as an offer to the policy.
fn offer(m: &Member) -> Offer<'_, Design> {
    Offer { design: &m.design, log_ei: m.log_ei, cost: m.cost }
}

#[allow(clippy::too_many_arguments)]
fn guided(
    problem: &Catalyst,
    acqf: &dyn AcquisitionFunction,
    mut pool: Vec<Member>,
    policy: &Policy<Design>,
    budget: &Budget,
    step: usize,
    seed: u64,
    exclude: &[DesignKey],
    tally: &mut VetoTally,
) -> Result<Option<Member>> {
    pool.sort_by(|a, b| b.log_ei.total_cmp(&a.log_ei));
    let offers: Vec<_> = pool.iter().map(offer).collect();
    if let Some(i) = policy.choose(&offers, budget, step, tally)? {
        return Ok(Some(pool[i].clone()));
    }
    let fallback =
        members(problem, acqf, sobol_points(FALLBACK_SOBOL, 4, seed)?.view())?;
    let keys: Vec<DesignKey> = fallback.iter().map(|m| m.design.key()).collect();
    let values: Vec<f64> = fallback.iter().map(|m| m.log_ei).collect();
    // Designs already reviewed in the pool are not reviewed, nor counted, again.
    let mut taken: Vec<DesignKey> = exclude.to_vec();
    taken.extend(pool.iter().map(|m| m.design.key()));
    let ranked = rank_distinct(&keys, &values, &taken, FALLBACK_SOBOL)?;
    let second: Vec<Member> =
        ranked.into_iter().map(|i| fallback[i].clone()).collect();
    let offers: Vec<_> = second.iter().map(offer).collect();
    let chosen = policy.choose_among(&offers, budget, step, POOL, tally)?;
    Ok(chosen.map(|i| second[i].clone()))
}
// ANCHOR_END: human

/// The loop's settings: LogEI maximised with [`RESTARTS`] local runs from [`RAW_SAMPLES`]
/// Sobol points (and as many beside the best observations).
fn settings(seed: u64) -> Settings {
    Settings {
        acqf: AcqfOptions {
            restarts: RESTARTS,
            raw_samples: RAW_SAMPLES,
            seed: 1000 * seed,
            ..AcqfOptions::default()
        },
        ..Settings::default()
    }
}

/// LogEI through the model just fitted, with the best score as incumbent.
fn log_ei<'m>(
    model: &'m FittedGp,
    opt: &Optimizer,
) -> Result<Analytic<'m, FittedGp>> {
    let best =
        opt.best().map(|b| b.1).ok_or(Error::Empty { context: "no data" })?;
    Analytic::new(
        model,
        Acquisition::LogExpectedImprovement { best },
        Direction::Maximise,
    )
}

// ANCHOR: run
/// Which designs a candidate pool may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PoolRule {
    /// Any design, including those already run (the PyTorch course's pool).
    Any,
    /// Only designs not yet run: the loop never pays twice for one experiment.
    New,
}

/// Runs `workflow` from the Sobol design of `seed` until the budget stops it, its pools
/// holding any design.
pub fn run(workflow: Workflow, seed: u64) -> Result<Run> {
    run_with(workflow, seed, PoolRule::Any)
}

/// Runs `workflow` from the Sobol design of `seed` until the budget stops it, its pools
/// holding the designs `rule` allows.
pub fn run_with(workflow: Workflow, seed: u64, rule: PoolRule) -> Result<Run> {
    let problem = Catalyst::new(Pipeline::SnapInDecoder);
    let mut opt = Optimizer::new(
        Bounds::cube(4, 0.0, 1.0)?,
        Direction::Maximise,
        settings(seed),
    )?;
    let x0 = sobol_points(N_INIT, 4, seed)?;
    let mut initial = Vec::new();
    for r in x0.rows() {
        let e = problem.evaluate(r)?;
        let c = cost.checked_cost(&e.repaired.design)?;
        initial.push((e, c));
    }
    let y0: Array1<f64> = initial.iter().map(|(e, _)| e.score).collect();
    opt.tell(x0.view(), y0.view())?;

    let policy = match workflow {
        Workflow::HumanGuided { closeness } => Some(human_policy(closeness)?),
        _ => None,
    };
    let mut budget = Budget::new(BUDGET, CHEAPEST)?;
    let mut steps: Vec<Step> = Vec::new();
    let stop = loop {
        let step = steps.len();
        // The designs a pool leaves out: none, or every design run so far.
        let exclude: Vec<DesignKey> = match rule {
            PoolRule::Any => vec![],
            PoolRule::New => initial
                .iter()
                .map(|(e, _)| e.repaired.design.key())
                .chain(steps.iter().map(|s| s.design.key()))
                .collect(),
        };
        let maximiser = opt.ask()?;
        // The maximiser is only a suggestion here: what runs is chosen below, so nothing
        // stays pending.
        opt.clear_pending();
        let model =
            opt.model().cloned().ok_or(Error::Empty { context: "no model" })?;
        let acqf = log_ei(&model, &opt)?;
        let pool_seed = (seed << 20) + 2 * step as u64;
        let mut vetoes = VetoTally::new();
        let chosen = match (&workflow, &policy) {
            (Workflow::Standard, _) => {
                let m = members(
                    &problem,
                    &acqf,
                    maximiser.view().insert_axis(Axis(0)),
                )?;
                let m = m
                    .into_iter()
                    .next()
                    .ok_or(Error::Empty { context: "maximiser" })?;
                if !budget.fits(m.cost)? {
                    break Stop::Unaffordable(m.design, m.cost);
                }
                Some(m)
            }
            (Workflow::HumanGuided { .. }, Some(policy)) => {
                let pool = pool(&problem, &acqf, &maximiser, pool_seed, &exclude)?;
                guided(
                    &problem,
                    &acqf,
                    pool,
                    policy,
                    &budget,
                    step,
                    pool_seed + 1,
                    &exclude,
                    &mut vetoes,
                )?
            }
            (w, _) => {
                let mut pool =
                    pool(&problem, &acqf, &maximiser, pool_seed, &exclude)?;
                let priced: Vec<Priced> = pool
                    .iter()
                    .map(|m| Priced { log_ei: m.log_ei, cost: m.cost })
                    .collect();
                let i = match *w {
                    Workflow::BudgetAware { lambda } => choose_affordable(
                        &priced,
                        &budget,
                        CostUtility::LogEiMinusCost { lambda },
                    )?,
                    Workflow::EiPerCost => {
                        choose_affordable(&priced, &budget, CostUtility::EiPerCost)?
                    }
                    Workflow::Custom { choose, .. } => choose(&pool, &budget)?,
                    _ => None,
                };
                i.filter(|&i| i < pool.len()).map(|i| pool.swap_remove(i))
            }
        };
        let Some(m) = chosen else { break Stop::NothingAcceptable(vetoes) };
        // Run the experiment, pay for it, tell the model.
        let score = problem.evaluate(m.latent.view())?.score;
        budget.pay(m.cost)?;
        opt.tell(
            m.latent.view().insert_axis(Axis(0)),
            Array1::from(vec![score]).view(),
        )?;
        steps.push(Step {
            latent: m.latent,
            design: m.design,
            score,
            cost: m.cost,
            vetoes,
        });
    };
    Ok(Run { workflow, seed, initial, steps, budget, stop })
}
// ANCHOR_END: run

/// The chapter's demonstration: each workflow once, seed 0.
pub fn main() -> Result<()> {
    for w in [
        Workflow::Standard,
        Workflow::BudgetAware { lambda: LAMBDA },
        Workflow::EiPerCost,
        Workflow::HumanGuided { closeness: true },
    ] {
        let r = run(w, 0)?;
        println!(
            "{:<16} {:>2} evaluations, spent {:>5.1}, best {:.6} at {}",
            w.name(),
            r.budget.evaluations(),
            r.budget.spent(),
            r.final_best(),
            r.best_design()
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_standard_loop_counts_only_what_it_paid_for() {
        let r = run(Workflow::Standard, 0).unwrap();
        assert_eq!(r.budget.evaluations(), r.steps.len());
        let paid: f64 = r.steps.iter().map(|s| s.cost).sum();
        assert!((paid - r.budget.spent()).abs() < 1e-9 && paid <= BUDGET + 1e-9);
        // It stopped at a proposal that would have overspent, which was never run.
        match r.stop {
            Stop::Unaffordable(_, c) => assert!(r.budget.spent() + c > BUDGET),
            other => panic!("{other:?}"),
        }
        // Best by cost starts at cost 0 with the initial best and never falls.
        let curve = r.best_by_cost();
        assert_eq!(curve[0], (0.0, r.initial_best()));
        assert!(curve.windows(2).all(|w| w[1].1 >= w[0].1 && w[1].0 > w[0].0));
    }

    #[test]
    fn a_pool_of_new_designs_never_pays_twice_for_one_experiment() {
        let r =
            run_with(Workflow::BudgetAware { lambda: LAMBDA }, 0, PoolRule::New)
                .unwrap();
        let mut seen: Vec<DesignKey> =
            r.initial.iter().map(|(e, _)| e.repaired.design.key()).collect();
        for s in &r.steps {
            assert!(!seen.contains(&s.design.key()), "{} ran twice", s.design);
            seen.push(s.design.key());
        }
        assert!(r.budget.spent() <= BUDGET + 1e-9);
        // The course's pool, on the same seed, pays again for designs it has run.
        let any = run(Workflow::BudgetAware { lambda: LAMBDA }, 0).unwrap();
        let distinct: std::collections::BTreeSet<DesignKey> =
            any.steps.iter().map(|s| s.design.key()).collect();
        assert!(distinct.len() < any.steps.len());
    }

    #[test]
    fn the_policy_vetoes_early_hot_and_long_c_and_knows_the_optimum() {
        let p = human_policy(true).unwrap();
        let hot = Design::new(130.0, 0.08, 40, Solvent::C);
        let long = Design::new(125.0, 0.08, 50, Solvent::C);
        assert_eq!(p.veto(&hot, 2), Some("early_block_very_hottest_C"));
        assert_eq!(p.veto(&long, 0), Some("early_no_longest_C"));
        assert_eq!(p.veto(&hot, 3), None);
        // The closeness bonus is largest at the optimum: 0.18 + 0.14 + 0.05.
        assert!((closeness_bonus(&Catalyst::OPTIMUM) - 0.37).abs() < 1e-12);
        assert!((p.bonus(&Catalyst::OPTIMUM).unwrap() - 0.39).abs() < 1e-12);
        let without = human_policy(false).unwrap();
        assert!((without.bonus(&Catalyst::OPTIMUM).unwrap() - 0.02).abs() < 1e-12);
    }

    #[test]
    fn the_cheapest_reachable_design_costs_one() {
        let problem = Catalyst::new(Pipeline::SnapInDecoder);
        let designs = problem.reachable_designs();
        let low = gradbo::budget::cheapest(&cost, &designs).unwrap();
        assert_eq!(low, CHEAPEST);
    }
}
