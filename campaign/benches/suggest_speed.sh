#!/usr/bin/env bash
# Times `gradbo-campaign suggest` as a whole process (release build) on campaigns of 200
# results in 6 continuous variables: Hartmann-6 at uniform random designs plus noise of
# width 0.01 (one objective, minimised), and the same designs with a second objective to
# minimise, the squared distance to (0.8, …, 0.8), which pulls against Hartmann-6's optimum
# (a Pareto campaign). Each run starts from a fresh copy of the same database, so every run
# makes the same suggestions. Cases: one objective with nothing pending, with one design
# pending, `--batch 4`; two objectives with nothing pending, with one pending, `--batch 4`;
# then `status`. RUNS timed runs per case (default 20) after 2 untimed ones; wall time from
# the clock around the process, CPU time (user + system) from /usr/bin/time; median,
# minimum and maximum of each.
#   campaign/benches/suggest_speed.sh               # builds the release binary first
#   BIN=path/to/gradbo-campaign RUNS=10 campaign/benches/suggest_speed.sh
#   OUT=book/appendix/measurements/campaign-suggest.txt campaign/benches/suggest_speed.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
root=$(pwd)
if [ -z "${BIN:-}" ]; then
    cargo build --release -p gradbo-campaign --quiet
    BIN="${CARGO_TARGET_DIR:-target}/release/gradbo-campaign"
fi
BIN=$(realpath "$BIN")
RUNS=${RUNS:-20}
commit=$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cd "$dir"
variables() {
    for i in 1 2 3 4 5 6; do
        printf '[[variables]]\nname = "x%s"\ntype = "continuous"\nlower = 0.0\nupper = 1.0\n\n' "$i"
    done
}
{
    printf 'name = "speed"\nseed = 5\n\n'
    variables
    printf '[[objectives]]\nname = "y"\ndirection = "minimise"\n'
} > one.toml
{
    printf 'name = "speed, two objectives"\nseed = 5\n\n'
    variables
    printf '[[objectives]]\nname = "y"\ndirection = "minimise"\n\n'
    printf '[[objectives]]\nname = "z"\ndirection = "minimise"\n'
} > two.toml
awk 'BEGIN {
    srand(1)
    split("10 3 17 3.5 1.7 8 0.05 10 17 0.1 8 14 3 3.5 1.7 10 17 8 17 8 0.05 10 0.1 14", A, " ")
    split("1312 1696 5569 124 8283 5886 2329 4135 8307 3736 1004 9991 2348 1451 3522 2883 3047 6650 4047 8828 8732 5743 1091 381", P, " ")
    split("1 1.2 3 3.2", al, " ")
    print "x1,x2,x3,x4,x5,x6,y,z"
    for (r = 0; r < 200; r++) {
        line = ""
        z = 0
        for (j = 1; j <= 6; j++) {
            x[j] = rand(); line = line sprintf("%.17g,", x[j]); z += (x[j] - 0.8) ^ 2
        }
        y = 0
        for (i = 0; i < 4; i++) {
            s = 0
            for (j = 1; j <= 6; j++) s += A[6 * i + j] * (x[j] - P[6 * i + j] * 1e-4) ^ 2
            y -= al[i + 1] * exp(-s)
        }
        print line sprintf("%.17g,%.17g", y + 0.01 * (rand() - 0.5), z)
    }
}' > two.csv
cut -d, -f1-7 two.csv > one.csv
for c in one two; do
    "$BIN" init $c.toml --db $c.db > /dev/null
    "$BIN" import $c.csv --db $c.db > /dev/null
    cp $c.db $c-pending.db
    "$BIN" suggest --db $c-pending.db > /dev/null
done
# One case: RUNS runs of `$BIN $*` on a fresh copy of database $1; prints
# "median min max" of wall seconds, then of CPU seconds.
time_it() {
    local db=$1; shift
    local walls=() cpus=()
    for k in $(seq $((RUNS + 2))); do
        cp "$db" run.db && rm -f run.db-wal run.db-shm
        local t0 t1
        t0=$(date +%s.%N)
        /usr/bin/time -o cpu.txt -f '%U %S' "$BIN" "$@" --db run.db > /dev/null
        t1=$(date +%s.%N)
        if [ "$k" -gt 2 ]; then
            walls+=("$(echo "$t1 - $t0" | bc -l)")
            cpus+=("$(awk '{ print $1 + $2 }' cpu.txt)")
        fi
    done
    stats() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END {
        m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
        printf "%.3f %.3f %.3f", m, v[1], v[NR] }'; }
    echo "$(stats "${walls[@]}") $(stats "${cpus[@]}")"
}
row() {
    local label=$1; shift
    read -r wm wl wh cm cl ch <<< "$(time_it "$@")"
    printf '%-46s %6s  %5s-%-5s  %6s  %5s-%-5s\n' "$label" "$wm" "$wl" "$wh" "$cm" "$cl" "$ch"
}
{
    echo "gradbo-campaign suggest: whole-process times, in seconds"
    echo
    echo "Campaigns of 200 recorded results in 6 continuous variables (Hartmann-6 at uniform"
    echo "random designs, minimised; for two objectives also the squared distance to"
    echo "(0.8, ..., 0.8), minimised). Each run starts from a fresh copy of the database, so"
    echo "every run makes the same suggestions. $RUNS timed runs per row after 2 untimed ones:"
    echo "the median, and the smallest and largest run. Wall time is the clock around the"
    echo "process; CPU time is user + system from /usr/bin/time (to 0.01 s)."
    echo
    echo "Machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $(nproc) cores;"
    echo "load average at the start $(cut -d' ' -f1-3 /proc/loadavg). Build: release profile"
    echo "(cargo build --release -p gradbo-campaign), commit $commit, $(date -u +%Y-%m-%d)."
    echo
    printf '%-46s %6s  %-11s  %6s  %-11s\n' "command" "wall" "(min-max)" "CPU" "(min-max)"
    row "suggest, one objective, nothing pending" one.db suggest
    row "suggest, one objective, one design pending" one-pending.db suggest
    row "suggest --batch 4, one objective" one.db suggest --batch 4
    row "suggest, two objectives, nothing pending" two.db suggest
    row "suggest, two objectives, one design pending" two-pending.db suggest
    row "suggest --batch 4, two objectives" two.db suggest --batch 4
    row "status, two objectives" two.db status
} | if [ -n "${OUT:-}" ]; then tee "$root/$OUT"; else cat; fi
