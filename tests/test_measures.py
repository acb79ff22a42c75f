"""Broadness and information measures (issue 10) against hand-worked cases and independent oracles."""
import math

import numpy as np
import pytest

from circuits import broadness, information, network, relaxation
from circuits.nand import NandSpec, evaluate as nand_evaluate
from circuits.network import NetSpec, input_patterns
from conftest import wire

XOR = np.array([0, 1, 0, 2, 1, 2, 3, 4, 5], dtype=np.int32)     # the 4-NAND XOR: g0..g3, output g3
XOR_SPEC = NandSpec(2, 4)


def xor_score(pop):
    target = np.array([0b0110], np.uint64)         # bit r = x XOR y on row r (x = bit 0 of r, y = bit 1)
    correct, _ = nand_evaluate(pop, XOR_SPEC, target)
    return correct / 4




def test_every_single_rewiring_of_the_xor_against_a_plain_simulation():
    lo, hi = broadness.nand_ranges(XOR_SPEC)
    pop, genes = broadness.neighbours(XOR, lo, hi)
    assert len(pop) == int((hi - lo).sum()) == 8 * 5 + 3       # each gate input: 6 sources less its own
    assert all((p != XOR).sum() == 1 for p in pop)
    # oracle: numpy simulation of every mutant (information.nand_runner), output vs x XOR y; a row
    # whose effective gates would still change at one more update is wrong (circuits.nand's rule)
    from circuits.nand import effective_gates
    x, y = np.arange(4) & 1, np.arange(4) >> 1 & 1
    longer = NandSpec(2, 4, max_steps=5)

    def right(p):
        now, next_ = information.nand_runner(p, XOR_SPEC)({}, 1), information.nand_runner(p, longer)({}, 1)
        settled = (now[2 + effective_gates(p, XOR_SPEC)] == next_[2 + effective_gates(p, XOR_SPEC)]).all(axis=0)
        return ((now[p[-1]] == (x ^ y)) & settled).mean()
    oracle = np.array([right(p) for p in pop])
    result = broadness.single_mutations(XOR, lo, hi, xor_score)
    assert result["mutations"] == len(pop)
    assert result["kept_perfect"] == pytest.approx((oracle == 1).mean())
    assert result["mean_loss"] == pytest.approx(1 - oracle.mean())
    assert result["kept_perfect"] < 0.2          # the minimal XOR is fragile: almost every rewiring breaks it


def test_random_walks_change_one_gene_per_step():
    # one binary gene: every step must flip it, so after k steps it is k mod 2
    out = broadness.degradation(np.array([0]), np.array([0]), np.array([1]), lambda p: (p[:, 0] == 0) * 1.0,
                                steps=6, samples=50)
    assert out["mean_accuracy"] == [0.0, 1.0, 0.0, 1.0, 0.0, 1.0]
    lo, hi = broadness.nand_ranges(XOR_SPEC)
    curve = broadness.degradation(XOR, lo, hi, xor_score, steps=10, samples=400)
    assert curve["perfect"][0] == pytest.approx(broadness.single_mutations(XOR, lo, hi, xor_score)["kept_perfect"],
                                                abs=0.06)
    assert curve["mean_accuracy"][-1] < curve["mean_accuracy"][0]


def test_jacobian_matches_finite_differences():
    rng = np.random.default_rng(3)
    for spec in (NetSpec((4, 3, 2, 1)), NetSpec((4, 3, 1), model="kashtan")):
        g = rng.integers(-2, 3, spec.length).astype(np.int8)
        jac = relaxation.jacobian(g, spec, beta=0.7)
        eps = 1e-6
        for k in range(spec.length):
            up, down = g.astype(float), g.astype(float)
            up[k] += eps
            down[k] -= eps
            numeric = (relaxation.relaxed_outputs(up, spec, 0.7) - relaxation.relaxed_outputs(down, spec, 0.7)) / (2 * eps)
            assert np.allclose(jac[:, k], numeric.ravel(), atol=1e-6), (spec, k)


def test_relaxation_approaches_the_integer_network():
    from circuits.network import activations
    spec = NetSpec((4, 3, 1))
    g = wire(spec, {(0, 4): 1, (1, 4): 1, (2, 5): -1, (4, 7): 2, (5, 7): 1}, {7: 1})
    exact = activations(g, spec, input_patterns(spec))[-1]
    relaxed = relaxation.relaxed_outputs(g, spec, beta=50.0)[0]
    assert np.allclose(relaxed, exact, atol=1e-6)
    s = relaxation.spectrum(g, spec, beta=1.0)
    assert s["rank"] <= 16 and s["null_directions"] == spec.length - s["rank"]


