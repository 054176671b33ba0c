//! Tests of the loop's spending mode beyond the acquisition ladder: the fully Bayesian
//! model, the Monte Carlo form for single points, the trust region and the rule that
//! chooses among them.

use super::*;
use crate::acquisition::AcquisitionFunction;
use crate::gp::fully_bayesian::BayesianPriors;
use crate::mcmc::SliceOptions;
use crate::optimize_acqf::effort::Effort;
use crate::sampling::draw_sobol_samples;
use crate::test_functions::{Ackley, Branin, TestProblem};
use crate::turbo::AskKind;
use ndarray::{array, Axis};

/// A small chain, so that the tests run quickly.
fn quick_chain() -> ChainOptions {
    ChainOptions {
        priors: None,
        sampler: SliceOptions {
            warmup: 24,
            samples: 24,
            thinning: 6,
            ..SliceOptions::default()
        },
        continued_warmup: 8,
        allowance: None,
    }
}

/// An optimiser of `problem` told a Sobol design of `n` points, with `quality` and a
/// cheap acquisition search.
fn optimiser(problem: &dyn TestProblem, n: usize, quality: Quality) -> Optimizer {
    let bounds = problem.bounds().clone();
    let settings = Settings {
        acqf: AcqfOptions {
            restarts: 4,
            raw_samples: 64,
            ..AcqfOptions::default()
        },
        monte_carlo: MonteCarloOptions {
            samples: 64,
            ..MonteCarloOptions::default()
        },
        quality,
        ..Settings::default()
    };
    let mut opt =
        Optimizer::new(bounds.clone(), Direction::Minimise, settings).unwrap();
    let init = draw_sobol_samples(&bounds, n, 0).unwrap();
    opt.tell(init.view(), problem.values(init.view()).unwrap().view()).unwrap();
    opt
}

/// `steps` asks and tells; the optimiser afterwards.
fn steps(mut opt: Optimizer, problem: &dyn TestProblem, steps: usize) -> Optimizer {
    for _ in 0..steps {
        let x = opt.ask().unwrap();
        let v = problem.value(x.view()).unwrap();
        opt.tell(x.view().insert_axis(Axis(0)), array![v].view()).unwrap();
    }
    opt
}

fn bayes(monte_carlo: bool) -> Quality {
    Quality::Spend(SpendOptions {
        model: SpendModel::FullyBayesian(quick_chain()),
        monte_carlo,
        ..SpendOptions::new(Effort::Fixed(0))
    })
}

#[test]
fn a_fully_bayesian_ask_averages_over_the_draws_and_repeats_for_a_seed() {
    let branin = Branin::new();
    for monte_carlo in [false, true] {
        let a = steps(optimiser(&branin, 6, bayes(monte_carlo)), &branin, 3);
        let b = steps(optimiser(&branin, 6, bayes(monte_carlo)), &branin, 3);
        for (h, g) in a.history().iter().zip(b.history()) {
            assert_eq!(h.draws, 4, "24 sweeps kept every 6th");
            assert_eq!(h.batch, g.batch);
            assert_eq!(h.acquisition_value, g.acquisition_value);
            assert!(h.acquisition_value.is_finite());
            assert!(branin.bounds().contains(h.candidate.view()));
        }
        let e = a.ensemble.as_ref().unwrap();
        assert_eq!(e.members().len(), 4);
        // The last ask's value is the ensemble's acquisition function at its point.
        let last = a.history().last().unwrap();
        let best = last.incumbent;
        let value = if monte_carlo {
            let mut mc = a.monte_carlo_options();
            // The record was made before the history grew by the last ask.
            mc.seed = a.settings.monte_carlo.seed + (a.history().len() as u64 - 1);
            mc.samples = (64 / 4).max(MIN_MEMBER_SAMPLES);
            let acqf = Ensemble::monte_carlo(
                e.members(),
                MonteCarloKind::LogExpectedImprovement { best },
                Direction::Minimise,
                1,
                &mc,
                Array2::zeros((0, 2)).view(),
            )
            .unwrap();
            acqf.values(last.batch.view()).unwrap()[0]
        } else {
            let acqf = Ensemble::new(
                e.members(),
                Acquisition::LogExpectedImprovement { best },
                Direction::Minimise,
            )
            .unwrap();
            acqf.values(last.batch.view()).unwrap()[0]
        };
        assert!(
            (value - last.acquisition_value).abs() < 1e-9 * value.abs().max(1.0),
            "{value} vs {}",
            last.acquisition_value
        );
        // The usual loop records no draws.
        let usual = steps(optimiser(&branin, 6, Quality::Default), &branin, 1);
        assert_eq!(usual.history()[0].draws, 0);
    }
}

