#!/usr/bin/env bash
# Fits the same GP (Matérn-5/2 ARD, output scale, constant mean, Gaussian noise) to the same
# Hartmann-6 data with gradbo (examples/gp_compare.rs; by maximum likelihood and, in a second
# row, by maximum a posteriori with BoTorch's priors), scikit-learn and BoTorch
# (benches/python/gp.py), alternately, ROUNDS times (default 3); also times the posterior at
# 1000 points against NumPy and the Cholesky factorisation against SciPy. Prints a table of the
# log marginal likelihood per point (every tool's hyperparameters under one and the same LML),
# the test RMSE, the median fit times and their ratios.
#
#   PYTHON=/path/to/venv/bin/python OUT=table.txt benches/python/gp_compare.sh [ROUNDS]
#
# With OUT set, the table is also written to that file. The book keeps one such measurement, shown
# in its appendix "Measured performance", with hand-written notes appended below the table:
#
#   OUT=book/appendix/measurements/gp-vs-sklearn-botorch.txt
#
# Optional, never needed by `cargo test`. The Python environment (outside this repository)
# needs numpy, scipy, scikit-learn, torch, botorch and threadpoolctl. The data are generated
# once, by the Rust side, and written as CSV to a temporary folder that the Python side reads.
# gradbo's fit runs its starts on two threads and the rest on one; scikit-learn and BoTorch use
# the threads their libraries choose (all cores here), as a user would run them.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
source benches/python/common.sh
rounds=${1:-3}
out=$(mktemp -d)
build_example gp_compare "$out" # once, outside the timed rounds
for r in $(seq "$rounds"); do
  "$out/gp_compare" "$out/data" >> "$out/rust"
  "$python" -W ignore benches/python/gp.py "$out/data" >> "$out/python" 2> /dev/null
done
{
echo "measured $(date -u +%Y-%m-%d) with benches/python/gp_compare.sh, $rounds alternating rounds"
cpu_line_with_load
echo "$(rustc --version); gradbo: the fit's starts on two threads, all else on one"
"$python" -W ignore benches/python/gp.py summarise "$out/data" "$out/rust" "$out/python" 2> /dev/null
} | write_table
