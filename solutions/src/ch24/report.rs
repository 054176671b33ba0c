//! The worked output of chapter 24.

use super::{h_star, quartiles, Results, SEEDS};
use crate::report::Report;
use gradbo::test_functions::cocatalyst::{TARGET_OPTIMUM, TARGET_SECONDARY};
use gradbo_listings::ch17::evidence::sign_test;
use gradbo_listings::ch24::context::{CONTEXTS, TEST_CONTEXTS};
use gradbo_listings::ch24::fidelity::{
    fidelities, Kind, Run, Strategy, BUDGET, INITIAL_LEVELS, N_INIT,
};
use gradbo_listings::ch24::functions::{context_optima, levels};
use std::fmt::Write as _;

/// Regrets closer than this count as ties.
const TIE: f64 = 1e-9;

/// The whole worked output.
pub fn report(r: &Results) -> String {
    let mut rep = Report::new();
    rep.section("functions", functions());
    rep.section("costs", costs());
    rep.section("example", example(r));
    rep.section("evaluations", evaluations(r));
    rep.section("seeds", seeds(r));
    rep.section("summary", summary(r));
    rep.section("by-cost", by_cost(r));
    rep.section("use", fidelity_use(r));
    rep.section("context-optima", context_table());
    rep.section("context-initial", context_initial(r));
    rep.section("context-loop", context_loop(r));
    rep.section("context-test", context_test(r));
    rep.section("context-seeds", context_seeds(r));
    rep.section("exercises", exercises(r));
    rep.finish()
}

fn functions() -> String {
    let mut s = String::new();
    let (x, h) = h_star();
    let _ = writeln!(
        s,
        "high-fidelity optimum on the 500-point grid: x = {x}, h = {h}"
    );
    let _ = writeln!(
        s,
        "continuous maximum: x = {:.5}, h = {:.6}; secondary local maximum: x = {:.4}, h = {:.4}",
        TARGET_OPTIMUM.0, TARGET_OPTIMUM.1, TARGET_SECONDARY.0, TARGET_SECONDARY.1
    );
    let _ = writeln!(
        s,
        "\n  s    cost    argmax of F(., s)   max F     true h there   h lost"
    );
    for l in levels().expect("the grid is fine") {
        let _ = writeln!(
            s,
            "{:.1}  {:.4}    {:.6}          {:.6}   {:.6}       {:.6}",
            l.s,
            l.cost,
            l.argmax,
            l.max,
            l.h,
            h - l.h
        );
    }
    s
}

fn costs() -> String {
    let fids = fidelities().expect("the course's prices");
    let hf = 5.0 * fids.target_cost();
    let mf = fids.total_cost(&INITIAL_LEVELS).expect("levels");
    let mut s = String::new();
    let _ =
        writeln!(s, "budget {BUDGET}, initial designs of {N_INIT} points included");
    let _ = writeln!(
        s,
        "high fidelity only: 5 × 1.0 = {hf:.1} ({:.1} % of the budget), {:.1} left: {} more evaluations",
        100.0 * hf / BUDGET,
        BUDGET - hf,
        ((BUDGET - hf) / fids.target_cost() + 1e-9).floor()
    );
    let _ = writeln!(
        s,
        "multi-fidelity, levels {INITIAL_LEVELS:?}: {mf:.3} ({:.4} % of the budget), {:.3} left",
        100.0 * mf / BUDGET,
        BUDGET - mf
    );
    s
}

fn name_width(r: &Results) -> usize {
    r.strategies.iter().map(|s| s.name().chars().count()).max().unwrap_or(0)
}

fn pad(name: &str, w: usize) -> String {
    format!("{name}{}", " ".repeat(w.saturating_sub(name.chars().count())))
}

fn example(r: &Results) -> String {
    let w = name_width(r);
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{}  observations  cost   recommended x   true h there   h* − h    |x − x*|",
        pad("seed 0", w)
    );
    for (k, strat) in r.strategies.iter().enumerate() {
        let run = &r.fidelity[k][0];
        let rec = run.recommendation();
        let _ = writeln!(
            s,
            "{}  {:>12}  {:.3}  {:.6}        {:.6}       {:.6}  {:.6}",
            pad(&strat.name(), w),
            run.evaluations.len(),
            run.budget.spent(),
            rec.x,
            rec.h,
            h_star().1 - rec.h,
            (rec.x - h_star().0).abs()
        );
    }
    s
}

fn kind(k: Kind) -> &'static str {
    match k {
        Kind::Initial => "initial",
        Kind::Confirmation => "confirmation",
        Kind::Acquisition => "UCB per cost",
    }
}

fn evaluations(r: &Results) -> String {
    let run = &r.fidelity[1][0];
    let mut s = String::new();
    let _ = writeln!(s, "{} (seed 0)", run.strategy.name());
    let _ = writeln!(s, "  #   x          s     F(x, s)    cost    spent   why");
    let mut spent = 0.0;
    for (i, e) in run.evaluations.iter().enumerate() {
        spent += e.cost;
        let _ = writeln!(
            s,
            "{:>3}   {:.6}   {:.1}   {:.6}   {:.4}  {:.3}   {}",
            i + 1,
            e.x,
            e.fidelity,
            e.y,
            e.cost,
            spent,
            kind(e.kind)
        );
    }
    s
}

