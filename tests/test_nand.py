import itertools

import networkx as nx
import numpy as np
import pytest

from circuits.graph import adjacency, to_graph
from circuits.nand import NandSpec, effective_gates, evaluate, simulate
from tasks.goals import logic4
from conftest import X, Y, Z, W, gate


def reference(genome, spec):
    """Plain-Python simulation of the documented rule, row by row: synchronous updates
    from all-zero for `steps` steps; a row is unsettled if one more update changes an
    effective gate."""
    n, g = spec.n_inputs, spec.n_gates
    eff = set(effective_gates(genome, spec).tolist())
    outs, unsettled = [], []
    for r in range(1 << n):
        val = [(r >> i) & 1 for i in range(n)] + [0] * g
        if not spec.feedback:
            for k in range(g):
                val[n + k] = 1 - (val[genome[2 * k]] & val[genome[2 * k + 1]])
            bad = False
        else:
            for _ in range(spec.steps):
                val = val[:n] + [1 - (val[genome[2 * k]] & val[genome[2 * k + 1]]) for k in range(g)]
            nxt = [1 - (val[genome[2 * k]] & val[genome[2 * k + 1]]) for k in range(g)]
            bad = any(nxt[k] != val[n + k] for k in eff)
        outs.append([val[s] for s in genome[2 * g:]])
        unsettled.append(bad)
    return outs, unsettled


def test_single_nand_truth_table():
    spec = NandSpec(2, 1)
    out, unsettled = simulate(np.array([0, 1, 2], np.int32), spec)
    # rows (a, b) = (0,0), (1,0), (0,1), (1,1) -> NAND = 1, 1, 1, 0
    assert int(out[0]) == 0b0111 and int(unsettled) == 0


def test_four_nand_xor():
    spec = NandSpec(2, 4, feedback=False)
    xor = np.array([0, 1, 0, 2, 1, 2, 3, 4, 5], np.int32)
    out, _ = simulate(xor, spec)
    assert int(out[0]) == 0b0110
    assert effective_gates(xor, spec).tolist() == [0, 1, 2, 3]


def test_modular_circuit_solves_g1_with_ten_gates(spec4, modular_g1):
    correct, effective = evaluate(modular_g1[None], spec4, logic4("G1").words()[:, 0])
    assert correct[0] == 16 and effective[0] == 10
    correct2, _ = evaluate(modular_g1[None], spec4, logic4("G2").words()[:, 0])
    assert correct2[0] == 16 - 8   # AND vs OR differ on the 8 rows where exactly one XOR is true


def test_g2_by_rewiring_the_output_part(spec4, modular_g1):
    # OR(a, b) = NAND(NOT a, NOT b): g8 = NOT x^y, g9 = NOT z^w, g10 = NAND(g8, g9)
    g = modular_g1.copy()
    g[16:22] = [gate(3), gate(3), gate(7), gate(7), gate(8), gate(9)]
    g[24] = gate(10)
    correct, effective = evaluate(g[None], spec4, logic4("G2").words()[:, 0])
    assert correct[0] == 16 and effective[0] == 11


def test_oscillator_rows_count_as_wrong():
    spec = NandSpec(1, 1)
    ring = np.array([1, 1, 1], np.int32)        # g0 = NAND(g0, g0): flips every step
    out, unsettled = simulate(ring, spec)
    assert int(unsettled) == 0b11
    correct, _ = evaluate(ring[None], spec, np.array([0b11], np.uint64))
    assert correct[0] == 0


def test_latch_settles_deterministically():
    # g0 = NAND(x, g1), g1 = NAND(x, g0): from all-zero, x=0 gives (1, 1); x=1 gives an oscillation
    spec = NandSpec(1, 2)
    latch = np.array([0, 2, 0, 1, 1], np.int32)
    out, unsettled = simulate(latch, spec)
    assert int(unsettled) == 0b10
    assert int(out[0]) & 1 == 1


def test_oscillating_junk_gate_does_not_spoil_rows():
    spec = NandSpec(2, 2)
    g = np.array([0, 1, 3, 3, 2], np.int32)     # g0 = NAND(a, b) drives the output; g1 oscillates alone
    out, unsettled = simulate(g, spec)
    assert int(unsettled) == 0 and int(out[0]) == 0b0111


