//! The worked output of chapter 17.

use super::{
    final_best, model_units, reached, reading, representative, steps_near, Results,
    EXERCISE_FLOOR, EXERCISE_SEEDS, SECOND_BASIN,
};
use crate::report::Report;
use gradbo::test_functions::{two_basins, TwoBasins};
use gradbo_listings::ch17::choices::{
    Run, CLUSTERED, DESIGN, SPACE_FILLING, STEPS,
};
use gradbo_listings::ch17::evidence::{quantile, Paired};
use std::fmt::Write as _;

/// Final values closer than this count as ties.
const TIE: f64 = 1e-3;
/// The steps at which the hyperparameter table is printed.
const TABLE_STEPS: [usize; 5] = [1, 5, 10, 25, 50];

/// The text the chapter includes.
pub fn report(r: &Results) -> String {
    let mut report = Report::new();
    report.section("designs", designs(r));
    report.section("warnings", warnings(r));
    for (c, runs) in r.comparisons.iter().zip(&r.runs) {
        let names = [c.variants[0].0, c.variants[1].0];
        report.section(c.key, comparison(names, runs));
        report.section(&format!("{}-verdict", c.key), verdicts(names, runs));
        let default = &r.runs[0][0];
        let reading = match c.key {
            "transforms" => reading::transforms(runs),
            "noise" => reading::noise(runs, default),
            "effort" => reading::effort(runs, ["weak", "strong"]),
            _ => reading::design(runs, default),
        };
        report.section(&format!("{}-reading", c.key), reading);
        if c.key == "noise" {
            report.section("noise-why", reading::noise_why(runs));
        }
    }
    let survey = [r.runs[0][0].clone(), r.sobol_only.clone()];
    let names = ["around the best (the default)", "Sobol survey alone"];
    report.section("around-best", around_best(names, &survey));
    report.section("around-best-verdict", verdicts(names, &survey));
    report.section("around-best-reading", reading::around_best(&survey));
    report.section("hyperparameters", hyperparameters(&r.runs[0]));
    report.section(
        "hyperparameters-reading",
        reading::hyperparameters(
            &r.runs[0],
            off_over_on(&r.runs[0]),
            1.0 / super::variance(&r.runs[0][1][0].observed[..6]),
        ),
    );
    for (name, text) in reading::takeaways(r) {
        report.section(name, text);
    }
    report.section("answers", answers(r));
    report.finish()
}

fn designs(r: &Results) -> String {
    let mut t = String::from("noise-free values F(x) of the initial designs\n");
    for (name, design) in [
        ("chapter 16's", DESIGN),
        ("space-filling", SPACE_FILLING),
        ("clustered", CLUSTERED),
    ] {
        let _ = write!(t, "{name:<14}");
        for p in design {
            let _ = write!(t, "{:>9.4}", two_basins(p[0], p[1]));
        }
        t.push('\n');
    }
    let run = &r.runs[0][0][0];
    let _ = writeln!(
        t,
        "every run: {} best-so-far values (the design's, then one per step), {} observations",
        run.best_so_far().len(),
        run.x.nrows()
    );
    let _ = writeln!(
        t,
        "global minimum F* = {:.5}; second basin's minimum {:.5}",
        TwoBasins::MINIMUM,
        SECOND_BASIN
    );
    t
}

fn warnings(r: &Results) -> String {
    let [on, off] = &r.runs[0];
    let first = &off[0];
    let mut t = format!(
        "transforms off, seed 0, the first fit ({} observations):\n",
        first.history[0].observations
    );
    for w in &first.warnings[0] {
        let _ = writeln!(t, "  warning: {w}");
    }
    let steps = |runs: &[Run], n: usize| {
        runs.iter().flat_map(|r| &r.warnings).filter(|w| w.len() == n).count()
    };
    let total = on.len() * STEPS;
    let _ = writeln!(
        t,
        "transforms off: both warnings at {} of {total} steps ({} seeds × {STEPS})",
        steps(off, 2),
        off.len()
    );
    let _ = writeln!(
        t,
        "transforms on:  no warning at {} of {total} steps",
        steps(on, 0)
    );
    t
}

