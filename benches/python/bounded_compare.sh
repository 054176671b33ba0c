#!/usr/bin/env bash
# Runs gradbo's bounded quasi-Newton method (examples/bounded_compare.rs) on bounded test
# problems from fixed and seeded starts, then SciPy's L-BFGS-B on the same problems, boxes and
# starts (benches/python/bounded.py reads the Rust side's output, so both start from exactly the
# same points), and prints the table: the final f of each, the largest coordinate difference of
# the two end points, and the evaluations of each.
#
#   PYTHON=/path/to/venv/bin/python OUT=table.md benches/python/bounded_compare.sh
#
# With OUT set, the table is also written to that file. Optional, never needed by `cargo test`:
# the Python environment (outside this repository) needs numpy and scipy.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
source benches/python/common.sh
work=$(mktemp -d)
build_example bounded_compare "$work"
"$work/bounded_compare" > "$work/rust.txt"
{
echo "measured $(date -u +%Y-%m-%d) with benches/python/bounded_compare.sh"
cpu_line
echo "$(rustc --version)"
"$python" benches/python/bounded.py "$work/rust.txt"
} | write_table
