"""Ctrl-C and SIGTERM stop a campaign within seconds: running seeds checkpoint, queued seeds do
not start, the exit status is 130 (143), and resume finishes it with the records of an
uninterrupted run."""
import os
import signal
import subprocess
import sys
import time

import pytest

from kashtan.configuration import config
from kashtan.running import runner

ARGS = ["--set", "stop.max_generations=6000", "--set", "stop.when_solved=false", "--set",
        "record.checkpoint_every=2000", "--set", "ga.population=1000", "--set", "ga.select_args.elite=300"]


def _cut(path):
    return [ln.rsplit(",", 1)[0] for ln in path.read_text().splitlines()]


@pytest.mark.parametrize("sig, code", [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_a_signal_stops_the_campaign_and_resume_finishes_it(tmp_path, sig, code):
    out = tmp_path / "camp"
    env = dict(os.environ, PYTHONPATH=os.getcwd())
    proc = subprocess.Popen([sys.executable, "-m", "kashtan.cli", "run", "tests/data/tiny.toml", "--out", str(out),
                             "--seeds", "6", "--workers", "2", "--no-progress", "--conditions", "fixed", *ARGS],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    deadline = time.monotonic() + 120
    while not any(out.glob("fixed/seed_*/generations.csv")) and time.monotonic() < deadline:
        time.sleep(0.2)
    time.sleep(2)
    sent = time.monotonic()
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == code, err[-2000:]
    assert time.monotonic() - sent < 15
    assert "Traceback" not in err
    seeds = sorted(out.glob("fixed/seed_*"))
    stopped = [d for d in seeds if not (d / "result.json").exists()]
    assert stopped and all((d / "checkpoint.npz").exists() for d in stopped)
    assert len(seeds) < 6                            # queued seeds never started
    again = subprocess.run([sys.executable, "-m", "kashtan.cli", "resume", str(out), "--workers", "2", "--no-progress"],
                           capture_output=True, text=True, env=env, timeout=600)
    assert again.returncode == 0, again.stderr[-2000:]
    d = stopped[0]
    cfg = config.resolve(config.read_file("tests/data/tiny.toml"), "fixed", overrides=[a for a in ARGS if a != "--set"])
    whole = tmp_path / "whole"
    runner.run_seed(cfg, int(d.name[-3:]), whole)
    assert _cut(d / "generations.csv") == _cut(whole / "generations.csv")
