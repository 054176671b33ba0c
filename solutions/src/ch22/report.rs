//! The worked output of chapter 22: the problem and its design, the initial model, the
//! single run of each method, the ten-seed study, readings generated from the numbers and
//! the exercises' answers.

use super::{mean_sd, Results, SEEDS, STUDY_STEPS};
use crate::report::Report;
use gradbo::acquisition::Direction;
use gradbo::noise::{model_incumbent, Reason};
use gradbo_listings::ch17::evidence::quantile;
use gradbo_listings::ch22::noisy_loop::{
    fit_model, grid_minimum, initial_design, problem, recommend, Run, METHODS,
    NOISE_VARIANCE, SEED, SIGMA, STEPS,
};
use std::fmt::Write as _;

/// The whole worked output.
pub fn report(r: &Results) -> String {
    let mut rep = Report::new();
    rep.section("problem", problem_text());
    rep.section("design", design());
    rep.section("initial-model", initial_model());
    rep.section("single-counts", counts(&r.single));
    rep.section("replication-steps", replication_steps(&r.single[1]));
    rep.section("single-summary", summary_table(&r.single));
    rep.section("below-minimum", below_minimum(&r.single));
    rep.section("study", study(&r.study));
    rep.section("study-seeds", study_seeds(&r.study));
    rep.section("study-reading", study_reading(&r.study));
    rep.section("exercises", super::exercises::report(r));
    rep.finish()
}

fn problem_text() -> String {
    let f = problem();
    let (x, v) = grid_minimum();
    let mut s = String::new();
    let _ = writeln!(s, "latent objective: Part 4's family, (a₂, a_t) = (0.95, 0.24), on [−3, 3], minimised");
    let _ = writeln!(s, "grid minimum (600 points): x = {x:.15}, f = {v:.15}");
    let _ = writeln!(
        s,
        "continuous minimum:        x = {:.5}, f = {:.6}",
        f.minimiser(),
        f.eval(f.minimiser())
    );
    let others: Vec<String> = f
        .local_minima()
        .iter()
        .filter(|m| (m.0 - f.minimiser()).abs() > 1e-6)
        .map(|(x, v)| format!("({x:.4}, {v:.4})"))
        .collect();
    let _ = writeln!(s, "other local minima:        {}", others.join(", "));
    let _ = writeln!(
        s,
        "noise: σ = {SIGMA} (variance {NOISE_VARIANCE:.4}), the same at every x"
    );
    s
}

fn design() -> String {
    let f = problem();
    let (x, y) = initial_design(SEED).expect("the design draws");
    let mut s = String::new();
    let _ =
        writeln!(s, "     x           latent f(x)   noisy y     noise variance");
    for (xi, yi) in x.column(0).iter().zip(&y) {
        let _ = writeln!(
            s,
            "{xi:>10.6}   {:>11.6}   {yi:>9.6}   {NOISE_VARIANCE:.4}",
            f.eval(*xi)
        );
    }
    let k = (0..y.len()).fold(0, |b, i| if y[i] < y[b] { i } else { b });
    let latent: Vec<f64> = x.column(0).iter().map(|&v| f.eval(v)).collect();
    let j = (0..y.len()).fold(0, |b, i| if latent[i] < latent[b] { i } else { b });
    let _ = writeln!(
        s,
        "best noisy observation:        y = {:.6} at x = {:.6}",
        y[k],
        x[[k, 0]]
    );
    let _ = writeln!(
        s,
        "best latent value among them:  f = {:.6} at x = {:.6}",
        latent[j],
        x[[j, 0]]
    );
    s
}

fn initial_model() -> String {
    let (x, y) = initial_design(SEED).expect("the design draws");
    let model = fit_model(&x, &y).expect("the model fits");
    let units = model.data_units().expect("finite");
    let inc =
        model_incumbent(&model, x.view(), Direction::Minimise).expect("incumbent");
    let (rec, mean, sd) = recommend(&model).expect("recommendation");
    let f = problem();
    let mut s = String::new();
    let _ = writeln!(s, "fixed-noise GP: lengthscale {:.4}, constant mean {:.4} (data units); noise variance 0.0144 per observation, none learned", units.lengthscales[0], units.mean);
    let _ = writeln!(s, "model-based incumbent: x = {:.6}, posterior mean {:.6}, sd {:.4} (its observation: y = {:.6})", inc.x[0], inc.mean, inc.sd, y[inc.index]);
    let _ = writeln!(s, "recommendation (lowest posterior mean on the grid): x = {rec:.4}, mean {mean:.4}, sd {sd:.4}, latent f = {:.6}", f.eval(rec));
    s
}

