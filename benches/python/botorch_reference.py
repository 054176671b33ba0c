"""Reference values from BoTorch's SingleTaskGP and analytic acquisitions, for gradbo's tests.

Optional, never needed by `cargo test`: it writes the fixture that the tests read,
tests/data/botorch_reference.json, which is committed. Regenerate it (a few seconds) from a Python
environment outside the repository with torch, botorch, gpytorch, numpy and mpmath:

    /path/to/venv/bin/python benches/python/botorch_reference.py > tests/data/botorch_reference.json

Three data sets, y = -f (BoTorch maximises), X in the unit cube:
  branin_seed0_design     the stored Branin seed-0 initial design (6 points, d = 2),
  hartmann6_seed0_design  the stored Hartmann-6 seed-0 initial design (14 points, d = 6),
  hartmann6_sobol30       30 points of SobolEngine(6, scramble=True, seed=2024).
The two stored designs are written into the script (they are the first rows of
shared/data/bo/bo_init_*_seed0.csv), so that it needs no data folder.

Each data set is fitted twice, as two cases:
  input_transform "none"       SingleTaskGP(X, y): BoTorch 0.18.1's defaults (no input
                               transform; the stored BO reference runs are of this kind),
  input_transform "normalize"  SingleTaskGP(X, y, input_transform=Normalize(d)): inputs scaled by
                               the training minimum and maximum per column (the course's set-up).
Both use the default Standardize outcome transform, RBF ARD kernel (no output scale),
constant mean, Gaussian likelihood with BoTorch's priors, and `fit_gpytorch_mll` defaults.

For every case the JSON holds the model's structure and initial values, the MAP objective
(decomposed, with its gradient) at the initial and fitted values, the fitted hyperparameters
(and, under "tight", the same optimum converged further, which a better-converged fit should
match; fit_gpytorch_mll's own result stops where gradients of ~1e-4 remain), the posterior at 5 test points, EI, LogEI, PI, LogPI, UCB(beta = 2) and PosteriorMean there, the
gradient of LogEI in x, and LogEI deep in the tail (z = -5, -20, -40, -1000) beside EI, where EI
underflows, with exact values from mpmath (50 digits). The MAP objective and the posterior are
also recomputed here with NumPy from the fitted values (asserted, and the differences recorded),
which pins down what exactly BoTorch computes. See "conventions" in the output.
"""
import copy
import json
import math
import platform
import sys

import mpmath
import numpy as np
import torch

DESIGNS = {
    # u1..ud of bo_init_<problem>_seed0.csv (f is recomputed with BoTorch's test function).
    # Their first rows differ by ~1e-8 from what SobolEngine(d, scramble=True, seed=0) draws
    # here (the other rows agree exactly), so they are copied, not redrawn.
    "branin_seed0_design": [
        [0.4751071836799383, 0.5925239818170667],
        [0.5787633396685123, 0.03712194040417671],
        [0.9506698828190565, 0.8623440470546484],
        [0.12045786902308464, 0.2614422058686614],
        [0.21494522970169783, 0.9741821922361851],
        [0.8537586191669106, 0.4034951375797391],
    ],
    "hartmann6_seed0_design": [
        [0.4751071836799383, 0.5925239818170667, 0.4944791989400983,
         0.3138517318293452, 0.9560918500646949, 0.08330223709344864],
        [0.629703245125711, 0.458387766033411, 0.8648829078301787,
         0.9350283714011312, 0.11440754774957895, 0.6538269827142358],
        [0.8372954120859504, 0.8808068130165339, 0.13197390735149384,
         0.1697806166484952, 0.3751097163185477, 0.914702313952148],
        [0.05780562572181225, 0.013852025382220745, 0.5086639989167452,
         0.5798366470262408, 0.5373010570183396, 0.34417065419256687],
        [0.2021948527544737, 0.8558022100478411, 0.8987732511013746,
         0.659894940443337, 0.675291826017201, 0.1591074038296938],
        [0.919306649826467, 0.22611396294087172, 0.2730832062661648,
         0.09338839631527662, 0.27081796806305647, 0.6036565555259585],
        [0.6102815037593246, 0.6788169415667653, 0.723773623816669,
         0.8271631998941302, 0.21915740240365267, 0.8428024435415864],
        [0.2683074530214071, 0.3093520514667034, 0.10436996165663004,
         0.4249022649601102, 0.8186195073649287, 0.3982482850551605],
        [0.3275827970355749, 0.9786471333354712, 0.6389596555382013,
         0.00028449855744838715, 0.01984716858714819, 0.28750950563699007],
        [0.5440800106152892, 0.09570110496133566, 0.0016495659947395325,
         0.7464022412896156, 0.9243018263950944, 0.9830364100635052],
        [0.9849255969747901, 0.5482744360342622, 0.9875168045982718,
         0.4813926964998245, 0.5696094026789069, 0.7143648248165846],
        [0.14332115463912487, 0.4323267266154289, 0.37187395710498095,
         0.7665119152516127, 0.4701283359900117, 0.018842927180230618],
        [0.10058416239917278, 0.7117139110341668, 0.23075750563293695,
         0.97126654535532, 0.3634218918159604, 0.4548674812540412],
        [0.7545665940269828, 0.3311406522989273, 0.5973536698147655,
         0.27982318960130215, 0.7051167963072658, 0.7744187619537115],
    ],
}
TAIL_KS = (5.0, 20.0, 40.0, 1000.0)
UCB_BETA = 2.0


