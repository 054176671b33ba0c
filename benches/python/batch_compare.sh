#!/usr/bin/env bash
# Runs the library's batch loop (examples/batch_compare.rs) and BoTorch's (benches/python/batch.py)
# from the same initial designs — the shifted Rosenbrock function in d = 4, 8 scrambled Sobol
# points, 8 rounds of q = 4 points chosen jointly by qLogEI (128 QMC samples, 20 restarts from
# 256 raw samples) — one after the other on one thread each, and prints the table: median
# seconds per round (fit, acquisition optimisation, total) and their ratios, the median final
# best-so-far over the seeds with its quartiles, and the paired counts.
#
#   PYTHON=/path/to/venv/bin/python OUT=table.txt SEEDS=0-4 benches/python/batch_compare.sh
#
# With OUT set the table is also written there (the book keeps one measured copy in
# book/appendix/measurements/batch-vs-botorch.txt), and the runs' CSVs are kept beside it as
# batch-gradbo.csv and batch-botorch.csv. Optional, never needed by `cargo test`: the Python
# environment (outside this repository) needs torch, botorch, gpytorch, numpy and
# threadpoolctl. Five seeds take about a minute, nearly all of it BoTorch's.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
source benches/python/common.sh
seeds=${SEEDS:-0-4}
work=$(mktemp -d)
build_example batch_compare "$work"
"$python" -W ignore benches/python/batch.py designs --seeds "$seeds" --out "$work/designs"
"$work/batch_compare" "$work/designs" "$work/gradbo.csv" --seeds "$seeds"
"$python" -W ignore benches/python/batch.py "$work/designs" --seeds "$seeds" \
  --out "$work/botorch.csv"
{
echo "measured $(date -u +%Y-%m-%d) with benches/python/batch_compare.sh, seeds $seeds"
cpu_line_with_load
echo "$(rustc --version); $("$python" -W ignore -c 'import botorch, gpytorch, torch; print(f"botorch {botorch.__version__}, gpytorch {gpytorch.__version__}, torch {torch.__version__}")'); both sides on one thread"
"$python" -W ignore benches/python/batch.py summarise "$work/gradbo.csv" "$work/botorch.csv"
} | write_table
if [ -n "${OUT:-}" ]; then
  cp "$work/gradbo.csv" "$(dirname "$OUT")/batch-gradbo.csv"
  cp "$work/botorch.csv" "$(dirname "$OUT")/batch-botorch.csv"
fi
