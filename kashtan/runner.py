"""Running seeds and campaigns, in parallel processes, resumably.

A campaign directory (layout: kashtan.rundir) holds ``campaign.json`` and one
directory per condition and seed. A seed is finished when its ``result.json``
exists; an unfinished seed resumes from its last checkpoint, and continues exactly
as it would have without the interruption (elapsed times aside).
"""
from __future__ import annotations

import multiprocessing as mp
import os
import queue
import time
import traceback
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from pathlib import Path

import numpy as np

from evo import checkpoint
from kashtan import build, filechecks, rundir
from kashtan.config import ConfigError, check, dumps
from kashtan.rundir import Recorder, RunError, seed_dir, unfinished
from kashtan.stopping import _STOP, Stopped, _on_signal, _stop_workers, stopping  # noqa: F401  (runner.stopping)

# Worker processes each run one seed on one core: keep numeric libraries from
# starting thread pools of their own, which would oversubscribe the cores.
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
        old = check(stored)                       # keys added since take their defaults, as in resume
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


def run_seed(cfg: dict, seed: int, run_dir, progress=None, threads: int = 1, on_generation=None,
             until: int | None = None, fragment: bool = False) -> dict | None:
    """Run (or resume) one seed into ``run_dir``; return its result. ``threads``: Numba threads
    scoring its population (networks; the results do not depend on it). ``on_generation``, if
    given, is called with each generation's record (a dict of ``rundir.COLUMNS``) as it is written.

    For a cluster worker (``kashtan.cluster``): ``until`` stops at that generation with a
    checkpoint and returns None unless the run ended first; ``fragment`` resumes from the
    checkpoint without earlier records, writing only the records from it on."""
    run_dir = Path(run_dir)
    run_dir.mkdir(parents=True, exist_ok=True)
    rundir._no_links(run_dir, [rundir.BEST, rundir.CHECKPOINT, rundir.GENERATIONS, rundir.QDIST, rundir.CONFIG,
                               rundir.RESULT, rundir.FINAL_BEST, rundir.FINAL_POPULATION, rundir.ERROR])
    _same_run(cfg, seed, run_dir)
    if rundir.is_finished(run_dir):
        return rundir.read_result(run_dir)
    evo = build.evolution(cfg, seed, threads)
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
        if on_generation is not None:
            on_generation(dict(row))
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


# ---- campaigns -------------------------------------------------------------

def backfill(out) -> int:
    """Write final_best.json for finished seeds of campaigns from before it existed (same
    rule, from final_population.npy); return how many were written."""
    plan = rundir.read_campaign(out)
    written = 0
    for c, s in rundir.jobs_of(plan):
        d = seed_dir(out, c, s)
        if not rundir.is_finished(d) or (d / rundir.FINAL_BEST).exists():
            continue
        cfg, result = plan["conditions"][c], rundir.read_result(d)
        goal = _final_goal(cfg, build.schedule(cfg, s), result["generations"])
        _write_final(build.problem(cfg), rundir.read_population(d, cfg), goal, cfg, s,
                     result["generations"] - 1, d)
        written += 1
    return written


_PROGRESS = None      # in a worker: the queue its progress goes to


def _start_worker(parent: int, progress) -> None:
    """In a worker: keep the progress queue, and exit when the campaign's process is gone
    (killed -9, it cannot tell its workers) instead of writing on for the rest of the seed."""
    global _PROGRESS
    _PROGRESS = progress
    import signal
    import threading
    _STOP["in_seed"] = False
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, _on_signal)

    def watch():
        while True:
            time.sleep(1.0)
            if os.getppid() != parent:
                os._exit(1)
    threading.Thread(target=watch, daemon=True).start()


def _worker(cfg, seed, run_dir, key, threads):
    if _STOP["signal"] is not None:
        raise Stopped(_STOP["signal"])
    _STOP["in_seed"] = True
    try:
        return _guarded(cfg, seed, run_dir, key, lambda generation: _PROGRESS.put((key, generation)), threads)
    finally:
        _STOP["in_seed"] = False


def _guarded(cfg, seed, run_dir, key, progress, threads=1):
    """run_seed with every failure turned into a one-line RunError (a traceback goes to error.txt)."""
    try:
        return run_seed(cfg, seed, run_dir, progress, threads)
    except (ConfigError, checkpoint.CheckpointError, RunError) as e:       # found and named by kashtan
        raise RunError(str(e)) from None
    except OSError as e:               # the machine: disk full, read-only, a path too long
        raise RunError(f"{os_error(e)}; the seed's last checkpoint is kept: `kashtan resume` once it is fixed") from None
    except Exception:
        try:
            (Path(run_dir) / rundir.ERROR).write_text(traceback.format_exc())
        except OSError:
            raise RunError(f"crashed ({traceback.format_exc(limit=1).strip().splitlines()[-1]}); the traceback "
                           "could not be written either") from None
        raise RunError(f"crashed; traceback in {Path(run_dir) / rundir.ERROR}") from None


