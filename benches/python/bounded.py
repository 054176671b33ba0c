"""gradbo's bounded quasi-Newton method (gradbo::optim::bounded) against SciPy's L-BFGS-B.

Optional, never needed by `cargo test`; benches/python/bounded_compare.sh runs both sides. Run
alone with a Python environment outside the repository that has numpy and scipy:

    /path/to/venv/bin/python benches/python/bounded.py RUST.txt

The Rust side, `cargo run --release --example bounded_compare > RUST.txt`, runs the bounded problems
listed in examples/bounded_compare.rs from fixed and seeded starts and prints one line per run
(problem; lower corner; upper corner; start; f; x; evaluations; iterations; termination). This
script runs scipy.optimize.minimize(method="L-BFGS-B") on the same problem, box and start, with
SciPy's default settings (maxcor 10, gtol 1e-5, ftol 2.22e-9, 15000 iterations and evaluations;
the Rust side uses the same), and prints a table: problem, box, start, the final f of each, the
largest coordinate difference of the two end points, and the evaluations of each (value and
gradient together, the start included).
"""
import sys

import numpy as np
import scipy
from scipy.optimize import minimize

A3 = np.array([[4.0, 1.0, 0.0], [1.0, 3.0, 0.5], [0.0, 0.5, 2.0]])


def ill_conditioned():
    v = np.array([1.0, 2.0, 3.0, 4.0])
    h = np.eye(4) - 2.0 * np.outer(v, v) / v.dot(v)
    return h @ np.diag([1.0, 10.0, 100.0, 1e4]) @ h


def quadratic(a, x_star):
    b = a @ np.asarray(x_star)

    def f(x):
        ax = a @ x
        return 0.5 * x.dot(ax) - b.dot(x), ax - b

    return f


def rosenbrock(x):
    a, b = x[:-1], x[1:]
    value = np.sum(100.0 * (b - a * a) ** 2 + (1.0 - a) ** 2)
    g = np.zeros_like(x)
    g[:-1] += -400.0 * a * (b - a * a) - 2.0 * (1.0 - a)
    g[1:] += 200.0 * (b - a * a)
    return value, g


def branin(x):
    b, c, t = 5.1 / (4.0 * np.pi**2), 5.0 / np.pi, 1.0 / (8.0 * np.pi)
    inner = x[1] - b * x[0] ** 2 + c * x[0] - 6.0
    value = inner**2 + 10.0 * (1.0 - t) * np.cos(x[0]) + 10.0
    g = np.array([2.0 * inner * (c - 2.0 * b * x[0]) - 10.0 * (1.0 - t) * np.sin(x[0]), 2.0 * inner])
    return value, g


H6_A = np.array([
    [10.0, 3.0, 17.0, 3.5, 1.7, 8.0],
    [0.05, 10.0, 17.0, 0.1, 8.0, 14.0],
    [3.0, 3.5, 1.7, 10.0, 17.0, 8.0],
    [17.0, 8.0, 0.05, 10.0, 0.1, 14.0],
])
H6_P = np.array([
    [0.1312, 0.1696, 0.5569, 0.0124, 0.8283, 0.5886],
    [0.2329, 0.4135, 0.8307, 0.3736, 0.1004, 0.9991],
    [0.2348, 0.1451, 0.3522, 0.2883, 0.3047, 0.6650],
    [0.4047, 0.8828, 0.8732, 0.5743, 0.1091, 0.0381],
])
H6_ALPHA = np.array([1.0, 1.2, 3.0, 3.2])


def hartmann6(x):
    terms = H6_ALPHA * np.exp(-np.sum(H6_A * (x - H6_P) ** 2, axis=1))
    g = np.sum(terms[:, None] * 2.0 * H6_A * (x - H6_P), axis=0)
    return -np.sum(terms), g


def styblinski_tang(x):
    return 0.5 * np.sum(x**4 - 16.0 * x**2 + 5.0 * x), 0.5 * (4.0 * x**3 - 32.0 * x + 5.0)


PROBLEMS = {
    "quad-inside": quadratic(A3, [0.2, -0.3, 0.5]),
    "quad-outside": quadratic(A3, [2.0, -0.5, 0.3]),
    "quad-corner": quadratic(A3, [5.0, -5.0, 5.0]),
    "quad-ill-inside": quadratic(ill_conditioned(), [0.5, -0.2, 0.3, 0.7]),
    "quad-ill-outside": quadratic(ill_conditioned(), [0.5, -2.0, 0.3, 1.5]),
    "rosenbrock-2": rosenbrock,
    "rosenbrock-10": rosenbrock,
    "branin": branin,
    "hartmann6": hartmann6,
    "styblinski-tang-5": styblinski_tang,
}


def numbers(field):
    return np.array([float(v) for v in field.split(",")])


def rust_lines(argv):
    if len(argv) != 2:
        sys.exit("usage: bounded.py RUST.txt (the output of examples/bounded_compare.rs)")
    with open(argv[1]) as f:
        return f.read().splitlines()


def short(v):
    shown = ", ".join(f"{a:.3g}" for a in v[:3])
    return f"({shown}{', …' if len(v) > 3 else ''})"


def box(lower, upper):
    if np.all(lower == lower[0]) and np.all(upper == upper[0]):
        return f"[{lower[0]:g}, {upper[0]:g}]^{len(lower)}"
    return " × ".join(f"[{l:g}, {u:g}]" for l, u in zip(lower, upper))


def main(argv):
    rows, ours_total, scipy_total, agree = [], 0, 0, 0
    for line in rust_lines(argv):
        name, lo, hi, start, f, x, evals, iters, term = line.split(";")
        lower, upper, x0 = numbers(lo), numbers(hi), numbers(start)
        x_ours, f_ours, n_ours = numbers(x), float(f), int(evals)
        r = minimize(PROBLEMS[name], x0, jac=True, method="L-BFGS-B", bounds=list(zip(lower, upper)))
        dx = np.max(np.abs(x_ours - r.x))
        same = abs(f_ours - r.fun) <= 1e-6 * max(1.0, abs(r.fun))
        agree += same
        ours_total += n_ours
        scipy_total += r.nfev
        rows.append((name, box(lower, upper), short(x0), f"{f_ours:.10g}", f"{r.fun:.10g}",
                     f"{dx:.1e}", str(n_ours), str(r.nfev), term))
    header = ("problem", "box", "start", "f ours", "f SciPy", "‖Δx‖∞", "evals ours", "evals SciPy",
              "our termination")
    print(f"SciPy {scipy.__version__}, NumPy {np.__version__}")
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for row in rows:
        print("| " + " | ".join(row) + " |")
    print(f"\n{len(rows)} runs; final f equal to 1e-6 (relative) in {agree}; "
          f"evaluations in all: ours {ours_total}, SciPy {scipy_total}")


if __name__ == "__main__":
    main(sys.argv)
