"""Campaigns on a Dask LocalCluster (kashtan/running/cluster.py): the same records as the local pool, and a
killed client or a lost worker costs at most a checkpoint interval."""
import json
from pathlib import Path

import numpy as np
import pytest

distributed = pytest.importorskip("distributed")

from kashtan import cli  # noqa: E402
from kashtan.running import cluster  # noqa: E402

SETS = ["--set", "stop.when_solved=false", "--set", "stop.max_generations=230", "--set", "record.checkpoint_every=50"]


def rows(d: Path):
    lines = (d / "generations.csv").read_text().splitlines()
    return [ln.rsplit(",", 1)[0] for ln in lines]            # elapsed (the last column) aside


def same_seed(a: Path, b: Path):
    assert rows(a) == rows(b)
    assert (a / "qdist.jsonl").read_text() == (b / "qdist.jsonl").read_text()
    assert np.array_equal(np.load(a / "final_population.npy"), np.load(b / "final_population.npy"))
    for name in ["final_best.json"] + [f"best/{p.name}" for p in (b / "best").glob("*.json")]:
        assert (a / name).read_bytes() == (b / name).read_bytes(), name
    ra, rb = (json.loads((d / "result.json").read_text()) for d in (a, b))
    ra.pop("elapsed"), rb.pop("elapsed")
    assert ra == rb


@pytest.fixture(scope="module")
def scheduler():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as c:
        yield c


def test_cluster_records_equal_the_local_pool(tmp_path, scheduler):
    local, remote = tmp_path / "local", tmp_path / "remote"
    assert cli.main(["run", "tests/data/tiny.toml", "--out", str(local), "--seeds", "2", "--workers", "1",
                     "--no-progress", *SETS]) == 0
    assert cli.main(["run", "tests/data/tiny.toml", "--out", str(remote), "--seeds", "2", "--no-progress",
                     "--cluster", scheduler.scheduler_address, *SETS]) == 0
    for c in ("fixed", "mvg"):
        for s in range(2):
            same_seed(remote / c / f"seed_{s:03d}", local / c / f"seed_{s:03d}")


def test_a_killed_client_resumes_from_its_checkpoints(tmp_path, scheduler):
    local, remote = tmp_path / "local", tmp_path / "remote"
    assert cli.main(["run", "tests/data/tiny.toml", "--out", str(local), "--seeds", "1", "--workers", "1",
                     "--conditions", "mvg", "--no-progress", *SETS]) == 0
    # the client is killed after two intervals: the campaign directory holds a checkpoint at 100
    calls = {"n": 0}
    real = cluster._apply

    def dying(*a, **k):
        calls["n"] += 1
        if calls["n"] == 3:
            raise KeyboardInterrupt
        return real(*a, **k)
    cluster._apply = dying
    try:
        cli.main(["run", "tests/data/tiny.toml", "--out", str(remote), "--seeds", "1", "--conditions", "mvg",
                  "--no-progress", "--cluster", scheduler.scheduler_address, *SETS])
    finally:
        cluster._apply = real
    seed = remote / "mvg" / "seed_000"
    assert not (seed / "result.json").exists() and len(rows(seed)) == 101      # header + generations 0..99
    assert cli.main(["resume", str(remote), "--no-progress", "--cluster", scheduler.scheduler_address]) == 0
    same_seed(seed, local / "mvg" / "seed_000")


def test_an_unreachable_scheduler_is_a_clear_error(tmp_path, capsys):
    rc = cli.main(["run", "tests/data/tiny.toml", "--out", str(tmp_path / "x"), "--seeds", "1", "--no-progress",
                   "--cluster", "tcp://127.0.0.1:1", *SETS])
    assert rc == 2 and "cannot reach the scheduler" in capsys.readouterr().err
    assert not (tmp_path / "x" / "campaign.json").exists()          # the same command can simply be run again


def test_a_scheduler_without_workers_is_named_not_waited_on(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(cluster, "WAIT_FOR_WORKERS", 3.0)
    with distributed.LocalCluster(n_workers=0, processes=False, dashboard_address=":0") as empty:
        rc = cli.main(["run", "tests/data/tiny.toml", "--out", str(tmp_path / "x"), "--seeds", "1", "--no-progress",
                       "--cluster", empty.scheduler_address, *SETS])
    assert rc == 2 and "has no workers" in capsys.readouterr().err


def test_killed_workers_lose_at_most_their_interval(tmp_path, scheduler):
    local, remote = tmp_path / "local", tmp_path / "remote"
    assert cli.main(["run", "tests/data/tiny.toml", "--out", str(local), "--seeds", "2", "--workers", "1",
                     "--no-progress", *SETS]) == 0
    client = distributed.Client(scheduler.scheduler_address)
    calls = {"n": 0}
    killed: set = set()
    real = cluster._apply

    def kill_workers_once(*a, **k):
        calls["n"] += 1
        if calls["n"] == 3:        # kill -9 every worker process mid-campaign; the nannies restart them
            import os
            import signal
            killed.update(client.run(os.getpid).values())
            for pid in killed:
                os.kill(pid, signal.SIGKILL)
        return real(*a, **k)
    cluster._apply = kill_workers_once
    try:
        assert cli.main(["run", "tests/data/tiny.toml", "--out", str(remote), "--seeds", "2", "--no-progress",
                         "--cluster", scheduler.scheduler_address, *SETS]) == 0
        assert killed and not killed & set(client.run(__import__("os").getpid).values())   # new processes
    finally:
        cluster._apply = real
        client.close()
    for c in ("fixed", "mvg"):
        for s in range(2):
            same_seed(remote / c / f"seed_{s:03d}", local / c / f"seed_{s:03d}")
