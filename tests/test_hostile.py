"""Hostile input (issue 9's fuzzing classes): each gives a one-line error naming the problem,
never a traceback, a hang or a silent acceptance."""
import subprocess
import sys

import pytest

from kashtan.configuration import build, config

KASHTAN = [sys.executable, "-m", "kashtan.cli"]
BASE = open("tests/data/tiny.toml").read()


def run(tmp_path, text, *extra):
    path = tmp_path / "c.toml"
    path.write_bytes(text if isinstance(text, bytes) else text.encode())
    return subprocess.run(KASHTAN + ["run", str(path), "--out", str(tmp_path / "out"), "--no-progress", *extra],
                          capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("text, message", [
    (b"name = \"\xff\xfe\"\n", "not UTF-8"),
    ("x = " + "[" * 3000 + "]" * 3000 + "\n", "nested too deeply|not valid TOML"),
    (BASE + '\n[goal_defs]\nA = 5\n', "'goal_defs.A' must be an expression"),
    (BASE.replace('[conditions.fixed]', '[conditions]\na = 5\n[conditions.fixed]'), "must hold tables"),
    (BASE + '\n[paper.fixed]\nqm = [1, 2]\n', "'paper.fixed.qm' must be a string or a finite number"),
    (BASE.replace('inputs = ["X", "Y", "Z", "W"]', 'inputs = [1, 2, 3, 4]'), "'circuit.inputs' must be a list of input names"),
    (BASE.replace('G1 = "(X ^ Y) & (W ^ Z)"', 'G1 = "' + "(" * 400 + "X" + ")" * 400 + '"'), "nested too deeply"),
    (BASE.replace('G1 = "(X ^ Y) & (W ^ Z)"', 'G1 = "' + " ^ ".join(["X"] * 20000) + '"'), "characters"),
])
def test_bad_config_files(tmp_path, text, message):
    p = run(tmp_path, text)
    assert p.returncode == 2 and "Traceback" not in p.stderr, p.stderr
    assert p.stderr.startswith("kashtan: error:") and len(p.stderr.strip().splitlines()) == 1
    import re
    assert re.search(message, p.stderr), p.stderr
    assert not (tmp_path / "out").exists()            # nothing written


@pytest.mark.parametrize("override, message", [
    ("net:ga.select_args.probs=[1.0, 1.5]", r"probabilities in \[0, 1\]"),
    ("net:ga.select_args.probs=[1.0]", "must list 2 probabilities"),
    ("net:network.layers=[8, 0, 1]", "network.layers"),
    ("net:network.coordinates=[[0, 0]]", "23 \\(x, y\\) pairs"),
    ("net:network.cost=\"wiring\"", "'network.cost'"),
    ("net:network.patterns=300", "only 256 patterns"),
    ("net:ga.mutate_args.ad=0.1", "did you mean 'add'"),
    ("schedule.order=[\"a\"]", "goal indices"),
    ("schedule.pairs=[5]", "pairs of module names"),
    ("network.bias_range=[2, -2]", "bias_range"),
    ("network.bias_range=[]", "bias_range"),
    ("network.init_connections=0", "init_connections"),
    ("network.neuron_penalty=nan", "neuron_penalty"),
    ("fitness.size_penalty=inf", "size_penalty"),
    ("network.coordinates=[[1e308, 0]]", "coordinates"),
    ("ga.population=1000000000000000000", "at most"),
    ("circuit.outputs=1000000000000000000", "at most"),
    ("record.qm_random=1000000000000000000", "at most"),
    ("ga.mutate_args={rate=true}", "probability"),
])
def test_bad_values(override, message):
    net = override.startswith("net:")        # network settings: the network test config
    raw = config.read_file("tests/data/tiny_net.toml" if net else "tests/data/tiny.toml")
    with pytest.raises(config.ConfigError, match=message):
        build.evolution(config.resolve(raw, "pcc" if net else "mvg", overrides=[override.removeprefix("net:")]), 0)


@pytest.mark.parametrize("overrides, message", [
    (["ga.mate=deap.cxBlend", "ga.mate_args={alpha=100.0}"], "not integers|outside"),
    (["ga.mutate=deap.mutGaussian", "ga.mutate_args={mu=0.0, sigma=3.0, indpb=0.5}"], "not integers"),
    (["ga.mate=deap.selBest"], "crossover operator 'selBest'"),
])
def test_deap_operators_that_would_corrupt_genomes_fail_at_start(overrides, message):
    raw = config.read_file("tests/data/tiny.toml")
    with pytest.raises(config.ConfigError, match=message):
        build.evolution(config.resolve(raw, "mvg", overrides=overrides), 0)


@pytest.mark.parametrize("args, message", [
    (["--seeds", ""], "--seeds"),
    (["--seeds", "0-1e30"], "--seeds"),
    (["--seeds", "99999999999"], "--seeds"),
])
def test_bad_seed_lists(tmp_path, args, message):
    p = run(tmp_path, BASE, *args)
    assert p.returncode == 2 and message in p.stderr and "Traceback" not in p.stderr, p.stderr


def test_integers_beyond_int64_arithmetic_are_refused():
    raw = config.read_file("tests/data/tiny.toml")
    with pytest.raises(config.ConfigError, match="fitness.size_threshold' = 9223372036854775808 is out of range"):
        config.resolve(raw, "mvg", overrides=["fitness.size_threshold=9223372036854775808"])


@pytest.mark.parametrize("damage, message", [
    (lambda d: (d / "result.json").write_text("{not json"), "not valid JSON"),
    (lambda d: (d / "result.json").write_text('{"seed": 0}'), "'generations' missing"),
    (lambda d: (d / "result.json").write_text("[1, 2]"), "not a result"),
])
def test_damaged_run_directories_are_named(tmp_path, damage, message):
    out = tmp_path / "c"
    p = subprocess.run(KASHTAN + ["run", "tests/data/tiny.toml", "--conditions", "mvg", "--seeds", "1", "--out", str(out),
                                  "--set", "stop.max_generations=20", "--workers", "1", "--no-progress"],
                       capture_output=True, text=True, timeout=120)
    assert p.returncode == 0, p.stderr
    damage(out / "mvg" / "seed_000")
    s = subprocess.run(KASHTAN + ["summarize", str(out)], capture_output=True, text=True, timeout=120)
    assert s.returncode == 2 and message in s.stderr and "Traceback" not in s.stderr, s.stderr
    # figures of an unsolved run do not need result.json: drawn, or refused cleanly, never a traceback
    f = subprocess.run(KASHTAN + ["figures", str(out), "--out", str(tmp_path / "f")], capture_output=True, text=True,
                       timeout=120)
    assert "Traceback" not in f.stderr and (f.returncode == 0 or message in f.stderr), f.stderr


def test_names_cannot_leave_the_run_directory(tmp_path):
    p = run(tmp_path, BASE.replace('[conditions.fixed]', '[conditions."../../x"]'))
    assert p.returncode == 2 and "cannot name a directory" in p.stderr, p.stderr
    p = run(tmp_path, BASE.replace('name = "tiny"', 'name = "../x"'))
    assert p.returncode == 2 and "cannot name a directory" in p.stderr, p.stderr
    assert not (tmp_path / "out").exists() and not (tmp_path.parent / "x").exists()
    from kashtan.running import rundir
    assert rundir.best_file("d", "A B") != rundir.best_file("d", "A_B")
    assert rundir.best_file("d", "G1").name == "G1.json"             # plain names unchanged
    assert rundir.best_file("d", "../../etc").parent.name == "best"


def test_one_writer_per_campaign_and_stale_locks(tmp_path):
    from kashtan.running import rundir
    with rundir.Lock(tmp_path):
        with pytest.raises(rundir.RunError, match="being written by another kashtan"):
            with rundir.Lock(tmp_path):
                pass
        # the lock of this very process counts as alive; a dead writer's lock is taken over
    (tmp_path / ".lock").write_text("999999999")
    with rundir.Lock(tmp_path):
        assert (tmp_path / ".lock").read_text().split()[0] == str(__import__("os").getpid())
    assert not (tmp_path / ".lock").exists()
    assert 1 <= rundir.cores() <= (__import__("os").cpu_count() or 1)


def test_a_non_empty_directory_without_a_campaign_is_not_reused(tmp_path):
    (tmp_path / "out" / "fixed" / "seed_000").mkdir(parents=True)
    p = run(tmp_path, BASE)
    assert p.returncode == 2 and "not empty and holds no campaign" in p.stderr, p.stderr


def test_workers_die_with_a_killed_parent(tmp_path):
    import os
    import signal
    import time
    proc = subprocess.Popen(KASHTAN + ["run", "tests/data/tiny.toml", "--out", str(tmp_path / "out"), "--no-progress",
                                       "--workers", "2", "--set", "stop.max_generations=100000",
                                       "--set", "stop.when_solved=false"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    children = set()
    for _ in range(600):                     # wait until the workers run
        time.sleep(0.1)
        kids = subprocess.run(["pgrep", "-P", str(proc.pid)], capture_output=True, text=True).stdout.split()
        children = {int(k) for k in kids}
        if list((tmp_path / "out").glob("*/seed_*/generations.csv")):
            break
    assert children
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    deadline = time.time() + 15
    while time.time() < deadline and any(os.path.exists(f"/proc/{c}") and
                                         "Z" not in open(f"/proc/{c}/stat").read().split()[2] for c in children
                                         if os.path.exists(f"/proc/{c}/stat")):
        time.sleep(0.5)
    alive = [c for c in children if os.path.exists(f"/proc/{c}/stat") and open(f"/proc/{c}/stat").read().split()[2] != "Z"]
    assert not alive, f"workers {alive} outlived their parent"
