"""Reference values of BoTorch's Monte Carlo acquisition functions for gradbo's tests
(src/acquisition/monte_carlo/tests.rs quotes what this prints).

Optional, never needed by `cargo test`. Run with a Python environment that has torch and
botorch (checked with botorch 0.18.1):

    python benches/python/mc_reference.py

A SingleTaskGP with fixed hyperparameters (no fit), its inputs normalised and its outputs
standardised by BoTorch's transforms, on 8 points of a smooth function of 2 inputs far from the
unit square; qEI, qLogEI (BoTorch's defaults: fat-tailed softplus and smooth maximum) and qUCB at
a batch of 2 points, with and without a pending point, for a maximised and a minimised
objective, all with the same explicit base samples z (a formula, computed identically on the Rust
side). Prints each value and its gradient in the batch's coordinates, to 17 digits.
"""
import math

import torch
from botorch.acquisition import (
    qExpectedImprovement,
    qLogExpectedImprovement,
    qUpperConfidenceBound,
)
from botorch.acquisition.objective import GenericMCObjective
from botorch.models import SingleTaskGP
from botorch.models.transforms.input import Normalize
from botorch.models.transforms.outcome import Standardize
from botorch.sampling.normal import NormalMCSampler
from gpytorch.kernels import MaternKernel, RBFKernel, ScaleKernel

torch.set_default_dtype(torch.float64)
torch.set_num_threads(1)

N, S = 8, 32


def train_data():
    x = [[-2.0 + 5.0 * ((i * 0.618) % 1.0), 10.0 + 4.0 * ((i * 0.414 + 0.3) % 1.0)] for i in range(N)]
    y = [[math.sin(a) + 0.1 * (b - 12.0) ** 2 + 3.0] for a, b in x]
    return torch.tensor(x), torch.tensor(y)


def base_samples(width):
    """z[s, j] = 1.6 sin(0.37 (s + 1)(j + 1) + 0.5 j + 0.2): spread like normal draws."""
    return torch.tensor(
        [[1.6 * math.sin(0.37 * (s + 1) * (j + 1) + 0.5 * j + 0.2) for j in range(width)] for s in range(S)]
    )


class FixedSampler(NormalMCSampler):
    """A sampler whose base samples are given, one column per point (batch, then pending)."""

    def __init__(self, z):
        super().__init__(sample_shape=torch.Size([z.shape[0]]))
        self.z = z

    def _construct_base_samples(self, posterior):
        shape = self._get_collapsed_shape(posterior=posterior)
        self.register_buffer("base_samples", self.z.reshape(shape))


def model(kernel):
    x, y = train_data()
    base = MaternKernel(nu=2.5, ard_num_dims=2) if kernel == "matern52" else RBFKernel(ard_num_dims=2)
    m = SingleTaskGP(
        x,
        y,
        covar_module=ScaleKernel(base),
        input_transform=Normalize(d=2),
        outcome_transform=Standardize(m=1),
    )
    m.covar_module.base_kernel.lengthscale = torch.tensor([[0.3, 0.5]])
    m.covar_module.outputscale = torch.tensor(1.7)
    m.likelihood.noise = torch.tensor([1e-3])
    m.mean_module.constant = torch.tensor(0.2)
    m.eval()
    return m


X = torch.tensor([[0.4, 11.3], [1.9, 12.6]])
PENDING = torch.tensor([[-1.1, 13.2]])


def report(label, acqf):
    x = X.clone().requires_grad_(True)
    value = acqf(x)
    value.backward()
    grad = ",".join(f"{g:.17e}" for g in x.grad.reshape(-1).tolist())
    print(f"{label} value={value.item():.17e} grad={grad}")


def main():
    _, y = train_data()
    best_max, best_min = y.max().item(), y.min().item()
    negate = GenericMCObjective(lambda samples, X=None: -samples[..., 0])
    for kernel in ("matern52", "se"):
        m = model(kernel)
        for pending in (None, PENDING):
            width = 2 + (0 if pending is None else 1)
            sampler = lambda: FixedSampler(base_samples(width))
            tag = f"{kernel} pending={0 if pending is None else 1}"
            report(f"{tag} qLogEI max", qLogExpectedImprovement(m, best_max, sampler=sampler(), X_pending=pending))
            report(
                f"{tag} qLogEI min",
                qLogExpectedImprovement(m, -best_min, sampler=sampler(), objective=negate, X_pending=pending),
            )
            report(f"{tag} qEI max", qExpectedImprovement(m, best_max, sampler=sampler(), X_pending=pending))
            report(
                f"{tag} qEI min",
                qExpectedImprovement(m, -best_min, sampler=sampler(), objective=negate, X_pending=pending),
            )
            report(f"{tag} qUCB max", qUpperConfidenceBound(m, 2.0, sampler=sampler(), X_pending=pending))
            report(
                f"{tag} qUCB min",
                qUpperConfidenceBound(m, 2.0, sampler=sampler(), objective=negate, X_pending=pending),
            )


if __name__ == "__main__":
    main()
