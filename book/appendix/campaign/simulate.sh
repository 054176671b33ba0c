#!/bin/sh
# The catalyst simulator: chapter 21's experiment on one design of the campaign.
#
# `gradbo-campaign run --command ./simulate.sh` passes the design in GRADBO_TEMPERATURE (°C),
# GRADBO_LOADING, GRADBO_TIME (minutes) and GRADBO_SOLVENT (A, B or C). As in chapter 21,
# T is snapped to 5 °C and L to 0.01 (half to even), and the design is moved into its
# solvent's window; the experiment run is printed, then, on the last line, its score.
# Solvents A and B boil above 110 °C: such a design is refused (exit 2), where chapter 21's
# repair would swap the solvent for C. SIM_PAUSE=seconds makes every run take that long,
# as a real simulation would.

: "${GRADBO_TEMPERATURE:?}" "${GRADBO_LOADING:?}" "${GRADBO_TIME:?}" "${GRADBO_SOLVENT:?}"
if [ -n "${SIM_PAUSE:-}" ]; then sleep "$SIM_PAUSE"; fi

exec awk -v T="$GRADBO_TEMPERATURE" -v L="$GRADBO_LOADING" -v t="$GRADBO_TIME" \
    -v s="$GRADBO_SOLVENT" '
function even(x,   r, d) {         # x rounded half to even
    r = int(x); if (x < 0 && r != x) r = r - 1
    d = x - r
    if (d > 0.5 || (d == 0.5 && r % 2 != 0)) r = r + 1
    return r
}
function clamp(x, lo, hi) { return x < lo ? lo : (x > hi ? hi : x) }
BEGIN {
    T = clamp(5 * even(T / 5), 40, 140); L = clamp(0.01 * even(L / 0.01), 0.01, 0.20); t += 0
    if (s != "A" && s != "B" && s != "C") { print "unknown solvent " s > "/dev/stderr"; exit 2 }
    if (T > 110 && s != "C") { print "solvent " s " boils at " T " °C" > "/dev/stderr"; exit 2 }
    # The window: temperatures, loadings and the two times; then the constants of the score:
    # base, bonus, peak height, peak T and L, peak widths, best time, time penalty.
    if (s == "A") { lo = 65;  hi = 85;  Lmin = 0;    Lmax = 0.12; t1 = 10; t2 = 20
                    b = 40; c = 0;   a = 22; To = 75;  Lo = 0.09; wT = 5;   wL = 0.010; to = 20; k = 0.16 }
    if (s == "B") { lo = 88;  hi = 108; Lmin = 0.08; Lmax = 0.13; t1 = 20; t2 = 30
                    b = 42; c = 0.5; a = 28; To = 98;  Lo = 0.12; wT = 5.5; wL = 0.010; to = 30; k = 0.15 }
    if (s == "C") { lo = 118; hi = 132; Lmin = 0.06; Lmax = 0.10; t1 = 40; t2 = 50
                    b = 46; c = 2.5; a = 38; To = 125; Lo = 0.08; wT = 4.5; wL = 0.008; to = 40; k = 0.14 }
    T = clamp(T, lo, hi); if (L > Lmax) L = Lmax; if (L < Lmin) L = Lmin
    t = (t2 - t < t - t1) ? t2 : t1   # the nearer of the two times, the shorter on a tie
    zT = (T - To) / wT; zL = (L - Lo) / wL
    S = b + c + a * exp(-0.5 * zT * zT - 0.5 * zL * zL) - k * (t - to) ^ 2
    S += 0.8 * sin(T / 9) * cos(35 * L)
    if (s == "A") { S += -0.020 * (T - 72) * (L - 0.09) * 100; if (T == 85) S -= 4.0 }
    if (s == "B") { S += 0.015 * (T - 96) * (L - 0.11) * 100
                    if (T == 88 || T == 108 || L == 0.13) S -= 2.5 }
    if (s == "C") { S += 0.025 * (T - 122) * (0.09 - L) * 100
                    if (T == 118 || T == 132 || L == 0.06 || L == 0.10) S -= 1.2 }
    printf "ran T = %d °C, L = %.2f, t = %d min, solvent %s\n", T, L, t, s
    printf "%.2f\n", S
}'
