"""Wrong inputs that used to be accepted or to end in a traceback (issue 23): foreign checkpoints,
weights outside the model, huge numbers, files of the wrong shape, networks without a retina."""
import json
import shutil

import numpy as np
import pytest

from evo import checkpoint
from kashtan import cli
from kashtan.configuration import config
from kashtan.running import runner


def tiny(condition, **over):
    raw = config.read_file("tests/data/tiny.toml")
    return config.resolve(raw, condition, overrides=[f"{k}={v}" for k, v in over.items()])


def _started(cfg, seed, d):
    assert runner.run_seed(cfg, seed, d, until=60) is None       # stopped with a checkpoint at 60
    return d / "checkpoint.npz"


@pytest.mark.parametrize("other", ["seed", "condition", "config"])
def test_a_foreign_checkpoint_is_refused(tmp_path, other):
    cfg = tiny("fixed")
    mine = _started(cfg, 0, tmp_path / "mine")
    if other == "seed":
        theirs = _started(cfg, 1, tmp_path / "theirs")
    elif other == "condition":
        theirs = _started(tiny("mvg"), 0, tmp_path / "theirs")
    else:
        theirs = _started(tiny("fixed", **{"ga.mutate_args.rate": 0.5}), 0, tmp_path / "theirs")
    before = mine.read_bytes()
    shutil.copyfile(theirs, mine)
    with pytest.raises(checkpoint.CheckpointError, match="another run"):
        runner.run_seed(cfg, 0, tmp_path / "mine")
    shutil.copyfile(theirs, tmp_path / "keep.npz")
    mine.write_bytes(before)                                     # its own checkpoint: resumes
    assert runner.run_seed(cfg, 0, tmp_path / "mine")["generations"] == 300


def test_the_command_line_names_the_foreign_checkpoint(tmp_path, capsys):
    out = tmp_path / "camp"
    assert cli.main(["run", "tests/data/tiny.toml", "--out", str(out), "--seeds", "2", "--workers", "1",
                     "--no-progress", "--conditions", "fixed"]) == 0
    plan = json.loads((out / "campaign.json").read_text())
    for s in (0, 1):                                             # both interrupted at 60, checkpoints kept
        d = out / "fixed" / f"seed_{s:03d}"
        shutil.rmtree(d)
        _started(plan["conditions"]["fixed"], s, d)
    shutil.copyfile(out / "fixed/seed_001/checkpoint.npz", out / "fixed/seed_000/checkpoint.npz")
    capsys.readouterr()
    code = cli.main(["resume", str(out), "--workers", "1", "--no-progress"])
    err = capsys.readouterr().err
    assert code != 0 and "another run" in err and "seed 1" in err and "Traceback" not in err
    assert (out / "fixed/seed_001/result.json").exists()       # the other seed is not held up


def test_a_checkpoint_from_before_identities_still_resumes(tmp_path):
    cfg = tiny("fixed")
    ck = _started(cfg, 0, tmp_path / "run")
    with np.load(ck) as data:
        arrays = {k: data[k] for k in data.files}
    meta = json.loads(str(arrays["meta"]))
    del meta["identity"]
    meta["version"] = 1
    arrays["meta"] = np.array(json.dumps(meta))
    with open(ck, "wb") as f:
        np.savez(f, **arrays)
    assert runner.run_seed(cfg, 0, tmp_path / "run")["generations"] == 300


def _network_started(tmp_path, condition):
    """A small Clune et al. network run stopped at generation 10 with a checkpoint."""
    raw = config.read_file("replications/clune2013_retina.toml")
    cfg = config.resolve(raw, condition, overrides=["ga.population=20", "stop.max_generations=30",
                                                     "record.checkpoint_every=10", "record.qm_every=0"])
    d = tmp_path / "run"
    assert runner.run_seed(cfg, 0, d, until=10) is None
    return cfg, d


def test_network_weights_outside_the_model_are_refused_from_checkpoints_and_files(tmp_path):
    from circuits import network_io
    from circuits.io import CircuitFileError
    from circuits.network import NetSpec
    from kashtan.configuration import build
    cfg, d = _network_started(tmp_path, "pa")
    ck = d / "checkpoint.npz"
    with np.load(ck) as data:
        arrays = {k: data[k] for k in data.files}
    arrays["population"][:] = 127                     # the reproduction
    with open(ck, "wb") as f:
        np.savez(f, **arrays)
    with pytest.raises(checkpoint.CheckpointError, match="out of range"):
        runner.run_seed(cfg, 0, d)
    spec = NetSpec()
    genome = np.zeros(spec.length, np.int8)
    genome[0] = 3                                     # Clune et al.'s weights are +-1, +-2
    data = network_io.to_dict(genome, spec)
    with pytest.raises(CircuitFileError, match="connection weight 3"):
        network_io.from_dict(data)
    kspec = NetSpec((8, 4, 2, 1), "kashtan")
    problem = build.problem(config.resolve(config.read_file("replications/kashtan2005_retina.toml"),
                                           config.conditions(config.read_file("replications/kashtan2005_retina.toml"))[0]))
    g = np.zeros((1, kspec.length), np.int8)
    g[0, 0] = 2
    assert problem.genomes_valid(g)
    g[0, 1] = 2                                       # 4 units into a neuron whose fan-in is 3
    assert not problem.genomes_valid(g)


