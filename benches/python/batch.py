"""BoTorch's side of the batch-loop comparison: q = 4 points per round chosen jointly by qLogEI.

Optional, never needed by `cargo test`. Run it from a Python environment outside the repository
with torch, botorch, gpytorch, numpy and threadpoolctl (benches/python/batch_compare.sh runs it
beside gradbo's side, examples/batch_compare.rs):

    python benches/python/batch.py designs --seeds 0-4 --out DIR
    python benches/python/batch.py DIR [--seeds 0-4] [--rounds 8] [--out FILE]
    python benches/python/batch.py summarise RUN.csv [RUN.csv ...]

The problem is the shifted Rosenbrock function in d = 4, minimised over [-2, 2]^4:
c = linspace(-1.5, 1.5, 4), z = x - c + 1, R(x) = sum_i 100 (z_{i+1} - z_i^2)^2 + (1 - z_i)^2,
with its minimum R = 0 at x = c.

`designs` writes, for each seed s, `batch_init_seed<s>.csv`: the first 8 points of
`SobolEngine(4, scramble=True, seed=s)` mapped to the box, and R there (columns x1..x4,f). Both
sides start from these files.

The loop, 8 rounds from the design (8 + 32 = 40 evaluations in all):
- `SingleTaskGP(X, -f)` with `Normalize(d=4, bounds=box)` (the box, not the data, fixes the
  normalised units, as gradbo's loop does) and `Standardize(m=1)`, fitted by `fit_gpytorch_mll`;
- `qLogExpectedImprovement(best_f = max(-f))` with a `SobolQMCNormalSampler` of 128 samples,
  maximised jointly over the 4 x 4 block by `optimize_acqf(q=4, num_restarts=20,
  raw_samples=256)` over the box;
- evaluate R at the 4 points and append them.
`torch.manual_seed(seed)` once before the first round, float64, one thread (torch and every
BLAS through threadpoolctl).

Each round writes one CSV row (the Rust side writes the same format):

    tool,problem,seed,iteration,n_train,fit_s,acq_s,f,best_so_far,log10_regret

iteration is the round (from 1), n_train the observations the model was fitted on, fit_s the
wall time of `fit_gpytorch_mll`, acq_s that of building qLogEI and `optimize_acqf`
(time.perf_counter), f the best of the round's 4 values, best_so_far the minimum of all values
so far (design included), log10_regret = log10(max(best_so_far - 0, 1e-16)).

`summarise` prints, per tool, the median fit, acquisition and total seconds per round (over every
round of every seed), the median final best-so-far and its log10 with quartiles over seeds; then
the other tools' times over gradbo's, and over the seeds both ran, in how many gradbo's final
best was lower, higher or equal (within 0.01 in log10) with the two-sided sign test's p-value.
"""
import argparse
import csv
import math
import statistics
import sys
import time
from pathlib import Path

D = 4
N_INIT = 8
Q = 4
HEADER = "tool,problem,seed,iteration,n_train,fit_s,acq_s,f,best_so_far,log10_regret"
PROBLEM = "rosenbrock4"


def parse_seeds(text):
    """'0-4,7' -> [0, 1, 2, 3, 4, 7]."""
    seeds = []
    for part in (p for p in text.split(",") if p):
        lo, _, hi = part.partition("-")
        seeds.extend(range(int(lo), int(hi or lo) + 1))
    return seeds


def shifted_rosenbrock(x):
    """R at each row of x (n x d), the course's shifted Rosenbrock function."""
    import torch

    d = x.shape[-1]
    c = torch.linspace(-1.5, 1.5, d, dtype=x.dtype)
    z = x - c + 1.0
    return (100.0 * (z[..., 1:] - z[..., :-1] ** 2) ** 2 + (1.0 - z[..., :-1]) ** 2).sum(-1)


def box():
    import torch

    return torch.stack([torch.full((D,), -2.0), torch.full((D,), 2.0)]).to(torch.float64)


