"""scikit-learn's and BoTorch's exact GPs on the data of examples/gp_compare.rs, for a side-by-side table.

Optional, never needed by `cargo test`. Run from a Python environment outside the repository that
has numpy, scipy, scikit-learn, torch, botorch and threadpoolctl; benches/python/gp_compare.sh runs
it alternately with the Rust side and then calls the `summarise` mode below.

    python benches/python/gp.py DIR                  # one round: fits and timings
    python benches/python/gp.py summarise DIR RUST_LOG PYTHON_LOG

DIR holds the CSV files that `cargo run --release --example gp_compare -- DIR` writes. Every
tool gets the same transformed data: inputs scaled to [0, 1] with the training minimum and
maximum, outputs standardised with the sample (n - 1) standard deviation, as gradbo does.

- scikit-learn: GaussianProcessRegressor with ConstantKernel * Matern(nu=2.5, ARD) +
  WhiteKernel, all bounds (1e-5, 1e5), default initial values, alpha = 1e-10 (its default
  diagonal term), normalize_y=False (the data are standardised already: zero prior mean),
  no restarts; L-BFGS-B on the log-parameters.
- BoTorch: SingleTaskGP with a constant mean and ScaleKernel(MaternKernel(nu=2.5, ARD)) with
  BoTorch's classic Gamma(3, 6) lengthscale and Gamma(2, 0.15) output-scale priors, the default
  likelihood (LogNormal(-4, 1) prior on the noise, noise >= 1e-4), no outcome transform (the
  data are standardised already), fitted by fit_gpytorch_mll (maximum a posteriori: the log
  priors are added to the marginal likelihood).

All log marginal likelihoods in the summary are recomputed by one function (`lml` below) from each
tool's fitted hyperparameters, on the same standardised data.
"""
import re
import statistics
import sys
import time
import warnings

import numpy as np
import scipy
import scipy.linalg
from scipy.spatial.distance import cdist
from threadpoolctl import threadpool_info, threadpool_limits

SIZES = (50, 200, 500, 1000)


def load(path):
    a = np.loadtxt(path, delimiter=",", skiprows=1)
    return a[:, :6], a[:, 6], a[:, 7]


def transforms(x, y):
    lo, hi = x.min(0), x.max(0)
    rng = np.where(hi > lo, hi - lo, 1.0)
    mean, std = y.mean(), y.std(ddof=1)
    return (lambda z: (z - lo) / rng), mean, std


def matern52(a, b, lengthscales, outputscale):
    r = cdist(a / lengthscales, b / lengthscales)
    s = np.sqrt(5.0) * r
    return outputscale * (1.0 + s + s * s / 3.0) * np.exp(-s)


def lml(x, y, mean, lengthscales, outputscale, noise):
    """log N(y | mean, K + noise I) per point: the one LML every tool is judged by."""
    k = matern52(x, x, np.asarray(lengthscales), outputscale)
    k[np.diag_indices_from(k)] += noise
    c = scipy.linalg.cholesky(k, lower=True)
    r = y - mean
    a = scipy.linalg.cho_solve((c, True), r)
    n = len(y)
    return (-0.5 * r @ a - np.log(np.diag(c)).sum() - 0.5 * n * np.log(2 * np.pi)) / n


