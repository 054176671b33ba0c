//! Tests of noisy expected improvement: against BoTorch on the same model, baseline and base
//! draws; against analytic EI and LogEI where qNEI reduces to them; against a brute-force
//! computation from the joint posterior; against finite differences; pruning; replicates in
//! the baseline; pending points and acquisition optimisation; bad input.

use super::*;
use crate::acquisition::monte_carlo::smooth::{fatmax, log_fatplus, log_mean_exp};
use crate::acquisition::monte_carlo::tests::{
    assert_matches_reference, reference_base, reference_model,
};
use crate::acquisition::{Acquisition, Analytic};
use crate::gp::{fixed_model, FitOptions, Gp, Hyperparameters, Kernel, KernelKind};
use crate::numeric::central_difference;
use crate::optimize_acqf::{optimize_acqf, AcqfOptions};
use crate::transforms::{Normalize, Standardize};
use crate::Bounds;
use ndarray::array;

/// What `benches/python/nei_reference.py` printed (botorch 0.18.1, torch float64): BoTorch's
/// qLogNEI and qNEI values and gradients at the batch [[0.4, 11.3], [1.9, 12.6]] with the 8
/// training inputs as baseline, unpruned, with and without the pending point [−1.1, 13.2].
const BOTORCH: &str = "\
matern52 pending=0 qLogNEI max value=-2.67414973905768250e+00 grad=1.01460966277116582e+00,1.44630848215798080e-01,-1.77285593063252800e+00,1.28565699512905574e+00\n\
matern52 pending=0 qLogNEI min value=-4.31137739552212693e+01 grad=3.90903280339966297e-01,-3.59074768574353220e-01,6.16835662188005597e-03,-1.13315658118400241e-02\n\
matern52 pending=0 qNEI max value=6.89654130020328215e-02 grad=6.99722112377747646e-02,9.97440784442921169e-03,-1.22265862526553276e-01,8.86659143516429493e-02\n\
matern52 pending=0 qNEI min value=0.00000000000000000e+00 grad=0.00000000000000000e+00,0.00000000000000000e+00,0.00000000000000000e+00,0.00000000000000000e+00\n\
matern52 pending=1 qLogNEI max value=-2.87678431654135380e+00 grad=1.15807075456224995e+00,1.37381206086074986e-01,-2.20128188851141005e+00,1.79642914101311724e+00\n\
matern52 pending=1 qLogNEI min value=-4.33560518720676811e+01 grad=4.14056854027124499e-01,-5.25526259190547851e-01,9.19518602945532115e-03,-9.54010928397729455e-03\n\
se pending=0 qLogNEI max value=-5.92569426529627830e+00 grad=3.61248562333986778e-01,3.09044173115502252e-01,-1.76310871734869075e+01,1.07867180256728563e+01\n\
se pending=0 qLogNEI min value=-4.41778573809851878e+01 grad=-6.54400258621941622e-01,-1.73033431130401788e-01,9.36416331673609998e-06,-8.21515688735922214e-06\n\
se pending=0 qNEI max value=2.66995338192566045e-03 grad=9.64516819470517058e-04,8.25133535330940197e-04,-4.70741808294634287e-02,2.88000342747146178e-02\n\
se pending=0 qNEI min value=0.00000000000000000e+00 grad=0.00000000000000000e+00,0.00000000000000000e+00,0.00000000000000000e+00,0.00000000000000000e+00\n\
se pending=1 qLogNEI max value=-5.57640782474602226e+00 grad=2.51934946111079583e-01,1.39383127058268191e-01,-5.26435119915126837e+00,4.25210473822050528e+00\n\
se pending=1 qLogNEI min value=-4.42997277605880839e+01 grad=-6.38830604539256997e-01,-1.59140663566260110e-01,8.71566248074859554e-06,-1.49199595884681278e-05";

/// The reference script's training inputs (those of `reference_model`).
fn reference_inputs() -> Array2<f64> {
    Array2::from_shape_fn((8, 2), |(i, j)| {
        let i = i as f64;
        if j == 0 {
            -2.0 + 5.0 * ((i * 0.618) % 1.0)
        } else {
            10.0 + 4.0 * ((i * 0.414 + 0.3) % 1.0)
        }
    })
}

fn unpruned(log: bool, samples: usize) -> NoisyOptions {
    NoisyOptions {
        log,
        monte_carlo: MonteCarloOptions { samples, ..MonteCarloOptions::default() },
        prune: None,
    }
}

