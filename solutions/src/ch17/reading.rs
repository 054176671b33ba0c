//! The sentences of chapter 17 that read the runs: generated from the numbers, so that a
//! different run changes the words with the numbers. Each returns Markdown for the chapter to
//! include in its prose.

use super::report::off_over_on;
use super::{final_best, reached, steps_near, Results, SECOND_BASIN};
use gradbo::test_functions::TwoBasins;
use gradbo_listings::ch17::choices::{Run, STEPS};
use gradbo_listings::ch17::evidence::{quantile, sign_test, Paired};

/// Final values closer than this count as ties (as in the verdicts).
const TIE: f64 = 1e-3;
/// A best value within this of the second basin's minimum is "at its floor".
const FLOOR: f64 = 0.01;
/// The sign test's threshold for calling a difference, as in the verdicts.
const ALPHA: f64 = 0.05;

/// "in every seed", "in none", "in half the seeds", "in k of n seeds".
fn count(k: usize, n: usize) -> String {
    match k {
        0 => "in none".into(),
        k if k == n => "in every seed".into(),
        k if 2 * k == n => "in half the seeds".into(),
        k => format!("in {k} of {n} seeds"),
    }
}

/// Seeds whose run found the deep basin.
fn found(runs: &[Run]) -> usize {
    runs.iter().filter(|r| reached(r).is_some()).count()
}

/// The median step at which the runs that found the deep basin found it.
fn found_median(runs: &[Run]) -> Option<f64> {
    let s: Vec<f64> = runs.iter().filter_map(reached).map(|s| s as f64).collect();
    (!s.is_empty()).then(|| quantile(&s, 0.5))
}

/// The first state at which the best value is at the second basin's floor or below
/// (`STEPS + 1` if never), per seed.
fn floor_steps(runs: &[Run]) -> Vec<f64> {
    runs.iter()
        .map(|r| {
            r.best_so_far()
                .iter()
                .position(|&b| b < SECOND_BASIN + FLOOR)
                .unwrap_or(STEPS + 1) as f64
        })
        .collect()
}

/// What the paired comparison supports: (first variant ended lower, second did, ties) and
/// the sign test's p, for the final values and for the steps to the deep basin.
struct Evidence {
    finals: (usize, usize, usize, f64),
    steps: (usize, usize, usize, f64),
}

fn evidence(runs: &[Vec<Run>; 2]) -> Evidence {
    let finals = Paired {
        names: ["A", "B"],
        values: [0, 1].map(|v| runs[v].iter().map(final_best).collect()),
        tie: TIE,
    };
    let steps = Paired {
        names: ["A", "B"],
        values: [0, 1].map(|v| {
            runs[v].iter().map(|r| reached(r).unwrap_or(STEPS + 1) as f64).collect()
        }),
        tie: 0.5,
    };
    let with_p = |(a, b, t): (usize, usize, usize)| (a, b, t, sign_test(a, b));
    Evidence { finals: with_p(finals.wins()), steps: with_p(steps.wins()) }
}

/// One sentence: which of the two measures the seeds separate.
fn separation(runs: &[Vec<Run>; 2]) -> String {
    let e = evidence(runs);
    let never = runs[0]
        .iter()
        .zip(&runs[1])
        .filter(|(a, b)| reached(a).is_none() && reached(b).is_none())
        .count();
    match (e.finals.3 < ALPHA, e.steps.3 < ALPHA) {
        (true, true) => {
            "Here the seeds support a difference in both the final values and the time taken."
                .into()
        }
        (true, false) => {
            let because = if never > 0 {
                format!(
                    ", because {} never got there either way and count as ties",
                    if never == 1 { "one seed".into() } else { format!("{never} seeds") }
                )
            } else {
                String::new()
            };
            format!(
                "The final values separate the two; the steps to the deep basin do not{because}."
            )
        }
        (false, true) => "The seeds support a difference in the time taken to reach the deep \
                          basin, not in the final values."
            .into(),
        (false, false) => {
            "These seeds separate the two neither in the final values nor in the time taken."
                .into()
        }
    }
}

/// ", in the median by step s" for the runs that found the deep basin.
fn by_step(runs: &[Run]) -> String {
    match found_median(runs) {
        Some(m) if found(runs) == runs.len() => {
            format!(", in the median by step {}", m.ceil())
        }
        Some(m) => format!(", by step {} in the median of those", m.ceil()),
        None => String::new(),
    }
}

