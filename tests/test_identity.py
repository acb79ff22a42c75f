"""A checkpoint copied from another seed, condition or config is refused, not resumed."""
import json
import shutil

import numpy as np
import pytest

from evo import checkpoint
from kashtan import cli, config, runner


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
    arrays["meta"] = np.array(json.dumps(meta))
    with open(ck, "wb") as f:
        np.savez(f, **arrays)
    assert runner.run_seed(cfg, 0, tmp_path / "run")["generations"] == 300


def test_network_weights_outside_the_model_are_refused_from_checkpoints_and_files(tmp_path):
    from circuits import network_io
    from circuits.io import CircuitFileError
    from circuits.network import NetSpec
    from kashtan import build
    raw = config.read_file("replications/clune2013_retina.toml")
    cfg = config.resolve(raw, "pa", overrides=["ga.population=20", "stop.max_generations=30",
                                                "record.checkpoint_every=10", "record.qm_every=0"])
    d = tmp_path / "run"
    assert runner.run_seed(cfg, 0, d, until=10) is None
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
