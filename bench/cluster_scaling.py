"""Seeds per minute: the local process pool against a Dask LocalCluster, with 1 and 2 workers.

    python bench/cluster_scaling.py [--seeds 4] [--generations 20000] [--interval 2000]

Each configuration runs the same campaign (tests/data/tiny.toml's two conditions, no stop at
the solution, a checkpoint and so a Dask task every ``--interval`` generations) into a fresh
directory; the table gives wall time and seeds per minute. Run it on an otherwise idle machine.
"""
from __future__ import annotations

import argparse
import contextlib
import io
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from kashtan import cli  # noqa: E402


def campaign(out, seeds, generations, extra, interval=2000):
    argv = ["run", "tests/data/tiny.toml", "--out", str(out), "--seeds", str(seeds), "--no-progress",
            "--set", "stop.when_solved=false", "--set", f"stop.max_generations={generations}",
            "--set", f"record.checkpoint_every={interval}", *extra]
    t = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()):
        assert cli.main(argv) == 0
    return time.perf_counter() - t


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--seeds", type=int, default=4)
    p.add_argument("--generations", type=int, default=20000)
    p.add_argument("--interval", type=int, default=2000, help="record.checkpoint_every: generations per Dask task")
    a = p.parse_args()
    from distributed import LocalCluster
    n = 2 * a.seeds
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        campaign(Path(tmp) / "warm", 1, 50, ["--workers", "1"])          # compile once
        for workers in (1, 2):
            t = campaign(Path(tmp) / f"local{workers}", a.seeds, a.generations, ["--workers", str(workers)], a.interval)
            rows.append((f"local pool, {workers} worker(s)", t))
            with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None) as c:
                t = campaign(Path(tmp) / f"dask{workers}", a.seeds, a.generations, ["--cluster", c.scheduler_address],
                             a.interval)
            rows.append((f"Dask LocalCluster, {workers} worker(s)", t))
    print(f"{n} seeds x {a.generations} generations, {a.interval} per task (tiny.toml: population 100, 12 gates)\n")
    print("| execution | wall time (s) | seeds per minute |\n|---|---|---|")
    for name, t in rows:
        print(f"| {name} | {t:.1f} | {60 * n / t:.1f} |")


if __name__ == "__main__":
    main()
