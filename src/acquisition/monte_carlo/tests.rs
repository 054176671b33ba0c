//! Tests of the Monte Carlo acquisition functions: against the analytic functions and a
//! quadrature at q ≤ 2, against BoTorch on the same model and base samples, against finite
//! differences, and on bad input.

use super::*;
use crate::acquisition::{Acquisition, Analytic};
use crate::gp::{fixed_model, FitOptions, Gp, Hyperparameters, Kernel, KernelKind};
use crate::models::Model;
use crate::numeric::central_difference;
use crate::optimize_acqf::{optimize_acqf, AcqfOptions};
use crate::transforms::{Normalize, Standardize};
use crate::Bounds;
use ndarray::{array, s, Array1, Array2};

/// What `benches/python/mc_reference.py` printed (botorch 0.18.1, torch float64): BoTorch's
/// qLogEI, qEI and qUCB (β = 2) values and gradients at the batch [[0.4, 11.3], [1.9, 12.6]],
/// with and without the pending point [−1.1, 13.2].
const BOTORCH: &str = "\
matern52 pending=0 qLogEI max value=-2.67341629282135385e+00 grad=2.02088458613977195e+00,2.91987822894711535e-01,-1.70282065652592141e+00,1.13093656106160867e+00\n\
matern52 pending=0 qLogEI min value=-4.30848608948466065e+01 grad=3.87279260891131905e-01,-3.51569236263464147e-01,8.84781149697523063e-03,-1.36129727352840915e-02\n\
matern52 pending=0 qEI max value=6.90160430075977549e-02 grad=1.39473457448540505e-01,2.01518441316292062e-02,-1.17521943666787670e-01,7.80527663417277112e-02\n\
matern52 pending=0 qEI min value=0.00000000000000000e+00 grad=0.00000000000000000e+00,0.00000000000000000e+00,0.00000000000000000e+00,0.00000000000000000e+00\n\
matern52 pending=0 qUCB max value=4.61869459792784021e+00 grad=5.97943662037367818e-01,7.74045380814930156e-02,-2.81555840561287962e-01,1.08360858138795216e-01\n\
matern52 pending=0 qUCB min value=-2.22440648116702455e+00 grad=2.95973518762094823e-01,-7.21552078923419771e-02,2.08004313747101912e-16,-6.70424531778476314e-17\n\
matern52 pending=1 qLogEI max value=-2.64002316553407734e+00 grad=1.88695351186027360e+00,3.81908937590496322e-01,-1.62515427941435209e+00,1.03864997271859805e+00\n\
matern52 pending=1 qLogEI min value=-2.17742334842180396e+00 grad=-5.23065142799790037e-03,6.31758600700403888e-03,-6.03077683468303521e-03,1.52958908532076082e-02\n\
matern52 pending=1 qEI max value=7.13596024124979744e-02 grad=1.34652289178044671e-01,2.72528637259194725e-02,-1.15970440002237329e-01,7.41176794762388041e-02\n\
matern52 pending=1 qEI min value=1.13333174610851878e-01 grad=-5.92806329523888837e-04,7.15992079956492746e-04,-6.83487084614619656e-04,1.73353187030943884e-03\n\
matern52 pending=1 qUCB max value=4.77785034055703939e+00 grad=3.40270469625378102e-01,4.91870010117141099e-02,-1.07126793659023722e-01,6.41074710837060274e-02\n\
matern52 pending=1 qUCB min value=-1.16893933493089275e+00 grad=8.86297846600928446e-02,-1.00976547295175342e-02,5.76683786527089587e-04,-1.46264610632561038e-03\n\
se pending=0 qLogEI max value=-5.82042513787758331e+00 grad=2.50468769346203546e-01,1.62359293365830853e-01,-1.19973125959233453e+01,1.16614251970965199e+01\n\
se pending=0 qLogEI min value=-4.41704192828866198e+01 grad=-6.30660941103302952e-01,-1.81124688846737630e-01,9.84289341320948137e-06,-1.19532341110377954e-05\n\
se pending=0 qEI max value=2.96634376758966867e-03 grad=7.42976470139210016e-04,4.81613476693170057e-04,-3.55881534634929983e-02,3.45917960046429121e-02\n\
se pending=0 qEI min value=0.00000000000000000e+00 grad=0.00000000000000000e+00,0.00000000000000000e+00,0.00000000000000000e+00,0.00000000000000000e+00\n\
se pending=0 qUCB max value=4.17642116505281358e+00 grad=-1.41613135611992971e-03,-9.17967086826988309e-04,-2.02702011512638669e-01,2.47073870574961774e-01\n\
se pending=0 qUCB min value=-2.89551401137767783e+00 grad=4.79659677460588518e-02,-2.12713587578184399e-01,0.00000000000000000e+00,0.00000000000000000e+00\n\
se pending=1 qLogEI max value=-5.82042513657464156e+00 grad=2.50468769279775294e-01,1.62359293333796367e-01,-1.19973125950705057e+01,1.16614251968877269e+01\n\
se pending=1 qLogEI min value=-2.42442420801903191e+00 grad=4.24447889866116645e-02,-3.23855481753810778e-02,-7.01183287261638623e-03,-1.29862766132115229e-02\n\
se pending=1 qEI max value=2.96634376759008500e-03 grad=7.42976470139157974e-04,4.81613476693199384e-04,-3.55881534634924918e-02,3.45917960046428705e-02\n\
se pending=1 qEI min value=8.85290785165862848e-02 grad=3.75759805818196273e-03,-2.86706273537667717e-03,-6.20751103194553061e-04,-1.14966310024207396e-03\n\
se pending=1 qUCB max value=4.23502835647591613e+00 grad=-1.83702347571139298e-02,5.91028936620867276e-03,-9.97275732376953078e-02,2.77877805205401063e-01\n\
se pending=1 qUCB min value=-1.49817049356463583e+00 grad=-1.81254774910710459e-02,1.56478412182305161e-02,-2.51381237779952638e-02,-4.65571034318792223e-02";

