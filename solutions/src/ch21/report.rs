//! The worked output of chapter 21: the course's design with costs, the cost range, the
//! λ table, the workflows over seeds, the vetoes, the accepted evaluations, the generated
//! readings and the exercises' answers.

use super::{
    best_at_cost, pool_workflows, quartiles, repeat_cost, repeats, Results, SEEDS,
};
use crate::report::Report;
use gradbo::budget::BUDGET_EXCEEDED;
use gradbo::test_functions::catalyst::{cost, Catalyst, Pipeline, Solvent};
use gradbo_listings::ch17::evidence::sign_test;
use gradbo_listings::ch21::costs::{level, rows, COURSE_DESIGN, GAPS};
use gradbo_listings::ch21::workflows::{Run, Stop, Workflow, BUDGET};
use std::fmt::Write as _;

/// Scores closer than this count as ties.
const TIE: f64 = 1e-6;

/// The whole worked output.
pub fn report(r: &Results) -> String {
    let mut rep = Report::new();
    rep.section("initial", initial());
    rep.section("costs", costs());
    rep.section("level", level_table());
    rep.section("summary", summary(r));
    rep.section("seeds", seeds(r));
    rep.section("new-designs", new_designs(r));
    rep.section("new-designs-reading", new_designs_reading(r));
    rep.section("vetoes", vetoes(r));
    rep.section("accepted", accepted(r));
    rep.section("reading", reading(r));
    rep.section("closeness", closeness(r));
    rep.section("exercises", exercises(r));
    rep.finish()
}

fn initial() -> String {
    let rows = rows().expect("the course design runs");
    let mut s = String::new();
    let _ = writeln!(
        s,
        "latent (r_T, r_L, r_t, r_s)            decoded (snapped)       repaired                 score  cost  flags"
    );
    for (r, l) in rows.iter().zip(COURSE_DESIGN) {
        let _ = writeln!(
            s,
            "({:.3}, {:.3}, {:.3}, {:.3})  {:<22}  {:<22}  {:>9.6}  {:>4.1}  {}",
            l[0],
            l[1],
            l[2],
            l[3],
            r.decoded.to_string(),
            r.repaired.to_string(),
            r.score,
            r.cost,
            r.flags.join(", ")
        );
    }
    let total: f64 = rows.iter().map(|r| r.cost).sum();
    let best = rows.iter().map(|r| r.score).fold(f64::MIN, f64::max);
    let count = |sv| rows.iter().filter(|r| r.repaired.solvent == sv).count();
    let _ = writeln!(s, "\ntotal cost of the design: {total:.1} (not charged to the budget of {BUDGET})");
    let _ = writeln!(s, "best initial score: {best:.6}");
    let _ = writeln!(
        s,
        "repaired solvents: C {}, A {}, B {}",
        count(Solvent::C),
        count(Solvent::A),
        count(Solvent::B)
    );
    let moved: Vec<String> = rows
        .iter()
        .filter(|r| r.snapped_after.key() != r.repaired.key())
        .map(|r| {
            format!(
                "{} (snapping after the repair: {})",
                r.repaired, r.snapped_after
            )
        })
        .collect();
    let _ = writeln!(
        s,
        "designs that chapter 20's pipeline made differently: {}",
        moved.len()
    );
    for m in moved {
        let _ = writeln!(s, "  {m}");
    }
    s
}

fn costs() -> String {
    let now = Catalyst::new(Pipeline::SnapInDecoder).reachable_designs();
    let before = Catalyst::new(Pipeline::SnapInRepair).reachable_designs();
    let c: Vec<f64> = now.iter().map(|d| cost(d).expect("a cost")).collect();
    let low = c.iter().copied().fold(f64::MAX, f64::min);
    let high = c.iter().copied().fold(f64::MIN, f64::max);
    let mut s = String::new();
    let _ = writeln!(
        s,
        "reachable designs: {} (snapping after the repair: {})",
        now.len(),
        before.len()
    );
    for sv in Solvent::ALL {
        let mut temps: Vec<i64> = now
            .iter()
            .filter(|d| d.solvent == sv)
            .map(|d| d.temperature as i64)
            .collect();
        temps.sort();
        temps.dedup();
        let _ = writeln!(s, "  {sv}: temperatures {temps:?}");
    }
    let _ = writeln!(s, "costs over the reachable designs: {low:.1} to {high:.1}");
    let _ = writeln!(
        s,
        "the optimum {} scores {:.6} and costs {:.1}",
        Catalyst::OPTIMUM,
        Catalyst::OPTIMAL_SCORE,
        cost(&Catalyst::OPTIMUM).expect("a cost")
    );
    s
}

