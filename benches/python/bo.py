"""BoTorch's side of the Bayesian-optimisation comparison: the reference loop, rerun and timed.

Optional, never needed by `cargo test`. Run it from a Python environment outside the repository
with torch, botorch, gpytorch, numpy and threadpoolctl (measured with torch 2.15.0 on the CPU,
botorch 0.18.1, gpytorch 1.15.2):

    python benches/python/bo.py [--problems branin,hartmann6,ackley5] [--seeds 0-4]
                                [--acquisition qlogei|logei|qlogei-softplus] [--iterations N]
                                [--data DIR]
                                [--out FILE]
    python benches/python/bo.py designs --seeds 0-24 --out DIR [--data DIR]
    python benches/python/bo.py summarise RUN.csv [RUN.csv ...] [--reference DIR]

DIR holds the initial designs (`bo_init_<problem>_seed<s>.csv`) and, for `--reference`, the
stored reference runs (`bo_curves_<problem>.csv` and their README): by default
$GRADBO_BO_DATA, else `shared/data/bo` beside the repository. Seeds are a list (`0,3,7`),
a range (`0-24`) or both.

`designs` writes the designs of more seeds than the stored five: `SobolEngine(d,
scramble=True, seed=s)`, its first 2d + 2 points, which is how the stored designs were drawn
(it checks that it reproduces every stored design it is asked for, to 1e-12, and copies the
stored file).

The loop is the one behind the stored curves, step for step:
- Start from the stored initial design (2d + 2 scrambled-Sobol points in unit-cube coordinates
  u, with f); f is evaluated at lower + u (upper - lower) with BoTorch's own test functions
  (Branin, Hartmann(dim=6), Ackley(dim=5)), which reproduce the stored f exactly.
- Each iteration: `SingleTaskGP(X_unit, -f)` with BoTorch's defaults, i.e. a Standardize outcome
  transform and *no* input transform (X_unit already lies in the unit cube; BoTorch 0.18.1 adds
  no Normalize by default), fitted by `fit_gpytorch_mll` with its defaults;
  `qLogExpectedImprovement(best_f = max(-f))` (with `--acquisition logei`, the analytic
  `LogExpectedImprovement` instead, under the tool name botorch-logei; with `--acquisition
  qlogei-softplus`, qLogEI with `fat=False`, the plain softplus in place of its fat-tailed
  smoothing of each draw's improvement, as botorch-softplus); `optimize_acqf` over
  [0, 1]^d with q = 1, 10 restarts and 512 raw samples; evaluate f at the candidate.
- `torch.manual_seed(seed)` once, before the first iteration, and float64 as torch's default
  dtype (it changes the random raw samples). With both, the first BO evaluation agrees with the
  stored curves to 4 to 10 digits (Branin seed 0: 19.5124305863 both); later ones drift apart
  (Branin after 20 to 30 evaluations, Hartmann-6 and Ackley-5 from the second BO step), as the
  acquisition optimisation's restarts amplify rounding differences, so compare medians.
- One thread (torch and every BLAS through threadpoolctl).
- Budget: the stored curves count the initial design as evaluations 1 .. 2d + 2, so a run has
  50 (Branin) or 100 (Hartmann-6, Ackley-5) evaluations in all and 50 - 6, 100 - 14 and
  100 - 12 BO iterations.

Each BO iteration writes one CSV row (the Rust side writes the same format):

    tool,problem,seed,iteration,n_train,fit_s,acq_s,f,best_so_far,log10_regret

iteration counts from 1; n_train is the number of observations the model was fitted on; fit_s is
the wall time of `fit_gpytorch_mll` alone, acq_s that of building qLogEI and `optimize_acqf`
(time.perf_counter); f is the new evaluation, best_so_far the minimum of all evaluations so far
(initial design included), log10_regret = log10(max(best_so_far - f*, 1e-16)).

`summarise` prints, per tool and problem, the median final log10 regret with its quartiles
over seeds, the median fit, acquisition and total seconds per iteration (over all iterations of
all seeds) and, when a tool named gradbo is present beside another, the other's time over
gradbo's and, over the seeds both ran, in how many gradbo's final regret was lower, higher or
equal (within 0.01 in log10) with the two-sided sign test's p-value. With --reference DIR it adds
the final regrets of the stored curves (`botorch (stored)`).
"""
import argparse
import csv
import math
import os
import statistics
import sys
import time
from pathlib import Path

