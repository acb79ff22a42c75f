"""Wire costs of NAND circuits at positions (circuits/nand_costs.py), checked by hand."""
import math

import numpy as np
import pytest

from circuits import nand_costs
from circuits.nand import NandSpec, effective_gates
from evo.problem import NandProblem, NandSettings
from kashtan.configuration import build, config
from kashtan.configuration.checks import ConfigError
from tasks.goals import logic4

XOR_SPEC = NandSpec(n_inputs=2, n_gates=4)
XOR = np.array([0, 1, 0, 2, 1, 2, 3, 4, 5], dtype=np.int32)   # the 4-NAND XOR, output from gate 3 (node 5)


def test_default_positions():
    xy = nand_costs.layout_positions(NandSpec(4, 12))
    assert xy[:4].tolist() == [[0, 0], [1, 0], [2, 0], [3, 0]]               # X Y Z W
    assert xy[4:8, 1].tolist() == [1, 1, 1, 1] and xy[12:16, 1].tolist() == [3, 3, 3, 3]
    assert xy[16].tolist() == [1.5, 4.0]                                      # the output pin, centred on top


def test_layouts_move_only_the_inputs():
    spec = NandSpec(4, 12)
    paper = nand_costs.layout_positions(spec)
    inter = nand_costs.layout_positions(spec, "interleaved")
    assert inter[:4, 0].tolist() == [0, 2, 1, 3]                              # X Z Y W: X@0, Y@2, Z@1, W@3
    assert (inter[4:] == paper[4:]).all()
    shuffled = nand_costs.layout_positions(spec, "shuffled", seed=3)
    assert sorted(shuffled[:4, 0].tolist()) == [0, 1, 2, 3] and (shuffled[4:] == paper[4:]).all()
    with pytest.raises(ValueError, match="unknown layout"):
        nand_costs.layout_positions(spec, "diagonal")


def test_xor_costs_by_hand():
    xy = nand_costs.layout_positions(XOR_SPEC)
    # gate 0 at (0,1) <- X (0,0), Y (1,0); gate 1 at (1,1) <- X, gate 0; gate 2 at (0,2) <- Y, gate 0;
    # gate 3 at (1,2) <- gates 1, 2; output pin at (0.5, 3) <- gate 3
    squared = (1 + 2) + (2 + 1) + (5 + 1) + (1 + 1) + 1.25
    l1 = (1 + 2) + (2 + 1) + (3 + 1) + (1 + 1) + 1.5
    l2 = (1 + math.sqrt(2)) + (math.sqrt(2) + 1) + (math.sqrt(5) + 1) + (1 + 1) + math.sqrt(1.25)
    for kind, want in (("count", 9), ("squared", squared), ("l1", l1), ("l2", l2)):
        assert nand_costs.costs(XOR[None], XOR_SPEC, kind, xy)[0] == pytest.approx(want), kind


def test_dead_gates_are_free_unless_all_are_charged():
    spec = NandSpec(4, 12)
    pop = spec.random(200, np.random.default_rng(1))
    count = nand_costs.costs(pop, spec, "count")
    effective = np.array([effective_gates(g, spec).size for g in pop])
    assert (count == 2 * effective + 1).all()
    assert (nand_costs.costs(pop, spec, "count", on="all") == 2 * 12 + 1).all()
    assert (nand_costs.costs(pop, spec, "squared", on="all") >= nand_costs.costs(pop, spec, "squared")).all()


def test_a_local_cost_prefers_the_modular_layout():
    """Two XORs side by side, each built from the gates above its own inputs: cheaper with X Y Z W
    in a row than interleaved (X Z Y W), where each XOR reaches across the other."""
    spec = NandSpec(4, 12)
    # X xor Y on gates 0, 1, 4, 5 (columns 0-1), Z xor W on gates 2, 3, 6, 7 (columns 2-3);
    # gates 8, 9: AND of the two (output gate 9, node 13); gates 10, 11 dead
    g = [0, 1, 0, 4, 2, 3, 2, 6, 1, 4, 5, 8, 3, 6, 7, 10, 9, 11, 12, 12, 0, 0, 0, 0, 13]
    genome = np.array(g, dtype=np.int32)
    row = nand_costs.costs(genome[None], spec, "l1", nand_costs.layout_positions(spec))[0]
    mixed = nand_costs.costs(genome[None], spec, "l1", nand_costs.layout_positions(spec, "interleaved"))[0]
    assert row < mixed
    assert nand_costs.costs(genome[None], spec, "count")[0] == 2 * 10 + 1
    from circuits.nand import simulate
    out, _ = simulate(genome, spec)
    assert int(out[0]) == int(logic4("G1").words()[0, 0])


def test_problem_objectives_and_penalty():
    spec = NandSpec(4, 12)
    pop = spec.random(50, np.random.default_rng(2))
    plain = NandProblem(spec).evaluate(pop, logic4("G1"))
    cost = nand_costs.costs(pop, spec, "squared")
    both = NandProblem(spec, NandSettings(cost="squared")).evaluate(pop, logic4("G1"))
    assert both.objectives.shape == (50, 2)
    assert np.allclose(both.objectives[:, 1], -cost) and np.allclose(both.fitness, plain.fitness)
    weighted = NandProblem(spec, NandSettings(cost="squared", cost_weight=0.01)).evaluate(pop, logic4("G1"))
    assert np.allclose(weighted.fitness, plain.fitness - 0.01 * cost)
    assert (weighted.perfect == plain.perfect).all()


def _cfg(**sets):
    raw = config.read_file(config.Path(__file__).resolve().parent.parent / "replications" / "kashtan2005_logic.toml")
    return config.resolve(raw, "fixed_G1", "quick", [f"{k}={v}" for k, v in sets.items()])


def test_config_builds_and_refuses_nonsense():
    evo = build.evolution(_cfg(**{"fitness.cost": '"l1"', "circuit.layout": '"interleaved"', "ga.select": '"nsga2"',
                                  "ga.select_args": "{}", "ga.population": 40}), seed=0)
    assert evo.problem.objective_names == ("fitness", "cost")
    assert evo.problem.positions[:4, 0].tolist() == [0, 2, 1, 3]
    evo.step()
    for sets, match in (({"fitness.cost": '"miles"'}, "fitness.cost"),
                        ({"fitness.cost_weight": -1}, "cost_weight"),
                        ({"fitness.cost_weight": 0.1}, "weighs 'fitness.cost'"),
                        ({"fitness.cost": '"l1"', "circuit.positions": "[[0, 0]]"}, "positions must be 17"),
                        ({"fitness.cost": '"l1"', "circuit.positions": "[[0, 0]]", "circuit.layout": '"shuffled"'},
                         "circuit.layout"),
                        ({"circuit.layout": '"sideways"'}, "circuit.layout")):
        with pytest.raises(ConfigError, match=match):
            build.evolution(_cfg(**sets), seed=0)