fn level_table() -> String {
    let mut s = String::from(
        "gap below incumbent   LogEI A (1.6)   LogEI B (12.3)   B − A   LogEI − 1·cost   EI per cost\n",
    );
    for g in GAPS {
        let (a, b, l, r) = level(g).expect("the table computes");
        let _ = writeln!(
            s,
            "{g:>19.1}   {a:>13.3}   {b:>14.3}   {:>5.2}   {l:>14}   {r:>11}",
            b - a
        );
    }
    let _ = writeln!(
        s,
        "B needs a LogEI lead of 1·(12.3 − 1.6) = 10.70 under LogEI − 1·cost, ln(12.3/1.6) = {:.2} under EI per cost",
        (12.3f64 / 1.6).ln()
    );
    s
}

fn q(v: [f64; 3], digits: usize) -> String {
    format!("{:.*} [{:.*}, {:.*}]", digits, v[0], digits, v[1], digits, v[2])
}

fn summary(r: &Results) -> String {
    let mut s = format!(
        "median [quartiles] over {SEEDS} seeds\n{:<26} {:>29} {:>16} {:>22} {:>14} {:>12}\n",
        "workflow", "final best score", "evaluations", "spent", "repeats", "C share"
    );
    for (w, runs) in r.workflows.iter().zip(&r.runs) {
        let get = |f: &dyn Fn(&Run) -> f64| {
            quartiles(&runs.iter().map(f).collect::<Vec<_>>())
        };
        let best = get(&|x| x.final_best());
        let evals = get(&|x| x.budget.evaluations() as f64);
        let spent = get(&|x| x.budget.spent());
        let rep = get(&|x| repeats(x) as f64);
        let c = get(&|x| {
            let n =
                x.steps.iter().filter(|st| st.design.solvent == Solvent::C).count();
            n as f64 / x.steps.len().max(1) as f64
        });
        let _ = writeln!(
            s,
            "{:<26} {:>29} {:>16} {:>22} {:>14} {:>12}",
            w.name(),
            q(best, 3),
            q(evals, 1),
            q(spent, 1),
            q(rep, 1),
            q(c, 2)
        );
    }
    s
}

fn seeds(r: &Results) -> String {
    let mut s = String::from("seed  initial best");
    for w in &r.workflows {
        let _ = write!(s, " | {:>26}", w.name());
    }
    s.push('\n');
    for seed in 0..SEEDS as usize {
        let _ = write!(s, "{seed:>4}  {:>12.3}", r.runs[0][seed].initial_best());
        for runs in &r.runs {
            let x = &runs[seed];
            let _ = write!(
                s,
                " | {:>9.3} ({:>2} ev., {:>4.1})",
                x.final_best(),
                x.budget.evaluations(),
                x.budget.spent()
            );
        }
        s.push('\n');
    }
    s.push_str("each cell: final best score (paid evaluations, budget spent)\n");
    s
}

/// The course's runs of each pool workflow, beside its runs with pools of new designs.
fn pool_pairs(r: &Results) -> Vec<(Workflow, &[Run], &[Run])> {
    pool_workflows()
        .into_iter()
        .zip(&r.new_designs)
        .map(|(w, new)| {
            let i = r
                .workflows
                .iter()
                .position(|x| x.name() == w.name())
                .expect("a pool workflow is compared");
            (w, r.runs[i].as_slice(), new.as_slice())
        })
        .collect()
}

/// The distinct designs a run paid for.
fn distinct_paid(run: &Run) -> usize {
    let mut keys: Vec<_> = run.steps.iter().map(|s| s.design.key()).collect();
    keys.sort();
    keys.dedup();
    keys.len()
}