def os_error(e: OSError) -> str:
    """An OSError as one line: what failed, on which file, in the system's words."""
    where = f" {e.filename}" if e.filename else ""
    return f"cannot use{where}: {e.strerror or e}"


def share_cores(workers: int | None, threads: int | None, jobs: int, cores: int | None = None) -> tuple[int, int]:
    """Worker processes (one seed each) and Numba threads per seed. Unset, workers fill the
    cores first (seeds are independent, so that scales best) and threads take what is left
    when there are fewer seeds than cores (``bench/threads.py``: 1.5x at population 1000).
    ``--workers N`` without ``--threads`` uses N cores (one thread each)."""
    cores = cores or rundir.cores()
    for name, n in (("workers", workers), ("threads", threads)):
        if n is not None and n < 1:
            raise RunError(f"--{name} must be at least 1, got {n}")
    budget = cores if workers is None else min(workers, cores)   # --workers N alone means N cores
    if workers is None:
        workers = max(1, cores // (threads or 1))
    workers = max(1, min(workers, jobs))
    if threads is None:
        threads = max(1, budget // workers)
    if workers * threads > cores:
        raise RunError(f"{workers} worker(s) x {threads} thread(s) would oversubscribe the {cores} cores "
                       f"and slow every seed; lower --workers or --threads")
    return workers, threads


LOG_EVERY = 60.0      # seconds between progress lines when there is no bar


def run_campaign(out, plan: dict, workers: int = 1, show_progress: bool = True, threads: int = 1) -> list[str]:
    """Run every unfinished (condition, seed) of the plan; return one line per failed seed."""
    out = Path(out)
    todo = unfinished(out, plan)
    for var in THREAD_VARS:
        os.environ.setdefault(var, "1")
    # spawned workers size Numba's pool from this at import; the parent's pool is already sized
    os.environ["NUMBA_NUM_THREADS"] = str(threads)
    caps = {(c, s): plan["conditions"][c]["stop"]["max_generations"] for c, s in todo}
    bar = _bar(sum(caps.values()), len(todo), show_progress)
    seen = {k: 0 for k in todo}
    failures: list[str] = []
    total, last_line = sum(caps.values()), [time.monotonic()]

    def advance(key, generation):
        step = generation - seen[key]
        if step > 0:
            seen[key] = generation
            bar.update(step)
        if not show_progress and time.monotonic() - last_line[0] >= LOG_EVERY:
            # no bar (a log file): a plain line now and then, so a batch log shows life
            last_line[0] = time.monotonic()
            running = sum(1 for k in seen if 0 < seen[k] < caps[k])
            print(f"{time.strftime('%H:%M:%S')} {sum(seen.values()):,} of at most {total:,} generations "
                  f"({running} seed(s) running)", flush=True)

    def finish(key):
        advance(key, caps[key])          # a seed that stopped early (solved) fills its share of the bar
        done = sum(1 for k in seen if seen[k] >= caps[k])
        bar.set_postfix_str(f"seeds done {done}/{len(todo)}")
        if not show_progress:            # no bar (a log file): one line per finished seed
            print(f"{time.strftime('%H:%M:%S')} finished {key[0]} seed {key[1]} ({done}/{len(todo)})", flush=True)

    if workers <= 1:
        for key in todo:
            if _STOP["signal"] is not None:
                raise Stopped(_STOP["signal"])
            c, s = key
            try:
                _guarded(plan["conditions"][c], s, seed_dir(out, c, s), key, lambda g, k=key: advance(k, g), threads)
            except RunError as e:
                failures.append(f"{c} seed {s}: {e}")
            finish(key)
        bar.close()
        return failures
    ctx = mp.get_context("spawn")            # Numba's threading layers are not fork-safe
    q = ctx.Queue()                          # handed to each worker at its start (no manager process)
    with ProcessPoolExecutor(workers, mp_context=ctx, initializer=_start_worker, initargs=(os.getpid(), q)) as pool:
        futures = {pool.submit(_worker, plan["conditions"][c], s, seed_dir(out, c, s), (c, s), threads): (c, s)
                   for c, s in todo}
        pending = set(futures)
        try:
            while pending:
                if _STOP["signal"] is not None:
                    _stop_workers(pool, pending)
                    raise Stopped(_STOP["signal"])
                finished, pending = wait(pending, timeout=0.5, return_when=FIRST_COMPLETED)
                _drain(q, advance)
                for f in finished:
                    c, s = futures[f]
                    try:
                        f.result()
                    except Exception as e:            # noqa: BLE001 - one seed's failure must not stop the rest
                        failures.append(f"{c} seed {s}: {e}")
                    finish((c, s))
        except KeyboardInterrupt:
            _stop_workers(pool, pending)
            raise
    bar.close()
    return failures


def _drain(q, advance):
    while True:
        try:
            key, generation = q.get_nowait()
        except queue.Empty:
            return
        advance(tuple(key), generation)


def _bar(total, seeds, show):
    from tqdm import tqdm
    return tqdm(total=total, unit="gen", unit_scale=True, disable=not show, smoothing=0.05,
                desc=f"{seeds} seeds", dynamic_ncols=True)
