use super::*;
use crate::acquisition::{
    Acquisition, AcquisitionFunction, Analytic, Direction, Ensemble,
};
use crate::gp::{fit, FitOptions, Hyperparameters, Kernel, KernelKind, Prior};
use crate::mcmc::effective_sample_size;
use crate::models::Model;
use crate::numeric::central_difference;
use ndarray::{array, Array2, Axis};
use rand::rngs::ChaCha8Rng;
use rand::{RngExt, SeedableRng};

fn data() -> (Array2<f64>, Array1<f64>) {
    let x = Array2::from_shape_fn((12, 2), |(i, j)| {
        -5.0 + 15.0 * (((i * 7 + j * 5) % 13) as f64 / 12.0) + 3.0 * j as f64
    });
    let y = x.map_axis(Axis(1), |r| 100.0 + 20.0 * (0.3 * r[0]).sin() - 0.5 * r[1]);
    (x, y)
}

/// An ensemble of the GPs with the given hyperparameters (single-task layout: θ =
/// (log ℓ₁, log ℓ₂, log(σₙ² − 1e-4), m)) on `data()`.
fn ensemble(thetas: &[[f64; 4]]) -> FullyBayesianGp {
    let (x, y) = data();
    let priors = BayesianPriors::single_task(2);
    let normalize = Normalize::learn(x.view()).unwrap();
    let standardize = Standardize::learn(y.view()).unwrap();
    let draws = Array2::from_shape_fn((thetas.len(), 4), |(i, j)| thetas[i][j]);
    let chain = Chain {
        log_densities: vec![0.0; thetas.len()],
        draws,
        widths: vec![1.0; 4],
        evaluations: 0,
    };
    FullyBayesianGp::from_chain(
        normalize.apply(x.view()).unwrap(),
        standardize.apply(y.view()),
        normalize,
        standardize,
        chain,
        priors,
    )
    .unwrap()
}

#[test]
fn one_draw_is_the_ordinary_fitted_gp() {
    let (x, y) = data();
    let map = fit(x.view(), &y, &FitOptions::single_task(2)).unwrap();
    let h = map.gp.hyperparameters();
    let l = h.kernel.lengthscales();
    let theta = [l[0].ln(), l[1].ln(), (h.noise - 1e-4).ln(), h.mean];
    let fb = ensemble(&[theta]);
    let xs = array![[0.0, 4.0], [7.5, 10.0], [9.0, 2.0], [-4.0, -1.0]];
    let (a, b) =
        (fb.marginals(xs.view()).unwrap(), map.marginals(xs.view()).unwrap());
    let close = |u: f64, v: f64| (u - v).abs() <= 1e-10 * v.abs().max(1.0);
    for i in 0..4 {
        assert!(close(a.mean[i], b.mean[i]) && close(a.variance[i], b.variance[i]));
    }
    let best = Direction::Minimise.best(y.iter().copied()).unwrap();
    let kind = Acquisition::LogExpectedImprovement { best };
    let ens = Ensemble::new(fb.members(), kind, Direction::Minimise).unwrap();
    let one = Analytic::new(&map, kind, Direction::Minimise).unwrap();
    let (va, vb) = (ens.values(xs.view()).unwrap(), one.values(xs.view()).unwrap());
    for i in 0..4 {
        assert!(close(va[i], vb[i]), "{va} vs {vb}");
    }
    let (v, g) = ens.value_and_gradient(xs.row(1)).unwrap();
    let (w, h) = one.value_and_gradient(xs.row(1)).unwrap();
    assert!(close(v, w) && close(g[0], h[0]) && close(g[1], h[1]));
}