fn new_designs(r: &Results) -> String {
    let mut s = format!(
        "pools of any design (as above) and of new designs only, median [quartiles] over {SEEDS} \
         seeds\n{:<26} {:<5} {:>25} {:>18} {:>18} {:>16} {:>18}\n",
        "workflow", "pool", "final best score", "evaluations", "distinct designs", "repeats",
        "paid for repeats"
    );
    for (w, any, new) in pool_pairs(r) {
        for (label, runs) in [("any", any), ("new", new)] {
            let get = |f: &dyn Fn(&Run) -> f64| {
                quartiles(&runs.iter().map(f).collect::<Vec<_>>())
            };
            let _ = writeln!(
                s,
                "{:<26} {:<5} {:>25} {:>18} {:>18} {:>16} {:>18}",
                if label == "any" { w.name() } else { String::new() },
                label,
                q(get(&|x| x.final_best()), 3),
                q(get(&|x| x.budget.evaluations() as f64), 1),
                q(get(&|x| distinct_paid(x) as f64), 1),
                q(get(&|x| repeats(x) as f64), 1),
                q(get(&repeat_cost), 1),
            );
        }
    }
    s
}

fn new_designs_reading(r: &Results) -> String {
    let mut parts = Vec::new();
    for (w, any, new) in pool_pairs(r) {
        let finals =
            |runs: &[Run]| runs.iter().map(Run::final_best).collect::<Vec<_>>();
        let wasted: f64 = any.iter().map(repeat_cost).sum();
        let distinct = |runs: &[Run]| runs.iter().map(distinct_paid).sum::<usize>();
        parts.push(format!(
            "> {} With pools that may repeat designs (the PyTorch course's), {} paid {wasted:.1} of its {} × {BUDGET} units for \
             repeats over the {SEEDS} seeds; with pools of new designs it paid nothing for \
             repeats, and ran {} distinct designs in all against {}.",
            verdict(
                "the pool of new designs",
                "the pool that may repeat designs",
                &format!("For {}, at the end of the budget", w.name()),
                &finals(new),
                &finals(any),
            ),
            w.name(),
            SEEDS,
            distinct(new),
            distinct(any),
        ));
    }
    let hits = |runs: &[Run]| {
        runs.iter()
            .filter(|x| (x.final_best() - Catalyst::OPTIMAL_SCORE).abs() < TIE)
            .count()
    };
    let counts: Vec<String> = pool_pairs(r)
        .iter()
        .map(|(w, any, new)| {
            format!(
                "{} {} (with repeats allowed {})",
                w.name(),
                hits(new),
                hits(any)
            )
        })
        .collect();
    parts.push(format!(
        "> Runs with pools of new designs that ran the optimum (125, 0.08, 40, C), out of \
         {SEEDS}: {}.",
        counts.join(", ")
    ));
    parts.join("\n>\n")
}

/// The index of the human-guided workflow with the closeness bonus.
pub fn human(r: &Results) -> usize {
    r.workflows
        .iter()
        .position(|w| matches!(w, Workflow::HumanGuided { closeness: true }))
        .expect("the human-guided workflow is compared")
}

fn vetoes(r: &Results) -> String {
    let mut s = String::new();
    for (w, runs) in r.workflows.iter().zip(&r.runs) {
        if !matches!(w, Workflow::HumanGuided { .. }) {
            continue;
        }
        let _ = writeln!(
            s,
            "{}: refusals by reason, median [quartiles] per run",
            w.name()
        );
        let mut reasons: Vec<&'static str> = Vec::new();
        for x in runs {
            for (reason, _) in x.vetoes().iter() {
                if !reasons.contains(&reason) {
                    reasons.push(reason);
                }
            }
        }
        reasons.sort();
        for reason in reasons {
            let v: Vec<f64> =
                runs.iter().map(|x| x.vetoes().count(reason) as f64).collect();
            let _ = writeln!(s, "  {reason:<28} {}", q(quartiles(&v), 1));
        }
        let total: Vec<f64> =
            runs.iter().map(|x| x.vetoes().total() as f64).collect();
        let _ = writeln!(s, "  {:<28} {}", "all", q(quartiles(&total), 1));
    }
    let x = &r.runs[human(r)][0];
    let _ = writeln!(s, "\nhuman-guided, seed 0, refusals per step:");
    for (k, st) in x.steps.iter().enumerate() {
        let _ = writeln!(
            s,
            "  step {k}: {:?} -> ran {} (cost {:.1})",
            tally(&st.vetoes),
            st.design,
            st.cost
        );
    }
    if let Stop::NothingAcceptable(last) = &x.stop {
        let _ = writeln!(
            s,
            "  step {}: {:?} -> nothing acceptable; the run ends",
            x.steps.len(),
            tally(last)
        );
    }
    s
}

