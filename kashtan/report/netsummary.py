"""Per-treatment summary of a network campaign, as Clune et al. report theirs.

Per condition: final Q of the best network (median and 95 % bootstrap interval of the
median, 10,000 resamples), both as kashtan maximises it and by spectral bisection alone
(Clune et al.'s method), runs that reached perfect performance (Wilson interval) and the
generation they first did (Kaplan–Meier over all runs, those never perfect censored at their
length), the share of best networks whose first bisection separates left from right inputs, the share with single neurons computing the left and the right object; then
Mann-Whitney U tests of final Q between the first condition and each other, or between
the pairs asked for. Several campaign directories can be read as one table (for
conditions run as separate campaigns).

The best network of a run is its final_best.json (kashtan.running.rundir.FINAL_RULE: highest
fitness on the final goal in the final population, ties broken at random, seeded by the
run's seed), written by the runner.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

from circuits import network
from circuits.modularity import best_partition
from kashtan.running import rundir
from kashtan.analysis import stats
from kashtan.analysis.analyze import left_right
from kashtan.running.rundir import read_campaign, seed_dir


def seed_stats(cfg: dict, run_dir) -> dict | None:
    """What the table reports of one finished run, from its final best network (rundir.FINAL_RULE)."""
    if not rundir.is_finished(run_dir):
        return None
    best, spec, _, _ = rundir.read_final_best(run_dir)
    result = rundir.read_result(run_dir)
    q_kind = cfg["record"]["q"]
    adj, nodes = network.simplify(best, spec)
    q = best_partition(adj, q_kind, restarts=cfg["record"]["q_restarts"])[0]
    split, finds = left_right(best, spec, adj, nodes)
    sched = cfg["schedule"]
    late = stats.late_epochs_perfect(run_dir, sched["period"]) if sched["kind"] != "fixed" else None
    return {"q": q, "q_spectral": best_partition(adj, q_kind, refine=False)[0],
            "perfect_at": result["first_perfect"], "generations": result["generations"],
            "late_perfect": late, "split": split,
            "l_and_r": None if finds is None else finds == ["L", "R"], "connections": int((best[: spec.n_connections] != 0).sum())}


def _count(rows: list[dict], key: str) -> str:
    """``k/n`` of the runs where ``key`` holds; "–" where it does not apply (no 8-pixel retina)."""
    known = [r[key] for r in rows if r[key] is not None]
    return f"{sum(known)}/{len(known)}" if known else "–"


def first_perfect_times(rows: list[dict]) -> list[dict]:
    """Time to the first perfect network of every run, as ``stats`` reads times to solve: runs
    never perfect are censored at their length."""
    return [{"solved": r["perfect_at"] is not None, "solved_at": r["perfect_at"], "generations": r["generations"]}
            for r in rows]


def collect(outs) -> tuple[dict[str, int], dict[str, list[dict]]]:
    """Per condition of the campaigns in ``outs``: planned seed count and finished seeds' stats."""
    planned, found = {}, {}
    for out in outs:
        plan = read_campaign(out)
        for c, cfg in plan["conditions"].items():
            if c in found:
                raise ValueError(f"condition {c!r} appears in more than one campaign directory")
            planned[c] = len(plan["seeds"])
            found[c] = [s for s in (seed_stats(cfg, seed_dir(out, c, k)) for k in plan["seeds"]) if s]
    return planned, found


def markdown(outs, pairs=None, conditions=None) -> str:
    """The table for campaign directory ``outs`` (one or a list), only ``conditions`` if given
    (in that order); ``pairs`` of conditions to test (default: the first condition against
    each other)."""
    outs = [outs] if isinstance(outs, (str, Path)) else list(outs)
    planned, found = collect(outs)
    if conditions is not None:
        missing = [c for c in conditions if c not in found]
        if missing:
            raise ValueError(f"unknown condition(s) {', '.join(map(repr, missing))}; the campaigns have: "
                             f"{', '.join(found)}")
        found = {c: found[c] for c in conditions}
    for pair in pairs or ():
        for c in pair:
            if c not in found:
                raise ValueError(f"unknown condition {c!r} to compare; the campaigns have: {', '.join(found)}")
    header = ["condition", "seeds done", "final Q, median [95 % CI]", "final Q, spectral only (as Clune et al.)",
              "perfect (95 % CI)",
              "generation first perfect, Kaplan–Meier median [95 % CI] (all runs, never perfect censored)",
              "switching goals: last 10 % of epochs with a perfect network, median [IQR]",
              "first bisection splits L/R", "neurons for L and R", "connections, median"]
    body = []
    for c, rows in found.items():
        n = len(rows)
        if not rows:
            body.append([c, f"0/{planned[c]}"] + ["–"] * 8)
            continue
        late = [r["late_perfect"] for r in rows if r["late_perfect"] is not None]
        late = "–" if not late else "{:.0%} [{:.0%}–{:.0%}]".format(*np.percentile(late, [50, 25, 75]))
        timed = first_perfect_times(rows)
        body.append([c, f"{n}/{planned[c]}", "{:.3f} [{:.3f}–{:.3f}]".format(*stats.bootstrap_median([r["q"] for r in rows])),
                     "{:.3f} [{:.3f}–{:.3f}]".format(*stats.bootstrap_median([r["q_spectral"] for r in rows])),
                     stats.solved_text(timed), stats.km_text(timed), late, _count(rows, "split"), _count(rows, "l_and_r"), f"{np.median([r['connections'] for r in rows]):.0f}"])
    lines = [stats.table(header, body)]
    conds = [c for c in found if len(found[c]) > 1]
    if pairs is None:
        pairs = [(conds[0], other) for other in conds[1:]]
    for first, other in pairs:
        if len(found[first]) < 2 or len(found[other]) < 2:
            continue
        for key, label in (("q", "final Q"), ("q_spectral", "final Q, spectral only")):
            a, b = [r[key] for r in found[first]], [r[key] for r in found[other]]
            lines.append(("" if key == "q_spectral" else "\n") + stats.mann_whitney(label, first, other, a, b))
        lines.append(stats.logrank(first, other, first_perfect_times(found[first]), first_perfect_times(found[other]),
                                   what="generation first perfect"))
    return "\n".join(lines)