#[test]
fn the_mixture_s_moments_by_hand_on_two_draws() {
    let fb = ensemble(&[[-1.0, 0.5, -6.0, 0.2], [0.3, -0.7, -4.0, -0.3]]);
    let xs = array![[0.0, 4.0], [7.5, 10.0], [12.0, -3.0]];
    let mix = fb.marginals(xs.view()).unwrap();
    let p: Vec<_> =
        fb.members().iter().map(|m| m.marginals(xs.view()).unwrap()).collect();
    let joint = fb.posterior(xs.view()).unwrap();
    for i in 0..3 {
        let (m1, m2, v1, v2) =
            (p[0].mean[i], p[1].mean[i], p[0].variance[i], p[1].variance[i]);
        let mean = (m1 + m2) / 2.0;
        let var = (v1 + v2) / 2.0 + (m1 - m2) * (m1 - m2) / 4.0;
        assert!((mix.mean[i] - mean).abs() < 1e-12 * mean.abs());
        assert!((mix.variance[i] - var).abs() < 1e-12 * var);
        assert!((joint.mean()[i] - mean).abs() < 1e-12 * mean.abs());
        assert!((joint.covariance()[[i, i]] - var).abs() < 1e-9 * var);
        // The members differ: the mixture is wider than their average.
        assert!(var > (v1 + v2) / 2.0);
    }
    // Off the diagonal: ½(Σ₁ + Σ₂)ᵢⱼ + ¼(μ₁ − μ₂)ᵢ(μ₁ − μ₂)ⱼ.
    let c: Vec<_> =
        fb.members().iter().map(|m| m.posterior(xs.view()).unwrap()).collect();
    let e = |i: usize| p[0].mean[i] - p[1].mean[i];
    let want = 0.5 * (c[0].covariance()[[0, 2]] + c[1].covariance()[[0, 2]])
        + 0.25 * e(0) * e(2);
    assert!((joint.covariance()[[0, 2]] - want).abs() < 1e-9 * want.abs().max(1.0));
    // The point prediction and its gradients.
    let at = array![3.3, 6.1];
    let pt = fb.point(at.view()).unwrap();
    let row = fb.marginals(at.view().insert_axis(Axis(0))).unwrap();
    assert!((pt.mean - row.mean[0]).abs() < 1e-10 * pt.mean.abs());
    assert!((pt.variance - row.variance[0]).abs() < 1e-10 * pt.variance);
    let gm = central_difference(|x| fb.point(x.view()).unwrap().mean, &at, 1e-5);
    let gv =
        central_difference(|x| fb.point(x.view()).unwrap().variance, &at, 1e-5);
    for j in 0..2 {
        assert!((pt.mean_gradient[j] - gm[j]).abs() < 1e-5 * gm[j].abs().max(1.0));
        assert!(
            (pt.variance_gradient[j] - gv[j]).abs() < 1e-5 * gv[j].abs().max(1.0),
            "{gv} vs {}",
            pt.variance_gradient
        );
    }
}

#[test]
fn ensemble_log_ei_is_a_log_mean_exp_with_the_right_gradient() {
    let fb = ensemble(&[
        [-1.0, 0.5, -6.0, 0.2],
        [0.3, -0.7, -4.0, -0.3],
        [-0.2, 0.0, -5.0, 0.0],
    ]);
    let (_, y) = data();
    let best = Direction::Minimise.best(y.iter().copied()).unwrap();
    for kind in [
        Acquisition::LogExpectedImprovement { best },
        Acquisition::ExpectedImprovement { best },
        Acquisition::UpperConfidenceBound { beta: 2.0 },
    ] {
        let ens = Ensemble::new(fb.members(), kind, Direction::Minimise).unwrap();
        assert_eq!(ens.len(), 3);
        let at = array![3.3, 6.1];
        let (v, g) = ens.value_and_gradient(at.view()).unwrap();
        let parts: Vec<f64> = fb
            .members()
            .iter()
            .map(|m| {
                Analytic::new(m, kind, Direction::Minimise)
                    .unwrap()
                    .value_and_gradient(at.view())
                    .unwrap()
                    .0
            })
            .collect();
        let want = match kind {
            Acquisition::LogExpectedImprovement { .. } => {
                (parts.iter().map(|a| a.exp()).sum::<f64>() / 3.0).ln()
            }
            _ => parts.iter().sum::<f64>() / 3.0,
        };
        assert!((v - want).abs() < 1e-12 * want.abs().max(1.0), "{kind:?}");
        let row = ens.values(at.view().insert_axis(Axis(0))).unwrap();
        assert!((row[0] - v).abs() < 1e-12 * v.abs().max(1.0));
        let fd = central_difference(
            |x| ens.value_and_gradient(x.view()).unwrap().0,
            &at,
            1e-6,
        );
        for j in 0..2 {
            assert!(
                (g[j] - fd[j]).abs() < 1e-5 * fd[j].abs().max(1e-3),
                "{kind:?}: {g} vs {fd}"
            );
        }
    }
    // LogEI far from the data, where each member's EI underflows, stays finite.
    let ens = Ensemble::new(
        fb.members(),
        Acquisition::LogExpectedImprovement { best: best - 1e4 },
        Direction::Minimise,
    )
    .unwrap();
    let (v, g) = ens.value_and_gradient(array![3.3, 6.1].view()).unwrap();
    assert!(v.is_finite() && v < -100.0 && g.iter().all(|d| d.is_finite()));
    let empty: [FittedGp; 0] = [];
    assert!(matches!(
        Ensemble::new(&empty, Acquisition::PosteriorMean, Direction::Maximise),
        Err(Error::Empty { .. })
    ));
}