@pytest.mark.parametrize("n_gates", [12, 100, 300])
def test_a_one_gate_cone_among_random_gates_is_scored_alone(n_gates):
    """The cone is found from the outputs (past 64 gates by a work list): the random gates outside it,
    cycling or not, change neither the score nor the effective count."""
    spec = NandSpec(2, n_gates)
    for seed in range(20):
        g = spec.random(1, np.random.default_rng(seed))[0]
        g[0], g[1], g[2 * n_gates] = 0, 1, 2          # gate 0 = NAND(a, b) drives the output
        correct, effective = evaluate(g[None], spec, np.array([0b0111], np.uint64))
        assert (correct[0], effective[0]) == (4, 1) and effective_gates(g, spec).tolist() == [0]
        out, unsettled = simulate(g, spec)
        assert (int(out[0]), int(unsettled)) == (0b0111, 0)


@pytest.mark.parametrize("feedback", [True, False])
@pytest.mark.parametrize("n_inputs, n_gates, n_outputs", [(4, 12, 1), (6, 10, 3), (3, 5, 2), (2, 64, 1),
                                                         (4, 65, 1), (3, 130, 2), (6, 256, 3)])
def test_evaluate_matches_reference(feedback, n_inputs, n_gates, n_outputs):
    spec = NandSpec(n_inputs, n_gates, n_outputs, feedback=feedback)
    rng = np.random.default_rng(n_gates)
    pop = spec.random(60 if n_gates <= 130 or not feedback else 4, rng)   # the reference is O(gates^2 rows)
    targets = rng.integers(0, 2 ** 63, size=n_outputs, dtype=np.uint64) & spec.mask()
    correct, effective = evaluate(pop, spec, targets)
    for i, genome in enumerate(pop):
        outs, unsettled = reference(genome, spec)
        want = sum(1 for r in range(spec.n_rows) for j in range(n_outputs)
                   if not unsettled[r] and outs[r][j] == (int(targets[j]) >> r) & 1)
        assert correct[i] == want
        assert effective[i] == len(effective_gates(genome, spec))


@pytest.mark.parametrize("n_gates", [70, 200])
def test_big_feed_forward_circuits_under_the_feedback_rule_match_the_reference(n_gates):
    """Evolved circuits are mostly acyclic; under the feedback rule they take the one-pass shortcut,
    which must agree with synchronous updates from all-zero over cones of more than 64 gates."""
    spec, acyclic = NandSpec(5, n_gates, 2), NandSpec(5, n_gates, 2, feedback=False)
    rng = np.random.default_rng(3)
    pop = acyclic.random(6, rng)
    pop[:, 2 * n_gates:] = 5 + n_gates - 1 - rng.integers(0, 3, size=(6, 2))    # outputs on deep gates
    for genome in pop:
        outs, unsettled = reference(genome, spec)
        out, mask = simulate(genome, spec)
        assert int(mask) == 0 and not any(unsettled)
        assert [[(int(w) >> r) & 1 for w in out] for r in range(spec.n_rows)] == outs


def test_fewer_steps_than_gates_uses_the_synchronous_rule():
    spec = NandSpec(1, 4, max_steps=2)
    chain = np.array([0, 0, 1, 1, 2, 2, 3, 3, 4], np.int32)   # NOT chain of depth 4 needs 4 steps
    outs, unsettled = reference(chain, spec)
    out, mask = simulate(chain, spec)
    assert [bool((int(mask) >> r) & 1) for r in range(2)] == unsettled == [True, True]


@pytest.mark.parametrize("n_gates, feedback", [(12, True), (200, True), (200, False)])
def test_effective_gates_are_those_reaching_an_output(n_gates, feedback):
    spec = NandSpec(4, n_gates, 2, feedback=feedback)
    rng = np.random.default_rng(1)
    pop = spec.random(50, rng)
    _, effective = evaluate(pop, spec, np.zeros(2, np.uint64))
    for genome, count in zip(pop, effective):
        g = nx.DiGraph()
        for k in range(n_gates):
            for s in genome[2 * k: 2 * k + 2]:
                g.add_edge(int(s), 4 + k)
        out_gates = {int(s) for s in genome[2 * n_gates:]}
        reach = set(out_gates)
        for o in out_gates:
            reach |= nx.ancestors(g, o)
        want = sorted(n - 4 for n in reach if n >= 4)
        assert want == effective_gates(genome, spec).tolist() and count == len(want)