/// The model of the reference script: 8 points of sin x₁ + (x₂ − 12)²/10 + 3, Normalize and
/// Standardize, fixed hyperparameters (ℓ = (0.3, 0.5), σ² = 1.7, σₙ² = 1e-3, m = 0.2).
pub(super) fn reference_model(kind: KernelKind) -> FittedGp {
    let x = Array2::from_shape_fn((8, 2), |(i, j)| {
        let i = i as f64;
        if j == 0 {
            -2.0 + 5.0 * ((i * 0.618) % 1.0)
        } else {
            10.0 + 4.0 * ((i * 0.414 + 0.3) % 1.0)
        }
    });
    let y = x.map_axis(ndarray::Axis(1), |r| {
        r[0].sin() + 0.1 * (r[1] - 12.0).powi(2) + 3.0
    });
    let normalize = Normalize::learn(x.view()).unwrap();
    let standardize = Standardize::learn(y.view()).unwrap();
    let kernel = Kernel::new(kind, array![0.3, 0.5], 1.7).unwrap();
    let hyper = Hyperparameters { kernel, mean: 0.2, noise: 1e-3 };
    let xn = normalize.apply(x.view()).unwrap();
    let gp = Gp::new(xn, standardize.apply(y.view()), hyper).unwrap();
    FittedGp { gp, normalize, standardize, options: FitOptions::default() }
}

/// The script's base samples: z[s, j] = 1.6 sin(0.37 (s + 1)(j + 1) + 0.5 j + 0.2).
pub(super) fn reference_base(width: usize) -> Array2<f64> {
    Array2::from_shape_fn((32, width), |(s, j)| {
        let (s, j) = (s as f64, j as f64);
        1.6 * (0.37 * (s + 1.0) * (j + 1.0) + 0.5 * j + 0.2).sin()
    })
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
        let y = model.gp.observations().mapv(|v| model.standardize.untransform(v));
        let direction = match words[3] {
            "max" => Direction::Maximise,
            _ => Direction::Minimise,
        };
        let best = direction.best(y.iter().copied()).unwrap();
        let acq = match words[2] {
            "qLogEI" => MonteCarloKind::LogExpectedImprovement { best },
            "qEI" => MonteCarloKind::ExpectedImprovement { best },
            _ => MonteCarloKind::UpperConfidenceBound { beta: 2.0 },
        };
        let options =
            MonteCarloOptions { samples: 32, ..MonteCarloOptions::default() };
        let mut a = MonteCarlo::new(&model, acq, direction, 2, &options).unwrap();
        if words[1] == "pending=1" {
            a = a.with_pending(array![[-1.1, 13.2]].view()).unwrap();
        }
        let a = a
            .with_base_samples(reference_base(2 + a.pending().nrows()).view())
            .unwrap();
        let (value, grad) = a.value_and_gradient(x.view()).unwrap();
        assert_matches_reference(line, &words, value, grad.view(), 1e-8);
        checked += 1;
    }
    assert_eq!(checked, 24);
}

