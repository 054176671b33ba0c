//! The library's one rule, tried over its public API: from finite inputs it returns finite
//! outputs or a clear `Error` — never NaN, ±∞, a panic or a silently wrong shape — at
//! extreme scales included (values near 1e±300, ranges near zero, σ near 0, |z| up to 1e6).
//!
//! The eight properties run 16·`CASES`, 4·`CASES` (three times), `CASES`, `CASES`/2 and
//! `CASES`/4 (twice) random cases (proptest): 1920 in all with `CASES` = 64.

use gradbo::acquisition::{
    expected_improvement, log_expected_improvement, log_probability_of_improvement,
    probability_of_improvement, upper_confidence_bound, Acquisition,
    AcquisitionFunction, Analytic, Direction,
};
use gradbo::bo::{Optimizer, Settings};
use gradbo::gp::{fit, FitOptions, ScaleWarning};
use gradbo::models::Model;
use gradbo::multi_objective::{
    closest_to_ideal, dominated_boxes, dominates, hypervolume, non_dominated,
    non_dominated_boxes, threshold_then_maximise, validate_reference, weighted_sum,
    ModelList,
};
use gradbo::optimize_acqf::{optimize_acqf, AcqfOptions};
use gradbo::sampling::{qmc_normal, NormalSampler, MAX_DIM};
use gradbo::special::normal_quantile;
use gradbo::transforms::{Normalize, Standardize};
use gradbo::{Bounds, Error};
use ndarray::{Array1, Array2, Axis};
use proptest::prelude::*;

const CASES: u32 = 64;

fn config(cases: u32) -> ProptestConfig {
    ProptestConfig { cases, failure_persistence: None, ..ProptestConfig::default() }
}

/// A finite number of any size: mantissa in [−1, 1] times 10^e, e in [−300, 300].
fn any_scale() -> impl Strategy<Value = f64> {
    (-1.0f64..1.0, -300i32..300).prop_map(|(m, e)| m * 10f64.powi(e))
}

/// Ok with finite numbers, or a clear error: the only two outcomes allowed.
fn finite_or_error<T>(
    r: Result<T, Error>,
    numbers: impl Fn(&T) -> Vec<f64>,
) -> bool {
    match r {
        Ok(v) => numbers(&v).iter().all(|x| x.is_finite()),
        Err(e) => !e.to_string().is_empty(),
    }
}

proptest! {
    #![proptest_config(config(CASES * 16))]

    #[test]
    fn acquisition_formulas_are_finite_everywhere(
        mean in -1e6f64..1e6, log_sd in -300f64..300.0, best in -1e6f64..1e6, beta in 0.0f64..100.0,
    ) {
        let sd = 10f64.powf(log_sd);
        for v in [
            probability_of_improvement(mean, sd, best),
            log_probability_of_improvement(mean, sd, best),
            expected_improvement(mean, sd, best),
            log_expected_improvement(mean, sd, best),
            upper_confidence_bound(mean, sd, beta),
        ] {
            // UCB's μ + √β σ overflows only for σ near f64::MAX, beyond this range.
            prop_assert!(v.value.is_finite() && v.d_mean.is_finite() && v.d_sd.is_finite(),
                "μ = {mean}, σ = {sd}, f* = {best}: {v:?}");
        }
    }
}

