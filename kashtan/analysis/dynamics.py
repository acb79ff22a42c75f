"""Kashtan & Alon's MVG mechanism, measured: switching after the solution, and decay of
modularity under a fixed goal.

*Switching* reads a campaign run with ``stop.after_solved`` (a run directory or an archive with
its per-generation history): after the solution, for every real goal switch, the generations
until a perfect circuit appeared in the new epoch (censored at the epoch's end), and the best
circuit's fitness and Q epoch by epoch. Switches within one run are not independent, so the
intervals resample runs (cluster bootstrap), not switches.

*Decay* starts a population of identical copies of one circuit and evolves it under a fixed goal
with a campaign's own settings, recording every generation the best circuit's fitness, Q and Qm
and the population's Q (mean, median and quartiles; Qm of a sample every ``qm_every`` generations).
"""
from __future__ import annotations

import copy
import csv
import gzip
import io
import math

import numpy as np

from kashtan.configuration import build
from kashtan.running import rundir
from kashtan.analysis import stats

DECAY_COLUMNS = ["generation", "best", "best_q", "best_qm", "q_mean", "q_median", "q_low", "q_high",
                 "qm_median", "qm_low", "qm_high", "n_perfect"]


# ---- switching after the solution -------------------------------------------------

def switches(run_dir, cfg: dict, result: dict) -> dict:
    """One run's switches after its solution: ``times`` (generations from the switch to the first
    perfect circuit, None if none in the epoch; whole epochs only, repeats of the goal before
    left out), and per whole epoch after the solution the best circuit's highest fitness and
    its Q at the epoch's last generation."""
    period = int(cfg["schedule"]["period"])
    if not result.get("solved"):
        return {"times": [], "epoch_best": [], "epoch_q": [], "perfect_share": math.nan}
    start = (int(result["solved_at"]) // period + 1) * period
    times = [t for t, whole in rundir.epochs(run_dir, period, start, switches_only=True) if whole]
    rec = rundir.read_generations(run_dir)
    best, q = np.asarray(rec["best"]), np.asarray(rec["q"])
    perfect = np.asarray(rec["best_perfect"]) > 0
    n_whole = (len(best) - start) // period
    ends = [start + (e + 1) * period for e in range(n_whole)]
    return {"times": times,
            "epoch_best": [float(best[e - period:e].max()) for e in ends],
            "epoch_q": [float(q[e - 1]) for e in ends],
            "perfect_share": float(perfect[start:].mean()) if len(perfect) > start else math.nan}


def campaign_switches(out, condition: str) -> list[dict]:
    """``switches`` of every finished run of ``condition`` that keeps per-generation records."""
    plan = rundir.read_campaign(out)
    cfg = plan["conditions"][condition]
    rows = []
    for s in plan["seeds"]:
        d = rundir.seed_dir(out, condition, s)
        if rundir.is_finished(d) and rundir.has_records(d):
            rows.append(dict(seed=s, **switches(d, cfg, rundir.read_result(d))))
    return rows


def _cluster_ci(runs: list[dict], stat, reps: int = 2000, seed: int = 0) -> tuple[float, float]:
    """95 % percentile interval of ``stat(runs)`` over runs resampled with replacement."""
    rng = np.random.default_rng(seed)
    vals = [stat([runs[i] for i in rng.integers(len(runs), size=len(runs))]) for _ in range(reps)]
    vals = [v for v in vals if not math.isnan(v)]
    return (float(np.percentile(vals, 2.5)), float(np.percentile(vals, 97.5))) if vals else (math.nan, math.nan)


def _share(runs, within: int | None = None) -> float:
    times = [t for r in runs for t in r["times"]]
    if not times:
        return math.nan
    return sum(t is not None and (within is None or t <= within) for t in times) / len(times)


def km_median_of(times, cap: int) -> float | None:
    """Kaplan–Meier median of ``times`` (None: not reached, censored at ``cap``), by
    ``stats.km_median``; None if the curve never falls to one half."""
    return stats.km_median([{"solved": t is not None, "solved_at": t, "generations": cap} for t in times])[0]


def km_switch_median(runs: list[dict], period: int) -> float | None:
    """Kaplan–Meier median generations from a switch to the first perfect circuit, every switch
    counted (none in the epoch: censored at the epoch's length); None if never below one half."""
    return km_median_of([t for r in runs for t in r["times"]], period)


def _stat(f, values) -> float:
    """``f`` of the values that are numbers; NaN where there are none (no run was solved)."""
    v = stats.finite(values)
    return float(f(v)) if v.size else math.nan


def switching_row(runs: list[dict], period: int) -> dict:
    """The switching measures of one condition, each with a 95 % cluster-bootstrap interval."""
    def ci_text(stat, fmt):
        value = stat(runs)
        if math.isnan(value):
            return "–"
        lo, hi = _cluster_ci(runs, stat)
        return f"{format(value, fmt)} [{format(lo, fmt)}–{format(hi, fmt)}]"

    def km(rs):
        m = km_switch_median(rs, period)
        return float(period) if m is None else m

    times = [t for r in runs for t in r["times"]]
    km_value = km_switch_median(runs, period)
    return {
        "runs": len(runs),
        "switches": len(times),
        "re-solved": sum(t is not None for t in times),
        "share re-solved within the epoch": ci_text(_share, ".0%"),
        "share re-solved within 5 generations": ci_text(lambda rs: _share(rs, 5), ".0%"),
        "KM median generations to re-solve": (f"> {period - 1} (not reached)" if km_value is None
                                              else ci_text(km, ".0f")),
        "best perfect, share of generations": ci_text(
            lambda rs: _stat(np.nanmean, [r["perfect_share"] for r in rs]), ".0%"),
        "best's epoch fitness, median": ci_text(
            lambda rs: _stat(np.median, [f for r in rs for f in r["epoch_best"]]), ".3f"),
        "best's Q at epoch ends, mean": ci_text(
            lambda rs: _stat(np.nanmean, [q for r in rs for q in r["epoch_q"]]), ".3f"),
    }


# ---- decay under a fixed goal -----------------------------------------------------

def _quartiles(values) -> tuple[float, float, float]:
    v = stats.finite(values)
    if v.size == 0:
        return math.nan, math.nan, math.nan
    low, med, high = np.percentile(v, [25, 50, 75])
    return float(med), float(low), float(high)


def decay(cfg: dict, genome: np.ndarray, goal: str, generations: int, seed: int, qm_every: int = 50,
          qm_sample: int = 20) -> list[dict]:
    """Evolve copies of ``genome`` under ``goal`` alone with ``cfg``'s settings for
    ``generations``; one row (``DECAY_COLUMNS``) per generation, generation 0 the copies. The
    population's Q is every circuit's (quick maximiser); its Qm, every ``qm_every`` generations,
    that of ``qm_sample`` circuits drawn at random (a new degree sequence costs ~70 ms of Qrand
    and Qmax, so every circuit every generation would cost an hour a run)."""
    fixed = copy.deepcopy(cfg)
    fixed["schedule"].update(kind="fixed", goals=[goal])
    fixed["stop"].update(when_solved=False, max_generations=generations + 1)
    evo = build.evolution(fixed, seed)
    evo.pop[:] = np.asarray(genome, dtype=evo.pop.dtype)
    evo.qm_every = 0
    problem, goal_obj = evo.problem, build.goals(fixed)[goal]
    sampler = np.random.default_rng(seed + 1)          # the sample must not touch the run's own stream
    rows = []
    for g in range(generations + 1):
        scores = problem.evaluate(evo.pop, goal_obj)
        i = int(np.argmax(scores.fitness))
        qs = [problem.q(x, quick=True) for x in evo.pop]
        row = {"generation": g, "best": float(scores.fitness[i]), "best_q": problem.q(evo.pop[i]),
               "best_qm": problem.qm(evo.pop[i]), "n_perfect": int(scores.perfect.sum())}
        row["q_median"], row["q_low"], row["q_high"] = _quartiles(qs)
        row["q_mean"] = float(np.mean(qs))         # what the peer replication plots (mutants included)
        if qm_every and g % qm_every == 0:
            pick = sampler.choice(len(evo.pop), size=min(qm_sample, len(evo.pop)), replace=False)
            row["qm_median"], row["qm_low"], row["qm_high"] = _quartiles([problem.qm(evo.pop[k]) for k in pick])
        else:
            row["qm_median"] = row["qm_low"] = row["qm_high"] = math.nan
        rows.append(row)
        if g < generations:
            evo.step()
    return rows


def halfway(rows: list[dict], column: str, level: float, hold: int = 10) -> int | None:
    """First generation from which ``column`` stays at or below halfway from its start to
    ``level`` (the fixed-goal Q) for ``hold`` generations (one low generation is noise: under
    random ties the best is any of hundreds of equally fit circuits); None if it never does
    (censored at the last generation)."""
    start = rows[0][column]
    target = (start + level) / 2
    if start <= level:
        return 0
    run = 0
    for r in rows:
        run = run + 1 if r[column] <= target else 0
        if run == hold:
            return int(r["generation"]) - hold + 1
    return None


def write_rows(path, rows: list[dict], columns=DECAY_COLUMNS) -> None:
    """Rows as a gzipped CSV (NaN blank)."""
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(columns)
    for r in rows:
        w.writerow(["" if isinstance(r[c], float) and math.isnan(r[c]) else
                    (f"{r[c]:.5g}" if isinstance(r[c], float) else r[c]) for c in columns])
    import os
    tmp = f"{path}.{os.getpid()}.tmp"
    with gzip.open(tmp, "wt", compresslevel=9) as f:
        f.write(buf.getvalue())
    os.replace(tmp, path)            # whole or absent: a kill or a second writer never leaves half a file


def read_rows(path) -> list[dict]:
    with gzip.open(path, "rt") as f:
        return [{k: (math.nan if v == "" else float(v)) for k, v in r.items()} for r in csv.DictReader(f)]


def _decay_job(args):
    cfg, genome, goal, generations, seed, path = args
    rows = decay(cfg, genome, goal, generations, seed)
    write_rows(path, rows)
    return path


def decay_campaign(out, condition: str, dest, goal: str = "G1", generations: int = 1000, workers: int = 1,
                   start=None, seeds=None, overrides=()) -> list:
    """``decay`` from each finished run's best circuit for ``goal`` (``best/GOAL.json``, when it is
    perfect), or from ``start`` (a genome) for each seed in ``seeds``, with the settings of
    ``condition`` of campaign ``out`` (plus ``overrides``, ``KEY=VALUE`` strings as ``--set``); one
    ``decay_seed_NNN.csv.gz`` per start in ``dest``. Runs that exist are kept (resumable)."""
    import multiprocessing as mp
    import os
    from concurrent.futures import ProcessPoolExecutor
    from pathlib import Path

    from kashtan.configuration import config
    from kashtan.running.runner import THREAD_VARS
    plan = rundir.read_campaign(out)
    if condition not in plan["conditions"]:
        raise rundir.RunError(f"{out}: no condition {condition!r}; it has {', '.join(plan['conditions'])}")
    cfg = copy.deepcopy(plan["conditions"][condition])
    for text in overrides:
        cfg = config.merge(cfg, config.parse_override(text))
    cfg = config.check(cfg)
    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    jobs = []
    for s in (plan["seeds"] if seeds is None else seeds):
        path = dest / f"decay_seed_{s:03d}.csv.gz"
        if path.exists():
            continue
        if start is None:
            d = rundir.seed_dir(out, condition, s)
            best = rundir.best_file(d, goal)
            if not rundir.is_finished(d) or not best.exists():
                continue
            genome, _, _, meta = rundir.read_genome(best)
            if not meta.get("perfect", meta.get("fitness", 0) >= 1):
                continue
        else:
            genome = np.asarray(start)
        jobs.append((cfg, genome, goal, generations, 30_000 + s, path))
    for var in THREAD_VARS:
        os.environ.setdefault(var, "1")
    if workers > 1 and len(jobs) > 1:
        with ProcessPoolExecutor(workers, mp_context=mp.get_context("spawn")) as pool:
            return list(pool.map(_decay_job, jobs))
    return [_decay_job(j) for j in jobs]


def read_decay(dest) -> list[list[dict]]:
    """Every population's rows in a decay directory (``decay_seed_*.csv.gz``), by seed."""
    from pathlib import Path
    return [read_rows(p) for p in sorted(Path(dest).glob("decay_seed_*.csv.gz"))]


def decay_summary(dest, level: float, runs=None) -> dict:
    """Per start, generations until the best's Q and the population's median Q fall halfway from
    their start to ``level`` (the fixed-goal Q), censored at the last generation, and their
    values at generations 0, 50, 1000 (or the last). ``runs``: ``read_decay(dest)`` if read already."""
    runs = read_decay(dest) if runs is None else runs
    out = {"runs": len(runs), "level": level}
    if not runs:
        return out
    last = int(runs[0][-1]["generation"])
    for col in ("best_q", "q_median", "q_mean"):
        times = [halfway(r, col, level) for r in runs]
        done = [t for t in times if t is not None]
        out[col] = {"halfway": f"{len(done)}/{len(times)}", "km_median": km_median_of(times, last),
                    **{f"at_{g}": float(np.nanmean([r[min(g, last)][col] for r in runs])) for g in (0, 50, last)}}
    for col in ("best_qm", "qm_median"):
        out[col] = {f"at_{g}": float(np.nanmean([r[min(g, last)][col] for r in runs])) for g in (0, 50, last)
                    if not all(math.isnan(r[min(g, last)][col]) for r in runs)}
    return out