fn step(s: Option<usize>) -> String {
    s.map_or("—".into(), |s| s.to_string())
}

fn comparison(names: [&str; 2], runs: &[Vec<Run>; 2]) -> String {
    let mut t = table(names, runs);
    let _ = writeln!(
        t,
        "representative seed (the median paired difference): {}",
        representative(runs)
    );
    t
}

/// The default loop with and without the survey around the best observations.
fn around_best(names: [&str; 2], runs: &[Vec<Run>; 2]) -> String {
    let mut t = String::from(
        "chapter 16's design, transforms on, 10 restarts; raw samples: 50 Sobol points \
         (A: and 50 around the best observations)\n",
    );
    t.push_str(&table(names, runs));
    let second = TwoBasins::LOCAL_MINIMA[0].0;
    let median_near = |v: usize| {
        let n: Vec<f64> =
            runs[v].iter().map(|r| steps_near(r, second) as f64).collect();
        quantile(&n, 0.5)
    };
    let _ = writeln!(
        t,
        "steps within 0.5 of the second basin's minimum, median over seeds: A {}, B {} (of {STEPS})",
        median_near(0),
        median_near(1)
    );
    t
}

/// Each seed's final best and the step at which it found the deep basin, and a summary
/// line per variant.
fn table(names: [&str; 2], runs: &[Vec<Run>; 2]) -> String {
    let mut t = format!(
        "{:<5} {:>14} {:>14}   deep basin found at step\n",
        "seed", "final best", ""
    );
    let _ =
        writeln!(t, "{:<5} {:>14} {:>14}   {:>6} {:>6}", "", "A", "B", "A", "B");
    for (s, (a, b)) in runs[0].iter().zip(&runs[1]).enumerate() {
        let _ = writeln!(
            t,
            "{s:<5} {:>14.4} {:>14.4}   {:>6} {:>6}",
            final_best(a),
            final_best(b),
            step(reached(a)),
            step(reached(b))
        );
    }
    for (v, name) in names.iter().enumerate() {
        let finals: Vec<f64> = runs[v].iter().map(final_best).collect();
        let found: Vec<f64> =
            runs[v].iter().filter_map(reached).map(|s| s as f64).collect();
        let _ = writeln!(
            t,
            "{}: {name}: final best median {:.4} (quartiles {:.4}, {:.4}); deep basin in {} \
             of {} seeds{}",
            ["A", "B"][v],
            quantile(&finals, 0.5),
            quantile(&finals, 0.25),
            quantile(&finals, 0.75),
            found.len(),
            finals.len(),
            if found.is_empty() {
                String::new()
            } else {
                format!(", by step {} in the median of those", quantile(&found, 0.5))
            }
        );
    }
    t
}

/// Two sentences: the final values, then how soon each found the deep basin (a seed that
/// never did counts as step 51).
fn verdicts(names: [&str; 2], runs: &[Vec<Run>; 2]) -> String {
    let finals = Paired {
        names,
        values: [0, 1].map(|v| runs[v].iter().map(final_best).collect()),
        tie: TIE,
    };
    let speed = Paired {
        names,
        values: [0, 1].map(|v| {
            runs[v].iter().map(|r| reached(r).unwrap_or(STEPS + 1) as f64).collect()
        }),
        tie: 0.5,
    };
    format!(
        "Final best: {}\nSteps to the deep basin: {}\n",
        finals.verdict(),
        speed
            .verdict()
            .replace("ended lower", "got there sooner")
            .replace("tied within 0.5", "tied")
    )
}