# problem: (number of evaluations in all, f*), as in the stored runs' README.
PROBLEMS = {
    "branin": (50, 5.0 / (4.0 * math.pi)),
    "hartmann6": (100, -3.32236801141551),
    "ackley5": (100, 0.0),
}
HEADER = "tool,problem,seed,iteration,n_train,fit_s,acq_s,f,best_so_far,log10_regret"


def default_data_dir():
    env = os.environ.get("GRADBO_BO_DATA")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[2].parent / "shared" / "data" / "bo"


def log10_regret(best, f_star):
    return math.log10(max(best - f_star, 1e-16))


def test_function(problem):
    from botorch.test_functions import Ackley, Branin, Hartmann

    return {"branin": Branin, "hartmann6": lambda: Hartmann(dim=6),
            "ackley5": lambda: Ackley(dim=5)}[problem]()


def parse_seeds(text):
    """'0-4,7' -> [0, 1, 2, 3, 4, 7]."""
    seeds = []
    for part in (p for p in text.split(",") if p):
        lo, _, hi = part.partition("-")
        seeds.extend(range(int(lo), int(hi or lo) + 1))
    return seeds


def dimension(problem):
    return {"branin": 2, "hartmann6": 6, "ackley5": 5}[problem]


def draw_design(problem, seed):
    """The first 2d + 2 points of a scrambled Sobol sequence seeded with `seed`, and f there."""
    import torch
    from torch.quasirandom import SobolEngine

    d = dimension(problem)
    fn = test_function(problem)
    u = SobolEngine(d, scramble=True, seed=seed).draw(2 * d + 2).to(torch.float64)
    lower, upper = fn.bounds.to(torch.float64)
    return u, fn(lower + u * (upper - lower))


def main_designs(argv):
    p = argparse.ArgumentParser(description="initial designs for more seeds")
    p.add_argument("--problems", default=",".join(PROBLEMS))
    p.add_argument("--seeds", required=True)
    p.add_argument("--out", required=True, help="folder to write the designs to")
    p.add_argument("--data", default=None, help="folder of the stored designs")
    a = p.parse_args(argv)
    import numpy as np
    import torch

    torch.set_default_dtype(torch.float64)
    data = Path(a.data) if a.data else default_data_dir()
    out = Path(a.out)
    out.mkdir(parents=True, exist_ok=True)
    for problem in (q for q in a.problems.split(",") if q):
        for seed in parse_seeds(a.seeds):
            u, f = draw_design(problem, seed)
            name = f"bo_init_{problem}_seed{seed}.csv"
            stored = data / name
            if stored.exists():
                su, sf = load_design(data, problem, seed)
                if not (np.allclose(u.numpy(), su, rtol=0, atol=1e-12)
                        and np.allclose(f.numpy(), sf, rtol=1e-12, atol=1e-12)):
                    raise SystemExit(f"{name}: the drawn design differs from the stored one")
                (out / name).write_text(stored.read_text())
                continue
            d = u.shape[-1]
            with open(out / name, "w") as fh:
                fh.write(",".join([f"u{i + 1}" for i in range(d)] + ["f"]) + "\n")
                for row, v in zip(u.tolist(), f.tolist()):
                    fh.write(",".join(repr(c) for c in row + [v]) + "\n")


def load_design(data, problem, seed):
    import numpy as np

    path = Path(data) / f"bo_init_{problem}_seed{seed}.csv"
    a = np.loadtxt(path, delimiter=",", skiprows=1, ndmin=2)
    return a[:, :-1], a[:, -1]