#[test]
fn later_asks_continue_the_chain_from_its_last_draw() {
    let branin = Branin::new();
    let opt = steps(optimiser(&branin, 6, bayes(false)), &branin, 1);
    let first = opt.ensemble.as_ref().unwrap().clone();
    let opt = steps(opt, &branin, 1);
    let second = opt.ensemble.as_ref().unwrap();
    // The first fit ran 24 + 24 sweeps, the second 8 + 24: fewer density evaluations.
    assert!(second.chain().evaluations < first.chain().evaluations);
    // Continuing from the first chain's last draw is what a fit with that start gives.
    let options = FullyBayesianOptions {
        priors: BayesianPriors::single_task(2),
        sampler: SliceOptions { warmup: 8, seed: 1, ..quick_chain().sampler },
        input_bounds: Some(branin.bounds().clone()),
        start: Some(first.last_draw()),
    };
    let y = Array1::from(opt.values().to_vec());
    let x = opt.inputs();
    let n = x.nrows() - 1;
    let again = fit_fully_bayesian(
        x.slice(ndarray::s![..n, ..]),
        &y.slice(ndarray::s![..n]).to_owned(),
        &options,
    )
    .unwrap();
    assert_eq!(again.chain().draws, second.chain().draws);
}

#[test]
fn monte_carlo_single_points_use_the_joint_search_of_one_point() {
    let branin = Branin::new();
    let q = Quality::Spend(SpendOptions {
        monte_carlo: true,
        ..SpendOptions::new(Effort::Fixed(0))
    });
    let opt = steps(optimiser(&branin, 6, q), &branin, 2);
    let last = opt.history().last().unwrap();
    let model = opt.model().unwrap();
    let mut mc = opt.monte_carlo_options();
    mc.seed = opt.settings.monte_carlo.seed + 1;
    let acqf = MonteCarlo::new(
        model,
        MonteCarloKind::LogExpectedImprovement { best: last.incumbent },
        Direction::Minimise,
        1,
        &mc,
    )
    .unwrap();
    let value = acqf.values(last.batch.view()).unwrap()[0];
    assert!((value - last.acquisition_value).abs() < 1e-9 * value.abs().max(1.0));
    // The analytic loop decides otherwise at the same data.
    let analytic = steps(optimiser(&branin, 6, Quality::Default), &branin, 2);
    assert_ne!(analytic.history()[1].acquisition_value, last.acquisition_value);
}

fn region() -> Quality {
    Quality::Spend(SpendOptions {
        region: Some(TurboOptions {
            candidates: Some(256),
            ..TurboOptions::default()
        }),
        ..SpendOptions::new(Effort::Fixed(0))
    })
}

#[test]
fn a_trust_region_ask_is_turbo_s_started_from_the_told_design() {
    let ackley = Ackley::new(4).unwrap();
    let opt = steps(optimiser(&ackley, 10, region()), &ackley, 12);
    // TuRBO by hand from the same design, told the same values.
    let options = TurboOptions { candidates: Some(256), ..TurboOptions::default() };
    let bounds = ackley.bounds().clone();
    let mut turbo =
        Turbo::new(bounds.clone(), Direction::Minimise, options).unwrap();
    let init = draw_sobol_samples(&bounds, 10, 0).unwrap();
    turbo
        .start_from(init.view(), ackley.values(init.view()).unwrap().view())
        .unwrap();
    for h in opt.history() {
        let x = turbo.ask(1).unwrap();
        assert_eq!(x, h.batch);
        let (mine, theirs) =
            (h.trust_region.as_ref().unwrap(), turbo.history().last().unwrap());
        assert_eq!(
            (
                mine.kind,
                mine.length,
                mine.successes,
                mine.failures,
                mine.draw_value
            ),
            (
                theirs.kind,
                theirs.length,
                theirs.successes,
                theirs.failures,
                theirs.draw_value
            )
        );
        assert!(h.acquisition_value.is_finite());
        turbo.tell(x.view(), ackley.values(x.view()).unwrap().view()).unwrap();
    }
    assert_eq!(
        opt.history()[0].trust_region.as_ref().unwrap().kind,
        AskKind::Region
    );
    assert_eq!(turbo.values(), opt.values());
    assert!(opt
        .history()
        .iter()
        .all(|h| h.hyperparameters.lengthscales.len() == 4));
}