def test_exchange_of_a_relay_is_one_bit():
    spec = NetSpec((1, 1, 1))
    relay = np.array([1, 1, 0, 0], np.int8)
    run = information.network_runner(relay, spec)
    assert information.exchange(run, [1], [2]) == pytest.approx(1.0)
    assert information.exchange(run, [2], [1]) == pytest.approx(0.0)       # downstream cannot send upstream


def test_common_input_gives_mutual_information_but_no_exchange():
    # x0 -> h0 -> o0 and x0 -> h1 -> o1: two tracks fed by one input, never meeting
    spec = NetSpec((1, 2, 2))
    g = wire(spec, {(0, 1): 1, (0, 2): 1, (1, 3): 1, (2, 4): 1}, {})
    run = information.network_runner(g, spec)
    values = run({}, 1)
    assert information.mutual_information(values, [1], [4]) == pytest.approx(1.0)
    assert information.exchange(run, [1], [4]) == pytest.approx(0.0)
    assert information.exchange(run, [1], [3]) == pytest.approx(1.0)


def test_a_track_computing_from_another():
    # o = h0 AND h1 (clune +-1 units: sign(h0 + h1 - 1)); h0 relays x0, h1 relays x1
    spec = NetSpec((2, 2, 1))
    g = wire(spec, {(0, 2): 1, (1, 3): 1, (2, 4): 1, (3, 4): 1}, {4: -1})
    run = information.network_runner(g, spec)
    # do(h0 = b), b uniform: o = b AND x1. P(o|b=1) = 1/2, P(o|b=0) = 0 (o = -1), P(o) = 1/4
    want = 0.5 * (0.5 * math.log2(0.5 / 0.25) + 0.5 * math.log2(0.5 / 0.75)) + 0.5 * math.log2(1 / 0.75)
    assert information.exchange(run, [2], [4]) == pytest.approx(want)


def test_exchange_in_a_nand_circuit():
    # 4-NAND XOR: g0 = NAND(x, y) is node 2, the output gate g3 is node 5. do(g0 = 1): out = x OR y;
    # do(g0 = 0): out = 0. P(g0 = 1) = 3/4, so P(out = 1) = 9/16
    run = information.nand_runner(XOR, XOR_SPEC)
    want = 0.75 * (0.75 * math.log2(0.75 / (9 / 16)) + 0.25 * math.log2(0.25 / (7 / 16))) \
        + 0.25 * math.log2(1 / (7 / 16))
    assert information.exchange(run, [2], [5]) == pytest.approx(want)


def test_least_exchange_partition_recovers_two_modules():
    spec = NetSpec((2, 2, 2))
    g = wire(spec, {(0, 2): 1, (1, 3): 1, (2, 4): 1, (3, 5): 1}, {})
    out = information.least_exchange(information.network_runner(g, spec), [2, 3, 4, 5], samples=50)
    assert out["partition"] == [[2, 4], [3, 5]] and out["exact"]
    assert out["exchange"] == pytest.approx(0.0) and out["modularity"] == pytest.approx(1.0)


def test_running_one_pattern_per_key_changes_no_exchange():
    """``keys`` lets ``exchange`` run one pattern per distinct boundary value; a runner without it
    runs all 256. Same bits on random retina-sized networks, and the least-exchange search (which
    skips a split once one direction reaches the best) picks what plain enumeration picks."""
    from itertools import combinations
    from circuits.network_init import random_networks
    spec, rng = NetSpec((8, 8, 4, 2, 1)), np.random.default_rng(3)
    for g in random_networks(spec, 6, rng, max_connections=40):
        run = information.network_runner(g, spec)
        plain = lambda clamp, reps=1, columns=None, rows=None, run=run: run(clamp, reps, columns)     # noqa: E731
        for _ in range(15):
            p = rng.permutation(spec.n_nodes)
            B, C = p[: rng.integers(1, 5)].tolist(), p[5: 5 + rng.integers(1, 7)].tolist()
            assert information.exchange(run, B, C) == pytest.approx(information.exchange(plain, B, C), abs=1e-12)
        nodes = list(range(8, 16))
        found = information.least_exchange(run, nodes, samples=5)
        every = [(information.two_way(plain, list(a), [x for x in nodes if x not in a]), sorted(a))
                 for k in range(2, 7) for a in combinations(nodes, k)]
        assert found["exchange"] == pytest.approx(min(e for e, _ in every), abs=1e-12)


