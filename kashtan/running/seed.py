"""One seed: run (or resume) it into its run directory, generation by generation, and write what
it leaves behind (records, checkpoints, best genomes, the final population, result.json). The
campaign runner (``kashtan.running.runner``), the cluster workers and the Python API all go through
``generations`` (``run_seed`` drives it to the end)."""
from __future__ import annotations

import time
from pathlib import Path

import numpy as np

from evo import checkpoint
from kashtan.configuration import build
from kashtan.running import filechecks, rundir
from kashtan.configuration.config import ConfigError, check, dumps
from kashtan.running.rundir import Recorder, RunError
from kashtan.running.stopping import _STOP, Stopped

THREAD_VARS = ("NUMBA_NUM_THREADS", "OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


def _genome_stats(evo, genome) -> dict:
    return {"q": evo.problem.q(genome), "qm": evo.problem.qm(genome), "effective": evo.problem.size(genome)}


def _meta(cfg, seed, **more) -> dict:
    return {**more, "seed": seed, "condition": cfg["condition"], "goals": cfg["goals"], "goal_defs": cfg["goal_defs"]}


def _save_best(evo, cfg, seed, run_dir: Path) -> None:
    (run_dir / rundir.BEST).mkdir(exist_ok=True)
    for name, (perfect, fitness, generation, genome) in evo.best_per_goal.items():
        meta = _meta(cfg, seed, goal=name, perfect=perfect, fitness=fitness, generation=generation)
        evo.problem.save(rundir.best_file(run_dir, name), genome, cfg["circuit"]["inputs"], meta)


def _write_final(prob, pop, goal, cfg, seed, generation: int, run_dir: Path, rule=rundir.FINAL_RULE):
    """Write final_best.json (``rule``); return its row and the population's scores."""
    scores = prob.evaluate(pop, goal)
    i = rundir.final_index(scores.fitness, seed)
    meta = _meta(cfg, seed, goal=goal.name, perfect=bool(scores.perfect[i]), fitness=float(scores.fitness[i]),
                 generation=generation, rule=rule)
    prob.save(Path(run_dir) / rundir.FINAL_BEST, pop[i], cfg["circuit"]["inputs"], meta)
    return i, scores


def _final_goal(cfg, schedule, generations: int):
    name = cfg["record"]["final_goal"]
    return build.goals(cfg)[name] if name else schedule.goal_at(max(generations - 1, 0))


def _final_population(evo, goal):
    """``(generation, population, rule)`` to choose the final best from: the last population,
    unless the run stopped in another goal's epoch -- then the one the final goal's last epoch left."""
    last = evo.generation - 1
    if evo.held is not None and not evo.schedule.goal_at(max(last, 0)).asks_as(goal):
        return (*evo.held, rundir.FINAL_RULE + rundir.HELD_RULE)
    return last, evo.pop, rundir.FINAL_RULE


def _save_final(evo, cfg, seed, run_dir: Path) -> dict:
    """Write the final best genome; return its line of result.json."""
    goal = _final_goal(cfg, evo.schedule, evo.generation)
    generation, pop, rule = _final_population(evo, goal)
    i, scores = _write_final(evo.problem, pop, goal, cfg, seed, generation, run_dir, rule)
    return {"goal": goal.name, "fitness": float(scores.fitness.max()),
            **_genome_stats(evo, pop[i]), "accuracy_all": evo.problem.accuracy(pop[i], goal)}


def _differences(a, b, prefix=""):
    for k in sorted(set(a) | set(b)):
        if isinstance(a.get(k), dict) and isinstance(b.get(k), dict):
            yield from _differences(a[k], b[k], f"{prefix}{k}.")
        elif a.get(k) != b.get(k):
            yield f"{prefix}{k}"


def _same_run(cfg: dict, seed: int, run_dir: Path) -> None:
    """Refuse to continue or return a run made with another config or seed."""
    path = run_dir / rundir.CONFIG
    if not path.exists():
        return
    stored = rundir.read_json(path, "seed config")
    if not isinstance(stored, dict):
        raise RunError(f"{path}: not a config (a JSON object)")
    old_seed = stored.pop("seed", None)
    try:
        old = check(rundir.with_legacy(stored))   # keys added since take their defaults, as in resume
    except (ConfigError, RecursionError) as e:
        raise RunError(f"{path}: {e}") from None
    diff = list(_differences(old, check({k: v for k, v in cfg.items() if k != "seed"})))
    if old_seed != seed or diff:
        what = f"seed {old_seed}" if old_seed != seed else f"{', '.join(diff[:3])}"
        raise RunError(f"{run_dir} holds a run with another config ({what} differ); choose another directory")


def identity(cfg: dict, seed: int, run_dir) -> dict:
    """What a checkpoint must match to be resumed here: the seed, the condition, and a hash of the
    seed's config.json (written once when the seed starts, so the hash stays put across versions)."""
    import hashlib
    path = Path(run_dir) / rundir.CONFIG
    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:16] if path.exists() else None
    return {"seed": seed, "condition": cfg.get("condition"), "config": digest}


