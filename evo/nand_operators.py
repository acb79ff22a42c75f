"""Mutations that know a NAND genome's gates: add a gate, delete a gate, rewire a whole gate.

Kashtan & Alon's mutation changes one connection (``operators.rewire``). The public replication
JBQuim/Boolean-Circuit-Evolution adds two gate-level moves, and a gate the circuit does not use is
where they differ most from one rewiring:

- *add*: a gate outside the output's cone gets two random inputs, then a random connection is
  pointed at it (it joins the circuit in one step);
- *delete*: a gate (not one driving an output) is cut out: every connection naming it is set to
  another random source;
- *gate*: both inputs of one gate are redrawn (a gate-level rewire).

``gate_edit`` mixes them with one-gene rewiring, so ``add = delete = gate = 0`` is exactly
``operators.rewire`` with ``genes = 1`` in what it can reach (not in its random stream).

>>> import numpy as np
>>> from circuits.nand import NandSpec
>>> spec = NandSpec(4, 12)
>>> pop = spec.random(6, np.random.default_rng(0))
>>> before = pop.copy()
>>> gate_edit(pop, np.zeros(6, bool), np.random.default_rng(1), spec.bounds(), spec, rate=1.0, add=1.0)
>>> bool((pop != before).any()), bool(((pop >= spec.bounds()[0]) & (pop < spec.bounds()[1])).all())
(True, True)
"""
from __future__ import annotations

import numba as nb
import numpy as np

from circuits.nand import _cone_bytes

_U = 6          # uniform draws per genome besides one per gene (deletion redraws)


@nb.njit(cache=True)
def _pick(u, lo, hi):
    span = hi - lo
    return lo + min(int(u * span), span - 1)


@nb.njit(cache=True)
def _nth(flags, u):
    """Index of a uniformly chosen True entry of ``flags`` (``u`` in [0, 1)), or -1 if none."""
    count = 0
    for f in flags:
        count += f
    if count == 0:
        return -1
    pick = min(int(u * count), count - 1)
    for k in range(flags.size):
        if flags[k]:
            if pick == 0:
                return k
            pick -= 1
    return -1


@nb.njit(cache=True)
def _gate_edit(pop, protect, u, rate, add, delete, gate, lo, hi, n_in, n_gates, n_out):
    n, length = pop.shape
    mark = np.empty(n_in + n_gates, np.uint8)
    stack = np.empty(n_in + n_gates, np.int64)
    gates = np.empty(n_gates, np.bool_)
    genes = np.empty(length, np.bool_)
    for i in range(n):
        if protect[i] or u[i, 0] >= rate:
            continue
        g = pop[i]
        kind = u[i, 1]
        if kind < add:
            _cone_bytes(g, n_in, n_gates, n_out, mark, stack)
            for k in range(n_gates):                 # gates outside the output's cone
                gates[k] = not mark[n_in + k]
            j = _nth(gates, u[i, 2])
            if j < 0:
                continue
            g[2 * j] = _pick(u[i, 3], lo[2 * j], hi[2 * j])
            g[2 * j + 1] = _pick(u[i, 4], lo[2 * j + 1], hi[2 * j + 1])
            # a connection that may name gate j (its own inputs excluded) now does
            for k in range(length):
                genes[k] = k // 2 != j and lo[k] <= n_in + j < hi[k]
            k = _nth(genes, u[i, 5])
            if k >= 0:
                g[k] = n_in + j
        elif kind < add + delete:
            for k in range(n_gates):                 # gates not driving an output
                gates[k] = True
                for o in range(n_out):
                    if g[2 * n_gates + o] == n_in + k:
                        gates[k] = False
            j = _nth(gates, u[i, 2])
            if j < 0:
                continue
            for k in range(length):
                if g[k] == n_in + j and hi[k] - lo[k] > 1:
                    # uniform over the allowed sources other than gate j
                    s = _pick(u[i, _U + k], lo[k], hi[k] - 1)
                    g[k] = s + 1 if s >= n_in + j else s
        elif kind < add + delete + gate:
            j = min(int(u[i, 2] * n_gates), n_gates - 1)
            g[2 * j] = _pick(u[i, 3], lo[2 * j], hi[2 * j])
            g[2 * j + 1] = _pick(u[i, 4], lo[2 * j + 1], hi[2 * j + 1])
        else:
            k = min(int(u[i, 2] * length), length - 1)
            g[k] = _pick(u[i, 3], lo[k], hi[k])

def gate_edit(pop, protect, rng, bounds, spec, rate: float = 0.7, add: float = 0.0, delete: float = 0.0,
              gate: float = 0.0):
    """With probability ``rate`` per unprotected circuit, one move: add a gate (probability
    ``add``), delete one (``delete``), redraw both inputs of one gate (``gate``), or otherwise set
    one random connection to a random allowed source (Kashtan & Alon's rewiring). See the module
    docstring. ``spec`` is the circuits' ``NandSpec`` (supplied by the problem).

    Changes ``pop`` in place. Random: one ``rng.random((n, 6 + length))`` draw.
    """
    for name, p in (("rate", rate), ("add", add), ("delete", delete), ("gate", gate)):
        if not 0.0 <= p <= 1.0:
            raise ValueError(f"{name} = {p} must lie in [0, 1]")
    if add + delete + gate > 1.0 + 1e-12:
        raise ValueError(f"add + delete + gate = {add + delete + gate:g} must not exceed 1")
    if not hasattr(spec, "n_gates"):
        raise ValueError("gate_edit works on NAND circuits only (circuit.kind = \"nand\")")
    u = rng.random((pop.shape[0], _U + pop.shape[1]))
    _gate_edit(pop, protect, u, rate, add, delete, gate, bounds[0], bounds[1],
               spec.n_inputs, spec.n_gates, spec.n_outputs)