proptest! {
    #![proptest_config(config(CASES * 4))]

    #[test]
    fn bounds_and_transforms_are_finite_or_refused(
        lo in any_scale(), width in any_scale(), xs in prop::collection::vec(any_scale(), 1..20),
    ) {
        let bounds = Bounds::new(Array1::from(vec![lo]), Array1::from(vec![lo + width.abs()]));
        if let Ok(b) = &bounds {
            let u = Array2::from_shape_fn((xs.len(), 1), |(i, _)| (xs[i].abs() / 1e300).min(1.0));
            let ok = finite_or_error(b.from_unit(u.view()), |x| x.iter().copied().collect());
            prop_assert!(ok, "from_unit");
            let n = Normalize::from_bounds(b);
            let x = b.from_unit(u.view()).unwrap();
            let ok = finite_or_error(n.apply(x.view()), |x| x.iter().copied().collect());
            prop_assert!(ok, "Normalize::apply");
        }
        let x = Array2::from_shape_fn((xs.len(), 1), |(i, _)| xs[i]);
        if let Ok(n) = Normalize::learn(x.view()) {
            let ok = finite_or_error(n.apply(x.view()), |x| x.iter().copied().collect());
            prop_assert!(ok, "learned Normalize::apply");
        }
        let s = Standardize::learn(Array1::from(xs.clone()).view());
        let ok = finite_or_error(s, |s| vec![s.mean, s.std]);
        prop_assert!(ok, "Standardize");
    }
}

proptest! {
    #![proptest_config(config(CASES * 4))]

    #[test]
    fn normal_quantiles_and_base_samples_are_finite_or_refused(
        p in prop_oneof![any_scale(), any_scale().prop_map(|v| 1.0 - v.abs()), 0.0f64..1.0],
        n in 0usize..40, dim in 0usize..MAX_DIM + 8, seed in any::<u64>(),
    ) {
        let q = normal_quantile(p);
        prop_assert!(finite_or_error(q.clone(), |q| vec![*q]), "Φ⁻¹({p})");
        // Every p strictly inside (0, 1) has an answer, and only those.
        prop_assert_eq!(q.is_ok(), p > 0.0 && p < 1.0, "Φ⁻¹({})", p);
        let z = qmc_normal(n, dim, seed);
        prop_assert!(finite_or_error(z.clone(), |z| z.iter().copied().collect()), "qmc_normal");
        let valid = n > 0 && dim > 0 && dim <= MAX_DIM;
        prop_assert_eq!(z.map(|z| z.dim()).ok(), valid.then_some((n, dim)));
        let sampler = NormalSampler::new(n, dim, seed);
        prop_assert!(finite_or_error(sampler, |s| s.base().iter().copied().collect()));
    }
}

/// A small data set of `n` points in d = 2 at input scale 10^`in_exp`, output scale
/// 10^`out_exp`, with optional duplicates and constant outputs.
fn data(
    n: usize,
    in_exp: i32,
    out_exp: i32,
    duplicate: bool,
    constant: bool,
) -> (Array2<f64>, Array1<f64>) {
    let s = 10f64.powi(in_exp);
    let x = Array2::from_shape_fn((n, 2), |(i, j)| {
        let i = if duplicate && i % 2 == 1 { i - 1 } else { i };
        s * (((i * 7 + j * 3) % 11) as f64 / 10.0 + 0.1 * j as f64)
    });
    let y = x.map_axis(Axis(1), |r| {
        if constant {
            3.0 * 10f64.powi(out_exp)
        } else {
            10f64.powi(out_exp) * ((r[0] / s).sin() + r[1] / s)
        }
    });
    (x, y)
}

