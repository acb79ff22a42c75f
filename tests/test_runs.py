import importlib
import csv
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from circuits import nand
from evo import checkpoint
from kashtan import api
from kashtan.configuration import build, config
from kashtan.running import runner, rundir
from kashtan.analysis import stats
from kashtan.report import summary

KASHTAN = [sys.executable, "-m", "kashtan.cli"]


def tiny(condition="mvg", **over):
    raw = config.read_file("tests/data/tiny.toml")
    return config.resolve(raw, condition, overrides=[f"{k}={v}" for k, v in over.items()])


def rows_without_time(run_dir):
    with open(Path(run_dir) / "generations.csv") as f:
        return [{k: v for k, v in r.items() if k != "elapsed"} for r in csv.DictReader(f)]


def cut_and_resume(monkeypatch, cfg, seed, run_dir, generation: int, check_cut=None) -> None:
    """Run a seed until it is interrupted before ``generation``, then resume it to the end."""
    from evo.loop import Evolution
    real_step = Evolution.step

    def crashing(self):
        if self.generation == generation:
            raise KeyboardInterrupt
        return real_step(self)

    monkeypatch.setattr(Evolution, "step", crashing)
    with pytest.raises(KeyboardInterrupt):
        runner.run_seed(cfg, seed, run_dir)
    if check_cut:
        check_cut()
    monkeypatch.setattr(Evolution, "step", real_step)
    runner.run_seed(cfg, seed, run_dir)


def test_resume_continues_exactly(tmp_path, monkeypatch):
    cfg = tiny(**{"stop.when_solved": "false"})
    runner.run_seed(cfg, 4, tmp_path / "whole")

    def check_cut():
        assert (tmp_path / "cut" / "checkpoint.npz").exists()
        assert not (tmp_path / "cut" / "result.json").exists()

    cut_and_resume(monkeypatch, cfg, 4, tmp_path / "cut", 137, check_cut)

    assert rows_without_time(tmp_path / "cut") == rows_without_time(tmp_path / "whole")
    assert len(rows_without_time(tmp_path / "whole")) == 300
    assert (tmp_path / "cut" / "qdist.jsonl").read_text() == (tmp_path / "whole" / "qdist.jsonl").read_text()
    assert np.array_equal(np.load(tmp_path / "cut" / "final_population.npy"),
                          np.load(tmp_path / "whole" / "final_population.npy"))
    a, b = (json.loads((tmp_path / d / "result.json").read_text()) for d in ("cut", "whole"))
    a.pop("elapsed"), b.pop("elapsed")
    assert a == b


def test_run_directory_contents(tmp_path):
    cfg = tiny()
    result = runner.run_seed(cfg, 1, tmp_path)
    saved = json.loads((tmp_path / "config.json").read_text())
    assert saved["seed"] == 1 and saved["schedule"]["kind"] == "mvg"
    assert {p.name for p in (tmp_path / "best").iterdir()} <= {"G1.json", "G2.json"}
    assert result["generations"] <= 300 and result["final"]["effective"] > 0
    if result["solved"]:
        assert result["at_solution"]["generation"] == result["solved_at"] == result["generations"] - 1


def test_corrupt_checkpoint_is_named(tmp_path):
    path = tmp_path / "checkpoint.npz"
    path.write_bytes(b"not a zip")
    with pytest.raises(checkpoint.CheckpointError, match="corrupt checkpoint"):
        checkpoint.load(path)


def cli(*args, **kw):
    return subprocess.run(KASHTAN + list(args), capture_output=True, text=True, timeout=300, **kw)


@pytest.mark.parametrize("args, message", [
    (["run", "tests/data/missing.toml"], "cannot read"),
    (["run", "tests/data/tiny.toml", "--set", "ga.populaton=5"], "did you mean 'ga.population'"),
    (["run", "tests/data/tiny.toml", "--set", "ga.select=best"], "unknown select operator 'best'"),
    (["run", "tests/data/tiny.toml", "--seeds", "x"], "--seeds"),
    (["resume", "tests/data"], "not a campaign directory"),
    (["analyze", "tests/data/tiny.toml"], "not valid JSON"),
])
def test_cli_errors_are_one_line(args, message):
    p = cli(*args)
    assert p.returncode == 2
    assert p.stderr.count("\n") == 1 and p.stderr.startswith("kashtan: error:") and message in p.stderr
    assert "Traceback" not in p.stderr


