"""The README's Python API example runs as written, and the API's tables hold what the run wrote."""
import re
from pathlib import Path

import numpy as np
import pytest

from kashtan import api


def readme_example() -> str:
    text = Path("README.md").read_text()
    block = re.search(r"### Python API.*?```python\n(.*?)```", text, re.S)
    assert block, "README has no Python API example"
    return block.group(1)


def test_readme_example_runs(tmp_path, monkeypatch):
    code = readme_example().replace("runs/api_demo", str(tmp_path / "api_demo"))
    scope: dict = {"__name__": "__main__"}
    exec(compile(code, "README.md", "exec"), scope)
    run, campaign, results, tidy = scope["run"], scope["campaign"], scope["results"], scope["tidy"]
    history = run.history
    assert list(history["generation"]) == list(range(len(history["generation"])))
    assert scope["best"] == list(history["best"])                 # the callback saw every record
    assert len(results["seed"]) == 4 and set(results["condition"]) == {"fixed_G1", "mvg"}
    assert len(tidy["generation"]) == sum((n + 9) // 10 for n in results["generations"])
    import pandas as pd
    back = pd.read_parquet(tmp_path / "api_demo" / "tables_results.parquet")
    assert back["q"].tolist() == pytest.approx(list(results["q"]), nan_ok=True)


def test_tables_without_pandas(tmp_path, monkeypatch):
    import builtins
    real = builtins.__import__

    def no_pandas(name, *a, **k):
        if name == "pandas":
            raise ImportError(name)
        return real(name, *a, **k)
    monkeypatch.setattr(builtins, "__import__", no_pandas)
    cfg = api.load("tests/data/tiny.toml", "fixed", set=["stop.max_generations=20"])
    run = api.run(cfg, seed=0, out=tmp_path / "r")
    h = run.history
    assert isinstance(h, dict) and isinstance(h["best"], np.ndarray) and h["generation"].tolist() == list(range(20))
    campaign = api.run_campaign("tests/data/tiny.toml", tmp_path / "c", seeds=1, conditions=["fixed"],
                                set=["stop.max_generations=20"])
    assert campaign.results()["generations"].tolist() == [20]
    with pytest.raises(RuntimeError, match="pandas and pyarrow"):
        campaign.to_parquet(tmp_path / "t")


def test_api_errors_are_the_command_lines(tmp_path):
    with pytest.raises(api.ConfigError, match="unknown condition"):
        api.load("tests/data/tiny.toml", "nope")
    with pytest.raises(api.ConfigError, match="ga.population"):
        api.load("tests/data/tiny.toml", set=["ga.population=0"])
    with pytest.raises(api.RunError, match="not a campaign directory"):
        api.open_campaign(tmp_path)


def test_readme_example_runs_as_a_script_with_workers(tmp_path):
    """Saved as a file and run: campaign workers start by importing it (spawn)."""
    import subprocess
    import sys
    code = readme_example().replace("runs/api_demo", str(tmp_path / "api_demo"))
    code = code.replace('scale="quick",\n                                set=', 'scale="quick", workers=2,\n                                set=')
    assert "workers=2" in code
    script = tmp_path / "example.py"
    script.write_text(code)
    done = subprocess.run([sys.executable, str(script)], cwd=Path.cwd(), capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    assert len(api.open_campaign(tmp_path / "api_demo").results()["seed"]) == 4


TINY = ["stop.max_generations=40", "record.checkpoint_every=1000"]


def test_a_callback_stops_a_run_and_the_same_call_continues_it_exactly(tmp_path):
    cfg = api.load("tests/data/tiny.toml", "mvg", set=TINY)
    whole = api.run(cfg, seed=5, out=tmp_path / "whole").history
    stopped = api.run(cfg, seed=5, out=tmp_path / "part", on_generation=lambda row: row["generation"] < 17)
    assert not stopped.finished and len(stopped.history["generation"]) == 18     # records up to the stop kept
    again = api.run(cfg, seed=5, out=tmp_path / "part")
    assert again.finished and again.history.equals(whole.drop(columns="elapsed").assign(elapsed=again.history["elapsed"]))


def test_a_callback_that_raises_keeps_the_records(tmp_path):
    cfg = api.load("tests/data/tiny.toml", "fixed", set=TINY)

    def boom(row):
        if row["generation"] == 12:
            raise KeyError("mine")
    with pytest.raises(KeyError, match="mine"):
        api.run(cfg, seed=1, out=tmp_path / "r", on_generation=boom)
    assert len(api.Run(tmp_path / "r", None).history["generation"]) == 13
    whole = api.run(cfg, seed=1, out=tmp_path / "w").history
    resumed = api.run(cfg, seed=1, out=tmp_path / "r").history
    assert resumed["best"].tolist() == whole["best"].tolist()


def test_a_session_steps_stops_and_continues(tmp_path):
    cfg = api.load("tests/data/tiny.toml", "mvg", set=TINY)
    whole = api.run(cfg, seed=2, out=tmp_path / "whole").history
    with api.start(cfg, seed=2, out=tmp_path / "s") as session:
        assert session.population is None
        first = session.steps(10)
        assert [r["generation"] for r in first] == list(range(10))
        assert session.population.shape[0] == cfg["ga"]["population"]
        perfect, fitness, generation, genome = session.best["G1"] if "G1" in session.best else next(iter(session.best.values()))
        assert generation <= 9 and genome.shape == session.population.shape[1:]
        assert len(session.history["generation"]) == 10
    assert not session.run.finished
    session = api.start(cfg, seed=2, out=tmp_path / "s")
    rest = []
    while (r := session.step()) is not None:
        rest.append(r)
    assert session.run.finished and session.step() is None
    assert [r["best"] for r in first + rest] == whole["best"].tolist()


def test_an_edited_config_is_checked_again(tmp_path):
    cfg = api.load("tests/data/tiny.toml", "fixed", set=TINY)
    cfg["ga"]["mutate_args"]["rate"] = 7.0
    with pytest.raises(api.ConfigError, match="probability"):
        api.run(cfg, out=tmp_path / "r")
    with pytest.raises(api.ConfigError, match="probability"):
        api.start(cfg, out=tmp_path / "s")


def test_run_campaign_continues_the_same_request_and_refuses_another(tmp_path):
    out = tmp_path / "c"
    args = dict(seeds=2, conditions=["fixed"], set=["stop.max_generations=20"])
    first = api.run_campaign("tests/data/tiny.toml", out, **args)
    assert len(api.run_campaign("tests/data/tiny.toml", out, **args).results()["seed"]) == 2
    for change, word in ((dict(seeds=3), "seeds"), (dict(set=["stop.max_generations=30"]), "overrides"),
                         (dict(conditions=["mvg"]), "conditions")):
        with pytest.raises(api.RunError, match=f"other {word}"):
            api.run_campaign("tests/data/tiny.toml", out, **{**args, **change})
    results = first.results()
    assert str(results["generations"].dtype) == "int64" and str(results["seed"].dtype) == "int64"


def test_grid_parameters_become_columns():
    assert api._grid("mvg__ties=random__feedback=true__rate=0.5__gates=16") == {
        "ties": "random", "feedback": True, "rate": 0.5, "gates": 16}
    assert api._grid("fixed_G1") == {}
