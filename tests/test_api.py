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
    scope: dict = {}
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