@pytest.mark.parametrize("inputs", [5, "abcdefgh", [1, 2, 3, 4, 5, 6, 7, 8], ["a"] * 8])
def test_network_file_inputs_of_the_wrong_kind_are_a_file_error(inputs):
    from circuits import network_io
    from circuits.io import CircuitFileError
    from circuits.network import NetSpec
    data = network_io.to_dict(np.zeros(NetSpec().length, np.int8), NetSpec())
    data["inputs"] = inputs
    with pytest.raises(CircuitFileError, match="inputs"):
        network_io.from_dict(data)


@pytest.mark.parametrize("override, says", [
    ("fitness.size_penalty=9223372036854775808", "size_penalty"),
    ("network.neuron_penalty=9223372036854775808", "neuron_penalty"),
    (".".join(["a"] * 1000) + "=1", "nested"),
    ("ga.population=" + "9" * 5000, "population"),
])
def test_huge_overrides_are_one_line_errors(override, says, tmp_path, capsys):
    code = cli.main(["run", "tests/data/tiny.toml", "--out", str(tmp_path / "x"), "--seeds", "1",
                     "--set", override])
    err = capsys.readouterr().err
    assert code == 2 and says in err and "Traceback" not in err and not (tmp_path / "x").exists()


def test_a_network_that_sees_no_retina_is_summarised(tmp_path):
    # 16 inputs, one output: no left and right halves, so no L/R columns (was a traceback)
    toml = (tmp_path / "n.toml")
    toml.write_text('name = "n16"\nseeds = 1\n[circuit]\nkind = "network"\n'
                    'inputs = [' + ", ".join(f'"i{k}"' for k in range(16)) + ']\n'
                    '[network]\nlayers = [16, 1]\n[goals]\nG = "i0 & i1"\n'
                    '[ga]\npopulation = 30\nselect_args = { elite = 10 }\n[stop]\nmax_generations = 20\n'
                    '[record]\nqm_every = 0\n[conditions.fixed]\nschedule = { kind = "fixed", goals = ["G"] }\n')
    out = tmp_path / "run"
    assert cli.main(["run", str(toml), "--out", str(out), "--workers", "1", "--no-progress"]) == 0
    assert cli.main(["summarize", str(out)]) == 0


def _tamper(ck, change):
    with np.load(ck) as data:
        arrays = {k: data[k] for k in data.files}
    meta = json.loads(str(arrays["meta"]))
    meta = change(meta, arrays)
    arrays["meta"] = np.array(json.dumps(meta))
    with open(ck, "wb") as f:
        np.savez(f, **arrays)


def _negative_rng(meta, arrays):
    meta["rng"]["state"]["state"] = -5
    return meta


def _nan_rank(meta, arrays):
    arrays["extra_rank"] = np.full(arrays["population"].shape[0], np.nan)
    return meta


@pytest.mark.parametrize("change, says", [
    (lambda meta, arrays: [1, 2, 3], "not a table"),
    (_negative_rng, "random state"),
    (lambda meta, arrays: dict(meta, py_random=[3, [1, 2], None]), "random state"),
])
def test_damaged_checkpoint_state_is_a_checkpoint_error(tmp_path, change, says):
    cfg = tiny("fixed")
    ck = _started(cfg, 0, tmp_path / "run")
    _tamper(ck, change)
    with pytest.raises(checkpoint.CheckpointError, match=says):
        runner.run_seed(cfg, 0, tmp_path / "run")


def test_nan_nsga_fronts_in_a_checkpoint_are_refused(tmp_path):
    cfg, d = _network_started(tmp_path, "pcc")
    with np.load(d / "checkpoint.npz") as data:
        assert "extra_rank" in data.files
    _tamper(d / "checkpoint.npz", _nan_rank)
    with pytest.raises(checkpoint.CheckpointError, match="NSGA-II fronts"):
        runner.run_seed(cfg, 0, d)


