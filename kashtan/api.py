"""The Python API: configs, single runs and campaigns from a script or notebook.

>>> from kashtan import api
>>> cfg = api.load("tests/data/tiny.toml", "mvg", set=["stop.max_generations=30"])
>>> run = api.run(cfg, seed=1)                         # doctest: +SKIP
>>> run.history["best"][-1], run.result["solved"]      # doctest: +SKIP
>>> with api.start(cfg, seed=2) as session:            # doctest: +SKIP
...     while (record := session.step()) is not None and record["best"] < 1.0:
...         pass                                       # stop when perfect, or look at session.population

Everything a run writes goes to a run directory as on the command line (``kashtan.running.rundir``), so
``kashtan summarize``, ``figures`` and ``measures`` read API runs too. Tables are pandas
DataFrames when pandas is installed (``pip install kashtan[tables]``), else dicts of numpy
arrays with the same column names. Errors are the command line's: ``ConfigError`` for a bad
config, ``RunError`` for a run directory that cannot be used.
"""
from __future__ import annotations

import contextlib
import copy
import io
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import numpy as np

from kashtan import cli
from kashtan.configuration import config
from kashtan.running import rundir, runner
from kashtan.configuration.config import ConfigError
from kashtan.running.rundir import RunError

__all__ = ["load", "conditions", "run", "Run", "start", "Session", "run_campaign", "open_campaign", "Campaign",
           "table", "ConfigError", "RunError"]


def _column(values: list):
    """Whole numbers stay integers (missing ones as pandas' nullable Int64); anything else as given."""
    nums = [v for v in values if v is not None and not (isinstance(v, float) and np.isnan(v))]
    whole = nums and all(isinstance(v, (int, np.integer, float, np.floating)) and not isinstance(v, (bool, np.bool_))
                         and float(v).is_integer() for v in nums)
    if not whole:
        return values
    if len(nums) == len(values):
        return np.asarray(values, dtype=np.int64)
    import pandas as pd
    return pd.array([None if v is None or (isinstance(v, float) and np.isnan(v)) else int(v) for v in values], "Int64")


def table(columns: dict[str, list]):
    """A pandas DataFrame of ``columns`` if pandas is installed (whole-number columns as integers),
    else a dict of numpy arrays."""
    try:
        import pandas as pd
    except ImportError:
        return {k: np.asarray(v) for k, v in columns.items()}
    return pd.DataFrame({k: _column(list(v)) for k, v in columns.items()})


def _checked(cfg: dict) -> dict:
    """A config edited after ``load`` is checked again, as the command line checks a file."""
    try:
        return config.check(copy.deepcopy(cfg))
    except ConfigError as e:
        raise ConfigError(f"the config passed to the API: {e}") from None


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
    """One seed: its directory, ``result`` (result.json; None while unfinished) and ``history`` (a
    table of every generation's record so far, the columns of ``rundir.COLUMNS``)."""
    run_dir: Path
    result: dict | None

    @property
    def finished(self) -> bool:
        return self.result is not None

    @property
    def history(self):
        return table(rundir.read_generations(self.run_dir))

    def final_best(self):
        """``(genome, spec, input names, meta)`` of the final best (rundir.FINAL_RULE)."""
        return rundir.read_final_best(self.run_dir)


def _out(out) -> Path:
    return Path(out) if out is not None else Path(tempfile.mkdtemp(prefix="kashtan_run_"))


def run(cfg: dict, seed: int = 0, out=None, on_generation: Callable[[dict], bool | None] | None = None,
        threads: int = 1) -> Run:
    """Run one seed of a config from ``load`` into ``out`` (default: a new temporary directory),
    calling ``on_generation(record)`` after every generation; resumes an interrupted run in
    ``out``. If the callback returns False the run stops there with its records and a checkpoint
    kept, and the returned ``Run`` is unfinished (``run.finished`` False; the same call continues
    it); if the callback raises, the run is kept the same way and the exception propagates."""
    cfg, out = _checked(cfg), _out(out)
    try:
        result = runner.run_seed(cfg, seed, out, threads=threads, on_generation=on_generation)
    except runner.Stopped as e:
        if e.args and e.args[0] == "callback":
            return Run(out, None)
        raise
    return Run(out, result)


