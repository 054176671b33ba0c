#!/usr/bin/env bash
# Runs the library's default Bayesian-optimisation loop (examples/bo_compare.rs) and BoTorch's
# (benches/python/bo.py) from the same initial designs — Branin, Hartmann-6 and Ackley-5 —
# one after the other on one thread each, BoTorch three times (its default Monte Carlo qLogEI,
# the analytic LogEI that gradbo's loop uses, and on Ackley-5 qLogEI with a plain softplus),
# and prints the table: median final log10 regret
# with quartiles over the seeds, paired counts, median seconds per iteration (fit and
# acquisition optimisation) and their ratios.
#
#   PYTHON=/path/to/venv/bin/python OUT=table.txt SEEDS=0-24 benches/python/bo_compare.sh [DATA_DIR]
#
# DATA_DIR holds the stored designs of seeds 0–4, bo_init_<problem>_seed<s>.csv, and
# BoTorch's reference curves bo_curves_<problem>.csv (default: ../shared/data/bo beside the
# repository); the designs of further seeds (SEEDS, default 0-4) are drawn the same way by
# `bo.py designs`. With OUT set the table is also written there (the book keeps one measured
# copy in book/appendix/measurements/bo-vs-botorch.txt), and the runs' CSVs are kept beside
# it. Optional, never needed by `cargo test`: the Python environment (outside this
# repository) needs torch, botorch, gpytorch, numpy and threadpoolctl. 25 seeds take about
# two hours, nearly all of it BoTorch's.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
source benches/python/common.sh
data=${1:-$(cd .. && pwd)/shared/data/bo}
seeds=${SEEDS:-0-4}
work=$(mktemp -d)
build_example bo_compare "$work"
"$python" -W ignore benches/python/bo.py designs --seeds "$seeds" --data "$data" --out "$work/designs"
"$work/bo_compare" "$work/designs" "$work/gradbo.csv" --seeds "$seeds"
"$python" -W ignore benches/python/bo.py --data "$work/designs" --seeds "$seeds" --out "$work/botorch.csv"
"$python" -W ignore benches/python/bo.py --data "$work/designs" --seeds "$seeds" \
  --acquisition logei --out "$work/botorch-logei.csv"
# Which part of qLogEI makes the difference on Ackley-5: the same with a plain softplus.
"$python" -W ignore benches/python/bo.py --data "$work/designs" --seeds "$seeds" \
  --problems ackley5 --acquisition qlogei-softplus --out "$work/botorch-softplus.csv"
{
echo "measured $(date -u +%Y-%m-%d) with benches/python/bo_compare.sh, seeds $seeds"
cpu_line_with_load
echo "$(rustc --version); both sides on one thread"
"$python" -W ignore benches/python/bo.py summarise "$work/gradbo.csv" "$work/botorch.csv" \
  "$work/botorch-logei.csv" "$work/botorch-softplus.csv" --reference "$data"
} | write_table
if [ -n "${OUT:-}" ]; then
  cp "$work/gradbo.csv" "$work/botorch.csv" "$work/botorch-logei.csv" \
    "$work/botorch-softplus.csv" "$(dirname "$OUT")/"
fi