#[test]
// The reference values are quoted with all the digits Python printed.
#[allow(clippy::excessive_precision)]
fn the_saas_log_prior_matches_botorch_s_distributions() {
    // benches/python/saas_prior_reference.py: torch.distributions (float64) at τ = 0.05,
    // ρ = (0.3, 2, 15), σ² = 1.7, σₙ² − 1e-4 = 0.02, m = −0.4.
    let priors = BayesianPriors::saas();
    let theta = [
        0.05f64.ln(),
        0.3f64.ln(),
        2.0f64.ln(),
        15.0f64.ln(),
        1.7f64.ln(),
        0.02f64.ln(),
        -0.4,
    ];
    let got = priors.log_prior(&theta, 3).unwrap();
    let want = -9.163_437_494_836_977;
    assert!((got - want).abs() < 1e-12, "{got} vs {want}");
    // In θ, the Jacobian adds every log-transformed coordinate.
    let jacobian: f64 = theta[..6].iter().sum();
    assert!(
        (priors.log_prior_theta(&theta, 3).unwrap() - want - jacobian).abs()
            < 1e-12
    );
    let h = priors.hyperparameters(&theta, 3).unwrap();
    for (l, w) in h.kernel.lengthscales().iter().zip([
        8.164_965_809_277_261,
        3.162_277_660_168_379,
        1.154_700_538_379_252,
    ]) {
        assert!((l - w).abs() < 1e-14 * w);
    }
    assert!((h.kernel.outputscale() - 1.7).abs() < 1e-15);
    assert!((h.noise - 0.0201).abs() < 1e-15 && h.mean == -0.4);
    assert_eq!(h.kernel.kind(), KernelKind::Matern52);
}

#[test]
fn saas_switches_off_inert_inputs() {
    // f(x) = sin(6 x₁) in d = 10 from 30 random points: only x₁ matters.
    let (n, d) = (30, 10);
    let mut rng = ChaCha8Rng::seed_from_u64(11);
    let x = Array2::from_shape_simple_fn((n, d), || rng.random::<f64>());
    let y = x.column(0).mapv(|v| (6.0 * v).sin());
    let fb =
        fit_fully_bayesian(x.view(), &y, &FullyBayesianOptions::saas()).unwrap();
    assert_eq!(fb.members().len(), 8);
    // Posterior medians of the inverse squared lengthscales.
    let median = |j: usize| {
        let mut v: Vec<f64> = fb
            .members()
            .iter()
            .map(|m| m.gp.hyperparameters().kernel.lengthscales()[j].powi(-2))
            .collect();
        v.sort_by(f64::total_cmp);
        0.5 * (v[3] + v[4])
    };
    let relevant = median(0);
    let inert = (1..d).map(median).fold(0.0, f64::max);
    assert!(relevant > 1.0, "{relevant}");
    assert!(inert < 0.01 * relevant, "{inert} vs {relevant}");
    // The ensemble predicts the function between the data.
    let xs = Array2::from_shape_fn((5, d), |(i, j)| {
        if j == 0 {
            0.1 + 0.2 * i as f64
        } else {
            0.5
        }
    });
    let p = fb.marginals(xs.view()).unwrap();
    for (i, m) in p.mean.iter().enumerate() {
        let want = (6.0 * (0.1 + 0.2 * i as f64)).sin();
        assert!((m - want).abs() < 0.1, "{i}: {m} vs {want}");
    }
}

