use super::*;
use crate::gp::FitOptions;
use crate::multi_objective::{expected_hypervolume_improvement, hypervolume};
use crate::numeric::central_difference;
use crate::optimize_acqf::{optimize_acqf, AcqfOptions};
use crate::Bounds;
use ndarray::{array, concatenate, Axis};
use rand::rngs::ChaCha8Rng;
use rand::{RngExt, SeedableRng};

/// Two competing objectives of two inputs, observed at 10 points, fitted as BoTorch's
/// model list; the observations and a reference point below them.
fn problem() -> (ModelList, Array2<f64>, Array1<f64>) {
    let x = Array2::from_shape_fn((10, 2), |(i, j)| {
        ((i * 7 + j * 3 + 1) % 11) as f64 / 10.0
    });
    let y = Array2::from_shape_fn((10, 2), |(i, k)| {
        let (a, b) = (x[[i, 0]], x[[i, 1]]);
        if k == 0 {
            (3.0 * a).sin() + 0.5 * b
        } else {
            10.0 * (1.0 - a) * (0.5 + b * b)
        }
    });
    let models =
        ModelList::fit(x.view(), y.view(), &FitOptions::single_task(2)).unwrap();
    let low = y.fold_axis(Axis(0), f64::INFINITY, |a, &b| a.min(b));
    let high = y.fold_axis(Axis(0), f64::NEG_INFINITY, |a, &b| a.max(b));
    let reference = &low - &((&high - &low) * 0.1);
    (models, y, reference)
}

#[test]
fn inclusion_exclusion_is_the_growth_of_the_hypervolume() {
    let mut rng = ChaCha8Rng::seed_from_u64(9);
    for m in [2, 3] {
        let front =
            Array2::from_shape_fn((12, m), |_| rng.random_range(0.0..1.0f64));
        let r = Array1::zeros(m);
        let boxes = non_dominated_boxes(front.view(), r.view()).unwrap();
        let before = hypervolume(front.view(), r.view()).unwrap();
        for q in 1..=3 {
            let cells = Cells::new(&boxes, q);
            // Point i's objective k at k·q + i.
            let y: Vec<f64> =
                (0..m * q).map(|_| rng.random_range(-0.1..1.2)).collect();
            let points = Array2::from_shape_fn((q, m), |(i, k)| y[k * q + i]);
            let after = hypervolume(
                concatenate(Axis(0), &[front.view(), points.view()])
                    .unwrap()
                    .view(),
                r.view(),
            )
            .unwrap();
            let hvi = cells.improvement(&y, None);
            assert!((hvi - (after - before)).abs() < 1e-12, "m = {m}, q = {q}");
            // Its gradient, against central differences.
            let mut g = vec![0.0; m * q];
            cells.improvement(&y, Some((&mut g, 1.0)));
            let fd = central_difference(
                |v| cells.improvement(v.as_slice().unwrap(), None),
                &Array1::from(y.clone()),
                1e-7,
            );
            for (a, b) in g.iter().zip(&fd) {
                assert!((a - b).abs() < 1e-6, "m = {m}, q = {q}: {g:?} vs {fd}");
            }
        }
    }
}

#[test]
fn one_candidate_agrees_with_the_closed_form() {
    // q = 1, m = 2: the Monte Carlo estimate with 128 quasi-random samples against the
    // exact EHVI over the same boxes, within four standard errors of the samples' spread.
    let (models, y, r) = problem();
    let acqf = Qehvi::from_observations(
        &models,
        y.view(),
        r.view(),
        1,
        &QehviOptions::default(),
    )
    .unwrap();
    for at in [
        array![[0.15, 0.9]],
        array![[0.45, 0.55]],
        array![[0.8, 0.2]],
        array![[0.05, 0.05]],
    ] {
        let p = models.predict(at.view()).unwrap();
        let exact = expected_hypervolume_improvement(
            acqf.boxes(),
            p.mean.row(0),
            p.variance.row(0).mapv(f64::sqrt).view(),
        )
        .unwrap();
        let samples = acqf.improvement_samples(at.view()).unwrap();
        let s = samples.len() as f64;
        let mean = samples.sum() / s;
        let se =
            (samples.mapv(|v| (v - mean).powi(2)).sum() / (s - 1.0) / s).sqrt();
        let value = acqf.values(at.view()).unwrap()[0];
        assert_eq!(value, mean);
        assert!(
            (mean - exact).abs() <= 4.0 * se + 1e-12,
            "{at}: {mean} vs {exact} ± {se}"
        );
        assert!(exact >= 0.0);
    }
    // With 4096 samples the estimate closes in: within 0.2 % where EHVI is largest here.
    let many = QehviOptions { samples: 4096, seed: 1 };
    let fine =
        Qehvi::from_observations(&models, y.view(), r.view(), 1, &many).unwrap();
    let at = array![[0.15, 0.9]];
    let p = models.predict(at.view()).unwrap();
    let exact = expected_hypervolume_improvement(
        fine.boxes(),
        p.mean.row(0),
        p.variance.row(0).mapv(f64::sqrt).view(),
    )
    .unwrap();
    let value = fine.values(at.view()).unwrap()[0];
    assert!((value - exact).abs() < 2e-3 * exact, "{value} vs {exact}");
}

