"""The Python API: configs, single runs and campaigns from a script or notebook.

>>> from kashtan import api
>>> cfg = api.load("tests/data/tiny.toml", "mvg", set=["stop.max_generations=30"])
>>> run = api.run(cfg, seed=1)                         # doctest: +SKIP
>>> run.history["best"][-1], run.result["solved"]      # doctest: +SKIP

Everything a run writes goes to a run directory as on the command line (``kashtan.rundir``), so
``kashtan summarize``, ``figures`` and ``measures`` read API runs too. Tables are pandas
DataFrames when pandas is installed (``pip install kashtan[tables]``), else dicts of numpy
arrays with the same column names. Errors are the command line's: ``ConfigError`` for a bad
config, ``RunError`` for a run directory that cannot be used.
"""
from __future__ import annotations

import contextlib
import io
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import numpy as np

from kashtan import cli, config, rundir, runner
from kashtan.config import ConfigError
from kashtan.rundir import RunError

__all__ = ["load", "conditions", "run", "Run", "run_campaign", "open_campaign", "Campaign", "table",
           "ConfigError", "RunError"]


def table(columns: dict[str, list]):
    """A pandas DataFrame of ``columns`` if pandas is installed, else a dict of numpy arrays."""
    try:
        import pandas as pd
    except ImportError:
        return {k: np.asarray(v) for k, v in columns.items()}
    return pd.DataFrame(columns)


def load(path, condition: str | None = None, scale: str | None = None, set=()) -> dict:
    """The checked config of one condition of a TOML file (the first when not named), with the
    ``[scale.NAME]`` overrides and ``set`` overrides (``"ga.population=200"``) applied."""
    raw = config.read_file(path)
    names = config.conditions(raw)
    name = condition or names[0]
    if name not in names:
        raise ConfigError(f"unknown condition {name!r}; {path} has: {', '.join(names)}")
    return config.resolve(raw, name, scale, list(set))


def conditions(path) -> list[str]:
    """The condition names of a config file (grid conditions expanded)."""
    return config.conditions(config.read_file(path))


@dataclass
class Run:
    """One finished seed: its directory, ``result`` (result.json) and ``history`` (a table of
    every generation's record, the columns of ``rundir.COLUMNS``)."""
    run_dir: Path
    result: dict

    @property
    def history(self):
        return table(rundir.read_generations(self.run_dir))

    def final_best(self):
        """``(genome, spec, input names, meta)`` of the final best (rundir.FINAL_RULE)."""
        return rundir.read_final_best(self.run_dir)


def run(cfg: dict, seed: int = 0, out=None, on_generation: Callable[[dict], None] | None = None,
        threads: int = 1) -> Run:
    """Run one seed of a config from ``load`` into ``out`` (default: a new temporary directory),
    calling ``on_generation(record)`` after every generation; resumes an interrupted run in
    ``out``. Returns the finished ``Run``."""
    out = Path(out) if out is not None else Path(tempfile.mkdtemp(prefix="kashtan_run_"))
    result = runner.run_seed(cfg, seed, out, threads=threads, on_generation=on_generation)
    return Run(out, result)


class Campaign:
    """A campaign directory: every condition x seed of a config, as ``kashtan run`` writes it."""

    def __init__(self, out):
        self.out = Path(out)
        self.plan = rundir.read_campaign(self.out)

    @property
    def conditions(self) -> list[str]:
        return list(self.plan["conditions"])

    def runs(self):
        """``(condition, seed, Run)`` of every finished seed, seed by seed across conditions."""
        for c, s in rundir.jobs_of(self.plan):
            d = rundir.seed_dir(self.out, c, s)
            if rundir.is_finished(d):
                yield c, s, Run(d, rundir.read_result(d))

    def results(self):
        """One row per finished seed: generations, solved, time to solve, and the final best's
        fitness, Q, Qm and size."""
        cols: dict[str, list] = {k: [] for k in ("condition", "seed", "generations", "solved", "solved_at",
                                                 "first_perfect", "fitness", "q", "qm", "size")}
        for c, s, r in self.runs():
            final = r.result["final"]
            for k, v in (("condition", c), ("seed", s), ("generations", r.result["generations"]),
                         ("solved", r.result["solved"]), ("solved_at", _nan(r.result.get("solved_at"))),
                         ("first_perfect", _nan(r.result.get("first_perfect"))),
                         ("fitness", _nan(final.get("fitness"))), ("q", _nan(final.get("q"))),
                         ("qm", _nan(final.get("qm"))), ("size", _nan(final.get("effective")))):
                cols[k].append(v)
        return table(cols)

    def history(self, every: int = 1):
        """Every ``every``-th generation record of every finished seed, with condition and seed
        columns: one tidy table across the campaign."""
        cols: dict[str, list] = {"condition": [], "seed": [], **{k: [] for k in rundir.COLUMNS}}
        for c, s, r in self.runs():
            h = rundir.read_generations(r.run_dir)
            n = len(h["generation"])
            keep = range(0, n, every)
            cols["condition"] += [c] * len(keep)
            cols["seed"] += [s] * len(keep)
            for k in rundir.COLUMNS:
                cols[k] += [h[k][i] for i in keep]
        return table(cols)

    def to_parquet(self, path, every: int = 1) -> Path:
        """Write ``results()`` and ``history(every)`` as two Parquet files, ``PATH_results.parquet``
        and ``PATH_history.parquet`` (needs pandas and pyarrow); returns the results file."""
        try:
            import pandas  # noqa: F401
            import pyarrow  # noqa: F401
        except ImportError:
            raise RuntimeError("Parquet export needs pandas and pyarrow: pip install 'kashtan[tables]'") from None
        path = Path(path)
        self.results().to_parquet(path.with_name(path.name + "_results.parquet"), index=False)
        self.history(every).to_parquet(path.with_name(path.name + "_history.parquet"), index=False)
        return path.with_name(path.name + "_results.parquet")


def _nan(v):
    return float("nan") if v is None else v


def run_campaign(path, out, seeds=None, conditions: list[str] | None = None, scale: str | None = None,
                 set=(), workers: int | None = None) -> Campaign:
    """Run a config file's conditions over ``seeds`` (a count, or a list; default the config's)
    into ``out``, as ``kashtan run`` does (same checks, same files), quietly; returns the Campaign.
    An existing campaign at ``out`` is continued instead (``kashtan resume``)."""
    argv = ["--no-progress"] + (["--workers", str(workers)] if workers else [])
    if (Path(out) / rundir.CAMPAIGN).exists():
        args = ["resume", str(out), *argv]
    else:
        args = ["run", str(path), "--out", str(out), *argv]
        if seeds is not None:
            args += ["--seeds", str(seeds) if isinstance(seeds, int) else ",".join(map(str, seeds))]
        if conditions:
            args += ["--conditions", ",".join(conditions)]
        if scale:
            args += ["--scale", scale]
        for s in set:
            args += ["--set", s]
    parsed = cli.parser().parse_args(args)
    with contextlib.redirect_stdout(io.StringIO()):
        rc = parsed.func(parsed)
    if rc:
        raise RunError(f"some seeds of {out} failed; see the error.txt files in their directories")
    return Campaign(out)


def open_campaign(out) -> Campaign:
    """An existing campaign or archive directory."""
    return Campaign(out)
