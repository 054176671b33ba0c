//! The sentences of chapter 16 that read its runs, generated from them so that a different
//! run changes the words with the numbers. Each returns Markdown for the chapter's prose.

use super::report::{band, basin_counts, best_curve, second_floor_regret, within};
use super::{Worked, BUDGET, LONG, SEEDS, SHORT};
use gradbo::test_functions::TwoBasins;
use std::fmt::Write as _;

/// Small counts in words, as the prose writes them.
fn words(n: usize) -> String {
    const W: [&str; 11] = [
        "no", "one", "two", "three", "four", "five", "six", "seven", "eight",
        "nine", "ten",
    ];
    W.get(n).map_or_else(|| n.to_string(), |w| (*w).to_string())
}

/// "in every seed", "in none", "in k of n seeds".
fn count(k: usize, n: usize) -> String {
    match k {
        0 => "in none".into(),
        k if k == n => "in every seed".into(),
        k if 2 * k > n && k + 2 >= n => "in most seeds".into(),
        k => format!("in {} seeds of {}", words(k), words(n)),
    }
}

/// Where a 1-D candidate lies: the narrow dip, the right-hand basin, an edge of the box.
fn place(w: &Worked, x: f64) -> &'static str {
    let dip = w.one_d.f.minimiser();
    let right = w.one_d.f.local_minima()[4].0;
    if (x - dip).abs() < 0.25 {
        "the narrow dip"
    } else if (x - right).abs() < 0.4 {
        "the right-hand basin"
    } else if x.abs() > 2.5 {
        "the edges of the box"
    } else {
        "the slopes between the basins"
    }
}

/// Where the 1-D run's evaluations went, in order, and how its LogEI values moved.
pub fn one_d(w: &Worked) -> String {
    let h = &w.history;
    // The evaluated candidates: every state's but the last.
    let places: Vec<&str> =
        h[..h.len() - 1].iter().map(|s| place(w, s.candidate[0])).collect();
    let mut runs: Vec<(&str, usize)> = Vec::new();
    for p in &places {
        match runs.last_mut() {
            Some((q, n)) if q == p => *n += 1,
            _ => runs.push((p, 1)),
        }
    }
    let mut seen = Vec::new();
    let parts: Vec<String> = runs
        .iter()
        .enumerate()
        .map(|(k, (p, n))| {
            let step = if *n == 1 { "step goes" } else { "steps go" };
            let again = if seen.contains(p) { "back " } else { "" };
            seen.push(*p);
            let to = if *p == "the narrow dip" { "into" } else { "to" };
            let which = match k {
                0 if runs.len() == 1 => format!("all {} {step}", words(*n)),
                0 => format!("the first {} {step}", words(*n)),
                k if k + 1 == runs.len() => {
                    format!("the last {} {step}", words(*n))
                }
                _ => format!("the next {} {step}", words(*n)),
            };
            let which = which
                .replace("the first one step goes", "the first step goes")
                .replace("the last one step goes", "the last step goes");
            format!("{which} {again}{to} {p}")
        })
        .collect();
    let joined = match parts.len() {
        1 => parts[0].clone(),
        n => format!("{}, and {}", parts[..n - 1].join(", "), parts[n - 1]),
    };
    let refine = match runs.last() {
        Some((p, _)) if *p == "the narrow dip" && runs.len() > 1 => {
            ", to refine the minimum"
        }
        _ => "",
    };
    let explored = places.iter().any(|p| *p != "the narrow dip");
    let exploited = places.contains(&"the narrow dip");
    let both = if explored && exploited {
        "The run above does both: "
    } else {
        "In the run above "
    };
    format!("{both}{joined}{refine}.")
}

/// The LogEI values of the 1-D run, first state against last.
pub fn one_d_logei(w: &Worked) -> String {
    let h = &w.history;
    let (first, last) = (h[0].acquisition_value, h[h.len() - 1].acquisition_value);
    if last < first {
        format!(
            "what matters is that on the whole they fall as the loop runs, from {first:.2} at \
             the first state to {last:.2} at the last, as the expected improvement anywhere \
             shrinks."
        )
    } else {
        format!(
            "they do not fall in this run ({first:.2} at the first state, {last:.2} at the \
             last): the last model still sees room for improvement somewhere."
        )
    }
}

