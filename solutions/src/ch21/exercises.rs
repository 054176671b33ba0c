//! The exercises' answers: LogEI divided by cost (the one-line library change), the
//! designs' score per unit cost, and a weaker λ.

use super::quartiles;
use gradbo::budget::Budget;
use gradbo::test_functions::catalyst::{
    cost, score, Catalyst, Design, Pipeline, Solvent,
};
use gradbo::Result;
use gradbo_listings::ch21::workflows::{Member, Run, Workflow};

/// Seeds of the exercises' runs (the chapter's first five).
pub const SEEDS: u64 = 5;
/// Exercise 3's λ.
pub const WEAK_LAMBDA: f64 = 0.1;

/// Exercise 1: what `CostUtility::EiPerCost` would choose if its line read
/// `log_ei / cost`: among the affordable members, the largest LogEI/cost.
fn log_ei_over_cost(pool: &[Member], budget: &Budget) -> Result<Option<usize>> {
    let mut best: Option<(usize, f64)> = None;
    for (i, m) in pool.iter().enumerate() {
        if !budget.fits(m.cost)? {
            continue;
        }
        let u = m.log_ei / m.cost;
        if best.is_none_or(|(_, b)| u > b) {
            best = Some((i, u));
        }
    }
    Ok(best.map(|(i, _)| i))
}

/// The exercises' workflows.
pub fn exercise_workflows() -> [Workflow; 2] {
    [
        Workflow::Custom { name: "LogEI / cost", choose: log_ei_over_cost },
        Workflow::BudgetAware { lambda: WEAK_LAMBDA },
    ]
}

/// The exercises' runs, after the chapter's.
pub fn jobs() -> Vec<(Workflow, u64)> {
    exercise_workflows()
        .into_iter()
        .flat_map(|w| (0..SEEDS).map(move |s| (w, s)))
        .collect()
}

/// A summary of some runs: median evaluations, median share of C designs among them,
/// median final best.
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    pub evaluations: [f64; 3],
    pub c_share: [f64; 3],
    pub final_best: [f64; 3],
}

/// Summarises runs.
pub fn summary(runs: &[Run]) -> Summary {
    let evals: Vec<f64> =
        runs.iter().map(|r| r.budget.evaluations() as f64).collect();
    let share: Vec<f64> = runs
        .iter()
        .map(|r| {
            let c =
                r.steps.iter().filter(|s| s.design.solvent == Solvent::C).count();
            c as f64 / r.steps.len().max(1) as f64
        })
        .collect();
    let best: Vec<f64> = runs.iter().map(Run::final_best).collect();
    Summary {
        evaluations: quartiles(&evals),
        c_share: quartiles(&share),
        final_best: quartiles(&best),
    }
}

/// Everything the exercises print.
pub struct Answers {
    pub over_cost: Summary,
    pub weak_lambda: Summary,
    /// The design of largest score per unit cost, its score and cost.
    pub per_cost: (Design, f64, f64),
    /// Designs scoring above `threshold`, and the cheapest of them with its score and cost.
    pub above: (usize, Design, f64, f64),
}

/// The score every exercise-2 design is compared with: the course design's best.
pub const THRESHOLD: f64 = 47.509718;

/// Computes the answers from the exercises' runs (in [`jobs`]'s order).
pub fn answers(runs: &[Run]) -> Answers {
    let n = SEEDS as usize;
    let designs = Catalyst::new(Pipeline::SnapInDecoder).reachable_designs();
    let priced: Vec<(Design, f64, f64)> = designs
        .iter()
        .map(|d| (*d, score(d).expect("a score"), cost(d).expect("a cost")))
        .collect();
    let per_cost = *priced
        .iter()
        .max_by(|a, b| (a.1 / a.2).total_cmp(&(b.1 / b.2)))
        .expect("designs");
    let above: Vec<&(Design, f64, f64)> =
        priced.iter().filter(|p| p.1 > THRESHOLD).collect();
    let cheapest = above
        .iter()
        .min_by(|a, b| a.2.total_cmp(&b.2).then(b.1.total_cmp(&a.1)))
        .expect("designs above the threshold");
    Answers {
        over_cost: summary(&runs[..n]),
        weak_lambda: summary(&runs[n..2 * n]),
        per_cost,
        above: (above.len(), cheapest.0, cheapest.1, cheapest.2),
    }
}