def test_no_feedback_bounds_forbid_later_sources():
    spec = NandSpec(4, 12, feedback=False)
    pop = spec.random(500, np.random.default_rng(0))
    for k in range(12):
        assert pop[:, 2 * k: 2 * k + 2].max() < 4 + k
    assert pop[:, 24].min() >= 4
    with pytest.raises(ValueError, match="feedback is off"):
        spec.check(np.array([5] * 25, np.int32))


def test_graph_has_inputs_and_effective_gates(spec4, modular_g1):
    g = to_graph(modular_g1, spec4, ["X", "Y", "Z", "W"])
    assert set(g.nodes) == {"X", "Y", "Z", "W"} | {f"g{k}" for k in range(10)}
    assert g.nodes["g9"]["outputs"] == [0]
    assert g.has_edge("X", "g0") and g.has_edge("g8", "g9") and not g.has_edge("g9", "g8")
    adj, nodes = adjacency(modular_g1, spec4)
    assert adj.sum() == g.number_of_edges() == 19      # g9 reads g8 twice: one edge


@pytest.mark.parametrize("bad", [dict(n_inputs=7), dict(n_inputs=0), dict(n_inputs=4, n_gates=1025), dict(n_inputs=4, n_gates=0),
                                 dict(n_inputs=4, n_outputs=0), dict(n_inputs=4, max_steps=-1)])
def test_spec_rejects_impossible_sizes(bad):
    with pytest.raises(ValueError):
        NandSpec(**bad)


@pytest.mark.parametrize("feedback", [True, False])
def test_the_word_and_byte_kernels_agree_up_to_64_gates(feedback):
    """Circuits of up to 64 gates are scored by the one-word kernel, bigger ones (and simulate) by the
    one-byte-per-node kernel: on the same circuits they must agree."""
    rng = np.random.default_rng(7)
    for n_gates in (12, 33, 64):
        spec = NandSpec(4, n_gates, 2, feedback=feedback)
        pop = spec.random(200, rng)
        targets = rng.integers(0, 2 ** 16, size=2, dtype=np.uint64)
        correct, effective = evaluate(pop, spec, targets)
        for i, genome in enumerate(pop):
            out, unsettled = simulate(genome, spec)
            ok = ~unsettled & spec.mask()
            right = sum(bin(int(~(out[j] ^ targets[j]) & ok)).count("1") for j in range(2))
            assert correct[i] == right and effective[i] == effective_gates(genome, spec).size


@pytest.mark.parametrize("ring", [2, 3, 5])
@pytest.mark.parametrize("max_steps", [1, 2, 7, 20, 33, 0])
def test_skipping_whole_periods_of_an_oscillator_matches_the_reference(ring, max_steps):
    """Past 64 gates, a cycling state is fast-forwarded by whole periods: a ring of inverters fed
    by X (period up to 2 x ring) and a NAND of it with Y must still end where step-by-step updates do."""
    n = 70
    spec = NandSpec(2, n, 2, max_steps=max_steps)
    genome = np.zeros(2 * n + 2, np.int32)
    genome[:2 * n] = 0
    for k in range(ring):                        # gate k inverts gate k-1 (gate 0 inverts the last), NANDed with X
        prev = 2 + (k - 1) % ring
        genome[2 * k], genome[2 * k + 1] = prev, 0 if k == 0 else prev
    genome[2 * ring], genome[2 * ring + 1] = 2 + ring - 1, 1        # NAND(ring end, Y)
    genome[2 * n:] = [2 + ring - 1, 2 + ring]
    outs, unsettled = reference(genome, spec)
    out, mask = simulate(genome, spec)
    assert [bool((int(mask) >> r) & 1) for r in range(4)] == unsettled
    assert [[(int(w) >> r) & 1 for w in out] for r in range(4)] == outs
    correct, _ = evaluate(genome[None], spec, out.copy())
    assert correct[0] == 2 * (4 - sum(unsettled))