/// Checks a value and gradient against a reference line's `value=` (words[4], to 1e-9
/// relative) and `grad=` (words[5], comma-separated, to `grad_tol` of the largest entry).
pub(super) fn assert_matches_reference(
    line: &str,
    words: &[&str],
    value: f64,
    grad: ArrayView1<'_, f64>,
    grad_tol: f64,
) {
    let want: f64 = words[4].trim_start_matches("value=").parse().unwrap();
    let want_grad: Vec<f64> = words[5]
        .trim_start_matches("grad=")
        .split(',')
        .map(|v| v.parse().unwrap())
        .collect();
    assert_eq!(grad.len(), want_grad.len(), "{line}");
    assert!((value - want).abs() < 1e-9 * want.abs().max(1.0), "{line}: {value}");
    let scale = want_grad.iter().fold(1e-3_f64, |m, g| m.max(g.abs()));
    for (g, w) in grad.iter().zip(&want_grad) {
        assert!((g - w).abs() < grad_tol * scale, "{line}: {grad}");
    }
}

/// The model of the other tests: 10 points of a smooth function of 2 inputs in boxes far
/// from the unit square (x₁ in [−3, 7], x₂ in [17, 27]), outputs near 50.
fn model() -> FittedGp {
    fixed_model(KernelKind::Matern52, 10, 2)
}

fn bounds() -> Bounds {
    Bounds::new(array![-3.0, 17.0], array![7.0, 27.0]).unwrap()
}

#[test]
fn one_point_estimates_agree_with_the_analytic_functions_within_their_spread() {
    let model = model();
    let y = model.gp.observations().mapv(|v| model.standardize.untransform(v));
    let options =
        MonteCarloOptions { samples: 512, seed: 3, ..MonteCarloOptions::default() };
    let points = array![[0.3, 19.0], [2.2, 21.4], [5.9, 25.5], [-2.5, 26.0]];
    let mut compared = 0;
    for direction in [Direction::Maximise, Direction::Minimise] {
        let best = direction.best(y.iter().copied()).unwrap();
        let ei = MonteCarlo::new(
            &model,
            MonteCarloKind::ExpectedImprovement { best },
            direction,
            1,
            &options,
        )
        .unwrap();
        let log_ei = MonteCarlo::new(
            &model,
            MonteCarloKind::LogExpectedImprovement { best },
            direction,
            1,
            &options,
        )
        .unwrap();
        let exact = Analytic::new(
            &model,
            Acquisition::ExpectedImprovement { best },
            direction,
        )
        .unwrap();
        let exact = exact.values(points.view()).unwrap();
        let mc = ei.values(points.view()).unwrap();
        let log_mc = log_ei.values(points.view()).unwrap();
        for (i, row) in points.rows().into_iter().enumerate() {
            // The standard error of an average of 512 independent draws of the
            // improvement I = (g − ξ)⁺, which quasi-random draws beat: Var I = E[I²] − EI²
            // with E[I²] = σ²((z² + 1)Φ(z) + zφ(z)), z = (μ − ξ)/σ in g = sign·f.
            let p = model.posterior(row.insert_axis(ndarray::Axis(0))).unwrap();
            let sd = p.variance()[0].sqrt();
            let z = direction.sign() * (p.mean()[0] - best) / sd;
            let (cdf, pdf) =
                (crate::special::normal_cdf(z), crate::special::normal_pdf(z));
            let second = sd * sd * ((z * z + 1.0) * cdf + z * pdf);
            let spread =
                (second - exact[i] * exact[i]).max(0.0).sqrt() / (512f64).sqrt();
            assert!(
                (mc[i] - exact[i]).abs() <= 3.0 * spread + 1e-12,
                "{direction:?} {i}: {} vs {}",
                mc[i],
                exact[i]
            );
            if exact[i] > 1e-3 {
                // ln EI to the same relative accuracy (the smoothing at τ = 1e-6 adds
                // nothing visible at this size).
                let relative = 3.0 * spread / exact[i];
                assert!(
                    (log_mc[i] - exact[i].ln()).abs() <= relative,
                    "{direction:?} {i}"
                );
                assert!((log_mc[i] - mc[i].ln()).abs() < 1e-4, "{direction:?} {i}");
                compared += 1;
            }
        }
    }
    assert!(compared >= 3, "only {compared} points with a visible EI");
}