#[test]
fn values_and_gradients_equal_botorch_s() {
    let x = array![0.4, 11.3, 1.9, 12.6];
    let mut checked = 0;
    for line in BOTORCH.lines() {
        let words: Vec<&str> = line.split_whitespace().collect();
        let kind = match words[0] {
            "matern52" => KernelKind::Matern52,
            _ => KernelKind::SquaredExponential,
        };
        let model = reference_model(kind);
        let direction = match words[3] {
            "max" => Direction::Maximise,
            _ => Direction::Minimise,
        };
        let options = unpruned(words[2] == "qLogNEI", 32);
        let mut a = NoisyExpectedImprovement::new(
            &model,
            reference_inputs().view(),
            direction,
            2,
            &options,
        )
        .unwrap();
        assert_eq!(a.baseline().nrows(), 8);
        if words[1] == "pending=1" {
            a = a.with_pending(array![[-1.1, 13.2]].view()).unwrap();
        }
        let width = 8 + a.pending().nrows() + 2;
        let a = a.with_base_samples(reference_base(width).view()).unwrap();
        let (value, grad) = a.value_and_gradient(x.view()).unwrap();
        assert_matches_reference(line, &words, value, grad.view(), 1e-7);
        checked += 1;
    }
    assert_eq!(checked, 12);
}

/// A GP on five points of sin with almost no noise (σₙ² = 1e-10), in its own units.
fn nearly_noise_free() -> FittedGp {
    let x = array![[-2.0], [-1.0], [0.3], [1.2], [2.5]];
    let y = x.column(0).mapv(|v: f64| v.sin() + 0.3 * v);
    let kernel = Kernel::new(KernelKind::Matern52, array![0.9], 1.0).unwrap();
    let hyper = Hyperparameters { kernel, mean: 0.0, noise: 1e-10 };
    let gp = Gp::new(x, y, hyper).unwrap();
    FittedGp {
        gp,
        normalize: Normalize::identity(1),
        standardize: Standardize::identity(),
        options: FitOptions::default(),
    }
}

/// With one candidate and one noise-free baseline point x₀, every draw's incumbent is f(x₀),
/// and qNEI is EI with the incumbent f(x₀) (qLogNEI its logarithm), up to Monte Carlo error.
#[test]
fn one_candidate_and_a_noise_free_baseline_point_give_ei_and_log_ei() {
    let model = nearly_noise_free();
    let mut compared = 0;
    for (direction, x0) in [(Direction::Maximise, 1.2), (Direction::Minimise, -2.0)]
    {
        let baseline = array![[x0]];
        let incumbent = model.marginals(baseline.view()).unwrap().mean[0];
        let exact = Analytic::new(
            &model,
            Acquisition::ExpectedImprovement { best: incumbent },
            direction,
        )
        .unwrap();
        let options = |log| NoisyOptions {
            log,
            monte_carlo: MonteCarloOptions {
                samples: 512,
                seed: 4,
                ..Default::default()
            },
            prune: Some(PruneOptions::default()),
        };
        let nei = NoisyExpectedImprovement::new(
            &model,
            baseline.view(),
            direction,
            1,
            &options(false),
        )
        .unwrap();
        let log_nei = NoisyExpectedImprovement::new(
            &model,
            baseline.view(),
            direction,
            1,
            &options(true),
        )
        .unwrap();
        // The incumbent of every draw is f(x₀), known to within √1e-10.
        let sign = direction.sign();
        assert!(nei
            .incumbents()
            .iter()
            .all(|b| (b - sign * incumbent).abs() < 1e-4));
        let points = array![[-2.6], [-1.5], [0.0], [0.8], [1.7], [2.9]];
        let want = exact.values(points.view()).unwrap();
        let got = nei.values(points.view()).unwrap();
        let log_got = log_nei.values(points.view()).unwrap();
        for (i, row) in points.rows().into_iter().enumerate() {
            // Three standard errors of an average of 512 independent improvements.
            let p = model.marginals(row.insert_axis(Axis(0))).unwrap();
            let sd = p.variance[0].sqrt();
            let z = sign * (p.mean[0] - incumbent) / sd;
            let (cdf, pdf) =
                (crate::special::normal_cdf(z), crate::special::normal_pdf(z));
            let second = sd * sd * ((z * z + 1.0) * cdf + z * pdf);
            let spread =
                3.0 * (second - want[i] * want[i]).max(0.0).sqrt() / 512f64.sqrt();
            assert!((got[i] - want[i]).abs() <= spread + 1e-9, "{direction:?} {i}");
            if want[i] > 1e-3 {
                assert!(
                    (log_got[i] - want[i].ln()).abs() <= spread / want[i],
                    "{i}"
                );
                compared += 1;
            }
        }
    }
    assert!(compared >= 4, "only {compared} points with a visible EI");
}