#[test]
fn a_two_parameter_posterior_matches_quadrature() {
    // θ = (log ℓ, log σ²) with the noise and the mean fixed, on ten points in one dimension:
    // the chain's posterior means and standard deviations against a 300 × 300 grid over
    // [−7, 4]², each grid density computed independently by the ordinary GP.
    let x = Array2::from_shape_fn((10, 1), |(i, _)| (i as f64 * 0.37) % 1.0);
    let y = x.column(0).mapv(|v| (5.0 * v).sin() + 0.3 * v);
    let ls_prior = Prior::LogNormal { loc: -1.0, scale: 1.0 };
    let os_prior = Prior::Gamma { shape: 2.0, rate: 0.5 };
    let priors = BayesianPriors {
        kind: KernelKind::Matern52,
        lengthscale: LengthscalePrior::Each(ls_prior),
        outputscale: ScalePrior::Learned(os_prior),
        noise: ScalePrior::Fixed(0.01),
        noise_floor: 0.0,
        mean: MeanPrior::Fixed(0.0),
    };
    let options = FullyBayesianOptions {
        priors,
        sampler: SliceOptions {
            warmup: 100,
            samples: 6000,
            thinning: 1,
            seed: 3,
            ..SliceOptions::default()
        },
        input_bounds: None,
        start: None,
    };
    let fb = fit_fully_bayesian(x.view(), &y, &options).unwrap();
    let (xn, yn) = (
        fb.members()[0].gp.inputs().clone(),
        fb.members()[0].gp.observations().clone(),
    );
    let density = |u: f64, v: f64| {
        let kernel =
            Kernel::new(KernelKind::Matern52, array![u.exp()], v.exp()).unwrap();
        let gp = Gp::new(
            xn.clone(),
            yn.clone(),
            Hyperparameters { kernel, mean: 0.0, noise: 0.01 },
        )
        .unwrap();
        gp.log_marginal_likelihood()
            + ls_prior.log_density_and_slope(u.exp()).0
            + u
            + os_prior.log_density_and_slope(v.exp()).0
            + v
    };
    let (lo, hi, m) = (-7.0, 4.0, 300);
    let h = (hi - lo) / m as f64;
    let grid: Vec<f64> = (0..m).map(|k| lo + (k as f64 + 0.5) * h).collect();
    let logp: Vec<Vec<f64>> = grid
        .iter()
        .map(|&u| grid.iter().map(|&v| density(u, v)).collect())
        .collect();
    let top = logp.iter().flatten().copied().fold(f64::NEG_INFINITY, f64::max);
    // The grid holds the posterior: its edges are negligible.
    for (k, row) in logp.iter().enumerate() {
        for edge in [logp[0][k], logp[m - 1][k], row[0], row[m - 1]] {
            assert!(edge - top < -15.0, "mass at the grid's edge");
        }
    }
    let (mut z, mut mu, mut mv, mut su, mut sv) = (0.0, 0.0, 0.0, 0.0, 0.0);
    for (i, &u) in grid.iter().enumerate() {
        for (j, &v) in grid.iter().enumerate() {
            let w = (logp[i][j] - top).exp();
            z += w;
            mu += w * u;
            mv += w * v;
            su += w * u * u;
            sv += w * v * v;
        }
    }
    let (mu, mv) = (mu / z, mv / z);
    let (sdu, sdv) = ((su / z - mu * mu).sqrt(), (sv / z - mv * mv).sqrt());
    let chain = fb.chain();
    for (j, (mean, sd)) in [(mu, sdu), (mv, sdv)].into_iter().enumerate() {
        let c = chain.draws.column(j).to_vec();
        let ess = effective_sample_size(&c).unwrap();
        let got = c.iter().sum::<f64>() / c.len() as f64;
        assert!(
            (got - mean).abs() < 4.0 * sd / ess.sqrt(),
            "{j}: mean {got} vs {mean}"
        );
        let sq: Vec<f64> = c.iter().map(|v| (v - mean) * (v - mean)).collect();
        let ess2 = effective_sample_size(&sq).unwrap();
        let m2 = sq.iter().sum::<f64>() / sq.len() as f64;
        let sd2 = (sq.iter().map(|s| (s - m2) * (s - m2)).sum::<f64>()
            / sq.len() as f64)
            .sqrt();
        assert!(
            (m2 - sd * sd).abs() < 4.0 * sd2 / ess2.sqrt(),
            "{j}: variance {m2} vs {}",
            sd * sd
        );
        assert!(ess > 1000.0, "{j}: ESS {ess}");
    }
}

