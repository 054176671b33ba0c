#!/usr/bin/env bash
# Times the autodiff problems in Rust (examples/autodiff_compare.rs) and in PyTorch
# (benches/python/autodiff.py), alternately, ROUNDS times (default 5), and prints each side's
# median over the rounds and the ratio PyTorch / Rust (above 1: Rust is faster).
#
#   PYTHON=/path/to/venv/bin/python OUT=table.txt benches/python/autodiff_compare.sh [ROUNDS]
#
# With OUT set, the table is also written to that file. The book keeps one such measurement, shown
# in its appendix "Measured performance":
#
#   OUT=book/appendix/measurements/autodiff-vs-pytorch.txt
#
# The Python environment (outside this repository) needs torch and numpy. Both sides run on one
# thread, in f64, on the same deterministic data.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
source benches/python/common.sh
rounds=${1:-5}
out=$(mktemp -d)
build_example autodiff_compare "$out" # once, outside the timed rounds
for r in $(seq "$rounds"); do
  "$out/autodiff_compare" >> "$out/rust"
  "$python" benches/python/autodiff.py | grep -v '^torch' >> "$out/torch"
done
{
echo "measured $(date -u +%Y-%m-%d) with benches/python/autodiff_compare.sh, $rounds alternating rounds"
cpu_line
echo "$(rustc --version); $("$python" -c 'import torch; print("torch", torch.__version__)'); one thread each, f64"
echo "medians over rounds of the per-round medians, in microseconds"
"$python" - "$out/rust" "$out/torch" <<'PY'
import re, statistics, sys
def read(path):
    rows = {}
    for line in open(path):
        m = re.match(r"(\w+): forward ([\d.]+) us, forward\+backward ([\d.]+) us", line)
        if m:
            rows.setdefault(m[1], []).append((float(m[2]), float(m[3])))
    return {k: (statistics.median(f for f, _ in v), statistics.median(g for _, g in v)) for k, v in rows.items()}
rust, torch = read(sys.argv[1]), read(sys.argv[2])
print(f"{'problem':16} {'rust fwd':>9} {'torch fwd':>9} {'rust f+b':>9} {'torch f+b':>9} {'torch/rust f+b':>15}")
for k in rust:
    (rf, rg), (tf, tg) = rust[k], torch[k]
    print(f"{k:16} {rf:9.1f} {tf:9.1f} {rg:9.1f} {tg:9.1f} {tg / rg:15.2f}")
PY
} | write_table
