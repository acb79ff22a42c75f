"""Checkpoints: everything an ``Evolution`` needs to continue exactly.

A checkpoint is one ``.npz`` file: the population, the best genome per goal,
and a JSON document with the generation, the numpy and Python random states,
the solve tracker and anything the caller adds (``extra``). It is written to a
temporary file and renamed, so a crash mid-write leaves the previous one intact.
"""
from __future__ import annotations

import json
import math
import os
import random
import zipfile
from collections import OrderedDict
from pathlib import Path

import numpy as np

VERSION = 2          # 2: with the run's identity (1, without, still reads)


class CheckpointError(ValueError):
    """A checkpoint that cannot be read or does not fit the run."""


def save(path, evo, extra: dict | None = None, identity: dict | None = None) -> None:
    """Write ``evo``'s state; ``identity`` (the run's seed, condition and a hash of its config)
    lets ``restore`` refuse a checkpoint copied from another run."""
    path = Path(path)
    names = list(evo.best_per_goal)
    entries = list(evo.best_per_goal.values())
    meta = {
        "version": VERSION if identity is not None else 1,
        "generation": evo.generation,
        "rng": evo.rng.bit_generator.state,
        "py_random": [evo.py_random_state[0], list(evo.py_random_state[1]), evo.py_random_state[2]],
        "tracker": evo.tracker.state(),
        "best_row": int(evo.best_row),
        "best_per_goal": [{"goal": n, "perfect": e[0], "fitness": e[1], "generation": e[2]}
                          for n, e in zip(names, entries)],
        "extra": extra or {},
        "held_generation": None if evo.held is None else evo.held[0],
        "identity": identity,
    }
    best = np.stack([e[3] for e in entries]) if entries else np.zeros((0, evo.pop.shape[1]), evo.pop.dtype)
    extra_arrays = {f"extra_{k}": v for k, v in evo.strategy.state().items()}
    if evo.held is not None:
        extra_arrays["held"] = evo.held[1]
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "wb") as f:
        np.savez(f, population=evo.pop, best=best, meta=np.array(json.dumps(meta)), **extra_arrays)
    os.replace(tmp, path)


def load(path) -> tuple[dict, np.ndarray, np.ndarray]:
    """``(meta, population, best genomes)``; raises CheckpointError naming the problem."""
    try:
        with np.load(path, allow_pickle=False) as data:
            meta = json.loads(str(data["meta"]))
            if not isinstance(meta, dict):
                raise TypeError(f"its state is a {type(meta).__name__}, not a table")
            pop, best = data["population"], data["best"]
            meta["_arrays"] = {k[6:]: data[k] for k in data.files if k.startswith("extra_")}
            meta["_held"] = data["held"] if "held" in data.files else None
    except FileNotFoundError:
        raise CheckpointError(f"{path}: no such checkpoint") from None
    except (OSError, ValueError, KeyError, TypeError, zipfile.BadZipFile, json.JSONDecodeError, EOFError) as e:
        raise CheckpointError(f"{path}: corrupt checkpoint ({type(e).__name__}: {e})") from None
    missing = {"version", "generation", "rng", "py_random", "tracker", "best_per_goal"} - set(meta)
    if missing:
        raise CheckpointError(f"{path}: corrupt checkpoint (missing {', '.join(sorted(missing))})")
    if meta["version"] not in (1, VERSION):
        raise CheckpointError(f"{path}: checkpoint version {meta['version']!r:.20}, this kashtan reads 1 and {VERSION}")
    if meta["version"] == VERSION and not isinstance(meta.get("identity"), dict):
        raise CheckpointError(f"{path}: corrupt checkpoint (version {VERSION} without the run's identity)")
    if len(meta["best_per_goal"]) != best.shape[0]:
        raise CheckpointError(f"{path}: corrupt checkpoint (best genomes do not match their index)")
    return meta, pop, best


def _genomes(path, what: str, arrays: np.ndarray, evo) -> np.ndarray:
    """``arrays`` as the run's genome dtype, refusing what would crash or mislead a kernel."""
    if arrays.ndim != 2 or arrays.shape[1] != evo.pop.shape[1]:
        raise CheckpointError(f"{path}: {what} of shape {arrays.shape}; this run's genomes have length {evo.pop.shape[1]}")
    if not np.issubdtype(arrays.dtype, np.integer):
        raise CheckpointError(f"{path}: {what} stored as {arrays.dtype}, not integers")
    out = arrays.astype(evo.pop.dtype)
    if not np.array_equal(out, arrays) or not evo.problem.genomes_valid(out):
        raise CheckpointError(f"{path}: {what} hold genes out of range for this run's genomes")
    return out


def _count(v) -> bool:
    return isinstance(v, int) and not isinstance(v, bool) and v >= 0