def generations(cfg: dict, seed: int, run_dir, progress=None, threads: int = 1, until: int | None = None,
                fragment: bool = False, live: dict | None = None):
    """Run (or resume) one seed into ``run_dir`` generation by generation: a generator that yields
    each generation's record (a dict of ``rundir.COLUMNS``) once it is written and its bookkeeping
    done, and returns the seed's result. Closing it before the end leaves every record written and
    a checkpoint to resume from. ``threads``: Numba threads scoring its population (networks; the
    results do not depend on it).

    For a cluster worker (``kashtan.running.cluster``): ``until`` stops at that generation with a
    checkpoint and returns None unless the run ended first; ``fragment`` resumes from the
    checkpoint without earlier records, writing only the records from it on. ``live``, if given,
    receives the running ``Evolution`` under "evolution" (to look at its population between steps)."""
    run_dir = Path(run_dir)
    run_dir.mkdir(parents=True, exist_ok=True)
    rundir._no_links(run_dir, [rundir.BEST, rundir.CHECKPOINT, rundir.GENERATIONS, rundir.QDIST, rundir.CONFIG,
                               rundir.RESULT, rundir.FINAL_BEST, rundir.FINAL_POPULATION, rundir.ERROR])
    _same_run(cfg, seed, run_dir)
    if rundir.is_finished(run_dir):
        return rundir.read_result(run_dir)
    evo = build.evolution(cfg, seed, threads)
    if live is not None:
        live["evolution"] = evo
    (run_dir / rundir.ERROR).unlink(missing_ok=True)     # from an earlier, failed attempt
    ck = run_dir / rundir.CHECKPOINT
    extra: dict = {}
    if ck.exists():
        extra = checkpoint.restore(ck, evo, identity(cfg, seed, run_dir))
        filechecks.check_extra(extra, ck)
        if fragment:
            for stale in (rundir.GENERATIONS, rundir.QDIST):
                (run_dir / stale).unlink(missing_ok=True)
        else:
            Recorder(run_dir).truncate(evo.generation, filechecks.goal_names(cfg))
    else:
        for stale in (rundir.GENERATIONS, rundir.QDIST):
            (run_dir / stale).unlink(missing_ok=True)
        (run_dir / rundir.CONFIG).write_text(dumps({**cfg, "seed": seed}) + "\n")
    rec = Recorder(run_dir)
    ident = identity(cfg, seed, run_dir)

    def save(elapsed: float) -> None:
        checkpoint.save(ck, evo, {"elapsed": elapsed, "at_solution": at_solution}, ident)
    stop, every = cfg["stop"], cfg["record"]
    elapsed0 = extra.get("elapsed", 0.0)
    at_solution = extra.get("at_solution")
    t0 = time.perf_counter()
    last_report = 0.0
    row = None
    def ended() -> bool:
        return evo.generation >= stop["max_generations"] or (
            stop["when_solved"] and evo.solved and evo.generation > evo.tracker.solved_at + stop["after_solved"])
    while not ended() and (until is None or evo.generation < until):
        was_solved = evo.solved
        row = evo.step()
        row["elapsed"] = elapsed0 + time.perf_counter() - t0
        rec.row(row)
        g = row["generation"]
        if every["qdist_every"] and g % every["qdist_every"] == 0:
            rec.qdist(g, evo.q_distribution())
        if evo.solved and not was_solved:
            goal = evo.schedule.goal_at(g)
            at_solution = {"generation": g, "goal": row["goal"], **_genome_stats(evo, evo.solution),
                           "accuracy_all": evo.problem.accuracy(evo.solution, goal)}
        if evo.generation % every["checkpoint_every"] == 0:
            rec.flush()
            save(row["elapsed"])
        if progress is not None and row["elapsed"] - last_report > 0.5:
            progress(evo.generation)
            last_report = row["elapsed"]
        if _STOP["signal"] is not None and not ended():
            rec.flush()
            save(row["elapsed"])
            raise Stopped(_STOP["signal"])
        try:
            yield dict(row)
        except GeneratorExit:                # the caller stops here: keep what was done
            if not ended():
                rec.flush()
                save(row["elapsed"])
                raise
            break                            # the last generation: finish the seed as usual
    rec.flush()
    if not ended():                      # stopped at ``until``: leave a checkpoint to go on from
        save(row["elapsed"] if row else elapsed0)
        return None
    np.save(run_dir / rundir.FINAL_POPULATION, evo.pop)
    _save_best(evo, cfg, seed, run_dir)
    result = {
        "condition": cfg["condition"], "seed": seed, "generations": evo.generation,
        "solved": evo.solved, "solved_at": evo.tracker.solved_at, "first_perfect": evo.tracker.first_perfect,
        "at_solution": at_solution,
        "final": _save_final(evo, cfg, seed, run_dir),
        "elapsed": row["elapsed"] if row else elapsed0,
    }
    rundir.write_result(run_dir, result)
    ck.unlink(missing_ok=True)
    if progress is not None:
        progress(evo.generation)
    return result


def run_seed(cfg: dict, seed: int, run_dir, progress=None, threads: int = 1, on_generation=None,
             until: int | None = None, fragment: bool = False) -> dict | None:
    """Run (or resume) one seed into ``run_dir`` (``generations`` to the end); return its result.
    ``on_generation(record)``, if given, is called after every generation; if it returns False the
    run stops with its records and a checkpoint kept and ``Stopped("callback")`` is raised (the same
    call resumes it), and if it raises, the run stops the same way and the exception propagates."""
    gen = generations(cfg, seed, run_dir, progress, threads, until, fragment)
    while True:
        try:
            row = next(gen)
        except StopIteration as done:
            return done.value
        if on_generation is None:
            continue
        try:
            answer = on_generation(row)
        except BaseException:
            gen.close()
            raise
        if answer is False:
            gen.close()
            if rundir.is_finished(run_dir):
                return rundir.read_result(run_dir)
            raise Stopped("callback")
