"""Checks of the files kashtan reads back from a run directory (campaign, results, records,
populations): each damaged or foreign file is a ``RunError`` naming the file and the problem.

``kashtan.running.rundir`` owns the layout and does the reading; this module holds what a valid file
looks like, so the rundir stays about where things are.
"""
from __future__ import annotations

import json
import math
import re
from pathlib import Path

import numpy as np

from circuits import io as circuit_io
from circuits import nand, network

COLUMNS = ["generation", "goal", "best", "mean", "median", "q", "qm", "effective",
           "best_perfect", "n_perfect", "elapsed"]


class RunError(RuntimeError):
    """A campaign that cannot start or continue, or a run directory that cannot be read."""


def read_json(path, what: str):
    """A JSON file kashtan wrote, parsed; RunError naming the file if it is missing or damaged."""
    path = Path(path)
    if not path.exists():
        raise RunError(f"{path}: no {what} file")
    try:
        return circuit_io.read_json(path)
    except circuit_io.CircuitFileError as e:
        raise RunError(f"{str(e)[:300]} (the {what} file)") from None


def read_text(path: Path, what: str) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError as e:
        raise RunError(f"{path}: cannot read the {what} file ({e.strerror})") from None
    except ValueError as e:
        raise RunError(f"{path}: damaged {what} file ({e})") from None




def _typed(value, kind) -> bool:
    if kind == "measure":
        return isinstance(value, (int, float)) and not isinstance(value, bool) and not math.isinf(value)
    if kind is float:
        return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
    if kind is int:
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(value, kind)


# optional fields of campaign.json and their types (None allowed)
CAMPAIGN_FIELDS = {"config_file": str, "scale": str, "overrides": list, "created": str, "paper": dict,
                   "provenance": dict, "resumed": list}


def check_campaign(plan, path) -> dict:
    """campaign.json's shape: conditions (configs by name), distinct seeds, optional fields typed."""
    if not isinstance(plan, dict) or not {"conditions", "seeds"} <= set(plan):
        raise RunError(f"{path}: campaign file lacks 'conditions' or 'seeds'")
    if not isinstance(plan["conditions"], dict) or not plan["conditions"] or not all(
            isinstance(cfg, dict) for cfg in plan["conditions"].values()):
        raise RunError(f"{path}: 'conditions' must map condition names to configs")
    if not isinstance(plan["seeds"], list) or not all(
            isinstance(s, int) and not isinstance(s, bool) and 0 <= s < 1_000_000 for s in plan["seeds"]) \
            or len(set(plan["seeds"])) != len(plan["seeds"]):
        raise RunError(f"{path}: 'seeds' must list distinct seeds 0 to 999,999")
    for key, kind in CAMPAIGN_FIELDS.items():
        if plan.get(key) is not None and not isinstance(plan[key], kind):
            raise RunError(f"{path}: '{key}' must be a {kind.__name__}, got {plan[key]!r:.80}")
    for record in [plan.get("provenance") or {}] + list(plan.get("resumed") or []):
        if not isinstance(record, dict) or not all(isinstance(k, str) and (v is None or isinstance(v, (str, bool)))
                                                   for k, v in record.items()):
            raise RunError(f"{path}: 'provenance' and 'resumed' must hold tables of names and versions")
    if not all(isinstance(o, str) for o in plan.get("overrides") or []):
        raise RunError(f"{path}: 'overrides' must list KEY=VALUE strings")
    for c, numbers in (plan.get("paper") or {}).items():
        if not isinstance(numbers, dict) or not all(
                isinstance(v, str) or _typed(v, float) for v in numbers.values()):
            raise RunError(f"{path}: 'paper.{c}' must map names to strings or numbers")
    return plan



RESULT_KEYS = {"seed": int, "generations": int, "solved": bool, "final": dict}
# fields a result may lack (older campaigns) or hold as null, and their types
RESULT_OPTIONAL = {"condition": str, "solved_at": int, "first_perfect": int, "at_solution": dict,
                   "elapsed": float, "final": dict}
# q and qm may be NaN (Qm is undefined when Qmax = Qrand), never infinite
GENOME_FIELDS = {"goal": str, "fitness": float, "q": "measure", "qm": "measure", "effective": int, "accuracy_all": float,
                 "generation": int, "connections": int, "perfect": bool}


