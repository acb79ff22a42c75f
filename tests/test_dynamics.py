"""The MVG mechanism's measures, checked against circuits and records worked out by hand."""
import gzip
import json

import numpy as np
import pytest

from circuits import examples
from circuits.nand import NandSpec
from kashtan.running import archives, rundir
from kashtan.analysis import distance, dynamics
from kashtan.running.filechecks import COLUMNS
from tasks.goals import logic4

SPEC = NandSpec(4, 12)
G1, G2 = (logic4(g).words()[:, 0] for g in ("G1", "G2"))


def test_switch_ready_g1_is_two_connections_from_g2_and_the_search_finds_that_pair():
    found = distance.nearest(np.array(examples.SWITCH_READY_G1), SPEC, G2, max_changes=2, keep=1000)
    assert found.changes == 2                       # and so nothing at one change (searched first)
    # by hand: g9 reads g10 and g11 (nodes 14, 15) instead of g8 twice (genes 18, 19)
    assert ((18, 14), (19, 15)) in found.solutions
    assert distance.role(((18, 14), (19, 15)), np.array(examples.SWITCH_READY_G1), SPEC) == "output"
    back = distance.nearest(np.array(examples.SWITCH_READY_G2), SPEC, G1, max_changes=2, keep=1000)
    assert back.changes == 2 and ((18, 12), (19, 12)) in back.solutions


def test_distance_zero_and_one():
    g = np.array(examples.MODULAR_G1)
    assert distance.nearest(g, SPEC, G1).changes == 0
    broken = g.copy()
    broken[24] = 12                                 # the output reads g8 (the NAND) instead of g9 (the AND)
    found = distance.nearest(broken, SPEC, G1, max_changes=1, keep=1000)
    assert found.changes == 1 and ((24, 13),) in found.solutions
    assert distance.describe(((24, 13),), SPEC, list("XYZW") + [f"g{k}" for k in range(12)]) == "out0 <- g9"


def test_textbook_g1_needs_more_than_two_changes_for_g2():
    # its inverters for G2 are not built: at least a NOT per XOR and the output gate must change
    found = distance.nearest(np.array(examples.MODULAR_G1), SPEC, G2, max_changes=2)
    assert found.changes is None and found.searched == 2


def _write_run(tmp_path, rows, period=4, solved_at=3):
    d = tmp_path / "run"
    d.mkdir()
    lines = [",".join(COLUMNS)]
    for g, (goal, best, n_perfect) in enumerate(rows):
        lines.append(f"{g},{goal},{best},0.5,0.5,0.4,,10,{int(best == 1.0)},{n_perfect},0.0")
    (d / "generations.csv").write_text("\n".join(lines) + "\n")
    cfg = {"schedule": {"kind": "mvg", "period": period}}
    return d, cfg, {"solved": True, "solved_at": solved_at}


def test_switches_counts_each_whole_epoch_after_the_solution(tmp_path):
    # period 4, solved at generation 3; epochs from 4: perfect 2 generations in, never, at once
    rows = [("G1", 0.9, 0)] * 3 + [("G1", 1.0, 1)] + \
           [("G2", 0.5, 0), ("G2", 0.75, 0), ("G2", 1.0, 3), ("G2", 1.0, 5)] + \
           [("G1", 0.5, 0)] * 4 + [("G2", 1.0, 2)] * 4 + [("G1", 0.5, 0)] * 2      # a last, cut-short epoch
    d, cfg, result = _write_run(tmp_path, rows)
    s = dynamics.switches(d, cfg, result)
    assert s["times"] == [2, None, 0]
    assert s["epoch_best"] == [1.0, 0.5, 1.0]
    assert s["perfect_share"] == pytest.approx(6 / 14)
    runs = [dict(seed=0, **s)]
    assert dynamics._share(runs) == pytest.approx(2 / 3)
    assert dynamics._share(runs, within=0) == pytest.approx(1 / 3)
    # Kaplan-Meier over 3 switches (one censored at 4): S(0) = 2/3, S(2) = 1/3, so the median is 2
    assert dynamics.km_switch_median(runs, 4) == 2


