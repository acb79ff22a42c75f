"""Verdict rules that cannot overclaim (issue 22). A comparison is measured once, its direction and
its significance come from the same statistic, and the verdict is given only after the p-values of
the whole document (the family) are corrected by Benjamini–Hochberg.

Verdicts:

- **replicates**: q < 0.05 in the paper's direction, and every value the paper reports lies inside
  our 95 % interval (a claim of direction only, with no value, needs only the first part);
- **direction only**: q < 0.05 in the paper's direction, but a value the paper reports lies outside
  our interval;
- **opposite**: q < 0.05 against the paper's direction;
- **does not replicate**: the effect is shown to be smaller than the margin (two one-sided tests), or
  a claim of no difference meets a difference at q < 0.05, or a reported value lies outside our
  interval on the unfavourable side;
- **inconclusive**: none of the above (p < 0.05 with q ≥ 0.05 is called *suggestive*);
- **not tested**: no archived campaign measures it.

Statistics: times to solve by the restricted mean time to the cap (RMST: unsolved runs censored
there), its difference tested by permutation and bounded by a bootstrap interval; the Kaplan–Meier
medians are reported beside it, and when they point the other way the curves cross and both are
named. Values (Q, Qm) by Mann–Whitney with Cliff's delta (the same rank statistic), equivalence by
the 90 % bootstrap interval of delta inside ±``MARGIN``. Shares by Fisher's exact test.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from scipy import stats as st

from kashtan.analysis import stats

ALPHA = 0.05
MARGIN = 0.2          # Cliff's delta: between "small" (0.147) and "medium" (0.33), fixed in advance
RATIO = 1.25          # times: restricted means within a factor 1.25 count as the same
REPS = 2000
VERDICTS = ("replicates", "direction only", "opposite", "does not replicate", "inconclusive", "not tested")


@dataclass
class Result:
    """One measured comparison, before the family's correction. ``direction``: +1 the paper's way,
    -1 the other, 0 none; ``inside``: every reported value inside our interval (None: the paper
    reports none); ``equivalent``: the effect is bounded inside the margin; ``kind``: "difference",
    "no difference" (the paper claims none) or "value" (a single reported value, no test)."""
    ours: str
    test: str = "–"
    p: float | None = None
    direction: int = 0
    inside: bool | None = None
    equivalent: bool = False
    kind: str = "difference"
    note: str = ""
    q: float | None = field(default=None, compare=False)


def verdict(r: Result | None) -> str:
    if r is None:
        return "not tested"
    if r.kind == "value":
        return "replicates" if r.inside else "direction only" if r.direction > 0 else "does not replicate"
    q = r.q if r.q is not None else r.p
    found = q is not None and q < ALPHA
    if r.kind == "no difference":
        return "replicates" if r.equivalent else "does not replicate" if found else "inconclusive"
    if found:
        if r.direction < 0:
            return "opposite"
        return "direction only" if r.inside is False else "replicates"
    if r.equivalent:
        return "does not replicate"
    return "inconclusive" + (" (suggestive)" if r.p is not None and r.p < ALPHA and r.direction > 0 else "")


def correct(results: list[Result | None]) -> None:
    """Benjamini–Hochberg q-values over the family, written into each result that has a p-value."""
    tested = [r for r in results if r is not None and r.p is not None]
    if tested:
        for r, q in zip(tested, st.false_discovery_control([r.p for r in tested])):
            r.q = float(q)


def _times(runs: list[dict], cap: int) -> np.ndarray:
    """Times censored at the cap. RMST to the cap is then the mean: runs stop at their solution or
    at the cap, so no run is censored earlier (checked)."""
    t = np.array([min(r["solved_at"], cap) if r["solved"] else cap for r in runs], float)
    early = [r for r in runs if not r["solved"] and r["generations"] < cap]
    if early:
        raise ValueError(f"{len(early)} unsolved run(s) stopped before the cap {cap:,}: finish them first")
    return t


def sooner(a: list[dict], b: list[dict], cap: int, paper: tuple[float, float] | None = None,
           seed: int = 0) -> Result:
    """Does ``a`` reach the solution sooner than ``b``? ``paper``: the reported medians (a, b),
    checked against our Kaplan–Meier median intervals."""
    ta, tb = _times(a, cap), _times(b, cap)
    diff = ta.mean() - tb.mean()
    rng = np.random.default_rng(seed)
    both = np.concatenate([ta, tb])
    perm = np.array([d[: ta.size].mean() - d[ta.size:].mean() for d in (rng.permutation(both) for _ in range(REPS))])
    p = (1 + np.sum(np.abs(perm) >= abs(diff) - 1e-9)) / (REPS + 1)
    ratio = np.array([rng.choice(ta, ta.size).mean() / rng.choice(tb, tb.size).mean() for _ in range(REPS)])
    lo, hi = np.percentile(ratio, [5, 95])
    meds = [stats.km_median(x) for x in (a, b)]
    inside = None if paper is None else all(_km_holds(m, v) for m, v in zip(meds, paper))
    ma, mb = (cap + 1 if m[0] is None else m[0] for m in meds)
    note = ""
    if ma != mb and (ma < mb) != (diff < 0):
        note = (f"curves cross: the Kaplan–Meier medians ({stats.km_text(a)} vs {stats.km_text(b)}) point the "
                "other way from the restricted means")
    return Result(ours=f"{stats.km_text(a)} vs {stats.km_text(b)} (KM medians); solved {_frac(a)} vs {_frac(b)}",
                  test=f"RMST to {cap:,}: {ta.mean():,.0f} vs {tb.mean():,.0f}, permutation p {_p(p)}",
                  p=float(p), direction=int(np.sign(-diff)), inside=inside,
                  equivalent=bool(1 / RATIO < lo and hi < RATIO), note=note)


def _p(p: float) -> str:
    """A permutation p-value; at its floor it is a bound, not a value."""
    return f"≤ {1 / (REPS + 1):.1g}" if p <= 1 / (REPS + 1) + 1e-12 else f"= {p:.2g}"


def rmst(runs: list[dict], cap: int) -> float:
    """Restricted mean time to the cap (unsolved runs count as the cap)."""
    return float(_times(runs, cap).mean())


def _frac(runs) -> str:
    return f"{sum(r['solved'] for r in runs)}/{len(runs)}"


def _km_holds(med: tuple, value: float) -> bool:
    m, lo, hi = med
    if m is None:
        return False
    return (0 if lo is None else lo) <= value <= (math.inf if hi is None else hi)


def _mean_ci(x: np.ndarray, rng) -> tuple[float, float]:
    boots = [rng.choice(x, x.size).mean() for _ in range(REPS)]
    return tuple(np.percentile(boots, [2.5, 97.5]))


def _delta_ci(a: np.ndarray, b: np.ndarray, rng, level: float = 90) -> tuple[float, float]:
    boots = [stats.mann_whitney_test(rng.choice(a, a.size), rng.choice(b, b.size))[2] for _ in range(REPS // 4)]
    return tuple(np.percentile(boots, [(100 - level) / 2, 100 - (100 - level) / 2]))


def larger(a, b, what: str, paper: tuple[float, float] | None = None, no_difference: bool = False,
           seed: int = 0, fmt: str = ".2f") -> Result:
    """Is ``what`` larger in ``a`` than in ``b``? ``paper``: the reported means (a, b), checked
    against our 95 % bootstrap intervals of the means. ``no_difference``: the paper says they are
    equal; then equivalence (90 % interval of Cliff's delta inside ±MARGIN) is what replicates."""
    a, b = stats.finite(a), stats.finite(b)
    if a.size < 2 or b.size < 2:
        return Result(ours=f"n = {a.size}, {b.size}: too few", kind="no difference" if no_difference else "difference")
    rng = np.random.default_rng(seed)
    _, p, delta = stats.mann_whitney_test(a, b)
    cis = [_mean_ci(x, rng) for x in (a, b)]
    dlo, dhi = _delta_ci(a, b, rng)
    inside = None if paper is None else all(lo <= v <= hi for (lo, hi), v in zip(cis, paper))
    ours = " vs ".join(f"{x.mean():{fmt}} [{lo:{fmt}}–{hi:{fmt}}]" for x, (lo, hi) in zip((a, b), cis))
    return Result(ours=f"{what}, means {ours} (n = {a.size}, {b.size})",
                  test=f"Mann–Whitney p = {p:.2g}, Cliff's δ {delta:+.2f} (90 % [{dlo:+.2f}, {dhi:+.2f}])",
                  p=float(p), direction=int(np.sign(delta)) if not no_difference else 0, inside=inside,
                  equivalent=bool(-MARGIN < dlo and dhi < MARGIN), kind="no difference" if no_difference else "difference")


def more_often(a: list[bool], b: list[bool], what: str) -> Result:
    """Is ``what`` more frequent in ``a`` than in ``b``? Fisher's exact test; Wilson intervals."""
    ka, kb = sum(a), sum(b)
    p = st.fisher_exact([[ka, len(a) - ka], [kb, len(b) - kb]]).pvalue
    diff = ka / len(a) - kb / len(b)
    return Result(ours=f"{what} {ka}/{len(a)} vs {kb}/{len(b)}", test=f"Fisher p = {p:.2g}, difference {diff:+.0%}",
                  p=float(p), direction=int(np.sign(diff)))


def value(ours: str, inside: bool, toward: bool = False) -> Result:
    """A single reported value (no comparison): ``inside`` our interval replicates; ``toward``: ours
    lies outside but on the paper's side of the alternative (direction only)."""
    return Result(ours=ours, kind="value", inside=inside, direction=1 if toward else -1)