#[test]
fn bad_data_and_options_are_errors() {
    let (x, y) = data();
    let o = FullyBayesianOptions::single_task(2);
    let mut nan = y.clone();
    nan[3] = f64::NAN;
    assert!(matches!(
        fit_fully_bayesian(x.view(), &nan, &o),
        Err(Error::NonFinite { .. })
    ));
    assert!(matches!(
        fit_fully_bayesian(Array2::zeros((0, 2)).view(), &Array1::zeros(0), &o),
        Err(Error::Empty { .. })
    ));
    assert!(matches!(
        fit_fully_bayesian(x.view(), &y.slice(ndarray::s![..5]).to_owned(), &o),
        Err(Error::ShapeMismatch { .. })
    ));
    let none = FullyBayesianOptions {
        sampler: SliceOptions { samples: 0, ..o.sampler.clone() },
        ..o.clone()
    };
    assert!(matches!(
        fit_fully_bayesian(x.view(), &y, &none),
        Err(Error::InvalidInput { .. })
    ));
    let bad = FullyBayesianOptions {
        priors: BayesianPriors {
            lengthscale: LengthscalePrior::Saas { global_scale: -1.0 },
            ..o.priors
        },
        ..o.clone()
    };
    assert!(matches!(
        fit_fully_bayesian(x.view(), &y, &bad),
        Err(Error::InvalidInput { .. })
    ));
    let bounds = Bounds::new(array![0.0], array![1.0]).unwrap();
    let wrong = FullyBayesianOptions { input_bounds: Some(bounds), ..o };
    assert!(matches!(
        fit_fully_bayesian(x.view(), &y, &wrong),
        Err(Error::ShapeMismatch { .. })
    ));
}

#[test]
fn a_fit_is_deterministic_and_its_draws_are_its_members() {
    let (x, y) = data();
    let o = FullyBayesianOptions {
        sampler: SliceOptions {
            warmup: 20,
            samples: 20,
            thinning: 5,
            seed: 4,
            ..SliceOptions::default()
        },
        ..FullyBayesianOptions::single_task(2)
    };
    let (a, b) = (
        fit_fully_bayesian(x.view(), &y, &o).unwrap(),
        fit_fully_bayesian(x.view(), &y, &o).unwrap(),
    );
    assert_eq!(a.chain(), b.chain());
    assert_eq!(a.members().len(), 4);
    for (m, theta) in a.members().iter().zip(a.chain().draws.rows()) {
        let h = m.gp.hyperparameters();
        assert!(
            (h.kernel.lengthscales()[1] - theta[1].exp()).abs()
                < 1e-15 * theta[1].exp()
        );
        assert!((h.noise - 1e-4 - theta[2].exp()).abs() < 1e-15);
        assert_eq!(h.mean, theta[3]);
    }
    // The chain's densities are the posterior's at its draws.
    let xn = a.members()[0].gp.inputs().clone();
    let yn = a.members()[0].gp.observations().clone();
    let mut posterior = Posterior::new(xn.view(), yn.view(), o.priors);
    for (theta, lp) in
        a.chain().draws.rows().into_iter().zip(&a.chain().log_densities)
    {
        let fresh = posterior.log_density(&theta.to_vec()).unwrap();
        assert!((fresh - lp).abs() < 1e-9 * lp.abs());
    }
}