def run(problem, seed, iterations, data, emit, acquisition="qlogei"):
    """Reruns BoTorch's loop from the stored design; calls emit(row) after each iteration."""
    import torch
    from botorch.acquisition.analytic import LogExpectedImprovement
    from botorch.acquisition.logei import qLogExpectedImprovement
    from botorch.fit import fit_gpytorch_mll
    from botorch.models import SingleTaskGP
    from botorch.optim import optimize_acqf
    from gpytorch.mlls import ExactMarginalLogLikelihood

    budget, f_star = PROBLEMS[problem]
    fn = test_function(problem)
    u, f = load_design(data, problem, seed)
    x = torch.tensor(u, dtype=torch.float64)
    f = torch.tensor(f, dtype=torch.float64)
    lower, upper = fn.bounds.to(torch.float64)
    # The stored f are BoTorch's own values; a mismatch means the wrong design or function.
    if not torch.allclose(fn(lower + x * (upper - lower)), f, rtol=1e-12, atol=1e-12):
        raise SystemExit(f"{problem} seed {seed}: the stored f do not match the test function")
    d = x.shape[-1]
    unit = torch.stack([torch.zeros(d, dtype=torch.float64), torch.ones(d, dtype=torch.float64)])
    if iterations is None:
        iterations = budget - len(f)
    torch.manual_seed(seed)
    for iteration in range(1, iterations + 1):
        y = -f.unsqueeze(-1)
        model = SingleTaskGP(x, y)
        mll = ExactMarginalLogLikelihood(model.likelihood, model)
        start = time.perf_counter()
        fit_gpytorch_mll(mll)
        fitted = time.perf_counter()
        if acquisition == "logei":
            acq = LogExpectedImprovement(model, best_f=y.max())
        else:
            fat = acquisition != "qlogei-softplus"
            acq = qLogExpectedImprovement(model, best_f=y.max(), fat=fat)
        candidate, _ = optimize_acqf(acq, bounds=unit, q=1, num_restarts=10, raw_samples=512)
        done = time.perf_counter()
        f_new = fn(lower + candidate * (upper - lower)).detach()
        n_train = len(f)
        x = torch.cat([x, candidate.detach()])
        f = torch.cat([f, f_new])
        best = f.min().item()
        tool = {"logei": "botorch-logei", "qlogei-softplus": "botorch-softplus"}.get(
            acquisition, "botorch")
        emit([tool, problem, seed, iteration, n_train, f"{fitted - start:.6f}",
              f"{done - fitted:.6f}", repr(f_new.item()), repr(best),
              repr(log10_regret(best, f_star))])


def main_run(argv):
    p = argparse.ArgumentParser(description="BoTorch's BO loop on the stored initial designs")
    p.add_argument("--problems", default=",".join(PROBLEMS))
    p.add_argument("--seeds", default="0-4")
    p.add_argument("--acquisition", choices=("qlogei", "logei", "qlogei-softplus"),
                   default="qlogei")
    p.add_argument("--iterations", type=int, default=None,
                   help="BO iterations per run (default: the full budget less the design)")
    p.add_argument("--data", default=None, help="folder of the stored runs")
    p.add_argument("--out", default=None, help="CSV file (default: standard output)")
    a = p.parse_args(argv)
    problems = [s for s in a.problems.split(",") if s]
    for problem in problems:
        if problem not in PROBLEMS:
            raise SystemExit(f"unknown problem {problem!r}; known: {', '.join(PROBLEMS)}")
    seeds = parse_seeds(a.seeds)
    data = Path(a.data) if a.data else default_data_dir()
    if not data.is_dir():
        raise SystemExit(f"no stored runs at {data}; pass --data DIR or set GRADBO_BO_DATA")

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
        for problem in problems:
            for seed in seeds:
                run(problem, seed, a.iterations, data, emit, a.acquisition)
                print(f"done: {problem} seed {seed}", file=sys.stderr, flush=True)
    if a.out:
        out.close()


def read_runs(paths):
    rows = []
    for path in paths:
        with open(path, newline="") as fh:
            rows.extend(csv.DictReader(fh))
    return rows


def stored_finals(data):
    """tool -> problem -> final log10 regret per seed, from the stored curves."""
    finals = {}
    for problem in PROBLEMS:
        path = Path(data) / f"bo_curves_{problem}.csv"
        if not path.exists():
            continue
        last = {}
        with open(path, newline="") as fh:
            for r in csv.DictReader(fh):
                if r["method"] != "botorch_qlogei":
                    continue
                key = int(r["seed"])
                if key not in last or int(r["evaluation"]) > last[key][0]:
                    last[key] = (int(r["evaluation"]), float(r["log10_regret"]))
        finals[problem] = [v for _, v in sorted(last.values())]
    return finals


def quartiles(values):
    """The 25%, 50% and 75% points (linear interpolation between order statistics)."""
    v = sorted(values)

    def at(q):
        h = (len(v) - 1) * q
        lo = math.floor(h)
        return v[lo] + (h - lo) * (v[min(lo + 1, len(v) - 1)] - v[lo])

    return at(0.25), at(0.5), at(0.75)


