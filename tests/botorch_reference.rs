//! The library's single-task GP and analytic acquisition functions against BoTorch's, on the
//! values recorded in `tests/data/botorch_reference.json` by
//! `benches/python/botorch_reference.py` (botorch 0.18.1, gpytorch 1.15.2): three data sets
//! (Branin's and Hartmann-6's seed-0 initial designs, 30 Sobol points of Hartmann-6), each
//! with the inputs used as given (in the unit cube) and normalised by the training inputs.
//!
//! At BoTorch's own hyperparameters the objective (log likelihood plus log-priors, per point),
//! the posterior and every acquisition value agree to rounding; the library's own fit reaches
//! BoTorch's optimum.

use gradbo::acquisition::{Acquisition, AcquisitionFunction, Analytic, Direction};
use gradbo::gp::{
    fit, FitOptions, FittedGp, Gp, Hyperparameters, Kernel, KernelKind,
};
use gradbo::models::Model;
use gradbo::transforms::{Normalize, Standardize};
use gradbo::Bounds;
use ndarray::{Array1, Array2};
use serde_json::Value;

fn fixture() -> Value {
    let text = include_str!("data/botorch_reference.json");
    serde_json::from_str(text).expect("the fixture is JSON")
}

fn vector(v: &Value) -> Array1<f64> {
    v.as_array()
        .expect("an array")
        .iter()
        .map(|x| x.as_f64().expect("a number"))
        .collect()
}

fn matrix(v: &Value) -> Array2<f64> {
    let rows: Vec<Array1<f64>> =
        v.as_array().expect("rows").iter().map(vector).collect();
    Array2::from_shape_fn((rows.len(), rows[0].len()), |(i, j)| rows[i][j])
}

fn number(v: &Value) -> f64 {
    v.as_f64().expect("a number")
}

fn close(got: f64, want: f64, rel: f64) -> bool {
    (got - want).abs() <= rel * want.abs().max(1e-300)
}

/// The case's options: BoTorch's defaults, with its input transform.
fn options(case: &Value, d: usize) -> FitOptions {
    let normalise = case["input_transform"] == "normalize";
    FitOptions {
        // "none": the inputs are used as given, which Normalize by the unit cube leaves as is.
        input_bounds: (!normalise).then(|| Bounds::unit(d).expect("d ≥ 1")),
        ..FitOptions::single_task(d)
    }
}

/// A fitted model at the given hyperparameters (standardised units).
fn model_at(
    case: &Value,
    x: &Array2<f64>,
    y: &Array1<f64>,
    params: &Value,
) -> FittedGp {
    let d = x.ncols();
    let options = options(case, d);
    let normalize = match &options.input_bounds {
        Some(b) => Normalize::from_bounds(b),
        None => Normalize::learn(x.view()).expect("finite inputs"),
    };
    let standardize = Standardize::learn(y.view()).expect("finite outputs");
    let kernel = Kernel::new(
        KernelKind::SquaredExponential,
        vector(&params["lengthscale"]),
        1.0,
    )
    .expect("positive lengthscales");
    let hyper = Hyperparameters {
        kernel,
        mean: number(&params["constant"]),
        noise: number(&params["noise"]),
    };
    let gp = Gp::new(
        normalize.apply(x.view()).expect("d columns"),
        standardize.apply(y.view()),
        hyper,
    )
    .expect("positive definite");
    FittedGp { gp, normalize, standardize, options }
}

/// (log likelihood + log-priors)/n, BoTorch's fitting objective, at the model's values.
fn objective(model: &FittedGp) -> f64 {
    let priors = model.options.priors;
    let h = model.gp.hyperparameters();
    let mut total = model.gp.log_marginal_likelihood();
    if let Some(p) = priors.lengthscale {
        total += h
            .kernel
            .lengthscales()
            .iter()
            .map(|&l| p.log_density_and_slope(l).0)
            .sum::<f64>();
    }
    if let Some(p) = priors.noise {
        total += p.log_density_and_slope(h.noise).0;
    }
    total / model.gp.observations().len() as f64
}

