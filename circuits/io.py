"""Saving and loading circuits as human-readable JSON.

Format (``"format": "kashtan-nand/1"``)::

    {
      "format": "kashtan-nand/1",
      "inputs": ["X", "Y", "Z", "W"],        # input names, bit i of the row index is input i
      "feedback": true,                      # may a gate read a later gate (or itself)?
      "max_steps": 12,                       # synchronous updates for feedback circuits
      "gates": [["X", "Y"], ["X", "g0"], ...],   # gate k reads these two sources; gates are g0, g1, ...
      "outputs": ["g9"],                     # the gate driving each output
      "meta": {...}                          # free-form: goal, fitness, seed, generation
    }

Junk gates (no path to an output) are saved too, so a loaded genome is the
evolved genome, bit for bit.
"""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from circuits.graph import node_names
from circuits.nand import GENOME_DTYPE, NandSpec

FORMAT = "kashtan-nand/1"


class CircuitFileError(ValueError):
    """A circuit file that cannot be read; the message names the file and the problem."""


def to_dict(genome: np.ndarray, spec: NandSpec, input_names=None, meta: dict | None = None) -> dict:
    names = node_names(spec, input_names)
    g = [int(x) for x in genome]
    return {
        "format": FORMAT,
        "inputs": names[: spec.n_inputs],
        "feedback": spec.feedback,
        "max_steps": spec.steps,
        "gates": [[names[g[2 * k]], names[g[2 * k + 1]]] for k in range(spec.n_gates)],
        "outputs": [names[s] for s in g[2 * spec.n_gates:]],
        "meta": meta or {},
    }


def from_dict(data: dict, where: str = "circuit") -> tuple[np.ndarray, NandSpec, list[str], dict]:
    """Genome, spec, input names and meta from a dict in the documented format."""
    def fail(msg):
        raise CircuitFileError(f"{where}: {msg}")

    if not isinstance(data, dict):
        fail("top level must be a JSON object")
    if data.get("format") != FORMAT:
        fail(f"'format' must be {FORMAT!r}, found {data.get('format')!r}")
    for key in ("inputs", "gates", "outputs"):
        if not isinstance(data.get(key), list) or not data[key]:
            fail(f"'{key}' must be a non-empty list")
    inputs, gates, outputs = data["inputs"], data["gates"], data["outputs"]
    if not all(isinstance(x, str) for x in inputs):
        fail("'inputs' must be a list of names")
    if not isinstance(data.get("feedback", True), bool):
        fail(f"'feedback' must be true or false, found {data['feedback']!r:.60}")
    steps = data.get("max_steps", 0)
    if not isinstance(steps, int) or isinstance(steps, bool) or not 0 <= steps <= 10_000:
        fail(f"'max_steps' must be an integer from 0 to 10,000, found {steps!r:.60}")
    try:
        spec = NandSpec(n_inputs=len(inputs), n_gates=len(gates), n_outputs=len(outputs),
                        feedback=data.get("feedback", True), max_steps=steps)
    except (TypeError, ValueError) as e:
        fail(str(e))
    names = node_names(spec, inputs)
    index = {n: i for i, n in enumerate(names)}
    if len(index) != len(names):
        fail(f"node names repeat: {names}")
    genes = []
    for k, pair in enumerate(gates):
        if not (isinstance(pair, list) and len(pair) == 2):
            fail(f"gate g{k} must list exactly two sources, found {pair!r}")
        genes.extend(pair)
    genes.extend(outputs)
    try:
        genome = np.array([index[s] for s in genes], dtype=GENOME_DTYPE)
    except (KeyError, TypeError) as e:
        fail(f"unknown source {e.args[0]!r} (known: {', '.join(names)})")
    try:
        spec.check(genome)
    except ValueError as e:
        fail(str(e))
    return genome, spec, list(inputs), check_meta(data.get("meta"), where)


def save(path, genome: np.ndarray, spec: NandSpec, input_names=None, meta: dict | None = None) -> None:
    Path(path).write_text(json.dumps(to_dict(genome, spec, input_names, meta), indent=1) + "\n")


def read_json(path):
    """The parsed JSON of a circuit or network file; CircuitFileError naming the file otherwise."""
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as e:
        raise CircuitFileError(f"{path}: cannot read ({e.strerror})") from None
    except ValueError as e:         # bad JSON, bad UTF-8, an integer of thousands of digits
        raise CircuitFileError(f"{path}: not valid JSON ({e})") from None
    except RecursionError:
        raise CircuitFileError(f"{path}: not valid JSON (nested too deeply)") from None


# fields of "meta" that kashtan reads back, and their types
META_TYPES = {"goal": str, "perfect": bool, "fitness": (int, float), "generation": int, "seed": int,
              "condition": str, "goals": dict, "goal_defs": dict, "rule": str}


def check_meta(meta, where: str) -> dict:
    """A file's ``meta`` table: a JSON object whose known fields have their types."""
    if meta is None:
        return {}
    if not isinstance(meta, dict):
        raise CircuitFileError(f"{where}: 'meta' must be a JSON object, got {type(meta).__name__}")
    for key, kind in META_TYPES.items():
        v = meta.get(key)
        if v is not None and (not isinstance(v, kind) or (kind in (int, (int, float)) and isinstance(v, bool))):
            raise CircuitFileError(f"{where}: 'meta.{key}' has the wrong type ({v!r})")
    for key in ("goals", "goal_defs"):
        if not all(isinstance(e, (str, list)) for e in (meta.get(key) or {}).values()):
            raise CircuitFileError(f"{where}: 'meta.{key}' must map names to expressions")
    return dict(meta)


def load(path) -> tuple[np.ndarray, NandSpec, list[str], dict]:
    return from_dict(read_json(path), str(path))
