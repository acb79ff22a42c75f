import numpy as np
import pytest

from circuits.costs import Memo, costs, default_coordinates
from circuits.network import NetSpec
from test_network import random_nets


def reference_optimal(genome, spec, xy):
    """Minimise the summed squared length directly with numpy least squares over hidden positions."""
    total = 0.0
    for c in range(2):
        a, off = _edges(genome, spec, xy, c)           # length of connection k: a[k] . p + off[k]
        if a.shape[0]:
            p, *_ = np.linalg.lstsq(a, -off, rcond=None)
            total += float(((a @ p + off) ** 2).sum())
    return total


def test_paper_coordinates():
    xy = default_coordinates(NetSpec())
    assert xy.shape == (23, 2)
    assert xy[:8, 1].tolist() == [0] * 8 and xy[0, 0] == -3.5 and xy[7, 0] == 3.5
    assert xy[16:20, 0].tolist() == [-2, -1, 1, 2] and xy[20:22, 0].tolist() == [-1, 1]
    assert xy[22].tolist() == [0, 4]


def test_count_and_fixed_length():
    spec = NetSpec()
    pop = random_nets(spec, 30, np.random.default_rng(0))
    xy = default_coordinates(spec)
    src, dst = spec.connections()
    assert costs(pop, spec, "count").tolist() == (pop[:, :106] != 0).sum(axis=1).tolist()
    want = [sum(((xy[src[k]] - xy[dst[k]]) ** 2).sum() for k in np.flatnonzero(g[:106])) for g in pop]
    assert np.allclose(costs(pop, spec, "fixed"), want)


@pytest.mark.parametrize("kind, fixed, reference, atol", [
    ("optimal", "fixed", "reference_optimal", 1e-6),     # least squares
    ("l1_optimal", "l1", "reference_l1", 1e-5),          # a linear program (HiGHS)
])
def test_optimal_placement_matches_an_independent_solver(kind, fixed, reference, atol):
    spec = NetSpec()
    pop = random_nets(spec, 40, np.random.default_rng(1))
    xy = default_coordinates(spec)
    got = costs(pop, spec, kind)
    assert np.allclose(got, [globals()[reference](g, spec, xy) for g in pop], atol=atol)
    assert (got <= costs(pop, spec, fixed) + 1e-9).all()       # no worse than the paper's positions


def test_bad_coordinates_and_kind():
    spec = NetSpec()
    with pytest.raises(ValueError, match="23 \\(x, y\\) pairs"):
        costs(np.zeros((1, spec.length), np.int8), spec, "fixed", np.zeros((22, 2)))
    with pytest.raises(ValueError, match="unknown connection cost"):
        costs(np.zeros((1, spec.length), np.int8), spec, "wiring")


@pytest.mark.parametrize("slots", [1, 4, 1 << 14])
def test_memo_gives_the_same_costs(slots):
    # weights and biases change, the connection pattern does not: the memo must answer those,
    # and collisions in a tiny table must recompute, never return another pattern's cost
    spec = NetSpec()
    rng = np.random.default_rng(2)
    pop = random_nets(spec, 40, rng)
    reweighted = pop.copy()
    live = reweighted[:, :106] != 0
    reweighted[:, :106][live] = rng.choice(np.array([-2, -1, 1, 2], np.int8), live.sum())
    memo = Memo(spec, slots=slots)
    want = costs(pop, spec, "optimal")
    for batch in (pop, reweighted, pop[::-1]):
        assert costs(batch, spec, "optimal", memo=memo).tolist() == costs(batch, spec, "optimal").tolist()
    assert costs(reweighted, spec, "optimal").tolist() == want.tolist()
    with pytest.raises(ValueError, match="other coordinates"):
        costs(pop, spec, "optimal", default_coordinates(spec) + 1, memo)
    with pytest.raises(ValueError, match="power of two"):
        Memo(spec, slots=3)


def test_live_connections_are_the_simplified_network():
    from circuits.network import NetSpec, live, simplify
    from circuits.network_init import random_networks
    spec = NetSpec()
    src, dst = spec.connections()
    pop = random_networks(spec, 300, np.random.default_rng(5), max_connections=40)
    kept = live(pop, spec)
    assert (kept[:, spec.n_connections:] == pop[:, spec.n_connections:]).all()
    for genome, g in zip(pop, kept):
        adj, nodes = simplify(genome, spec)
        edges = {(int(nodes[i]), int(nodes[j])) for i, j in zip(*np.nonzero(adj))}
        assert edges == {(int(src[k]), int(dst[k])) for k in np.flatnonzero(g[: spec.n_connections])}
        assert (g[: spec.n_connections][g[: spec.n_connections] != 0] == genome[: spec.n_connections][g[: spec.n_connections] != 0]).all()
    # live is idempotent, and the live part never costs more
    assert (live(kept, spec) == kept).all()
    assert (costs(pop, spec, "count") >= costs(kept, spec, "count")).all()