fn regret(run: &Run) -> f64 {
    h_star().1 - run.recommendation().h
}

fn seeds(r: &Results) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "h* − h(recommended x), h* = {:.6}, and the number of observations",
        h_star().1
    );
    let _ = write!(s, "seed");
    for strat in &r.strategies {
        let _ = write!(s, "  {:>34}", strat.name());
    }
    let _ = writeln!(s);
    for seed in 0..SEEDS as usize {
        let _ = write!(s, "{seed:>4}");
        for runs in &r.fidelity {
            let run = &runs[seed];
            let _ =
                write!(s, "  {:>28.6} ({:>2})", regret(run), run.evaluations.len());
        }
        let _ = writeln!(s);
    }
    s
}

/// Seeds where `a` is better than `b`, worse, and tied.
fn paired(a: &[Run], b: &[Run]) -> (usize, usize, usize) {
    let mut out = (0, 0, 0);
    for (x, y) in a.iter().zip(b) {
        let d = regret(x) - regret(y);
        if d < -TIE {
            out.0 += 1;
        } else if d > TIE {
            out.1 += 1;
        } else {
            out.2 += 1;
        }
    }
    out
}

fn summary(r: &Results) -> String {
    let w = name_width(r);
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{}  regret h* − h: median [quartiles]      max        |x − x*| median   observations median",
        pad(&format!("{SEEDS} seeds"), w)
    );
    for (strat, runs) in r.strategies.iter().zip(&r.fidelity) {
        let reg: Vec<f64> = runs.iter().map(regret).collect();
        let dist: Vec<f64> = runs
            .iter()
            .map(|x| (x.recommendation().x - h_star().0).abs())
            .collect();
        let obs: Vec<f64> =
            runs.iter().map(|x| x.evaluations.len() as f64).collect();
        let q = quartiles(&reg);
        let _ = writeln!(
            s,
            "{}  {:.6} [{:.6}, {:.6}]   {:.6}   {:.6}          {:.1}",
            pad(&strat.name(), w),
            q[0],
            q[1],
            q[2],
            reg.iter().copied().fold(0.0, f64::max),
            quartiles(&dist)[0],
            quartiles(&obs)[0]
        );
    }
    let (a, b, t) = paired(&r.fidelity[1], &r.fidelity[0]);
    let _ = writeln!(
        s,
        "\nmulti-fidelity with confirmations against high fidelity only, seed by seed: better {a}, worse {b}, tied {t} (sign test p = {:.2})",
        sign_test(a, b)
    );
    let (a, b, t) = paired(&r.fidelity[1], &r.fidelity[2]);
    let _ = writeln!(
        s,
        "with confirmations against without, seed by seed: better {a}, worse {b}, tied {t} (sign test p = {:.2})",
        sign_test(a, b)
    );
    s
}

fn by_cost(r: &Results) -> String {
    let w = name_width(r);
    let costs = [3.0, 4.0, 5.0, 6.0, 7.0, 8.0];
    let mut s = String::new();
    let _ = write!(
        s,
        "{}",
        pad("median true h at the recommendation, by cost spent", w)
    );
    let _ = writeln!(s);
    let _ = write!(s, "{}", pad("cost spent", w));
    for c in costs {
        let _ = write!(s, "  {c:>8.1}");
    }
    let _ = writeln!(s);
    for (strat, runs) in r.strategies.iter().zip(&r.fidelity) {
        let _ = write!(s, "{}", pad(&strat.name(), w));
        for c in costs {
            if runs.iter().all(|x| x.records[0].spent <= c + 1e-9) {
                let v: Vec<f64> = runs.iter().map(|x| x.h_at_cost(c)).collect();
                let _ = write!(s, "  {:>8.6}", quartiles(&v)[0]);
            } else {
                let _ = write!(s, "  {:>8}", "—");
            }
        }
        let _ = writeln!(s);
    }
    s
}

fn fidelity_use(r: &Results) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "evaluations after the initial design, by fidelity: median over {SEEDS} seeds [min, max]");
    for (strat, runs) in r.strategies.iter().zip(&r.fidelity) {
        if *strat == Strategy::HighFidelityOnly {
            continue;
        }
        let _ = write!(s, "{}:", strat.name());
        for level in [0.2, 0.5, 1.0] {
            let n: Vec<f64> = runs
                .iter()
                .map(|x| {
                    x.evaluations[N_INIT..]
                        .iter()
                        .filter(|e| e.fidelity == level)
                        .count() as f64
                })
                .collect();
            let lo = n.iter().copied().fold(f64::INFINITY, f64::min);
            let hi = n.iter().copied().fold(0.0, f64::max);
            let _ =
                write!(s, "  s = {level:.1}: {} [{lo}, {hi}]", quartiles(&n)[0]);
        }
        let conf: Vec<f64> = runs
            .iter()
            .map(|x| {
                x.evaluations
                    .iter()
                    .filter(|e| e.kind == Kind::Confirmation)
                    .count() as f64
            })
            .collect();
        let _ = writeln!(s, "; confirmations: {}", quartiles(&conf)[0]);
    }
    s
}

