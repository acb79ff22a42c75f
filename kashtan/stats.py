"""Statistics and report helpers shared by the summaries, the adaptation test and the README writer.

Numbers are formatted here once, so every table says the same thing the same way.
"""
from __future__ import annotations

import math

import numpy as np
from scipy.stats import mannwhitneyu

from kashtan import rundir


def mean_se(values) -> str:
    """``"mean ± s.e. (n=k)"`` of the values that are not None or NaN; ``"–"`` if none."""
    v = np.array([x for x in values if x is not None and not math.isnan(x)], dtype=float)
    if v.size == 0:
        return "–"
    se = v.std(ddof=1) / math.sqrt(v.size) if v.size > 1 else float("nan")
    return f"{v.mean():.2f} ± {se:.2f} (n={v.size})" if v.size > 1 else f"{v.mean():.2f} (n=1)"


def median_iqr(values) -> str:
    """``"median [Q1–Q3]"`` as whole numbers; ``"–"`` if empty."""
    v = np.array(values, dtype=float)
    if v.size == 0:
        return "–"
    q1, med, q3 = np.percentile(v, [25, 50, 75])
    return f"{med:,.0f} [{q1:,.0f}–{q3:,.0f}]"


def bootstrap_median(values, reps: int = 10_000, seed: int = 0) -> tuple[float, float, float]:
    """Median and the 95 % percentile-bootstrap interval of the median (``reps`` resamples)."""
    v = np.asarray(values, float)
    rng = np.random.default_rng(seed)
    meds = np.median(v[rng.integers(v.size, size=(reps, v.size))], axis=1)
    return float(np.median(v)), float(np.percentile(meds, 2.5)), float(np.percentile(meds, 97.5))


def mann_whitney(label: str, first: str, other: str, a, b, note: str = "") -> str:
    """A report line: two-sided Mann–Whitney U test of samples ``a`` (``first``) and ``b``."""
    u, p = mannwhitneyu(a, b, alternative="two-sided")
    return (f"- {label}, {first} vs {other}: Mann–Whitney U = {u:.0f}, p = {p:.2g} "
            f"(n = {len(a)}, {len(b)}{'; ' + note if note else ''})")


def table(header: list[str], rows: list[list]) -> str:
    """A markdown table; integers get thousands separators."""
    cell = lambda v: f"{v:,}" if isinstance(v, int) and not isinstance(v, bool) else str(v)   # noqa: E731
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(cell(v) for v in r) + " |" for r in rows]
    return "\n".join(lines)


def switch_times(run_dir, solved_at: int, period: int) -> list[int | None]:
    """For each goal switch after the solution (``stop.after_solved``), the generations until a
    perfect genome appeared in the new epoch; None if none did. A last, cut-short epoch
    without one is left out."""
    found = rundir.epochs(run_dir, period, (solved_at // period + 1) * period)
    return [t for t, whole in found if t is not None or whole]


def late_epochs_perfect(run_dir, period: int, fraction: float = 0.1) -> float:
    """Share of the last ``fraction`` of a run's whole epochs in which a perfect genome
    appeared: does a switching population keep solving both goals?"""
    whole = [t for t, complete in rundir.epochs(run_dir, period) if complete]
    if not whole:
        return float("nan")
    tail = whole[-max(1, round(fraction * len(whole))):]
    return sum(t is not None for t in tail) / len(tail)