/// ", and later" or ", and sooner" for the second variant, if both found the deep basin.
fn later(first: &[Run], second: &[Run]) -> &'static str {
    match (found_median(first), found_median(second)) {
        (Some(a), Some(b)) if b > a + 1.0 => ", and later",
        (Some(a), Some(b)) if b + 1.0 < a => ", and sooner",
        _ => "",
    }
}

/// Transforms on and off: how often each found the deep basin, where the runs without them
/// ended, and what the seeds separate.
pub fn transforms(runs: &[Vec<Run>; 2]) -> String {
    let [on, off] = runs;
    let n = on.len();
    let mut t = format!(
        "With the transforms the loop found the deep basin {}; without them, {}",
        count(found(on), n),
        count(found(off), n)
    );
    let at_floor = off.iter().all(|r| final_best(r) < SECOND_BASIN + FLOOR);
    if found(off) == 0 && at_floor {
        t.push_str(
            ": every run without them ended at or near the second basin's floor",
        );
        let (a, b) =
            (quantile(&floor_steps(on), 0.5), quantile(&floor_steps(off), 0.5));
        if b > a + 1.0 {
            t.push_str(
                ", which it was also slower to reach (the figure's left panel)",
            );
        }
    }
    t.push_str(". ");
    t.push_str(&separation(runs));
    t
}

/// The hyperparameter table read: what is left of the lengthscales' difference in common
/// units, and what the fixed output scale has to do with it. `ratio` is off/on in the data's
/// units at the last step, `scale` the output scale over the outputs' variance at the first
/// fit.
pub fn hyperparameters(
    runs: &[Vec<Run>; 2],
    ratio: [f64; 2],
    scale: f64,
) -> String {
    let units = "First, units: a lengthscale in $x$ is the box width, 6, times the same \
                 lengthscale in normalised units, so even an identical model would show numbers \
                 six times larger.";
    let mut t = if ratio.iter().all(|&q| q > 1.1) {
        format!(
            "The untransformed lengthscales are larger for two reasons, and the table separates \
             them. {units} Second, a real difference: in the same units ($x$), the last line but \
             one compares them, and the untransformed model's lengthscales are still longer, by \
             a factor of {:.1} in $x_1$ and {:.1} in $x_2$. With its prior variance fixed {scale:.0} \
             times above the data's, the model can only explain the observations' small \
             differences as a slow part of a large variation — a smooth, long-lengthscale \
             surface. A smoother model is more confident between its observations, so LogEI has \
             less uncertainty to reward away from them, and the loop lingers in the first basin \
             it finds.",
            ratio[0], ratio[1]
        )
    } else {
        format!(
            "The untransformed lengthscales look larger, but mostly for a reason of units. \
             {units} In the same units ($x$), the last line but one compares them, and there \
             the two models differ by a factor of {:.1} in $x_1$ and {:.1} in $x_2$ only: here \
             the prior variance, fixed {scale:.0} times above the data's, did not make the \
             untransformed model markedly smoother.",
            ratio[0], ratio[1]
        )
    };
    let [on, off] = runs;
    if found(off) < found(on) {
        t.push_str(
            " That reading fits what the runs did; the exercise on the noise floor below tests \
             a related one.",
        );
    } else {
        t.push_str(
            " The runs above do not show the untransformed loop lingering more; the exercise on \
             the noise floor below tests a related reading.",
        );
    }
    t
}

/// Noise in the initial design, with the default amplitude's count (the transforms-on
/// runs) set beside the two.
pub fn noise(runs: &[Vec<Run>; 2], default: &[Run]) -> String {
    let [quiet, noisy] = runs;
    let n = quiet.len();
    let mut t = format!(
        "With the quieter design the loop found the deep basin {}{}; with the noisier one, {}{}. ",
        count(found(quiet), n),
        by_step(quiet),
        count(found(noisy), n),
        later(quiet, noisy)
    );
    t.push_str(&separation(runs));
    let (lo, hi) = (found(quiet).min(found(noisy)), found(quiet).max(found(noisy)));
    let k = found(default);
    let _ = std::fmt::Write::write_fmt(
        &mut t,
        format_args!(
            " Chapter 16's amplitude, $0.03\\,U$, the default of the other comparisons, lies \
             between the two{}: the transforms-on runs above found the deep basin {}.",
            if (lo..=hi).contains(&k) { ", and so does its count" } else { "; its count does not" },
            count(k, n)
        ),
    );
    t
}