proptest! {
    #![proptest_config(config(CASES))]

    #[test]
    fn models_and_acquisitions_are_finite_or_refused(
        n in 1usize..12, in_exp in -150i32..150, out_exp in -300i32..300,
        duplicate in any::<bool>(), constant in any::<bool>(),
        at in prop::collection::vec(0.0f64..1.0, 2),
    ) {
        let (x, y) = data(n, in_exp, out_exp, duplicate, constant);
        let fitted = fit(x.view(), &y, &FitOptions::single_task(2));
        let units = fitted.as_ref().map_err(Clone::clone).and_then(|m| m.data_units());
        let ok = finite_or_error(units, |h| {
            let mut v = h.lengthscales.to_vec();
            v.extend([h.mean, h.outputscale, h.noise]);
            v
        });
        prop_assert!(ok, "fit");
        let Ok(model) = fitted else { return Ok(()) };
        let s = 10f64.powi(in_exp);
        let point = Array1::from(vec![at[0] * s, at[1] * s]);
        let grid = point.view().insert_axis(Axis(0)).to_owned();
        let ok = finite_or_error(model.marginals(grid.view()), |p| {
            p.mean.iter().chain(&p.variance).copied().collect()
        });
        prop_assert!(ok, "marginals");
        let ok = finite_or_error(model.point(point.view()), |p| {
            let mut v = vec![p.mean, p.variance];
            v.extend(p.mean_gradient.iter().chain(&p.variance_gradient));
            v
        });
        prop_assert!(ok, "point");
        let best = Direction::Minimise.best(y.iter().copied()).unwrap();
        for kind in [
            Acquisition::LogExpectedImprovement { best },
            Acquisition::ExpectedImprovement { best },
            Acquisition::LogProbabilityOfImprovement { best },
            Acquisition::UpperConfidenceBound { beta: 2.0 },
        ] {
            let a = Analytic::new(&model, kind, Direction::Minimise).unwrap();
            let ok = finite_or_error(a.values(grid.view()), |v| v.to_vec());
            prop_assert!(ok, "values of {:?}", kind);
            let ok = finite_or_error(a.value_and_gradient(point.view()), |(v, g)| {
                let mut all = vec![*v];
                all.extend(g.iter());
                all
            });
            prop_assert!(ok, "value and gradient of {:?}", kind);
        }
        // A wrong width is always an error, never a broadcast.
        let refused = matches!(
            model.marginals(Array2::zeros((3, 1)).view()),
            Err(Error::ShapeMismatch { .. })
        );
        prop_assert!(refused, "a wrong width");
    }
}

proptest! {
    #![proptest_config(config(CASES / 2))]

    #[test]
    fn untransformed_fits_are_finite_or_refused_and_say_why(
        n in 1usize..12, in_exp in -150i32..150, out_exp in -300i32..300,
        duplicate in any::<bool>(), constant in any::<bool>(),
    ) {
        // No transforms: the data reach the kernel at whatever scale they come in.
        let (x, y) = data(n, in_exp, out_exp, duplicate, constant);
        let options = FitOptions {
            normalize_inputs: false,
            standardize_outputs: false,
            ..FitOptions::single_task(2)
        };
        let fitted = fit(x.view(), &y, &options);
        let units = fitted.as_ref().map_err(Clone::clone).and_then(|m| m.data_units());
        let ok = finite_or_error(units, |h| {
            let mut v = h.lengthscales.to_vec();
            v.extend([h.mean, h.outputscale, h.noise]);
            v
        });
        prop_assert!(ok, "fit");
        let Ok(model) = fitted else { return Ok(()) };
        for w in model.diagnostics() {
            let numbers = match w {
                ScaleWarning::InputsOutsideUnitCube { min, max } => [min, max],
                ScaleWarning::OutputsNotStandardized { mean, std } => [mean, std],
            };
            prop_assert!(numbers.iter().all(|v| v.is_finite()), "{:?}", w);
            prop_assert!(!w.to_string().is_empty());
        }
    }
}

