//! The answers to chapter 16's exercises.

use super::report::band;
use super::{Worked, SEEDS, SHORT};
use gradbo::acquisition::Direction;
use gradbo::bo::{AcquisitionChoice, Optimizer, Settings};
use gradbo::gp::FitOptions;
use gradbo::sampling::draw_sobol_samples;
use gradbo::test_functions::{TestProblem, TwoBasins};
use gradbo_listings::ch16::bo_loop::{basin, Basin, OneD, TwoD};
use ndarray::{aview1, Axis};
use std::fmt::Write as _;

pub(crate) fn answers(w: &Worked) -> String {
    let mut t = String::new();
    t.push_str(&acquisition_line());
    t.push_str(&normalisation_line(&w.one_d));
    t.push_str(&sobol_designs(w));
    t
}

/// `steps` asks answered with F's value, from seed `seed`'s design.
fn optimise_2d(settings: Settings, seed: u64, steps: usize) -> Optimizer {
    let p = TwoD::new(seed).expect("the problem");
    let settings = Settings {
        acqf: gradbo::optimize_acqf::AcqfOptions { seed, ..settings.acqf },
        ..settings
    };
    let mut opt = Optimizer::new(p.bounds.clone(), Direction::Minimise, settings)
        .expect("an optimiser");
    opt.tell(p.x.view(), p.y.view()).expect("the design");
    for _ in 0..steps {
        let x = opt.ask().expect("a candidate");
        let v = p.f.value(x.view()).expect("F");
        opt.tell(x.view().insert_axis(Axis(0)), aview1(&[v])).expect("tell");
    }
    opt
}

/// Exercise 1: `Settings::default` with the posterior mean in place of LogEI.
fn acquisition_line() -> String {
    let mut t = String::from(
        "1. Settings::default with PosteriorMean in place of LogEI: the 2-D loop, \
         10 steps, seeds 0–9\n",
    );
    let f = TwoBasins::new();
    for (name, choice) in [
        ("LogEI (the default)", AcquisitionChoice::LogExpectedImprovement),
        ("posterior mean", AcquisitionChoice::PosteriorMean),
    ] {
        let mut regrets = Vec::new();
        let mut deep = 0;
        let mut spread = Vec::new();
        for seed in SEEDS {
            let settings = Settings { acquisition: choice, ..Settings::default() };
            let opt = optimise_2d(settings, seed, SHORT);
            let (x, _) = opt.best().expect("observations");
            let true_best = f
                .values(opt.inputs().view())
                .expect("F")
                .fold(f64::INFINITY, |m, v| m.min(*v));
            regrets.push(vec![true_best - TwoBasins::MINIMUM]);
            if basin(&f, x.view()).expect("descent") == Basin::Deep {
                deep += 1;
            }
            // How far apart the chosen points are: the mean distance to the previous one.
            let xs = opt.inputs();
            let d: f64 = (7..xs.nrows())
                .map(|i| (&xs.row(i) - &xs.row(i - 1)).mapv(|v| v * v).sum().sqrt())
                .sum::<f64>()
                / SHORT as f64;
            spread.push(d);
        }
        let (lo, mid, hi) = band(&regrets, 0);
        let _ = writeln!(
            t,
            "   {name:<20} regret median {mid:.4} [{lo:.4}, {hi:.4}]; best point in the deep \
             basin in {deep} of {} seeds; mean step between chosen points {:.3}",
            regrets.len(),
            spread.iter().sum::<f64>() / spread.len() as f64
        );
    }
    t
}

/// Exercise 2: the optimiser normalising by the data rather than the box (1-D run).
fn normalisation_line(p: &OneD) -> String {
    let mut t = String::from(
        "2. Optimizer normalising inputs by the data instead of the box: the 1-D run, \
         Settings::default otherwise\n   ask   box: x       ℓ (x units)     data: x      ℓ (x units)\n",
    );
    let run = |fit: Option<FitOptions>| {
        let mut opt = Optimizer::new(
            p.bounds.clone(),
            Direction::Minimise,
            Settings { fit, ..Settings::default() },
        )
        .expect("an optimiser");
        opt.tell(p.x.view(), p.y.view()).expect("the design");
        for _ in 0..6 {
            let x = opt.ask().expect("a candidate");
            let v = p.f.value(x.view()).expect("f");
            opt.tell(x.view().insert_axis(Axis(0)), aview1(&[v])).expect("tell");
        }
        opt
    };
    let by_box = run(None);
    let by_data = run(Some(FitOptions::single_task(1)));
    for (k, (a, b)) in by_box.history().iter().zip(by_data.history()).enumerate() {
        let _ = writeln!(
            t,
            "   {k:3}   {:+.4}     {:.4}          {:+.4}      {:.4}",
            a.candidate[0],
            a.hyperparameters.lengthscales[0],
            b.candidate[0],
            b.hyperparameters.lengthscales[0]
        );
    }
    let best = |o: &Optimizer| o.best().expect("observations").1;
    let _ = writeln!(
        t,
        "   best after 14 observations: box {:+.5}, data {:+.5} (f* = {:+.5})",
        best(&by_box),
        best(&by_data),
        p.f.optimal_value()
    );
    t
}

/// Exercise 3: the first ten steps from a Sobol design of six points drawn with each seed.
fn sobol_designs(w: &Worked) -> String {
    let f = TwoBasins::new();
    let mut t = String::from(
        "3. The first 10 steps of the 2-D loop from a scrambled Sobol design of six points, \
         drawn with the seed:\n",
    );
    let mut favour = [0; 3];
    let mut regrets = Vec::new();
    for seed in SEEDS {
        let bounds = f.bounds().clone();
        let x = draw_sobol_samples(&bounds, 6, seed).expect("a design");
        let y = f.observe(x.view(), 0.03, seed).expect("observations");
        let p = TwoD { f: TwoBasins::new(), bounds, x, y };
        let h = p.run(SHORT, seed).expect("the loop");
        let last = &h[SHORT];
        let b: Vec<Basin> = last
            .x
            .rows()
            .into_iter()
            .skip(6)
            .map(|r| basin(&f, r).expect("descent"))
            .collect();
        let deep = b.iter().filter(|&&x| x == Basin::Deep).count();
        let second = b.iter().filter(|&&x| x == Basin::Second).count();
        let which = match deep.cmp(&second) {
            std::cmp::Ordering::Greater => 0,
            std::cmp::Ordering::Less => 1,
            std::cmp::Ordering::Equal => 2,
        };
        favour[which] += 1;
        // Regret on noise-free F at the best observed point.
        let i = (0..last.y.len())
            .min_by(|&a, &b| last.y[a].total_cmp(&last.y[b]))
            .expect("observations");
        let regret = f.value(last.x.row(i)).expect("F") - TwoBasins::MINIMUM;
        regrets.push(regret);
        let _ = writeln!(
            t,
            "   seed {seed}: deep/second basin {deep}/{second}; regret {regret:.4}; favours {}",
            ["the deep basin", "the second basin", "neither"][which]
        );
    }
    let _ = writeln!(
        t,
        "   the deep basin is favoured in {} seeds, the second in {}, neither in {}; median \
         regret after 10 steps {:.4}, against {:.4} from the fixed design",
        favour[0],
        favour[1],
        favour[2],
        gradbo_listings::ch16::bo_loop::quantile(&regrets, 0.5),
        band(&w.curves[0], SHORT).1
    );
    t
}