def test_local_search_finds_the_exhaustive_answer():
    spec = NetSpec((2, 3, 3))                   # three relays: x0 -> h0 -> o0, x1 -> h1 -> o1, x1 -> h2 -> o2
    g = wire(spec, {(0, 2): 1, (1, 3): 1, (1, 4): 1, (2, 5): 1, (3, 6): 1, (4, 7): 1, (3, 7): 1}, {})
    run = information.network_runner(g, spec)
    exact = information.least_exchange(run, range(2, 8), samples=20)
    search = information.least_exchange(run, range(2, 8), max_exhaustive=4, samples=20)
    assert exact["exact"] and not search["exact"]
    assert search["exchange"] == pytest.approx(exact["exchange"])
    assert exact["partition"] == [[2, 5], [3, 4, 6, 7]]


def test_least_exchange_keeps_the_two_xor_modules_of_a_hand_wired_g1_apart(tmp_path, modular_g1):
    spec = NandSpec(4, 12)
    run = information.nand_runner(modular_g1, spec)
    gates = [4 + k for k in range(10)]                  # g0-g3: X^Y, g4-g7: Z^W, g8-g9: the AND
    out = information.least_exchange(run, gates, samples=50)
    side = {n: i for i, part in enumerate(out["partition"]) for n in part}
    assert len({side[4 + k] for k in range(4)}) == 1 and len({side[8 + k] for k in range(4)}) == 1
    assert side[4] != side[8] and out["modularity"] > 0.5


def test_analyze_prints_the_measures(tmp_path, modular_g1):
    from circuits import io as circuit_io
    from kashtan.analysis import analyze
    path = tmp_path / "g1.json"
    circuit_io.save(path, modular_g1, NandSpec(4, 12), ["X", "Y", "Z", "W"], meta={"goals": {"G1": "(X ^ Y) & (W ^ Z)"}})
    text = analyze.report(path, n_random=20, more=True)
    assert "on goal G1:" in text and "keep it perfect" in text and "least two-way exchange" in text


def test_campaign_measures_table(tmp_path, monkeypatch):
    import json
    from kashtan.analysis import campaign_measures
    from kashtan import cli
    out = tmp_path / "c"
    assert cli.main(["run", "tests/data/tiny.toml", "--out", str(out), "--seeds", "3", "--workers", "1",
                     "--no-progress", "--set", "stop.max_generations=150"]) == 0
    rows = campaign_measures.collect(out)
    assert len(rows) == 6 and (out / "measures.csv").read_text().count("\n") == 7
    for r in rows:
        result = json.loads((out / r["condition"] / f"seed_{r['seed']:03d}" / "result.json").read_text())
        assert r["q"] == pytest.approx(result["final"]["q"])        # the same network, the same Q
        assert 0 <= r["kept_perfect"] <= 1 and (r["kept_perfect"] == 0 or r["perfect"])
        assert 0 <= r["ncut"] <= 2 and -0.5 <= r["weighted_q"] <= 1
    text = campaign_measures.markdown(rows)
    assert "| fixed | 3 |" in text and "| mvg | 3 |" in text and "info_modularity, fixed vs mvg" in text
    assert "least normalised cut" in text and "least exchange vs co-activation" in text
    # --reuse reads the table and the curves back, and draws the figures from them
    assert all(len(r["degradation"]) == 20 and r["spectrum"] == [] for r in rows)      # circuits: no spectrum
    again = campaign_measures.read_csv(out)
    assert [r["degradation"] for r in again] == [r["degradation"] for r in rows]      # JSON floats round-trip
    # an interrupted call keeps the rows it finished, and --reuse measures only the rest
    whole = (out / "measures.csv").read_text()
    real = campaign_measures._job
    for kept in (2, 4):
        calls = []

        def stop_after_two(job):
            if len(calls) == 2:
                raise KeyboardInterrupt
            calls.append(job[1])
            return real(job)
        monkeypatch.setattr(campaign_measures, "_job", stop_after_two)
        with pytest.raises(KeyboardInterrupt):
            campaign_measures.collect(out, reuse=kept > 2)
        assert (out / "measures.csv").read_text().count("\n") == kept + 1            # header + the rows done
    monkeypatch.setattr(campaign_measures, "_job", real)
    campaign_measures.collect(out, reuse=True)
    assert (out / "measures.csv").read_text() == whole                          # the same table in the end
    assert cli.main(["measures", str(out), "--reuse", "--figures", str(tmp_path / "f"), "--format", "png,svg"]) == 0
    assert sorted(p.name for p in (tmp_path / "f").iterdir()) == [
        "c_broadness.png", "c_broadness.svg", "c_measures.png", "c_measures.svg"]
    (out / campaign_measures.CURVES_FILE).write_text('{"a": 1}')
    assert cli.main(["measures", str(out), "--reuse"]) == 2
    assert cli.main(["measures", str(out), "--reuse", "--figures", str(tmp_path / "g"), "--format", "gif"]) == 2