/// E[max(Y₁, Y₂, ξ)] − ξ for a bivariate normal (μ, Σ), by the conditional distribution of
/// Y₂ given Y₁ = y and Simpson's rule over y: (y − ξ)⁺ + EI(Y₂ | y on max(y, ξ)).
fn two_point_ei(mean: &Array1<f64>, cov: &Array2<f64>, best: f64) -> f64 {
    let (s1, c) = (cov[[0, 0]].sqrt(), cov[[0, 1]]);
    let sd = (cov[[1, 1]] - c * c / cov[[0, 0]]).max(0.0).sqrt();
    let integrand = |z: f64| {
        let y = mean[0] + s1 * z;
        let m = mean[1] + c / cov[[0, 0]] * (y - mean[0]);
        let floor = y.max(best);
        let inner = crate::acquisition::expected_improvement(m, sd, floor).value;
        crate::special::normal_pdf(z) * ((y - best).max(0.0) + inner)
    };
    let (n, h) = (40_000, 20.0 / 40_000.0);
    let mut total = integrand(-10.0) + integrand(10.0);
    for k in 1..n {
        total +=
            integrand(-10.0 + k as f64 * h) * if k % 2 == 1 { 4.0 } else { 2.0 };
    }
    total * h / 3.0
}

#[test]
fn two_point_qei_agrees_with_a_quadrature_within_its_spread() {
    let model = model();
    let y = model.gp.observations().mapv(|v| model.standardize.untransform(v));
    let best = Direction::Maximise.best(y.iter().copied()).unwrap();
    let options = MonteCarloOptions {
        samples: 4096,
        seed: 5,
        ..MonteCarloOptions::default()
    };
    let a = MonteCarlo::new(
        &model,
        MonteCarloKind::ExpectedImprovement { best },
        Direction::Maximise,
        2,
        &options,
    )
    .unwrap();
    // Two correlated points, both with a visible chance of improving.
    for batch in
        [array![[2.2, 21.4], [2.9, 21.0]], array![[5.9, 25.5], [0.3, 19.0]]]
    {
        let p = model.posterior(batch.view()).unwrap();
        let exact = two_point_ei(p.mean(), p.covariance(), best);
        let flat: Array1<f64> = batch.iter().copied().collect();
        let mc = a.values(flat.view().insert_axis(ndarray::Axis(0))).unwrap()[0];
        let f = p.sample(a.base_samples()).unwrap();
        let per_sample = f.map_axis(ndarray::Axis(1), |r| {
            r.fold(0.0_f64, |m, v| m.max(v - best))
        });
        let spread = per_sample.std(1.0) / (4096f64).sqrt();
        assert!(exact > 1e-3, "{exact}");
        assert!(
            (mc - exact).abs() <= 3.0 * spread,
            "{mc} vs {exact} (spread {spread})"
        );
        // More than either point alone.
        let one = Analytic::new(
            &model,
            Acquisition::ExpectedImprovement { best },
            Direction::Maximise,
        )
        .unwrap();
        let single = one.values(batch.view()).unwrap();
        assert!(exact > single[0].max(single[1]));
    }
}