def test_corrupt_checkpoint_cli(tmp_path):
    out = tmp_path / "c"
    assert cli("run", "tests/data/tiny.toml", "--out", str(out), "--seeds", "1", "--conditions", "fixed",
               "--workers", "1", "--no-progress").returncode == 0
    d = out / "fixed" / "seed_000"
    (d / "result.json").unlink()
    (d / "checkpoint.npz").write_bytes(b"garbage")
    p = cli("resume", str(out), "--workers", "1", "--no-progress")
    assert p.returncode == 1 and "corrupt checkpoint" in p.stderr and "Traceback" not in p.stderr


def test_campaign_end_to_end(tmp_path):
    out = tmp_path / "camp"
    p = cli("run", "tests/data/tiny.toml", "--out", str(out), "--workers", "2", "--no-progress")
    assert p.returncode == 0, p.stderr
    assert "| mvg | 2/2 | 300 |" in p.stdout and "0.54 ± 0.02" in p.stdout
    assert (out / "summary.md").exists()
    for s, g in ((0, 45), (1, 109)):      # as if solved 5 and 9 generations after a switch (period 20)
        path = out / "mvg" / f"seed_{s:03d}" / "result.json"
        path.write_text(json.dumps({**json.loads(path.read_text()), "solved": True, "solved_at": g}))
    table = {r["condition"]: r for r in summary.rows(out)}
    assert table["mvg"]["readapt"] == "7 [6–8]" and table["fixed"]["readapt"] == "–"
    for c in ("fixed", "mvg"):
        for s in (0, 1):
            assert (out / c / f"seed_{s:03d}" / "result.json").exists()
    again = cli("run", "tests/data/tiny.toml", "--out", str(out))
    assert again.returncode == 2 and "kashtan resume" in again.stderr
    best = next((out / "mvg" / "seed_000" / "best").iterdir())
    a = cli("analyze", str(best), "--random", "30")
    assert a.returncode == 0 and "G1" in a.stdout and "G2" in a.stdout and "module 1:" in a.stdout


def test_killed_campaign_keeps_finished_seeds_and_resumes(tmp_path):
    out = tmp_path / "k"
    args = KASHTAN + ["run", "tests/data/tiny.toml", "--out", str(out), "--workers", "1", "--no-progress",
                      "--seeds", "3", "--set", "stop.when_solved=false", "--set", "stop.max_generations=1500"]
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    first = out / "fixed" / "seed_000" / "result.json"
    deadline = time.time() + 240
    while not first.exists() and time.time() < deadline:
        time.sleep(0.2)
    time.sleep(1.0)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert first.exists()
    kept = first.read_text()
    stamp = os.stat(first).st_mtime_ns
    p = cli("resume", str(out), "--workers", "2", "--no-progress")
    assert p.returncode == 0, p.stderr
    assert first.read_text() == kept and os.stat(first).st_mtime_ns == stamp
    assert all((out / c / f"seed_{s:03d}" / "result.json").exists() for c in ("fixed", "mvg") for s in range(3))

    # every seed, the one killed mid-run included, equals an uninterrupted run of the same seed
    whole = tmp_path / "whole"
    p = cli("run", "tests/data/tiny.toml", "--out", str(whole), "--workers", "2", "--no-progress", "--seeds", "3",
            "--set", "stop.when_solved=false", "--set", "stop.max_generations=1500")
    assert p.returncode == 0, p.stderr
    for c in ("fixed", "mvg"):
        for s in range(3):
            a, b = out / c / f"seed_{s:03d}", whole / c / f"seed_{s:03d}"
            assert rows_without_time(a) == rows_without_time(b), (c, s)
            assert np.array_equal(np.load(a / "final_population.npy"), np.load(b / "final_population.npy"))
            ra, rb = (json.loads((d / "result.json").read_text()) for d in (a, b))
            ra.pop("elapsed"), rb.pop("elapsed")
            assert ra == rb


