"""Campaigns on a Dask cluster, without a shared file system.

``kashtan run CONFIG --cluster ADDRESS`` (or ``resume DIR --cluster ADDRESS``) sends every
(condition, seed) to a running ``dask.distributed`` scheduler as a chain of tasks, each one
checkpoint interval (``record.checkpoint_every`` generations) long. A task gets the seed's
checkpoint, config and best genomes as bytes, runs the interval in a temporary directory on
its worker (``runner.run_seed(until=..., fragment=True)``) and returns what it wrote; the
client alone writes the campaign directory, appending the interval's records, then submits
the next interval. So workers need no access to the campaign directory, the records are those
of an uninterrupted local run, and a lost worker (Dask reruns its task elsewhere) or a killed
client (``kashtan resume DIR --cluster ADDRESS``) costs at most one checkpoint interval.

The local process pool stays the default; this needs ``pip install 'kashtan[cluster]'``
(dask.distributed). On an HPC queue, start the scheduler and workers with dask-jobqueue and
pass the scheduler's address (README, "Clusters").
"""
from __future__ import annotations

import os
import shutil
import tempfile
import time
from pathlib import Path

from kashtan.running import filechecks, rundir, runner

SENT = (rundir.CONFIG, rundir.CHECKPOINT)          # plus best/*.json


def _state(run_dir: Path) -> dict[str, bytes]:
    """What a worker needs to continue a seed: its config, checkpoint and best genomes."""
    files = {name: (run_dir / name).read_bytes() for name in SENT if (run_dir / name).exists()}
    for f in sorted((run_dir / rundir.BEST).glob("*.json")):
        files[f"{rundir.BEST}/{f.name}"] = f.read_bytes()
    return files


def run_interval(cfg: dict, seed: int, files: dict[str, bytes], until: int) -> dict[str, bytes]:
    """On a worker: continue the seed from ``files`` up to generation ``until`` (or its end) in a
    temporary directory; return every file it holds afterwards."""
    with tempfile.TemporaryDirectory(prefix="kashtan_task_") as tmp:
        d = Path(tmp)
        for name, data in files.items():
            (d / name).parent.mkdir(parents=True, exist_ok=True)
            (d / name).write_bytes(data)
        runner.run_seed(cfg, seed, d, until=until, fragment=True)
        return {str(p.relative_to(d)): p.read_bytes() for p in d.rglob("*") if p.is_file()}


def _apply(run_dir: Path, cfg: dict, start: int, files: dict[str, bytes]) -> bool:
    """Write a finished interval into the campaign directory; True when the seed is finished.
    Records: the local files cut back to ``start`` (the interval's checkpoint), then the
    interval's rows appended; result.json last, so a kill leaves a resumable seed."""
    run_dir.mkdir(parents=True, exist_ok=True)
    for name in (rundir.GENERATIONS, rundir.QDIST):
        rows = files.get(name, b"").decode().splitlines(keepends=True)
        if name == rundir.GENERATIONS:
            rows = rows[1:]                                  # the fragment's header
        if start == 0:
            head = ",".join(rundir.COLUMNS) + "\n" if name == rundir.GENERATIONS else ""
            (run_dir / name).write_text(head)
        else:
            _cut(run_dir / name, start)
        with open(run_dir / name, "a") as f:
            f.writelines(rows)
    for name, data in files.items():
        if name in (rundir.GENERATIONS, rundir.QDIST, rundir.RESULT):
            continue
        path = run_dir / name
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_bytes(data)
        os.replace(tmp, path)
    if rundir.RESULT not in files:
        return False
    tmp = run_dir / (rundir.RESULT + ".tmp")
    tmp.write_bytes(files[rundir.RESULT])
    os.replace(tmp, run_dir / rundir.RESULT)
    (run_dir / rundir.CHECKPOINT).unlink(missing_ok=True)
    return True


def _cut(path: Path, start: int) -> None:
    """Drop records of generations >= ``start`` that a killed client appended after its last
    checkpoint. This client wrote every line, so lines are counted, not re-validated: a full
    check per interval would make a long run quadratic (``kashtan summarize`` checks them)."""
    lines = path.read_text().splitlines(keepends=True) if path.exists() else []
    if path.name == rundir.QDIST:
        keep = [ln for ln in lines if filechecks.qdist_generation(ln) < start]
    else:
        if len(lines) - 1 < start:
            raise rundir.RunError(f"{path}: records end before the checkpoint's generation {start}")
        keep = lines[: start + 1]
    if len(keep) != len(lines):
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text("".join(keep))
        os.replace(tmp, path)