#[test]
fn tape_gradients_match_finite_differences() {
    let model = model();
    let y = model.gp.observations().mapv(|v| model.standardize.untransform(v));
    let options = MonteCarloOptions { samples: 64, ..MonteCarloOptions::default() };
    let all = array![[0.3, 19.0], [2.2, 21.4], [5.9, 25.5], [-2.5, 26.0]];
    for direction in [Direction::Maximise, Direction::Minimise] {
        let best = direction.best(y.iter().copied()).unwrap();
        let kinds = [
            MonteCarloKind::ExpectedImprovement { best },
            MonteCarloKind::LogExpectedImprovement { best },
            MonteCarloKind::UpperConfidenceBound { beta: 2.0 },
        ];
        for kind in kinds {
            for q in [1, 2, 4] {
                let a =
                    MonteCarlo::new(&model, kind, direction, q, &options).unwrap();
                let pending = a.with_pending(array![[4.0, 23.0]].view()).unwrap();
                for a in [a, pending] {
                    let x: Array1<f64> =
                        all.slice(s![..q, ..]).iter().copied().collect();
                    let (value, g) = a.value_and_gradient(x.view()).unwrap();
                    let row =
                        a.values(x.view().insert_axis(ndarray::Axis(0))).unwrap();
                    assert!((value - row[0]).abs() < 1e-12 * value.abs().max(1.0));
                    let fd = central_difference(
                        |v| a.value_and_gradient(v.view()).unwrap().0,
                        &x,
                        1e-6,
                    );
                    let scale = fd.iter().fold(1e-6_f64, |m, v| m.max(v.abs()));
                    assert!(
                        (&g - &fd).iter().all(|e| e.abs() < 1e-5 * scale),
                        "{kind:?} {direction:?} q={q} m={}: {g} vs {fd}",
                        a.pending().nrows()
                    );
                }
            }
        }
    }
}

#[test]
fn pending_points_join_the_batch() {
    let model = model();
    let y = model.gp.observations().mapv(|v| model.standardize.untransform(v));
    let best = Direction::Maximise.best(y.iter().copied()).unwrap();
    let options =
        MonteCarloOptions { samples: 256, ..MonteCarloOptions::default() };
    for kind in [
        MonteCarloKind::ExpectedImprovement { best },
        MonteCarloKind::LogExpectedImprovement { best },
        MonteCarloKind::UpperConfidenceBound { beta: 2.0 },
    ] {
        let two = MonteCarlo::new(&model, kind, Direction::Maximise, 2, &options)
            .unwrap();
        let one = MonteCarlo::new(&model, kind, Direction::Maximise, 1, &options)
            .unwrap();
        // A batch (x₁, x₂) scores exactly as x₁ with x₂ pending: the same joint posterior
        // and, for the same width and seed, the same base samples.
        let (x1, x2) = (array![2.2, 21.4], array![5.9, 25.5]);
        let with =
            one.with_pending(x2.view().insert_axis(ndarray::Axis(0))).unwrap();
        let batch = ndarray::concatenate![ndarray::Axis(0), x1, x2];
        let (a, _) = two.value_and_gradient(batch.view()).unwrap();
        let (b, _) = with.value_and_gradient(x1.view()).unwrap();
        assert!((a - b).abs() < 1e-12 * a.abs().max(1.0), "{kind:?}: {a} vs {b}");
    }
    // A point already pending adds (nearly) nothing: qEI of a duplicate drops to the
    // pending point's own EI share, far below its value alone.
    let ei = MonteCarloKind::ExpectedImprovement { best };
    let one =
        MonteCarlo::new(&model, ei, Direction::Maximise, 1, &options).unwrap();
    let x = array![2.2, 21.4];
    let alone = one.value_and_gradient(x.view()).unwrap().0;
    let duplicate =
        one.with_pending(x.view().insert_axis(ndarray::Axis(0))).unwrap();
    let pending_only = duplicate.value_and_gradient(x.view()).unwrap().0;
    assert!(alone > 1e-3);
    // max(Y, Y) = Y: the same expectation as the pending point alone, over other draws.
    assert!(
        (pending_only - alone).abs() < 0.05 * alone,
        "{pending_only} vs {alone}"
    );
    // The improvement a duplicate brings on top of its pending twin is 0, and a point
    // elsewhere brings more.
    let elsewhere =
        duplicate.value_and_gradient(array![5.9, 25.5].view()).unwrap().0;
    assert!(elsewhere > pending_only + 1e-6, "{elsewhere} vs {pending_only}");
}