fn counts(single: &[Run]) -> String {
    let mut s = String::new();
    for run in single {
        let n = run.y.len();
        let _ = writeln!(
            s,
            "{:<17} {n} observations: {} new points, {} repeated",
            run.method.name(),
            STEPS - run.replications(),
            run.replications()
        );
    }
    let rep = &single[1];
    let tally =
        |r: Reason| rep.steps.iter().filter(|s| s.reason == Some(r)).count();
    let _ = writeln!(
        s,
        "replication rule's decisions: {} confirm, {} uncertain (replicated); {} settled, {} at the repeat limit (explored)",
        tally(Reason::Confirm),
        tally(Reason::Uncertain),
        tally(Reason::Settled),
        tally(Reason::RepeatLimit)
    );
    s
}

fn replication_steps(run: &Run) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "step  incumbent x  its sd   repeats   decision    reason                      x evaluated  noisy y");
    for (k, step) in run.steps.iter().enumerate() {
        // The state the rule saw: the data before the step.
        let x = run.x.slice(ndarray::s![..8 + k, ..]).to_owned();
        let y = run.y.slice(ndarray::s![..8 + k]).to_owned();
        let model = fit_model(&x, &y).expect("the model fits");
        let d = gradbo::noise::ReplicationRule::default()
            .decide(&model, x.view(), Direction::Minimise)
            .expect("decides");
        let action = if d.replicates() { "replicate" } else { "explore" };
        let reason = match step.reason {
            Some(Reason::Confirm) => "confirm (n < 3, sd > 0.05)",
            Some(Reason::Uncertain) => "uncertain (sd > 0.10)",
            Some(Reason::Settled) => "settled",
            Some(Reason::RepeatLimit) => "repeat limit (n = 5)",
            None => "",
        };
        let _ = writeln!(
            s,
            "{:>4}  {:>11.4}  {:>6.4}   {:>7}   {action:<10}  {reason:<26}  {:>11.4}  {:>7.4}",
            k + 1,
            d.incumbent.x[0],
            d.incumbent.sd,
            d.repeats,
            step.x,
            step.y
        );
    }
    s
}

fn summary_table(single: &[Run]) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "method            total  unique  best noisy  best latent sampled  recommended x  latent f there  sd there  regret");
    for run in single {
        let l = run.last();
        let _ = writeln!(
            s,
            "{:<17} {:>5}  {:>6}  {:>10.4}  {:>19.4}  {:>13.4}  {:>14.4}  {:>8.4}  {:>6.4}",
            run.method.name(),
            l.observations,
            l.unique,
            l.best_noisy,
            l.best_latent,
            l.recommended,
            l.latent,
            l.sd,
            l.regret()
        );
    }
    s
}

fn below_minimum(single: &[Run]) -> String {
    let (_, fmin) = grid_minimum();
    let mut s = String::new();
    let _ = writeln!(
        s,
        "observations below the latent minimum {fmin:.5} (each one noise):"
    );
    for run in single {
        let below = run.y.iter().filter(|&&v| v < fmin).count();
        let _ = writeln!(s, "{:<17} {below} of {}", run.method.name(), run.y.len());
    }
    s
}

/// Per method: the final summaries of its ten runs.
fn finals(runs: &[Run]) -> Vec<gradbo_listings::ch22::noisy_loop::Summary> {
    runs.iter().map(|r| *r.last()).collect()
}

/// Whether a recommendation lies in the global minimum's narrow dip.
pub fn in_dip(x: f64) -> bool {
    (x - grid_minimum().0).abs() < 0.25
}

/// One row of the study table for `runs` named `name`.
pub fn study_row(name: &str, runs: &[Run]) -> String {
    let f = finals(runs);
    let latent: Vec<f64> = f.iter().map(|s| s.latent).collect();
    let regret: Vec<f64> = f.iter().map(|s| s.regret()).collect();
    let unique: Vec<f64> = f.iter().map(|s| s.unique as f64).collect();
    let sd: Vec<f64> = f.iter().map(|s| s.sd).collect();
    let (lm, ls) = mean_sd(&latent);
    let (rm, rs) = mean_sd(&regret);
    let dip = f.iter().filter(|s| in_dip(s.recommended)).count();
    format!(
        "{name:<17} {lm:>9.4} ({ls:.4})    {rm:>8.4} ({rs:.4})   {:>6.4}   {:>6.1}   {:>10.4}   {dip:>2} of {}",
        quantile(&regret, 0.5),
        mean_sd(&unique).0,
        mean_sd(&sd).0,
        runs.len()
    )
}

