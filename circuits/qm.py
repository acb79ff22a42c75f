"""Normalised modularity ``Qm = (Q - Qrand) / (Qmax - Qrand)`` (Kashtan & Alon 2005).

* ``Qrand`` is the mean Q of ``n_random`` networks with the same in- and
  out-degree of every node, sampled by a chain of edge swaps (a->b, c->d
  becomes a->d, c->b; swaps that would make a self-loop or a repeated edge are
  refused): ``burn_in`` swap attempts per edge first, then ``mixing`` per edge
  between samples.
* ``Qmax`` is the best Q found by hill-climbing on the same swaps (a swap is
  kept if Q does not fall; the climb is steered by the maximiser without restarts, and the
  graph it ends on is measured with them), ``qmax_restarts`` climbs of ``qmax_steps`` swaps,
  the first from the canonical network, the others from random ones; then
  ``max(that, Q)`` of the network asked about, so ``Qm <= 1``. Kashtan & Alon
  evolved networks for Q; a hill-climb is the same idea, cheaper.

Both depend only on the degree sequence. They are computed from a canonical
network built from the sorted sequence (Kleitman–Wang) with a random stream
seeded by the sequence, so a value never depends on which network asked first,
and they are cached per sequence, in a cache shared by every Normalizer of the
process with the same settings (a worker running many seeds reuses it). Isolated nodes do not change Q and are dropped.
"""
from __future__ import annotations

import zlib
from dataclasses import dataclass, field

import numba as nb
import numpy as np

from circuits.modularity import RESTARTS, _directed, _graph_partition, best_partition
from circuits.xorshift import below_mod as _below


@nb.njit(cache=True)
def _try_swap(src, dst, adj, state, simple):
    """One swap attempt; returns the swapped edge pair (a, b) or (-1, -1). ``simple`` also refuses
    a swap that makes a 2-cycle (a->b beside b->a: an edge of weight 2 once undirected)."""
    e = src.size
    a = _below(state, e)
    b = _below(state, e)
    s1, d1, s2, d2 = src[a], dst[a], src[b], dst[b]
    if a == b or s1 == d2 or s2 == d1 or adj[s1, d2] != 0 or adj[s2, d1] != 0:
        return -1, -1
    if simple and (adj[d2, s1] != 0 or adj[d1, s2] != 0):
        return -1, -1
    adj[s1, d1] = 0
    adj[s2, d2] = 0
    adj[s1, d2] = 1
    adj[s2, d1] = 1
    dst[a] = d2
    dst[b] = d1
    return a, b


@nb.njit(cache=True)
def _undo_swap(src, dst, adj, a, b):
    d2, d1 = dst[a], dst[b]
    adj[src[a], d2] = 0
    adj[src[b], d1] = 0
    adj[src[a], d1] = 1
    adj[src[b], d2] = 1
    dst[a] = d1
    dst[b] = d2


@nb.njit(cache=True)
def _references(adj0, directed, n_random, burn_in, mixing, qmax_steps, qmax_restarts, tol, refine, restarts, seed,
                simple):
    state = np.array([seed | np.uint64(1)], dtype=np.uint64)
    adj = adj0.copy()
    src, dst = np.nonzero(adj)
    e = src.size
    if e < 2:
        q = _graph_partition(adj, directed, tol, refine, restarts)[0]
        return q, q
    for _ in range(burn_in * e):
        _try_swap(src, dst, adj, state, simple)
    total = 0.0
    qmax = -1.0
    for _ in range(n_random):
        for _ in range(mixing * e):
            _try_swap(src, dst, adj, state, simple)
        q = _graph_partition(adj, directed, tol, refine, 0)[0]     # quick maximiser: see Normalizer
        total += q
        qmax = max(qmax, q)
    qrand = total / n_random
    for r in range(qmax_restarts):
        if r == 0:
            adj[:, :] = adj0
            src, dst = np.nonzero(adj)
        else:
            for _ in range(burn_in * e):
                _try_swap(src, dst, adj, state, simple)
        # the climb steers by the quick maximiser (no restarts); the graph it ends on is measured in full
        q = _graph_partition(adj, directed, tol, refine, 0)[0]
        for _ in range(qmax_steps):
            a, b = _try_swap(src, dst, adj, state, simple)
            if a < 0:
                continue
            q2 = _graph_partition(adj, directed, tol, refine, 0)[0]
            if q2 >= q:
                q = q2
            else:
                _undo_swap(src, dst, adj, a, b)
        qmax = max(qmax, q, _graph_partition(adj, directed, tol, refine, restarts)[0])
    return qrand, qmax


