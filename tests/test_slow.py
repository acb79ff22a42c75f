"""Longer checks of the engine against the paper's qualitative claims (run with `make test-slow`)."""
import pytest

from kashtan.configuration import build, config

pytestmark = pytest.mark.slow


def test_mvg_at_paper_parameters_solves_both_goals():
    raw = config.read_file("replications/kashtan2005_logic.toml")
    cfg = config.resolve(raw, "mvg", overrides=["record.qm_every=0"])
    solved = 0
    for seed in range(3):
        evo = build.evolution(cfg, seed)
        while evo.generation < 20_000 and not evo.solved:
            evo.step()
        solved += evo.solved
        if evo.solved:   # perfect circuits for G1 and for G2 were both found
            assert {"G1", "G2"} <= {g for g, e in evo.best_per_goal.items() if e[0]}
    assert solved >= 2