def test_cut_and_coactivation_split_the_hand_wired_g1(modular_g1):
    """The least normalised cut of the modular G1's graph keeps the X^Y gates (nodes 4-7) and the
    Z^W gates (8-11) apart; co-activation cannot: X, Y and X^Y are pairwise uncorrelated over the
    inputs, so inputs and XOR outputs form no co-firing groups at all."""
    from circuits import graph, partitions
    from kashtan.analysis import measures
    spec = NandSpec(4, 12)
    adj, nodes = graph.adjacency(modular_g1, spec)
    w = measures.weighted_adjacency(modular_g1, spec, adj, nodes)
    cut = partitions.min_normalized_cut(w)
    side = dict(zip(nodes.tolist(), cut["labels"].tolist()))
    assert cut["exact"] and len({side[n] for n in (0, 1, 4, 5, 6, 7)}) == 1
    assert len({side[n] for n in (2, 3, 8, 9, 10, 11)}) == 1 and side[4] != side[8]
    values = information.nand_runner(modular_g1, spec)({}, 1)
    q, labels = partitions.coactivation_partition(values[[0, 1, 7, 2, 3, 11]])   # inputs and each XOR's output
    assert q == 0 and len(set(labels.tolist())) == 1


def test_weighted_adjacency_carries_the_network_weights():
    from kashtan.analysis import measures
    spec = NetSpec((2, 2, 1))
    g = wire(spec, {(0, 2): 2, (1, 3): -1, (2, 4): 1, (3, 4): -2}, {})
    adj, nodes = network.simplify(g, spec)
    w = measures.weighted_adjacency(g, spec, adj, nodes)
    at = {(int(nodes[i]), int(nodes[j])): w[i, j] for i, j in zip(*np.nonzero(w))}
    assert at == {(0, 2): 2.0, (1, 3): 1.0, (2, 4): 1.0, (3, 4): 2.0}


def test_adjusted_rand_index():
    assert information.adjusted_rand([0, 0, 1, 1], [5, 5, 2, 2]) == pytest.approx(1.0)
    # worked by hand: contingency [[1, 1], [1, 1]] -> index 0, expected (2 * 2) / 6, max 2
    assert information.adjusted_rand([0, 0, 1, 1], [0, 1, 0, 1]) == pytest.approx((0 - 4 / 6) / (2 - 4 / 6))
    rng = np.random.default_rng(0)
    vals = [information.adjusted_rand(rng.integers(0, 3, 60), rng.integers(0, 3, 60)) for _ in range(200)]
    assert abs(np.mean(vals)) < 0.02                           # chance level is 0


def test_initialisation_measures_on_known_networks():
    from kashtan.analysis import initialisation
    spec = NetSpec((2, 2, 1))
    rng = np.random.default_rng(0)
    assert not initialisation.density_networks(spec, 5, rng, 0.0)[:, : spec.n_connections].any()
    assert (initialisation.density_networks(spec, 5, rng, 1.0)[:, : spec.n_connections] != 0).all()
    # x0 relayed to the output through h0; x1 feeds h1, which goes nowhere
    g = wire(spec, {(0, 2): 1, (1, 3): 1, (2, 4): 1}, {})
    m = initialisation.network_measures(g, spec)
    assert m["info"].shape == (2, 2)
    assert m["info"][0].tolist() == pytest.approx([1.0, 1.0]) and m["info"][1].tolist() == pytest.approx([1.0, 0.0])