#[test]
fn gradients_match_finite_differences() {
    let (models, y, r) = problem();
    for q in [1, 2, 3] {
        let acqf = Qehvi::from_observations(
            &models,
            y.view(),
            r.view(),
            q,
            &QehviOptions::default(),
        )
        .unwrap();
        let at = Array1::from_shape_fn(2 * q, |i| {
            [0.13, 0.92, 0.61, 0.37, 0.84, 0.08][i]
        });
        let (value, g) = acqf.value_and_gradient(at.view()).unwrap();
        assert!(value > 0.0, "q = {q}: {value}");
        let fd = central_difference(
            |p| acqf.value_and_gradient(p.view()).unwrap().0,
            &at,
            1e-6,
        );
        for (a, b) in g.iter().zip(&fd) {
            assert!(
                (a - b).abs() < 1e-5 * b.abs().max(1e-2),
                "q = {q}: {g} vs {fd}"
            );
        }
    }
}

#[test]
fn optimize_acqf_climbs_it() {
    let (models, y, r) = problem();
    let acqf = Qehvi::from_observations(
        &models,
        y.view(),
        r.view(),
        1,
        &QehviOptions::default(),
    )
    .unwrap();
    let bounds = Bounds::unit(2).unwrap();
    let options =
        AcqfOptions { restarts: 4, raw_samples: 64, ..AcqfOptions::default() };
    let found = optimize_acqf(&acqf, &bounds, &options).unwrap();
    let best_start =
        found.runs.iter().map(|r| r.start_value).fold(f64::NEG_INFINITY, f64::max);
    assert!(found.value >= best_start && found.value > 0.0, "{found:?}");
    let again = acqf.values(found.x.view().insert_axis(Axis(0))).unwrap()[0];
    assert_eq!(again, found.value);
    assert!(found.x.iter().all(|v| (0.0..=1.0).contains(v)));
}

#[test]
fn bad_input_is_an_error() {
    let (models, y, r) = problem();
    let options = QehviOptions::default();
    for q in [0, MAX_Q + 1] {
        assert!(matches!(
            Qehvi::from_observations(&models, y.view(), r.view(), q, &options),
            Err(Error::InvalidInput { .. })
        ));
    }
    let three = non_dominated_boxes(
        array![[1.0, 1.0, 1.0]].view(),
        array![0.0, 0.0, 0.0].view(),
    )
    .unwrap();
    assert!(matches!(
        Qehvi::new(&models, three, 1, &options),
        Err(Error::ShapeMismatch { .. })
    ));
    let acqf =
        Qehvi::from_observations(&models, y.view(), r.view(), 2, &options).unwrap();
    assert!(matches!(
        acqf.value_and_gradient(array![0.1, 0.2, 0.3].view()),
        Err(Error::ShapeMismatch { .. })
    ));
    assert!(matches!(
        acqf.value_and_gradient(array![0.1, f64::NAN, 0.3, 0.4].view()),
        Err(Error::NonFinite { .. })
    ));
    assert!(matches!(
        acqf.with_base_samples(Array2::zeros((4, 3)).view()),
        Err(Error::ShapeMismatch { .. })
    ));
}

#[test]
fn pending_points_join_the_batch() {
    // A candidate beside one pending point scores as the batch of both, pending point last,
    // with the same base samples (to rounding: the pending point's share of the posterior
    // is computed once, apart); and its gradient still matches finite differences.
    let (models, y, r) = problem();
    let options = QehviOptions::default();
    let pending = array![[0.7, 0.3]];
    let one = Qehvi::from_observations(&models, y.view(), r.view(), 1, &options)
        .unwrap()
        .with_pending(pending.view())
        .unwrap();
    let two =
        Qehvi::from_observations(&models, y.view(), r.view(), 2, &options).unwrap();
    let at = array![0.15, 0.9];
    let joint = array![[0.15, 0.9, 0.7, 0.3]];
    let (alone, together) = (
        one.values(at.view().insert_axis(Axis(0))).unwrap()[0],
        two.values(joint.view()).unwrap()[0],
    );
    assert!(
        (alone - together).abs() <= 1e-12 * together.abs(),
        "{alone} {together}"
    );
    let (_, g) = one.value_and_gradient(at.view()).unwrap();
    let fd = central_difference(
        |p| one.value_and_gradient(p.view()).unwrap().0,
        &at,
        1e-6,
    );
    for (a, b) in g.iter().zip(&fd) {
        assert!((a - b).abs() < 1e-5 * b.abs().max(1e-2), "{g} vs {fd}");
    }
    assert_eq!(one.pending(), pending);
    assert!(matches!(
        one.with_pending(Array2::zeros((MAX_Q, 2)).view()),
        Err(Error::InvalidInput { .. })
    ));
    assert!(matches!(
        one.with_pending(Array2::zeros((1, 3)).view()),
        Err(Error::ShapeMismatch { .. })
    ));
}