def data_sets():
    from botorch.test_functions import Branin, Hartmann
    from torch.quasirandom import SobolEngine

    out = []
    branin = Branin()
    x = torch.tensor(DESIGNS["branin_seed0_design"], dtype=torch.float64)
    lo, hi = branin.bounds.to(torch.float64)
    out.append(("branin_seed0_design", x, -branin(lo + x * (hi - lo))))
    hartmann = Hartmann(dim=6)
    x = torch.tensor(DESIGNS["hartmann6_seed0_design"], dtype=torch.float64)
    out.append(("hartmann6_seed0_design", x, -hartmann(x)))
    x = SobolEngine(6, scramble=True, seed=2024).draw(30, dtype=torch.float64)
    out.append(("hartmann6_sobol30", x, -hartmann(x)))
    return out


def test_points(x, y):
    """5 fixed points: 3 Sobol points (seed 7), the centre, and the best training point."""
    from torch.quasirandom import SobolEngine

    d = x.shape[-1]
    sobol = SobolEngine(d, scramble=True, seed=7).draw(3, dtype=torch.float64)
    centre = torch.full((1, d), 0.5, dtype=torch.float64)
    best = x[y.argmax()].unsqueeze(0)
    return torch.cat([sobol, centre, best])


def floats(t):
    return [float(v) for v in t.detach().reshape(-1)]


def rows(t):
    return [floats(r) for r in t.detach()]


def lognormal_log_pdf(v, loc, scale):
    """log of the LogNormal(loc, scale) density in v itself (torch's LogNormal.log_prob)."""
    lv = np.log(v)
    return -lv - np.log(scale) - 0.5 * np.log(2 * np.pi) - (lv - loc) ** 2 / (2 * scale**2)


def objective(model, mll):
    """The MAP objective as fit_gpytorch_mll sees it (its negative is the loss), decomposed.

    Returns gpytorch's value (log N(y_std | c 1, K + s2 I) + sum of log priors) / n, the parts,
    and the gradient of the value in the actual (= raw: no constraint transform) parameters.
    """
    model.train()
    model.zero_grad()
    xs = model.train_inputs
    out = model(*xs)
    value = mll(out, model.train_targets, *(model.transform_inputs(X=t) for t in xs))
    value.backward()
    n = model.train_targets.shape[-1]
    with torch.no_grad():
        log_likelihood = model.likelihood(out).log_prob(model.train_targets)
        kernel = model.covar_module
        log_prior_ls = kernel.lengthscale_prior.log_prob(kernel.lengthscale).sum()
        noise_cov = model.likelihood.noise_covar
        log_prior_noise = noise_cov.noise_prior.log_prob(noise_cov.noise).sum()
    grad = {
        "lengthscale": floats(kernel.raw_lengthscale.grad),
        "noise": float(noise_cov.raw_noise.grad.reshape(-1)[0]),
        "constant": float(model.mean_module.raw_constant.grad.reshape(-1)[0]),
    }
    model.zero_grad()
    return {
        "value": float(value),
        "n": int(n),
        "log_likelihood": float(log_likelihood),
        "log_prior_lengthscale": float(log_prior_ls),
        "log_prior_noise": float(log_prior_noise),
        "grad": grad,
    }


