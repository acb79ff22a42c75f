"""Small whole-population kernels used every generation by the loop."""
from __future__ import annotations

import numba as nb
import numpy as np

from circuits.joint_values import groups


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
def changed_rows(new, old, parents):
    """Rows i where ``new[i]`` differs from its parent ``old[parents[i]]``."""
    out = np.zeros(new.shape[0], dtype=np.bool_)
    for i in range(new.shape[0]):
        a, b = new[i], old[parents[i]]
        differ = False
        for k in range(new.shape[1]):
            differ |= a[k] != b[k]          # no early exit: the row's comparison vectorises
        out[i] = differ
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


@nb.njit(cache=True)
def connection_counts(pop, n_conn):
    """Per genome (row), how many of its first ``n_conn`` genes (connection weights) are non-zero."""
    out = np.zeros(pop.shape[0], np.int64)
    for i in range(pop.shape[0]):
        c = 0
        for k in range(n_conn):
            c += pop[i, k] != 0
        out[i] = c
    return out


@nb.njit(cache=True)
def elite_then_rest(perm, elite):
    """Rows ``0 .. elite-1``, then the others in the order ``perm`` gives them (row r at place
    ``perm[r]``)."""
    n = perm.size
    rows = np.empty(n, np.int64)
    for i in range(n):
        rows[perm[i]] = i
    out = np.empty(n, np.int64)
    for i in range(elite):
        out[i] = i
    m = elite
    for i in range(n):
        if rows[i] >= elite:
            out[m] = rows[i]
            m += 1
    return out


@nb.njit(cache=True)
def by_falling_fitness(fitness, order):
    """``order[np.argsort(-fitness[order], kind="stable")]``: a stable sort by falling fitness
    (NaN last). Fitness takes few distinct values (hundreds of ties), so the distinct values are
    found by hashing and only they are sorted, then the rows go to their buckets in order."""
    n = order.size
    vals = np.empty(n)
    for i in range(n):
        v = fitness[order[i]] + 0.0            # -0.0 becomes 0.0: equal values, equal bits
        vals[i] = v if v == v else np.nan      # and every NaN the same bits
    ids, first, d = groups(vals.view(np.uint64))
    distinct = vals[first]
    numbers = np.flatnonzero(distinct == distinct)
    place = np.full(d, numbers.size, np.int64)  # a NaN group goes after every number
    place[numbers[np.argsort(-distinct[numbers])]] = np.arange(numbers.size)
    return order[counting_order(place[ids])]


@nb.njit(cache=True)
def counting_order(keys):
    """``np.argsort(keys, kind="stable")`` for small non-negative integer keys, by counting."""
    start = np.zeros((keys.max() if keys.size else 0) + 2, np.int64)
    for i in range(keys.size):
        start[keys[i] + 1] += 1
    for k in range(start.size - 1):
        start[k + 1] += start[k]
    out = np.empty(keys.size, np.int64)
    for i in range(keys.size):
        out[start[keys[i]]] = i
        start[keys[i]] += 1
    return out


@nb.njit(cache=True)
def nand_fitness(correct, effective, total, penalty, threshold, within):
    """Kashtan & Alon's circuit fitness (``evo.problem.NandSettings``) and the perfect flags, in one
    pass: ``correct / total - penalty * max(0, effective - threshold)``; perfect = every bit right
    and, if ``within`` and there is a penalty, no more than ``threshold`` effective gates."""
    n = correct.size
    fitness = np.empty(n)
    perfect = np.empty(n, np.bool_)
    for i in range(n):
        f = correct[i] / total
        if penalty != 0.0:
            f -= penalty * max(0, effective[i] - threshold)
        fitness[i] = f
        perfect[i] = correct[i] == total and not (within and penalty != 0.0 and effective[i] > threshold)
    return fitness, perfect