/// The value by hand: joint draws of the posterior at [baseline; candidates] with the same
/// base draws, then the formulas of the module's documentation.
#[test]
fn values_are_the_formula_on_joint_posterior_draws() {
    let model = fixed_model(KernelKind::SquaredExponential, 9, 2);
    let baseline = model.normalize.untransform(model.gp.inputs().view()).unwrap();
    let x = array![[1.5, 22.0], [5.0, 18.5], [-1.0, 26.0]];
    let mut improving = 0;
    for direction in [Direction::Maximise, Direction::Minimise] {
        for log in [false, true] {
            let a = NoisyExpectedImprovement::new(
                &model,
                baseline.view(),
                direction,
                3,
                &unpruned(log, 64),
            )
            .unwrap();
            let b = a.baseline().nrows();
            assert_eq!(b, 9);
            let z = NormalSampler::new(64, b + 3, 0).unwrap().base().to_owned();
            let joint = concatenate![Axis(0), a.baseline(), x.view()];
            let draws =
                model.posterior(joint.view()).unwrap().sample(z.view()).unwrap();
            let g = draws * direction.sign();
            let tau = (TAU_MAX, TAU_RELU);
            let per_draw: Array1<f64> = g
                .rows()
                .into_iter()
                .map(|row| {
                    let best = row
                        .slice(s![..b])
                        .fold(f64::NEG_INFINITY, |m, &v| m.max(v));
                    let c = row.slice(s![b..]).mapv(|v| v - best);
                    if log {
                        fatmax(c.mapv(|v| log_fatplus(v, tau.1).0).view(), tau.0).0
                    } else {
                        c.fold(0.0_f64, |m, &v| m.max(v))
                    }
                })
                .collect();
            let want = if log {
                log_mean_exp(per_draw.view()).0
            } else {
                per_draw.mean().unwrap()
            };
            let flat: Array1<f64> = x.iter().copied().collect();
            let got = a.values(flat.insert_axis(Axis(0)).view()).unwrap()[0];
            assert!(
                (got - want).abs() < 1e-9 * want.abs().max(1e-3),
                "{direction:?} log={log}: {got} vs {want}"
            );
            if !log && want > 0.0 {
                improving += 1;
            }
        }
    }
    assert!(improving > 0, "no draw improves: the test compares zeros");
}

use super::super::{TAU_MAX, TAU_RELU};

#[test]
fn tape_gradients_match_finite_differences() {
    let model = fixed_model(KernelKind::Matern52, 10, 2);
    let baseline = model.normalize.untransform(model.gp.inputs().view()).unwrap();
    let x = array![2.1, 20.3, 5.2, 24.9];
    for direction in [Direction::Maximise, Direction::Minimise] {
        for log in [false, true] {
            let a = NoisyExpectedImprovement::new(
                &model,
                baseline.view(),
                direction,
                2,
                &unpruned(log, 128),
            )
            .unwrap()
            .with_pending(array![[0.5, 23.0]].view())
            .unwrap();
            let (_, g) = a.value_and_gradient(x.view()).unwrap();
            let fd = central_difference(
                |v| a.value_and_gradient(v.view()).unwrap().0,
                &x,
                1e-6,
            );
            let scale = fd.iter().fold(1e-6_f64, |m, v| m.max(v.abs()));
            for (a, f) in g.iter().zip(&fd) {
                assert!(
                    (a - f).abs() < 1e-5 * scale,
                    "{direction:?} log={log}: {g} vs {fd}"
                );
            }
            assert!(
                g.iter().any(|v| v.abs() > 1e-8),
                "{direction:?} log={log}: {g}"
            );
        }
    }
}

