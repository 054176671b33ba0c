#!/usr/bin/env bash
# Runs BoTorch's baselines of the optimisation-quality study (benches/python/quality.py): six
# problems (Branin, Hartmann-6, Ackley-5, Ackley-10, Rosenbrock-10, Hartmann-6 in 30-D),
# seeds SEEDS (default 0-4), the loops METHODS (default all three: botorch_default,
# botorch_turbo, botorch_saas) on the problems each is meant for, cheapest first, one thread
# each, and prints the summary: per problem and method the median final log10 regret with its
# range over the seeds and the median seconds per evaluation.
#
#   PYTHON=/path/to/venv/bin/python OUT=table.txt SEEDS=0-4 benches/python/quality_compare.sh [DATA_DIR]
#
# DATA_DIR holds the stored designs bo_init_<problem>_seed<s>.csv of Branin, Hartmann-6 and
# Ackley-5 (default: ../shared/data/bo beside the repository): the script first checks that it
# draws them exactly. The runs' CSVs go to CSV_DIR (default book/appendix/measurements),
# quality-botorch-<problem>-<method>.csv, written row by row: rerunning the script resumes,
# skipping the seeds already complete. The SAAS loop needs JAX, jaxlib and NumPyro, which
# BoTorch 0.18.1 leaves optional; set SAAS_SITE to a folder to install them into with pip
# (--target, without touching the environment), or leave it unset if the environment has them.
# METHODS=none runs nothing and prints the summary of the CSVs there are.
# Optional, never needed by `cargo test`. Five seeds of everything take many hours, most of
# them SAAS's on Hartmann-6 in 30-D (see book/appendix/performance.md for measured costs).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
source benches/python/common.sh
data=${1:-$(cd .. && pwd)/shared/data/bo}
seeds=${SEEDS:-0-4}
methods=${METHODS:-botorch_default,botorch_turbo,botorch_saas}
csv_dir=${CSV_DIR:-book/appendix/measurements}
q=benches/python/quality.py
if [ -n "${SAAS_SITE:-}" ] && [[ $methods == *botorch_saas* ]]; then
  "$python" -m pip install --quiet --target "$SAAS_SITE" --no-deps "jax>=0.4.35,<0.10" \
    "jaxlib>=0.4.35,<0.10" "numpyro>=0.18.0" ml_dtypes opt-einsum tqdm
  export PYTHONPATH="$SAAS_SITE${PYTHONPATH:+:$PYTHONPATH}"
fi
"$python" -W ignore "$q" designs --data "$data"
run() { "$python" -W ignore "$q" run --seeds "$seeds" --out "$csv_dir" --problems "$1" --methods "$2"; }
has() { [[ ,$methods, == *,$1,* ]]; }
if has botorch_default; then
  run ackley10,rosenbrock10,hartmann6in30 botorch_default
  run branin,hartmann6,ackley5 botorch_default
fi
if has botorch_turbo; then run ackley10,rosenbrock10,hartmann6in30 botorch_turbo; fi
if has botorch_saas; then run ackley10,rosenbrock10,hartmann6in30 botorch_saas; fi
{
echo "measured $(date -u +%Y-%m-%d) with benches/python/quality_compare.sh, seeds $seeds"
cpu_line_with_load
echo "one thread per run"
"$python" -W ignore "$q" summarise --out "$csv_dir"
} | write_table
