"""BoTorch's exact hypervolume and qEHVI on the data of examples/pareto_compare.rs, for a
side-by-side timing table.

Optional, never needed by `cargo test`. Run from a Python environment outside the repository that
has torch, botorch and threadpoolctl; benches/python/pareto_compare.sh runs it after the Rust side
and then calls the `summarise` mode below.

    python benches/python/pareto.py DIR                    # one round: the timings
    python benches/python/pareto.py summarise RUST_LOG PYTHON_LOG
    python benches/python/pareto.py reference              # the reference value in the tests

DIR holds the CSV files that `cargo run --release --example pareto_compare -- DIR` writes.
Hypervolume: botorch.utils.multi_objective.hypervolume.Hypervolume (its exact algorithm) on each
front, reference point at the origin, float64. qEHVI: a ModelListGP of two SingleTaskGPs with the
same fixed hyperparameters as gradbo's (Matern-5/2 with an output scale, lengthscale 0.6 in every
input, output scale 1, noise 1e-4, constant mean 0, no fit), inputs normalised by Normalize and
outputs standardised by Standardize; qExpectedHypervolumeImprovement over a
FastNondominatedPartitioning of the 20-point front, with a SobolQMCNormalSampler of 128 samples.
Timed on one thread: the value and gradient at the candidate (forward and backward).
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
    return f"min_us={t[0] * 1e6:.2f} median_us={t[1] * 1e6:.2f}"


def load(path):
    return torch.tensor(np.loadtxt(path, delimiter=",", skiprows=1, ndmin=2))


def hypervolumes(folder):
    from botorch.utils.multi_objective.hypervolume import Hypervolume

    for m, n in [(2, 100), (2, 1000), (3, 100), (3, 1000)]:
        front = load(f"{folder}/front_m{m}_n{n}.csv")
        hv = Hypervolume(ref_point=torch.zeros(m))
        value = hv.compute(front)
        repeats = 3 if n >= 1000 else 11
        t = timed(lambda: hv.compute(front), 1, repeats)
        print(f"hypervolume_m{m}_n{n} value={value:.17e} {fields(t)}")


def qehvi(folder):
    from botorch.acquisition.multi_objective import qExpectedHypervolumeImprovement
    from botorch.models import ModelListGP, SingleTaskGP
    from botorch.models.transforms.input import Normalize
    from botorch.models.transforms.outcome import Standardize
    from botorch.sampling.normal import SobolQMCNormalSampler
    from botorch.utils.multi_objective.box_decompositions.non_dominated import (
        FastNondominatedPartitioning,
    )
    from gpytorch.kernels import MaternKernel, ScaleKernel

    train = load(f"{folder}/train.csv")
    x = train[:, :3]
    models = []
    for k in range(2):
        model = SingleTaskGP(
            x,
            train[:, 3 + k : 4 + k],
            covar_module=ScaleKernel(MaternKernel(nu=2.5, ard_num_dims=3)),
            input_transform=Normalize(d=3),
            outcome_transform=Standardize(m=1),
        )
        model.covar_module.base_kernel.lengthscale = torch.full((1, 3), 0.6)
        model.covar_module.outputscale = torch.tensor(1.0)
        model.likelihood.noise = torch.tensor([1e-4])
        model.mean_module.constant = torch.tensor(0.0)
        models.append(model)
    model = ModelListGP(*models)
    model.eval()
    front = load(f"{folder}/pareto_front.csv")
    reference = load(f"{folder}/reference.csv")[0]
    candidate = load(f"{folder}/candidate.csv")
    partitioning = FastNondominatedPartitioning(ref_point=reference, Y=front)
    sampler = SobolQMCNormalSampler(sample_shape=torch.Size([128]), seed=0)
    acqf = qExpectedHypervolumeImprovement(
        model=model, ref_point=reference, partitioning=partitioning, sampler=sampler
    )

    def gradient():
        xc = candidate.clone().requires_grad_(True)
        v = acqf(xc)
        v.backward()
        return v.item()

    value = gradient()
    t = timed(gradient, 20, 201)
    print(f"qehvi_gradient m=2 q=1 n=40 d=3 front=20 samples=128 value={value:.17e} {fields(t)}")


def run(folder):
    torch.set_default_dtype(torch.float64)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        hypervolumes(folder)
        qehvi(folder)


def reference():
    """The hypervolume of the 11-point qEHVI front of Part 6's battery tutorial w.r.t. (0.88, 115),
    pasted into src/multi_objective/hypervolume.rs's tests."""
    from botorch.utils.multi_objective.hypervolume import Hypervolume

    torch.set_default_dtype(torch.float64)
    front = torch.tensor(
        [
            [0.958849, 235.0], [0.961653, 223.585254], [0.963920, 219.676258],
            [0.965179, 204.289622], [0.967578, 192.720555], [0.973070, 179.446760],
            [0.976662, 173.290077], [0.980614, 167.088500], [0.986752, 159.247111],
            [0.991785, 148.809869], [0.993923, 142.731911],
        ]
    )
    print(repr(Hypervolume(ref_point=torch.tensor([0.88, 115.0])).compute(front)))


def read(path):
    rows = {}
    for line in open(path):
        name = line.split()[0]
        if name == "ehvi_closed_form":
            rows[name] = float(re.search(r"value=(-?[0-9.e+-]+)", line).group(1))
            continue
        median = float(re.search(r"median_us=([0-9.]+)", line).group(1))
        value = float(re.search(r"value=(-?[0-9.e+-]+)", line).group(1))
        rows.setdefault(name, []).append((median, value))
    return rows


def summarise(rust_log, python_log):
    rust, python = read(rust_log), read(python_log)
    labels = {
        "hypervolume_m2_n100": "exact hypervolume, m = 2, n = 100",
        "hypervolume_m2_n1000": "exact hypervolume, m = 2, n = 1000",
        "hypervolume_m3_n100": "exact hypervolume, m = 3, n = 100",
        "hypervolume_m3_n1000": "exact hypervolume, m = 3, n = 1000",
        "qehvi_gradient": "qEHVI value + gradient, m = 2, q = 1, 20-point front",
    }
    print(f"{'':54} {'gradbo µs':>11} {'BoTorch µs':>12} {'ratio':>8}   values: gradbo, relative difference")
    for name, label in labels.items():
        r = statistics.median(m for m, _ in rust[name])
        p = statistics.median(m for m, _ in python[name])
        rv, pv = rust[name][-1][1], python[name][-1][1]
        diff = abs(rv - pv) / abs(pv)
        print(f"{label:54} {r:11.2f} {p:12.2f} {p / r:7.0f}x   {rv:.12f}, {diff:.1e}")
    exact = rust["ehvi_closed_form"]
    qv = python["qehvi_gradient"][-1][1]
    rv = rust["qehvi_gradient"][-1][1]
    print(f"qEHVI estimates: gradbo {rv:.6f}, BoTorch {qv:.6f}; exact EHVI in closed form {exact:.6f}")
    print("medians over the rounds of each side's median timing; ratio = BoTorch / gradbo")
    print("(the hypervolumes are exact on both sides; the qEHVI values are Monte Carlo estimates")
    print(" from each side's own 128 quasi-random base samples, so they differ by sampling error)")


if __name__ == "__main__":
    if sys.argv[1] == "summarise":
        summarise(sys.argv[2], sys.argv[3])
    elif sys.argv[1] == "reference":
        reference()
    else:
        torch.set_num_threads(1)
        with threadpool_limits(limits=1):
            run(sys.argv[1])
