"""NSGA-II with probabilistic dominance (Clune, Mouret & Lipson 2013).

All objectives are maximised (negate costs). In every dominance comparison each
objective counts only with its own probability ``probs[k]`` (drawn afresh per
pair); i dominates j if, on the objectives that count, i is nowhere worse and
somewhere better. With every probability 1 this is ordinary Pareto dominance.

``ranks`` returns each individual's front (0 = non-dominated): one plus the
highest front among its dominators. Two exact algorithms:

* ``pairwise_ranks``: every pair drawn once and compared, any probabilities;
  fronts are peeled: front f holds those with no dominator left. With a
  probability below 1 the draws can run in a cycle (i over j on one objective, j
  over k and k over i on others) and a peel would free nobody; then those left
  with the fewest dominators left form the front. Without a cycle this is exactly
  the usual rule (and the fast path below). Sferes2 (Clune et al.'s code) draws
  every comparison anew at each peel instead; with 300 individuals and
  probabilities (0.9, 0.5) a peel then frees nobody in almost every attempt (a
  run took minutes per sort), so that rule is not used. O(k N^2 + R N^2).
* ``two_objective_ranks``: two objectives with the first always counted (the
  paper's performance 1.0, cost p). Against a dominator at a higher performance
  with no worse cost the outcome is sure; every other candidate dominates with a
  fixed probability (1 - p above, p at equal performance with better cost), so
  the highest dominating front can be sampled front by front, in distribution
  the same as drawing every pair. O(N log N + N R) for R fronts.

``survivors`` keeps the best ``n`` by front then crowding distance (NSGA-II's
environmental selection); ``tournament`` is its binary tournament.
"""
from __future__ import annotations

import numba as nb
import numpy as np

from circuits.xorshift import uniform as _uniform
from evo.kernels import by_falling_fitness, counting_order


@nb.njit(cache=True)
def _pairwise(obj, probs, seed):
    n, k = obj.shape
    state = np.array([seed | np.uint64(1)], dtype=np.uint64)
    dom = np.zeros((n, n), np.bool_)              # dom[i, j]: i dominates j (drawn once per pair)
    counted = np.empty(k, np.bool_)
    for i in range(n):
        for j in range(i + 1, n):
            for t in range(k):
                counted[t] = probs[t] >= 1.0 or _uniform(state) < probs[t]
            i_better = False
            j_better = False
            for t in range(k):
                if counted[t]:
                    if obj[i, t] > obj[j, t]:
                        i_better = True
                    elif obj[i, t] < obj[j, t]:
                        j_better = True
            dom[i, j] = i_better and not j_better
            dom[j, i] = j_better and not i_better
    count = np.zeros(n, np.int64)                 # dominators not yet given a front
    for i in range(n):
        for j in range(n):
            if dom[i, j]:
                count[j] += 1
    rank = np.full(n, -1, np.int64)
    left = n
    front = 0
    while left:
        # nobody free (count 0) means the draws ran in a cycle: the least dominated go first
        low = n
        for i in range(n):
            if rank[i] < 0 and count[i] < low:
                low = count[i]
        members = np.flatnonzero((rank < 0) & (count == low))
        rank[members] = front
        for i in members:
            for j in range(n):
                if dom[i, j]:
                    count[j] -= 1
        left -= members.size
        front += 1
    return rank


def pairwise_ranks(obj: np.ndarray, probs, rng: np.random.Generator) -> np.ndarray:
    obj = np.ascontiguousarray(obj, dtype=np.float64)
    probs = np.asarray(probs, dtype=np.float64)
    return _pairwise(obj, probs, np.uint64(rng.integers(1 << 63)))


@nb.njit(cache=True)
def _two_objective(f, g, p, seed):
    n = f.size
    state = np.array([seed | np.uint64(1)], dtype=np.uint64)
    # positions of g in descending order (equal g share a position), for "g_i >= g_j" prefix queries;
    # the stable order by falling g, as np.argsort(-g, kind="mergesort") (Numba's took twice as long)
    g_order = by_falling_fitness(g, np.arange(n))
    # f descending, then g descending, then row (np.lexsort((-g, -f))): the g order sorted stably by f
    order = by_falling_fitness(f, g_order)
    gpos = np.empty(n, np.int64)
    pos = 0
    for t in range(n):
        if t > 0 and g[g_order[t]] != g[g_order[t - 1]]:
            pos += 1
        gpos[g_order[t]] = pos
    tree = np.zeros(pos + 2, np.int64)            # Fenwick tree of max (rank + 1); 0 = none
    hi_cnt = np.zeros(n + 1, np.int64)            # members of finished (higher-f) levels per rank
    same_cnt = np.zeros(n + 1, np.int64)          # members of this level with strictly greater g, per rank
    rank = np.zeros(n, np.int64)
    top = -1                                      # highest rank assigned so far
    a = 0                                         # order: f descending, then g descending
    while a < n:
        b = a
        while b < n and f[order[b]] == f[order[a]]:
            b += 1
        c = a
        while c < b:                              # groups of equal g within the level
            d = c
            while d < b and g[order[d]] == g[order[c]]:
                d += 1
            for t in range(c, d):
                j = order[t]
                sure = 0                          # Fenwick prefix max over g positions <= gpos[j]
                x = gpos[j] + 1
                while x > 0:
                    if tree[x] > sure:
                        sure = tree[x]
                    x -= x & (-x)
                best = sure - 1                   # highest dominating rank so far (-1: none)
                for r in range(top, best, -1):
                    none = p ** hi_cnt[r] * (1.0 - p) ** same_cnt[r]
                    if (hi_cnt[r] or same_cnt[r]) and _uniform(state) >= none:
                        best = r
                        break
                rank[j] = best + 1
            for t in range(c, d):
                same_cnt[rank[order[t]]] += 1
                if rank[order[t]] > top:
                    top = rank[order[t]]
            c = d
        for t in range(a, b):
            j = order[t]
            same_cnt[rank[j]] -= 1
            hi_cnt[rank[j]] += 1
            x = gpos[j] + 1
            while x < tree.size:
                if tree[x] < rank[j] + 1:
                    tree[x] = rank[j] + 1
                x += x & (-x)
        a = b
    return rank


