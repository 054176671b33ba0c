//! The answers to chapter 19's exercises: a larger τ_max (a line of the library), local
//! penalisation in place of the Kriging believer, and an exclusion radius twice as large.

use super::{believer, best_after, geometry_of, quartiles, Job, SEEDS};
use gradbo::acquisition::{
    AcquisitionFunction, Direction, MonteCarlo, MonteCarloKind,
};
use gradbo::batch::{Conditioning, GreedyOptions, RadiusRule};
use gradbo::bo::BatchChoice;
use gradbo::gp::{fit, FitOptions};
use gradbo::sampling::draw_sobol_samples;
use gradbo::test_functions::TestProblem;
use gradbo_listings::ch19::batch_loop::{
    geometry, joint_batch, name, problem, settings, Run, DIM, N_INIT, ROUNDS, SEED,
};
use ndarray::{Array1, Axis};
use std::fmt::Write as _;

/// Exercise 2's strategy: local penalisation, no rule.
pub const PENALISED: BatchChoice =
    BatchChoice::Greedy(GreedyOptions::new(Conditioning::LocalPenalisation));

/// Exercise 3's radius.
pub const WIDER: f64 = 4.0;

/// The runs the exercises need, after the chapter's own.
pub fn jobs() -> Vec<Job> {
    let mut jobs: Vec<Job> =
        SEEDS.iter().map(|&seed| Job { strategy: PENALISED, q: 4, seed }).collect();
    let wide = believer(Some(RadiusRule::Exclude { radius: WIDER }));
    jobs.extend(SEEDS.iter().map(|&seed| Job { strategy: wide, q: 4, seed }));
    jobs
}

/// One τ_max: what four copies of a point gain over the point alone, and the first
/// round's joint batch.
pub struct TauAnswer {
    pub tau: f64,
    /// qLogEI(x, x, x, x) − qLogEI(x) at the design's best point.
    pub copies_gain: f64,
    /// The first round's batch's mean and smallest pairwise distance.
    pub geometry: [f64; 3],
}

/// Everything the exercises print.
pub struct Answers {
    pub tau: Vec<TauAnswer>,
    pub penalised: Vec<Run>,
    pub wider: Vec<Run>,
}

/// Exercise 1 for one τ_max, on the first run's design.
fn tau_answer(tau: f64) -> gradbo::Result<TauAnswer> {
    let problem = problem()?;
    let bounds = problem.bounds().clone();
    let x = draw_sobol_samples(&bounds, N_INIT, SEED)?;
    let y = problem.values(x.view())?;
    let options = FitOptions {
        input_bounds: Some(bounds.clone()),
        ..FitOptions::single_task(DIM)
    };
    let model = fit(x.view(), &y, &options)?;
    let best = y.iter().copied().fold(f64::INFINITY, f64::min);
    let at = y.iter().position(|&v| v == best).unwrap_or(0);
    // The first round's settings of the chapter's joint run.
    let first = settings(BatchChoice::Joint, SEED);
    let mc = gradbo::acquisition::MonteCarloOptions {
        tau_max: tau,
        ..first.monte_carlo
    };
    let kind = MonteCarloKind::LogExpectedImprovement { best };
    let value = |q: usize| -> gradbo::Result<f64> {
        let f = MonteCarlo::new(&model, kind, Direction::Minimise, q, &mc)?;
        let copies: Array1<f64> = (0..q).flat_map(|_| x.row(at).to_vec()).collect();
        Ok(f.values(copies.insert_axis(Axis(0)).view())?[0])
    };
    let copies_gain = value(4)? - value(1)?;
    let batch = joint_batch(&model, best, 4, &bounds, &first.acqf, &mc)?;
    Ok(TauAnswer { tau, copies_gain, geometry: geometry(batch.view()) })
}

/// Computes the answers from the exercises' runs (in the order of [`jobs`]).
pub fn answers(runs: &[Run]) -> Answers {
    let n = SEEDS.len();
    let tau = [gradbo::acquisition::monte_carlo::TAU_MAX, 1.0]
        .into_iter()
        .map(|t| tau_answer(t).expect("exercise 1 runs"))
        .collect();
    Answers { tau, penalised: runs[..n].to_vec(), wider: runs[n..2 * n].to_vec() }
}

/// Median [quartiles] of the final best and of the mean within-batch distance.
pub fn summary(runs: &[Run]) -> (String, String) {
    let finals: Vec<f64> = runs.iter().map(|r| best_after(r, ROUNDS)).collect();
    let spread: Vec<f64> = runs
        .iter()
        .flat_map(|r| (1..=ROUNDS).map(move |k| geometry_of(r, k)[0]))
        .collect();
    let f = quartiles(&finals);
    let s = quartiles(&spread);
    (
        format!("{:.2} [{:.2}, {:.2}]", f[0], f[1], f[2]),
        format!("{:.2} [{:.2}, {:.2}]", s[0], s[1], s[2]),
    )
}