proptest! {
    #![proptest_config(config(CASES / 4))]

    #[test]
    fn the_loop_proposes_points_of_the_box_or_refuses(
        n in 1usize..8, in_exp in -100i32..100, out_exp in -300i32..300,
        duplicate in any::<bool>(), constant in any::<bool>(),
    ) {
        let (x, y) = data(n, in_exp, out_exp, duplicate, constant);
        let s = 10f64.powi(in_exp);
        let bounds = Bounds::new(Array1::from(vec![0.0, 0.0]), Array1::from(vec![1.1 * s, 1.2 * s])).unwrap();
        let settings = Settings {
            acqf: AcqfOptions { restarts: 2, raw_samples: 32, ..AcqfOptions::default() },
            ..Settings::default()
        };
        let mut opt = Optimizer::new(bounds.clone(), Direction::Minimise, settings).unwrap();
        opt.tell(x.view(), y.view()).unwrap();
        match opt.ask() {
            Ok(c) => prop_assert!(bounds.contains(c.view()), "{c} outside the box"),
            Err(e) => prop_assert!(!e.to_string().is_empty()),
        }
        // optimize_acqf directly, on the fitted model.
        if let Some(model) = opt.model() {
            let a = Analytic::new(model, Acquisition::PosteriorMean, Direction::Maximise).unwrap();
            let options = AcqfOptions { restarts: 2, raw_samples: 16, ..AcqfOptions::default() };
            let r = optimize_acqf(&a, &bounds, &options);
            let ok = finite_or_error(r, |o| o.x.iter().copied().chain([o.value]).collect());
            prop_assert!(ok, "optimize_acqf");
        }
    }
}

proptest! {
    #![proptest_config(config(CASES / 4))]

    /// Known noise, replicates, extreme scales: the fixed-noise fit, the model-based
    /// incumbent, the replication rule and noisy expected improvement answer with finite
    /// numbers or an error.
    #[test]
    fn noisy_tools_are_finite_or_refuse(
        n in 1usize..8, in_exp in -100i32..100, out_exp in -150i32..150,
        duplicate in any::<bool>(), constant in any::<bool>(), log in any::<bool>(),
        variance in prop_oneof![Just(0.0), any_scale().prop_map(f64::abs)],
    ) {
        use gradbo::acquisition::{NoisyExpectedImprovement, NoisyOptions};
        use gradbo::noise::{model_incumbent, ReplicationRule};
        let (x, y) = data(n, in_exp, out_exp, duplicate, constant);
        let options = FitOptions::fixed_noise(2, Array1::from_elem(n, variance));
        let Ok(model) = fit(x.view(), &y, &options) else { return Ok(()) };
        let inc = model_incumbent(&model, x.view(), Direction::Minimise);
        prop_assert!(finite_or_error(inc, |i| vec![i.mean, i.sd]));
        let d = ReplicationRule::default().decide(&model, x.view(), Direction::Minimise);
        prop_assert!(finite_or_error(d, |d| vec![d.incumbent.mean, d.incumbent.sd]));
        let nei = NoisyExpectedImprovement::new(
            &model, x.view(), Direction::Minimise, 1, &NoisyOptions { log, ..NoisyOptions::default() },
        );
        if let Ok(a) = nei {
            let probe = x.row(0).to_owned();
            let r = a.value_and_gradient(probe.view());
            prop_assert!(finite_or_error(r, |(v, g)| std::iter::once(*v).chain(g.iter().copied()).collect()));
        }
    }
}

proptest! {
    #![proptest_config(config(CASES * 4))]

    #[test]
    fn hypervolumes_and_boxes_are_finite_or_refused(
        values in proptest::collection::vec(any_scale(), 2..24), r0 in any_scale(), r1 in any_scale(),
    ) {
        let n = values.len() / 2;
        let y = Array2::from_shape_vec((n, 2), values[..2 * n].to_vec()).unwrap();
        let r = Array1::from(vec![r0, r1]);
        prop_assert!(finite_or_error(hypervolume(y.view(), r.view()), |v| vec![*v]));
        let boxes = non_dominated_boxes(y.view(), r.view()).unwrap();
        let top = Array1::from(vec![r0.abs().max(1.0) * 2.0, r1.abs().max(1.0) * 2.0]);
        prop_assert!(finite_or_error(boxes.volume_within(top.view()), |v| vec![*v]));
        prop_assert!(finite_or_error(boxes.improvement(y.row(0)), |v| vec![*v]));
        let dominated = dominated_boxes(y.view(), r.view()).unwrap();
        prop_assert!(finite_or_error(dominated.volume(), |v| vec![*v]));
        prop_assert!(finite_or_error(closest_to_ideal(y.view()), |c| vec![c.score]));
        let w = Array1::from(vec![0.5, 0.5]);
        prop_assert!(finite_or_error(weighted_sum(y.view(), w.view()), |c| vec![c.score]));
        let front = non_dominated(y.view()).unwrap();
        prop_assert!(!front.is_empty() && front.iter().all(|&i| i < n));
    }
}

