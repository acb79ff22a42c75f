"""Running seeds and campaigns, in parallel processes, resumably.

A campaign directory (layout: kashtan.running.rundir) holds ``campaign.json`` and one
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

from evo import checkpoint
from kashtan.configuration import build
from kashtan.running import rundir
from kashtan.configuration.config import ConfigError
from kashtan.running.rundir import RunError, seed_dir, unfinished
from kashtan.running.seed import THREAD_VARS, _final_goal, _write_final, generations, run_seed  # noqa: F401  (runner.run_seed)
from kashtan.running.stopping import _STOP, Stopped, _on_signal, _stop_workers, stopping  # noqa: F401  (runner.stopping)

# Worker processes each run one seed on one core: keep numeric libraries from
# starting thread pools of their own, which would oversubscribe the cores.
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
