"""Reference values of BoTorch's noisy expected improvement (qNEI and qLogNEI) for gradbo's
tests (src/acquisition/monte_carlo/noisy/tests.rs quotes what this prints).

Optional, never needed by `cargo test`. Run with a Python environment that has torch and
botorch (checked with botorch 0.18.1):

    python benches/python/nei_reference.py

The model of `mc_reference.py` (a SingleTaskGP with fixed hyperparameters on 8 points of a
smooth function of 2 inputs, Normalize and Standardize), its 8 training inputs as the
baseline (no pruning, so that both sides use the same baseline; the joint posterior sampled
without BoTorch's cached root, which gives the same draws), qNEI and qLogNEI (BoTorch's
defaults otherwise: fat-tailed smoothing, incremental pending points) at a batch of 2
points, with and without a pending point, for a maximised and a minimised objective, all
with the same explicit base samples z: one column per baseline point, then per pending
point, then per candidate (qNEI with a pending point is left out: BoTorch orders its columns
differently there). Prints each value and its gradient in the batch's coordinates.
"""
from botorch.acquisition import qNoisyExpectedImprovement
from botorch.acquisition.logei import qLogNoisyExpectedImprovement
from botorch.acquisition.objective import GenericMCObjective

from mc_reference import PENDING, X, FixedSampler, base_samples, model, report, train_data


def main():
    negate = GenericMCObjective(lambda samples, X=None: -samples[..., 0])
    for kernel in ("matern52", "se"):
        m = model(kernel)
        baseline, _ = train_data()
        for pending in (None, PENDING):
            width = 8 + 2 + (0 if pending is None else 1)
            tag = f"{kernel} pending={0 if pending is None else 1}"
            for name, cls in (("qLogNEI", qLogNoisyExpectedImprovement), ("qNEI", qNoisyExpectedImprovement)):
                if name == "qNEI" and pending is not None:
                    # BoTorch's qNEI appends pending points to the candidates (after them in
                    # the joint posterior), its qLogNEI to the baseline; gradbo treats both
                    # the second way, so their draws differ here.
                    continue
                for direction, objective in (("max", None), ("min", negate)):
                    acqf = cls(
                        m,
                        baseline,
                        sampler=FixedSampler(base_samples(width)),
                        objective=objective,
                        X_pending=pending,
                        prune_baseline=False,
                        cache_root=False,
                    )
                    report(f"{tag} {name} {direction}", acqf)


if __name__ == "__main__":
    main()
