"""Noisy inputs and labels for NAND circuits (network.input_noise / label_noise, issue 11)."""
import numpy as np

from circuits import nand
from circuits.nand import NandSpec
from evo.problem import NandProblem, NandSettings
from kashtan.configuration import build, config
from tasks.goals import logic_goal

XOR_SPEC = NandSpec(n_inputs=2, n_gates=4)
XOR = np.array([0, 1, 0, 2, 1, 2, 3, 4, 5], dtype=np.int32)     # the 4-NAND XOR
GOAL = logic_goal("xor", ["a", "b"], ["a ^ b"])
PLAIN = NandProblem(XOR_SPEC, NandSettings(size_penalty=0.0))


def test_pack_rows_by_hand():
    bits = np.array([[1, 0], [0, 0], [1, 1], [0, 1]])
    assert nand.pack_rows(bits).tolist() == [0b0101, 0b1100]
    assert np.array_equal(nand.pack_rows((np.arange(16)[:, None] >> np.arange(4)) & 1), nand.input_words(4))


def test_showing_every_row_as_itself_changes_nothing():
    noisy = GOAL.noisy(np.arange(4), np.zeros((4, 1), bool))
    pop = XOR_SPEC.random(50, np.random.default_rng(0))
    assert np.array_equal(PLAIN.evaluate(pop, noisy).fitness, PLAIN.evaluate(pop, GOAL).fitness)


def test_a_flipped_input_is_what_the_circuit_sees():
    """Rows 0..3 shown as rows 1, 1, 2, 3: on row 0 the XOR sees a=1, b=0 and answers 1 where
    the target (row 0: 0 xor 0) is 0 -- one wrong bit of four, and accuracy on clean rows stays 1."""
    noisy = GOAL.noisy(np.array([1, 1, 2, 3]), np.zeros((4, 1), bool))
    assert PLAIN.evaluate(XOR[None], noisy).fitness[0] == 0.75
    assert PLAIN.accuracy(XOR, noisy) == 1.0
    # against a plain row-by-row simulation of every circuit of a random population
    rng = np.random.default_rng(1)
    seen = rng.integers(0, 4, 4)
    pop = XOR_SPEC.random(200, rng)
    got = NandProblem(XOR_SPEC, NandSettings(size_penalty=0.0)).evaluate(pop, GOAL.noisy(seen, np.zeros((4, 1), bool)))
    for g, fit in zip(pop, got.fitness):
        out, unsettled = nand.simulate(g, XOR_SPEC)
        right = sum(((int(out[0]) >> int(seen[r])) & 1) == GOAL.table[r, 0] and not (int(unsettled) >> int(seen[r])) & 1
                    for r in range(4))
        assert fit == right / 4


def test_flipped_labels_cost_the_perfect_circuit_one_bit_each():
    flips = np.array([[True], [False], [False], [True]])
    assert PLAIN.evaluate(XOR[None], GOAL.noisy(np.arange(4), flips)).fitness[0] == 0.5


def test_a_noisy_logic_run_is_reproducible_and_scored_on_noisy_rows():
    raw = config.read_file("tests/data/tiny.toml")
    cfg = config.resolve(raw, "fixed", overrides=["network.input_noise=0.1", "network.label_noise=0.05"])
    runs = [build.evolution(cfg, 3) for _ in range(2)]
    for evo in runs:
        for _ in range(30):
            evo.step()
    assert np.array_equal(runs[0].pop, runs[1].pop)
    goal = runs[0].schedule.goal_at(5)
    words, inputs = runs[0].problem.targets(goal)
    assert inputs is not None and not np.array_equal(inputs, nand.input_words(4))