/// The refitted lengthscale of the library's run, first ask against last.
pub fn lengthscales(w: &Worked) -> String {
    let h = w.optimizer.history();
    let l = |k: usize| h[k].hyperparameters.lengthscales[0];
    let (first, last) = (l(0), l(h.len() - 1));
    let how = if last > 1.2 * first {
        "grows"
    } else if last < first / 1.2 {
        "shrinks"
    } else {
        "moves"
    };
    format!(
        "The lengthscale column is the refit at work: the estimate is redone at every ask, and it \
         {how} from {first:.2} to {last:.2} in units of $x$ as the loop adds points."
    )
}

/// Why the 10-step run went where it did.
pub fn basins(w: &Worked) -> String {
    let (deep, second, elsewhere) = basin_counts(w, &w.short);
    let last = &w.short[SHORT];
    let edges = last
        .x
        .rows()
        .into_iter()
        .skip(6)
        .filter(|r| r.iter().any(|v| v.abs() > 2.5))
        .count();
    let mut t =
        String::from("LogEI rewards both a low mean and a large uncertainty");
    if second > deep {
        t.push_str(", and near the incumbent the mean is low enough to win");
    } else {
        t.push_str(
            ", and here the exploring steps found the deep basin all the same",
        );
    }
    if elsewhere > 0 && 2 * edges >= elsewhere {
        t.push_str(
            "; the exploring steps go where the uncertainty is largest, which on a box with six \
             points is at its edges and corners",
        );
        if deep == 0 {
            t.push_str(", far from the deep basin too");
        }
    }
    t.push('.');
    t
}

/// The stages of the 100-step run.
pub fn long_run(w: &Worked) -> String {
    let last = &w.long[LONG];
    let floor = TwoBasins::LOCAL_MINIMA[0].1;
    let best = best_curve(&last.y);
    let (deep, second, _) = basin_counts(w, &w.long);
    let first_below = (6..last.y.len()).find(|&i| last.y[i] < floor).map(|i| i - 5);
    let close = (5..best.len())
        .find(|&i| best[i] - TwoBasins::MINIMUM < 0.01)
        .map(|i| i - 5);
    let first_deep = super::report::first_deep(w, &w.long);
    let mut t = String::from(
        "Read together, the table and the figure show the run's stages. ",
    );
    match first_below {
        Some(e) => {
            let _ = write!(
                t,
                "For the first {} evaluations the best-so-far curve stays at or above the second \
                 basin's value while the model learns that basin in detail and probes the edges \
                 of the box; points at $\\pm 3$ are a feature of expected improvement on a box, \
                 where the uncertainty is largest. ",
                e - 1
            );
            if first_deep.is_some_and(|d| d < e) {
                t.push_str(
                    "Points on the deep basin's slopes are not enough to move the search: as \
                     long as they are higher than the incumbent, the model reads them as a \
                     region of high values. ",
                );
            }
            let _ = write!(
                t,
                "The turn comes at evaluation {e}, when one of them beats the second basin's \
                 minimum. The incumbent then lies in the deep basin, expected improvement \
                 concentrates there"
            );
            match close {
                Some(c) if c > e => {
                    let _ = write!(
                        t,
                        ", and {} evaluations later the best-so-far curve is within 0.01 of $F^*$",
                        c - e
                    );
                }
                Some(_) => t.push_str(", and the best-so-far curve is at once within 0.01 of $F^*$"),
                None => t.push_str(", though the best-so-far curve never comes within 0.01 of $F^*$"),
            }
            let _ = write!(
                t,
                ". After that the loop alternates between refining the minimum and exploring what \
                 remains uncertain: of its {LONG} points, {deep} lie in the deep basin and \
                 {second} in the second."
            );
        }
        None => {
            let _ = write!(
                t,
                "In all {LONG} evaluations the best-so-far curve never goes below the second \
                 basin's value: the model learns that basin in detail and probes the edges of \
                 the box, where the uncertainty is largest, and {} of its points lie in the deep \
                 basin, none of them lower than the incumbent.",
                deep
            );
        }
    }
    t
}