def fmt_quartiles(values):
    q1, m, q3 = quartiles(values)
    return f"{m:6.2f} [{q1:.2f}, {q3:.2f}]"


def sign_test(wins, losses):
    """Two-sided p-value of `wins` against `losses` under Binomial(wins + losses, 1/2)."""
    m = wins + losses
    if m == 0:
        return 1.0
    k = min(wins, losses)
    tail = sum(math.comb(m, i) for i in range(k + 1)) / 2 ** m
    return min(1.0, 2 * tail)


def fmt_p(p):
    return "p < 0.001" if p < 0.001 else f"p = {p:.2f}"


def finals_by_seed(rows, tool, problem):
    last = {}
    for r in rows:
        if r["tool"] != tool or r["problem"] != problem:
            continue
        seed, it = int(r["seed"]), int(r["iteration"])
        if seed not in last or it > last[seed][0]:
            last[seed] = (it, float(r["log10_regret"]))
    return {seed: v for seed, (_, v) in last.items()}


def main_summarise(argv):
    p = argparse.ArgumentParser(description="summarise BO comparison CSVs")
    p.add_argument("runs", nargs="+")
    p.add_argument("--reference", default=None, help="folder of the stored runs")
    a = p.parse_args(argv)
    rows = read_runs(a.runs)
    tools = sorted({r["tool"] for r in rows}, key=lambda t: (t != "gradbo", t))
    problems = [q for q in PROBLEMS if any(r["problem"] == q for r in rows)]
    stored = stored_finals(a.reference) if a.reference else {}
    print("final log10 regret: median [quartiles] over seeds; seconds per iteration: medians")
    print(f"{'tool':<18}{'problem':<11}{'seeds':>5}{'iters':>6}  "
          f"{'final log10 regret':<24}{'fit s':>8}{'acq s':>8}{'total s':>9}")
    medians, finals = {}, {}
    for problem in problems:
        for tool in tools:
            mine = [r for r in rows if r["tool"] == tool and r["problem"] == problem]
            if not mine:
                continue
            fit = [float(r["fit_s"]) for r in mine]
            acq = [float(r["acq_s"]) for r in mine]
            total = [x + y for x, y in zip(fit, acq)]
            m = (statistics.median(fit), statistics.median(acq), statistics.median(total))
            medians[tool, problem] = m
            finals[tool, problem] = finals_by_seed(mine, tool, problem)
            f = list(finals[tool, problem].values())
            print(f"{tool:<18}{problem:<11}{len(f):>5}{len(mine):>6}  {fmt_quartiles(f):<24}"
                  f"{m[0]:8.3f}{m[1]:8.3f}{m[2]:9.3f}")
        if problem in stored:
            print(f"{'botorch (stored)':<18}{problem:<11}{len(stored[problem]):>5}{'':>6}  "
                  f"{fmt_quartiles(stored[problem])}")
    if "gradbo" not in tools:
        return
    for tool in tools:
        if tool == "gradbo":
            continue
        for problem in problems:
            if (tool, problem) not in medians or ("gradbo", problem) not in medians:
                continue
            g, o = finals["gradbo", problem], finals[tool, problem]
            seeds = sorted(set(g) & set(o))
            lower = sum(g[s] < o[s] - 0.01 for s in seeds)
            higher = sum(g[s] > o[s] + 0.01 for s in seeds)
            print(f"paired seeds, {problem}: gradbo's final regret lower than {tool}'s in "
                  f"{lower} of {len(seeds)}, higher in {higher}, equal in "
                  f"{len(seeds) - lower - higher} (sign test {fmt_p(sign_test(lower, higher))})")
    for tool in tools:
        if tool == "gradbo":
            continue
        for problem in problems:
            if (tool, problem) in medians and ("gradbo", problem) in medians:
                o, g = medians[tool, problem], medians["gradbo", problem]
                ratio = ", ".join(f"{name} {x / y:.2f}" if y > 0 else f"{name} -"
                                  for name, x, y in zip(("fit", "acq", "total"), o, g))
                print(f"time ratio {tool}/gradbo, {problem}: {ratio}")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "summarise":
        main_summarise(sys.argv[2:])
    elif len(sys.argv) > 1 and sys.argv[1] == "designs":
        main_designs(sys.argv[2:])
    else:
        main_run(sys.argv[1:])