/// The exercises' section of the worked output.
pub fn report(a: &Answers, reference: &[(String, Vec<Run>)]) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "Exercise 1: τ_max in qLogEI's smooth maximum (first run's design, first round)");
    let _ = writeln!(s, "  τ_max   qLogEI(4 copies) − qLogEI(1 point)   τ_max·ln 4   first batch: mean / smallest distance");
    for t in &a.tau {
        let _ = writeln!(
            s,
            "  {:<6}  {:>+34.4}   {:>10.4}   {:.3} / {:.3}",
            t.tau,
            t.copies_gain,
            t.tau * 4f64.ln(),
            t.geometry[0],
            t.geometry[1]
        );
    }
    let _ = writeln!(s);
    let _ = writeln!(
        s,
        "Exercises 2 and 3: q = 4, over {} seeds, median [quartiles]",
        SEEDS.len()
    );
    let _ = writeln!(
        s,
        "  {:<44} {:<28} mean distance in a batch",
        "strategy", "best after 8 rounds"
    );
    let mut rows: Vec<(String, &[Run])> =
        reference.iter().map(|(n, r)| (n.clone(), r.as_slice())).collect();
    rows.push((name(PENALISED), &a.penalised));
    rows.push((
        name(believer(Some(RadiusRule::Exclude { radius: WIDER }))),
        &a.wider,
    ));
    for (name, runs) in rows {
        let (f, d) = summary(runs);
        let fallback: usize =
            runs.iter().flat_map(|r| r.rounds.iter().map(|x| x.fallback)).sum();
        let _ =
            writeln!(s, "  {name:<44} {f:<28} {d}   (fallback slots: {fallback})");
    }
    let smallest = a
        .wider
        .iter()
        .flat_map(|r| (1..=ROUNDS).map(move |k| geometry_of(r, k)[1]))
        .fold(f64::INFINITY, f64::min);
    let _ = writeln!(
        s,
        "  smallest distance in any batch with r = {WIDER}: {smallest:.3}"
    );
    s
}

/// Median of the final bests and of the mean within-batch distances.
fn medians(runs: &[Run]) -> (f64, f64) {
    let finals: Vec<f64> = runs.iter().map(|r| best_after(r, ROUNDS)).collect();
    let spread: Vec<f64> = runs
        .iter()
        .flat_map(|r| (1..=ROUNDS).map(move |k| geometry_of(r, k)[0]))
        .collect();
    (quartiles(&finals)[0], quartiles(&spread)[0])
}

/// Whether the quartile ranges of the final bests overlap.
fn overlap(a: &[Run], b: &[Run]) -> bool {
    let f = |runs: &[Run]| {
        quartiles(&runs.iter().map(|r| best_after(r, ROUNDS)).collect::<Vec<_>>())
    };
    let (qa, qb) = (f(a), f(b));
    qa[1] <= qb[2] && qb[1] <= qa[2]
}

/// The answers in words, read from the numbers: `believer` and `excluded` are the
/// chapter's runs of the believer without a rule and with exclusion at r = 2.
pub fn reading(a: &Answers, believer: &[Run], excluded: &[Run]) -> String {
    let mut s = String::new();
    if let [small, large] = &a.tau[..] {
        let collapsed = large.geometry[1] < 0.1 * small.geometry[1];
        let _ = write!(
            s,
            "1. Four equal values have a smooth maximum of their value plus τ_max ln 4, so the \
             copies gain τ_max ln 4: {:.4} with τ_max = {}, {:.4} with τ_max = {} — the latter a \
             factor e^{{{:.2}}} ≈ 4 in qEI's own units, as if the copies were four independent \
             chances. {} ",
            small.copies_gain,
            small.tau,
            large.copies_gain,
            large.tau,
            large.copies_gain,
            if collapsed {
                format!(
                    "The optimiser takes the reward: the first batch's closest pair falls from \
                     {:.3} apart to {:.3}, and its mean distance from {:.2} to {:.2} — a batch \
                     of near-copies.",
                    small.geometry[1], large.geometry[1], small.geometry[0], large.geometry[0]
                )
            } else {
                format!(
                    "The first batch's closest pair moves from {:.3} apart to {:.3}.",
                    small.geometry[1], large.geometry[1]
                )
            }
        );
    }
    let (kb_best, kb_spread) = medians(believer);
    let (lp_best, lp_spread) = medians(&a.penalised);
    let _ = write!(
        s,
        "\n\n2. Local penalisation's batches are {} than the believer's (median mean distance \
         {lp_spread:.2} against {kb_spread:.2}); its median final best is {lp_best:.1} against \
         {kb_best:.1}, and the quartile ranges {}.",
        if lp_spread < kb_spread { "tighter" } else { "wider" },
        if overlap(&a.penalised, believer) {
            "overlap, so five seeds do not rank the two by result"
        } else {
            "do not overlap"
        }
    );
    let (r2_best, r2_spread) = medians(excluded);
    let (r4_best, r4_spread) = medians(&a.wider);
    let fallback: usize =
        a.wider.iter().flat_map(|r| r.rounds.iter().map(|x| x.fallback)).sum();
    let smallest = a
        .wider
        .iter()
        .flat_map(|r| (1..=ROUNDS).map(move |k| geometry_of(r, k)[1]))
        .fold(f64::INFINITY, f64::min);
    let _ = write!(
        s,
        "\n\n3. {} slots needed the fallback: four points at least {WIDER} apart fit easily in \
         a box whose diagonal is 8, and the barrier finds them. The closest pair in any batch \
         is {smallest:.3} apart, the median mean distance rises from {r2_spread:.2} (r = 2) to \
         {r4_spread:.2}, and the median final best is {r4_best:.1} against {r2_best:.1}, the \
         quartile ranges {}.",
        if fallback == 0 { "No".to_string() } else { fallback.to_string() },
        if overlap(&a.wider, excluded) { "overlapping" } else { "apart" }
    );
    s
}
