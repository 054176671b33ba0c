"""Reference values for the SAAS prior test in src/gp/fully_bayesian/tests.rs.

The log prior density of BoTorch's SAAS model (botorch 0.18.1, `SaasPyroModel`) at one set
of hyperparameters, with the distributions it names (HalfCauchy(0.1) on the global
shrinkage tau, HalfCauchy(1) on each local rho_d, Gamma(2, 0.15) on the output scale,
Gamma(0.9, 10) on the noise above 1e-4, Normal(0, 1) on the mean), evaluated with
torch.distributions in float64 (NumPyro, which BoTorch samples with, is not installed here;
its distributions have the same densities). Run once: /work/venv/bin/python
benches/python/saas_prior_reference.py
"""

import torch
from torch.distributions import Gamma, HalfCauchy, Normal

torch.set_default_dtype(torch.float64)
t = torch.tensor
tau = t(0.05)
rho = t([0.3, 2.0, 15.0])
outputscale = t(1.7)
noise_excess = t(0.02)
mean = t(-0.4)

terms = {
    "tau": HalfCauchy(t(0.1)).log_prob(tau),
    "rho": HalfCauchy(t(1.0)).log_prob(rho).sum(),
    "outputscale": Gamma(t(2.0), t(0.15)).log_prob(outputscale),
    "noise": Gamma(t(0.9), t(10.0)).log_prob(noise_excess),
    "mean": Normal(t(0.0), t(1.0)).log_prob(mean),
}
for k, v in terms.items():
    print(f"{k}: {v.item():.17g}")
print(f"total: {sum(terms.values()).item():.17g}")
lengthscales = 1.0 / torch.sqrt(tau * rho)
print("lengthscales:", [f"{v:.17g}" for v in lengthscales.tolist()])