def hyper(model):
    return {
        "lengthscale": floats(model.covar_module.lengthscale),
        "noise": float(model.likelihood.noise.reshape(-1)[0]),
        "constant": float(model.mean_module.constant.reshape(-1)[0]),
    }


def tight_optimum(model, mll):
    """The same MAP optimum converged much further: L-BFGS-B from BoTorch's fitted values with
    ftol = 1e-15 and gtol = 1e-12. fit_gpytorch_mll stops on scipy's default relative reduction
    (ftol = 2.2e-9), where the objective is flat in the noise and gradients of ~1e-4 remain; this
    is the value a better-converged fit should agree with. The model is restored afterwards."""
    from botorch.optim.fit import fit_gpytorch_mll_scipy

    state = copy.deepcopy(model.state_dict())
    mll.train()
    result = fit_gpytorch_mll_scipy(mll, options={"ftol": 1e-15, "gtol": 1e-12, "maxiter": 10000})
    out = hyper(model)
    out["optimiser"] = {"status": result.status.name, "message": str(result.message),
                        "step": int(result.step), "fval": float(result.fval)}
    out["objective"] = objective(model, mll)
    model.load_state_dict(state)
    return out


def numpy_check(xt, y_std, h, d, x_test_t, y_mean, y_sd, mll_value, mean, variance):
    """Recomputes the MAP objective and the posterior from the fitted values with NumPy."""
    ls = np.array(h["lengthscale"])
    noise, c = h["noise"], h["constant"]

    def k(a, b):
        r = (a[:, None, :] - b[None, :, :]) / ls
        return np.exp(-0.5 * (r**2).sum(-1))

    n = len(y_std)
    kxx = k(xt, xt) + noise * np.eye(n)
    chol = np.linalg.cholesky(kxx)
    r = y_std - c
    alpha = np.linalg.solve(chol.T, np.linalg.solve(chol, r))
    log_lik = -0.5 * r @ alpha - np.log(np.diag(chol)).sum() - 0.5 * n * np.log(2 * np.pi)
    loc = math.sqrt(2) + 0.5 * math.log(d)
    log_prior = lognormal_log_pdf(ls, loc, math.sqrt(3)).sum()
    log_prior += lognormal_log_pdf(noise, -4.0, 1.0)
    mll = (log_lik + log_prior) / n
    ks = k(x_test_t, xt)
    mu = c + ks @ alpha
    v = np.linalg.solve(chol, ks.T)
    var = 1.0 - (v * v).sum(0)
    mu_data, var_data = y_mean + y_sd * mu, y_sd**2 * var
    diffs = {
        "objective_abs_diff": abs(mll - mll_value),
        "mean_abs_diff": float(np.max(np.abs(mu_data - np.array(mean)))),
        "variance_abs_diff": float(np.max(np.abs(var_data - np.array(variance)))),
    }
    assert diffs["objective_abs_diff"] < 1e-9, diffs
    assert diffs["mean_abs_diff"] < 1e-8 * max(1.0, y_sd), diffs
    assert diffs["variance_abs_diff"] < 1e-8 * max(1.0, y_sd**2), diffs
    return diffs


