"""Modularity Q of a directed graph given as an adjacency matrix, and its partition.

Two definitions (``kind``):

* ``"undirected"`` — Newman–Girvan Q on the graph with edge directions ignored,
  as Kashtan & Alon used it: ``Q = (1/2m) sum_ij [A_ij - k_i k_j / 2m] d(c_i, c_j)``
  with ``A = A_dir + A_dir^T`` (a reciprocal pair counts as two edges).
* ``"directed"`` — Leicht–Newman Q, as Clune et al. used it:
  ``Q = (1/m) sum_ij [A_ij - k_i^out k_j^in / m] d(c_i, c_j)``.

Both are maximised the same way: recursive spectral bisection (Newman 2006) on the
symmetrised modularity matrix, a split kept only if it gains more than ``tol``
(1e-5, as in Clune et al.'s code), then, unless ``refine=False``, a greedy
refinement: greedy moves of single nodes and merges of two modules while Q
rises, alternating with Kernighan-Lin passes (every node moved once, the best
state kept) until neither helps. Refinement never lowers Q.

Each split is by the signs of the leading eigenvector (``circuits.eigen``, our own solver, so a
split does not depend on a LAPACK build's rounding); an entry within 1e-9 of zero joins the
positive side.

``A[i, j] = 1`` means an edge from node i to node j; self-loops are ignored.

>>> import numpy as np
>>> two_triangles = np.zeros((6, 6), dtype=np.int8)
>>> for i, j in [(0, 1), (1, 2), (0, 2), (3, 4), (4, 5), (3, 5), (2, 3)]:
...     two_triangles[i, j] = 1
>>> q, labels = best_partition(two_triangles)
>>> round(q, 4), labels.tolist()
(0.3571, [0, 0, 0, 1, 1, 1])
"""
from __future__ import annotations

import numba as nb
import numpy as np

from circuits.eigen import leading, vector, workspace
from circuits.xorshift import below, uniform

KINDS = ("undirected", "directed")
RESTARTS = 128         # iterated-local-search rounds after the refined bisection (bench/q_accuracy.py)


@nb.njit(cache=True)
def _matrix(adj, directed):
    n = adj.shape[0]
    a = np.zeros((n, n))
    for i in range(n):
        for j in range(n):
            if i != j and adj[i, j] != 0:
                a[i, j] = 1.0
    if directed:
        m = a.sum()
        if m == 0.0:
            return np.zeros((n, n)), 0.0
        b = a - np.outer(a.sum(axis=1), a.sum(axis=0)) / m
        return b + b.T, m
    au = a + a.T
    k = au.sum(axis=1)
    m2 = k.sum()
    if m2 == 0.0:
        return np.zeros((n, n)), 0.0
    return 2.0 * (au - np.outer(k, k) / m2), m2


def _directed(kind: str) -> bool:
    if kind not in KINDS:
        raise ValueError(f"unknown modularity kind {kind!r}; choose one of {', '.join(KINDS)}")
    return kind == "directed"


def modularity_matrix(adj: np.ndarray, kind: str = "undirected") -> tuple[np.ndarray, float]:
    """Symmetric matrix ``S`` and normaliser ``norm`` with ``Q = sum_ij S_ij d(c_i,c_j) / (2 norm)``."""
    s, norm = _matrix(np.ascontiguousarray(adj, dtype=np.int8), _directed(kind))
    return s, float(norm)


@nb.njit(cache=True)
def _q(s, norm, labels):
    if norm == 0.0:
        return 0.0
    n = s.shape[0]
    total = 0.0
    for i in range(n):
        for j in range(n):
            if labels[i] == labels[j]:
                total += s[i, j]
    return total / (2.0 * norm)


@nb.njit(cache=True)
def _module_links(s, labels):
    """``t[i, c]``: the sum of s[i, j] over the nodes j != i in module c."""
    n = s.shape[0]
    t = np.zeros((n, n + 1))
    for i in range(n):
        for j in range(n):
            if i != j:
                t[i, labels[j]] += s[i, j]
    return t


@nb.njit(cache=True)
def _move(s, t, labels, i, c):
    """Move node i to module c, keeping ``t`` up to date."""
    a = labels[i]
    for j in range(s.shape[0]):
        if j != i:
            t[j, a] -= s[j, i]
            t[j, c] += s[j, i]
    labels[i] = c