def test_network_campaign_end_to_end(tmp_path):
    out = tmp_path / "nets"
    p = cli("run", "tests/data/tiny_net.toml", "--out", str(out), "--workers", "2", "--no-progress")
    assert p.returncode == 0, p.stderr
    assert "| pcc | 2/2 |" in p.stdout and "final Q, median [95 % CI]" in p.stdout
    best = out / "pcc" / "seed_000" / "best" / "L-AND-R.json"
    assert json.loads(best.read_text())["format"] == "kashtan-network/1"
    a = cli("analyze", str(best), "--random", "20")
    assert a.returncode == 0, a.stderr
    assert "L-AND-R" in a.stdout and "connection cost" in a.stdout
    assert "left/right" in a.stdout or "no connection path reaches an output" in a.stdout
    s = cli("summarize", str(out), "--compare", "mvg_pcc:pcc")
    assert s.returncode == 0 and "final Q, mvg_pcc vs pcc: Mann–Whitney" in s.stdout, s.stderr
    s = cli("summarize", str(out), "--compare", "pcc:nosuch")
    assert s.returncode == 2 and "unknown condition 'nosuch'" in s.stderr
    s = cli("summarize", str(out), "--conditions", "pcc")
    assert s.returncode == 0 and "| pcc | 2/2 |" in s.stdout and "| mvg_pcc |" not in s.stdout, s.stderr
    s = cli("summarize", str(out), "--conditions", "pcc,nosuch")
    assert s.returncode == 2 and "unknown condition(s) 'nosuch'" in s.stderr
    s = cli("summarize", str(out), str(out))
    assert s.returncode == 2 and "more than one campaign directory" in s.stderr
    rows = rows_without_time(out / "mvg_pcc" / "seed_001")
    assert len(rows) == 60 and {r["goal"] for r in rows} == {"L-AND-R", "L-OR-R"}
    d = cli("adapt", str(out), "--goal", "L-OR-R", "--cap", "5", "--workers", "1")
    assert d.returncode == 0 and "| pcc | 2 |" in d.stdout, d.stderr
    f = cli("figures", str(out), "--out", str(tmp_path / "figs"))
    assert f.returncode == 0, f.stderr
    assert {p.name for p in (tmp_path / "figs").iterdir()} == {
        "tiny_net_curves.png", "tiny_net_networks.png", "tiny_net_adaptation.png"}
    # a campaign from before final_best.json: summarize writes it again, by the same rule
    finals = sorted(out.glob("*/seed_*/final_best.json"))
    written = {f: f.read_bytes() for f in finals}
    for f in finals:
        f.unlink()
    assert runner.backfill(out) == len(finals) == 6 and runner.backfill(out) == 0
    assert {f: f.read_bytes() for f in finals} == written


def test_nsga2_runs_circuits_too(tmp_path):
    # the strategy asks the problem for its objectives: circuits have one, their fitness
    cfg = tiny("fixed", **{"ga.select": "nsga2", "ga.select_args": "{}", "stop.max_generations": 120})
    result = runner.run_seed(cfg, 0, tmp_path / "run")
    rows = rows_without_time(tmp_path / "run")
    assert len(rows) == result["generations"] and float(rows[-1]["best"]) > float(rows[0]["best"])


def test_resume_fills_keys_added_since_the_campaign_started(tmp_path):
    out = tmp_path / "old"
    assert cli("run", "tests/data/tiny.toml", "--out", str(out), "--seeds", "1", "--conditions", "fixed",
               "--workers", "1", "--no-progress").returncode == 0
    plan = json.loads((out / "campaign.json").read_text())
    del plan["conditions"]["fixed"]["network"]          # as written by a kashtan without networks
    (out / "campaign.json").write_text(json.dumps(plan))
    (out / "fixed" / "seed_000" / "result.json").unlink()
    p = cli("resume", str(out), "--workers", "1", "--no-progress")
    assert p.returncode == 0, p.stderr


