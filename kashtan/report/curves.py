"""The curves figure of a campaign: per condition over generations, the best's fitness, its Q, its
Qm (circuits), and the share of runs solved so far (every run counted: runs stop at their solution
or at the cap, so this is one minus the Kaplan–Meier curve). One colour per condition for any
number of conditions, one legend for the whole figure.

Conditions that switch goals are read at epoch ends (the saw-tooth of every switch hides the
trend), and so is every other condition of the same figure, so all curves share their x values.
"""
from __future__ import annotations

import sys
import warnings
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np

from kashtan.running import filechecks, rundir
from kashtan.running.rundir import read_generations, seed_dir

FEW = 3        # below this many runs a condition is drawn run by run, not as median and quartiles


def _filled(values, length: int) -> np.ndarray:
    """Carry the last recorded value forward over blanks and past the run's end."""
    out = np.full(length, np.nan)
    last = np.nan
    for i in range(length):
        if i < len(values) and not np.isnan(values[i]):
            last = values[i]
        out[i] = last
    return out


def step_of(plan: dict, conditions: list[str]) -> int:
    """Generations between the points of every curve: the switching period if any condition switches."""
    periods = [plan["conditions"][c]["schedule"]["period"] for c in conditions
               if plan["conditions"][c]["schedule"]["kind"] != "fixed"]
    return min(periods) if periods else 1


def curves(out: Path, plan: dict, conditions: list[str], keys=("best", "qm")) -> dict[str, dict[str, np.ndarray]]:
    """Per condition: ``keys`` as runs x points, ``_x`` the generations (1-based) of the points, and
    ``_solved`` the generation each run was solved at (None: not solved)."""
    data, step = {}, step_of(plan, conditions)
    for c in conditions:
        runs = [seed_dir(out, c, s) for s in plan["seeds"] if rundir.has_records(seed_dir(out, c, s))]
        if not runs:
            continue
        cols = [read_generations(r, filechecks.goal_names(plan["conditions"][c])) for r in runs]
        for r, col in zip(runs, cols):
            if rundir.is_finished(r) and len(col["generation"]) != rundir.read_result(r)["generations"]:
                raise rundir.RunError(f"{r / rundir.GENERATIONS}: {len(col['generation'])} rows for a run of "
                                      f"{rundir.read_result(r)['generations']} generations (cut short?)")
        # Q and Qm are recorded every few generations, rarely at an epoch's end: carry them forward first
        cols = [{k: (_filled(v, len(v)) if k in ("q", "qm") else np.asarray(v, float))[step - 1:: step]
                 for k, v in col.items() if k in keys} for col in cols]
        length = max(len(col[keys[0]]) for col in cols)
        data[c] = {k: np.vstack([_filled(col[k], length) for col in cols]) for k in keys}
        data[c]["_x"] = step * np.arange(1, length + 1)
        data[c]["_solved"] = [_solved_at(r) for r in runs]
    return data


def _solved_at(run_dir) -> int | None:
    if not rundir.is_finished(run_dir):
        return None
    result = rundir.read_result(run_dir)
    return result["solved_at"] if result["solved"] else result.get("first_perfect")


def colours(n: int) -> list:
    """``n`` distinguishable colours (tab10 up to 10, tab20 up to 20, then a continuous map)."""
    if n <= 10:
        return [plt.get_cmap("tab10")(i) for i in range(n)]
    if n <= 20:
        return [plt.get_cmap("tab20")(i) for i in range(n)]
    return [plt.get_cmap("turbo")(i / (n - 1)) for i in range(n)]


def _band(ax, x, m, colour):
    if m.shape[0] < FEW:
        for row in m:
            ax.plot(x, row, color=colour, lw=0.9)
        return
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)          # all-NaN points before the first Qm
        q1, med, q3 = np.nanpercentile(m, [25, 50, 75], axis=0)
    ax.plot(x, med, color=colour)
    ax.fill_between(x, q1, q3, color=colour, alpha=0.2, linewidth=0)


def plot_curves(out: Path, plan: dict, conditions: list[str], path: Path, keys=("best", "q", "qm"),
                labels=("best fitness", "Q of the best", "Qm of the best"), solved_label="runs solved",
                save=None) -> Path | None:
    """The figure at ``path``, or None (with a note on stderr) when no run kept per-generation
    records (archives made before histories were kept)."""
    data = curves(out, plan, conditions, keys)
    if not data:
        print(f"{out}: no run keeps per-generation records (archived before histories were kept): no curves",
              file=sys.stderr)
        return None
    panels = len(keys) + 1
    fig, axes = plt.subplots(1, panels, figsize=(4.2 * panels, 4.2))
    step = step_of(plan, conditions)
    for (c, d), colour in zip(data.items(), colours(len(data))):
        for ax, key in zip(axes, keys):
            _band(ax, d["_x"], d[key], colour)
        solved = sorted(t + 1 for t in d["_solved"] if t is not None)
        n = len(d["_solved"])
        axes[-1].step([1, *solved, int(d["_x"][-1])], [0, *(np.arange(1, len(solved) + 1) / n), len(solved) / n],
                      where="post", color=colour, label=f"{c} (n = {n})")
    longest = max([int(d["_x"][-1]) for d in data.values()] + [2])
    for ax, label in zip(axes, [*labels, solved_label]):
        ax.set_xscale("log")
        ax.set_xlim(step, longest)
        ax.set_xlabel("generation" + (f" (epoch ends, every {step})" if step > 1 else ""))
        ax.set_ylabel(label)
        ax.grid(alpha=0.3)
    if "qm" in keys:   # Qm of tiny intermediate circuits can be far below -1 (Qmax barely above Qrand)
        axes[list(keys).index("qm")].set_ylim(-1.0, 1.05)
    axes[-1].set_ylim(0, 1.02)
    handles, names = axes[-1].get_legend_handles_labels()
    fig.legend(handles, names, loc="lower center", ncol=min(4, len(names)), fontsize=8, frameon=False)
    few = any(len(d["_solved"]) < FEW for d in data.values())
    fig.suptitle(f"{plan['conditions'][conditions[0]]['name']}: median and quartiles over runs"
                 + (f" (conditions with fewer than {FEW} runs: each run)" if few else "")
                 + "; right: share of all runs solved by each generation", fontsize=10)
    fig.tight_layout(rect=(0, 0.06 + 0.03 * ((len(names) - 1) // 4), 1, 0.95))
    path = save(fig, path)
    plt.close(fig)
    return path