fn hyperparameters(runs: &[Vec<Run>; 2]) -> String {
    let per_run = |v: usize| -> Vec<Vec<([f64; 2], f64)>> {
        runs[v].iter().map(|r| model_units(r, v == 0)).collect()
    };
    let (on, off) = (per_run(0), per_run(1));
    let median = |units: &[Vec<([f64; 2], f64)>], step: usize, k: usize| {
        let at: Vec<f64> = units
            .iter()
            .map(|u| {
                let (l, n) = u[step - 1];
                if k < 2 {
                    l[k]
                } else {
                    n
                }
            })
            .collect();
        quantile(&at, 0.5)
    };
    let mut t = String::from(
        "medians over seeds, each run in its own units\n\
         (on: normalised inputs, standardised outputs; off: the data's units)\n",
    );
    let _ = writeln!(
        t,
        "{:>5} {:>9} {:>9} {:>10}   {:>9} {:>9} {:>10}",
        "step", "ℓ₁ on", "ℓ₂ on", "σₙ² on", "ℓ₁ off", "ℓ₂ off", "σₙ² off"
    );
    for s in TABLE_STEPS {
        let _ = writeln!(
            t,
            "{s:>5} {:>9.4} {:>9.4} {:>10.3e}   {:>9.4} {:>9.4} {:>10.3e}",
            median(&on, s, 0),
            median(&on, s, 1),
            median(&on, s, 2),
            median(&off, s, 0),
            median(&off, s, 1),
            median(&off, s, 2)
        );
    }
    let _ = writeln!(
        t,
        "in the data's units at step {STEPS}: on ℓ = ({:.4}, {:.4}) (6 × the normalised), \
         off ℓ = ({:.4}, {:.4}): off/on = {:.2}, {:.2}",
        6.0 * median(&on, STEPS, 0),
        6.0 * median(&on, STEPS, 1),
        median(&off, STEPS, 0),
        median(&off, STEPS, 1),
        median(&off, STEPS, 0) / (6.0 * median(&on, STEPS, 0)),
        median(&off, STEPS, 1) / (6.0 * median(&on, STEPS, 1))
    );
    let y: Vec<f64> = runs[1][0].observed[..6].to_vec();
    let _ = writeln!(
        t,
        "the outputs' variance at the first fit (seed 0): {:.4}; the fixed output scale \
         σ² = 1 is {:.0} times larger",
        super::variance(&y),
        1.0 / super::variance(&y)
    );
    t
}

/// The untransformed model's lengthscales over the transformed one's, both in the data's
/// units, medians over seeds at the last step.
pub fn off_over_on(runs: &[Vec<Run>; 2]) -> [f64; 2] {
    let median = |v: usize, k: usize| {
        let at: Vec<f64> = runs[v]
            .iter()
            .filter_map(|r| r.history.last())
            .map(|h| h.hyperparameters.lengthscales[k])
            .collect();
        quantile(&at, 0.5)
    };
    [0, 1].map(|k| median(1, k) / median(0, k))
}