def test_l1_and_l2_lengths_by_hand():
    from circuits.costs import costs
    from circuits.network import NetSpec
    spec = NetSpec((1, 1, 1))
    g = np.array([1, 1, 0, 0], np.int8)            # input -> hidden -> output
    xy = np.array([[0.0, 0.0], [3.0, 4.0], [0.0, 4.0]])
    assert costs(g[None], spec, "fixed", xy)[0] == 25 + 9
    assert costs(g[None], spec, "l1", xy)[0] == (3 + 4) + 3
    assert costs(g[None], spec, "l2", xy)[0] == 5 + 3


def test_layouts_move_only_the_inputs():
    from circuits.costs import default_coordinates, layout_coordinates
    from circuits.network import NetSpec
    spec = NetSpec()
    paper, inter = default_coordinates(spec), layout_coordinates(spec, "interleaved")
    assert np.array_equal(paper[8:], inter[8:])
    # p0 p4 p1 p5 p2 p6 p3 p7 from left to right: left and right pixels alternate
    order = np.argsort(inter[:8, 0])
    assert order.tolist() == [0, 4, 1, 5, 2, 6, 3, 7]
    shuffled = layout_coordinates(spec, "shuffled", seed=3)
    assert sorted(shuffled[:8, 0].tolist()) == sorted(paper[:8, 0].tolist())
    assert np.array_equal(shuffled, layout_coordinates(spec, "shuffled", seed=3))


def test_a_layout_reaches_the_cost():
    from kashtan.configuration import build, config
    raw = config.read_file("tests/data/tiny_net.toml")
    a = build.problem(config.resolve(raw, "pcc", overrides=['network.cost="l2"']))
    b = build.problem(config.resolve(raw, "pcc", overrides=['network.cost="l2"', 'network.layout="interleaved"']))
    pop = np.random.default_rng(0).integers(-2, 3, (20, a.spec.length)).astype(np.int8)
    goal = build.goals(config.resolve(raw, "pcc"))["L-AND-R"]
    ca, cb = a.evaluate(pop, goal).objectives[:, 1], b.evaluate(pop, goal).objectives[:, 1]
    assert not np.allclose(ca, cb)


def _edges(genome, spec, xy, c):
    """Rows of (hidden incidence, fixed offset) per live connection, for coordinate c."""
    src, dst = spec.connections()
    layer = spec.layer_of()
    hidden = np.flatnonzero((layer > 0) & (layer < len(spec.layers) - 1))
    col = {n: i for i, n in enumerate(hidden)}
    rows, offs = [], []
    for k in np.flatnonzero(genome[: spec.n_connections]):
        row, off = np.zeros(hidden.size), 0.0
        for node, sign in ((src[k], 1.0), (dst[k], -1.0)):
            if node in col:
                row[col[node]] += sign
            else:
                off += sign * xy[node, c]
        rows.append(row)
        offs.append(off)
    return np.array(rows).reshape(-1, hidden.size), np.array(offs)


def reference_l1(genome, spec, xy):
    """The exact L1 optimum: per coordinate a linear program (HiGHS) over hidden positions p and
    per-connection slacks t >= |row . p + off|."""
    from scipy.optimize import linprog
    total = 0.0
    for c in range(2):
        a, off = _edges(genome, spec, xy, c)
        e, h = a.shape
        if e == 0:
            continue
        eye = np.eye(e)
        res = linprog(np.r_[np.zeros(h), np.ones(e)], A_ub=np.block([[a, -eye], [-a, -eye]]),
                      b_ub=np.r_[-off, off], bounds=[(None, None)] * h + [(0, None)] * e, method="highs")
        total += res.fun
    return total


def test_l2_optimal_placement_is_no_worse_than_a_general_minimiser():
    """Summed Euclidean length is convex in the hidden positions: a general minimiser (Powell,
    from the squared optimum and from the paper's positions) finds no lower value."""
    from scipy.optimize import minimize
    spec = NetSpec()
    xy = default_coordinates(spec)
    pop = random_nets(spec, 8, np.random.default_rng(6))
    got = costs(pop, spec, "l2_optimal")
    for g, value in zip(pop, got):
        ax, ox = _edges(g, spec, xy, 0)
        ay, oy = _edges(g, spec, xy, 1)
        if ax.shape[0] == 0:
            continue
        h = ax.shape[1]
        f = lambda p: float(np.sqrt((ax @ p[:h] + ox) ** 2 + (ay @ p[h:] + oy) ** 2).sum())  # noqa: E731
        hid = xy[(spec.layer_of() > 0) & (spec.layer_of() < 4)]
        best = min(minimize(f, x0, method="Powell", options={"xtol": 1e-9, "ftol": 1e-12, "maxfev": 200_000}).fun
                   for x0 in (np.r_[hid[:, 0], hid[:, 1]], np.zeros(2 * h)))
        assert value <= best + 1e-5
        assert value <= costs(g[None], spec, "l2")[0] + 1e-9