def test_measures_can_be_gamed_both_ways():
    """Constructed networks on which wiring modularity (Q) and information exchange disagree."""
    from circuits.modularity import best_partition
    from circuits.network import simplify
    # every possible connection present, so Q sees one blob; but weight 2 beats weight 1 in every
    # sum, so the two tracks x0 -> h0 -> o0 and x1 -> h1 -> o1 exchange nothing
    spec = NetSpec((2, 2, 2))
    g = wire(spec, {(0, 2): 2, (1, 2): 1, (0, 3): 1, (1, 3): 2, (2, 4): 2, (3, 4): 1, (2, 5): 1, (3, 5): 2}, {})
    adj, _ = simplify(g, spec)
    assert best_partition(adj, "undirected")[0] == pytest.approx(0.0)
    run = information.network_runner(g, spec)
    out = information.least_exchange(run, [2, 3, 4, 5], samples=50)
    assert out["partition"] == [[2, 4], [3, 5]] and out["exchange"] == pytest.approx(0.0)
    # two wiring clusters joined by one bridge that carries everything the first computes:
    # Q = 0.3, yet the parts Q picks exchange the bridge's whole entropy (1.5 bits)
    spec = NetSpec((2, 2, 2, 1))
    g = wire(spec, {(0, 2): 1, (1, 2): 1, (0, 3): 1, (1, 3): -1, (2, 4): 1, (4, 6): 2, (5, 6): 1}, {5: 1})
    adj, nodes = simplify(g, spec)
    q, labels = best_partition(adj, "undirected")
    assert q == pytest.approx(0.3)
    parts = [[int(n) for n, c in zip(nodes, labels) if c == k and n >= spec.n_inputs] for k in set(labels)]
    run = information.network_runner(g, spec)
    assert sorted(map(len, parts)) == [1, 3]
    assert information.two_way(run, *parts) == pytest.approx(1.5)


def test_campaign_measures_of_drawn_goals(tmp_path):
    """RMVG and random-goal runs end on a drawn goal no config names: it is rebuilt from the
    seed's schedule (this raised KeyError before)."""
    from kashtan.analysis import campaign_measures
    from kashtan import cli
    out = tmp_path / "r"
    assert cli.main(["run", "tests/data/tiny.toml", "--out", str(out), "--seeds", "2", "--workers", "1",
                     "--no-progress", "--conditions", "fixed", "--set", 'schedule.kind="random"',
                     "--set", "stop.max_generations=90"]) == 0
    rows = campaign_measures.collect(out)
    assert len(rows) == 2 and all(0 <= r["kept_perfect"] <= 1 for r in rows)


def test_analyze_measures_the_goal_a_circuit_was_saved_for(tmp_path, modular_g1):
    from circuits import io as circuit_io
    from kashtan.analysis import analyze
    goals = {"G1": "(X ^ Y) & (W ^ Z)", "G2": "(X ^ Y) | (W ^ Z)"}
    for saved, want in (("G2", "on goal G2:"), ("NAND(A,B)", "on goal G1:")):
        path = tmp_path / f"{saved}.json"
        circuit_io.save(path, modular_g1, NandSpec(4, 12), ["X", "Y", "Z", "W"], meta={"goals": goals, "goal": saved})
        text = analyze.report(path, n_random=10, more=True)
        assert want in text and ("does not define" in text) == (saved == "NAND(A,B)")


def test_codes_of_many_nodes_name_equal_columns_equally():
    """Above 39 nodes the column codes are built block by block: two columns get the same code
    exactly when they are equal, as the byte-wise unique it replaced."""
    from circuits import information
    rng = np.random.default_rng(4)
    for n_rows in (39, 40, 80, 121):
        base = rng.integers(-1, 2, (n_rows, 30), dtype=np.int8)
        rows = base[:, rng.integers(0, 30, 400)]             # many repeated columns
        codes = information._codes(rows)
        reference = np.unique(rows.T, axis=0, return_inverse=True)[1].ravel()
        same = codes[:, None] == codes[None, :]
        assert np.array_equal(same, reference[:, None] == reference[None, :]), n_rows


@pytest.mark.parametrize("noise", [1e-15, -1e-15])
def test_tied_splits_go_to_the_first_found_whatever_the_rounding(monkeypatch, noise):
    """Two splits with the same exchange up to rounding noise (of either sign, as a change in the
    order of a float sum gives): the first in enumeration order ({0, 1}, bitmask 3) is kept, not
    the one the noise favours ({0, 1, 2}, bitmask 7)."""
    costs = {frozenset({0, 1}): 0.3, frozenset({0, 1, 2}): 0.3 + noise}

    def fake(run, B, C):
        for part in (frozenset(B), frozenset(C)):
            if part in costs:
                return costs[part] / 2
        return 0.5
    monkeypatch.setattr(information, "exchange", fake)
    out = information.least_exchange(None, range(6), samples=3)
    assert out["partition"] == [[0, 1], [2, 3, 4, 5]] and out["exact"]
    out = information.least_exchange(None, range(6), max_exhaustive=4, samples=3, rng=np.random.default_rng(1))
    assert out["exchange"] == pytest.approx(0.3, abs=1e-14)       # the local search finds a tied best