/// Five independent posteriors (ℓ far below the spacing) of standard deviation
/// √(0.01/1.01) ≈ 0.1: a point whose mean is more than 5 standard deviations of a
/// difference (0.14) from the best is never the best of 2048 draws.
#[test]
fn pruning_keeps_the_points_that_can_be_best() {
    let x = array![[-2.0], [-1.0], [0.3], [1.2], [2.5]];
    let y = array![0.0, 1.9, 0.2, 1.2, 0.9];
    let kernel = Kernel::new(KernelKind::Matern52, array![0.05], 1.0).unwrap();
    let hyper = Hyperparameters { kernel, mean: 0.0, noise: 0.01 };
    let gp =
        Gp::with_noise_variances(x.clone(), y, hyper, Array1::from_elem(5, 0.0))
            .unwrap();
    let model = FittedGp {
        gp,
        normalize: Normalize::identity(1),
        standardize: Standardize::identity(),
        options: FitOptions::default(),
    };
    // Independent points (ℓ = 0.05 ≪ spacing): posterior N(y/1.01, 0.01/1.01).
    let opts = PruneOptions::default();
    let kept = prune_inferior_points(&model, x.view(), Direction::Maximise, &opts)
        .unwrap();
    assert_eq!(kept, vec![1]);
    // Minimising: 0 (at −2) and 0.2 (at 0.3) are 1.4 standard deviations of their
    // difference apart, and both are sometimes the lowest.
    let kept = prune_inferior_points(&model, x.view(), Direction::Minimise, &opts)
        .unwrap();
    assert_eq!(kept, vec![0, 2]);
    let half = PruneOptions { max_fraction: 0.2, ..opts };
    let kept = prune_inferior_points(&model, x.view(), Direction::Minimise, &half)
        .unwrap();
    assert_eq!(kept, vec![0]);
    let a = NoisyExpectedImprovement::new(
        &model,
        x.view(),
        Direction::Maximise,
        1,
        &NoisyOptions::default(),
    )
    .unwrap();
    assert_eq!(a.baseline(), array![[-1.0]]);
    for bad in [0.0, 1.5, f64::NAN] {
        let o = PruneOptions { max_fraction: bad, ..opts };
        assert!(prune_inferior_points(&model, x.view(), Direction::Maximise, &o)
            .is_err());
    }
}

/// Six exact replicates of one input and two other points: a fixed-noise fit, the baseline
/// reduced to three distinct points, finite values and gradients.
#[test]
fn replicates_in_the_baseline_are_one_point() {
    let x = array![[0.4], [0.4], [0.4], [0.4], [0.4], [0.4], [-1.0], [1.5]];
    let y = array![0.31, 0.18, 0.27, 0.40, 0.22, 0.35, -0.5, 0.1];
    let fitted = crate::gp::fit(
        x.view(),
        &y,
        &FitOptions::fixed_noise(1, Array1::from_elem(8, 0.0144)),
    )
    .unwrap();
    assert_eq!(distinct_rows(x.view()), vec![0, 6, 7]);
    for log in [false, true] {
        let a = NoisyExpectedImprovement::new(
            &fitted,
            x.view(),
            Direction::Maximise,
            1,
            &unpruned(log, 128),
        )
        .unwrap();
        assert_eq!(a.baseline(), array![[0.4], [-1.0], [1.5]]);
        for at in [-2.0, 0.4, 0.9] {
            let (v, g) = a.value_and_gradient(array![at].view()).unwrap();
            assert!(v.is_finite() && g[0].is_finite(), "{at}");
        }
    }
}

#[test]
fn optimize_acqf_finds_the_best_candidate_and_pending_points_move_it() {
    let model = fixed_model(KernelKind::Matern52, 10, 2);
    let baseline = model.normalize.untransform(model.gp.inputs().view()).unwrap();
    let bounds = Bounds::new(array![-3.0, 17.0], array![7.0, 27.0]).unwrap();
    let options =
        AcqfOptions { restarts: 4, raw_samples: 64, ..AcqfOptions::default() };
    let a = NoisyExpectedImprovement::new(
        &model,
        baseline.view(),
        Direction::Maximise,
        1,
        &NoisyOptions::default(),
    )
    .unwrap();
    let found = optimize_acqf(&a, &bounds, &options).unwrap();
    // No Sobol point of a fine survey does better.
    let survey = crate::sampling::draw_sobol_samples(&bounds, 256, 9).unwrap();
    let best_raw =
        a.values(survey.view()).unwrap().fold(f64::NEG_INFINITY, |m, &v| m.max(v));
    assert!(found.value >= best_raw - 1e-9, "{} vs {best_raw}", found.value);
    // With the found point pending, it is worth less there, and the next choice moves.
    let pending = found.x.clone().insert_axis(Axis(0));
    let next = a.with_pending(pending.view()).unwrap();
    let there = next.values(pending.view()).unwrap()[0];
    assert!(there < found.value - 0.5, "{there} vs {}", found.value);
    let moved = optimize_acqf(&next, &bounds, &options).unwrap();
    assert!((&moved.x - &found.x).iter().any(|d| d.abs() > 1e-2));
}