def test_a_result_of_no_generations_and_a_negative_adapt_cap_are_refused(tmp_path, capsys):
    out = tmp_path / "camp"
    assert cli.main(["run", "tests/data/tiny.toml", "--out", str(out), "--seeds", "1", "--workers", "1",
                     "--no-progress", "--conditions", "fixed", "--set", "stop.max_generations=20"]) == 0
    assert cli.main(["adapt", str(out), "--goal", "G2", "--cap", "-1"]) == 2
    assert "--cap" in capsys.readouterr().err
    res = out / "fixed/seed_000/result.json"
    r = json.loads(res.read_text())
    r.update(generations=0, solved=False, solved_at=None, first_perfect=None)
    res.write_text(json.dumps(r))
    assert cli.main(["summarize", str(out)]) == 2
    assert "0 generations" in capsys.readouterr().err


def test_disk_full_mid_campaign_is_one_line_and_resume_finishes_it(tmp_path):
    """RLIMIT_FSIZE stands in for a full disk: writes past the limit fail (SIGXFSZ ignored)."""
    import os
    import resource
    import signal
    import subprocess
    import sys
    out = tmp_path / "camp"
    args = [sys.executable, "-m", "kashtan.cli", "run", "tests/data/tiny.toml", "--out", str(out), "--seeds", "2",
            "--workers", "1", "--no-progress", "--conditions", "fixed"]

    def small_files():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (12_000, 12_000))
    env = dict(os.environ, PYTHONPATH=os.getcwd())
    full = subprocess.run(args, capture_output=True, text=True, preexec_fn=small_files, env=env, timeout=600)
    assert full.returncode != 0
    assert "Traceback" not in full.stderr and "error:" in full.stderr, full.stderr[-2000:]
    assert "File too large" in full.stderr or "No space" in full.stderr
    again = subprocess.run([sys.executable, "-m", "kashtan.cli", "resume", str(out), "--workers", "1", "--no-progress"],
                           capture_output=True, text=True, env=env, timeout=600)
    assert again.returncode == 0, again.stderr[-2000:]
    assert all((out / "fixed" / f"seed_{s:03d}" / "result.json").exists() for s in (0, 1))