@nb.njit(cache=True)
def _refine(s, norm, labels, n_comm):
    """Greedy best-improvement moves (one node to another or a new module) and merges.
    ``t[i, c]`` (sum of s[i, j] over j != i in module c) is kept up to date move by move."""
    n = s.shape[0]
    t = _module_links(s, labels)
    size = np.zeros(n + 1, np.int64)
    for i in range(n):
        size[labels[i]] += 1
    while True:
        best, bi, bc, bmerge = 1e-12 * norm, -1, -1, False
        for i in range(n):
            a = labels[i]
            for c in range(n_comm + 1):
                if c != a:
                    gain = t[i, c] - t[i, a]
                    if gain > best:
                        best, bi, bc, bmerge = gain, i, c, False
        # merging modules a < b gains sum over i in a of t[i, b]
        mg = np.zeros((n_comm, n_comm))
        for i in range(n):
            for c in range(n_comm):
                mg[labels[i], c] += t[i, c]
        for a in range(n_comm):
            for b in range(a + 1, n_comm):
                if mg[a, b] > best:
                    best, bi, bc, bmerge = mg[a, b], a, b, True
        if bi < 0:
            return n_comm
        if bmerge:
            gone = bc
            for i in range(n):
                if labels[i] == bc:
                    labels[i] = bi
                t[i, bi] += t[i, bc]
                t[i, bc] = 0.0
            size[bi] += size[bc]
            size[bc] = 0
        else:
            a = labels[bi]
            _move(s, t, labels, bi, bc)
            size[a] -= 1
            size[bc] += 1
            if bc == n_comm:
                n_comm += 1
            gone = a if size[a] == 0 else -1
        if gone >= 0:
            # keep module ids 0..n_comm-1: the last module takes the emptied id
            last = n_comm - 1
            if gone != last:
                for i in range(n):
                    if labels[i] == last:
                        labels[i] = gone
                    t[i, gone] = t[i, last]
                size[gone] = size[last]
            for i in range(n):
                t[i, last] = 0.0
            size[last] = 0
            n_comm -= 1


@nb.njit(cache=True)
def _kl_pass(s, norm, labels, n_comm):
    """One Kernighan-Lin style pass (Newman 2006's fine-tuning, generalised to many
    modules): move every node once, each time the unmoved node whose best move
    gains most (even if negative), then keep the best state seen. Returns the new
    module count and whether Q rose."""
    n = s.shape[0]
    t = _module_links(s, labels)
    moved = np.zeros(n, np.bool_)
    best_labels = labels.copy()
    best_gain, gain = 1e-12 * norm, 0.0
    best_count = n_comm
    for _ in range(n):
        bi, bc, bg = -1, -1, -np.inf
        for i in range(n):
            if moved[i]:
                continue
            a = labels[i]
            for c in range(min(n_comm + 1, n)):
                if c != a and t[i, c] - t[i, a] > bg:
                    bi, bc, bg = i, c, t[i, c] - t[i, a]
        if bi < 0:
            break
        _move(s, t, labels, bi, bc)
        moved[bi] = True
        if bc == n_comm:
            n_comm += 1
        gain += bg
        if gain > best_gain:
            best_gain = gain
            best_labels[:] = labels
            best_count = n_comm
    labels[:] = best_labels
    return best_count, best_gain > 1e-12 * norm


@nb.njit(cache=True)
def _compact(labels):
    """Renumber module ids to 0..k-1 in order of first appearance; return k."""
    n = labels.size
    remap = np.full(n + 1, -1, np.int64)
    k = 0
    for i in range(n):
        if remap[labels[i]] < 0:
            remap[labels[i]] = k
            k += 1
        labels[i] = remap[labels[i]]
    return k


@nb.njit(cache=True)
def _partition(s, norm, tol, refine):
    n = s.shape[0]
    labels = np.zeros(n, np.int64)
    if norm == 0.0 or n < 2:
        return 0.0, labels
    n_comm = 1
    queue = [0]
    idx = np.empty(n, np.int64)
    sg = np.empty((n, n))
    work = workspace(n)
    lead = vector(work, n)
    side = np.empty(n)
    while len(queue) > 0:
        c = queue.pop()
        k = 0
        for i in range(n):
            if labels[i] == c:
                idx[k] = i
                k += 1
        if k < 2:
            continue
        sgk = sg[:k, :k]
        for a in range(k):
            for b in range(k):
                sgk[a, b] = s[idx[a], idx[b]]
        for a in range(k):
            sgk[a, a] -= sgk[a].sum()
        if k == 2:
            # rows sum to zero: eigenvectors (1, 1) (eigenvalue 0) and (1, -1) (-2 s01), gain -s01 / norm
            if -sgk[0, 1] / norm <= tol:
                continue
            lead[0], lead[1] = 1.0, -1.0
        # a split gains at most k * (largest eigenvalue) / (4 norm): below tol, no vector is needed
        elif leading(sgk, 4.0 * norm * tol / k * (1.0 - 1e-9), work) == -np.inf:
            continue
        # an entry that is zero but for rounding joins the positive side, so the split does not
        # depend on how an eigen-solver rounds (nor does a repeated eigenvalue: the solver is ours)
        negative = 0
        for a in range(k):
            side[a] = 1.0 if lead[a] >= -1e-9 else -1.0
            negative += side[a] < 0.0
        if negative == 0 or negative == k:
            continue
        total = 0.0
        for a in range(k):
            for b in range(k):
                total += side[a] * sgk[a, b] * side[b]
        if total / (4.0 * norm) <= tol:
            continue
        for a in range(k):
            if side[a] < 0.0:
                labels[idx[a]] = n_comm
        queue.append(c)
        queue.append(n_comm)
        n_comm += 1
    if refine:
        n_comm = _polish(s, norm, labels, n_comm)
    _compact(labels)
    return _q(s, norm, labels), labels


