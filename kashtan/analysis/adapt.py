"""The adaptation test (Clune et al. 2013): how fast does an evolved network adapt to a new goal?

For every finished run: fill a population with copies of its best network, evolve it with the
run's own settings against ``goal`` alone, and count the generations until a perfect network
appears (0 if the best is already perfect on it; None if ``cap`` generations pass first).
Results go to ``RUN_DIR/adaptation_<goal>.json``.
"""
from __future__ import annotations

import copy
import json
import multiprocessing as mp
import os
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from kashtan.configuration import build
from kashtan.running import rundir
from kashtan.analysis import stats
from kashtan.configuration.config import ConfigError
from kashtan.running.rundir import read_campaign, seed_dir
from kashtan.running.runner import THREAD_VARS


def adapt_seed(cfg: dict, run_dir, goal: str, cap: int, seed: int) -> int | None:
    if goal not in cfg["goals"]:
        raise ConfigError(f"unknown goal {goal!r}; the campaign defines {', '.join(cfg['goals'])}")
    best = rundir.read_final_best(run_dir)[0]
    fixed = copy.deepcopy(cfg)
    fixed["schedule"].update(kind="fixed", goals=[goal])
    evo = build.evolution(fixed, seed)
    evo.pop[:] = best
    evo.qm_every = 0
    while evo.generation < cap:
        if evo.step()["n_perfect"] > 0:
            return evo.generation - 1
    return None


def _job(args):
    return adapt_seed(*args)


def run(out, goal: str, cap: int, workers: int = 1) -> dict[str, list]:
    out = Path(out)
    plan = read_campaign(out)
    jobs = [(c, s) for s in plan["seeds"] for c in plan["conditions"]
            if rundir.is_finished(seed_dir(out, c, s))]
    args = [(plan["conditions"][c], seed_dir(out, c, s), goal, cap, 10_000 + s) for c, s in jobs]
    for var in THREAD_VARS:
        os.environ.setdefault(var, "1")
    if workers > 1:
        with ProcessPoolExecutor(workers, mp_context=mp.get_context("spawn")) as pool:
            found = list(pool.map(_job, args))
    else:
        found = [_job(a) for a in args]
    results: dict[str, list] = {c: [] for c in plan["conditions"]}
    for (c, s), g in zip(jobs, found):
        results[c].append({"seed": s, "generations": g})
    (out / f"adaptation_{goal}.json").write_text(json.dumps({"goal": goal, "cap": cap, "results": results},
                                                            indent=1) + "\n")
    return results


def read(out, goal: str) -> dict | None:
    """What ``run`` wrote for ``goal`` ({"goal", "cap", "results"}), or None if it was not run."""
    path = Path(out) / f"adaptation_{goal}.json"
    return json.loads(path.read_text()) if path.exists() else None


def timed(rows: list[dict], cap: int) -> list[dict]:
    """Adaptation times as ``stats`` reads times to solve: every run counts, those that never
    adapted censored at the cap."""
    return [{"solved": r["generations"] is not None, "solved_at": r["generations"], "generations": cap} for r in rows]


def markdown(results: dict[str, list], cap: int) -> str:
    body = []
    for c, rows in results.items():
        runs = timed(rows, cap)
        body.append([c, len(rows), f"{stats.solved_text(runs)} (cap {cap:,})", stats.km_text(runs)])
    lines = [stats.table(["condition", "runs", "adapted within cap (95 % CI)",
                          "generations to perfect, Kaplan–Meier median [95 % CI] (all runs)"], body)]
    conds = [c for c, rows in results.items() if len(rows) > 1]
    for other in conds[1:]:
        # runs that never adapted count as the cap (a lower bound), so the test stays one-sided-safe
        a = [r["generations"] if r["generations"] is not None else cap for r in results[conds[0]]]
        b = [r["generations"] if r["generations"] is not None else cap for r in results[other]]
        lines.append("\n" + stats.mann_whitney("generations to adapt", conds[0], other, a, b,
                                               "unadapted runs count as the cap"))
    return "\n".join(lines)