def test_history_round_trip_keeps_every_recorded_column(tmp_path):
    rows = [("G1", 0.5 + 0.01 * g, g % 3) for g in range(30)]
    d, cfg, result = _write_run(tmp_path, rows)
    dest = tmp_path / "archived"
    dest.mkdir()
    archives.write_history(d, dest)
    a, b = rundir.read_generations(d), rundir.read_generations(dest)
    for c in rundir.HISTORY_COLUMNS + ["generation"]:
        assert a[c] == b[c] or all(x == y or (x != x and y != y) for x, y in zip(a[c], b[c]))
    assert rundir.epochs(d, 4) == rundir.epochs(dest, 4)
    with gzip.open(dest / rundir.HISTORY, "rt") as f:
        assert f.readline().strip() == ",".join(rundir.HISTORY_COLUMNS)


def test_damaged_history_is_a_run_error(tmp_path):
    (tmp_path / rundir.HISTORY).write_bytes(b"not gzip")
    with pytest.raises(rundir.RunError, match="history.csv.gz"):
        rundir.read_generations(tmp_path)


def test_halfway():
    rows = [{"generation": g, "q": q} for g, q in enumerate([0.5, 0.38, 0.48, 0.45, 0.41, 0.40, 0.39, 0.4])]
    assert dynamics.halfway(rows, "q", 0.3, hold=3) == 5   # halfway from 0.5 to 0.3 is 0.40; the dip at 1 is noise
    assert dynamics.halfway(rows, "q", 0.1, hold=3) is None   # 0.30 never reached: censored
    assert dynamics.halfway(rows, "q", 0.6, hold=3) == 0


def test_decay_starts_from_identical_copies(tmp_path):
    from kashtan.configuration import config
    raw = config.read_file("replications/kashtan2005_logic.toml")
    cfg = config.resolve(raw, "fixed_G1", overrides=["ga.population=40", "ga.select_args.elite=10"])
    rows = dynamics.decay(cfg, np.array(examples.MODULAR_G1), "G1", 5, seed=1, qm_every=5, qm_sample=4)
    assert len(rows) == 6 and rows[0]["n_perfect"] == 40
    assert rows[0]["best_q"] == pytest.approx(rows[0]["q_median"]) and rows[0]["q_low"] == rows[0]["q_high"]
    assert all(r["best"] == 1.0 for r in rows)            # the elite keeps a perfect circuit
    again = dynamics.decay(cfg, np.array(examples.MODULAR_G1), "G1", 5, seed=1, qm_every=5, qm_sample=4)
    assert json.dumps(rows) == json.dumps(again)          # reproducible
    dynamics.write_rows(tmp_path / "d.csv.gz", rows)
    back = dynamics.read_rows(tmp_path / "d.csv.gz")
    assert back[3]["q_median"] == pytest.approx(rows[3]["q_median"], abs=1e-4)


def test_the_simple_null_model_refuses_2_cycles_and_raises_qm_as_the_calibration_found():
    from circuits import graph
    from circuits.qm import Normalizer
    from kashtan.configuration import build, config
    adj = graph.adjacency(np.array(examples.MODULAR_G1), SPEC)[0]
    directed = Normalizer(n_random=200, qmax_steps=300)
    simple = Normalizer(n_random=200, qmax_steps=300, simple=True)
    qrand_d, qmax_d = directed.reference(adj)
    qrand_s, qmax_s = simple.reference(adj)
    # 2-cycles weigh 2 once undirected: without them random and maximal Q are both lower
    assert qrand_s < qrand_d and qmax_s < qmax_d
    assert simple.qm(adj) > directed.qm(adj) + 0.15          # 0.56 against 0.27 in DYNAMICS.md
    raw = config.read_file("tests/data/tiny.toml")
    cfg = config.resolve(raw, "fixed", overrides=["record.qm_null=simple"])
    assert build.problem(cfg).normalizer.simple
    with pytest.raises(config.ConfigError, match="qm_null"):
        config.resolve(raw, "fixed", overrides=["record.qm_null=undirected"])