/// The first sentence of the paragraph that reads the noise comparison.
pub fn noise_why(runs: &[Vec<Run>; 2]) -> String {
    let e = evidence(runs);
    let quiet_better = (e.finals.3 < ALPHA && e.finals.0 > e.finals.1)
        || (e.steps.3 < ALPHA && e.steps.0 > e.steps.1);
    if quiet_better {
        "That fifty exact evaluations do not wash out six noisy ones is less surprising than it \
         looks."
            .into()
    } else {
        "These seeds do not show the noisier design costing the loop, but fifty exact \
         evaluations need not wash out six noisy ones."
            .into()
    }
}

/// The weak and the strong acquisition optimiser.
pub fn effort(runs: &[Vec<Run>; 2], names: [&str; 2]) -> String {
    let [weak, strong] = runs;
    let n = weak.len();
    let e = evidence(runs);
    let mut t = match (e.finals.3 < ALPHA, e.finals.0 > e.finals.1) {
        (false, _) => "Neither optimiser did clearly better. ".to_string(),
        (true, true) => format!("The {} optimiser did better. ", names[0]),
        (true, false) => format!("The {} optimiser did better. ", names[1]),
    };
    let floor = |r: &[Run]| quantile(&floor_steps(r), 0.5);
    let both_floor = floor(weak) <= 5.0 && floor(strong) <= 5.0;
    let finals = |r: &[Run]| -> f64 {
        quantile(&r.iter().map(final_best).collect::<Vec<_>>(), 0.5)
    };
    let both_stayed = 2 * found(weak) < n && 2 * found(strong) < n;
    if both_floor && both_stayed {
        t.push_str(
            "Both reached the second basin's floor within a few steps and mostly stayed there: ",
        );
    } else if both_floor {
        t.push_str("Both reached the second basin's floor within a few steps: ");
    }
    let same_median = (finals(weak) - finals(strong)).abs() < TIE;
    let _ = std::fmt::Write::write_fmt(
        &mut t,
        format_args!(
            "the weak one found the deep basin {}, the strong one {}, and they ended tied within \
             a thousandth {}{}.",
            count(found(weak), n),
            count(found(strong), n),
            count(e.finals.2, n),
            if same_median { ", at the same median" } else { "" }
        ),
    );
    t
}

/// With and without the survey around the best observations (`runs[0]` with it).
pub fn around_best(runs: &[Vec<Run>; 2]) -> String {
    let [around, sobol] = runs;
    let n = around.len();
    let second = TwoBasins::LOCAL_MINIMA[0].0;
    let near = |r: &[Run]| {
        quantile(
            &r.iter().map(|r| steps_near(r, second) as f64).collect::<Vec<_>>(),
            0.5,
        )
    };
    let mut t = format!(
        "Surveying its Sobol points alone, the loop found the deep basin {}; surveying beside \
         the best as well, {}, and in the median it spent {} of its {STEPS} steps near the second \
         basin's minimum, against {}.",
        count(found(sobol), n),
        count(found(around), n),
        near(around),
        near(sobol)
    );
    let only_sobol = around
        .iter()
        .zip(sobol)
        .filter(|(a, s)| reached(a).is_none() && reached(s).is_some())
        .count();
    let only_around = around
        .iter()
        .zip(sobol)
        .filter(|(a, s)| reached(a).is_some() && reached(s).is_none())
        .count();
    let m = only_sobol + only_around;
    let e = evidence(runs);
    let verdicts = if e.finals.3 < ALPHA || e.steps.3 < ALPHA {
        "and the verdicts, which also count the seeds where both got there, call it a difference"
    } else {
        "and the verdicts, which also count the seeds where both got there, stop short of \
         calling it a difference"
    };
    let p = sign_test(only_sobol, only_around);
    if m > 0 && only_around == 0 {
        let _ = std::fmt::Write::write_fmt(
            &mut t,
            format_args!(
                " In each of the {m} seeds where only one of the two found the deep basin, it \
                 was the Sobol survey alone; {m} to none is, by the sign test, $p = {p:.2}$, \
                 {verdicts}."
            ),
        );
    } else if m > 0 {
        let _ = std::fmt::Write::write_fmt(
            &mut t,
            format_args!(
                " Of the {m} seeds where only one of the two found the deep basin, the Sobol \
                 survey alone found it in {only_sobol}, the survey beside the best in \
                 {only_around}; by the sign test $p = {p:.2}$, {verdicts}."
            ),
        );
    }
    if only_sobol > only_around {
        t.push_str(
            " The reading is the one this section began with: a survey of 50 Sobol points over \
             the box now and then misses LogEI's narrow peak beside the incumbent, the local \
             runs then end on a lesser maximum elsewhere, and that accidental exploration step, \
             on this surface, pays.",
        );
    } else {
        t.push_str(
            " A survey of 50 Sobol points over the box now and then misses LogEI's narrow peak \
             beside the incumbent, and the local runs then end on a lesser maximum elsewhere; \
             on these seeds those accidental exploration steps did not pay.",
        );
    }
    t
}