#[test]
fn very_poor_batches_keep_finite_log_values_and_gradients() {
    let model = model();
    // An incumbent 1e6 above the data, and 1e300 above: qEI is 0, qLogEI finite.
    for best in [1e6, 1e300] {
        let a = MonteCarlo::new(
            &model,
            MonteCarloKind::LogExpectedImprovement { best },
            Direction::Maximise,
            2,
            &MonteCarloOptions { samples: 64, ..MonteCarloOptions::default() },
        )
        .unwrap();
        let (v, g) =
            a.value_and_gradient(array![0.3, 19.0, 2.2, 21.4].view()).unwrap();
        assert!(v.is_finite() && v < -10.0, "{v}");
        assert!(
            g.iter().all(|x| x.is_finite()) && g.iter().any(|x| *x != 0.0),
            "{g}"
        );
    }
}

#[test]
fn bad_settings_and_inputs_are_errors() {
    let model = model();
    let ei = MonteCarloKind::ExpectedImprovement { best: 50.0 };
    let o = MonteCarloOptions { samples: 16, ..MonteCarloOptions::default() };
    let new = |kind, q, o: &MonteCarloOptions| {
        MonteCarlo::new(&model, kind, Direction::Minimise, q, o)
    };
    assert!(matches!(new(ei, 0, &o), Err(Error::InvalidInput { .. })));
    for best in [f64::NAN, f64::INFINITY] {
        let bad = MonteCarloKind::LogExpectedImprovement { best };
        assert!(matches!(new(bad, 1, &o), Err(Error::NonFinite { .. })));
    }
    let beta = MonteCarloKind::UpperConfidenceBound { beta: -1.0 };
    assert!(matches!(new(beta, 1, &o), Err(Error::InvalidInput { .. })));
    let tau = MonteCarloOptions { tau_max: 0.0, ..o };
    assert!(matches!(new(ei, 1, &tau), Err(Error::InvalidInput { .. })));
    let none = MonteCarloOptions { samples: 0, ..o };
    assert!(matches!(new(ei, 1, &none), Err(Error::Empty { .. })));
    let a = new(ei, 2, &o).unwrap();
    assert!(matches!(
        a.values(Array2::zeros((3, 3)).view()),
        Err(Error::ShapeMismatch { .. })
    ));
    assert!(matches!(
        a.value_and_gradient(array![1.0, 20.0, 2.0].view()),
        Err(Error::ShapeMismatch { .. })
    ));
    assert!(matches!(
        a.value_and_gradient(array![1.0, f64::NAN, 2.0, 20.0].view()),
        Err(Error::NonFinite { .. })
    ));
    assert!(matches!(
        a.values(array![[1.0, 20.0, 2.0, f64::INFINITY]].view()),
        Err(Error::NonFinite { .. })
    ));
    assert!(matches!(
        a.with_pending(array![[1.0, 2.0, 3.0]].view()),
        Err(Error::ShapeMismatch { .. })
    ));
    assert!(matches!(
        a.with_pending(array![[1.0, f64::NAN]].view()),
        Err(Error::NonFinite { .. })
    ));
    assert!(matches!(
        a.with_base_samples(Array2::zeros((4, 3)).view()),
        Err(Error::ShapeMismatch { .. })
    ));
    assert!(matches!(
        a.with_base_samples(Array2::zeros((0, 2)).view()),
        Err(Error::Empty { .. })
    ));
    // Inputs near the end of the f64 range: an error or a finite value, never a panic.
    match a.value_and_gradient(array![1e300, -1e300, 0.0, 20.0].view()) {
        Ok((v, g)) => assert!(v.is_finite() && g.iter().all(|x| x.is_finite())),
        Err(e) => assert!(!e.to_string().is_empty()),
    }
}