def _start(run_dir: Path) -> int:
    """The generation a seed continues from: its checkpoint's, or 0."""
    ck = run_dir / rundir.CHECKPOINT
    if not ck.exists():
        for stale in (rundir.GENERATIONS, rundir.QDIST):
            (run_dir / stale).unlink(missing_ok=True)
        if (run_dir / rundir.BEST).exists():
            shutil.rmtree(run_dir / rundir.BEST)
        return 0
    from evo import checkpoint
    return int(checkpoint.load(ck)[0]["generation"])


WAIT_FOR_WORKERS = 60.0     # seconds a campaign waits for the scheduler's first worker
LOG_EVERY = 60.0            # seconds between progress lines within seeds


def probe(address: str) -> None:
    """Fail at once when nothing listens at ``address`` (before a campaign is written)."""
    _probe(address)


def _probe(address: str) -> None:
    """Fail at once, not after the client's time-out, when nothing listens at a tcp:// address."""
    import socket
    from urllib.parse import urlsplit
    parts = urlsplit(address if "://" in address else "tcp://" + address)
    if parts.scheme not in ("tcp", "tls") or parts.port is None:
        return
    try:
        socket.create_connection((parts.hostname, parts.port), timeout=10).close()
    except OSError as e:
        raise rundir.RunError(f"--cluster {address}: cannot reach the scheduler ({e.strerror or e})") from None


def run_campaign(out, plan: dict, address: str, log=print) -> list[str]:
    """Run every unfinished seed of the plan on the Dask scheduler at ``address``; return one
    line per failed seed (as ``runner.run_campaign``)."""
    try:
        from distributed import Client, as_completed
    except ImportError:
        raise rundir.RunError("--cluster needs dask.distributed: pip install 'kashtan[cluster]'") from None
    out = Path(out)
    todo = rundir.unfinished(out, plan)
    failures: list[str] = []
    _probe(address)
    try:
        client = Client(address, timeout=30)
    except (OSError, TimeoutError) as e:
        raise rundir.RunError(f"--cluster {address}: cannot reach the scheduler ({e})") from None
    with client:
        try:
            client.wait_for_workers(1, timeout=WAIT_FOR_WORKERS)
        except (TimeoutError, OSError):
            raise rundir.RunError(f"--cluster {address}: the scheduler has no workers (waited {WAIT_FOR_WORKERS:.0f} s); "
                                  f"start some, e.g. `dask worker {address}`, then `kashtan resume {out} --cluster "
                                  f"{address}`") from None
        log(f"{len(client.scheduler_info().get('workers', {}))} worker(s) on the scheduler", flush=True)

        def submit(key):
            c, s = key
            d = rundir.seed_dir(out, c, s)
            cfg = plan["conditions"][c]
            start = _start(d)
            until = start + cfg["record"]["checkpoint_every"]
            # pure=False: a rerun after a lost worker must run, not be looked up
            fut = client.submit(run_interval, cfg, s, _state(d), until, pure=False, retries=3)
            starts[fut.key] = (key, start)
            return fut

        starts: dict = {}
        last = [time.monotonic()]
        pending = as_completed([submit(k) for k in todo])
        done = 0
        for fut in pending:
            key, start = starts.pop(fut.key)
            c, s = key
            try:
                files = fut.result()
                finished = _apply(rundir.seed_dir(out, c, s), plan["conditions"][c], start, files)
            except Exception as e:                          # noqa: BLE001 - one seed must not stop the rest
                failures.append(f"{c} seed {s}: {type(e).__name__}: {e}")
                continue
            if finished:
                done += 1
                log(f"{time.strftime('%H:%M:%S')} finished {c} seed {s} ({done}/{len(todo)})", flush=True)
            else:
                if time.monotonic() - last[0] > LOG_EVERY:          # progress within seeds, now and then
                    log(f"{time.strftime('%H:%M:%S')} {c} seed {s} at generation {_start(rundir.seed_dir(out, c, s)):,}",
                        flush=True)
                    last[0] = time.monotonic()
                pending.add(submit(key))
    return failures
