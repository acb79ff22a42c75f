"""Variation of layered integer-weight networks (genome layout: circuits.network).

Same signature as ``evo.operators``: ``op(pop, protect, rng, bounds, **params)``
changes unprotected rows in place. ``bounds`` is unused here: the genome layout
comes from ``spec``, bound by the toolbox.
"""
from __future__ import annotations

import numba as nb
import numpy as np

from circuits.network import NetSpec
from evo.nsga import _uniform

WEIGHTS = np.array([-2, -1, 1, 2], np.int8)


@nb.njit(cache=True, inline="always")
def _below(state, n):
    return min(int(_uniform(state) * n), n - 1)


@nb.njit(cache=True)
def _clune(pop, protect, n_conn, seed, p_add, p_remove, p_bias, bias_lo, bias_hi, weights):
    state = np.array([seed | np.uint64(1)], dtype=np.uint64)
    n_w = weights.size
    for i in range(pop.shape[0]):
        if protect[i]:
            continue
        g = pop[i]
        m = 0
        for k in range(n_conn):
            m += g[k] != 0
        if m > 0:
            pw = 2.0 / m
            for k in range(n_conn):
                if g[k] != 0 and _uniform(state) < pw:
                    idx = 0
                    while weights[idx] != g[k]:
                        idx += 1
                    if idx == 0:
                        idx = 1
                    elif idx == n_w - 1:
                        idx = n_w - 2
                    else:
                        idx += 1 if _uniform(state) < 0.5 else -1
                    g[k] = weights[idx]
        for b in range(n_conn, g.size):
            if _uniform(state) < p_bias:
                g[b] = bias_lo + _below(state, bias_hi - bias_lo + 1)
        if _uniform(state) < p_add and m < n_conn:
            r = _below(state, n_conn - m)          # the r-th absent connection
            for k in range(n_conn):
                if g[k] == 0:
                    if r == 0:
                        g[k] = weights[_below(state, n_w)]
                        m += 1
                        break
                    r -= 1
        if _uniform(state) < p_remove and m > 0:
            r = _below(state, m)                   # the r-th present connection
            for k in range(n_conn):
                if g[k] != 0:
                    if r == 0:
                        g[k] = 0
                        break
                    r -= 1


def clune_mutation(pop, protect, rng, bounds=None, spec: NetSpec = NetSpec(), add: float = 0.2,
                   remove: float = 0.2, bias: float = 1 / 24, bias_range=(-2, 2)):
    """Clune et al. 2013: each connection's weight steps to a neighbour in (-2, -1, 1, 2) with
    probability 2 / (number of connections); each bias is redrawn with probability ``bias``; one
    connection is added with probability ``add`` and one removed with probability ``remove``."""
    for name, p in (("add", add), ("remove", remove), ("bias", bias)):
        if not 0 <= p <= 1:
            raise ValueError(f"{name} = {p} is a probability and must lie in [0, 1]")
    _clune(pop, protect, spec.n_connections, np.uint64(rng.integers(1 << 63)), add, remove, bias,
           int(bias_range[0]), int(bias_range[1]), WEIGHTS)


def random_networks(spec: NetSpec, size: int, rng: np.random.Generator, max_connections: int = 120,
                    bias_range=(-2, 2)) -> np.ndarray:
    """Clune et al.'s initial networks: a uniform number of connections in [0, max_connections),
    capped at the number possible, with uniform weights and biases."""
    pop = np.zeros((size, spec.length), np.int8)
    n = np.minimum(rng.integers(0, max_connections, size=size), spec.n_connections)
    for i in range(size):
        slots = rng.choice(spec.n_connections, n[i], replace=False)
        pop[i, slots] = rng.choice(WEIGHTS, n[i])
    pop[:, spec.n_connections:] = rng.integers(bias_range[0], bias_range[1] + 1, size=(size, spec.n_neurons))
    return pop
