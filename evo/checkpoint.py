"""Checkpoints: everything an ``Evolution`` needs to continue exactly.

A checkpoint is one ``.npz`` file: the population, the best genome per goal,
and a JSON document with the generation, the numpy and Python random states,
the solve tracker and anything the caller adds (``extra``). It is written to a
temporary file and renamed, so a crash mid-write leaves the previous one intact.
"""
from __future__ import annotations

import json
import os
import zipfile
from collections import OrderedDict
from pathlib import Path

import numpy as np

VERSION = 1


class CheckpointError(ValueError):
    """A checkpoint that cannot be read or does not fit the run."""


def save(path, evo, extra: dict | None = None) -> None:
    path = Path(path)
    names = list(evo.best_per_goal)
    entries = list(evo.best_per_goal.values())
    meta = {
        "version": VERSION,
        "generation": evo.generation,
        "rng": evo.rng.bit_generator.state,
        "py_random": [evo.py_random_state[0], list(evo.py_random_state[1]), evo.py_random_state[2]],
        "tracker": evo.tracker.state(),
        "best_row": int(evo.best_row),
        "best_per_goal": [{"goal": n, "perfect": e[0], "fitness": e[1], "generation": e[2]}
                          for n, e in zip(names, entries)],
        "extra": extra or {},
    }
    best = np.stack([e[3] for e in entries]) if entries else np.zeros((0, evo.pop.shape[1]), evo.pop.dtype)
    extra_arrays = {f"extra_{k}": v for k, v in evo.strategy.state().items()}
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "wb") as f:
        np.savez(f, population=evo.pop, best=best, meta=np.array(json.dumps(meta)), **extra_arrays)
    os.replace(tmp, path)


def load(path) -> tuple[dict, np.ndarray, np.ndarray]:
    """``(meta, population, best genomes)``; raises CheckpointError naming the problem."""
    try:
        with np.load(path, allow_pickle=False) as data:
            meta = json.loads(str(data["meta"]))
            pop, best = data["population"], data["best"]
            meta["_arrays"] = {k[6:]: data[k] for k in data.files if k.startswith("extra_")}
    except FileNotFoundError:
        raise CheckpointError(f"{path}: no such checkpoint") from None
    except (OSError, ValueError, KeyError, zipfile.BadZipFile, json.JSONDecodeError, EOFError) as e:
        raise CheckpointError(f"{path}: corrupt checkpoint ({type(e).__name__}: {e})") from None
    missing = {"version", "generation", "rng", "py_random", "tracker", "best_per_goal"} - set(meta)
    if missing:
        raise CheckpointError(f"{path}: corrupt checkpoint (missing {', '.join(sorted(missing))})")
    if meta["version"] != VERSION:
        raise CheckpointError(f"{path}: checkpoint version {meta['version']}, this kashtan reads {VERSION}")
    if len(meta["best_per_goal"]) != best.shape[0]:
        raise CheckpointError(f"{path}: corrupt checkpoint (best genomes do not match their index)")
    return meta, pop, best


def restore(path, evo) -> dict:
    """Put the checkpoint's state into ``evo`` (built from the same config); return ``extra``."""
    meta, pop, best = load(path)
    if pop.shape != evo.pop.shape:
        raise CheckpointError(f"{path}: population of shape {pop.shape} does not fit this run's {evo.pop.shape}")
    evo.pop = pop.astype(evo.pop.dtype)
    evo.generation = int(meta["generation"])
    try:
        evo.rng.bit_generator.state = meta["rng"]
    except (TypeError, ValueError, KeyError) as e:
        raise CheckpointError(f"{path}: corrupt random state ({e})") from None
    v, internal, gauss = meta["py_random"]
    evo.py_random_state = (v, tuple(internal), gauss)
    evo.tracker.load(meta["tracker"])
    evo.best_row = int(meta.get("best_row", -1))
    evo.strategy.load(meta["_arrays"])
    evo.best_per_goal = OrderedDict(
        (e["goal"], (e["perfect"], e["fitness"], e["generation"], best[i].astype(evo.pop.dtype)))
        for i, e in enumerate(meta["best_per_goal"]))
    return meta.get("extra", {})