/// What the seeds study shows, and what it does not.
pub fn seeds(w: &Worked) -> String {
    let n = (SEEDS.end - SEEDS.start) as usize;
    let firsts: Vec<(usize, usize)> = w
        .study_runs
        .iter()
        .map(|h| {
            let (d, s, _) = basin_counts(w, &h[..=SHORT]);
            (d, s)
        })
        .collect();
    let mostly_second = firsts.iter().filter(|(_, s)| 2 * s > SHORT).count();
    let no_deep = firsts.iter().filter(|(d, _)| *d == 0).count();
    let mut t = String::new();
    if mostly_second == n {
        let _ = write!(
            t,
            "On this surface, from this design, the loop's first decisions are nearly the same \
             whatever the seed: the last line but one of the table shows that in every seed its \
             first {SHORT} points went mostly to the second basin{}.",
            if no_deep == n { ", and none to the deep one" } else { "" }
        );
    } else {
        let _ = write!(
            t,
            "The last line but one of the table shows where each seed's first {SHORT} points \
             went: mostly to the second basin {}, and to the deep one not at all {}.",
            count(mostly_second, n),
            count(no_deep, n)
        );
    }
    // The loop's regret against the baselines' over the first few evaluations.
    let early = |m: usize, k: usize| band(&w.curves[m], k);
    let fastest = (1..3).all(|m| early(0, 4).1 < early(m, 4).1);
    let narrow = early(0, 8).2 - early(0, 8).0 < 0.01;
    // A seed "stays" if its best never went below the second basin's floor (a line of the
    // table counts them).
    let below = |m: usize| within(&w.curves[m], second_floor_regret());
    let stayed = n - below(0);
    t.push(' ');
    if fastest {
        t.push_str("It finds the second basin's floor quickly — its regret falls fastest over the first few evaluations");
        if narrow {
            t.push_str(", with a band so narrow that the seeds barely differ");
        }
        t.push_str(" — and then");
    } else {
        t.push_str("It reaches the second basin's floor, and then");
    }
    if stayed > 0 {
        let _ = write!(
            t,
            ", {}, stays there: to a model whose only low values are in the second basin, the \
             best use of an evaluation really does look like that basin.",
            count(stayed, n)
        );
    } else {
        t.push_str(
            ", in every seed, leaves it for the deep basin within the budget.",
        );
    }
    let _ = write!(
        t,
        " The baselines know nothing and so are not misled: every random or Sobol point has the \
         same small chance of landing on the slope of the deep basin, and over {BUDGET} of them, \
         as the line under the quartiles counts, \
         random search got below the second basin's floor {} and the Sobol design {}, against \
         {} for the loop.",
        count(below(1), n),
        match below(2) {
            0 => "in none".to_string(),
            k if k == n => "in every seed".to_string(),
            k => format!("in {}", words(k)),
        },
        match below(0) {
            0 => "none".to_string(),
            k if k == n => "every seed".to_string(),
            k => words(k),
        }
    );
    let long_left = best_curve(&w.long[LONG].y)
        .last()
        .is_some_and(|&b| b < TwoBasins::LOCAL_MINIMA[0].1);
    if long_left {
        t.push_str(" The 100-step run shows the loop does leave the second basin eventually");
        if 2 * below(0) < n {
            let _ = write!(
                t,
                "; the study shows that {BUDGET} evaluations from this design are not enough for \
                 it to do so reliably."
            );
        } else {
            t.push('.');
        }
    }
    t
}

/// The moral of the study, for the loop's median against the baselines'.
pub fn moral(w: &Worked) -> String {
    let bo = band(&w.curves[0], BUDGET).1;
    let better = (1..3).all(|m| bo < band(&w.curves[m], BUDGET).1);
    if better {
        "Nor does this say that Bayesian optimisation always beats random search. From this \
         design and with this budget it did, over these seeds; a single run could not have told \
         that apart from luck in either direction."
            .into()
    } else {
        "None of this says that Bayesian optimisation is worse than random search. It says that \
         a greedy-leaning acquisition function, started from a design whose best point sits in \
         the wrong basin, pays for its early confidence, and that a single run cannot tell that \
         apart from luck in either direction."
            .into()
    }
}