def test_share_cores():
    assert runner.share_cores(None, None, jobs=30, cores=2) == (2, 1)      # seeds first
    assert runner.share_cores(None, None, jobs=1, cores=2) == (1, 2)       # a lone seed takes the threads
    assert runner.share_cores(None, 2, jobs=30, cores=4) == (2, 2)
    assert runner.share_cores(8, None, jobs=3, cores=8) == (3, 2)          # no idle worker processes
    assert runner.share_cores(1, None, jobs=1, cores=2) == (1, 1)          # --workers 1: one core
    with pytest.raises(runner.RunError, match="oversubscribe the 2 cores"):
        runner.share_cores(2, 2, jobs=30, cores=2)
    with pytest.raises(runner.RunError, match="--threads must be at least 1"):
        runner.share_cores(1, 0, jobs=3, cores=2)


def test_threads_do_not_change_a_network_run(tmp_path):
    raw = config.read_file("tests/data/tiny_net.toml")
    cfg = config.resolve(raw, "pcc")
    runner.run_seed(cfg, 3, tmp_path / "one")
    runner.run_seed(cfg, 3, tmp_path / "two", threads=2)
    assert rows_without_time(tmp_path / "one") == rows_without_time(tmp_path / "two")


def test_switch_times_after_the_solution(tmp_path):
    # period 4, solved at 5: epochs start at 8, 12, 16, 20. Epoch 8-11 re-solves at 9
    # (1 generation); 12-15 asks G again (an RMVG repeat: no switch, left out although it
    # is perfect at once); 16-19 switches and never re-solves; 20-21 is cut short without one
    perfect = {3, 5, 9, 10, 12}
    goals = ["F"] * 8 + ["G"] * 8 + ["H"] * 4 + ["K"] * 2
    rows = [{"generation": g, "goal": goals[g], "n_perfect": int(g in perfect)} for g in range(22)]
    with open(tmp_path / "generations.csv", "w", newline="") as f:
        w = csv.DictWriter(f, ["generation", "goal", "n_perfect"])
        w.writeheader()
        w.writerows(rows)
    assert stats.switch_times(tmp_path, 5, 4) == [1, None]
    assert [t for t, _ in rundir.epochs(tmp_path, 4, 8)] == [1, 0, None, None]


def test_runs_go_on_after_the_solution(tmp_path):
    cfg = tiny("fixed", **{"goals.G1": '"X & Y"', "stop.after_solved": 7, "stop.max_generations": 500})
    result = runner.run_seed(cfg, 0, tmp_path)
    assert result["solved"] and result["generations"] == result["solved_at"] + 8
    with pytest.raises(config.ConfigError, match="after_solved"):
        tiny("fixed", **{"stop.after_solved": -1})


def test_late_epochs_perfect(tmp_path):
    # period 2, 20 whole epochs + one cut short; of the last 2 whole epochs (10 %), one has a
    # perfect genome; the cut-short epoch 20 (generation 40, perfect) is left out
    perfect = {36, 40}
    with open(tmp_path / "generations.csv", "w", newline="") as f:
        w = csv.DictWriter(f, ["generation", "n_perfect"])
        w.writeheader()
        w.writerows({"generation": g, "n_perfect": int(g in perfect)} for g in range(41))
    assert stats.late_epochs_perfect(tmp_path, 2) == 0.5
    assert stats.late_epochs_perfect(tmp_path, 2, fraction=0.5) == 0.1


def test_kashtan_retina_campaign_summary(tmp_path):
    out = tmp_path / "ka"
    p = cli("run", "replications/kashtan2005_retina.toml", "--scale", "quick", "--seeds", "2", "--out", str(out),
            "--workers", "1", "--no-progress", "--set", "stop.max_generations=60", "--set", "ga.population=60",
            "--set", "ga.select_args.elite=15")
    assert p.returncode == 0, p.stderr
    assert "| fixed | 2/2 | 60 |" in p.stdout and "analysed as Clune et al." in p.stdout
    assert "final Q, fixed vs mvg: Mann–Whitney" in p.stdout