def _check_state(path, meta: dict, n: int) -> None:
    """The bookkeeping beside the arrays: types and ranges, so nothing is half-restored."""
    def bad(what):
        raise CheckpointError(f"{path}: corrupt checkpoint ({what})")
    if not _count(meta["generation"]):
        raise CheckpointError(f"{path}: generation {meta['generation']!r} is not a count of generations")
    row = meta.get("best_row", -1)
    if not (isinstance(row, int) and not isinstance(row, bool) and -1 <= row < n):
        bad(f"best_row {row!r} is not a row of the population")
    t = meta["tracker"]
    if not (isinstance(t, dict) and isinstance(t.get("hits"), list) and all(_count(h) for h in t["hits"])
            and all(t.get(k) is None or _count(t.get(k)) for k in ("first_perfect", "solved_at"))
            and isinstance(t.get("starts", []), list) and all(_count(e) for e in t.get("starts", []))
            and (_count(t.get("epoch", -1)) or t.get("epoch", -1) == -1)):
        bad("the solution tracker's state")
    for e in meta["best_per_goal"]:
        if not (isinstance(e, dict) and isinstance(e.get("goal"), str) and isinstance(e.get("perfect"), bool)
                and isinstance(e.get("fitness"), (int, float)) and not isinstance(e.get("fitness"), bool)
                and math.isfinite(e["fitness"]) and _count(e.get("generation"))):
            bad("an entry of best_per_goal")
    arrays = meta["_arrays"]
    if set(arrays) - {"rank", "crowd"} or any(a.ndim != 1 or a.shape[0] != n or a.dtype.kind not in "iuf"
                                                for a in arrays.values()):
        bad("the strategy's arrays")
    rank = arrays.get("rank")
    if rank is not None and (not np.isfinite(rank).all() or (rank < 0).any() or (rank != np.round(rank)).any()):
        bad("the NSGA-II fronts: not whole numbers from 0")          # NaN or -1 would sort ahead of front 0
    crowd = arrays.get("crowd")
    if crowd is not None and (np.isnan(crowd).any() or (crowd < 0).any()):
        bad("the NSGA-II crowding distances")
    if not isinstance(meta.get("extra", {}), dict):
        bad("the run's state")
    held = meta.get("held_generation")
    if (held is None) != (meta["_held"] is None) or not (held is None or _count(held)):
        bad("the held population and its generation")


def _check_identity(path, stored, identity: dict | None) -> None:
    """A checkpoint of another seed, condition or config is refused: resuming from it would label
    one run's population with another's name (a duplicated sample). Checkpoints of version 1,
    written before identities existed, carry none and are taken as they are."""
    if identity is None or stored is None:
        return
    if not isinstance(stored, dict):
        raise CheckpointError(f"{path}: corrupt checkpoint (its identity is not a table)")
    differ = [k for k in identity if identity[k] is not None and stored.get(k) != identity[k]]
    if differ:
        theirs = ", ".join(f"{k} {stored.get(k)!r:.20}" for k in differ)
        ours = ", ".join(f"{k} {identity[k]!r:.20}" for k in differ)
        raise CheckpointError(f"{path}: a checkpoint of another run ({theirs}), not of this one ({ours}); "
                              "put back this run's own checkpoint or delete it to start the seed again")


def restore(path, evo, identity: dict | None = None) -> dict:
    """Put the checkpoint's state into ``evo`` (built from the same config); return ``extra``.
    Raises CheckpointError, and leaves ``evo`` as it was, for anything that does not fit the run
    (``identity``: that of the run resuming, see ``save``)."""
    meta, pop, best = load(path)
    _check_identity(path, meta.get("identity"), identity)
    if pop.shape != evo.pop.shape:
        raise CheckpointError(f"{path}: population of shape {pop.shape} does not fit this run's {evo.pop.shape}")
    pop = _genomes(path, "population", pop, evo)
    best = _genomes(path, "best genomes", best, evo) if best.size else best.astype(evo.pop.dtype)
    _check_state(path, meta, len(evo.pop))
    held = meta["_held"]
    if held is not None:
        if held.shape != evo.pop.shape:
            raise CheckpointError(f"{path}: held population of shape {held.shape} does not fit this run's {evo.pop.shape}")
        held = (meta["held_generation"], _genomes(path, "held population", held, evo))
    generation = meta["generation"]
    try:
        probe = np.random.default_rng().bit_generator
        probe.state = meta["rng"]                 # tried on a spare first: evo stays as it was
        v, internal, gauss = meta["py_random"]
        py_state = (v, tuple(internal), gauss)
        random.Random().setstate(py_state)
        evo.rng.bit_generator.state = meta["rng"]
    except (TypeError, ValueError, KeyError, OverflowError) as e:
        raise CheckpointError(f"{path}: corrupt random state ({type(e).__name__}: {e})") from None
    evo.pop = pop
    evo.generation = generation
    evo.py_random_state = py_state
    evo.tracker.load(meta["tracker"])
    evo.best_row = int(meta.get("best_row", -1))
    evo.strategy.load(meta["_arrays"])
    evo.held = held
    evo.best_per_goal = OrderedDict(
        (e["goal"], (e["perfect"], e["fitness"], e["generation"], best[i].astype(evo.pop.dtype)))
        for i, e in enumerate(meta["best_per_goal"]))
    return meta.get("extra", {})