#[test]
fn a_trust_region_waits_for_the_pending_points() {
    let ackley = Ackley::new(3).unwrap();
    let mut opt = optimiser(&ackley, 8, region());
    let x = opt.ask().unwrap();
    let before = opt.history().len();
    assert!(matches!(opt.ask(), Err(Error::InvalidInput { .. })));
    assert_eq!(opt.history().len(), before, "a refused ask records nothing");
    opt.tell(
        x.view().insert_axis(Axis(0)),
        array![ackley.value(x.view()).unwrap()].view(),
    )
    .unwrap();
    assert!(opt.ask().is_ok());
}

#[test]
fn the_rule_chooses_a_trust_region_from_twenty_dimensions() {
    let low = SpendOptions::within(0.5, REGION_DIM - 1);
    assert!(low.region.is_none());
    assert!(low.monte_carlo);
    let SpendModel::FullyBayesian(chain) = &low.model else {
        panic!("a fully Bayesian model below twenty dimensions")
    };
    assert_eq!(chain.priors, Some(BayesianPriors::saas()));
    assert_eq!(chain.allowance, Some(0.5));
    assert_eq!(low.effort, Effort::Fixed(0));
    let high = SpendOptions::within(0.5, REGION_DIM);
    assert!(high.region.is_some());
    assert!(low.check().is_ok() && high.check().is_ok());
    let bad = SpendOptions {
        model: SpendModel::FullyBayesian(ChainOptions {
            sampler: SliceOptions { samples: 0, ..SliceOptions::default() },
            ..ChainOptions::default()
        }),
        ..SpendOptions::new(Effort::Fixed(0))
    };
    let no_time = SpendOptions {
        model: SpendModel::FullyBayesian(ChainOptions {
            allowance: Some(f64::NAN),
            ..ChainOptions::default()
        }),
        ..SpendOptions::new(Effort::Fixed(0))
    };
    for bad in [bad, no_time] {
        let settings =
            Settings { quality: Quality::Spend(bad), ..Settings::default() };
        let bounds = Branin::new().bounds().clone();
        assert!(matches!(
            Optimizer::new(bounds, Direction::Minimise, settings),
            Err(Error::InvalidInput { .. })
        ));
    }
}

#[test]
fn a_chain_that_would_overrun_its_allowance_gives_way_to_the_usual_fit() {
    let branin = Branin::new();
    let tight = Quality::Spend(SpendOptions {
        model: SpendModel::FullyBayesian(ChainOptions {
            allowance: Some(1e-9),
            ..quick_chain()
        }),
        ..SpendOptions::new(Effort::Fixed(0))
    });
    let opt = steps(optimiser(&branin, 6, tight), &branin, 3);
    let draws: Vec<usize> = opt.history().iter().map(|h| h.draws).collect();
    // The first ask has no chain to predict from; the later ones would overrun.
    assert_eq!(draws, [4, 0, 0]);
    // Every PROBE_EVERY-th ask since the last chain samples again.
    let longer = steps(opt.clone(), &branin, 2 * PROBE_EVERY - 2);
    let sampled: Vec<usize> = (0..longer.history().len())
        .filter(|&k| longer.history()[k].draws > 0)
        .collect();
    assert_eq!(sampled, [0, PROBE_EVERY, 2 * PROBE_EVERY]);
    // The usual fit's decision at the same data.
    let usual = steps(optimiser(&branin, 6, Quality::Default), &branin, 1);
    // The usual loop's second ask, on the same data as the spending loop's second: an ask
    // to advance its seed, then the spending loop's first point in place of its own.
    let mut replay = optimiser(&branin, 6, Quality::Default);
    replay.ask().unwrap();
    replay.clear_pending();
    let first = opt.history()[0].batch.clone();
    replay.tell(first.view(), branin.values(first.view()).unwrap().view()).unwrap();
    replay.ask().unwrap();
    assert_eq!(replay.history()[1].batch, opt.history()[1].batch);
    assert_ne!(usual.history()[0].batch, opt.history()[0].batch);
}