def test_resume_adds_seeds(tmp_path):
    out = tmp_path / "c"
    p = cli("run", "tests/data/tiny.toml", "--conditions", "mvg", "--seeds", "1", "--out", str(out),
            "--set", "stop.max_generations=30", "--workers", "1", "--no-progress")
    assert p.returncode == 0, p.stderr
    first = (out / "mvg" / "seed_000" / "result.json").read_text()
    p = cli("resume", str(out), "--seeds", "0-2", "--workers", "1", "--no-progress")
    assert p.returncode == 0 and "added seed(s) 1, 2" in p.stdout, p.stderr
    assert json.loads((out / "campaign.json").read_text())["seeds"] == [0, 1, 2]
    assert (out / "mvg" / "seed_000" / "result.json").read_text() == first      # finished work untouched
    assert all((out / "mvg" / f"seed_00{s}" / "result.json").exists() for s in (1, 2))


def test_final_goal_chooses_the_network_described(tmp_path, monkeypatch):
    raw = config.read_file("tests/data/tiny_net.toml")
    cfg = config.resolve(raw, "mvg_pcc", overrides=["stop.max_generations=30", 'record.final_goal="L-AND-R"',
                                                    "record.checkpoint_every=25"])
    result = runner.run_seed(cfg, 0, tmp_path / "run")
    # generation 29 is in an L-OR-R epoch (period 20): the final network is judged on L-AND-R, from
    # the population its last epoch left at generation 19 -- the one a run stopped there ends with
    assert result["final"]["goal"] == "L-AND-R"
    final = json.loads((tmp_path / "run" / "final_best.json").read_text())["meta"]
    assert final["goal"] == "L-AND-R" and final["generation"] == 19 and "last epoch" in final["rule"]
    short = config.resolve(raw, "mvg_pcc", overrides=["stop.max_generations=20", 'record.final_goal="L-AND-R"'])
    runner.run_seed(short, 0, tmp_path / "short")
    genome = rundir.read_genome(tmp_path / "run" / "final_best.json")[0]
    assert np.array_equal(genome, rundir.read_genome(tmp_path / "short" / "final_best.json")[0])
    assert not np.array_equal(np.load(tmp_path / "run" / "final_population.npy"),
                              np.load(tmp_path / "short" / "final_population.npy"))

    # the held population survives a checkpoint: cut at generation 27, resumed, the same network
    cut_and_resume(monkeypatch, cfg, 0, tmp_path / "cut", 27)
    assert (tmp_path / "cut" / "final_best.json").read_text() == (tmp_path / "run" / "final_best.json").read_text()
    with pytest.raises(config.ConfigError, match="final_goal"):
        config.resolve(raw, "mvg_pcc", overrides=['record.final_goal="L-XOR-R"'])


def test_tests_at_solution_leave_out_undefined_qm():
    """A solved circuit too small to rewire has Qm NaN: the test is on the others, not NaN."""
    solved = [{"solved": True, "at_solution": {"q": 0.3 + i / 100, "qm": float("nan") if i == 0 else i / 10}}
              for i in range(6)]
    other = [{"solved": True, "at_solution": {"q": 0.5 + i / 100, "qm": 1 + i / 10}} for i in range(5)]
    found = {"a": solved, "b": other}
    assert summary._at_solution(found, "a", "qm") == [0.1, 0.2, 0.3, 0.4, 0.5]
    assert len(summary._at_solution(found, "a", "q")) == 6


