"""Weighted Q, normalised cut, co-activation partitions and conditional mutual information
(circuits/partitions.py, circuits/information.py) against brute force, networkx and hand work."""
import itertools

import networkx as nx
import numpy as np
import pytest

from circuits import information, partitions
from circuits.modularity import best_partition


def _random_weighted(n, rng, density=0.4):
    w = (rng.random((n, n)) < density) * rng.integers(1, 4, (n, n)) * rng.choice([-1, 1], (n, n))
    np.fill_diagonal(w, 0)
    return w.astype(float)


def _set_partitions(items):
    if not items:
        yield []
        return
    first, rest = items[0], items[1:]
    for p in _set_partitions(rest):
        for i in range(len(p)):
            yield p[:i] + [[first] + p[i]] + p[i + 1:]
        yield [[first]] + p


def _graph(w):
    a = np.abs(w)
    a = a + a.T
    g = nx.Graph()
    g.add_nodes_from(range(len(a)))
    for i, j in zip(*np.nonzero(np.triu(a))):
        g.add_edge(int(i), int(j), weight=float(a[i, j]))
    return g


def test_weighted_q_agrees_with_networkx_and_finds_the_maximum():
    rng = np.random.default_rng(0)
    for _ in range(15):
        w = _random_weighted(7, rng)
        g = _graph(w)
        if g.number_of_edges() == 0:
            continue
        best = max(nx.community.modularity(g, p, weight="weight") for p in _set_partitions(list(range(7))))
        q, labels = partitions.weighted_partition(w)
        parts = [set(np.flatnonzero(labels == k).tolist()) for k in np.unique(labels)]
        assert partitions.weighted_q(w, labels) == pytest.approx(nx.community.modularity(g, parts, weight="weight"))
        assert q == pytest.approx(best, abs=1e-9)


def test_unit_weights_give_plain_undirected_q():
    rng = np.random.default_rng(1)
    for _ in range(10):
        adj = (rng.random((10, 10)) < 0.25).astype(np.int8)
        np.fill_diagonal(adj, 0)
        assert partitions.weighted_partition(adj.astype(float))[0] == pytest.approx(best_partition(adj)[0])


def test_weights_move_the_partition():
    """A 4-cycle 0-1-2-3-0: heavy edges 0-1 and 2-3 pair those nodes; heavy 1-2 and 3-0 pair the others."""
    w = np.zeros((4, 4))
    w[0, 1] = w[2, 3] = 5.0
    w[1, 2] = w[3, 0] = 1.0
    assert partitions.weighted_partition(w)[1].tolist() == [0, 0, 1, 1]
    w[0, 1], w[2, 3], w[1, 2], w[3, 0] = 1.0, 1.0, 5.0, 5.0
    assert partitions.weighted_partition(w)[1].tolist() == [0, 1, 1, 0]


def test_normalized_cut_by_hand_and_brute_force():
    w = np.zeros((4, 4))
    w[0, 1], w[1, 2], w[2, 3] = 2.0, 1.0, 2.0        # a path: degrees 2, 3, 3, 2
    assert partitions.normalized_cut(w, [0, 0, 1, 1]) == pytest.approx(1 / 5 + 1 / 5)
    assert partitions.normalized_cut(w, [0, 1, 1, 1]) == pytest.approx(2 / 2 + 2 / 8)
    assert partitions.normalized_cut(w, [0, 0, 0, 0]) == 0.0
    rng = np.random.default_rng(2)
    for _ in range(20):
        w = _random_weighted(8, rng, 0.5)
        if (np.abs(w) + np.abs(w).T).sum(axis=1).min() == 0:
            continue
        brute = min(partitions.normalized_cut(w, [0] + list(bits))
                    for bits in itertools.product([0, 1], repeat=7) if any(bits))
        exact = partitions.min_normalized_cut(w)
        assert exact["exact"] and exact["ncut"] == pytest.approx(brute)
        assert partitions.normalized_cut(w, exact["labels"]) == pytest.approx(brute)
        spectral = partitions.min_normalized_cut(w, max_exhaustive=0)
        assert not spectral["exact"] and spectral["ncut"] >= brute - 1e-12


def test_the_spectral_cut_finds_two_heavy_blocks():
    w = np.zeros((20, 20))
    rng = np.random.default_rng(3)
    for block in (range(0, 10), range(10, 20)):
        for i in block:
            for j in block:
                if i < j and rng.random() < 0.6:
                    w[i, j] = 1.0
    w[4, 15] = 1.0
    cut = partitions.min_normalized_cut(w)
    assert not cut["exact"] and cut["labels"].tolist() == [0] * 10 + [1] * 10


def test_conditional_mutual_information_by_hand():
    x0, x1 = np.array([0, 1, 0, 1]), np.array([0, 0, 1, 1])
    values = np.vstack([x0, x1, x0, x0, x0 ^ x1])      # nodes: x0, x1, copy a, copy b, x0 xor x1
    assert information.mutual_information(values, [2], [3]) == pytest.approx(1.0)
    assert information.conditional_mutual_information(values, [2], [3], [0]) == pytest.approx(0.0)
    assert information.mutual_information(values, [0], [4]) == pytest.approx(0.0)
    assert information.conditional_mutual_information(values, [0], [4], [1]) == pytest.approx(1.0)
    assert information.conditional_mutual_information(values, [0], [4], []) == pytest.approx(0.0)


def test_coactivation_groups_nodes_that_fire_together():
    rng = np.random.default_rng(4)
    a, b = rng.integers(0, 2, 64), rng.integers(0, 2, 64)
    values = np.vstack([a, a, 1 - a, b, b, 1 - b])      # anti-correlated copies are not grouped by co-firing
    q, labels = partitions.coactivation_partition(values)
    assert labels[0] == labels[1] and labels[3] == labels[4] and labels[0] != labels[3]
    assert q > 0