#[test]
fn joint_batches_are_optimised_over_the_q_fold_box() {
    let model = model();
    let y = model.gp.observations().mapv(|v| model.standardize.untransform(v));
    let best = Direction::Minimise.best(y.iter().copied()).unwrap();
    let o = MonteCarloOptions { samples: 64, ..MonteCarloOptions::default() };
    let a = MonteCarlo::new(
        &model,
        MonteCarloKind::LogExpectedImprovement { best },
        Direction::Minimise,
        2,
        &o,
    )
    .unwrap();
    let options =
        AcqfOptions { restarts: 4, raw_samples: 64, ..AcqfOptions::default() };
    let found = optimize_acqf(&a, &bounds(), &options).unwrap();
    assert_eq!(found.x.len(), 4);
    let (p1, p2) = (found.x.slice(s![..2]), found.x.slice(s![2..]));
    assert!(bounds().contains(p1) && bounds().contains(p2));
    // Two distinct points, and a stationary point of the q·d coordinates: the projected
    // gradient vanishes.
    assert!((&p1 - &p2).mapv(f64::abs).sum() > 0.1, "{}", found.x);
    let (value, g) = a.value_and_gradient(found.x.view()).unwrap();
    assert_eq!(value, found.value);
    let lower = ndarray::concatenate![
        ndarray::Axis(0),
        *bounds().lower(),
        *bounds().lower()
    ];
    let upper = ndarray::concatenate![
        ndarray::Axis(0),
        *bounds().upper(),
        *bounds().upper()
    ];
    for k in 0..4 {
        let free = (g[k] > 0.0 && found.x[k] < upper[k] - 1e-9)
            || (g[k] < 0.0 && found.x[k] > lower[k] + 1e-9);
        assert!(!free || g[k].abs() < 1e-3, "{k}: {g} at {}", found.x);
    }
    // At least as good as every raw batch surveyed.
    let raw = crate::sampling::draw_sobol_samples(
        &Bounds::new(lower, upper).unwrap(),
        64,
        options.seed,
    )
    .unwrap();
    let top =
        a.values(raw.view()).unwrap().fold(f64::NEG_INFINITY, |m, v| m.max(*v));
    assert!(found.value >= top);
}

#[test]
fn sequential_batches_pass_the_chosen_points_as_pending() {
    let model = model();
    let y = model.gp.observations().mapv(|v| model.standardize.untransform(v));
    let best = Direction::Minimise.best(y.iter().copied()).unwrap();
    let o = MonteCarloOptions { samples: 64, ..MonteCarloOptions::default() };
    let kind = MonteCarloKind::LogExpectedImprovement { best };
    let a = MonteCarlo::new(&model, kind, Direction::Minimise, 1, &o).unwrap();
    let options =
        AcqfOptions { restarts: 3, raw_samples: 32, ..AcqfOptions::default() };
    let batch = optimize_acqf_sequential(&a, 3, &bounds(), &options).unwrap();
    assert_eq!(batch.x.dim(), (3, 2));
    assert_eq!(batch.steps.len(), 3);
    for k in 0..3 {
        // Step k's value is the one-point function with the earlier points pending.
        let step = a.with_pending(batch.x.slice(s![..k, ..])).unwrap();
        let (v, _) = step.value_and_gradient(batch.x.row(k)).unwrap();
        assert_eq!(v, batch.values[k]);
        for j in 0..k {
            assert!(
                (&batch.x.row(k) - &batch.x.row(j)).mapv(f64::abs).sum() > 1e-3
            );
        }
    }
    // Refusals: q = 0, q beyond the raw samples, a function of q = 2.
    for (q, acqf) in [(0, a.clone()), (33, a.clone())] {
        assert!(matches!(
            optimize_acqf_sequential(&acqf, q, &bounds(), &options),
            Err(Error::InvalidInput { .. })
        ));
    }
    let two = MonteCarlo::new(&model, kind, Direction::Minimise, 2, &o).unwrap();
    assert!(matches!(
        optimize_acqf_sequential(&two, 2, &bounds(), &options),
        Err(Error::InvalidInput { .. })
    ));
}