def test_read_only_storage_is_a_one_line_error(tmp_path, monkeypatch, capsys):
    import errno
    from pathlib import Path
    out = tmp_path / "camp"
    assert cli.main(["run", "tests/data/tiny.toml", "--out", str(out), "--seeds", "1", "--workers", "1",
                     "--no-progress", "--conditions", "fixed", "--set", "stop.max_generations=20"]) == 0
    capsys.readouterr()

    def read_only(self, *a, **k):
        raise OSError(errno.EROFS, "Read-only file system", str(self))
    monkeypatch.setattr(Path, "write_text", read_only)
    assert cli.main(["summarize", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Read-only file system" in err
    assert (out / "fixed/seed_000/result.json").exists()


def test_a_torn_last_record_after_the_checkpoint_does_not_block_resume(tmp_path):
    cfg = tiny("fixed")
    d = tmp_path / "run"
    _started(cfg, 0, d)
    with open(d / "generations.csv", "a") as f:
        f.write("61,G1,0.7")                          # torn: no newline, 3 fields
    assert runner.run_seed(cfg, 0, d)["generations"] == 300
    whole = tmp_path / "whole"
    runner.run_seed(cfg, 0, whole)
    cut = lambda p: [ln.rsplit(",", 1)[0] for ln in (p / "generations.csv").read_text().splitlines()]   # noqa: E731
    assert cut(d) == cut(whole)                       # the same records as an uninterrupted run


def _campaign(tmp_path, capsys=None):
    out = tmp_path / "camp"
    assert cli.main(["run", "tests/data/tiny.toml", "--out", str(out), "--seeds", "2", "--workers", "1",
                     "--no-progress", "--conditions", "fixed", "--set", "stop.max_generations=20"]) == 0
    return out


def test_symbolic_links_in_run_and_archive_directories_are_refused(tmp_path, capsys):
    import os
    out = _campaign(tmp_path)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    seed = out / "fixed/seed_000"
    (seed / "final_best.json").rename(elsewhere / "final_best.json")
    os.symlink(elsewhere / "final_best.json", seed / "final_best.json")
    assert cli.main(["archive", str(out), str(tmp_path / "arch")]) == 2
    assert "symbolic link" in capsys.readouterr().err and not (tmp_path / "arch").exists()
    (seed / "final_best.json").unlink()
    (elsewhere / "final_best.json").rename(seed / "final_best.json")
    (tmp_path / "arch").mkdir()
    shutil.copyfile(out / "campaign.json", tmp_path / "arch" / "campaign.json")
    os.symlink(elsewhere, tmp_path / "arch" / "fixed")          # a condition directory pointing outside
    assert cli.main(["archive", str(out), str(tmp_path / "arch")]) == 2
    assert "symbolic link" in capsys.readouterr().err and not list(elsewhere.iterdir())
    # resume into a seed whose best/ points outside
    (out / "fixed/seed_001/result.json").unlink()
    shutil.rmtree(out / "fixed/seed_001/best")
    os.symlink(elsewhere, out / "fixed/seed_001/best")
    assert cli.main(["resume", str(out), "--workers", "1", "--no-progress"]) != 0
    assert not list(elsewhere.iterdir())


def test_a_campaign_name_cannot_send_figures_outside_out(tmp_path, capsys):
    out = _campaign(tmp_path)
    plan = json.loads((out / "campaign.json").read_text())
    plan["conditions"]["fixed"]["name"] = "../escaped"
    (out / "campaign.json").write_text(json.dumps(plan))
    assert cli.main(["figures", str(out), "--out", str(tmp_path / "figs")]) == 2
    assert "cannot name" in capsys.readouterr().err and not (tmp_path / "escaped_curves.png").exists()


def test_an_interrupted_archive_leaves_whole_seeds_only(tmp_path, monkeypatch):
    from kashtan.running import archives, lock, rundir
    out = _campaign(tmp_path)
    calls = []
    real = np.savez_compressed

    def dying(*a, **k):
        calls.append(1)
        if len(calls) == 2:
            raise KeyboardInterrupt                  # Ctrl-C while the second seed is written
        return real(*a, **k)
    monkeypatch.setattr(np, "savez_compressed", dying)
    with pytest.raises(KeyboardInterrupt):
        archives.archive(out, tmp_path / "arch")
    monkeypatch.undo()
    arch = tmp_path / "arch"
    finished = [s for s in (0, 1) if rundir.is_finished(arch / "fixed" / f"seed_{s:03d}")]
    assert finished == [0]                           # seed 1 is not there, not half there
    for s in finished:
        with np.load(arch / "fixed" / f"seed_{s:03d}" / "final_population.npz") as data:
            assert data["population"].shape[0] == 100
    assert archives.archive(out, arch) == 2            # a second archive completes it
    assert not list(arch.glob("fixed/*.partial")) and not list(arch.glob("fixed/*.old"))


def test_a_lock_whose_pid_now_belongs_to_another_process_is_taken_over(tmp_path):
    import os
    import subprocess
    import sys
    from kashtan.running import archives, lock, rundir
    other = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        # the lock names a live but unrelated process (its pid with another start time: a reused pid)
        (tmp_path / ".lock").write_text(f"{other.pid} 1")
        with rundir.Lock(tmp_path):
            assert (tmp_path / ".lock").read_text().split()[0] == str(os.getpid())
        # the real writer (pid and start time match) still keeps others out
        (tmp_path / ".lock").write_text(f"{other.pid} {lock._started(other.pid)}")
        with pytest.raises(rundir.RunError, match="another kashtan"):
            with rundir.Lock(tmp_path):
                pass
    finally:
        other.kill()


def test_a_local_module_shadowing_an_engine_package_is_named(tmp_path):
    import os
    import subprocess
    import sys
    (tmp_path / "tasks.py").write_text("x = 1\n")
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(tmp_path), os.getcwd()]))
    p = subprocess.run([sys.executable, "-c", "from kashtan import api"], cwd=tmp_path, capture_output=True,
                       text=True, env=env)
    assert p.returncode != 0 and "tasks.py shadows kashtan's own package 'tasks'" in p.stderr


def test_an_edited_copy_of_a_shipped_config_runs_under_its_own_name(tmp_path, monkeypatch, capsys):
    import os
    monkeypatch.chdir(tmp_path)
    assert cli.main(["configs", "kashtan2005_logic"]) == 0
    text = capsys.readouterr().out
    (tmp_path / "mine.toml").write_text(text)
    args = ["--conditions", "fixed_G1", "--seeds", "1", "--workers", "1", "--no-progress",
            "--set", "stop.max_generations=5", "--set", "ga.population=20", "--set", "ga.select_args.elite=5",
            "--set", "record.qm_every=0"]
    assert cli.main(["run", "mine.toml", *args]) == 0
    assert (tmp_path / "runs" / "mine" / "campaign.json").exists()
    assert not os.path.exists(tmp_path / "runs" / "kashtan2005_logic")


def test_every_option_of_every_command_says_what_it_does():
    import argparse
    p = cli.parser()
    sub = next(a for a in p._actions if isinstance(a, argparse._SubParsersAction))
    for name, sp in sub.choices.items():
        for action in sp._actions:
            if not isinstance(action, argparse._HelpAction):
                assert action.help, f"kashtan {name}: {action.dest} has no help text"
        if name in cli.HELP_NAMES:
            assert "examples:" in (sp.epilog or ""), name
