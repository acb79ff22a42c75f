"""Statistics and report helpers shared by the summaries, the adaptation test and the README writer.

Numbers are formatted here once, so every table says the same thing the same way.
"""
from __future__ import annotations

import math
import warnings

import numpy as np
from scipy import stats as st
from scipy.stats import mannwhitneyu

from kashtan.running import rundir


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


def finite(values) -> np.ndarray:
    """The values as floats, None and NaN (a measure undefined for that run) left out."""
    return np.array([x for x in values if x is not None and not np.isnan(x)], float)


def median_ci(values, fmt: str = ".3f") -> str:
    """``"median [low–high]"`` with the 95 % bootstrap interval, None and NaN left out; the one
    value alone, or ``"–"`` if none."""
    v = finite(values)
    if v.size < 2:
        return "–" if v.size == 0 else format(v[0], fmt)
    med, lo, hi = bootstrap_median(v)
    return f"{med:{fmt}} [{lo:{fmt}}–{hi:{fmt}}]"


def tied(values) -> np.ndarray:
    """``values`` to 12 significant digits: a measure computed two ways (another summation order,
    another of several equally good partitions) differs in its last bits, and a rank test would
    split those ties."""
    return np.array([float(f"{v:.12g}") for v in np.asarray(values, dtype=float).ravel()])


def mann_whitney_test(a, b) -> tuple[float, float, float]:
    """Two-sided Mann–Whitney U test of samples ``a`` and ``b`` (``tied``): ``(U, p, Cliff's delta)``,
    delta ``2U / (n_a n_b) - 1`` (+1 when every ``a`` exceeds every ``b``) as the effect size."""
    u, p = mannwhitneyu(tied(a), tied(b), alternative="two-sided")
    return float(u), float(p), 2 * u / (len(a) * len(b)) - 1


def mann_whitney(label: str, first: str, other: str, a, b, note: str = "") -> str:
    """A report line of ``mann_whitney_test`` for samples ``a`` (``first``) and ``b``."""
    u, p, delta = mann_whitney_test(a, b)
    return (f"- {label}, {first} vs {other}: Mann–Whitney U = {u:.0f}, p = {p:.2g}, Cliff's delta = {delta:+.2f} "
            f"(n = {len(a)}, {len(b)}{'; ' + note if note else ''})")


def censored(results: list[dict]) -> st.CensoredData:
    """Generations to solve of every run: solved runs at ``solved_at``, the others censored
    at the generation they stopped (the cap)."""
    return st.CensoredData(uncensored=[r["solved_at"] for r in results if r["solved"]],
                           right=[r["generations"] for r in results if not r["solved"]])


def km_median(results: list[dict]) -> tuple[float | None, float | None, float | None]:
    """Kaplan–Meier median generations to solve over all runs, with the 95 % interval from the
    log-log Greenwood band of the survival curve (Brookmeyer–Crowley); None where the curve
    (or its band) never falls to one half, i.e. beyond the cap."""
    if not any(r["solved"] for r in results):
        return None, None, None
    sf = st.ecdf(censored(results)).sf
    with warnings.catch_warnings():
        # the log-log band is undefined where S = 0 (every run solved by then): it is 0 there
        warnings.simplefilter("ignore", RuntimeWarning)
        band = sf.confidence_interval(0.95, method="log-log")

    def first_below(probabilities):
        hit = np.flatnonzero(np.nan_to_num(probabilities, nan=0.0) <= 0.5)
        return float(sf.quantiles[hit[0]]) if hit.size else None
    return first_below(sf.probabilities), first_below(band.low.probabilities), first_below(band.high.probabilities)


def km_text(results: list[dict]) -> str:
    """``"median [low–high]"`` of ``km_median``; ``"> cap"`` where not reached."""
    if not results:
        return "–"
    cap = max(r["generations"] for r in results)
    fmt = lambda v: f"> {cap:,}" if v is None else f"{v:,.0f}"   # noqa: E731
    med, lo, hi = km_median(results)
    return f"{fmt(med)} [{fmt(lo)}–{fmt(hi)}]"


def solved_text(results: list[dict]) -> str:
    """``"k/n (Wilson 95 % CI)"`` of solved runs."""
    if not results:
        return "–"
    k, n = sum(r["solved"] for r in results), len(results)
    ci = st.binomtest(k, n).proportion_ci(method="wilson")
    return f"{k}/{n} ({ci.low:.0%}–{ci.high:.0%})"


def rmst(results: list[dict], horizon: float) -> float:
    """Restricted mean generations to solve up to ``horizon``: the area under the Kaplan–Meier
    curve, so runs that never solve count fully (an effect size for censored times)."""
    if not any(r["solved"] for r in results):
        return float(horizon)
    sf = st.ecdf(censored(results)).sf
    t = np.concatenate([[0.0], sf.quantiles[sf.quantiles < horizon], [horizon]])
    s = np.concatenate([[1.0], sf.probabilities[sf.quantiles < horizon]])
    return float(np.sum(np.diff(t) * s))


def logrank(first: str, other: str, a: list[dict], b: list[dict], cap: int | None = None,
            what: str = "generations to solve") -> str:
    """A report line: log-rank test of generations to solve (all runs, unsolved censored), with
    the restricted mean times to ``cap`` (the generation cap; default the longest run of the
    shorter-lived group) as effect size."""
    if not any(r["solved"] for r in a + b):
        return f"- {what}, {first} vs {other}: no run solved"
    test = st.logrank(censored(a), censored(b))
    cap = cap or min(max(r["generations"] for r in a), max(r["generations"] for r in b))
    return (f"- {what}, {first} vs {other}: log-rank p = {test.pvalue:.2g}; restricted mean to "
            f"{cap:,}: {rmst(a, cap):,.0f} vs {rmst(b, cap):,.0f} (n = {len(a)}, {len(b)}; unsolved censored)")


def table(header: list[str], rows: list[list]) -> str:
    """A markdown table; integers get thousands separators."""
    cell = lambda v: f"{v:,}" if isinstance(v, int) and not isinstance(v, bool) else str(v)   # noqa: E731
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(cell(v) for v in r) + " |" for r in rows]
    return "\n".join(lines)


def switch_times(run_dir, solved_at: int, period: int) -> list[int | None]:
    """For each goal switch after the solution (``stop.after_solved``), the generations until a
    perfect genome appeared in the new epoch; None if none did. A last, cut-short epoch
    without one is left out, and so is an epoch that asks the goal before it again (RMVG)."""
    found = rundir.epochs(run_dir, period, (solved_at // period + 1) * period, switches_only=True)
    return [t for t, whole in found if t is not None or whole]


def late_epochs_perfect(run_dir, period: int, fraction: float = 0.1) -> float | None:
    """Share of the last ``fraction`` of a run's whole epochs in which a perfect genome
    appeared: does a switching population keep solving both goals? None without a whole epoch
    on record (an archive keeps no per-generation records)."""
    whole = [t for t, complete in rundir.epochs(run_dir, period) if complete]
    if not whole:
        return None
    tail = whole[-max(1, round(fraction * len(whole))):]
    return sum(t is not None for t in tail) / len(tail)
