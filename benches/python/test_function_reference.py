"""Reference values of BoTorch's test functions at fixed points, for gradbo's test-function tests.

Optional, never needed by `cargo test`: the numbers it prints are pasted into the tests of
src/test_functions/scalable.rs (Ackley-10, Rosenbrock-10) and src/test_functions/embedded.rs
(Hartmann-6 in 30 dimensions). Run it from a Python environment outside the repository with
torch and botorch (printed with botorch 0.18.1, torch 2.15.0):

    /path/to/venv/bin/python benches/python/test_function_reference.py

The points are exact rationals in the unit cube, u_k[i] = ((i + 1)(2k + 3) mod 17) / 17 for
k = 0, 1, 2 (i counted from 0), mapped to the box as lower + u (upper - lower); the Rust tests
build the same points. The embedded Hartmann-6 reads coordinates 2, 7, 12, 17, 22, 27 of the
30 (as benches/python/quality.py and gradbo's `Embedded::spread`).
"""
import torch
from botorch.test_functions import Ackley, Hartmann, Rosenbrock

torch.set_default_dtype(torch.float64)


def points(d):
    return torch.tensor([[((i + 1) * (2 * k + 3) % 17) / 17 for i in range(d)]
                         for k in range(3)])


def on_box(fn, u):
    lower, upper = fn.bounds.to(torch.float64)
    return fn(lower + u * (upper - lower))


for name, fn in [("Ackley-10", Ackley(dim=10)), ("Rosenbrock-10", Rosenbrock(dim=10))]:
    print(name, [repr(v) for v in on_box(fn, points(10)).tolist()])
hartmann = Hartmann(dim=6)
u = points(30)
print("Hartmann-6 in 30-D", [repr(v) for v in hartmann(u[:, [2, 7, 12, 17, 22, 27]]).tolist()])
