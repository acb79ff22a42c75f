"""Figures of the MVG mechanism (``kashtan.analysis.dynamics``): switching after the solution, decay under a
fixed goal, mutational distance.

* ``switching``: left, the share of switches re-solved by each generation of the epoch
  (Kaplan-Meier over every switch after the solution, switches censored at the epoch's end), one
  curve per condition; right, epoch by epoch after the solution, the share of runs whose best
  circuit was perfect in the epoch and the mean Q of the best at the epoch's end.
* ``decay``: Q over generations under a fixed goal from identical copies, one panel per start set:
  the best circuit's Q (mean over populations) and the population's mean and median Q.
* ``distance``: how many solutions lie 1, 2, 3 or more gene changes from a perfect circuit for
  the other goal, per condition.
"""
from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from scipy import stats as st  # noqa: E402

from kashtan.analysis import dynamics  # noqa: E402
from kashtan.report.figures import _save  # noqa: E402


def switching(groups: dict[str, list[dict]], period: int, path: Path, epochs: int = 100) -> Path:
    """``groups``: label -> ``dynamics.campaign_switches`` rows."""
    fig, (a, b) = plt.subplots(1, 2, figsize=(11, 4.2), constrained_layout=True)
    for label, runs in groups.items():
        times = [t for r in runs for t in r["times"]]
        done = [t for t in times if t is not None]
        if done:
            sf = st.ecdf(st.CensoredData(uncensored=done, right=[period] * (len(times) - len(done)))).sf
            x = np.arange(period)
            a.step(x, 1 - sf.evaluate(x), where="post", label=f"{label} ({len(times):,} switches, {len(runs)} runs)")
        n = min(epochs, min((len(r["epoch_best"]) for r in runs), default=0))
        if n:
            perfect = np.array([[f >= 1.0 for f in r["epoch_best"][:n]] for r in runs]).mean(axis=0)
            q = np.array([r["epoch_q"][:n] for r in runs]).mean(axis=0)
            line, = b.plot(np.arange(1, n + 1), perfect, label=f"{label}: best perfect in the epoch (share of runs)")
            b.plot(np.arange(1, n + 1), q, ls="--", color=line.get_color(), label=f"{label}: best's Q at the epoch's end (mean)")
    a.set(xlabel="generations since the switch", ylabel="share of switches re-solved",
          title="Re-solving after a switch (Kaplan–Meier, all switches)", ylim=(0, 1), xlim=(0, period - 1))
    a.axvline(5, color="grey", lw=0.8, ls=":")
    a.text(5.2, 0.55, "paper: each switch\nre-solved in ~5", color="grey", fontsize=8)
    a.legend(fontsize=8, loc="upper left")
    a.xaxis.get_major_locator().set_params(integer=True)
    b.set(xlabel="epoch after the solution", ylabel="share / Q", ylim=(0, 1),
          title=f"Epoch by epoch after the solution (first {epochs} epochs)")
    b.legend(fontsize=7, loc="upper right", ncol=1)
    return _save(fig, path)


def decay(groups: dict[str, Path], path: Path, level: float | None = None) -> Path:
    """``groups``: panel title -> a decay directory (``decay_seed_*.csv.gz``)."""
    cols = min(len(groups), 2 if len(groups) == 4 else 3)
    rows = -(-len(groups) // cols)
    fig, axes = plt.subplots(rows, cols, figsize=(5 * cols, 3.8 * rows), sharey=True, constrained_layout=True,
                             squeeze=False)
    for ax, (title, d) in zip(axes.flat, groups.items()):
        runs = [dynamics.read_rows(p) for p in sorted(Path(d).glob("decay_seed_*.csv.gz"))]
        if not runs:
            ax.set_title(f"{title}\n(no populations)")
            continue
        g = np.array([r["generation"] for r in runs[0]])
        for col, style, label in (("best_q", "-", "best circuit's Q"), ("q_mean", "--", "population mean Q"),
                                  ("q_median", ":", "population median Q (under the best's line where equal)")):
            vals = np.array([[r.get(col, np.nan) for r in run] for run in runs])
            ax.plot(g, np.nanmean(vals, axis=0), ls=style, label=label)
        if level is not None:
            ax.axhline(level, color="grey", lw=0.8)
            ax.text(g[-1], level + 0.003, "fixed-goal solutions' Q", ha="right", fontsize=7, color="grey")
        ax.set_xscale("symlog", linthresh=1)
        ax.set(title=f"{title} (n = {len(runs)})", xlabel="generations under fixed G1", xlim=(0, g[-1]))
    axes[0][0].set_ylabel("Q (mean over populations)")
    axes[0][0].legend(fontsize=8, loc="center left")
    return _save(fig, path)


def distance(groups: dict[str, list[dict]], path: Path) -> Path:
    """``groups``: label -> ``distance.campaign`` rows (one direction each)."""
    fig, ax = plt.subplots(figsize=(7, 4), constrained_layout=True)
    width = 0.8 / max(1, len(groups))
    for i, (label, rows) in enumerate(groups.items()):
        searched = max((int(r["searched"]) for r in rows), default=3)
        counts = [sum(r["changes"] == k for r in rows) for k in range(1, searched + 1)]
        counts.append(sum(r["changes"] is None for r in rows))
        x = np.arange(len(counts)) + i * width
        ax.bar(x, np.array(counts) / max(1, len(rows)), width, label=f"{label} (n = {len(rows)})")
    ax.set_xticks(np.arange(searched + 1) + 0.4 - width / 2, [*map(str, range(1, searched + 1)), f"> {searched}"])
    ax.annotate("Kashtan & Alon:\nabout 2", (1 + 0.4 - width / 2, 0.9), ha="center", fontsize=8, color="grey")
    ax.set(xlabel="fewest gene changes to a perfect circuit for the other goal", ylabel="share of solutions",
           title="Mutational distance between G1 and G2 solutions (exhaustive search)")
    ax.legend(fontsize=8)
    return _save(fig, path)
