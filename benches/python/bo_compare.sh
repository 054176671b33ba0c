#!/usr/bin/env bash
# Runs the library's default Bayesian-optimisation loop (examples/bo_compare.rs) and BoTorch's
# (benches/python/bo.py) from the same stored initial designs — Branin, Hartmann-6 and
# Ackley-5, seeds 0–4 — one after the other on one thread each, and prints the table: median
# final log10 regret [min, max] over the seeds, median seconds per iteration (fit and
# acquisition optimisation) and their ratios.
#
#   PYTHON=/path/to/venv/bin/python OUT=table.txt benches/python/bo_compare.sh [DATA_DIR]
#
# DATA_DIR holds bo_init_<problem>_seed<s>.csv and bo_curves_<problem>.csv (default:
# ../shared/data/bo beside the repository). With OUT set the table is also written there (the
# book keeps one measured copy in book/appendix/measurements/bo-vs-botorch.txt), and the two
# runs' CSVs are kept beside it. Optional, never needed by `cargo test`: the Python
# environment (outside this repository) needs torch, botorch, gpytorch, numpy and threadpoolctl.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
source benches/python/common.sh
data=${1:-$(cd .. && pwd)/shared/data/bo}
work=$(mktemp -d)
build_example bo_compare "$work"
"$work/bo_compare" "$data" "$work/gradbo.csv"
"$python" -W ignore benches/python/bo.py --data "$data" --out "$work/botorch.csv"
{
echo "measured $(date -u +%Y-%m-%d) with benches/python/bo_compare.sh"
cpu_line_with_load
echo "$(rustc --version); both sides on one thread"
"$python" -W ignore benches/python/bo.py summarise "$work/gradbo.csv" "$work/botorch.csv" --reference "$data"
} | write_table
if [ -n "${OUT:-}" ]; then
  cp "$work/gradbo.csv" "$work/botorch.csv" "$(dirname "$OUT")/"
fi
