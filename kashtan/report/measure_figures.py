"""Figures of a campaign's measures (``kashtan measures DIR --figures OUT``; issue 10).

* ``<name>_broadness.png``: accuracy after k = 1..20 random mutations of each run's final best,
  median over the runs of a condition with the interquartile band; for networks beside it the
  singular values of the relaxed output Jacobian (over the largest, log scale), median and band:
  a spectrum that falls early has many near-null, "broad" directions.
* ``<name>_measures.png``: information modularity against Q, and broadness against Q, one dot
  per run (perfect runs filled), one colour per condition.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

from kashtan.report import figures

plt = figures.plt


def _band(ax, curves: list[list[float]], label: str, colour) -> None:
    length = max(len(c) for c in curves)
    m = np.full((len(curves), length), np.nan)
    for i, c in enumerate(curves):
        m[i, : len(c)] = c
    x = np.arange(1, length + 1)
    with np.errstate(all="ignore"):
        med, lo, hi = (np.nanpercentile(m, q, axis=0) for q in (50, 25, 75))
    ax.plot(x, med, color=colour, label=f"{label} (n={len(curves)})")
    ax.fill_between(x, lo, hi, color=colour, alpha=0.2, linewidth=0)


def make(rows: list[dict], dest: Path, name: str) -> list[Path]:
    """The figures for measure rows (``campaign_measures.collect`` or ``read_csv``) into ``dest``."""
    dest.mkdir(parents=True, exist_ok=True)
    conds = list(dict.fromkeys(r["condition"] for r in rows))
    colours = {c: plt.cm.tab10(i % 10) for i, c in enumerate(conds)}
    made = []
    with_curves = [r for r in rows if r.get("degradation")]
    spectra = [r for r in rows if r.get("spectrum")]
    if with_curves:
        fig, axes = plt.subplots(1, 2 if spectra else 1, figsize=(11 if spectra else 6, 4.2), squeeze=False)
        ax = axes[0][0]
        for c in conds:
            curves = [r["degradation"] for r in with_curves if r["condition"] == c]
            if curves:
                _band(ax, curves, c, colours[c])
        ax.xaxis.set_major_locator(plt.MaxNLocator(integer=True))
        ax.set(xlabel="random mutations k", ylabel="mean accuracy after k mutations",
               title="Degradation of each run's final best (median, IQR)")
        ax.legend(fontsize=7)
        if spectra:
            ax = axes[0][1]
            for c in conds:
                curves = [r["spectrum"] for r in spectra if r["condition"] == c]
                if curves:
                    _band(ax, curves, c, colours[c])
            ax.axhline(1e-6, color="grey", linestyle=":", linewidth=1, label="rank threshold (1e-6)")
            ax.set(yscale="log", ylim=(1e-17, 2), xlabel="singular value index",
                   ylabel="singular value / largest (floor 1e-16)",
                   title="Relaxed output Jacobian (beta 1), all patterns")
            ax.legend(fontsize=7)
        fig.tight_layout()
        made.append(figures._save(fig, dest / f"{name}_broadness.png"))
        plt.close(fig)
    fig, axes = plt.subplots(1, 2, figsize=(11, 4.2))
    for ax, key, label in ((axes[0], "info_modularity", "information modularity"),
                           (axes[1], "kept_perfect", "single mutations keeping it perfect")):
        for c in conds:
            for perfect in (True, False):
                sel = [r for r in rows if r["condition"] == c and r["perfect"] == perfect
                       and not np.isnan(r[key]) and not np.isnan(r["q"])]
                if sel:
                    ax.scatter([r["q"] for r in sel], [r[key] for r in sel], s=18, color=colours[c],
                               facecolors=colours[c] if perfect else "none",
                               label=f"{c}{'' if perfect else ' (not perfect)'}")
        ax.set(xlabel="Q of the final best", ylabel=label)
    axes[0].legend(fontsize=7)
    axes[0].set_title("Structure (Q) against information flow")
    axes[1].set_title("Structure (Q) against broadness")
    fig.tight_layout()
    made.append(figures._save(fig, dest / f"{name}_measures.png"))
    plt.close(fig)
    return made
