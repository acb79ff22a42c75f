"""Connection costs of NAND circuits whose inputs, gates and outputs sit at positions (issue 11).

A circuit's wires are the two inputs of each gate and the wire from each output's gate to the
output pin. The cost sums one term per wire:

* ``"count"``: 1 per wire (a total cost, blind to position);
* ``"squared"``: squared Euclidean length (Clune et al.'s kind of cost, at fixed positions);
* ``"l1"``, ``"l2"``: city-block or Euclidean length (local costs that grow more slowly with distance).

Only gates with a path to an output count (``on = "simplified"``, as the network cost in Clune
et al.'s code); ``on = "all"`` charges every gate's wires.

Positions (``layout_positions``): inputs in a row at y = 0 (x = 0, 1, ...), gates in rows of
the same width above them in index order (so without feedback every gate's sources lie at or
below its row), output pins in a row above the gates, centred. The layout moves the inputs
only: ``paper`` (in order, X Y Z W), ``interleaved`` (the two halves alternate: X Z Y W),
``shuffled`` (a random order from ``seed``).

>>> import numpy as np
>>> from circuits.nand import NandSpec
>>> spec = NandSpec(n_inputs=2, n_gates=4)
>>> xor = np.array([0, 1, 0, 2, 1, 2, 3, 4, 5], dtype=np.int32)   # the 4-NAND XOR
>>> xy = layout_positions(spec)
>>> xy.tolist()
[[0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [1.0, 1.0], [0.0, 2.0], [1.0, 2.0], [0.5, 3.0]]
>>> float(costs(xor[None], spec, "count", xy)[0])                 # 8 gate inputs and the output wire
9.0
>>> float(costs(xor[None], spec, "squared", xy)[0])     # gates (1+2) + (2+1) + (5+1) + (1+1), output 1.25
15.25
"""
from __future__ import annotations

import numba as nb
import numpy as np

from circuits.costs import LAYOUTS, place_inputs
from circuits.nand import GENOME_DTYPE, NandSpec, _cone_bytes

KINDS = ("count", "squared", "l1", "l2")
__all__ = ["KINDS", "LAYOUTS", "ON", "costs", "layout_positions", "check_positions"]
ON = ("simplified", "all")


def layout_positions(spec: NandSpec, layout: str = "paper", seed: int = 0) -> np.ndarray:
    """(x, y) of every node: inputs, then gates, then output pins (shape (n_in + n_gates + n_out, 2))."""
    n, g, o = spec.n_inputs, spec.n_gates, spec.n_outputs
    width = max(n, 2)
    xy = [(float(i), 0.0) for i in range(n)]
    xy += [(float(k % width), 1.0 + k // width) for k in range(g)]
    top = 1.0 + (g - 1) // width + 1
    xy += [((width - 1) / 2 + j - (o - 1) / 2, top) for j in range(o)]
    return place_inputs(np.array(xy), n, layout, seed)


def check_positions(spec: NandSpec, xy) -> np.ndarray:
    xy = np.asarray(xy, dtype=float)
    want = spec.n_inputs + spec.n_gates + spec.n_outputs
    if xy.shape != (want, 2) or not np.isfinite(xy).all():
        raise ValueError(f"positions must be {want} finite (x, y) pairs (inputs, gates, outputs), got shape {xy.shape}")
    return xy


@nb.njit(cache=True, inline="always")
def _wire(xy, a, b, metric):
    dx = xy[a, 0] - xy[b, 0]
    dy = xy[a, 1] - xy[b, 1]
    if metric == 0:
        return 1.0
    if metric == 1:
        return dx * dx + dy * dy
    if metric == 2:
        return abs(dx) + abs(dy)
    return np.sqrt(dx * dx + dy * dy)


@nb.njit(cache=True)
def _costs(pop, n_in, n_gates, n_out, xy, metric, every, out):
    mark = np.empty(n_in + n_gates, np.uint8)
    stack = np.empty(n_in + n_gates, np.int64)
    for i in range(pop.shape[0]):
        g = pop[i]
        _cone_bytes(g, n_in, n_gates, n_out, mark, stack)
        total = 0.0
        for k in range(n_gates):
            if every or mark[n_in + k]:
                total += _wire(xy, g[2 * k], n_in + k, metric) + _wire(xy, g[2 * k + 1], n_in + k, metric)
        for j in range(n_out):
            total += _wire(xy, g[2 * n_gates + j], n_in + n_gates + j, metric)
        out[i] = total


def costs(pop: np.ndarray, spec: NandSpec, kind: str = "squared", xy=None, on: str = "simplified") -> np.ndarray:
    """Connection cost of every circuit of ``pop`` (rows), lower is cheaper."""
    if kind not in KINDS:
        raise ValueError(f"unknown circuit cost {kind!r}; choose one of {', '.join(KINDS)}")
    if on not in ON:
        raise ValueError(f"cost_on must be one of {', '.join(ON)}, got {on!r}")
    xy = layout_positions(spec) if xy is None else check_positions(spec, xy)
    pop = np.ascontiguousarray(np.atleast_2d(pop), dtype=GENOME_DTYPE)
    out = np.empty(pop.shape[0])
    _costs(pop, spec.n_inputs, spec.n_gates, spec.n_outputs, xy, KINDS.index(kind), on == "all", out)
    return out
