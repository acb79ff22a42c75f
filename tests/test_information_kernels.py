"""The Numba kernels behind ``circuits.information.exchange`` (issue 25, item 3) against plain numpy:
clamped network runs, column labels in code order, and the (block, label) pairs."""
import numpy as np
import pytest

from circuits import information, joint_values
from circuits.network import NetSpec, input_patterns
from circuits.network_init import random_networks


def plain_run(genome, spec, clamp, reps=1):
    """Every neuron recomputed in float64 from its inputs, clamped nodes held: the definition."""
    src, dst = spec.connections()
    x = np.tile(input_patterns(spec).astype(float), reps)
    act = np.zeros((spec.n_nodes, x.shape[1]))
    act[: spec.n_inputs] = x
    for node, v in clamp.items():
        act[node] = v
    for k in range(spec.n_neurons):
        node = spec.n_inputs + k
        if node in clamp:
            continue
        mine = dst == node
        s = genome[np.flatnonzero(mine)].astype(float) @ act[src[mine]] + genome[spec.n_connections + k]
        act[node] = (s > 0) if spec.model == "kashtan" else np.sign(s)
    return act


@pytest.mark.parametrize("model", ["clune", "kashtan"])
def test_clamped_runs_equal_a_plain_simulation(model):
    spec, rng = NetSpec((8, 8, 4, 2, 1), model=model), np.random.default_rng(5)
    low = 0 if model == "kashtan" else -1
    for g in random_networks(spec, 8, rng, max_connections=50):
        run = information.network_runner(g, spec)
        assert np.array_equal(run({}, 1), plain_run(g, spec, {}))
        for _ in range(10):
            nodes = rng.permutation(spec.n_nodes)
            B, C = sorted(nodes[: rng.integers(1, 5)].tolist()), sorted(nodes[6: 6 + rng.integers(1, 6)].tolist())
            reps = int(rng.integers(1, 4))
            clamp = {b: rng.integers(low, 2, reps * 256).astype(np.int8) for b in B}
            want = plain_run(g, spec, clamp, reps)
            assert np.array_equal(run(clamp, reps), want)
            assert np.array_equal(run(clamp, reps, rows=C)[C], want[C])     # only C and its sources filled


def reference_labels(rows):
    """Dense labels by np.unique over lexsort keys: blocks of 39 rows, earlier blocks more
    significant, and within a block the last row most significant (the base-3 code)."""
    keys = [rows[i] for start in reversed(range(0, len(rows), 39)) for i in range(start, min(start + 39, len(rows)))]
    order = np.lexsort(keys) if keys else np.arange(rows.shape[1])
    sorted_cols = rows[:, order].T
    new = np.r_[True, np.any(sorted_cols[1:] != sorted_cols[:-1], axis=1)] if rows.shape[1] else []
    labels = np.empty(rows.shape[1], np.int64)
    labels[order] = np.cumsum(new) - 1
    return labels


@pytest.mark.parametrize("n_rows", [1, 5, 39, 40, 90])
def test_column_labels_follow_the_code_order(n_rows):
    rng = np.random.default_rng(n_rows)
    distinct = rng.integers(-1, 2, (n_rows, 40)).astype(np.int8)
    rows = distinct[:, rng.integers(0, 40, 3000)]          # many repeated columns
    labels, k = joint_values.column_labels(rows)
    assert np.array_equal(labels, reference_labels(rows))
    assert k == len(np.unique(rows.T, axis=0))
    if n_rows <= 39:        # the same order as ranking the base-3 codes directly
        codes = (rows.astype(np.int64) + 1).T @ (3 ** np.arange(n_rows, dtype=np.int64))
        assert np.array_equal(labels, np.unique(codes, return_inverse=True)[1].ravel())


def test_block_pairs_equal_unique_over_every_column():
    rng = np.random.default_rng(2)
    for n_col, reps, width in [(1, 5, 3), (256, 20, 7), (37, 11, 400), (64, 3, 1)]:
        c = rng.integers(0, width, n_col * reps)
        c[0] = width - 1
        pairs, where = joint_values.block_pairs(c, n_col)
        want_pairs, want_where = np.unique(np.repeat(np.arange(reps), n_col) * width + c, return_inverse=True)
        assert np.array_equal(pairs, want_pairs) and np.array_equal(where, want_where.ravel())
