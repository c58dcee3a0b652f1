#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Independent check of a `hotmap change` CSV output, run by tests/cli/change.cmake.

    check_change.py OUT.csv [--no-fdr] [--totals NB,NA] [--similarity S]

Recomputes, from each row's n_before and n_after alone: diff, ratio, the exact two-sided
binomial p of the unit's split given the overall split p0 = NA / (NB + NA) (NB, NA: the sums of
the columns unless --totals is given), by a plain sum over every outcome k = 0..n of the
probabilities no larger than the observed one times (1 + 1e-7) (R's binom.test), and the
change bins: Benjamini-Hochberg at 0.10, 0.05 and 0.01 over the units with incidents (plain
thresholds with --no-fdr), sign of n_after - n p0. With --similarity, the share of units with
incidents whose bin is -1, 0 or 1 must equal S (to 1e-9).
Exit 0 when every row agrees, 1 with the first disagreements listed.
"""
import csv
import math
import sys


def pmf_log(k, n, p):
    return math.lgamma(n + 1) - math.lgamma(k + 1) - math.lgamma(n - k + 1) + k * math.log(p) + (n - k) * math.log1p(-p)


def binom_p(x, n, p):
    if n == 0:
        return None
    d = pmf_log(x, n, p) + math.log1p(1e-7)
    # the sum of exp(l) over l <= d, scaled by the largest term for accuracy
    logs = [pmf_log(k, n, p) for k in range(n + 1)]
    keep = [l for l in logs if l <= d + 1e-12 * abs(d)]
    if not keep:
        return 0.0
    top = max(keep)
    return min(1.0, math.exp(top) * sum(math.exp(l - top) for l in keep))


def num(s):
    return None if s == "" else float(s)


def main(argv):
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    path = argv[1]
    fdr = "--no-fdr" not in argv
    totals = None
    similarity = None
    for i, a in enumerate(argv):
        if a == "--totals":
            totals = [int(v) for v in argv[i + 1].split(",")]
        if a == "--similarity":
            similarity = float(argv[i + 1])
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    if not rows:
        print(f"{path}: no rows")
        return 1
    nb = [int(r["n_before"]) for r in rows]
    na = [int(r["n_after"]) for r in rows]
    NB, NA = totals if totals else (sum(nb), sum(na))
    p0 = NA / (NB + NA)
    problems = []
    ps, signs = [], []
    for i, r in enumerate(rows):
        n = nb[i] + na[i]
        if int(r["diff"]) != na[i] - nb[i]:
            problems.append(f"row {i + 1}: diff {r['diff']}")
        ratio = num(r["ratio"])
        want_ratio = na[i] / nb[i] if nb[i] else None
        if (ratio is None) != (want_ratio is None) or (ratio is not None and abs(ratio - want_ratio) > 1e-12 * max(1, want_ratio)):
            problems.append(f"row {i + 1}: ratio {r['ratio']}, expected {want_ratio}")
        p = binom_p(na[i], n, p0)
        got = num(r["p_change"])
        if (got is None) != (p is None) or (p is not None and abs(got - p) > 1e-9 * p + 1e-13):
            problems.append(f"row {i + 1}: p_change {r['p_change']}, expected {p} ({nb[i]} -> {na[i]}, p0 {p0})")
        ps.append(p)
        e = na[i] - n * p0
        signs.append(0 if e == 0 else (1 if e > 0 else -1))
    tested = [i for i, p in enumerate(ps) if p is not None]
    bins = [0] * len(rows)
    for level, q in enumerate((0.10, 0.05, 0.01), 1):
        if fdr:
            order = sorted(tested, key=lambda i: ps[i])
            m = len(order)
            k = 0
            for r_, i in enumerate(order, 1):
                if ps[i] <= r_ / m * q:
                    k = r_
            passing = set(order[:k])
        else:
            passing = {i for i in tested if ps[i] <= q}
        for i in passing:
            bins[i] = signs[i] * level
    for i, r in enumerate(rows):
        if int(r["change_bin"]) != bins[i]:
            problems.append(f"row {i + 1}: change_bin {r['change_bin']}, expected {bins[i]} (p {ps[i]})")
    if similarity is not None and tested:
        s = sum(1 for i in tested if abs(bins[i]) < 2) / len(tested)
        if abs(s - similarity) > 1e-9:
            problems.append(f"similarity index {s}, the run said {similarity}")
    for p in problems[:20]:
        print(p)
    if problems:
        return 1
    print(f"{path}: {len(rows)} rows, {len(tested)} tested, p0 {p0:.6f}: all agree")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
