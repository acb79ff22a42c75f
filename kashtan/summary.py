"""Per-condition summary of a campaign, beside what the paper reported."""
from __future__ import annotations

import csv
import json
import math
from pathlib import Path

import numpy as np

from kashtan.runner import read_campaign, seed_dir


def results(out) -> tuple[dict, dict[str, list[dict]]]:
    """The campaign plan and, per condition, the results of its finished seeds."""
    plan = read_campaign(out)
    found: dict[str, list[dict]] = {}
    for c in plan["conditions"]:
        found[c] = []
        for s in plan["seeds"]:
            path = seed_dir(out, c, s) / "result.json"
            if path.exists():
                found[c].append(json.loads(path.read_text()))
    return plan, found


def _mean_se(values) -> str:
    v = np.array([x for x in values if x is not None and not math.isnan(x)], dtype=float)
    if v.size == 0:
        return "–"
    se = v.std(ddof=1) / math.sqrt(v.size) if v.size > 1 else float("nan")
    return f"{v.mean():.2f} ± {se:.2f} (n={v.size})" if v.size > 1 else f"{v.mean():.2f} (n=1)"


def median_iqr(values) -> str:
    v = np.array(values, dtype=float)
    if v.size == 0:
        return "–"
    q1, med, q3 = np.percentile(v, [25, 50, 75])
    return f"{med:,.0f} [{q1:,.0f}–{q3:,.0f}]"


def _epochs(run_dir, period: int, first: int = 0) -> list[tuple[int | None, bool]]:
    """Per epoch from generation ``first`` (an epoch start) on: generations from its start to
    its first perfect genome (None if none), and whether the run covered the whole epoch."""
    found: dict[int, int | None] = {}
    rows_in: dict[int, int] = {}
    with open(Path(run_dir) / "generations.csv") as f:
        for r in csv.DictReader(f):
            g = int(r["generation"])
            if g < first:
                continue
            e = (g - first) // period
            rows_in[e] = rows_in.get(e, 0) + 1
            if found.get(e) is None:
                found[e] = g - first - e * period if int(r["n_perfect"]) > 0 else None
    return [(found[e], rows_in[e] == period) for e in sorted(found)]


def switch_times(run_dir, solved_at: int, period: int) -> list[int | None]:
    """For each goal switch after the solution (``stop.after_solved``), the generations until a
    perfect genome appeared in the new epoch; None if none did. A last, cut-short epoch
    without one is left out."""
    epochs = _epochs(run_dir, period, (solved_at // period + 1) * period)
    return [t for t, whole in epochs if t is not None or whole]


def late_epochs_perfect(run_dir, period: int, fraction: float = 0.1) -> float:
    """Share of the last ``fraction`` of a run's whole epochs in which a perfect genome
    appeared: does a switching population keep solving both goals?"""
    whole = [t for t, complete in _epochs(run_dir, period) if complete]
    if not whole:
        return float("nan")
    tail = whole[-max(1, round(fraction * len(whole))):]
    return sum(t is not None for t in tail) / len(tail)


def _switches(out, condition: str, solved: list[dict], period: int) -> str:
    times = [t for r in solved for t in switch_times(seed_dir(out, condition, r["seed"]), r["solved_at"], period)]
    if not times:
        return "–"
    done = [t for t in times if t is not None]
    return f"{median_iqr(done)} ({len(done)}/{len(times)} re-solved)" if done else f"0/{len(times)} re-solved"


def rows(out) -> list[dict]:
    plan, found = results(out)
    paper = plan.get("paper") or {}
    table = []
    for c, res in found.items():
        cfg = plan["conditions"][c]
        solved = [r for r in res if r["solved"]]
        p = paper.get(c, {})
        period = cfg["schedule"]["period"] if cfg["schedule"]["kind"] != "fixed" else 0
        table.append({
            "condition": c,
            "finished": f"{len(res)}/{len(plan['seeds'])}",
            "cap": cfg["stop"]["max_generations"],
            "solved": f"{len(solved)}/{len(res)}" if res else "–",
            "generations": median_iqr([r["solved_at"] for r in solved]),
            # a switching run is solved in the epoch that re-solves a goal: generations it took
            "readapt": median_iqr([r["solved_at"] % period for r in solved]) if period else "–",
            "switches": _switches(out, c, solved, period) if period else "–",
            "q_solution": _mean_se([(r["at_solution"] or {}).get("q") for r in solved]),
            "qm_solution": _mean_se([(r["at_solution"] or {}).get("qm") for r in solved]),
            "qm_final": _mean_se([r["final"]["qm"] for r in res]),
            "paper_solved": p.get("solved", "–"),
            "paper_generations": p.get("generations", "–"),
            "paper_qm": p.get("qm", "–"),
        })
    return table


HEADERS = [("condition", "condition"), ("finished", "seeds done"), ("cap", "generation cap"),
           ("solved", "solved"), ("generations", "generations to solve, median [IQR]"),
           ("readapt", "generations from the last goal switch to the solution, median [IQR]"),
           ("switches", "switches after the solution: generations to re-solve, median [IQR]"),
           ("q_solution", "Q at solution, mean ± s.e."), ("qm_solution", "Qm at solution, mean ± s.e."), ("qm_final", "Qm of final best, mean ± s.e."),
           ("paper_solved", "paper: solved"), ("paper_generations", "paper: generations"), ("paper_qm", "paper: Qm")]


def parse_pairs(texts) -> list[tuple[str, str]] | None:
    """``["A:B", ...]`` (``--compare``) as condition pairs; None when none are given."""
    pairs = [tuple(t.split(":")) for t in texts]
    if any(len(p) != 2 for p in pairs):
        raise ValueError(f"--compare takes A:B, two condition names, got {' '.join(texts)}")
    return pairs or None


def markdown(out, more=(), pairs=None) -> str:
    """The table of campaign ``out``; NSGA-II campaigns can add ``more`` directories to one
    table and choose the ``pairs`` of conditions to test."""
    plan = read_campaign(out)
    # NSGA-II campaigns (Clune et al.) are read at their end; the others by when they solve
    if any(cfg["ga"]["select"] == "nsga2" for cfg in plan["conditions"].values()):
        from kashtan import netsummary   # noqa: PLC0415 - imports the whole build chain
        return netsummary.markdown([out, *more], pairs)
    if more or pairs:
        raise ValueError("several campaigns in one table, and chosen comparisons, are for NSGA-II campaigns")
    table = rows(out)
    lines = ["| " + " | ".join(h for _, h in HEADERS) + " |", "|" + "---|" * len(HEADERS)]
    for r in table:
        lines.append("| " + " | ".join(f"{r[k]:,}" if isinstance(r[k], int) else str(r[k]) for k, _ in HEADERS) + " |")
    if any(cfg["circuit"]["kind"] == "network" for cfg in plan["conditions"].values()):
        from kashtan import netsummary   # noqa: PLC0415
        lines += ["", "Best network of each run's final population, analysed as Clune et al. do:", "",
                  netsummary.markdown([out])]
    return "\n".join(lines)


def write(out) -> Path:
    path = Path(out) / "summary.md"
    path.write_text(markdown(out) + "\n")
    return path