@nb.njit(cache=True)
def _polish(s, norm, labels, n_comm):
    """Refine (moves, merges) and Kernighan-Lin passes until neither raises Q."""
    improved = True
    while improved:
        n_comm = _refine(s, norm, labels, n_comm)
        n_comm, improved = _kl_pass(s, norm, labels, n_comm)
        n_comm = _compact(labels)
    return n_comm


@nb.njit(cache=True)
def _search(s, norm, labels, restarts):
    """Iterated local search from the refined spectral partition: each restart perturbs the
    best partition found (every node moved to a random module with probability 1/4; every
    fourth restart starts from singletons instead) and polishes it; better ones are kept.
    The random stream is seeded by the graph's size, so Q is a function of the graph."""
    n = s.shape[0]
    best = labels.copy()
    best_q = _q(s, norm, best)
    state = np.array([np.uint64(0x9E3779B97F4A7C15) ^ np.uint64(n)], dtype=np.uint64)
    for r in range(restarts):
        if r % 4 == 3:
            trial = np.arange(n)
        else:
            trial = best.copy()
            k = trial.max() + 2
            for i in range(n):
                if uniform(state) < 0.25:
                    trial[i] = below(state, k)
        k = _compact(trial)
        k = _refine(s, norm, trial, k)        # greedy moves and merges, one KL pass; full polish on the winner
        k, _ = _kl_pass(s, norm, trial, k)
        k = _compact(trial)
        _refine(s, norm, trial, k)
        q = _q(s, norm, trial)
        if q > best_q + 1e-12:
            best, best_q = trial, q
    k = _compact(best)
    _polish(s, norm, best, k)
    _compact(best)
    return _q(s, norm, best), best


@nb.njit(cache=True)
def _counted_q(adj, directed, labels):
    """Q of the unweighted graph ``adj`` from integer counts and one division, so that partitions
    with the same Q give the same float: summing the matrix rounds differently for each, and rank
    statistics then split ties between networks on those last bits."""
    n = adj.shape[0]
    deg_out = np.zeros(n + 1, np.int64)
    deg_in = np.zeros(n + 1, np.int64)
    edges = 0
    inside = 0
    for i in range(n):
        for j in range(n):
            if i != j and adj[i, j] != 0:
                edges += 1
                deg_out[labels[i]] += 1
                deg_in[labels[j]] += 1
                if labels[i] == labels[j]:
                    inside += 1
    if edges == 0:
        return 0.0
    if directed:        # (m * inside - sum_c out_c in_c) / m^2
        null = 0
        for c in range(n + 1):
            null += deg_out[c] * deg_in[c]
        return (edges * inside - null) / (edges * edges)
    # undirected, reciprocal pairs counted twice: 2m = 2 edges, a module's degree out_c + in_c
    m2 = 2 * edges
    null = 0
    for c in range(n + 1):
        null += (deg_out[c] + deg_in[c]) ** 2
    return (m2 * 2 * inside - null) / (m2 * m2)


@nb.njit(cache=True)
def _graph_partition(adj, directed, tol, refine, restarts):
    s, norm = _matrix(adj, directed)
    labels = _partition(s, norm, tol, refine)[1]
    if refine and restarts > 0 and norm != 0.0 and s.shape[0] > 2:
        labels = _search(s, norm, labels, restarts)[1]
    return _counted_q(adj, directed, labels), labels


def best_partition(adj: np.ndarray, kind: str = "undirected", tol: float = 1e-5,
                   refine: bool = True, restarts: int = RESTARTS) -> tuple[float, np.ndarray]:
    """Maximise Q; return ``(Q, labels)`` with module ids numbered by first appearance.

    ``refine=False``: recursive spectral bisection alone (Clune et al.'s method). Otherwise
    the bisection is refined and then improved by ``restarts`` rounds of iterated local
    search (``_search``); ``circuits.exact_modularity`` gives the exact maximum to check it.
    """
    q, labels = _graph_partition(np.ascontiguousarray(adj, dtype=np.int8), _directed(kind), tol, refine, restarts)
    return float(q), labels


def q_of(adj: np.ndarray, labels, kind: str = "undirected") -> float:
    """Q of a given partition."""
    ids = np.unique(np.asarray(labels), return_inverse=True)[1].astype(np.int64).ravel()     # 0..k-1
    return float(_counted_q(np.ascontiguousarray(adj, dtype=np.int8), _directed(kind), ids))


def first_bisection(adj: np.ndarray, kind: str = "directed") -> np.ndarray:
    """The first split of spectral bisection: node labels 0/1 by the sign of the leading
    eigenvector of the (symmetrised) modularity matrix, whatever Q it gains. Clune et al.
    judge a left/right decomposition by this single split."""
    s, norm = modularity_matrix(adj, kind)
    if norm == 0:
        return np.zeros(len(adj), np.int64)
    w, v = np.linalg.eigh(s)
    lead = v[:, -1]
    return (lead < 0).astype(np.int64)