def main_designs(argv):
    p = argparse.ArgumentParser(description="initial designs of the batch comparison")
    p.add_argument("--seeds", default="0-4")
    p.add_argument("--out", required=True)
    a = p.parse_args(argv)
    import torch
    from torch.quasirandom import SobolEngine

    torch.set_default_dtype(torch.float64)
    out = Path(a.out)
    out.mkdir(parents=True, exist_ok=True)
    lower, upper = box()
    for seed in parse_seeds(a.seeds):
        u = SobolEngine(D, scramble=True, seed=seed).draw(N_INIT).to(torch.float64)
        x = lower + u * (upper - lower)
        f = shifted_rosenbrock(x)
        with open(out / f"batch_init_seed{seed}.csv", "w") as fh:
            fh.write(",".join([f"x{i + 1}" for i in range(D)] + ["f"]) + "\n")
            for row, v in zip(x.tolist(), f.tolist()):
                fh.write(",".join(repr(c) for c in row + [v]) + "\n")


def load_design(folder, seed):
    import numpy as np

    a = np.loadtxt(Path(folder) / f"batch_init_seed{seed}.csv", delimiter=",", skiprows=1,
                   ndmin=2)
    return a[:, :-1], a[:, -1]


def run(folder, seed, rounds, emit):
    import torch
    from botorch.acquisition.logei import qLogExpectedImprovement
    from botorch.fit import fit_gpytorch_mll
    from botorch.models import SingleTaskGP
    from botorch.models.transforms.input import Normalize
    from botorch.models.transforms.outcome import Standardize
    from botorch.optim import optimize_acqf
    from botorch.sampling.normal import SobolQMCNormalSampler
    from gpytorch.mlls import ExactMarginalLogLikelihood

    x, f = load_design(folder, seed)
    x = torch.tensor(x, dtype=torch.float64)
    f = torch.tensor(f, dtype=torch.float64)
    bounds = box()
    torch.manual_seed(seed)
    for it in range(1, rounds + 1):
        y = -f.unsqueeze(-1)
        model = SingleTaskGP(x, y, input_transform=Normalize(d=D, bounds=bounds),
                             outcome_transform=Standardize(m=1))
        mll = ExactMarginalLogLikelihood(model.likelihood, model)
        start = time.perf_counter()
        fit_gpytorch_mll(mll)
        fitted = time.perf_counter()
        sampler = SobolQMCNormalSampler(sample_shape=torch.Size([128]))
        acq = qLogExpectedImprovement(model, best_f=y.max(), sampler=sampler)
        candidates, _ = optimize_acqf(acq, bounds=bounds, q=Q, num_restarts=20,
                                      raw_samples=256)
        done = time.perf_counter()
        candidates = candidates.detach()
        f_new = shifted_rosenbrock(candidates)
        n_train = len(f)
        x = torch.cat([x, candidates])
        f = torch.cat([f, f_new])
        best = f.min().item()
        emit(["botorch", PROBLEM, seed, it, n_train, f"{fitted - start:.6f}",
              f"{done - fitted:.6f}", repr(f_new.min().item()), repr(best),
              repr(math.log10(max(best, 1e-16)))])


def main_run(argv):
    p = argparse.ArgumentParser(description="BoTorch's q = 4 batch loop on the stored designs")
    p.add_argument("data", help="folder of the designs (`designs --out`)")
    p.add_argument("--seeds", default="0-4")
    p.add_argument("--rounds", type=int, default=8)
    p.add_argument("--out", default=None, help="CSV file (default: standard output)")
    a = p.parse_args(argv)
    import torch
    from threadpoolctl import threadpool_limits

    torch.set_num_threads(1)
    torch.set_num_interop_threads(1)
    torch.set_default_dtype(torch.float64)
    out = open(a.out, "w", newline="") if a.out else sys.stdout
    writer = csv.writer(out, lineterminator="\n")
    out.write(HEADER + "\n")

    def emit(row):
        writer.writerow(row)
        out.flush()

    with threadpool_limits(limits=1):
        for seed in parse_seeds(a.seeds):
            run(a.data, seed, a.rounds, emit)
            print(f"done: seed {seed}", file=sys.stderr, flush=True)
    if a.out:
        out.close()


