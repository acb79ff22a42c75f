import numpy as np

from circuits.network import NetSpec
from evo.net_operators import WEIGHTS, clune_mutation, random_networks

SPEC = NetSpec()


def test_random_networks_follow_the_paper():
    pop = random_networks(SPEC, 3000, np.random.default_rng(0))
    counts = (pop[:, :106] != 0).sum(axis=1)
    assert counts.min() == 0 and counts.max() == 106
    assert abs((counts == 106).mean() - 14 / 120) < 0.02      # draws 106..119 are capped
    assert set(np.unique(pop[:, :106])) == {-2, -1, 0, 1, 2}
    assert pop[:, 106:].min() == -2 and pop[:, 106:].max() == 2


def test_weight_steps_average_two_per_network():
    rng = np.random.default_rng(1)
    pop = random_networks(SPEC, 4000, rng)
    pop = pop[(pop[:, :106] != 0).sum(axis=1) >= 2]
    before = pop.copy()
    clune_mutation(pop, np.zeros(len(pop), bool), rng, add=0, remove=0, bias=0)
    changed = (pop[:, :106] != before[:, :106])
    assert abs(changed.sum(axis=1).mean() - 2.0) < 0.1
    assert ((before[:, :106] == 0) == (pop[:, :106] == 0)).all()           # no connection appears or vanishes
    steps = np.abs(np.searchsorted(WEIGHTS, pop[:, :106][changed]) - np.searchsorted(WEIGHTS, before[:, :106][changed]))
    assert (steps == 1).all()                                                  # always to a neighbour
    assert (pop[:, 106:] == before[:, 106:]).all()


def test_add_remove_and_bias_rates():
    rng = np.random.default_rng(2)
    pop = random_networks(SPEC, 20000, rng)
    pop[:, :106][:, :10] = 1                   # every network has connections and room for more
    pop[:, 50:60] = 0
    before = pop.copy()
    protect = np.zeros(len(pop), bool)
    protect[:100] = True
    clune_mutation(pop, protect, rng, add=0.2, remove=0.0, bias=0.0)
    grew = (pop[:, :106] != 0).sum(axis=1) - (before[:, :106] != 0).sum(axis=1)
    assert (grew[:100] == 0).all() and abs(grew[100:].mean() - 0.2) < 0.01
    before = pop.copy()
    clune_mutation(pop, protect, rng, add=0.0, remove=0.2, bias=1 / 24)
    shrank = (before[:, :106] != 0).sum(axis=1) - (pop[:, :106] != 0).sum(axis=1)
    assert abs(shrank[100:].mean() - 0.2) < 0.01
    redrawn = (pop[100:, 106:] != before[100:, 106:]).mean()
    assert abs(redrawn - (1 / 24) * (4 / 5)) < 0.003                       # a redraw keeps the old value 1 in 5
    assert pop[:, 106:].min() >= -2 and pop[:, 106:].max() <= 2


def test_reproducible():
    a = random_networks(SPEC, 100, np.random.default_rng(3))
    b = a.copy()
    clune_mutation(a, np.zeros(100, bool), np.random.default_rng(9))
    clune_mutation(b, np.zeros(100, bool), np.random.default_rng(9))
    assert np.array_equal(a, b)