fn context_table() -> String {
    let cs = [0.0, 0.1, 0.2, 0.4, 0.5, 0.6, 0.8, 0.9, 1.0];
    let mut s = String::new();
    let _ = writeln!(s, "  c    x*(c) = 0.25 + 0.55c   grid argmax of g   max g");
    for (c, x, g) in context_optima(&cs).expect("the grid is fine") {
        let _ = writeln!(
            s,
            "{c:.1}    {:.4}                 {x:.6}           {g:.6}",
            0.25 + 0.55 * c
        );
    }
    s
}

fn context_initial(r: &Results) -> String {
    let run = &r.context[0];
    let mut s = String::new();
    let _ = writeln!(s, "seed 0: initial design (x, c) and g(x, c)");
    for (x, c, g) in &run.initial {
        let _ = writeln!(s, "  ({x:.6}, {c:.6}) → {g:.6}");
    }
    s
}

fn context_loop(r: &Results) -> String {
    let run = &r.context[0];
    let mut s = String::new();
    let _ = writeln!(
        s,
        "step     c   chosen x   observed g   recommended x (before)   true g there   mean      std"
    );
    for (k, st) in run.steps.iter().enumerate() {
        let _ = writeln!(
            s,
            "{:>4}  {:.2}   {:.6}   {:.6}     {:.6}                 {:.6}       {:.6}  {:.6}",
            k + 1,
            st.c,
            st.x,
            st.y,
            st.recommended,
            st.recommended_g,
            st.mean,
            st.sd
        );
    }
    s
}

fn context_test(r: &Results) -> String {
    let run = &r.context[0];
    let mut s = String::new();
    let _ = writeln!(s, "seed 0, final model");
    let _ = writeln!(
        s,
        "  c    recommended x   g there    best x     best g     regret"
    );
    for g in &run.regrets {
        let _ = writeln!(
            s,
            "{:.1}   {:.6}        {:.6}   {:.6}   {:.6}   {:.6}",
            g.context, g.x, g.value, g.best_x, g.best_value, g.regret
        );
    }
    s
}

fn context_seeds(r: &Results) -> String {
    let mut s = String::new();
    let lo = CONTEXTS.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = CONTEXTS.iter().copied().fold(0.0, f64::max);
    let _ = writeln!(s, "regret at each test context over {SEEDS} seeds (contexts seen in the loop: {lo:.2} to {hi:.2})");
    let _ = writeln!(s, "  c    median [quartiles]               max       seeds with regret > 0.01");
    for (k, &c) in TEST_CONTEXTS.iter().enumerate() {
        let v: Vec<f64> = r.context.iter().map(|x| x.regrets[k].regret).collect();
        let q = quartiles(&v);
        let big = v.iter().filter(|&&x| x > 0.01).count();
        let _ = writeln!(
            s,
            "{c:.1}   {:.6} [{:.6}, {:.6}]   {:.6}  {big}",
            q[0],
            q[1],
            q[2],
            v.iter().copied().fold(0.0, f64::max)
        );
    }
    s
}

fn exercises(r: &Results) -> String {
    let a = &r.exercises;
    let mut s = String::new();
    let _ = writeln!(
        s,
        "1. multi-fidelity with confirmations, {SEEDS} seeds: medians [quartiles]"
    );
    let _ = writeln!(s, "   prices               observations         share at s = 1 (after the design)   regret h* − h");
    let names = [
        "0.15 + 0.85 s²".to_string(),
        format!(
            "0.5 + 0.5 s² ({:.2}, {:.3}, {:.1})",
            a.dear_costs[0], a.dear_costs[1], a.dear_costs[2]
        ),
    ];
    for (n, p) in names.iter().zip(&a.prices) {
        let _ = writeln!(
            s,
            "   {n:<20}  {:.1} [{:.1}, {:.1}]   {:.3} [{:.3}, {:.3}]                 {:.6} [{:.6}, {:.6}]",
            p[0][0], p[0][1], p[0][2], p[1][0], p[1][1], p[1][2], p[2][0], p[2][1], p[2][2]
        );
    }
    let _ = writeln!(s, "2. median regret over {SEEDS} seeds, from the initial design alone and after the loop");
    for (c, b, af) in &a.before_after {
        let _ = writeln!(s, "   c = {c:.1}: {b:.6} → {af:.6}");
    }
    let _ = writeln!(s, "3. regret h* − h of the final multi-fidelity models' argmax of the mean, {SEEDS} seeds");
    for (name, q) in
        ["on the s = 0.2 slice", "on the s = 1 slice"].iter().zip(&a.slices)
    {
        let _ =
            writeln!(s, "   {name}: median {:.6} [{:.6}, {:.6}]", q[0], q[1], q[2]);
    }
    s
}
