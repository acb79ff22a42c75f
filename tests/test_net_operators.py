import numpy as np
import pytest

from circuits.network import NetSpec
from circuits.network_init import WEIGHTS, random_networks
from evo.net_operators import clune_mutation

SPEC = NetSpec()


def test_random_networks_follow_the_paper():
    pop = random_networks(SPEC, 3000, np.random.default_rng(0))
    counts = (pop[:, :106] != 0).sum(axis=1)
    assert counts.min() == 0 and counts.max() == 106
    assert abs((counts == 106).mean() - 14 / 120) < 0.02      # draws 106..119 are capped
    assert set(np.unique(pop[:, :106])) == {-2, -1, 0, 1, 2}
    assert pop[:, 106:].min() == -2 and pop[:, 106:].max() == 2


@pytest.mark.parametrize("ends, expected", [("reflect", 2.0), ("stay", 1.5)])
def test_weight_steps_average_two_per_network(ends, expected):
    # two steps per network; "stay": a step off either end of (-2, -1, 1, 2) (half the weights
    # are at an end, half of their steps point outward) leaves the weight as it was
    rng = np.random.default_rng(1)
    pop = random_networks(SPEC, 4000, rng)
    pop = pop[(pop[:, :106] != 0).sum(axis=1) >= 2]
    before = pop.copy()
    clune_mutation(pop, np.zeros(len(pop), bool), rng, add=0, remove=0, bias=0, ends=ends)
    changed = (pop[:, :106] != before[:, :106])
    assert abs(changed.sum(axis=1).mean() - expected) < 0.1
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


def test_kashtan_operators_keep_fan_in_limits():
    from circuits.network_init import fan_in_limits as _limits, kashtan_networks, neuron_slices as _neuron_slices
    from evo.net_operators import kashtan_mutation, neuron_crossover
    spec = NetSpec(model="kashtan")
    rng = np.random.default_rng(5)
    pop = kashtan_networks(spec, 500, rng)
    neurons, limits = _neuron_slices(spec), _limits(spec, 3, 2)

    def fan_ins(p):
        return np.stack([np.abs(p[:, s:s + w].astype(int)).sum(axis=1) for s, w, _, _ in neurons], axis=1)

    assert (fan_ins(pop) <= limits).all() and (fan_ins(pop) >= 0).all()
    assert pop[:, 106:].min() >= -3 and pop[:, 106:].max() <= 3
    before = pop.copy()
    for _ in range(50):
        kashtan_mutation(pop, np.zeros(500, bool), rng, spec=spec, rate=0.5)
        neuron_crossover(pop, np.zeros(500, bool), rng, spec=spec, rate=0.5)
        assert (fan_ins(pop) <= limits).all()
    assert (pop != before).any()
    one = before[:1].copy()
    kashtan_mutation(one, np.zeros(1, bool), np.random.default_rng(0), spec=spec, rate=1.0)
    changed_neurons = [k for k, (s, w, _, b) in enumerate(neurons)
                       if (one[0, s:s + w] != before[0, s:s + w]).any() or one[0, b] != before[0, b]]
    assert len(changed_neurons) <= 1                       # one neuron changes at a time


def test_neuron_crossover_swaps_whole_neurons():
    from circuits.network_init import neuron_slices as _neuron_slices
    from evo.net_operators import neuron_crossover
    spec = NetSpec(model="kashtan")
    pop = np.vstack([np.zeros(spec.length, np.int8), np.ones(spec.length, np.int8)])
    neuron_crossover(pop, np.zeros(2, bool), np.random.default_rng(1), spec=spec, rate=1.0)
    for s, w, _, b in _neuron_slices(spec):
        block = pop[0, s:s + w]
        assert (block == block[0]).all() and pop[0, b] == block[0]     # a neuron comes whole from one parent
    assert 0 < pop[0].sum() < spec.length


def test_kashtan_fan_in_grows_back():
    # empty slots must refill: from networks without connections, mutation alone fills the
    # slots until cancellations balance additions (it must not ratchet the fan-in down)
    from circuits.network_init import neuron_slices as _neuron_slices
    from evo.net_operators import kashtan_mutation
    spec = NetSpec(model="kashtan")
    rng = np.random.default_rng(6)
    pop = np.zeros((400, spec.length), np.int8)
    neurons = _neuron_slices(spec)
    for _ in range(300):
        kashtan_mutation(pop, np.zeros(400, bool), rng, spec=spec, rate=1.0)
    fan = np.stack([np.abs(pop[:, s:s + w].astype(int)).sum(axis=1) for s, w, _, _ in neurons], axis=1)
    assert fan[:, :-1].mean() > 1.5 and fan[:, -1].mean() > 1.0
    assert fan[:, :-1].max() == 3 and fan[:, -1].max() == 2