def exact_ei(mean, sigma, best_f):
    """EI and log EI for maximisation, to 50 digits (mpmath)."""
    with mpmath.workdps(50):
        m, s, b = mpmath.mpf(mean), mpmath.mpf(sigma), mpmath.mpf(best_f)
        z = (m - b) / s
        # EI = s (phi(z) + z Phi(z)); in the tail through erfc, which mpmath keeps exact.
        phi = mpmath.npdf(z)
        cdf = mpmath.erfc(-z / mpmath.sqrt(2)) / 2
        ei = s * (phi + z * cdf)
        return float(ei), float(mpmath.log(ei))


def acquisitions(model, x, best_f):
    """Values of every analytic acquisition at the rows of x (each as a q = 1 batch)."""
    from botorch.acquisition.analytic import (
        ExpectedImprovement,
        LogExpectedImprovement,
        LogProbabilityOfImprovement,
        PosteriorMean,
        ProbabilityOfImprovement,
        UpperConfidenceBound,
    )

    xb = x.unsqueeze(-2)
    with torch.no_grad():
        values = {
            "ei": floats(ExpectedImprovement(model, best_f=best_f)(xb)),
            "log_ei": floats(LogExpectedImprovement(model, best_f=best_f)(xb)),
            "pi": floats(ProbabilityOfImprovement(model, best_f=best_f)(xb)),
            "log_pi": floats(LogProbabilityOfImprovement(model, best_f=best_f)(xb)),
            "ucb": floats(UpperConfidenceBound(model, beta=UCB_BETA)(xb)),
            "posterior_mean": floats(PosteriorMean(model)(xb)),
        }
    xg = xb.clone().requires_grad_(True)
    LogExpectedImprovement(model, best_f=best_f)(xg).sum().backward()
    values["log_ei_grad"] = rows(xg.grad.squeeze(-2))
    return values


