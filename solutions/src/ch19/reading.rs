//! Sentences that read the chapter's runs: round-efficiency against evaluation-efficiency
//! for the batch sizes, and what the strategies' results support.

use super::{
    best_after, best_within, geometry_of, quartiles, Results, Q_SIZES, SEEDS,
};
use gradbo_listings::ch19::batch_loop::{Run, N_INIT, ROUNDS};

/// Seeds (paired by index) where `a` is lower than `b`.
fn wins(a: &[f64], b: &[f64]) -> usize {
    a.iter().zip(b).filter(|(x, y)| x < y).count()
}

/// Whether the quartile ranges of two samples are disjoint.
fn separated(a: &[f64], b: &[f64]) -> bool {
    let (qa, qb) = (quartiles(a), quartiles(b));
    qa[2] < qb[1] || qb[2] < qa[1]
}

fn finals(runs: &[Run]) -> Vec<f64> {
    runs.iter().map(|r| best_after(r, ROUNDS)).collect()
}

/// The evaluations at which every batch size is compared: q = 1's whole run.
pub fn common_budget() -> usize {
    N_INIT + ROUNDS * Q_SIZES[0]
}

/// The batch sizes read per round and per evaluation.
pub fn batch_sizes(r: &Results) -> String {
    let n = SEEDS.len();
    let small = &r.by_q[0];
    let large = &r.by_q[Q_SIZES.len() - 1];
    let (q_small, q_large) = (Q_SIZES[0], Q_SIZES[Q_SIZES.len() - 1]);
    let (fs, fl) = (finals(small), finals(large));
    let round_wins = wins(&fl, &fs);
    let budget = common_budget();
    let at = |runs: &[Run]| -> Vec<f64> {
        runs.iter().map(|run| best_within(run, budget)).collect()
    };
    let (es, el) = (at(small), at(large));
    let eval_wins = wins(&es, &el);
    let medians: Vec<String> = r
        .by_q
        .iter()
        .zip(&Q_SIZES)
        .map(|(runs, q)| format!("{:.1} (q = {q})", quartiles(&at(runs))[0]))
        .collect();
    let per_round = if round_wins * 5 >= n * 4 {
        "per round, larger batches are clearly ahead"
    } else if round_wins * 2 > n {
        "per round, larger batches are ahead more often than not"
    } else {
        "per round, these seeds do not put larger batches ahead"
    };
    let per_eval = if eval_wins * 5 >= n * 4 {
        "per evaluation the order turns round: one point per round is ahead"
    } else if eval_wins * 2 > n {
        "per evaluation one point per round is ahead more often than not"
    } else {
        "per evaluation the batches lose little or nothing"
    };
    let conclusion = match (round_wins * 2 > n, eval_wins * 2 > n) {
        (true, true) => {
            "So these runs support round-efficiency — fewer rounds, which is what parallel \
             experiments buy when a round takes a day — and not evaluation-efficiency: a batch \
             spends more experiments for the same progress."
        }
        (true, false) => {
            "So these runs support round-efficiency, and here the batches paid little or \
             nothing for it in evaluations."
        }
        (false, true) => {
            "So in these runs the batches bought neither fewer rounds nor fewer evaluations."
        }
        (false, false) => {
            "So these runs separate the batch sizes neither by round nor by evaluation."
        }
    };
    format!(
        "After {ROUNDS} rounds q = {q_large} ended below q = {q_small} in {round_wins} of {n} \
         seeds (medians {:.1} and {:.1}): {per_round}. Counted by evaluations, at the {budget} \
         that q = {q_small} spends in all, the medians are {}, and q = {q_small} is below \
         q = {q_large} in {eval_wins} of {n} seeds: {per_eval}. {conclusion} Five seeds are \
         few: a sign test on five pairs cannot reach 5 % (five wins of five give p = 0.0625), \
         so these are tendencies, not established differences.",
        quartiles(&fl)[0],
        quartiles(&fs)[0],
        medians.join(", "),
    )
}

/// The strategies read: spread, and whether the final bests are separated.
pub fn strategies(r: &Results) -> String {
    let names = [
        "joint qLogEI",
        "the believer alone",
        "the exclusion rule",
        "the inclusion rule",
    ];
    let all_finals: Vec<Vec<f64>> =
        r.by_strategy.iter().map(|runs| finals(runs)).collect();
    let spread: Vec<f64> = r
        .by_strategy
        .iter()
        .map(|runs| {
            let v: Vec<f64> = runs
                .iter()
                .flat_map(|run| (1..=ROUNDS).map(move |k| geometry_of(run, k)[0]))
                .collect();
            quartiles(&v)[0]
        })
        .collect();
    let mut pairs = Vec::new();
    for i in 0..names.len() {
        for j in i + 1..names.len() {
            if separated(&all_finals[i], &all_finals[j]) {
                pairs.push(format!("{} against {}", names[i], names[j]));
            }
        }
    }
    let verdict = if pairs.is_empty() {
        "the quartile ranges of the final bests all overlap, so these seeds do not rank the \
         strategies by result"
            .to_string()
    } else {
        format!(
            "the quartile ranges of the final bests are disjoint only for {}, where the \
             medians differ; the other pairs overlap, and five seeds do not rank them",
            pairs.join("; ")
        )
    };
    format!(
        "The rules shape the batches as they say: the median mean distance within a batch is \
         {:.2} for the exclusion rule and {:.2} for the inclusion rule, against {:.2} for \
         the Kriging believer without a rule and {:.2} for joint qLogEI. Over the {} seeds, \
         {verdict}.",
        spread[2],
        spread[3],
        spread[1],
        spread[0],
        SEEDS.len()
    )
}