class Session:
    """One seed, a generation at a time (``api.start``): ``step()`` runs one generation and returns
    its record, or None once the run has ended; ``population`` is the current population (a copy).
    ``stop()`` (or leaving a ``with`` block) keeps every record and a checkpoint, so ``start`` with
    the same ``out`` continues where it stopped. ``run`` is the seed as a ``Run``."""

    def __init__(self, cfg: dict, seed: int = 0, out=None, threads: int = 1):
        self.cfg, self.seed, self.out = _checked(cfg), seed, _out(out)
        self._live: dict = {}
        self._gen = runner.generations(self.cfg, seed, self.out, threads=threads, live=self._live)
        self.result: dict | None = None
        self._ended = False
        self._records: list[dict] = []

    @property
    def best(self) -> dict | None:
        """The best genome found so far for each goal: ``{goal: (perfect, fitness, generation,
        genome)}`` (as the run keeps them for best/GOAL.json), None before the first step."""
        evo = self._live.get("evolution")
        return None if evo is None else {k: (p, f, g, x.copy()) for k, (p, f, g, x) in evo.best_per_goal.items()}

    @property
    def history(self):
        """The records of the generations stepped in this session (a table with ``Run.history``'s
        columns; the run's whole history, earlier sessions included, is ``run.history`` after ``stop``)."""
        return table({k: [r[k] for r in self._records] for k in rundir.COLUMNS})

    @property
    def population(self):
        """The current population (a copy; genomes as rows), None before the first step."""
        evo = self._live.get("evolution")
        return None if evo is None else evo.pop.copy()

    def step(self) -> dict | None:
        if self._ended:
            return None
        try:
            record = next(self._gen)
        except StopIteration as done:
            self.result, self._ended = done.value, True
            return None
        self._records.append(record)
        return record

    def steps(self, n: int) -> list[dict]:
        """Up to ``n`` generations' records (fewer if the run ends)."""
        out = []
        while len(out) < n and (r := self.step()) is not None:
            out.append(r)
        return out

    def stop(self) -> None:
        if not self._ended:
            self._gen.close()
            self._ended = True
            if rundir.is_finished(self.out):
                self.result = rundir.read_result(self.out)

    @property
    def run(self) -> Run:
        return Run(self.out, self.result)

    def __enter__(self) -> Session:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def start(cfg: dict, seed: int = 0, out=None, threads: int = 1) -> Session:
    """Start (or continue, from ``out``) one seed to run generation by generation: a ``Session``."""
    return Session(cfg, seed, out, threads)


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
        grid = {c: _grid(c) for c in self.conditions}
        for c, s, r in self.runs():
            final = r.result["final"]
            for k, v in (("condition", c), ("seed", s), ("generations", r.result["generations"]),
                         ("solved", r.result["solved"]), ("solved_at", _nan(r.result.get("solved_at"))),
                         ("first_perfect", _nan(r.result.get("first_perfect"))),
                         ("fitness", _nan(final.get("fitness"))), ("q", _nan(final.get("q"))),
                         ("qm", _nan(final.get("qm"))), ("size", _nan(final.get("effective")))):
                cols[k].append(v)
        for key in dict.fromkeys(k for g in grid.values() for k in g):
            cols[key] = [grid[c].get(key) for c in cols["condition"]]
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


def _grid(condition: str) -> dict:
    """The grid parameters in a condition's name (``mvg__ties=random__feedback=true``), as values."""
    out = {}
    for part in condition.split("__")[1:]:
        if "=" in part:
            key, text = part.split("=", 1)
            out[key] = {"true": True, "false": False}.get(text, text)
            for kind in (int, float):
                try:
                    out[key] = kind(text)
                    break
                except ValueError:
                    pass
    return out


def _nan(v):
    return float("nan") if v is None else v


def _same_campaign(out: Path, path, seeds, conditions, scale, set) -> None:
    """Continuing a campaign is only for the same request: anything asked differently is refused."""
    plan = rundir.read_raw_campaign(out)
    names = list(plan.get("conditions", {}))
    held = {"config file": Path(str(plan.get("config_file", ""))).stem, "scale": plan.get("scale"),
            "overrides": list(plan.get("overrides") or []), "seeds": list(plan.get("seeds", [])), "conditions": names}
    asked = {"config file": Path(str(path)).stem, "scale": scale, "overrides": list(set),
             "seeds": None if seeds is None else list(range(seeds)) if isinstance(seeds, int) else list(seeds),
             "conditions": None if conditions is None else list(conditions)}
    if conditions is not None and _as_set(conditions) in (_as_set(names), _as_set(c.split("__")[0] for c in names)):
        asked["conditions"] = names
    for k in asked:
        if asked[k] is not None and asked[k] != held[k]:
            raise RunError(f"{out} already holds a campaign with other {k} ({held[k]!r}, asked {asked[k]!r}); "
                           "choose a new directory, or ask for the same campaign to continue it")


def _as_set(items) -> frozenset:
    return frozenset(items)


def run_campaign(path, out, seeds=None, conditions: list[str] | None = None, scale: str | None = None,
                 set=(), workers: int | None = None, cluster: str | None = None, progress: bool = False) -> Campaign:
    """Run a config file's conditions over ``seeds`` (a count, or a list; default the config's)
    into ``out``, as ``kashtan run`` does (same checks, same files); returns the Campaign. An
    existing campaign at ``out`` is continued (``kashtan resume``) when asked for with the same
    arguments, and refused otherwise. ``cluster``: a Dask scheduler address (``--cluster``);
    ``progress``: print the command line's progress. With ``workers`` above 1 the workers start by
    importing the calling script, so a script needs ``if __name__ == "__main__":``."""
    out = Path(out)
    argv = ([] if progress else ["--no-progress"]) + (["--workers", str(workers)] if workers else [])
    argv += ["--cluster", cluster] if cluster else []
    if (out / rundir.CAMPAIGN).exists():
        _same_campaign(out, path, seeds, conditions, scale, set)
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
    with contextlib.redirect_stdout(io.StringIO()) if not progress else contextlib.nullcontext():
        rc = parsed.func(parsed)
    if rc:
        errors = sorted(out.rglob(rundir.ERROR))
        if errors:
            raise RunError(f"{len(errors)} seed(s) of {out} failed; the first error is in {errors[0]}")
        raise RunError(f"seeds of {out} failed before they started. If this is a script run with workers, "
                       "guard its top level with `if __name__ == \"__main__\":` (workers start by importing it)")
    return Campaign(out)


def open_campaign(out) -> Campaign:
    """An existing campaign or archive directory."""
    return Campaign(out)
