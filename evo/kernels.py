"""Small whole-population kernels used every generation by the loop."""
from __future__ import annotations

import numba as nb
import numpy as np


@nb.njit(cache=True)
def summary(fitness, perfect, prefer):
    """``(best, mean, median, n_perfect, best_perfect)`` of one generation.

    ``best`` is ``prefer`` when that row ties for the top fitness (so the
    tracked best genome only changes when something beats it), else the first
    top row. ``best_perfect`` is the fittest perfect row, or -1.
    """
    n = fitness.size
    best = 0
    total = 0.0
    n_perfect = 0
    best_perfect = -1
    for i in range(n):
        f = fitness[i]
        total += f
        if f > fitness[best]:
            best = i
        if perfect[i]:
            n_perfect += 1
            if best_perfect < 0 or f > fitness[best_perfect]:
                best_perfect = i
    if 0 <= prefer < n and fitness[prefer] == fitness[best]:
        best = prefer
    return best, total / n, np.median(fitness), n_perfect, best_perfect


@nb.njit(cache=True)
def changed_rows(a, b):
    """Rows where the two genome arrays differ."""
    out = np.zeros(a.shape[0], dtype=np.bool_)
    for i in range(a.shape[0]):
        for k in range(a.shape[1]):
            if a[i, k] != b[i, k]:
                out[i] = True
                break
    return out


@nb.njit(cache=True)
def first_unchanged_copy(parents, changed, row):
    """Where row ``row`` of the old population survives unchanged in the new one, or -1."""
    for i in range(parents.size):
        if parents[i] == row and not changed[i]:
            return i
    return -1


@nb.njit(cache=True)
def neurons_with_input(pop, n_conn, dst, n_nodes):
    """Per genome (row), how many nodes receive at least one connection (``pop[:, k] != 0``
    for connection k into ``dst[k]``)."""
    out = np.zeros(pop.shape[0], np.int64)
    seen = np.zeros(n_nodes, np.bool_)
    for i in range(pop.shape[0]):
        seen[:] = False
        for k in range(n_conn):
            if pop[i, k] != 0 and not seen[dst[k]]:
                seen[dst[k]] = True
                out[i] += 1
    return out
