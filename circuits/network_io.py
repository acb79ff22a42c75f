"""Saving and loading layered networks as human-readable JSON.

Format (``"format": "kashtan-network/1"``)::

    {
      "format": "kashtan-network/1",
      "layers": [8, 8, 4, 2, 1],
      "model": "clune",                        # or "kashtan" (see circuits.network)
      "inputs": ["p0", ..., "p7"],             # names of the input nodes
      "connections": [["p0", "h1.0", 1], ["h1.0", "h2.1", -2], ...],   # source, target, weight
      "biases": {"h1.0": -1, ..., "out.0": 0},  # every non-input neuron
      "meta": {...}
    }

Hidden neuron k of hidden layer l is ``h<l>.<k>``; output k is ``out.<k>``.
"""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from circuits.io import CircuitFileError, check_meta, read_json
from circuits.network import NetSpec
from circuits.network_init import weights_problem

FORMAT = "kashtan-network/1"


def node_names(spec: NetSpec, input_names=None) -> list[str]:
    names = list(input_names) if input_names is not None else [f"x{i}" for i in range(spec.n_inputs)]
    if len(names) != spec.n_inputs:
        raise ValueError(f"{len(names)} input names for {spec.n_inputs} inputs")
    for lay, n in enumerate(spec.layers[1:-1], start=1):
        names += [f"h{lay}.{k}" for k in range(n)]
    return names + [f"out.{k}" for k in range(spec.n_outputs)]


def to_dict(genome: np.ndarray, spec: NetSpec, input_names=None, meta: dict | None = None) -> dict:
    names = node_names(spec, input_names)
    src, dst = spec.connections()
    w = genome[: spec.n_connections]
    return {
        "format": FORMAT,
        "layers": list(spec.layers),
        "model": spec.model,
        "inputs": names[: spec.n_inputs],
        "connections": [[names[s], names[d], int(x)] for s, d, x in zip(src, dst, w) if x != 0],
        "biases": {names[spec.n_inputs + k]: int(b) for k, b in enumerate(genome[spec.n_connections:])},
        "meta": meta or {},
    }


def from_dict(data: dict, where: str = "network") -> tuple[np.ndarray, NetSpec, list[str], dict]:
    def fail(msg):
        raise CircuitFileError(f"{where}: {msg}")

    if not isinstance(data, dict) or data.get("format") != FORMAT:
        fail(f"'format' must be {FORMAT!r}")
    layers = data.get("layers")
    if not isinstance(layers, list) or not all(isinstance(n, int) and not isinstance(n, bool) and 0 < n <= 1000
                                               for n in layers) or not 2 <= len(layers) <= 20 or layers[0] > 20:
        fail(f"'layers' must list 2 to 20 layer sizes (at most 20 inputs, 1000 per layer), found {layers!r:.80}")
    if not isinstance(data.get("connections", []), list) or not isinstance(data.get("biases") or {}, dict):
        fail("'connections' must be a list and 'biases' a table")
    try:
        spec = NetSpec(tuple(layers), data.get("model", "clune"))
    except (TypeError, ValueError) as e:
        fail(f"bad 'layers' or 'model' ({e})")
    inputs = data.get("inputs")
    if inputs is not None and not (isinstance(inputs, list) and all(isinstance(x, str) and x for x in inputs)
                                   and len(set(inputs)) == len(inputs)):
        fail(f"'inputs' must be a list of distinct input names, found {inputs!r:.60}")
    try:
        names = node_names(spec, inputs)
    except ValueError as e:
        fail(str(e))
    index = {n: i for i, n in enumerate(names)}
    src, dst = spec.connections()
    slot = {(int(s), int(d)): k for k, (s, d) in enumerate(zip(src, dst))}
    genome = np.zeros(spec.length, np.int8)
    for entry in data.get("connections", []):
        if not (isinstance(entry, list) and len(entry) == 3):
            fail(f"a connection must be [source, target, weight], found {entry!r}")
        s, d, w = entry
        if not (isinstance(s, str) and isinstance(d, str)) or s not in index or d not in index:
            fail(f"unknown node in connection {entry!r} (known: {', '.join(names)})")
        k = slot.get((index[s], index[d]))
        if k is None:
            fail(f"connection {s} -> {d} does not join adjacent layers")
        if not isinstance(w, int) or isinstance(w, bool) or w == 0 or abs(w) > 127:
            fail(f"connection {s} -> {d} has weight {w!r}; weights are non-zero integers")
        genome[k] = w
    for name, b in (data.get("biases") or {}).items():
        if not isinstance(name, str) or name not in index or index[name] < spec.n_inputs:
            fail(f"bias given for {name!r}, which is not a neuron")
        if not isinstance(b, int) or isinstance(b, bool) or abs(b) > 127:
            fail(f"bias of {name} is {b!r}; biases are small integers")
        genome[spec.n_connections + index[name] - spec.n_inputs] = b
    if spec.model == "clune" and (problem := weights_problem(genome, spec)):
        fail(problem)
    return genome, spec, names[: spec.n_inputs], check_meta(data.get("meta"), where)


def save(path, genome, spec: NetSpec, input_names=None, meta: dict | None = None) -> None:
    Path(path).write_text(json.dumps(to_dict(genome, spec, input_names, meta), indent=1) + "\n")


def load(path) -> tuple[np.ndarray, NetSpec, list[str], dict]:
    return from_dict(read_json(path), str(path))