fn answers(r: &Results) -> String {
    let n = EXERCISE_SEEDS as usize;
    let mut t = String::new();
    // 1. The noise floor.
    let base = &r.runs[0][0][..n];
    let noise = |runs: &[Run]| -> Vec<f64> {
        runs.iter()
            .map(|r| model_units(r, true).last().map_or(f64::NAN, |u| u.1))
            .collect()
    };
    let _ = writeln!(
        t,
        "1. Noise floor 1e-4 → {EXERCISE_FLOOR:e} (standardised units), seeds 0–{}",
        n - 1
    );
    let _ = writeln!(
        t,
        "   learned noise at step {STEPS} (standardised), per seed: 1e-4 floor {}; {EXERCISE_FLOOR:e} floor {}",
        list(&noise(base), "{:.2e}"),
        list(&noise(&r.floor), "{:.2e}")
    );
    let _ = writeln!(
        t,
        "   final best: 1e-4 floor {}; {EXERCISE_FLOOR:e} floor {}",
        list(&base.iter().map(final_best).collect::<Vec<_>>(), "{:.4}"),
        list(&r.floor.iter().map(final_best).collect::<Vec<_>>(), "{:.4}")
    );
    let gap = |runs: &[Run]| -> Vec<f64> {
        runs.iter().map(|r| final_best(r) - TwoBasins::MINIMUM).collect()
    };
    let _ = writeln!(
        t,
        "   median gap to F*: {:.2e} and {:.2e}",
        quantile(&gap(base), 0.5),
        quantile(&gap(&r.floor), 0.5)
    );
    let deep =
        |runs: &[Run]| runs.iter().filter(|r| final_best(r) < SECOND_BASIN).count();
    let on_floor =
        noise(&r.floor).iter().filter(|&&v| v < 1.01 * EXERCISE_FLOOR).count();
    let second = TwoBasins::LOCAL_MINIMA[0].0;
    let near_second = |runs: &[Run]| -> f64 {
        let v: Vec<f64> =
            runs.iter().map(|r| steps_near(r, second) as f64).collect();
        quantile(&v, 0.5)
    };
    let (deep_raised, deep_library) = (deep(&r.floor), deep(base));
    let (near_raised, near_library) = (near_second(&r.floor), near_second(base));
    let _ = writeln!(
        t,
        "   steps within 0.5 of the second basin's minimum, median: 1e-4 floor {near_library}; \
         {EXERCISE_FLOOR:e} floor {near_raised}"
    );
    let data = if 2 * on_floor > n { ": the data would take less" } else { "" };
    // Whether the raised floor kept the loop in its basin more than the library's floor:
    // fewer seeds reaching the deep basin, or clearly more steps beside the second minimum.
    let conclusion = if deep_raised < deep_library
        || near_raised >= near_library + 5.0
    {
        ": the loop refines the basin it is in.".to_string()
    } else if 2 * deep_library <= n {
        format!(
            ". But with the library's floor, too, the loop never found the deep basin in {} of \
             {n} seeds, and stayed as long beside the second basin's minimum: these seeds do \
             not separate the two floors.",
            n - deep_library
        )
    } else {
        ". Yet here the raised floor did not keep the loop from the deep basin more than the \
         library's did."
            .to_string()
    };
    let _ = writeln!(
        t,
        "   The learned noise sits on the new floor in {on_floor} of {n} seeds{data}. The deep \
         basin was found in {deep_raised} of {n} seeds with the raised floor, {deep_library} of \
         {n} with the library's. A model that must keep a noise variance of 1e-2 (a tenth of a \
         standard deviation of the outputs) no longer passes through its observations, so its \
         uncertainty next to the incumbent does not collapse, and LogEI keeps finding expected \
         improvement there{conclusion}"
    );
    // 2. Noise on every evaluation.
    let design_only = &r.runs[1][1][..n];
    let _ = writeln!(
        t,
        "2. 0.10·U noise on every evaluation against the design only, seeds 0–{}",
        n - 1
    );
    let _ = writeln!(
        t,
        "   final best (noise-free value): design only {}; every evaluation {}",
        list(&design_only.iter().map(final_best).collect::<Vec<_>>(), "{:.4}"),
        list(&r.everywhere.iter().map(final_best).collect::<Vec<_>>(), "{:.4}")
    );
    let _ = writeln!(
        t,
        "   deep basin found at step: design only {}; every evaluation {}",
        design_only.iter().map(|r| step(reached(r))).collect::<Vec<_>>().join(" "),
        r.everywhere.iter().map(|r| step(reached(r))).collect::<Vec<_>>().join(" ")
    );
    let regret_observed = |runs: &[Run]| -> Vec<f64> {
        runs.iter()
            .map(|r| {
                // What the loop would report: the point of its best observation.
                let i = (0..r.observed.len())
                    .min_by(|&a, &b| r.observed[a].total_cmp(&r.observed[b]))
                    .unwrap_or(0);
                r.truth[i] - final_best(r)
            })
            .collect()
    };
    let _ = writeln!(
        t,
        "   F at the best observation minus the best F evaluated: design only {}; every evaluation {}",
        list(&regret_observed(design_only), "{:.4}"),
        list(&regret_observed(&r.everywhere), "{:.4}")
    );
    let worst = regret_observed(&r.everywhere).iter().copied().fold(0.0, f64::max);
    let report = if worst > 0.0 {
        format!(
            "the point it would report (the best observation) is worse than the best point it \
             evaluated by up to {worst:.4}, because a lucky draw can make a worse point look best"
        )
    } else {
        "in these seeds the point it would report (the best observation) is also the best \
         point it evaluated, but a lucky draw could make a worse point look best"
            .to_string()
    };
    let _ = writeln!(
        t,
        "   With noise on every evaluation the deep basin was found in {} of {n} seeds, {} of {n} \
         with noise on the design only. The loop's own incumbent is now a noisy observation: \
         {report}. And the noise is positive, so every observed value lies above the truth at \
         its point.",
        deep(&r.everywhere),
        deep(design_only)
    );
    // 3. Which transform: outputs standardised, inputs in the data's units.
    let at_end = |runs: &[Run], k: usize| -> f64 {
        let v: Vec<f64> = runs
            .iter()
            .filter_map(|r| r.history.last())
            .map(|h| h.hyperparameters.lengthscales[k])
            .collect();
        quantile(&v, 0.5)
    };
    let [on, off] = [&r.runs[0][0][..n], &r.runs[0][1][..n]];
    let _ = writeln!(
        t,
        "3. Outputs standardised, inputs in the data's units, seeds 0–{}",
        n - 1
    );
    let _ = writeln!(
        t,
        "   median lengthscales at step {STEPS} in the data's units (ℓ₁, ℓ₂): both transforms \
         ({:.4}, {:.4}); outputs only ({:.4}, {:.4}); neither ({:.4}, {:.4})",
        at_end(on, 0),
        at_end(on, 1),
        at_end(&r.outputs_only, 0),
        at_end(&r.outputs_only, 1),
        at_end(off, 0),
        at_end(off, 1)
    );
    let _ = writeln!(
        t,
        "   final best: both {}; outputs only {}; neither {}",
        list(&on.iter().map(final_best).collect::<Vec<_>>(), "{:.4}"),
        list(&r.outputs_only.iter().map(final_best).collect::<Vec<_>>(), "{:.4}"),
        list(&off.iter().map(final_best).collect::<Vec<_>>(), "{:.4}")
    );
    let _ = writeln!(
        t,
        "   deep basin found in: both {} of {n}; outputs only {} of {n}; neither {} of {n}",
        deep(on),
        deep(&r.outputs_only),
        deep(off)
    );
    let ratio = |runs: &[Run], k: usize| at_end(runs, k) / at_end(on, k);
    let shorter = (0..2).all(|k| ratio(&r.outputs_only, k) < 1.0);
    let longer = (0..2).all(|k| ratio(&r.outputs_only, k) > 1.0);
    let found = format!(
        "the loop found the deep basin in {} of {n} seeds, against {} with both transforms and {} \
         with neither",
        deep(&r.outputs_only),
        deep(on),
        deep(off)
    );
    let verdict = if shorter {
        format!(
            "with the outputs standardised the long lengthscales are gone — they come out shorter \
             even than the transformed model's (×{:.2}, ×{:.2}), so it was the fixed output scale \
             that made the untransformed model smooth. A likely reason they overshoot: the lengthscale \
             prior, set for the unit cube, now acts on x, whose box is 6 wide: it favours \
             lengthscales that are short for the box, a less confident model between its \
             observations. And {found}",
            ratio(&r.outputs_only, 0),
            ratio(&r.outputs_only, 1)
        )
    } else if longer {
        format!(
            "standardising the outputs alone leaves the lengthscales longer than the transformed \
             model's (×{:.2}, ×{:.2}): the inputs' units matter as well, through the lengthscale \
             prior set for the unit cube; {found}",
            ratio(&r.outputs_only, 0),
            ratio(&r.outputs_only, 1)
        )
    } else {
        format!(
            "standardising the outputs alone moves the lengthscales to either side of the \
             transformed model's (×{:.2}, ×{:.2}); {found}",
            ratio(&r.outputs_only, 0),
            ratio(&r.outputs_only, 1)
        )
    };
    let _ = writeln!(t, "   {verdict}.");
    // 4. Where the weak and the strong optimiser's evaluations went.
    let [weak, strong] = &r.runs[2];
    let near = |run: &Run, centre: [f64; 2]| steps_near(run, centre) as f64;
    let second = TwoBasins::LOCAL_MINIMA[0].0;
    let _ = writeln!(
        t,
        "4. Steps within 0.5 of each basin's minimum, per seed (of {STEPS})"
    );
    for (name, runs) in [("weak", weak), ("strong", strong)] {
        let _ = writeln!(
            t,
            "   {name:<6} second basin {}; deep basin {}",
            list(
                &runs.iter().map(|r| near(r, second)).collect::<Vec<_>>(),
                "{:.0}"
            ),
            list(
                &runs
                    .iter()
                    .map(|r| near(r, TwoBasins::MINIMISER))
                    .collect::<Vec<_>>(),
                "{:.0}"
            )
        );
    }
    let stuck: Vec<usize> =
        (0..strong.len()).filter(|&s| reached(&strong[s]).is_none()).collect();
    if !stuck.is_empty() {
        let at = |runs: &[Run]| -> f64 {
            let v: Vec<f64> =
                stuck.iter().map(|&s| near(&runs[s], second)).collect();
            quantile(&v, 0.5)
        };
        let (by_strong, by_weak) = (at(strong), at(weak));
        let weak_found =
            stuck.iter().filter(|&&s| reached(&weak[s]).is_some()).count();
        let reading = if by_strong >= by_weak + 5.0 && 2 * weak_found > stuck.len()
        {
            "Maximising LogEI faithfully, the strong optimiser kept choosing the basin the \
             model was surest of; the weak optimiser's misses of that maximum were steps \
             elsewhere, and here they found the deep basin."
        } else if (by_strong - by_weak).abs() < 5.0 {
            "The two spent those seeds alike: both kept choosing the basin the model was \
             surest of. The survey around the best hands even the weak optimiser \
             raw points beside the best observations, and the best raw point is \
             always one of its starts: where LogEI peaks next to the incumbent, three local \
             runs are about as likely as fifteen to find that peak."
        } else if by_weak > by_strong {
            "The weak optimiser stayed there longer still: a weaker maximiser of LogEI is not, \
             for that, a more exploratory one."
        } else {
            "The strong optimiser stayed there longer, but the weak one's misses of LogEI's \
             maximum did not reliably lead it to the deep basin either."
        };
        let _ = writeln!(
            t,
            "   In the {} seeds where the strong optimiser never found the deep basin, it spent a \
             median of {by_strong:.0} of {STEPS} steps near the second basin's minimum, the weak \
             one {by_weak:.0} with the same seeds, and the weak one found the deep basin in \
             {weak_found} of them. {reading}",
            stuck.len()
        );
    }
    t
}

/// Numbers in one format, space-separated.
fn list(v: &[f64], format: &str) -> String {
    v.iter()
        .map(|x| match format {
            "{:.4}" => format!("{x:.4}"),
            "{:.0}" => format!("{x:.0}"),
            _ => format!("{x:.2e}"),
        })
        .collect::<Vec<_>>()
        .join(" ")
}