/// The multi-objective functions refuse bad input with a clear error: a reference point
/// that no point improves on, objectives of mismatched length, NaN objectives, an empty
/// front.
#[test]
fn multi_objective_bad_input_is_a_clear_error() {
    let y =
        Array2::from_shape_vec((3, 2), vec![1.0, 3.0, 2.0, 2.0, 3.0, 1.0]).unwrap();
    let r = Array1::from(vec![0.0, 0.0]);
    let clear = |e: Error| !e.to_string().is_empty();
    // A reference point that no point improves on measures nothing.
    let above = Array1::from(vec![5.0, 5.0]);
    assert!(matches!(
        validate_reference(y.view(), above.view()),
        Err(Error::InvalidInput { .. })
    ));
    assert_eq!(validate_reference(y.view(), r.view()).unwrap(), 3);
    // Mismatched lengths.
    let short = Array1::from(vec![0.0]);
    for e in [
        hypervolume(y.view(), short.view()).unwrap_err(),
        non_dominated_boxes(y.view(), short.view()).unwrap_err(),
        validate_reference(y.view(), short.view()).unwrap_err(),
        dominates(y.row(0), short.view()).unwrap_err(),
        weighted_sum(y.view(), short.view()).unwrap_err(),
    ] {
        assert!(
            matches!(e, Error::ShapeMismatch { .. }) && clear(e.clone()),
            "{e}"
        );
    }
    let x = Array2::from_shape_fn((4, 1), |(i, _)| i as f64);
    assert!(matches!(
        ModelList::fit(x.view(), y.view(), &FitOptions::single_task(1)),
        Err(Error::ShapeMismatch { .. })
    ));
    // NaN objectives.
    let mut nan = y.clone();
    nan[[1, 0]] = f64::NAN;
    for e in [
        hypervolume(nan.view(), r.view()).unwrap_err(),
        non_dominated(nan.view()).unwrap_err(),
        non_dominated_boxes(nan.view(), r.view()).unwrap_err(),
        dominated_boxes(nan.view(), r.view()).unwrap_err(),
        closest_to_ideal(nan.view()).unwrap_err(),
        threshold_then_maximise(nan.view(), 0, 1.0, 1).unwrap_err(),
        validate_reference(nan.view(), r.view()).unwrap_err(),
    ] {
        assert!(matches!(e, Error::NonFinite { .. }) && clear(e.clone()), "{e}");
    }
    let x3 = Array2::from_shape_fn((3, 1), |(i, _)| i as f64);
    assert!(matches!(
        ModelList::fit(x3.view(), nan.view(), &FitOptions::single_task(1)),
        Err(Error::NonFinite { .. })
    ));
    // An empty front.
    let empty = Array2::<f64>::zeros((0, 2));
    for e in [
        hypervolume(empty.view(), r.view()).unwrap_err(),
        non_dominated(empty.view()).unwrap_err(),
        non_dominated_boxes(empty.view(), r.view()).unwrap_err(),
        closest_to_ideal(empty.view()).unwrap_err(),
        validate_reference(empty.view(), r.view()).unwrap_err(),
    ] {
        assert!(matches!(e, Error::Empty { .. }) && clear(e.clone()), "{e}");
    }
    // Volumes that overflow are refused, not returned as infinity.
    let huge = Array2::from_shape_vec((1, 2), vec![1e300, 1e300]).unwrap();
    let low = Array1::from(vec![-1e300, -1e300]);
    assert!(matches!(
        hypervolume(huge.view(), low.view()),
        Err(Error::NonFinite { .. })
    ));
}