fn tally(t: &gradbo::budget::VetoTally) -> Vec<(String, usize)> {
    t.iter().map(|(r, n)| (r.to_string(), n)).collect()
}

fn accepted(r: &Results) -> String {
    let mut s = String::from(
        "seed 0: accepted (paid) evaluations and what stopped each run\n",
    );
    for (w, runs) in r.workflows.iter().zip(&r.runs) {
        let x = &runs[0];
        let stop = match &x.stop {
            Stop::Unaffordable(d, c) => format!(
                "proposed {d} costing {c:.1} with {:.1} left: not run, not paid, not counted",
                x.budget.remaining()
            ),
            Stop::NothingAcceptable(_) => "nothing in the pool fitted the remaining budget".into(),
        };
        let _ = writeln!(
            s,
            "  {:<26} {:>2} evaluations ({} with the design), spent {:.1}; {stop}",
            w.name(),
            x.budget.evaluations(),
            x.budget.evaluations() + x.initial.len(),
            x.budget.spent()
        );
    }
    s
}

/// Seeds where `a` ended higher than `b`, lower, tied.
fn wins(a: &[f64], b: &[f64]) -> (usize, usize, usize) {
    let (mut w, mut l, mut t) = (0, 0, 0);
    for (x, y) in a.iter().zip(b) {
        if (x - y).abs() < TIE {
            t += 1;
        } else if x > y {
            w += 1;
        } else {
            l += 1;
        }
    }
    (w, l, t)
}

/// One sentence comparing `name` with `other` on paired values (higher is better): a
/// difference is claimed only if the sign test gives p < 0.05.
pub fn verdict(
    name: &str,
    other: &str,
    what: &str,
    a: &[f64],
    b: &[f64],
) -> String {
    let (w, l, t) = wins(a, b);
    let p = sign_test(w, l);
    let (ma, mb) = (quartiles(a)[0], quartiles(b)[0]);
    let head = format!(
        "{what}, {name} was higher than {other} in {w} of {} seeds, lower in {l}, tied in {t} \
         (medians {ma:.3} and {mb:.3}, sign test p = {p:.3})",
        a.len()
    );
    if w + l == 0 {
        format!("{head}: the two did not differ.")
    } else if p < 0.05 {
        let side = if w > l { "higher" } else { "lower" };
        format!("{head}: these seeds support a {side} score for {name}.")
    } else {
        format!("{head}: these seeds do not separate them.")
    }
}

fn reading(r: &Results) -> String {
    let mut s = String::new();
    let standard = &r.runs[0];
    let finals =
        |runs: &[Run]| runs.iter().map(Run::final_best).collect::<Vec<_>>();
    let half = |runs: &[Run]| {
        runs.iter().map(|x| best_at_cost(x, BUDGET / 2.0)).collect::<Vec<_>>()
    };
    for (w, runs) in r.workflows.iter().zip(&r.runs).skip(1) {
        let _ = writeln!(
            s,
            "> {}\n>",
            verdict(
                &w.name(),
                "standard BO",
                "At the end of the budget",
                &finals(runs),
                &finals(standard)
            )
        );
        let _ = writeln!(
            s,
            "> {}\n>",
            verdict(
                &w.name(),
                "standard BO",
                "After 30 of the 60 units",
                &half(runs),
                &half(standard)
            )
        );
    }
    let optimum = r
        .runs
        .iter()
        .zip(&r.workflows)
        .map(|(runs, w)| {
            let n = runs
                .iter()
                .filter(|x| (x.final_best() - Catalyst::OPTIMAL_SCORE).abs() < TIE)
                .count();
            format!("{} {n}", w.name())
        })
        .collect::<Vec<_>>()
        .join(", ");
    let _ = writeln!(s, "> Runs that ran the optimum (125, 0.08, 40, C), out of {SEEDS}: {optimum}.");
    s.trim_end_matches(">\n").to_string()
}