def test_the_default_null_is_simple_and_campaigns_from_before_keep_directed(tmp_path):
    """The default changed on 2026-12-06; a campaign written before record.qm_null existed ran
    the directed null, and reading (or resuming) it must keep that procedure."""
    from kashtan.configuration import build, config
    raw = config.read_file("tests/data/tiny.toml")
    cfg = config.resolve(raw, "fixed")
    assert cfg["record"]["qm_null"] == "simple" and build.problem(cfg).normalizer.simple
    old = json.loads(json.dumps(cfg))
    del old["record"]["qm_null"]
    explicit = json.loads(json.dumps(cfg))
    (tmp_path / rundir.CAMPAIGN).write_text(json.dumps({"seeds": [0], "conditions": {"old": old, "new": explicit}}))
    plan = rundir.read_campaign(tmp_path)
    assert plan["conditions"]["old"]["record"]["qm_null"] == "directed"
    assert plan["conditions"]["new"]["record"]["qm_null"] == "simple"
    assert not build.problem(plan["conditions"]["old"]).normalizer.simple


def test_a_seed_from_before_a_default_changed_resumes_with_what_it_ran(tmp_path, monkeypatch):
    """campaign.json and a seed's config.json written before record.qm_null / record.q_search
    existed: resuming must neither refuse ("another config") nor switch procedure midway."""
    import shutil

    from kashtan import cli
    from kashtan.running import runner
    sets = ["--set", "stop.max_generations=60", "--set", "stop.when_solved=false", "--set", "record.checkpoint_every=20",
            "--set", "record.qm_every=10", "--set", "record.qm_random=20", "--set", "record.qmax_steps=20",
            "--set", "record.q_search=quick", "--set", "record.qm_null=directed"]
    whole, old = tmp_path / "whole", tmp_path / "old"
    assert cli.main(["run", "tests/data/tiny.toml", "--out", str(whole), "--seeds", "1", "--conditions", "mvg",
                     "--workers", "1", "--no-progress", *sets]) == 0
    old.mkdir()
    shutil.copy(whole / rundir.CAMPAIGN, old / rundir.CAMPAIGN)
    cfg = rundir.read_campaign(old)["conditions"]["mvg"]
    seed = rundir.seed_dir(old, "mvg", 0)
    from kashtan.configuration import config
    from kashtan.running import seed as seed_module

    def old_dumps(c):                                    # the seed's config.json as the old engine wrote it
        c = json.loads(json.dumps(c))
        for key in rundir.LEGACY:
            c["record"].pop(key)
        return config.dumps(c)
    monkeypatch.setattr(seed_module, "dumps", old_dumps)
    with pytest.raises(runner.Stopped):                  # an unfinished seed, checkpoint at generation 40
        runner.run_seed(cfg, 0, seed, on_generation=lambda row: row["generation"] < 45)
    monkeypatch.undo()
    raw = json.loads((old / rundir.CAMPAIGN).read_text())
    for key in rundir.LEGACY:                            # campaign.json as written before the keys existed
        raw["conditions"]["mvg"]["record"].pop(key)
    (old / rundir.CAMPAIGN).write_text(json.dumps(raw))
    assert cli.main(["resume", str(old), "--workers", "1", "--no-progress"]) == 0
    strip = lambda d: [ln.rsplit(",", 1)[0] for ln in (d / "generations.csv").read_text().splitlines()]  # noqa: E731
    assert strip(seed) == strip(rundir.seed_dir(whole, "mvg", 0))