def test_archive_summarises_like_the_campaign(tmp_path):
    out = tmp_path / "c"
    p = cli("run", "tests/data/tiny.toml", "--seeds", "2", "--out", str(out), "--set", "stop.max_generations=60",
            "--workers", "1", "--no-progress")
    assert p.returncode == 0, p.stderr
    a = cli("archive", str(out), str(tmp_path / "a"))
    assert a.returncode == 0 and "archived 4 finished seed(s)" in a.stdout, a.stderr
    seed = tmp_path / "a" / "mvg" / "seed_001"
    assert not (seed / "generations.csv").exists() and (seed / "final_best.json").exists()
    with np.load(seed / "final_population.npz") as z:
        assert np.array_equal(z["population"], np.load(out / "mvg" / "seed_001" / "final_population.npy"))
        assert z["population"].dtype == np.uint8
    assert summary.markdown(tmp_path / "a") == summary.markdown(out)
    # --conditions keeps the rows asked for; the tests default to the first against the others
    one = summary.markdown(out, conditions=["mvg"])
    assert "| mvg |" in one and "| fixed |" not in one
    with pytest.raises(ValueError, match="no condition 'nope'"):
        summary.markdown(out, conditions=["mvg", "nope"])
    # an archive grows like a campaign (a session's run directories may be gone) and archives again
    g = cli("resume", str(tmp_path / "a"), "--seeds", "0-2", "--workers", "1", "--no-progress")
    assert g.returncode == 0, g.stderr
    assert (tmp_path / "a" / "mvg" / "seed_002" / "final_population.npy").exists()
    again = cli("archive", str(tmp_path / "a"), str(tmp_path / "b"))
    assert again.returncode == 0 and "archived 6 finished seed(s)" in again.stdout, again.stderr
    with np.load(tmp_path / "b" / "mvg" / "seed_001" / "final_population.npz") as z:
        assert np.array_equal(z["population"], np.load(out / "mvg" / "seed_001" / "final_population.npy"))
    # a damaged archive population is named, not a traceback, and nothing is written
    packed = tmp_path / "a" / "fixed" / "seed_000" / "final_population.npz"
    packed.write_bytes(packed.read_bytes()[:60])
    bad = cli("archive", str(tmp_path / "a"), str(tmp_path / "d"))
    assert bad.returncode != 0 and "final_population.npz: damaged population file" in bad.stderr
    assert "Traceback" not in bad.stderr and not (tmp_path / "d").exists()


def test_a_run_directory_refuses_another_config(tmp_path):
    cfg = tiny(**{"stop.max_generations": 20})
    runner.run_seed(cfg, 0, tmp_path / "r")
    with pytest.raises(runner.RunError, match="stop.max_generations"):
        runner.run_seed(tiny(**{"stop.max_generations": 50}), 0, tmp_path / "r")
    with pytest.raises(runner.RunError, match="seed 0"):
        runner.run_seed(cfg, 1, tmp_path / "r")
    assert runner.run_seed(cfg, 0, tmp_path / "r")["generations"] == 20     # the same run is returned


@pytest.mark.parametrize("tamper, message", [
    (lambda d: d.update(population=d["population"].astype(np.int64) * 0 + 10**9), "out of range"),
    (lambda d: d.update(population=d["population"].astype(float) * np.nan), "not integers"),
    (lambda d: d.update(population=d["population"][:, :5]), "shape"),
    (lambda d: d.update(meta=np.array(json.dumps({**json.loads(str(d["meta"])), "generation": -5}))),
     "generation -5"),
    (lambda d: d.update(best=d["best"].astype(np.int64) - 10**6), "best genomes hold genes out of range"),
])
def test_tampered_checkpoints_are_refused_before_anything_changes(tmp_path, tamper, message):
    cfg = tiny()
    evo = build.evolution(cfg, 0)
    for _ in range(12):
        evo.step()
    checkpoint.save(tmp_path / "c.npz", evo)
    with np.load(tmp_path / "c.npz") as z:
        data = {k: z[k] for k in z.files}
    tamper(data)
    np.savez(tmp_path / "bad.npz", **data)
    fresh = build.evolution(cfg, 0)
    before = fresh.pop.copy()
    with pytest.raises(checkpoint.CheckpointError, match=message):
        checkpoint.restore(tmp_path / "bad.npz", fresh)
    assert fresh.generation == 0 and np.array_equal(fresh.pop, before)


def test_without_a_bar_each_finished_seed_says_so(tmp_path):
    p = cli("run", "tests/data/tiny.toml", "--seeds", "2", "--out", str(tmp_path / "c"), "--set",
            "stop.max_generations=20", "--workers", "1", "--no-progress")
    assert p.returncode == 0, p.stderr
    assert p.stdout.count(" finished ") == 4 and "finished mvg seed 1 (4/4)" in p.stdout