fn closeness(r: &Results) -> String {
    let h = human(r);
    let without = r
        .workflows
        .iter()
        .position(|w| matches!(w, Workflow::HumanGuided { closeness: false }))
        .expect("the run without the bonus");
    let finals =
        |runs: &[Run]| runs.iter().map(Run::final_best).collect::<Vec<_>>();
    let near = |runs: &[Run]| {
        runs.iter()
            .map(|x| {
                x.steps
                    .iter()
                    .filter(|st| {
                        st.design.solvent == Solvent::C
                            && st.design.time == 40
                            && (st.design.temperature - 125.0).abs() <= 5.0
                    })
                    .count() as f64
            })
            .collect::<Vec<_>>()
    };
    let mut s = String::new();
    let _ = writeln!(
        s,
        "> {}",
        verdict(
            "the bonus",
            "no bonus",
            "With and without the closeness bonus",
            &finals(&r.runs[h]),
            &finals(&r.runs[without])
        )
    );
    let _ = writeln!(
        s,
        ">\n> Evaluations of C at 120–130 °C for 40 minutes, median per run: {:.1} with the bonus, {:.1} without.",
        quartiles(&near(&r.runs[h]))[0],
        quartiles(&near(&r.runs[without]))[0]
    );
    s
}

fn exercises(r: &Results) -> String {
    let e = &r.exercises;
    let ei = &r.runs[2];
    let c_share = |x: &Run| {
        let n = x.steps.iter().filter(|st| st.design.solvent == Solvent::C).count();
        n as f64 / x.steps.len().max(1) as f64
    };
    let n = super::exercises::SEEDS as usize;
    let ei_share: Vec<f64> = ei[..n].iter().map(c_share).collect();
    let ei_evals: Vec<f64> =
        ei[..n].iter().map(|x| x.budget.evaluations() as f64).collect();
    let mut s = String::new();
    let _ = writeln!(
        s,
        "Exercise 1 (LogEI / cost in place of LogEI − ln cost), seeds 0–{}:",
        n - 1
    );
    let _ = writeln!(
        s,
        "  evaluations {} (EI per cost: {}), share of C designs {} (EI per cost: {}), final best {}",
        q(e.over_cost.evaluations, 1),
        q(quartiles(&ei_evals), 1),
        q(e.over_cost.c_share, 2),
        q(quartiles(&ei_share), 2),
        q(e.over_cost.final_best, 3)
    );
    let (d, sc, c) = e.per_cost;
    let _ = writeln!(s, "Exercise 2: the largest score per unit cost is {d}: {sc:.6} for {c:.1} ({:.3} per unit)", sc / c);
    let (count, d, sc, c) = e.above;
    let _ = writeln!(
        s,
        "  {count} designs score above {:.6}; the cheapest of them is {d}: {sc:.6} for {c:.1}",
        super::exercises::THRESHOLD
    );
    let lam: Vec<f64> =
        r.runs[1][..n].iter().map(|x| x.budget.evaluations() as f64).collect();
    let lam_share: Vec<f64> = r.runs[1][..n].iter().map(c_share).collect();
    let _ = writeln!(
        s,
        "Exercise 3 (λ = {}), seeds 0–{}: evaluations {} (λ = 1: {}), share of C designs {} (λ = 1: {}), final best {}",
        super::exercises::WEAK_LAMBDA,
        n - 1,
        q(e.weak_lambda.evaluations, 1),
        q(quartiles(&lam), 1),
        q(e.weak_lambda.c_share, 2),
        q(quartiles(&lam_share), 2),
        q(e.weak_lambda.final_best, 3)
    );
    let _ = BUDGET_EXCEEDED;
    s
}