def fit_sklearn(xn, yn):
    from sklearn.gaussian_process import GaussianProcessRegressor
    from sklearn.gaussian_process.kernels import ConstantKernel, Matern, WhiteKernel

    kernel = ConstantKernel(1.0, (1e-5, 1e5)) * Matern(
        length_scale=np.ones(6), length_scale_bounds=(1e-5, 1e5), nu=2.5
    ) + WhiteKernel(1.0, (1e-5, 1e5))
    start = time.perf_counter()
    gp = GaussianProcessRegressor(kernel, alpha=1e-10, normalize_y=False, n_restarts_optimizer=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        gp.fit(xn, yn)
    seconds = time.perf_counter() - start
    k = gp.kernel_
    hyper = dict(
        mean=0.0,
        lengthscales=np.atleast_1d(k.k1.k2.length_scale),
        outputscale=k.k1.k1.constant_value,
        noise=k.k2.noise_level + 1e-10,
    )
    return seconds, hyper, lambda xs: gp.predict(xs)


def fit_botorch(xn, yn):
    import torch
    from botorch.fit import fit_gpytorch_mll
    from botorch.models import SingleTaskGP
    from botorch.models.utils.gpytorch_modules import get_matern_kernel_with_gamma_prior
    from gpytorch.mlls import ExactMarginalLogLikelihood

    tx, ty = torch.tensor(xn), torch.tensor(yn).unsqueeze(-1)
    start = time.perf_counter()
    model = SingleTaskGP(
        tx, ty, covar_module=get_matern_kernel_with_gamma_prior(ard_num_dims=6), outcome_transform=None
    )
    mll = ExactMarginalLogLikelihood(model.likelihood, model)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fit_gpytorch_mll(mll)
    seconds = time.perf_counter() - start
    hyper = dict(
        mean=model.mean_module.constant.item(),
        lengthscales=model.covar_module.base_kernel.lengthscale.detach().numpy().ravel(),
        outputscale=model.covar_module.outputscale.item(),
        noise=model.likelihood.noise.item(),
    )

    def predict(xs):
        model.eval()
        with torch.no_grad():
            return model.posterior(torch.tensor(xs)).mean.numpy().ravel()

    return seconds, hyper, predict


def fmt(h):
    ls = ",".join(f"{v:.10e}" for v in h["lengthscales"])
    return f"mean={h['mean']:.10e} outputscale={h['outputscale']:.10e} noise={h['noise']:.10e} lengthscales={ls}"


def time_ms(reps, f):
    f()
    t = []
    for _ in range(reps):
        s = time.perf_counter()
        f()
        t.append(1e3 * (time.perf_counter() - s))
    return min(t), statistics.median(t)


def one_round(d):
    import torch

    torch.set_default_dtype(torch.float64)
    xt, _, ft = load(f"{d}/test.csv")
    # Warm both libraries up outside the timings (imports, first calls).
    x, y, _ = load(f"{d}/train_50.csv")
    fit_sklearn(x, (y - y.mean()) / y.std())
    fit_botorch(x, (y - y.mean()) / y.std())
    for n in SIZES:
        x, y, _ = load(f"{d}/train_{n}.csv")
        norm, mean, std = transforms(x, y)
        xn, yn, xtn = norm(x), (y - mean) / std, norm(xt)
        for name, fit in [("sklearn", fit_sklearn), ("botorch", fit_botorch)]:
            seconds, hyper, predict = fit(xn, yn)
            rmse = np.sqrt(np.mean((predict(xtn) * std + mean - ft) ** 2))
            print(f"{name} n={n} seconds={seconds:.6f} rmse={rmse:.8e} {fmt(hyper)}", flush=True)
    # Posterior mean and variance at the 1000 test points, the algebra gradbo's Gp::predict does,
    # given the factor and alpha: cross-covariance, K*^T alpha, L^-1 K*, column sums of squares.
    x, y, _ = load(f"{d}/train_1000.csv")
    ell, s2 = np.full(6, 0.4), 1.0
    k = matern52(x, x, ell, s2)
    k[np.diag_indices_from(k)] += 1e-4
    c = scipy.linalg.cholesky(k, lower=True)
    alpha = scipy.linalg.cho_solve((c, True), y)

    def predict():
        ks = matern52(x, xt, ell, s2)
        mu = ks.T @ alpha
        v = scipy.linalg.solve_triangular(c, ks, lower=True, check_finite=False)
        return mu, np.maximum(s2 - np.einsum("ij,ij->j", v, v), 1e-12)

    both = np.vstack([x, xt])
    for threads in (1, 2):
        with threadpool_limits(threads):
            lo, med = time_ms(20, predict)
            print(f"numpy_predict threads={threads} n=1000 m=1000 min_ms={lo:.3f} median_ms={med:.3f}")
            for n, reps in [(1000, 20), (2000, 8)]:
                kk = matern52(both[:n], both[:n], ell, s2)
                kk[np.diag_indices_from(kk)] += 1e-4
                lo, med = time_ms(reps, lambda: scipy.linalg.cholesky(kk, lower=True, check_finite=False))
                print(f"scipy_cholesky threads={threads} n={n} min_ms={lo:.3f} median_ms={med:.3f}")


def parse(paths):
    """{(tool, n): [dict per round]} from the lines the two sides print."""
    rows = {}
    for path in paths:
        for line in open(path):
            parts = line.split()
            if not parts or "=" not in line:
                continue
            fields = dict(p.split("=", 1) for p in parts[1:] if "=" in p)
            key = (parts[0], fields.get("n"), fields.get("threads"))
            rows.setdefault(key, []).append(fields)
    return rows


def med(rows, field):
    return statistics.median(float(r[field]) for r in rows)


def summarise(d, rust_log, py_log):
    import botorch
    import sklearn
    import torch

    rows = parse([rust_log, py_log])
    rounds = len(rows.get(("fit", "1000", None), []))
    print(f"rounds: {rounds} alternating (Rust, then Python); times are medians over the rounds")
    print(
        f"versions: numpy {np.__version__}, scipy {scipy.__version__}, scikit-learn {sklearn.__version__}, "
        f"botorch {botorch.__version__}, torch {torch.__version__}"
    )
    blas = [f"{i['internal_api']} {i.get('version')} ({i['num_threads']} threads)" for i in threadpool_info()]
    print(f"python threads: torch {torch.get_num_threads()}; BLAS: {'; '.join(blas)}")
    print()
    print("Fit: Matern-5/2 ARD + output scale + noise, Hartmann-6 + N(0, 0.01^2), d = 6, 1000 test points.")
    print("LML per point: every tool's fitted hyperparameters under one LML (inputs scaled to [0,1],")
    print("outputs standardised, constant mean; sklearn's mean is 0). RMSE against the noise-free test values.")
    print()
    head = f"{'n':>5} {'tool':10} {'LML/pt':>9} {'RMSE':>9} {'fit s':>8} {'noise':>9}  {'vs best other':>14}"
    print(head)
    print("-" * len(head))
    for n in SIZES:
        x, y, _ = load(f"{d}/train_{n}.csv")
        norm, mean, std = transforms(x, y)
        xn, yn = norm(x), (y - mean) / std
        result = {}
        tools = [("gradbo", "fit"), ("gradbo MAP", "fit_map"), ("sklearn", "sklearn"), ("botorch", "botorch")]
        for tool, key in tools:
            rs = rows.get((key, str(n), None))
            if not rs:
                continue
            last = rs[-1]
            h = dict(
                mean=float(last["mean"]),
                lengthscales=[float(v) for v in last["lengthscales"].split(",")],
                outputscale=float(last["outputscale"]),
                noise=float(last["noise"]),
            )
            value = lml(xn, yn, **h)
            if tool.startswith("gradbo"):
                own = float(last["lml_per_point"])
                assert abs(own - value) < 1e-6, f"gradbo's own LML {own} vs numpy's {value}"
            result[tool] = (value, float(last["rmse"]), med(rs, "seconds"), h["noise"])
        others = [result[t] for t in ("sklearn", "botorch") if t in result]
        for tool, (v, e, s, noise) in result.items():
            note = ""
            if tool.startswith("gradbo") and others:
                best_lml = max(o[0] for o in others)
                best_rmse = min(o[1] for o in others)
                fastest = min(o[2] for o in others)
                note = f"dLML {v - best_lml:+.4f}, RMSE x{e / best_rmse:.3f}, {fastest / s:.1f}x faster"
            print(f"{n:5d} {tool:10} {v:9.4f} {e:9.5f} {s:8.3f} {noise:9.2e}  {note}")
    print()
    print("Prediction at 1000 points (n = 1000, fixed hyperparameters), ms, min / median:")
    r = rows.get(("predict", "1000", None), [])
    if r:
        print(f"  gradbo Gp::predict (1 thread)      {med(r, 'min_ms'):8.2f} / {med(r, 'median_ms'):8.2f}")
    for threads in ("1", "2"):
        p = rows.get(("numpy_predict", "1000", threads), [])
        if p:
            print(f"  numpy, {threads} BLAS thread(s)            {med(p, 'min_ms'):8.2f} / {med(p, 'median_ms'):8.2f}")
    print()
    print("Cholesky of a Matern-5/2 kernel matrix, ms, min / median:")
    for n in ("1000", "2000"):
        r = rows.get(("cholesky", n, None), [])
        line = f"  n = {n}: gradbo (1 thread) {med(r, 'min_ms'):7.2f} / {med(r, 'median_ms'):7.2f}" if r else f"  n = {n}:"
        for threads in ("1", "2"):
            p = rows.get(("scipy_cholesky", n, threads), [])
            if p:
                line += f"; scipy {threads} thread(s) {med(p, 'min_ms'):7.2f} / {med(p, 'median_ms'):7.2f}"
        print(line)


if __name__ == "__main__":
    if len(sys.argv) >= 2 and sys.argv[1] == "summarise":
        summarise(*sys.argv[2:5])
    elif len(sys.argv) == 2:
        one_round(sys.argv[1])
    else:
        sys.exit(__doc__)
