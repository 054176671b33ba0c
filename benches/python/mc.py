"""BoTorch's qLogEI on the data of examples/mc_compare.rs, for a side-by-side timing table.

Optional, never needed by `cargo test`. Run from a Python environment outside the repository that
has torch, botorch and threadpoolctl; benches/python/mc_compare.sh runs it after the Rust side and
then calls the `summarise` mode below.

    python benches/python/mc.py DIR                    # one round: the two timings
    python benches/python/mc.py summarise RUST_LOG PYTHON_LOG

DIR holds the CSV files that `cargo run --release --example mc_compare -- DIR` writes. The model
is BoTorch's SingleTaskGP with the same fixed hyperparameters as gradbo's (Matern-5/2 with an
output scale, lengthscale 0.6 in every input, output scale 1, noise 1e-4, constant mean 0, no fit),
its inputs normalised by Normalize and its outputs standardised by Standardize. qLogEI has
BoTorch's defaults (fat-tailed softplus and smooth maximum) and a SobolQMCNormalSampler of 128
samples. Timed, on one thread: the value and gradient at the q = 4 candidate batch (forward and
backward), and one joint optimisation by optimize_acqf with q = 4, 20 restarts, 256 raw samples
and its default options.
"""
import re
import statistics
import sys
import time
import warnings

import numpy as np
import torch
from threadpoolctl import threadpool_limits


def timed(f, warmup, repeats):
    """The fastest and the upper-middle timing, in seconds, as examples/common/mod.rs takes them."""
    for _ in range(warmup):
        f()
    seconds = []
    for _ in range(repeats):
        start = time.perf_counter()
        f()
        seconds.append(time.perf_counter() - start)
    seconds.sort()
    return seconds[0], seconds[len(seconds) // 2]


def fields(t):
    return f"min_ms={t[0] * 1e3:.3f} median_ms={t[1] * 1e3:.3f}"


def run(folder):
    from botorch.acquisition import qLogExpectedImprovement
    from botorch.models import SingleTaskGP
    from botorch.models.transforms.input import Normalize
    from botorch.models.transforms.outcome import Standardize
    from botorch.optim import optimize_acqf
    from botorch.sampling.normal import SobolQMCNormalSampler
    from gpytorch.kernels import MaternKernel, ScaleKernel

    torch.set_default_dtype(torch.float64)
    train = np.loadtxt(f"{folder}/train.csv", delimiter=",", skiprows=1)
    candidate = torch.tensor(np.loadtxt(f"{folder}/candidate.csv", delimiter=",", skiprows=1))
    x, y = torch.tensor(train[:, :4]), torch.tensor(train[:, 4:5])
    model = SingleTaskGP(
        x,
        y,
        covar_module=ScaleKernel(MaternKernel(nu=2.5, ard_num_dims=4)),
        input_transform=Normalize(d=4),
        outcome_transform=Standardize(m=1),
    )
    model.covar_module.base_kernel.lengthscale = torch.full((1, 4), 0.6)
    model.covar_module.outputscale = torch.tensor(1.0)
    model.likelihood.noise = torch.tensor([1e-4])
    model.mean_module.constant = torch.tensor(0.0)
    model.eval()
    sampler = SobolQMCNormalSampler(sample_shape=torch.Size([128]), seed=0)
    acqf = qLogExpectedImprovement(model, y.max().item(), sampler=sampler)

    def gradient():
        xc = candidate.clone().requires_grad_(True)
        v = acqf(xc)
        v.backward()
        return v.item()

    value = gradient()
    t = timed(gradient, 50, 500)
    print(f"gradient q=4 n=40 d=4 samples=128 value={value:.6f} {fields(t)}")

    bounds = torch.tensor([[0.0] * 4, [1.0] * 4])
    found = {}

    def optimise():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            _, v = optimize_acqf(acqf, bounds=bounds, q=4, num_restarts=20, raw_samples=256)
        found["value"] = v.item()

    t = timed(optimise, 1, 5)
    print(f"optimize q=4 restarts=20 raw_samples=256 value={found['value']:.6f} {fields(t)}")


def read(path):
    rows = {}
    for line in open(path):
        name = line.split()[0]
        median = float(re.search(r"median_ms=([0-9.]+)", line).group(1))
        value = float(re.search(r"value=(-?[0-9.]+)", line).group(1))
        rows.setdefault(name, []).append((median, value))
    return rows


def summarise(rust_log, python_log):
    rust, python = read(rust_log), read(python_log)
    labels = {
        "gradient": "qLogEI value + gradient, q = 4, n = 40, d = 4, 128 samples",
        "optimize": "joint optimisation of q = 4: 20 restarts, 256 raw samples",
    }
    print(f"{'':62} {'gradbo ms':>11} {'BoTorch ms':>11} {'ratio':>7}   values (gradbo, BoTorch)")
    for name, label in labels.items():
        r = statistics.median(m for m, _ in rust[name])
        p = statistics.median(m for m, _ in python[name])
        rv, pv = rust[name][-1][1], python[name][-1][1]
        print(f"{label:62} {r:11.3f} {p:11.3f} {p / r:6.1f}x   {rv:.4f}, {pv:.4f}")
    print("medians over the rounds of each side's median timing; ratio = BoTorch / gradbo")
    print("(the optimised values differ: each side draws its own Sobol base samples and raw points)")


if __name__ == "__main__":
    if sys.argv[1] == "summarise":
        summarise(sys.argv[2], sys.argv[3])
    else:
        torch.set_num_threads(1)
        with threadpool_limits(limits=1):
            run(sys.argv[1])
