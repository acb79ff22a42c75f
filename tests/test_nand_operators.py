"""Gate-level mutations of NAND circuits, checked on hand-built circuits."""
import numpy as np
import pytest

from circuits.nand import NandSpec, effective_gates
from evo.nand_operators import gate_edit

# 4 inputs (0-3), 5 gates (nodes 4-8): a 4-NAND XOR of X and Y in gates 0-3 (nodes 4-7), gate 4
# (node 8) unused; the output reads gate 3 (node 7)
XOR = [0, 1, 0, 4, 1, 4, 5, 6, 2, 3, 7]
SPEC = NandSpec(4, 5)


def _run(genome, spec=SPEC, n=400, seed=0, **kw):
    pop = np.tile(np.array(genome, np.int32), (n, 1))
    gate_edit(pop, np.zeros(n, bool), np.random.default_rng(seed), spec.bounds(), spec, rate=1.0, **kw)
    return pop


def test_add_wires_the_unused_gate_into_the_circuit():
    pop = _run(XOR, add=1.0)
    lo, hi = SPEC.bounds()
    assert ((pop >= lo) & (pop < hi)).all()
    for g in pop:
        named = np.flatnonzero(g[:8] == 8).tolist() + ([10] if g[10] == 8 else [])
        assert len(named) == 1          # exactly one connection now names the added gate (node 8)
    # the added gate enters the output's cone whenever the connection changed lies in the cone
    assert any(4 in effective_gates(g, SPEC) for g in pop)


def test_add_without_a_free_gate_changes_nothing():
    full = [0, 1, 0, 4, 1, 4, 5, 6, 7, 7, 8]          # gate 4 = NOT(XOR) drives the output
    pop = _run(full, add=1.0)
    assert (pop == np.array(full)).all()


def test_delete_removes_every_reference_to_a_gate_not_driving_the_output():
    pop = _run(XOR, delete=1.0)
    for g in pop:
        assert g[10] == 7                               # the output's gate is never deleted
        changed = np.flatnonzero(g != np.array(XOR))
        old = set(np.array(XOR)[changed].tolist())
        assert len(old) <= 1                            # one gate's references, all of them
        if old:
            j = old.pop()
            assert j not in g.tolist()
    assert (pop != np.array(XOR)).any(axis=1).mean() > 0.5   # gates 0-2 are named; only gate 4 is not


def test_gate_redraws_both_inputs_of_one_gate_only():
    pop = _run(XOR, gate=1.0)
    for g in pop:
        changed = np.flatnonzero(g != np.array(XOR))
        assert len(set(changed // 2)) <= 1 and 10 not in changed


def test_rewire_branch_changes_at_most_one_gene_and_respects_acyclic_bounds():
    spec = NandSpec(4, 5, feedback=False)
    pop = _run(XOR, spec=spec, add=0.3, delete=0.3)
    lo, hi = spec.bounds()
    assert ((pop >= lo) & (pop < hi)).all()


def test_bad_probabilities_are_refused():
    pop = np.tile(np.array(XOR, np.int32), (2, 1))
    with pytest.raises(ValueError, match="must not exceed 1"):
        gate_edit(pop, np.zeros(2, bool), np.random.default_rng(0), SPEC.bounds(), SPEC, add=0.6, delete=0.6)