def check_result(result, path: Path, run_dir) -> dict:
    """A result.json's fields: those the reports read, with their types; counts not negative."""
    if not isinstance(result, dict):
        raise RunError(f"{path}: not a result (a JSON object)")
    for key, kind in RESULT_KEYS.items():
        if not _typed(result.get(key), kind):
            raise RunError(f"{path}: '{key}' missing or not {kind.__name__}")
    for key, kind in RESULT_OPTIONAL.items():
        if result.get(key) is not None and not _typed(result[key], kind):
            raise RunError(f"{path}: '{key}' is not {kind.__name__} ({result[key]!r:.80})")
    for part in ("final", "at_solution"):
        for key, kind in GENOME_FIELDS.items():
            v = (result.get(part) or {}).get(key)
            if v is not None and not _typed(v, kind):
                raise RunError(f"{path}: '{part}.{key}' is not {'a finite number' if kind is float else 'a number' if kind == 'measure' else kind.__name__} "
                               f"({v!r:.80})")
    if result["solved"] and not isinstance(result.get("solved_at"), int):
        raise RunError(f"{path}: solved without 'solved_at'")
    if result["generations"] < 0 or (result.get("solved_at") or 0) < 0 or (result.get("first_perfect") or 0) < 0 \
            or (result.get("elapsed") or 0) < 0:
        raise RunError(f"{path}: negative generation counts")
    if result["generations"] < 1:
        raise RunError(f"{path}: a finished run of {result['generations']} generations (every run has at least one)")
    for key in ("solved_at", "first_perfect"):
        if (result.get(key) or 0) >= result["generations"]:
            raise RunError(f"{path}: '{key}' = {result[key]} is not among the run's {result['generations']} generations")
    m = re.fullmatch(r"seed_(\d+)", Path(run_dir).name)
    if m and int(m.group(1)) != result["seed"]:
        raise RunError(f"{path}: result of seed {result['seed']} in the directory of seed {int(m.group(1))}")
    return result


def genome_bounds(cfg: dict) -> tuple[int, np.ndarray, np.ndarray]:
    """Genome length and the lowest and highest allowed value of each gene, from a config alone."""
    c = cfg["circuit"]
    try:
        if c["kind"] == "network":
            spec = network.NetSpec(tuple(cfg["network"]["layers"]), cfg["network"]["model"])
            return spec.length, np.full(spec.length, -127), np.full(spec.length, 127)
        spec = nand.NandSpec(len(c["inputs"]), c["gates"], c["outputs"], c["feedback"], c["max_steps"])
    except ValueError as e:
        raise RunError(f"circuit settings: {e}") from None
    lo, hi = spec.bounds()
    return spec.length, lo, hi - 1


def check_population(pop, cfg: dict, path) -> np.ndarray:
    """A final population against its config: integer genes, one row per individual, the
    config's genome length, genes in range."""
    length, lo, hi = genome_bounds(cfg)
    if not isinstance(pop, np.ndarray) or pop.dtype.kind not in "iu":
        raise RunError(f"{path}: genes stored as {getattr(pop, 'dtype', type(pop))}, not integers")
    if pop.shape != (cfg["ga"]["population"], length):
        raise RunError(f"{path}: shape {pop.shape}, expected ({cfg['ga']['population']}, {length})")
    if ((pop < lo) | (pop > hi)).any():
        raise RunError(f"{path}: genes outside the range this config allows")
    return pop


COUNTS = ("generation", "effective", "best_perfect", "n_perfect", "elapsed")     # never negative
MEASURED = ("q", "qm")                                                         # blank when not measured


def goal_names(cfg: dict) -> set[str] | None:
    """The goals a run's records may name: the config's, for schedules that draw none of their own."""
    return set(cfg["goals"]) if cfg["schedule"]["kind"] in ("fixed", "mvg") else None


def check_row(i: int, row: dict, goals) -> None:
    numbers = [row[c] for c in COLUMNS if c not in ("goal", *MEASURED)]
    if row["generation"] != i:
        raise ValueError(f"row {i + 1} is generation {row['generation']:g}, not {i}")
    if not all(math.isfinite(v) for v in numbers) or any(math.isinf(row[c]) for c in MEASURED):
        raise ValueError(f"row {i + 1} holds a value that is not a finite number")
    if any(row[c] < 0 or (c != "elapsed" and row[c] != int(row[c])) for c in COUNTS) or row["best_perfect"] > 1:
        raise ValueError(f"row {i + 1}: generation, effective, best_perfect, n_perfect must be counts")
    if goals is not None and row["goal"] not in goals:
        raise ValueError(f"row {i + 1}: goal {row['goal'][:40]!r} is not one of the run's goals")


def check_extra(extra, path) -> None:
    """The runner's own state in a checkpoint: seconds so far and the at-solution record."""
    if not isinstance(extra, dict) or set(extra) != {"elapsed", "at_solution"} \
            or not (_typed(extra["elapsed"], float) and extra["elapsed"] >= 0) \
            or not (extra["at_solution"] is None or isinstance(extra["at_solution"], dict)):
        raise RunError(f"{path}: damaged checkpoint (its run state is not {{elapsed, at_solution}})")


def qdist_generation(line: str) -> int:
    row = json.loads(line)
    if not isinstance(row["generation"], int) or not isinstance(row["q"], list):
        raise TypeError("a row needs an integer 'generation' and a list 'q'")
    return row["generation"]