def quartiles(values):
    """The 25%, 50% and 75% points (linear interpolation between order statistics)."""
    v = sorted(values)

    def at(q):
        h = (len(v) - 1) * q
        lo = math.floor(h)
        return v[lo] + (h - lo) * (v[min(lo + 1, len(v) - 1)] - v[lo])

    return at(0.25), at(0.5), at(0.75)


def sign_test(wins, losses):
    """Two-sided p-value of `wins` against `losses` under Binomial(wins + losses, 1/2)."""
    m = wins + losses
    if m == 0:
        return 1.0
    k = min(wins, losses)
    return min(1.0, 2 * sum(math.comb(m, i) for i in range(k + 1)) / 2 ** m)


def main_summarise(argv):
    p = argparse.ArgumentParser(description="summarise batch comparison CSVs")
    p.add_argument("runs", nargs="+")
    a = p.parse_args(argv)
    rows = []
    for path in a.runs:
        with open(path, newline="") as fh:
            rows.extend(csv.DictReader(fh))
    tools = sorted({r["tool"] for r in rows}, key=lambda t: (t != "gradbo", t))
    print("seconds per round: medians over every round of every seed; final best: median "
          "[quartiles] over seeds")
    print(f"{'tool':<10}{'seeds':>6}{'rounds':>7}{'fit s':>9}{'acq s':>9}{'total s':>9}  "
          f"{'final best':<26}{'log10 final best':<22}")
    medians, finals = {}, {}
    for tool in tools:
        mine = [r for r in rows if r["tool"] == tool]
        fit = [float(r["fit_s"]) for r in mine]
        acq = [float(r["acq_s"]) for r in mine]
        total = [x + y for x, y in zip(fit, acq)]
        medians[tool] = (statistics.median(fit), statistics.median(acq),
                         statistics.median(total))
        last = {}
        for r in mine:
            seed, it = int(r["seed"]), int(r["iteration"])
            if seed not in last or it > last[seed][0]:
                last[seed] = (it, float(r["best_so_far"]))
        finals[tool] = {s: v for s, (_, v) in last.items()}
        best = list(finals[tool].values())
        q1, m, q3 = quartiles(best)
        l1, lm, l3 = quartiles([math.log10(max(b, 1e-16)) for b in best])
        m_fit, m_acq, m_total = medians[tool]
        print(f"{tool:<10}{len(best):>6}{len(mine):>7}{m_fit:9.4f}{m_acq:9.4f}"
              f"{m_total:9.4f}  {f'{m:.3g} [{q1:.3g}, {q3:.3g}]':<26}"
              f"{lm:.2f} [{l1:.2f}, {l3:.2f}]")
    if "gradbo" not in tools:
        return
    for tool in tools:
        if tool == "gradbo":
            continue
        o, g = medians[tool], medians["gradbo"]
        ratio = ", ".join(f"{name} {x / y:.1f}" if y > 0 else f"{name} -"
                          for name, x, y in zip(("fit", "acq", "total"), o, g))
        print(f"time per round, {tool} / gradbo: {ratio}")
        gb, ob = finals["gradbo"], finals[tool]
        seeds = sorted(set(gb) & set(ob))
        log = lambda v: math.log10(max(v, 1e-16))
        lower = sum(log(gb[s]) < log(ob[s]) - 0.01 for s in seeds)
        higher = sum(log(gb[s]) > log(ob[s]) + 0.01 for s in seeds)
        p = sign_test(lower, higher)
        print(f"paired seeds: gradbo's final best lower than {tool}'s in {lower} of "
              f"{len(seeds)}, higher in {higher}, equal in {len(seeds) - lower - higher} "
              f"(sign test p = {p:.2f})")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "summarise":
        main_summarise(sys.argv[2:])
    elif len(sys.argv) > 1 and sys.argv[1] == "designs":
        main_designs(sys.argv[2:])
    else:
        main_run(sys.argv[1:])