/// The two initial designs, and the clustered one set beside Chapter 16's.
pub fn design(runs: &[Vec<Run>; 2], default: &[Run]) -> String {
    let [spread, clustered] = runs;
    let n = spread.len();
    let e = evidence(runs);
    let mut t = match (
        e.finals.3 < ALPHA,
        e.steps.3 < ALPHA && e.steps.0 > e.steps.1,
    ) {
        (false, true) => "A good design buys time. ".to_string(),
        (true, _) if e.finals.0 > e.finals.1 => {
            "Here the space-filling design changed the outcome, not just the time. "
                .to_string()
        }
        _ => "Here the seeds do not show the space-filling design buying time. "
            .to_string(),
    };
    let steps: Vec<usize> = clustered.iter().filter_map(reached).collect();
    let k = found(clustered);
    let range = match (steps.iter().min(), steps.iter().max()) {
        (Some(a), Some(b)) if a == b => format!(", after {a} steps"),
        (Some(a), Some(b)) => format!(", after {a} to {b} steps"),
        _ => String::new(),
    };
    let did = match k {
        0 => "and never did".to_string(),
        k if k == n => format!("and did, in every seed{range}"),
        k => format!("and did in {k} of {n} seeds{range}"),
    };
    let _ = std::fmt::Write::write_fmt(
        &mut t,
        format_args!(
            "The clustered runs had to find the deep basin themselves, {did}; after {STEPS} \
             steps, the two designs end tied within a thousandth {}.",
            count(e.finals.2, n)
        ),
    );
    let d = found(default);
    if k > d {
        let _ = std::fmt::Write::write_fmt(
            &mut t,
            format_args!(
                " That the loop found the deep basin from the clustered design {}, but from \
                 Chapter 16's design {}, is a difference these runs do not explain.",
                count(k, n),
                if d == 0 { "never".to_string() } else { format!("only {}", count(d, n)) }
            ),
        );
    }
    t
}

/// The take-away points that rest on the runs, one per comparison.
pub fn takeaways(r: &Results) -> [(&'static str, String); 4] {
    let n = r.runs[0][0].len();
    let [on, off] = &r.runs[0];
    let model = if off_over_on(&r.runs[0]).iter().all(|&q| q > 1.1) {
        "longer lengthscales in the data's units, partly because of the units and partly \
         because the fixed prior variance no longer matches the data."
    } else {
        "lengthscales in the data's units that differ from the transformed model's mostly by \
         the change of units."
    };
    let transforms = format!(
        "{model} On this problem the loop found the deep basin {} with them and {} without them.",
        count(found(on), n),
        count(found(off), n)
    );
    let [quiet, noisy] = &r.runs[1];
    let noise = format!(
        "here the loop found the deep basin {} from the quieter design and {} from the noisier \
         one.",
        count(found(quiet), n),
        count(found(noisy), n)
    );
    let (around, sobol) = (found(on), found(&r.sobol_only));
    let pair = [on.clone(), r.sobol_only.clone()];
    let e = evidence(&pair);
    let settled = e.finals.3 < ALPHA || e.steps.3 < ALPHA;
    let effort = if sobol > around {
        format!(
            "on this surface the loop found the deep basin {} with that survey and {} \
             without it: a lean towards the basin it had found, {}.",
            count(around, n),
            count(sobol, n),
            if settled {
                "which the verdicts above support"
            } else {
                "which ten seeds do not establish (see the verdicts above)"
            }
        )
    } else {
        format!(
            "on this surface the loop found the deep basin {} with that survey and {} \
             without it.",
            count(around, n),
            count(sobol, n)
        )
    };
    let e = evidence(&r.runs[3]);
    let sooner = e.steps.3 < ALPHA && e.steps.0 > e.steps.1;
    let design = match (e.finals.3 < ALPHA && e.finals.0 > e.finals.1, sooner) {
        (false, true) => "A space-filling design mainly bought speed here.",
        (true, _) => {
            "A space-filling design changed the outcome here, not just the speed."
        }
        _ => "A space-filling design bought nothing these seeds can show, here.",
    };
    [
        ("takeaway-transforms", transforms),
        ("takeaway-noise", noise),
        ("takeaway-effort", effort),
        ("takeaway-design", design.to_string()),
    ]
}