def degree_key(adj: np.ndarray) -> tuple[tuple[int, int], ...]:
    """Sorted (out, in) degrees of the non-isolated nodes, self-loops ignored."""
    a = (np.asarray(adj) != 0).astype(np.int64)
    np.fill_diagonal(a, 0)
    pairs = [(int(o), int(i)) for o, i in zip(a.sum(axis=1), a.sum(axis=0)) if o or i]
    return tuple(sorted(pairs, reverse=True))


def canonical_graph(key) -> np.ndarray:
    """A simple digraph with the given (out, in) degrees, by Kleitman–Wang."""
    n = len(key)
    out = np.array([p[0] for p in key], dtype=np.int64)
    inn = np.array([p[1] for p in key], dtype=np.int64)
    adj = np.zeros((n, n), dtype=np.int8)
    while out.max(initial=0) > 0:
        u = max(range(n), key=lambda v: (out[v], inn[v], -v))
        cands = sorted((v for v in range(n) if v != u and inn[v] > 0),
                       key=lambda v: (-inn[v], -out[v], v))[: out[u]]
        if len(cands) < out[u]:
            raise ValueError(f"degree sequence {key} is not digraphical")
        for v in cands:
            adj[u, v] = 1
            inn[v] -= 1
        out[u] = 0
    return adj


_SHARED: dict[tuple, dict] = {}


@dataclass
class Normalizer:
    """Computes Qm, caching Qrand and Qmax per degree sequence.

    >>> import numpy as np
    >>> ring = np.roll(np.eye(6, dtype=np.int8), 1, axis=1)
    >>> norm = Normalizer(n_random=50, qmax_steps=50)
    >>> qrand, qmax = norm.reference(ring)
    >>> qrand <= qmax
    True
    """
    kind: str = "undirected"
    # Qrand samples and the Qmax climb use the maximiser without restarts (1000 + 2000 partitions
    # per degree sequence; with restarts a logic generation recording Qm every 10 took 1.7x as
    # long); ``restarts`` measures the network itself and the graph the Qmax climb ends on.
    n_random: int = 1000
    burn_in: int = 10
    mixing: int = 2
    qmax_steps: int = 1000
    qmax_restarts: int = 2
    tol: float = 1e-5
    refine: bool = True
    restarts: int = RESTARTS
    # refuse 2-cycles in the random and Qmax networks (record.qm_null = "simple"): made undirected
    # they would be double edges, which no acyclic circuit has (replications/DYNAMICS.md, section 5)
    simple: bool = False
    # another random stream for the same budget (0: the one every run uses); how much Qm moves
    # between streams is its Monte-Carlo spread (bench/qm_budget_shift.py)
    stream: int = 0
    cache: dict = field(default=None, repr=False)

    def __post_init__(self):
        _directed(self.kind)
        if self.n_random < 1:
            raise ValueError(f"n_random must be at least 1, got {self.n_random}")
        if self.cache is None:
            settings = (self.kind, self.n_random, self.burn_in, self.mixing, self.qmax_steps,
                        self.qmax_restarts, self.tol, self.refine, self.restarts, self.simple, self.stream)
            self.cache = _SHARED.setdefault(settings, {})

    def reference(self, adj: np.ndarray) -> tuple[float, float]:
        """``(Qrand, Qmax)`` for the degree sequence of ``adj`` (Qmax before the max with Q)."""
        key = degree_key(adj)
        if key not in self.cache:
            tag = (("simple",) if self.simple else ()) + (("stream", self.stream) if self.stream else ())
            seed = np.uint64(zlib.crc32(repr((self.kind, key) + tag).encode()))
            self.cache[key] = tuple(float(x) for x in _references(
                canonical_graph(key), _directed(self.kind), self.n_random, self.burn_in, self.mixing,
                self.qmax_steps, self.qmax_restarts, self.tol, self.refine, self.restarts, seed, self.simple))
        return self.cache[key]

    def qm(self, adj: np.ndarray, q: float | None = None) -> float:
        """Qm of ``adj``; NaN when Qmax = Qrand (no room for modularity)."""
        if q is None:
            q = best_partition(adj, self.kind, self.tol, self.refine, self.restarts)[0]
        qrand, qmax = self.reference(adj)
        qmax = max(qmax, q)
        if qmax - qrand <= 1e-12:
            return float("nan")
        return (q - qrand) / (qmax - qrand)