/// Not a check: the time of one SAAS fit at the bench's sizes (`cargo test -p gradbo --lib
/// fully_bayesian::tests::timing -- --ignored --nocapture`).
#[test]
#[ignore]
fn timing() {
    for (n, d) in [(60, 6), (100, 30)] {
        let mut rng = ChaCha8Rng::seed_from_u64(d as u64);
        let x = Array2::from_shape_simple_fn((n, d), || rng.random::<f64>());
        let y: Array1<f64> = x
            .rows()
            .into_iter()
            .map(|r| {
                (0..6)
                    .map(|j| (3.0 * r[j] + j as f64).sin() * (j + 1) as f64 / 6.0)
                    .sum()
            })
            .collect();
        let start = std::time::Instant::now();
        let fb = fit_fully_bayesian(x.view(), &y, &FullyBayesianOptions::saas())
            .unwrap();
        let t = start.elapsed().as_secs_f64();
        let ev = fb.chain().evaluations;
        let inv: Vec<String> = (0..d)
            .map(|j| {
                let mut v: Vec<f64> = fb
                    .members()
                    .iter()
                    .map(|m| {
                        m.gp.hyperparameters().kernel.lengthscales()[j].powi(-2)
                    })
                    .collect();
                v.sort_by(f64::total_cmp);
                format!("{:.2e}", v[v.len() / 2])
            })
            .collect();
        println!(
            "n={n} d={d}: {t:.3} s, {ev} evaluations ({:.1} µs each), median 1/ℓ²: {}",
            1e6 * t / ev as f64,
            inv.join(" ")
        );
    }
}

#[test]
fn a_chain_continues_from_a_given_start_and_refuses_a_wrong_one() {
    let (x, y) = data();
    let o = FullyBayesianOptions {
        sampler: SliceOptions {
            warmup: 0,
            samples: 6,
            thinning: 3,
            seed: 2,
            ..SliceOptions::default()
        },
        ..FullyBayesianOptions::single_task(2)
    };
    let first = fit_fully_bayesian(x.view(), &y, &o).unwrap();
    // The draw with the highest density is the member reported as the most probable.
    let best = first
        .chain()
        .log_densities
        .iter()
        .enumerate()
        .max_by(|a, b| a.1.total_cmp(b.1))
        .unwrap()
        .0;
    assert_eq!(
        first.most_probable().gp.hyperparameters(),
        first.members()[best].gp.hyperparameters()
    );
    // Without a warm-up, the first sweep starts where it is told: the last draw, not the
    // priors' modes, so the chain differs from one started at the modes.
    let start = first.last_draw();
    let continued =
        FullyBayesianOptions { start: Some(start.clone()), ..o.clone() };
    let next = fit_fully_bayesian(x.view(), &y, &continued).unwrap();
    assert_ne!(next.chain().draws, first.chain().draws);
    // A start outside the support (NaN) falls back to the modes: the fit from no start.
    let mut bad = start.clone();
    bad[0] = f64::NAN;
    let fallback = FullyBayesianOptions { start: Some(bad), ..o.clone() };
    assert_eq!(
        fit_fully_bayesian(x.view(), &y, &fallback).unwrap().chain().draws,
        first.chain().draws
    );
    let short = FullyBayesianOptions { start: Some(start[..2].to_vec()), ..o };
    assert!(matches!(
        fit_fully_bayesian(x.view(), &y, &short),
        Err(Error::ShapeMismatch { .. })
    ));
}
