//! Chapter 24: high-fidelity-only BO against multi-fidelity BO under one budget, judged by
//! the true high-fidelity activity at each loop's recommendation.

use gradbo::acquisition::Acquisition;
use gradbo::budget::Budget;
use gradbo::fidelity::{
    self, Confirmation, Fidelities, Pool, QuadraticCost, Reason,
};
use gradbo::gp::{fit, FitOptions, FittedGp};
use gradbo::sampling::sobol_points;
use gradbo::test_functions::cocatalyst::{grid, multi_fidelity, target, LEVELS};
use gradbo::Result;
use ndarray::{Array1, Array2};

// ANCHOR: constants
/// The whole budget, initial designs included.
pub const BUDGET: f64 = 8.0;
/// Initial designs: scrambled Sobol points in x.
pub const N_INIT: usize = 5;
/// The multi-fidelity loop's initial fidelities, one per initial design.
pub const INITIAL_LEVELS: [f64; N_INIT] = [0.2, 0.5, 1.0, 0.2, 0.5];
/// Step limits of the two loops (the budget ends both first).
pub const HF_STEPS: usize = 20;
pub const MF_STEPS: usize = 40;
/// A target-fidelity confirmation of the recommendation every this many steps.
pub const CONFIRM_EVERY: usize = 5;
/// UCB μ + √β σ with β = 2.25: a multiplier of 1.5 on σ.
pub const UCB: Acquisition = Acquisition::UpperConfidenceBound { beta: 2.25 };
// ANCHOR_END: constants

/// The course's fidelities, 0.2, 0.5 and 1, priced 0.15 + 0.85 s².
pub fn fidelities() -> Result<Fidelities> {
    Fidelities::new(&LEVELS, &QuadraticCost::COURSE)
}

/// Which loop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Strategy {
    /// Every evaluation at s = 1, chosen by UCB on the s = 1 slice.
    HighFidelityOnly,
    /// Every fidelity, chosen by UCB per unit cost, with confirmations at s = 1.
    MultiFidelity(Confirmation),
}

impl Strategy {
    /// A short name for tables and legends.
    pub fn name(&self) -> String {
        match self {
            Strategy::HighFidelityOnly => "high fidelity only".into(),
            Strategy::MultiFidelity(Confirmation::Never) => {
                "multi-fidelity, no confirmations".into()
            }
            Strategy::MultiFidelity(Confirmation::Every(k)) => {
                format!("multi-fidelity, confirm every {k}")
            }
        }
    }
}

/// One evaluation.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Evaluation {
    pub x: f64,
    pub fidelity: f64,
    pub y: f64,
    pub cost: f64,
    /// Part of the initial design, a scheduled confirmation, or chosen by acquisition.
    pub kind: Kind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Initial,
    Confirmation,
    Acquisition,
}

/// What the loop would recommend at one moment.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Record {
    /// Everything paid so far, initial design included.
    pub spent: f64,
    /// The argmax of the posterior mean at s = 1.
    pub x: f64,
    /// The true high-fidelity activity there, h(x).
    pub h: f64,
}

/// A whole run.
#[derive(Debug, Clone)]
pub struct Run {
    pub strategy: Strategy,
    pub seed: u64,
    pub evaluations: Vec<Evaluation>,
    /// One record at the start of every step, the last after the final evaluation.
    pub records: Vec<Record>,
    pub budget: Budget,
    /// The last model.
    pub model: FittedGp,
}

impl Run {
    /// The final recommendation.
    pub fn recommendation(&self) -> Record {
        self.records[self.records.len() - 1]
    }

    /// The true h at the recommendation after `cost` was spent (before the first record,
    /// the first).
    pub fn h_at_cost(&self, cost: f64) -> f64 {
        self.records
            .iter()
            .take_while(|r| r.spent <= cost + 1e-9)
            .last()
            .unwrap_or(&self.records[0])
            .h
    }
}

/// The model of every evaluation so far, on [x, s].
pub fn model(evaluations: &[Evaluation]) -> Result<FittedGp> {
    let x = Array2::from_shape_fn((evaluations.len(), 2), |(i, j)| {
        if j == 0 {
            evaluations[i].x
        } else {
            evaluations[i].fidelity
        }
    });
    let y: Array1<f64> = evaluations.iter().map(|e| e.y).collect();
    fit(x.view(), &y, &FitOptions::single_task(2))
}

// ANCHOR: initial
/// The initial design of seed `seed`: five Sobol points in x, at s = 1 for the
/// high-fidelity loop and at the levels [`INITIAL_LEVELS`] for the multi-fidelity ones.
pub fn initial(
    strategy: Strategy,
    seed: u64,
    fids: &Fidelities,
) -> Result<Vec<Evaluation>> {
    let xs = sobol_points(N_INIT, 1, seed)?;
    (0..N_INIT)
        .map(|i| {
            let x = xs[[i, 0]];
            let s = match strategy {
                Strategy::HighFidelityOnly => 1.0,
                Strategy::MultiFidelity(_) => INITIAL_LEVELS[i],
            };
            let cost = fids.cost(s)?;
            Ok(Evaluation {
                x,
                fidelity: s,
                y: multi_fidelity(x, s),
                cost,
                kind: Kind::Initial,
            })
        })
        .collect()
}
// ANCHOR_END: initial

// ANCHOR: run
/// One run of `strategy` from the initial design of `seed`, at the course's prices.
pub fn run(strategy: Strategy, seed: u64) -> Result<Run> {
    run_with(strategy, seed, &fidelities()?)
}