// Part 6: fidelities and contexts. Bad levels, prices and contexts are errors; a fitted model
// of [x, t] with outputs of any scale gives a finite recommendation or an error.
#[test]
fn fidelities_and_contexts_refuse_bad_input() {
    use gradbo::context::{self, ContextRange};
    use gradbo::fidelity::{Confirmation, Fidelities, Pool, QuadraticCost};
    let course = QuadraticCost::COURSE;
    assert!(matches!(Fidelities::new(&[], &course), Err(Error::Empty { .. })));
    assert!(matches!(
        Fidelities::new(&[f64::NAN], &course),
        Err(Error::NonFinite { .. })
    ));
    assert!(Fidelities::new(&[0.2, 0.2], &course).is_err());
    let zero = QuadraticCost { fixed: 0.0, scale: 0.0 };
    assert!(matches!(
        Fidelities::new(&[0.5], &zero),
        Err(Error::InvalidInput { .. })
    ));
    let nan = QuadraticCost { fixed: f64::NAN, scale: 1.0 };
    assert!(matches!(Fidelities::new(&[0.5], &nan), Err(Error::NonFinite { .. })));
    let f = Fidelities::new(&[0.2, 0.5, 1.0], &course).unwrap();
    assert!(matches!(f.cost(0.7), Err(Error::InvalidInput { .. })));
    assert!(matches!(f.cost(f64::INFINITY), Err(Error::NonFinite { .. })));
    assert!(Pool::new(&[], &f).is_err());
    assert!(Pool::new(&[0.5, f64::NAN], &f).is_err());
    assert!(Confirmation::Every(0).due(1).is_err());
    assert!(ContextRange::new(1.0, 0.0).is_err());
    assert!(ContextRange::new(f64::NEG_INFINITY, 0.0).is_err());
    let range = ContextRange::unit();
    assert!(matches!(range.check(1.5), Err(Error::InvalidInput { .. })));
    assert!(matches!(range.check(f64::NAN), Err(Error::NonFinite { .. })));
    // Outputs of extreme scales: the recommendation is finite or an error.
    for scale in [1e-300, 1e-8, 1.0, 1e8, 1e150] {
        let x = Array2::from_shape_fn((6, 2), |(i, j)| {
            if j == 0 {
                i as f64 / 5.0
            } else {
                [0.2, 0.5, 1.0][i % 3]
            }
        });
        let y = Array1::from_shape_fn(6, |i| scale * (1.0 + (i as f64).sin()));
        let Ok(model) = fit(x.view(), &y, &FitOptions::single_task(2)) else {
            continue;
        };
        let designs: Vec<f64> = (0..=20).map(|k| k as f64 / 20.0).collect();
        let pool = Pool::new(&designs, &f).unwrap();
        if let Ok(r) = gradbo::fidelity::recommend(&model, &pool, &f) {
            assert!(r.x.is_finite() && r.mean.is_finite() && r.sd.is_finite());
        }
        for c in [0.0, 0.5, 1.0] {
            if let Ok(r) = context::recommend(&model, &designs, &range, c) {
                assert!(r.mean.is_finite() && r.sd.is_finite(), "scale {scale}");
            }
        }
        assert!(context::recommend(&model, &designs, &range, 2.0).is_err());
    }
}

