#!/usr/bin/env bash
# Times `gradbo-campaign suggest` as a whole process on a campaign of 200 results in 6
# continuous variables (Hartmann-6 at uniform random designs, plus N(0, 0.01²)-sized noise),
# each run on a fresh copy of the same database: nothing pending, then one design pending,
# then a batch of 4. Uses farm-bench when it is on the PATH, else 10 timed runs.
#   campaign/benches/suggest_speed.sh            # builds the release binary first
#   BIN=path/to/gradbo-campaign campaign/benches/suggest_speed.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
if [ -z "${BIN:-}" ]; then
    cargo build --release -p gradbo-campaign --quiet
    BIN="${CARGO_TARGET_DIR:-target}/release/gradbo-campaign"
fi
BIN=$(realpath "$BIN")
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cd "$dir"
{
    printf 'name = "speed"\nseed = 5\n\n'
    for i in 1 2 3 4 5 6; do
        printf '[[variables]]\nname = "x%s"\ntype = "continuous"\nlower = 0.0\nupper = 1.0\n\n' "$i"
    done
    printf '[[objectives]]\nname = "y"\ndirection = "minimise"\n'
} > c.toml
awk 'BEGIN {
    srand(1)
    split("10 3 17 3.5 1.7 8 0.05 10 17 0.1 8 14 3 3.5 1.7 10 17 8 17 8 0.05 10 0.1 14", A, " ")
    split("1312 1696 5569 124 8283 5886 2329 4135 8307 3736 1004 9991 2348 1451 3522 2883 3047 6650 4047 8828 8732 5743 1091 381", P, " ")
    split("1 1.2 3 3.2", al, " ")
    print "x1,x2,x3,x4,x5,x6,y"
    for (r = 0; r < 200; r++) {
        line = ""
        for (j = 1; j <= 6; j++) { x[j] = rand(); line = line sprintf("%.17g,", x[j]) }
        y = 0
        for (i = 0; i < 4; i++) {
            s = 0
            for (j = 1; j <= 6; j++) s += A[6 * i + j] * (x[j] - P[6 * i + j] * 1e-4) ^ 2
            y -= al[i + 1] * exp(-s)
        }
        print line sprintf("%.17g", y + 0.01 * (rand() - 0.5))
    }
}' > r.csv
"$BIN" init c.toml --db base.db > /dev/null
"$BIN" import r.csv --db base.db
cp base.db pending.db
"$BIN" suggest --db pending.db > /dev/null
time_it() {
    local db=$1; shift
    local cmd="cp $db run.db && rm -f run.db-wal run.db-shm && exec $BIN suggest --db run.db $*"
    if command -v farm-bench > /dev/null; then
        farm-bench -n 20 --warmup 2 -- sh -c "$cmd" | grep -E 'wall|cpu s'
    else
        for _ in $(seq 10); do /usr/bin/time -f '%e s wall' sh -c "$cmd" > /dev/null; done
    fi
}
echo "suggest, 200 results, nothing pending:"; time_it base.db
echo "suggest, 200 results, one design pending:"; time_it pending.db
echo "suggest --batch 4, 200 results:"; time_it base.db --batch 4
echo "the copy alone (subtract it):"
if command -v farm-bench > /dev/null; then
    farm-bench -n 20 --warmup 2 -- sh -c "cp base.db run.db && rm -f run.db-wal run.db-shm" | grep wall
fi
