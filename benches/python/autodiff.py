"""PyTorch's autograd on the benchmark problems of examples/common/autodiff_problems.rs, for a side-by-side ratio.

Optional, never needed by `cargo test`. Run it from a Python environment outside the repository
that has torch and numpy:

    python benches/python/autodiff.py

It prints the median time of the forward pass and of forward + backward, in microseconds, for
the same shapes and the same deterministic data as the Rust side (examples/autodiff_compare.rs),
on one thread, in f64.
"""
import time

import numpy as np
import torch

torch.set_num_threads(1)
torch.set_default_dtype(torch.float64)


def filled(shape, salt):
    """The Rust side's deterministic array: entries spread over [-1, 1]."""
    n = int(np.prod(shape))
    i = np.arange(n, dtype=np.int64)
    values = ((i * 7919 + salt * 104729) % 2003) / 1001.5 - 1.0
    return torch.tensor(values.reshape(shape))


def median_us(fn, repeats=2000, warmup=200):
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return 1e6 * float(np.median(times))


def mlp():
    sizes = [2, 64, 64, 1]
    params = []
    for k, (a, b) in enumerate(zip(sizes, sizes[1:])):
        w = (filled((a, b), k) / np.sqrt(a)).requires_grad_()
        bias = (filled((b,), k + 10) * 0.1).requires_grad_()
        params.append((w, bias))
    x, y = filled((256, 2), 3), filled((256, 1), 4)

    def loss():
        h = x
        for k, (w, b) in enumerate(params):
            z = h @ w + b
            h = torch.tanh(z) if k < len(params) - 1 else z
        return ((h - y) ** 2).mean()

    def forward():
        with torch.enable_grad():
            return loss().item()

    def gradient():
        for w, b in params:
            w.grad = None
            b.grad = None
        loss().backward()

    return forward, gradient


def quadratic(n):
    a, x = filled((n, n), 1), filled((n, 1), 2).requires_grad_()

    def forward():
        return (x.T @ (a @ x)).sum().item()

    def gradient():
        x.grad = None
        (x.T @ (a @ x)).sum().backward()

    return forward, gradient


if __name__ == "__main__":
    print(f"torch {torch.__version__}, threads {torch.get_num_threads()}")
    for name, (fwd, grad) in [("mlp", mlp()), ("quadratic_100", quadratic(100)), ("quadratic_1000", quadratic(1000))]:
        repeats = 300 if name == "quadratic_1000" else 2000
        f, g = median_us(fwd, repeats), median_us(grad, repeats)
        print(f"{name}: forward {f:.1f} us, forward+backward {g:.1f} us, ratio {g / f:.2f}")
