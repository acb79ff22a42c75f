import numpy as np
import pytest

from circuits.eigen import leading, vector, workspace
from circuits.modularity import _matrix, _partition, modularity_matrix


def symmetric(rng, n, integer=False):
    b = rng.normal(size=(n, n))
    if integer:
        b = np.round(2 * b)
    return b + b.T


def test_path_graph_by_hand():
    # the path 0-1-2 has eigenvalues -sqrt(2), 0, sqrt(2); the top vector is (1, sqrt(2), 1) / 2
    a = np.array([[0.0, 1, 0], [1, 0, 1], [0, 1, 0]])
    work = workspace(3)
    assert leading(a, -np.inf, work) == pytest.approx(np.sqrt(2), abs=1e-15)
    y = vector(work, 3) * np.sign(vector(work, 3)[0])
    assert y == pytest.approx([0.5, np.sqrt(0.5), 0.5], abs=1e-14)


@pytest.mark.parametrize("integer", [False, True])
def test_agrees_with_lapack_where_the_vector_is_defined(integer):
    rng = np.random.default_rng(4)
    checked = 0
    for n in [1, 2, 3, 4, 5, 8, 13, 21, 34]:
        work = workspace(n)
        for _ in range(60):
            a = symmetric(rng, n, integer)
            w, v = np.linalg.eigh(a)
            lam = leading(a, -np.inf, work)
            assert lam == pytest.approx(w[-1], abs=1e-13 * max(1.0, abs(w).max()))
            if n > 1 and w[-1] - w[-2] < 1e-6 * max(1.0, abs(w).max()):
                continue                     # a repeated top eigenvalue: any vector of its space will do
            y = vector(work, n)
            assert np.linalg.norm(y) == pytest.approx(1.0, abs=1e-14)
            assert min(abs(y - v[:, -1]).max(), abs(y + v[:, -1]).max()) < 1e-10
            checked += 1
    assert checked > 450


def test_a_larger_workspace_serves_a_smaller_matrix():
    rng = np.random.default_rng(5)
    work = workspace(30)
    for n in [3, 17, 30, 6]:
        a = symmetric(rng, n)
        assert leading(a, -np.inf, work) == pytest.approx(np.linalg.eigvalsh(a)[-1], abs=1e-12)


def test_tiny_skips_exactly_the_matrices_with_nothing_above_it():
    rng = np.random.default_rng(6)
    for _ in range(300):
        n = int(rng.integers(2, 12))
        a = symmetric(rng, n)
        top = np.linalg.eigvalsh(a)[-1]
        tiny = top + rng.choice([-1.0, 1.0]) * rng.uniform(1e-6, 2.0)
        lam = leading(a, tiny, workspace(n))
        if top > tiny:
            assert lam == pytest.approx(top, abs=1e-12 * max(1.0, abs(top)))
        else:
            assert lam == -np.inf


def test_modularity_matrix_of_two_triangles_splits_at_the_bridge():
    adj = np.zeros((6, 6), dtype=np.int8)
    for i, j in [(0, 1), (1, 2), (0, 2), (3, 4), (4, 5), (3, 5), (2, 3)]:
        adj[i, j] = 1
    s, _ = modularity_matrix(adj)
    work = workspace(6)
    assert leading(s, -np.inf, work) == pytest.approx(np.linalg.eigvalsh(s)[-1], abs=1e-12)
    y = vector(work, 6)
    assert (y[:3] > 0).all() == (y[3:] < 0).all() and (np.sign(y[:3]) != np.sign(y[3:])).all()


def test_split_does_not_depend_on_rounding_of_zero_entries():
    # node 6 is isolated, so its entry of every eigenvector is zero in exact arithmetic; it must
    # land on one fixed side however the solver rounds, and the two triangles still split
    adj = np.zeros((7, 7), dtype=np.int8)
    for i, j in [(0, 1), (1, 2), (0, 2), (3, 4), (4, 5), (3, 5), (2, 3)]:
        adj[i, j] = 1
    s, norm = _matrix(adj, False)
    q, labels = _partition(s, norm, 1e-5, False)
    assert q == pytest.approx(5 / 14)
    assert labels[:3].tolist() == [labels[0]] * 3 and labels[3:6].tolist() == [labels[3]] * 3
    assert labels[0] != labels[3]
    assert labels[6] in (labels[0], labels[3])          # with a half, never a module of its own