#[test]
fn bad_settings_and_inputs_are_errors() {
    let model = fixed_model(KernelKind::Matern52, 6, 2);
    let baseline = model.normalize.untransform(model.gp.inputs().view()).unwrap();
    let new = |b: ArrayView2<'_, f64>, q: usize, o: &NoisyOptions| {
        NoisyExpectedImprovement::new(&model, b, Direction::Maximise, q, o)
    };
    let o = NoisyOptions::default();
    assert!(matches!(new(baseline.view(), 0, &o), Err(Error::InvalidInput { .. })));
    assert!(matches!(
        new(baseline.slice(s![..0, ..]), 1, &o),
        Err(Error::Empty { .. })
    ));
    assert!(matches!(
        new(array![[1.0, 2.0, 3.0]].view(), 1, &o),
        Err(Error::ShapeMismatch { .. })
    ));
    assert!(matches!(
        new(array![[1.0, f64::NAN]].view(), 1, &o),
        Err(Error::NonFinite { .. })
    ));
    for tau in [0.0, -1.0, f64::INFINITY] {
        let mc =
            MonteCarloOptions { tau_relu: tau, ..MonteCarloOptions::default() };
        let bad = NoisyOptions { monte_carlo: mc, ..o };
        assert!(matches!(
            new(baseline.view(), 1, &bad),
            Err(Error::InvalidInput { .. })
        ));
    }
    let empty = NoisyOptions {
        monte_carlo: MonteCarloOptions {
            samples: 0,
            ..MonteCarloOptions::default()
        },
        prune: None,
        ..o
    };
    assert!(new(baseline.view(), 1, &empty).is_err());
    let a = new(baseline.view(), 2, &o).unwrap();
    assert!(matches!(
        a.values(array![[1.0, 20.0]].view()),
        Err(Error::ShapeMismatch { .. })
    ));
    assert!(matches!(
        a.value_and_gradient(array![1.0, f64::NAN, 2.0, 20.0].view()),
        Err(Error::NonFinite { .. })
    ));
    assert!(a.with_pending(array![[1.0]].view()).is_err());
    assert!(a.with_pending(array![[1.0, f64::INFINITY]].view()).is_err());
    let width = a.baseline().nrows() + 2;
    assert!(a.with_base_samples(Array2::zeros((4, width + 1)).view()).is_err());
    assert!(a.with_base_samples(Array2::zeros((4, width)).view()).is_ok());
    assert!(a.with_base_samples(Array2::zeros((0, width)).view()).is_err());
    let mut z = Array2::zeros((4, width));
    z[[0, 0]] = f64::NAN;
    assert!(a.with_base_samples(z.view()).is_err());
}

/// For one candidate the value and gradient are computed off the tape; they are the
/// tape's, which the finite differences above check.
#[test]
fn the_one_point_path_equals_the_tape() {
    let model = fixed_model(KernelKind::Matern52, 10, 2);
    let baseline = model.normalize.untransform(model.gp.inputs().view()).unwrap();
    for direction in [Direction::Maximise, Direction::Minimise] {
        for log in [false, true] {
            let a = NoisyExpectedImprovement::new(
                &model,
                baseline.view(),
                direction,
                1,
                &NoisyOptions { log, ..NoisyOptions::default() },
            )
            .unwrap()
            .with_pending(array![[0.5, 23.0]].view())
            .unwrap();
            for at in [array![2.1, 20.3], array![5.2, 24.9], array![-2.5, 17.5]] {
                let (value, grad) = a.value_and_gradient(at.view()).unwrap();
                let tape = crate::autodiff::Tape::new();
                let xv = tape.param(at.clone().insert_axis(Axis(0)).into_dyn());
                let v = a.value_on_tape(xv).unwrap();
                tape.backward(v).unwrap();
                let want = tape.item(v).unwrap();
                let want_grad: Array1<f64> =
                    tape.grad(xv).unwrap().iter().copied().collect();
                assert!(
                    (value - want).abs() < 1e-10 * want.abs().max(1e-6),
                    "{value} vs {want}"
                );
                let size = want_grad.iter().fold(1e-12_f64, |m, g| m.max(g.abs()));
                for (g, w) in grad.iter().zip(&want_grad) {
                    assert!(
                        (g - w).abs() < 1e-7 * size,
                        "{direction:?} {log}: {grad} vs {want_grad}"
                    );
                }
                let row = at.clone().insert_axis(Axis(0));
                assert!(
                    (a.values(row.view()).unwrap()[0] - value).abs()
                        < 1e-14 * value.abs().max(1.0)
                );
            }
        }
    }
}
