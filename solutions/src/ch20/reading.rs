//! Sentences generated from the runs, so that the chapter never types a seed-dependent
//! number into prose.

use super::report::found;
use super::SEED_ATTEMPTS;
use gradbo_listings::ch20::loops::{Run, ATTEMPTS, N_INIT, STEPS};

fn count(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

/// What the forty attempts of the repair-aware loop achieved, and whether the comparison's
/// three attempts choose as they did on the chapter's seed.
pub fn attempts(full: &Run, short: &Run) -> String {
    let first = full.accepted_attempt.iter().filter(|a| **a == Some(0)).count();
    let later = full
        .accepted_attempt
        .iter()
        .filter(|a| matches!(a, Some(k) if *k > 0))
        .count();
    let fallback = full.fallbacks;
    let rejected: usize = full.rejections.iter().sum();
    let mut s = format!(
        "> With {ATTEMPTS} attempts per step, the first maximisation of LogEI proposed a new \
         experiment in {} of the {STEPS} steps and a later attempt in {}; in {} all {ATTEMPTS} \
         proposals repaired to experiments already run and a Sobol point supplied the \
         experiment. In all, {} were rejected.",
        first,
        later,
        count(fallback, "step", "steps"),
        count(rejected, "proposal", "proposals")
    );
    let same =
        full.designs.iter().zip(&short.designs).all(|(a, b)| a.key() == b.key());
    if later == 0 && same {
        s.push_str(&format!(
            " No attempt after the first ever succeeded, so the loop with {SEED_ATTEMPTS} \
             attempts per step chooses exactly the same {STEPS} experiments on this seed, at a \
             fraction of the cost: the comparison over seeds below uses it."
        ));
    } else if same {
        s.push_str(&format!(
            " The loop with {SEED_ATTEMPTS} attempts per step chooses the same {STEPS} \
             experiments on this seed: the comparison over seeds below uses it."
        ));
    } else {
        s.push_str(&format!(
            " The loop with {SEED_ATTEMPTS} attempts per step chooses differently on this seed; \
             the comparison over seeds below uses it all the same, and its repair-aware row \
             stands for that cheaper loop."
        ));
    }
    s.push('\n');
    s
}

/// What the comparison over seeds supports.
pub fn seeds(all: &[Vec<Run>; 3]) -> String {
    let [naive, aware, mixed] = all;
    let n = mixed.len();
    let found_in = |runs: &[Run]| runs.iter().filter(|r| found(r)).count();
    let at_least = |other: &[Run]| {
        mixed
            .iter()
            .zip(other)
            .filter(|(m, o)| m.best[STEPS] >= o.best[STEPS] - 1e-9)
            .count()
    };
    let strictly = |other: &[Run]| {
        mixed
            .iter()
            .zip(other)
            .filter(|(m, o)| m.best[STEPS] > o.best[STEPS] + 1e-9)
            .count()
    };
    let mut s = format!(
        "> Over {n} seeds the mixed-space loop found the optimum in {} runs, the repair-aware \
         latent loop in {} and the naive latent loop in {}. Seed by seed, the mixed-space \
         loop ended at least as high as the repair-aware loop in {} of {n} (higher in {}) and \
         at least as high as the naive loop in {} of {n} (higher in {}).",
        found_in(mixed),
        found_in(aware),
        found_in(naive),
        at_least(aware),
        strictly(aware),
        at_least(naive),
        strictly(naive)
    );
    let wins = strictly(aware).min(strictly(naive));
    let losses = (n - at_least(aware)) + (n - at_least(naive));
    if at_least(aware) == n && at_least(naive) == n && wins >= n / 2 {
        s.push_str(
            " On this problem the evidence supports the claim that modelling the experiments \
             themselves beats searching the latent cube; with ten seeds of one problem it says \
             nothing about problems whose feasible set is too large to list.",
        );
    } else if losses == 0 {
        s.push_str(
            " The mixed-space loop never ended lower, but it did not end higher often enough \
             for ten seeds to establish that it is better.",
        );
    } else {
        s.push_str(
            " The runs disagree: ten seeds do not establish that one approach is better on this \
             problem.",
        );
    }
    let aware_distinct =
        aware.iter().all(|r| r.distinct_accepted().last() == Some(&STEPS));
    let naive_repeats = naive
        .iter()
        .filter(|r| r.distinct_accepted().last() < Some(&STEPS))
        .count();
    s.push_str(&format!(
        " Every repair-aware run{} spent its {STEPS} evaluations on {STEPS} distinct \
         experiments; {} of the naive runs repeated at least one.\n",
        if aware_distinct { "" } else { " but some" },
        naive_repeats
    ));
    s
}

/// How the mixed loop with a continuous search in each window compares with the mixed loop
/// over the feasible set (`discrete`), seed by seed.
pub fn continuous(discrete: &[Run], continuous: &[Run]) -> String {
    let n = continuous.len();
    let found_in = |runs: &[Run]| runs.iter().filter(|r| found(r)).count();
    let (mut higher, mut lower) = (0, 0);
    for (c, d) in continuous.iter().zip(discrete) {
        if c.best[STEPS] > d.best[STEPS] + 1e-9 {
            higher += 1;
        } else if c.best[STEPS] < d.best[STEPS] - 1e-9 {
            lower += 1;
        }
    }
    // Evaluations after the design of an experiment already run.
    let repeats = |r: &Run| {
        let mut seen = std::collections::BTreeSet::new();
        r.designs
            .iter()
            .enumerate()
            .filter(|(i, d)| !seen.insert(d.key()) && *i >= N_INIT)
            .count()
    };
    let repeated: Vec<usize> = continuous.iter().map(repeats).collect();
    let with_repeats = repeated.iter().filter(|&&k| k > 0).count();
    let total: usize = repeated.iter().sum();
    format!(
        "> The continuous search in each window found the optimum in {} of {n} runs, the search \
         over the feasible set in {}. Seed by seed it ended higher in {higher}, lower in \
         {lower} and level in {}. {with_repeats} of its {n} runs repeated an experiment, {total} \
         evaluations in all: a continuous proposal snapped to the grids can land on an \
         experiment already run, which the search over the feasible set leaves out.\n",
        found_in(continuous),
        found_in(discrete),
        n - higher - lower,
    )
}

/// Where the latent loops' runs ended: their most common best experiment.
pub fn landing(all: &[Vec<Run>; 3]) -> String {
    use std::collections::BTreeMap;
    let mut counts: BTreeMap<_, usize> = BTreeMap::new();
    let mut total = 0;
    for runs in &all[..2] {
        for r in runs {
            *counts.entry(r.designs[r.best_index()].key()).or_default() += 1;
            total += 1;
        }
    }
    let Some((key, n)) = counts.iter().max_by_key(|(_, n)| **n) else {
        return String::new();
    };
    let score =
        gradbo::test_functions::catalyst::score(&key.design()).unwrap_or(f64::NAN);
    format!(
        "> Of the {total} latent runs (naive and repair-aware), {n} ended with {key} as their \
         best experiment, scoring {score:.6}; {} distinct experiments were the best of some \
         latent run.\n",
        counts.len()
    )
}

/// Exercise 3's reading: one-hot against ordinal.
pub fn ordinal(one_hot: &[Run], ordinal: &[Run]) -> String {
    let found_in = |runs: &[Run]| runs.iter().filter(|r| found(r)).count();
    let (a, b) = (found_in(one_hot), found_in(ordinal));
    let n = one_hot.len();
    let verdict = if a == b {
        "no difference on these seeds"
    } else if b < a {
        "the ordinal encoding did worse on these seeds"
    } else {
        "the ordinal encoding did better on these seeds"
    };
    format!(
        "> With one-hot columns the mixed loop ended at the optimum in {a} of {n} seeds; with \
         the solvent as one ordered number, in {b} of {n}: {verdict}.\n"
    )
}