/// The study table's header.
pub const STUDY_HEADER: &str = "method            latent f: mean (sd)   regret: mean (sd)   median   unique   sd at rec.   in the dip";

fn study(study: &[Vec<Run>]) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{} seeds (0–9), each: 8 noisy Sobol points, then {STUDY_STEPS} steps per method (18 observations)",
        SEEDS.len()
    );
    let _ = writeln!(s, "{STUDY_HEADER}");
    for (m, runs) in METHODS.iter().zip(study) {
        let _ = writeln!(s, "{}", study_row(m.name(), runs));
    }
    s
}

fn study_seeds(study: &[Vec<Run>]) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "seed   regret: LogEI  replication  qLogNEI     unique: LogEI  replication  qLogNEI");
    for (i, seed) in SEEDS.iter().enumerate() {
        let g = |m: usize| study[m][i].last();
        let _ = writeln!(
            s,
            "{seed:>4}   {:>13.4}  {:>11.4}  {:>7.4}     {:>13}  {:>11}  {:>7}",
            g(0).regret(),
            g(1).regret(),
            g(2).regret(),
            g(0).unique,
            g(1).unique,
            g(2).unique
        );
    }
    s
}

fn study_reading(study: &[Vec<Run>]) -> String {
    let stats: Vec<(f64, f64, f64, usize)> = study
        .iter()
        .map(|runs| {
            let f = finals(runs);
            let regret: Vec<f64> = f.iter().map(|s| s.regret()).collect();
            let unique: Vec<f64> = f.iter().map(|s| s.unique as f64).collect();
            let dip = f.iter().filter(|s| in_dip(s.recommended)).count();
            (mean_sd(&regret).0, quantile(&regret, 0.5), mean_sd(&unique).0, dip)
        })
        .collect();
    let order = |key: &dyn Fn(usize) -> f64| {
        (0..stats.len()).fold(0, |b, i| if key(i) < key(b) { i } else { b })
    };
    let best_mean = order(&|i| stats[i].0);
    let best_median = order(&|i| stats[i].1);
    let fewest = order(&|i| stats[i].2);
    let name = |i: usize| METHODS[i].name();
    let mut s = if best_mean == best_median {
        format!(
            "Over the ten seeds, {} has both the lowest mean regret ({:.4}) and the lowest median ({:.4}); ",
            name(best_mean),
            stats[best_mean].0,
            stats[best_median].1
        )
    } else {
        format!(
            "Over the ten seeds, {} has the lowest mean regret ({:.4}) and {} the lowest median ({:.4}); ",
            name(best_mean),
            stats[best_mean].0,
            name(best_median),
            stats[best_median].1
        )
    };
    let dips: Vec<String> =
        (0..stats.len()).map(|i| format!("{} {}", name(i), stats[i].3)).collect();
    let _ = write!(
        s,
        "{} evaluates the fewest distinct locations ({:.1} on average of 18). Seeds whose recommendation ends in the narrow global dip: {}. ",
        if name(fewest) == "replication rule" { "the replication rule" } else { name(fewest) },
        stats[fewest].2,
        dips.join(", ")
    );
    let sds: Vec<f64> = study
        .iter()
        .map(|runs| {
            let regret: Vec<f64> =
                finals(runs).iter().map(|s| s.regret()).collect();
            mean_sd(&regret).1
        })
        .collect();
    let means: Vec<f64> = stats.iter().map(|t| t.0).collect();
    let gap = means.iter().fold(f64::NEG_INFINITY, |m, &v| m.max(v))
        - means.iter().fold(f64::INFINITY, |m, &v| m.min(v));
    let smallest_sd = sds.iter().fold(f64::INFINITY, |m, &v| m.min(v));
    let listed: Vec<String> =
        (0..sds.len()).map(|i| format!("{} {:.4}", name(i), sds[i])).collect();
    let verdict = if smallest_sd > gap {
        "each larger than the largest difference between the means"
    } else {
        "not all larger than the largest difference between the means"
    };
    // The standard error of a mean of ten is the standard deviation over √10.
    let _ = writeln!(
        s,
        "The standard deviations of the regret over the seeds ({}) are {verdict} ({gap:.4}); the standard error of a mean of ten is about a third of its standard deviation.",
        listed.join(", ")
    );
    s
}