def two_objective_ranks(obj: np.ndarray, p: float, rng: np.random.Generator) -> np.ndarray:
    """Fronts when objective 0 always counts and objective 1 counts with probability ``p``."""
    obj = np.asarray(obj, dtype=np.float64)
    f, g = np.ascontiguousarray(obj[:, 0]), np.ascontiguousarray(obj[:, 1])
    return _two_objective(f, g, float(p), np.uint64(rng.integers(1 << 63)))


def ranks(obj: np.ndarray, probs, rng: np.random.Generator) -> np.ndarray:
    """Front index of every row of ``obj`` (0 = non-dominated), dominance drawn with ``probs``."""
    probs = np.asarray(probs, dtype=np.float64)
    bad = ~np.isfinite(obj).all(axis=0)
    if bad.any():
        # NaN compares false both ways, so a NaN row would never join a front and sorting never ends
        raise ValueError(f"objective(s) {np.flatnonzero(bad).tolist()} have NaN or infinite values; "
                         "check the cost settings (coordinates, penalties)")
    if probs.size != obj.shape[1]:
        raise ValueError(f"{probs.size} dominance probabilities for {obj.shape[1]} objectives")
    if ((probs < 0) | (probs > 1)).any():
        raise ValueError(f"dominance probabilities must lie in [0, 1], got {probs.tolist()}")
    if obj.shape[1] == 1 and probs[0] == 1.0:     # one objective: fronts are its levels
        return np.unique(-obj[:, 0], return_inverse=True)[1].astype(np.int64)
    if obj.shape[1] == 2 and probs[0] == 1.0:
        return two_objective_ranks(obj, probs[1], rng)
    return pairwise_ranks(obj, probs, rng)


@nb.njit(cache=True)
def _crowding(obj, rank):
    n, k = obj.shape
    dist = np.zeros(n)
    by_front = counting_order(rank)
    a = 0
    while a < n:
        b = a
        while b < n and rank[by_front[b]] == rank[by_front[a]]:
            b += 1
        members = by_front[a:b]
        m = b - a
        a = b
        if m <= 2:
            for i in members:
                dist[i] = np.inf
            continue
        for t in range(k):
            vals = obj[members, t]
            order = np.argsort(vals, kind="mergesort")
            lo, hi = vals[order[0]], vals[order[m - 1]]
            dist[members[order[0]]] = np.inf
            dist[members[order[m - 1]]] = np.inf
            if hi == lo:
                continue
            for s in range(1, m - 1):
                dist[members[order[s]]] += (vals[order[s + 1]] - vals[order[s - 1]]) / (k * (hi - lo))
    return dist


def crowding(obj: np.ndarray, rank: np.ndarray) -> np.ndarray:
    """NSGA-II crowding distance within each front (boundary members: infinity), scaled as
    DEAP's ``assignCrowdingDist``: each objective's gaps over k times its range."""
    return _crowding(np.ascontiguousarray(obj, np.float64), np.ascontiguousarray(rank, np.int64))


@nb.njit(cache=True)
def _survivors(rank, crowd, perm, n):
    """``perm[np.lexsort((-crowd[perm], rank[perm]))][:n]``: ``perm`` sorted stably by front (counting),
    then each front sorted stably by falling crowding, only as far as the ``n`` kept reach."""
    ordered = perm[counting_order(rank[perm])]
    out = np.empty(n, np.int64)
    a = 0
    while a < n:
        b = a
        while b < ordered.size and rank[ordered[b]] == rank[ordered[a]]:
            b += 1
        members = ordered[a:b]
        order = np.argsort(-crowd[members], kind="mergesort")
        for j in range(min(b, n) - a):
            out[a + j] = members[order[j]]
        a = b
    return out


def survivors(rank: np.ndarray, crowd: np.ndarray, n: int, rng: np.random.Generator) -> np.ndarray:
    """Indices of the ``n`` kept: lower front first, then larger crowding, ties at random."""
    perm = rng.permutation(rank.size)
    return _survivors(np.ascontiguousarray(rank, np.int64), np.ascontiguousarray(crowd, np.float64), perm, n)


def tournament(rank: np.ndarray, crowd: np.ndarray, n: int, rng: np.random.Generator) -> np.ndarray:
    """``n`` binary tournaments: lower front wins, then larger crowding, then a coin."""
    a = rng.integers(rank.size, size=n)
    b = rng.integers(rank.size, size=n)
    coin = rng.random(n) < 0.5
    a_wins = (rank[a] < rank[b]) | ((rank[a] == rank[b]) & ((crowd[a] > crowd[b]) | ((crowd[a] == crowd[b]) & coin)))
    return np.where(a_wins, a, b)