def case(name, x, y, transform):
    from botorch.fit import fit_gpytorch_mll
    from botorch.models import SingleTaskGP
    from botorch.models.transforms.input import Normalize
    from botorch.optim.fit import fit_gpytorch_mll_scipy
    from gpytorch.mlls import ExactMarginalLogLikelihood

    n, d = x.shape
    kwargs = {"input_transform": Normalize(d=d)} if transform == "normalize" else {}
    model = SingleTaskGP(x, y.unsqueeze(-1), **kwargs)
    mll = ExactMarginalLogLikelihood(model.likelihood, model)
    kernel = model.covar_module
    noise_cov = model.likelihood.noise_covar
    ls_prior, noise_prior = kernel.lengthscale_prior, noise_cov.noise_prior
    ls_con, noise_con = kernel.raw_lengthscale_constraint, noise_cov.raw_noise_constraint
    if transform == "normalize":
        offset = floats(model.input_transform.offset)
        scale = floats(model.input_transform.coefficient)
    else:
        offset, scale = [0.0] * d, [1.0] * d
    octf = model.outcome_transform
    y_mean, y_sd = float(octf.means.reshape(-1)[0]), float(octf.stdvs.reshape(-1)[0])

    def prior(p):
        return {"type": type(p).__name__, "loc": float(p.loc), "scale": float(p.scale),
                "mode": float(p.mode)}

    def constraint(con):
        return {"type": type(con).__name__, "lower_bound": float(con.lower_bound),
                "upper_bound": None if math.isinf(float(con.upper_bound))
                else float(con.upper_bound), "enforced": bool(con.enforced),
                "transform": None if con._transform is None else con._transform.__name__,
                "initial_value": float(con.initial_value)}

    structure = {
        "kernel": type(kernel).__name__,
        "ard_num_dims": int(kernel.ard_num_dims),
        "output_scale": False,
        "mean": type(model.mean_module).__name__,
        "likelihood": type(model.likelihood).__name__,
        "outcome_transform": type(octf).__name__,
        "input_transform": type(model.input_transform).__name__
        if hasattr(model, "input_transform") else None,
        "priors": {"lengthscale": prior(ls_prior), "noise": prior(noise_prior), "constant": None},
        "constraints": {"lengthscale": constraint(ls_con), "noise": constraint(noise_con),
                        "constant": None},
        "parameter_names": [nm for nm, _ in model.named_parameters()],
    }
    initial = hyper(model)
    initial["raw_lengthscale"] = floats(kernel.raw_lengthscale)
    initial["raw_noise"] = float(noise_cov.raw_noise.reshape(-1)[0])
    initial["raw_constant"] = float(model.mean_module.raw_constant.reshape(-1)[0])
    at_initial = objective(model, mll)

    record = {"attempts": 0}

    def optimiser(mll_, **kw):
        record["attempts"] += 1
        result = fit_gpytorch_mll_scipy(mll_, **kw)
        record.update(status=result.status.name, message=str(result.message),
                      step=int(result.step), fval=float(result.fval))
        return result

    fit_gpytorch_mll(mll, optimizer=optimiser)
    fitted = hyper(model)
    fitted["optimiser"] = record
    fitted["lengthscale_at_lower_bound"] = [v <= 0.025 * (1 + 1e-9) for v in fitted["lengthscale"]]
    fitted["noise_at_lower_bound"] = fitted["noise"] <= 1e-4 * (1 + 1e-9)
    at_fitted = objective(model, mll)
    tight = tight_optimum(model, mll)
    model.eval()

    xs = test_points(x, y)
    with torch.no_grad():
        post = model.posterior(xs)
        mean, variance = floats(post.mean), floats(post.variance)
    best_f = float(y.max())
    acq = acquisitions(model, xs, best_f)
    acq = {"best_f": best_f, "ucb_beta": UCB_BETA, **acq}

    tail = []
    for i in (0, 1):
        sigma = math.sqrt(max(variance[i], 1e-12))
        for k in TAIL_KS:
            bf = mean[i] + k * sigma
            a = acquisitions(model, xs[i : i + 1], bf)
            ei_x, log_ei_x = exact_ei(mean[i], sigma, bf)
            tail.append({
                "point": i, "k": k, "best_f": bf, "mean": mean[i], "sigma": sigma,
                "z": (mean[i] - bf) / sigma,
                "ei": a["ei"][0], "log_ei": a["log_ei"][0], "pi": a["pi"][0],
                "log_pi": a["log_pi"][0], "log_ei_grad": a["log_ei_grad"][0],
                "ei_exact": ei_x, "log_ei_exact": log_ei_x,
            })

    xt = (x.numpy() - np.array(offset)) / np.array(scale)
    xst = (xs.numpy() - np.array(offset)) / np.array(scale)
    y_std = (y.numpy() - y_mean) / y_sd
    check = numpy_check(xt, y_std, fitted, d, xst, y_mean, y_sd, at_fitted["value"], mean,
                        variance)
    return {
        "name": f"{name}/{transform}",
        "data_set": name,
        "input_transform": transform,
        "n": int(n),
        "d": int(d),
        "x": rows(x),
        "y": floats(y),
        "input_offset": offset,
        "input_scale": scale,
        "outcome_mean": y_mean,
        "outcome_std": y_sd,
        "structure": structure,
        "initial": initial,
        "objective_at_initial": at_initial,
        "fitted": fitted,
        "objective_at_fitted": at_fitted,
        "tight": tight,
        "test_points": rows(xs),
        "posterior": {"mean": mean, "variance": variance},
        "acquisition": acq,
        "tail": tail,
        "numpy_check": check,
    }