def test_a_chain_costs_its_straight_length_under_l1_and_l2():
    """input (0, 0) -> hidden -> output (0, 4): the hidden neuron moves onto the segment; L1 and
    L2 give 4, the squared length 8 (midpoint)."""
    spec = NetSpec((1, 1, 1))
    g = np.array([1, 1, 0, 0], np.int8)
    xy = np.array([[0.0, 0.0], [5.0, 1.0], [0.0, 4.0]])
    assert costs(g[None], spec, "l1_optimal", xy)[0] == pytest.approx(4.0, abs=1e-6)
    assert costs(g[None], spec, "l2_optimal", xy)[0] == pytest.approx(4.0, abs=1e-6)
    assert costs(g[None], spec, "optimal", xy)[0] == pytest.approx(8.0)


def test_hidden_groups_anchored_to_nothing_collapse_without_breaking_the_solver():
    """Hidden neurons wired only among themselves shrink to a point under L1 and L2 reweighting;
    their connections then weigh up to 1e7 against the 1e-9 ridge and the Cholesky factor lost a
    pivot (ZeroDivisionError on this random 8-16-8-4-1 network). By hand: every group but one is
    anchored to at most one input (length 0 at the optimum); hidden neuron 9 joins inputs 5 and 6,
    one apart, so the optimum is 1."""
    spec = NetSpec((8, 16, 8, 4, 1))
    wires = [(5, 9), (6, 9), (6, 13), (1, 16), (2, 18), (3, 19), (8, 26), (9, 27), (12, 29), (23, 29),
             (12, 30), (25, 33), (29, 33), (25, 35), (29, 35), (30, 35)]
    src, dst = spec.connections()
    g = np.zeros(spec.length, np.int8)
    for a, b in wires:
        g[np.flatnonzero((src == a) & (dst == b))[0]] = 1
    xy = default_coordinates(spec)
    assert np.hypot(*(xy[5] - xy[6])) == 1.0
    for kind in ("l1_optimal", "l2_optimal"):
        assert costs(g[None], spec, kind)[0] == pytest.approx(1.0, abs=1e-6)


@pytest.mark.parametrize("layers", [(8, 8, 4, 2, 1), (8, 16, 8, 4, 1)])
def test_every_cost_of_random_networks_is_finite(layers):
    """The class of the fault above: whatever the wiring, every kind returns a finite,
    non-negative cost rather than raising or NaN."""
    spec = NetSpec(layers)
    src, dst = spec.connections()
    layer = spec.layer_of()
    # mostly hidden-to-hidden wiring, so most hidden groups touch no input or output (before the fix
    # 2 in 1000 raised ZeroDivisionError and 12 to 60 in 1000 came back NaN)
    hidden = np.flatnonzero((layer[src] > 0) & (layer[dst] < len(layers) - 1))
    rng = np.random.default_rng(5)
    pop = np.zeros((500, spec.length), np.int8)
    for g in pop:
        g[rng.choice(hidden, rng.integers(3, hidden.size), replace=False)] = 1
        g[rng.choice(spec.n_connections, 3, replace=False)] = 1
    for kind in ("count", "fixed", "optimal", "l1", "l2", "l1_optimal", "l2_optimal"):
        for simplified in (False, True):
            c = costs(pop, spec, kind, simplified=simplified)
            assert np.isfinite(c).all() and (c >= 0).all(), (kind, simplified)
    # and where the reweighting broke down, the positions it stopped at are still optimal
    xy = default_coordinates(spec)
    l1 = costs(pop[:100], spec, "l1_optimal")
    assert np.allclose(l1, [reference_l1(g, spec, xy) for g in pop[:100]], atol=1e-5)


def test_a_memo_holds_one_kind():
    spec = NetSpec()
    memo = Memo(spec)
    pop = random_nets(spec, 5, np.random.default_rng(7))
    assert np.allclose(costs(pop, spec, "l1_optimal", memo=memo), costs(pop, spec, "l1_optimal"))
    with pytest.raises(ValueError, match="holds .*l1_optimal.* costs"):
        costs(pop, spec, "optimal", memo=memo)


@pytest.mark.parametrize("kind", ["count", "fixed", "optimal", "l1", "l2", "l1_optimal"])
def test_simplified_costs_are_the_costs_of_the_live_connections(kind):
    from circuits.network import live
    spec = NetSpec()
    pop = random_nets(spec, 80, np.random.default_rng(8))
    pop = np.vstack([pop, pop[:40]])                       # repeats: memo hits
    want = costs(live(pop, spec), spec, kind)
    assert np.allclose(costs(pop, spec, kind, simplified=True), want, atol=1e-9)
    assert np.allclose(costs(pop, spec, kind, memo=Memo(spec), simplified=True), want, atol=1e-9)