/// Finite candidate libraries: duplicates, empty sets, NaN values, bad widths and an
/// exhausted library are errors; the product posterior is finite over outputs of any scale
/// or an error.
#[test]
fn candidate_libraries_refuse_bad_input() {
    use gradbo::candidates::{
        best_unevaluated, choose_in_groups, group_scores, product_posterior,
        Library,
    };
    let twice =
        Array2::from_shape_vec((3, 2), vec![0.0, 1.0, 0.5, 0.5, 0.0, 1.0]).unwrap();
    assert!(matches!(Library::new(twice), Err(Error::InvalidInput { .. })));
    assert!(matches!(
        Library::new(Array2::zeros((0, 3))),
        Err(Error::Empty { .. })
    ));
    assert!(matches!(
        Library::new(Array2::zeros((2, 0))),
        Err(Error::Empty { .. })
    ));
    let nan = Array2::from_elem((1, 2), f64::NAN);
    assert!(matches!(Library::new(nan), Err(Error::NonFinite { .. })));
    let v = Array1::from(vec![0.1, f64::NAN, 0.3]);
    assert!(matches!(
        best_unevaluated(v.view(), &[true; 3]),
        Err(Error::NonFinite { .. })
    ));
    assert!(matches!(
        best_unevaluated(v.view(), &[false; 3]),
        Err(Error::Empty { .. })
    ));
    assert!(matches!(
        best_unevaluated(v.view(), &[true; 2]),
        Err(Error::ShapeMismatch { .. })
    ));
    assert!(matches!(
        group_scores(v.view(), &[true; 3], &[0, 0, 1], 0),
        Err(Error::InvalidInput { .. })
    ));
    assert!(matches!(
        choose_in_groups(v.view(), &[true, false, true], &[0, 0], 1),
        Err(Error::ShapeMismatch { .. })
    ));
    for exp in [-200, -20, 0, 20, 200] {
        let s = 10f64.powi(exp);
        let x = Array2::from_shape_fn((6, 2), |(i, j)| {
            ((i * 3 + j * 5) % 7) as f64 / 6.0
        });
        let y = Array1::from_shape_fn(6, |i| s * (i as f64 * 1.3).sin());
        let Ok(model) = fit(x.view(), &y, &FitOptions::single_task(2)) else {
            continue;
        };
        let a = Array2::from_shape_fn((4, 1), |(i, _)| i as f64 / 3.0);
        match product_posterior(&model, a.view(), a.view()) {
            Ok(p) => {
                assert!(p.mean.iter().chain(&p.variance).all(|v| v.is_finite()))
            }
            Err(e) => assert!(!e.to_string().is_empty()),
        }
    }
}

#[test]
fn spending_effort_refuses_bad_allowances_and_levels() {
    use gradbo::bo::{Quality, SpendOptions};
    use gradbo::optimize_acqf::effort::{ladder, Effort, MAX_LEVEL};
    use gradbo::optimize_acqf::optimize_acqf_with_effort;
    let bad = [
        Effort::Allowance(0.0),
        Effort::Allowance(-0.1),
        Effort::Allowance(f64::NAN),
        Effort::Allowance(f64::INFINITY),
        Effort::Fixed(MAX_LEVEL + 1),
    ];
    let x = Array2::from_shape_fn((5, 2), |(i, j)| ((i * 3 + j) % 5) as f64 / 4.0);
    let y = x.column(0).mapv(|v| (3.0 * v).sin());
    let model = fit(x.view(), &y, &FitOptions::single_task(2)).unwrap();
    let a = Analytic::new(
        &model,
        Acquisition::LogExpectedImprovement { best: -1.0 },
        Direction::Minimise,
    )
    .unwrap();
    let bounds = Bounds::unit(2).unwrap();
    let small =
        AcqfOptions { restarts: 2, raw_samples: 16, ..AcqfOptions::default() };
    for effort in bad {
        let settings = Settings {
            quality: Quality::Spend(SpendOptions::new(effort)),
            ..Settings::default()
        };
        let made = Optimizer::new(bounds.clone(), Direction::Minimise, settings);
        assert!(matches!(made, Err(Error::InvalidInput { .. })), "{effort:?}");
        let direct = optimize_acqf_with_effort(&a, &bounds, &small, effort);
        assert!(matches!(direct, Err(Error::InvalidInput { .. })), "{effort:?}");
    }
    // A ladder from no restarts, or from fewer raw samples than restarts, or too large
    // to count.
    for (restarts, raw_samples) in [(0, 16), (4, 2), (usize::MAX / 2, usize::MAX)] {
        let base = AcqfOptions { restarts, raw_samples, ..AcqfOptions::default() };
        assert!(matches!(ladder(&base, 2), Err(Error::InvalidInput { .. })));
        let r = optimize_acqf_with_effort(&a, &bounds, &base, Effort::Fixed(2));
        assert!(matches!(r, Err(Error::InvalidInput { .. })));
    }
    // The same bad-input checks as optimize_acqf: the wrong box.
    let r = optimize_acqf_with_effort(
        &a,
        &Bounds::unit(3).unwrap(),
        &small,
        Effort::Fixed(1),
    );
    assert!(matches!(r, Err(Error::ShapeMismatch { .. })));
}