#[test]
fn the_objective_posterior_and_acquisitions_agree_at_botorch_s_hyperparameters() {
    for case in fixture()["cases"].as_array().expect("cases") {
        let name = case["name"].as_str().expect("a name");
        let (x, y) = (matrix(&case["x"]), vector(&case["y"]));
        // The transforms learn what BoTorch's did.
        let s = Standardize::learn(y.view()).unwrap();
        assert!(close(s.mean, number(&case["outcome_mean"]), 1e-13), "{name}");
        assert!(close(s.std, number(&case["outcome_std"]), 1e-13), "{name}");
        // The objective at the initial values (the priors' modes) and at the fitted ones.
        for (params, at) in [
            (&case["initial"], "objective_at_initial"),
            (&case["fitted"], "objective_at_fitted"),
        ] {
            let model = model_at(case, &x, &y, params);
            let want = number(&case[at]["value"]);
            assert!(
                close(objective(&model), want, 1e-11),
                "{name} {at}: {} vs {want}",
                objective(&model)
            );
        }
        // The posterior and the acquisition values at the fitted hyperparameters.
        let model = model_at(case, &x, &y, &case["fitted"]);
        let points = matrix(&case["test_points"]);
        let p = model.marginals(points.view()).unwrap();
        let (mean, var) = (
            vector(&case["posterior"]["mean"]),
            vector(&case["posterior"]["variance"]),
        );
        for i in 0..points.nrows() {
            assert!(
                close(p.mean[i], mean[i], 1e-9),
                "{name} μ[{i}]: {} vs {}",
                p.mean[i],
                mean[i]
            );
            assert!(
                close(p.variance[i], var[i], 1e-8),
                "{name} σ²[{i}]: {} vs {}",
                p.variance[i],
                var[i]
            );
        }
        let acq = &case["acquisition"];
        let best = number(&acq["best_f"]);
        let beta = number(&acq["ucb_beta"]);
        for (kind, key, rel) in [
            (Acquisition::ExpectedImprovement { best }, "ei", 1e-7),
            (Acquisition::LogExpectedImprovement { best }, "log_ei", 1e-9),
            (Acquisition::ProbabilityOfImprovement { best }, "pi", 1e-7),
            (Acquisition::LogProbabilityOfImprovement { best }, "log_pi", 1e-9),
            (Acquisition::UpperConfidenceBound { beta }, "ucb", 1e-9),
            (Acquisition::PosteriorMean, "posterior_mean", 1e-9),
        ] {
            // The fixture's y is BoTorch's −f: maximisation.
            let a = Analytic::new(&model, kind, Direction::Maximise).unwrap();
            let got = a.values(points.view()).unwrap();
            for (i, (g, w)) in got.iter().zip(vector(&acq[key])).enumerate() {
                assert!(
                    close(*g, w, rel) || (g - w).abs() < 1e-300,
                    "{name} {key}[{i}]: {g} vs {w}"
                );
            }
        }
        let log_ei = Analytic::new(
            &model,
            Acquisition::LogExpectedImprovement { best },
            Direction::Maximise,
        )
        .unwrap();
        for (i, want) in matrix(&acq["log_ei_grad"]).rows().into_iter().enumerate()
        {
            let (_, g) = log_ei.value_and_gradient(points.row(i)).unwrap();
            for j in 0..g.len() {
                assert!(
                    close(g[j], want[j], 1e-6),
                    "{name} ∇LogEI[{i}][{j}]: {} vs {}",
                    g[j],
                    want[j]
                );
            }
        }
        // Far below the incumbent: EI underflows, LogEI stays exact (mpmath's values).
        for t in case["tail"].as_array().expect("tail cases") {
            let (best, point) =
                (number(&t["best_f"]), t["point"].as_u64().unwrap() as usize);
            let a = Analytic::new(
                &model,
                Acquisition::LogExpectedImprovement { best },
                Direction::Maximise,
            )
            .unwrap();
            let (v, _) = a.value_and_gradient(points.row(point)).unwrap();
            let exact = number(&t["log_ei_exact"]);
            assert!(
                close(v, exact, 1e-9),
                "{name} tail z = −{}: {v} vs {exact}",
                t["k"]
            );
        }
    }
}

#[test]
fn the_library_s_fit_reaches_botorch_s_optimum() {
    for case in fixture()["cases"].as_array().expect("cases") {
        let name = case["name"].as_str().expect("a name");
        let (x, y) = (matrix(&case["x"]), vector(&case["y"]));
        let ours = fit(x.view(), &y, &options(case, x.ncols())).unwrap();
        let theirs = number(&case["tight"]["objective"]["value"]);
        let got = objective(&ours);
        // As high as BoTorch's tightly converged optimum, to the fit's tolerance (or higher:
        // the library also tries two random starts).
        assert!(
            got > theirs - 1e-6,
            "{name}: objective {got} vs BoTorch's {theirs}"
        );
        if got < theirs + 1e-4 {
            // The same optimum: the same hyperparameters, to what the flat objective allows.
            let h = ours.gp.hyperparameters();
            for (l, w) in h
                .kernel
                .lengthscales()
                .iter()
                .zip(vector(&case["tight"]["lengthscale"]))
            {
                assert!(close(*l, w, 1e-2), "{name}: ℓ {l} vs {w}");
            }
            let w = number(&case["tight"]["noise"]);
            assert!(
                close(h.noise, w, 5e-2) || (h.noise < 2e-4 && w < 2e-4),
                "{name}: σₙ² {} vs {w}",
                h.noise
            );
        }
    }
}