CONVENTIONS = {
    "objective": (
        "What fit_gpytorch_mll maximises (its loss is the negative) and what "
        "ExactMarginalLogLikelihood returns in train mode: "
        "[log N(y_std | c 1, K + s2 I) + sum_i log p_LN(l_i) + log p_LN(s2)] / n, i.e. the exact "
        "Gaussian log density of the standardised targets including -n/2 log(2 pi), plus the log "
        "prior densities, the sum divided by n (priors included in the division). The priors are "
        "torch LogNormal densities in the parameter itself (log p(v) = -log v - log(scale) - "
        "0.5 log(2 pi) - (log v - loc)^2 / (2 scale^2)), not in log v; the constant mean has no "
        "prior; no Jacobian of the output standardisation is included. Parts are in "
        "objective_at_*: value = (log_likelihood + log_prior_lengthscale + log_prior_noise) / n."
    ),
    "kernel": "k(x, x') = exp(-0.5 sum_j ((x_j - x'_j) / l_j)^2), no output scale, on the "
              "transformed inputs (x - input_offset) / input_scale.",
    "parameters": (
        "Constraints GreaterThan(lower, transform=None): not enforced by a transform, so the raw "
        "parameter equals the actual one, and fit_gpytorch_mll passes the lower bounds to "
        "L-BFGS-B (scipy.optimize.minimize, scipy's default options) as box bounds: lengthscales "
        ">= 0.025, noise >= 1e-4 (standardised units); the constant is unbounded. Initial values: "
        "each constraint's initial_value, the prior's mode exp(loc - scale^2): lengthscale "
        "exp(sqrt2 + 0.5 ln d - 3), noise exp(-5); constant 0. Gradients in objective_at_* are "
        "of the (divided by n) value in these parameters."
    ),
    "fit": (
        "fit_gpytorch_mll: one L-BFGS-B run from the initial values; it would retry from prior "
        "samples (up to 5 attempts) only after a warning or a non-PSD error (attempts recorded)."
    ),
    "outcome_transform": "Standardize: y_std = (y - mean) / std with the sample std (n - 1); "
                         "noise and constant are in these standardised units.",
    "input_transform": "'none': x is used as given. 'normalize': Normalize(d) learnt from the "
                       "training inputs, x_t = (x - min) / (max - min) per column.",
    "posterior": "Latent f (no observation noise), in data units: mean = outcome_mean + "
                 "outcome_std * mu_std, variance = outcome_std^2 * var_std (gpytorch raises a "
                 "standardised variance below 1e-10 to 1e-10, with a warning; none is here).",
    "acquisition": (
        "Maximisation, best_f = max y. z = (mean - best_f) / sigma with sigma = "
        "sqrt(max(variance, 1e-12)). EI = sigma (phi(z) + z Phi(z)); LogEI its logarithm "
        "computed stably; PI = Phi(z); LogPI = log Phi(z); UCB = mean + sqrt(beta) sigma "
        "(beta = 2: multiplier sqrt 2); PosteriorMean = mean. log_ei_grad is d LogEI / d x "
        "(x in the original unit-cube coordinates) by autograd. In 'tail', best_f = mean + k "
        "sigma at test points 0 and 1, so z = -k; ei_exact and log_ei_exact are from mpmath."
    ),
}


def to_json(value, indent=""):
    """JSON with one key per line but each list of numbers on one line (a small, readable file).
    Floats are written by repr, which round-trips exactly; NaN and infinities are refused."""
    inner = indent + " "
    if isinstance(value, dict):
        items = [f"{inner}{json.dumps(k)}: {to_json(v, inner)}" for k, v in value.items()]
        return "{\n" + ",\n".join(items) + "\n" + indent + "}" if items else "{}"
    if isinstance(value, list):
        if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in value):
            return json.dumps(value, allow_nan=False)
        items = [inner + to_json(v, inner) for v in value]
        return "[\n" + ",\n".join(items) + "\n" + indent + "]" if items else "[]"
    return json.dumps(value, allow_nan=False)


def main():
    import botorch
    import gpytorch
    import scipy

    torch.set_default_dtype(torch.float64)
    torch.set_num_threads(1)
    cases = []
    for name, x, y in data_sets():
        for transform in ("none", "normalize"):
            cases.append(case(name, x, y, transform))
    out = {
        "generator": "benches/python/botorch_reference.py",
        "versions": {"botorch": botorch.__version__, "gpytorch": gpytorch.__version__,
                     "torch": torch.__version__, "numpy": np.__version__,
                     "scipy": scipy.__version__, "python": platform.python_version()},
        "conventions": CONVENTIONS,
        "cases": cases,
    }
    sys.stdout.write(to_json(out) + "\n")


if __name__ == "__main__":
    main()
