"""Partition measures beside Q, so the measures can be compared (issue 10): weighted Q,
normalised cut, and co-activation modularity.

* ``weighted_partition(w)``: Newman's modularity with edge weights ``|w_ij|`` (a connection of
  weight 2 counts twice one of weight 1), maximised by the same search as Q
  (``circuits.modularity``: spectral bisection, refinement, iterated local search).
* ``normalized_cut(w, labels)``: Shi & Malik's ``sum_k cut(A_k, rest) / vol(A_k)`` on the
  symmetrised weights; ``min_normalized_cut(w)``: the two-way split that minimises it, exact by
  enumeration up to ``max_exhaustive`` nodes, else the best sweep cut along the Fiedler vector
  of the normalised Laplacian (the spectral relaxation; ``exact`` says which). Both parts must
  hold an edge end (an isolated node split off has no defined cut).
* ``coactivation_partition(values)``: weighted Q on the positive part of the correlation of node
  values over every input pattern: nodes that fire together are grouped, whether or not they
  are wired together.

>>> import numpy as np
>>> w = np.zeros((6, 6))
>>> for i, j in [(0, 1), (1, 2), (0, 2), (3, 4), (4, 5), (3, 5)]:
...     w[i, j] = 2.0
>>> w[2, 3] = 1.0                                    # a light bridge between two heavy triangles
>>> q, labels = weighted_partition(w)
>>> round(q, 4), labels.tolist()
(0.4231, [0, 0, 0, 1, 1, 1])
>>> cut = min_normalized_cut(w)
>>> cut["labels"].tolist(), round(cut["ncut"], 4)    # cut 1 over volumes 13 and 13
([0, 0, 0, 1, 1, 1], 0.1538)
"""
from __future__ import annotations

import numpy as np

from circuits.modularity import RESTARTS, _partition, _q, _search


def _symmetric(w: np.ndarray) -> np.ndarray:
    a = np.abs(np.asarray(w, dtype=float))
    np.fill_diagonal(a, 0.0)
    return a + a.T


def weighted_matrix(w: np.ndarray) -> tuple[np.ndarray, float]:
    """``(S, norm)`` with weighted Q ``= sum_ij S_ij d(c_i, c_j) / (2 norm)`` (undirected, weights |w|)."""
    a = _symmetric(w)
    k = a.sum(axis=1)
    m2 = k.sum()
    if m2 == 0.0:
        return np.zeros_like(a), 0.0
    return 2.0 * (a - np.outer(k, k) / m2), float(m2)


def weighted_q(w: np.ndarray, labels) -> float:
    """Weighted Q of a given partition."""
    s, norm = weighted_matrix(w)
    return float(_q(s, norm, np.asarray(labels, dtype=np.int64)))


def weighted_partition(w: np.ndarray, restarts: int = RESTARTS) -> tuple[float, np.ndarray]:
    """Maximise weighted Q; ``(Q, labels)``, module ids numbered by first appearance."""
    s, norm = weighted_matrix(w)
    q, labels = _partition(s, norm, 1e-5, True)
    if restarts > 0 and norm != 0.0 and s.shape[0] > 2:
        q, labels = _search(s, norm, labels, restarts)
    return float(q), labels


def normalized_cut(w: np.ndarray, labels) -> float:
    """``sum_k cut(A_k, rest) / vol(A_k)`` on the symmetrised |weights| (0 for one part; inf
    when a part has no edges at all, where the cut is undefined)."""
    a = _symmetric(w)
    labels = np.asarray(labels)
    total = 0.0
    for k in np.unique(labels):
        inside = labels == k
        vol = a[inside].sum()
        if vol == 0:
            return float("inf")
        total += a[np.ix_(inside, ~inside)].sum() / vol
    return float(total)


def min_normalized_cut(w: np.ndarray, max_exhaustive: int = 16) -> dict:
    """The two-way split with the least normalised cut: ``labels``, ``ncut``, ``exact``."""
    a = _symmetric(w)
    n = len(a)
    if n < 2:
        raise ValueError("a normalised cut needs at least 2 nodes")
    deg = a.sum(axis=1)
    best, best_cut = np.zeros(n, np.int64), np.inf
    if n <= max_exhaustive:
        # every split at once: node n-1 always in part 1, so each split is counted once
        masks = np.arange(1, 1 << (n - 1))
        m = np.hstack([(masks[:, None] >> np.arange(n - 1)) & 1, np.zeros((masks.size, 1), np.int64)]).astype(float)
        cut = ((m @ a) * (1.0 - m)).sum(axis=1)
        vol_in, vol_out = m @ deg, (1.0 - m) @ deg
        with np.errstate(divide="ignore", invalid="ignore"):
            ncut = np.where((vol_in > 0) & (vol_out > 0), cut / vol_in + cut / vol_out, np.inf)
        i = int(np.argmin(ncut))
        best, best_cut, exact = m[i].astype(np.int64), float(ncut[i]), True
    else:
        d = np.where(deg > 0, deg, 1.0) ** -0.5
        lap = np.eye(n) - d[:, None] * a * d[None, :]
        fiedler = np.linalg.eigh(lap)[1][:, 1] * d
        order = np.argsort(fiedler, kind="stable")
        for cut_at in range(1, n):
            labels = np.ones(n, np.int64)
            labels[order[:cut_at]] = 0
            c = normalized_cut(a, labels)
            if c < best_cut - 1e-12:
                best, best_cut = labels, c
        exact = False
    best = np.unique(best, return_inverse=True)[1].ravel()
    if best[0] != 0:
        best = 1 - best
    return {"labels": best.astype(np.int64), "ncut": float(best_cut), "exact": exact}


def coactivation_partition(values: np.ndarray, restarts: int = RESTARTS) -> tuple[float, np.ndarray]:
    """Weighted Q on ``max(0, correlation)`` of node values (rows) over the patterns (columns)."""
    from circuits.information import coactivation
    c = np.clip(coactivation(values), 0.0, None)
    return weighted_partition(c, restarts)