/// One run of `strategy` from the initial design of `seed`, with the levels and prices
/// `fids` (the levels must include 0.2, 0.5 and 1 for the initial design).
pub fn run_with(strategy: Strategy, seed: u64, fids: &Fidelities) -> Result<Run> {
    let xs = grid();
    // The high-fidelity loop's pool is the s = 1 slice; the others' every level.
    let pool = match strategy {
        Strategy::HighFidelityOnly => Pool::new(
            &xs,
            &Fidelities::new(&[1.0], &|_: &f64| Ok(fids.target_cost()))?,
        )?,
        Strategy::MultiFidelity(_) => Pool::new(&xs, fids)?,
    };
    let (steps, confirmation) = match strategy {
        Strategy::HighFidelityOnly => (HF_STEPS, Confirmation::Never),
        Strategy::MultiFidelity(c) => (MF_STEPS, c),
    };
    let mut budget = Budget::new(BUDGET, fids.cheapest())?;
    let mut evaluations = initial(strategy, seed, fids)?;
    for e in &evaluations {
        budget.pay(e.cost)?;
    }
    let mut records = Vec::new();
    let mut model = model(&evaluations)?;
    for step in 0..=steps {
        let rec = fidelity::recommend(&model, &pool, fids)?;
        records.push(Record { spent: budget.spent(), x: rec.x, h: target(rec.x) });
        if step == steps {
            break;
        }
        let Some(p) = fidelity::propose(
            &model,
            &pool,
            fids,
            &budget,
            step,
            confirmation,
            UCB,
        )?
        else {
            break;
        };
        budget.pay(p.cost)?;
        let kind = match p.reason {
            Reason::Confirmation => Kind::Confirmation,
            Reason::PerCost { .. } => Kind::Acquisition,
        };
        let y = multi_fidelity(p.x, p.fidelity);
        evaluations.push(Evaluation {
            x: p.x,
            fidelity: p.fidelity,
            y,
            cost: p.cost,
            kind,
        });
        model = self::model(&evaluations)?;
    }
    Ok(Run { strategy, seed, evaluations, records, budget, model })
}
// ANCHOR_END: run

/// The three strategies of the chapter.
pub fn strategies() -> [Strategy; 3] {
    [
        Strategy::HighFidelityOnly,
        Strategy::MultiFidelity(Confirmation::Every(CONFIRM_EVERY)),
        Strategy::MultiFidelity(Confirmation::Never),
    ]
}

pub fn main() -> Result<()> {
    for strategy in strategies() {
        let r = run(strategy, 0)?;
        let rec = r.recommendation();
        println!(
            "{:<34} {:>2} evaluations, cost {:.4}, recommends x = {:.6}, h = {:.6}",
            strategy.name(),
            r.evaluations.len(),
            r.budget.spent(),
            rec.x,
            rec.h
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use gradbo::test_functions::cocatalyst::TARGET_GRID_OPTIMUM;

    #[test]
    fn the_initial_designs_cost_what_the_chapter_says() {
        let fids = fidelities().unwrap();
        let hf = initial(Strategy::HighFidelityOnly, 0, &fids).unwrap();
        let mf = initial(Strategy::MultiFidelity(Confirmation::Never), 0, &fids)
            .unwrap();
        let cost = |e: &[Evaluation]| e.iter().map(|e| e.cost).sum::<f64>();
        assert!((cost(&hf) - 5.0).abs() < 1e-12);
        assert!((cost(&mf) - 2.093).abs() < 1e-12);
        // The same five designs.
        for (a, b) in hf.iter().zip(&mf) {
            assert_eq!(a.x, b.x);
        }
    }

    #[test]
    fn the_high_fidelity_loop_buys_three_evaluations() {
        let r = run(Strategy::HighFidelityOnly, 0).unwrap();
        assert_eq!(r.evaluations.len(), 8);
        assert!((r.budget.spent() - 8.0).abs() < 1e-12);
        assert!(r.evaluations.iter().all(|e| e.fidelity == 1.0));
        assert_eq!(r.records.len(), 4);
        // Every recorded value is a true h at a grid point, at most the grid optimum.
        assert!(r.records.iter().all(|c| c.h <= TARGET_GRID_OPTIMUM.1));
    }

    #[test]
    fn the_multi_fidelity_loop_stays_in_budget_and_confirms_on_schedule() {
        let r = run(Strategy::MultiFidelity(Confirmation::Every(CONFIRM_EVERY)), 0)
            .unwrap();
        assert!(r.budget.spent() <= BUDGET + 1e-9);
        // Nothing more fits: less than the cheapest level's price is left.
        assert!(BUDGET - r.budget.spent() < 0.184);
        assert!(r.evaluations.len() > 8, "cheap evaluations buy more data");
        for (k, e) in r.evaluations.iter().enumerate().skip(N_INIT) {
            let step = k - N_INIT;
            if e.kind == Kind::Confirmation {
                assert_eq!(step % CONFIRM_EVERY, 0);
                assert_eq!(e.fidelity, 1.0);
                // It evaluates the recommendation recorded at that step.
                assert_eq!(e.x, r.records[step].x);
            }
        }
        let never = run(Strategy::MultiFidelity(Confirmation::Never), 0).unwrap();
        assert!(never.evaluations.iter().all(|e| e.kind != Kind::Confirmation));
    }
}