def test_without_a_bar_a_batch_log_gets_progress_lines(tmp_path, monkeypatch, capsys):
    from kashtan import cli as kcli
    monkeypatch.setattr(runner, "LOG_EVERY", 0.0)
    assert kcli.main(["run", "tests/data/tiny.toml", "--seeds", "1", "--conditions", "fixed", "--out",
                      str(tmp_path / "c"), "--set", "stop.max_generations=6000", "--set", "stop.when_solved=false",
                      "--workers", "1", "--no-progress"]) == 0
    lines = [ln for ln in capsys.readouterr().out.splitlines() if "generations (" in ln]
    assert lines and all("of at most 6,000 generations" in ln for ln in lines)


def test_replication_scripts_read_a_campaign(tmp_path, capsys):
    """replications/module_census.py and final_table.py on a tiny campaign: one row per
    condition, counts within the runs, tests against the reference condition."""
    out = tmp_path / "c"
    p = cli("run", "tests/data/tiny.toml", "--seeds", "3", "--out", str(out), "--set", "stop.max_generations=300",
            "--workers", "1", "--no-progress")
    assert p.returncode == 0, p.stderr
    names = ("module_census", "final_table", "size_census", "sweep_figure")
    scripts = {name: importlib.import_module(f"kashtan.report.{name}") for name in names}
    census = scripts["module_census"].census(out, {"X^Y": "X ^ Y", "Z^W": "Z ^ W"})
    rows = [line for line in census.splitlines() if line.startswith("| fixed") or line.startswith("| mvg")]
    assert len(rows) == 2
    for row in rows:
        cells = [c.strip() for c in row.strip("|").split("|")]
        solved, runs = map(int, cells[1].split("/"))
        assert runs == 3 and 0 <= solved <= 3 and all(int(c.split("/")[1]) == solved for c in cells[2:5])
    text = scripts["final_table"].table(out, ["fixed"])
    assert "| fixed | 3 |" in text and "| mvg | 3 |" in text
    assert "final Q, fixed vs mvg" not in text          # only conditions sharing the prefix are compared
    assert scripts["final_table"].table([out], ["fixed"]) == text      # campaigns as a list read the same
    plan = rundir.read_campaign(out)
    sizes = scripts["size_census"]
    for c in ("fixed", "mvg"):
        cfg = plan["conditions"][c]
        assert sizes.has_cost(cfg) == (cfg["fitness"]["size_penalty"] > 0)
        row = sizes.seed_row(cfg, rundir.seed_dir(out, c, 0))
        genome = rundir.read_final_best(rundir.seed_dir(out, c, 0))[0]
        assert row["parameters"] == 2 * cfg["circuit"]["gates"] + 1 == genome.size
        assert row["used"] == len(nand.effective_gates(genome, build.problem(cfg).spec))
        assert row["modules"] * row["module_size"] <= row["nodes"] or row["modules"] == 0
        assert 0 <= row["inputs"] <= 4 and (row["inputs"] == 4 or not row["perfect"])   # G1 needs all four
    nets = {c: sizes.has_cost(api.load("replications/clune2013_retina.toml", c)) for c in ("pa", "pcc", "pcc_count")}
    assert nets == {"pa": False, "pcc": True, "pcc_count": True}
    sweep = scripts["sweep_figure"]
    lines = sweep.points([out], "parameters")
    assert list(lines) == [True] and [x for x, _ in lines[True]] == [25.0, 25.0]      # 12 gates: 2 x 12 + 1
    found = rundir.results(out)[1]
    for (_, m), c in zip(lines[True], ("fixed", "mvg")):       # the sort by x keeps the campaign's order
        assert m["q"][0] == pytest.approx(np.median([r["final"]["q"] for r in found[c]]))
    assert sweep.draw([out], "schedule.period", tmp_path / "sweep.png").stat().st_size > 10_000
    with pytest.raises(SystemExit, match="not a number"):
        sweep.x_of(plan["conditions"]["mvg"], "schedule.kind")
    text = sizes.census([out])
    assert text.count("| 3 |") == 2 and "Spearman" not in text      # one size: nothing to correlate