#[test]
fn fully_bayesian_fits_and_samplers_refuse_bad_input() {
    use gradbo::acquisition::Ensemble;
    use gradbo::gp::{fit_fully_bayesian, FullyBayesianOptions};
    use gradbo::mcmc::{
        effective_sample_size, slice_sample, FnDensity, SliceOptions,
    };
    let x =
        Array2::from_shape_fn((8, 2), |(i, j)| ((i * 3 + j * 5) % 7) as f64 / 7.0);
    let y = x.map_axis(Axis(1), |r| r[0] - r[1] * r[1]);
    let quick = SliceOptions {
        warmup: 4,
        samples: 4,
        thinning: 2,
        ..SliceOptions::default()
    };
    let options = FullyBayesianOptions {
        sampler: quick.clone(),
        ..FullyBayesianOptions::saas()
    };
    // NaN data, empty data, mismatched lengths, zero samples requested.
    let mut nan = x.clone();
    nan[[2, 1]] = f64::NAN;
    assert!(matches!(
        fit_fully_bayesian(nan.view(), &y, &options),
        Err(Error::NonFinite { .. })
    ));
    let mut y_inf = y.clone();
    y_inf[0] = f64::INFINITY;
    assert!(matches!(
        fit_fully_bayesian(x.view(), &y_inf, &options),
        Err(Error::NonFinite { .. })
    ));
    assert!(matches!(
        fit_fully_bayesian(
            Array2::zeros((0, 2)).view(),
            &Array1::zeros(0),
            &options
        ),
        Err(Error::Empty { .. })
    ));
    assert!(matches!(
        fit_fully_bayesian(x.view(), &Array1::zeros(3), &options),
        Err(Error::ShapeMismatch { .. })
    ));
    let zero = FullyBayesianOptions {
        sampler: SliceOptions { samples: 0, ..quick.clone() },
        ..options.clone()
    };
    assert!(matches!(
        fit_fully_bayesian(x.view(), &y, &zero),
        Err(Error::InvalidInput { .. })
    ));
    // Data at extreme scales: finite predictions and acquisition values, or an error.
    for scale in [1e-150, 1e150] {
        let ys = &y * scale;
        if let Ok(model) = fit_fully_bayesian(x.view(), &ys, &options) {
            let p = model.marginals(x.view()).unwrap();
            assert!(p.mean.iter().chain(&p.variance).all(|v| v.is_finite()));
            let best = Direction::Minimise.best(ys.iter().copied()).unwrap();
            let acqf = Ensemble::new(
                model.members(),
                Acquisition::LogExpectedImprovement { best },
                Direction::Minimise,
            )
            .unwrap();
            if let Ok(v) = acqf.values(x.view()) {
                assert!(v.iter().all(|a| a.is_finite()));
            }
        }
    }
    // The sampler: a start outside the support, and a chain too short for an ESS.
    let mut positive =
        FnDensity::new(
            1,
            |t: &[f64]| if t[0] > 0.0 { -t[0] } else { f64::NEG_INFINITY },
        );
    assert!(matches!(
        slice_sample(&mut positive, &[-1.0], &quick),
        Err(Error::InvalidInput { .. })
    ));
    assert!(effective_sample_size(&[1.0, 2.0]).is_err());
}
