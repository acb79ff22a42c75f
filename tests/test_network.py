import importlib
import numpy as np
import pytest

from circuits.modularity import best_partition
from circuits.network import NetSpec, activations, evaluate, input_patterns, simplify
from conftest import wire
from tasks.retina import retina_goal


def random_nets(spec, count, rng, weights=(-2, -1, 1, 2), biases=(-2, 2)):
    pop = np.zeros((count, spec.length), np.int8)
    for i in range(count):
        n = int(rng.integers(0, spec.n_connections + 1))
        idx = rng.choice(spec.n_connections, n, replace=False)
        pop[i, idx] = rng.choice(np.array(weights, np.int8), n)
        pop[i, spec.n_connections:] = rng.integers(biases[0], biases[1] + 1, spec.n_neurons)
    return pop


def float_forward(genome, spec, inputs):
    """Reference: float matrices per layer and tanh(20 x), as in Clune et al.'s code."""
    src, dst = spec.connections()
    starts = np.concatenate([[0], np.cumsum(spec.layers)])
    a = inputs.astype(float)
    outs = [a]
    for lay in range(len(spec.layers) - 1):
        n_src, n_dst = spec.layers[lay], spec.layers[lay + 1]
        w = np.zeros((n_dst, n_src))
        for k in np.flatnonzero((dst >= starts[lay + 1]) & (dst < starts[lay + 2])):
            w[dst[k] - starts[lay + 1], src[k] - starts[lay]] = genome[k]
        b = genome[spec.n_connections + starts[lay + 1] - spec.n_inputs:
                   spec.n_connections + starts[lay + 2] - spec.n_inputs].astype(float)
        a = np.tanh(20 * (w @ a + b[:, None]))
        outs.append(a)
    return np.vstack(outs)


def test_integer_sign_equals_float_tanh():
    spec = NetSpec()
    rng = np.random.default_rng(0)
    inputs = input_patterns(spec)
    for genome in random_nets(spec, 40, rng):
        assert np.array_equal(activations(genome, spec, inputs), float_forward(genome, spec, inputs))


def test_kashtan_model_fires_above_threshold():
    spec = NetSpec((3, 1), model="kashtan")
    g = np.array([1, 1, 1, -1], np.int8)        # fires when at least 2 of 3 inputs are on (threshold 1)
    out = activations(g, spec, input_patterns(spec))[-1]
    assert out.tolist() == [int(bin(p).count("1") >= 2) for p in range(8)]
    assert evaluate(g[None], spec, input_patterns(spec), (out == 1)[None])[0] == 8




def modular_retina(and_bias=-1):
    """Left object = (>= 3 on) or (outer on, inner off); same on the right; then AND (or OR)."""
    spec = NetSpec()
    pairs = {}
    for p in range(4):
        pairs[(p, 8)] = 1                              # node 8: at least 3 left pixels on
        pairs[(p, 9)] = 1 if p in (0, 2) else -1       # node 9: left outer on, inner off
        pairs[(4 + p, 10)] = 1                         # node 10: at least 3 right pixels on
        pairs[(4 + p, 11)] = 1 if p in (1, 3) else -1  # node 11: right outer (pixels 5, 7) on, inner off
    pairs.update({(8, 16): 1, (9, 16): 1, (10, 17): 1, (11, 17): 1,   # 16 = left object, 17 = right object
                  (16, 20): 1, (17, 20): 1, (20, 22): 1})
    biases = {8: -1, 9: -1, 10: -1, 11: -1, 16: 1, 17: 1, 20: and_bias}
    return spec, wire(spec, pairs, biases)


def test_hand_wired_modular_network_solves_both_retina_goals():
    spec, g = modular_retina()
    inputs = input_patterns(spec)
    assert evaluate(g[None], spec, inputs, retina_goal("L-AND-R").table.T)[0] == 256
    spec, g_or = modular_retina(and_bias=1)
    assert evaluate(g_or[None], spec, inputs, retina_goal("L-OR-R").table.T)[0] == 256
    assert evaluate(g_or[None], spec, inputs, retina_goal("L-AND-R").table.T)[0] == 256 - 128


def test_zero_output_is_always_wrong():
    spec = NetSpec((2, 1))
    g = np.array([0, 0, 0], np.int8)                   # output stuck at 0
    inputs = input_patterns(spec)
    assert evaluate(g[None], spec, inputs, np.array([[True, False, True, False]]))[0] == 0


def test_pattern_subsets():
    spec, g = modular_retina()
    rows = np.random.default_rng(1).choice(256, 100, replace=False)
    target = retina_goal("L-AND-R").table[rows, 0][None]
    assert evaluate(g[None], spec, input_patterns(spec, rows), target)[0] == 100


def test_modular_network_splits_left_from_right():
    spec, g = modular_retina()
    adj, nodes = simplify(g, spec)
    assert set(nodes.tolist()) == set(range(8)) | {8, 9, 10, 11, 16, 17, 20, 22}
    q, labels = best_partition(adj, "directed")
    lab = dict(zip(nodes.tolist(), labels.tolist()))
    # left pixels and left feature neurons together, right ones together (the object neurons
    # 16/17 may join the output's module: Q is higher that way for this wiring)
    assert len({lab[n] for n in (0, 1, 2, 3, 8, 9)}) == 1
    assert len({lab[n] for n in (4, 5, 6, 7, 10, 11)}) == 1
    assert lab[0] != lab[4] and q > 0.3


def test_simplify_drops_dead_hidden_neurons():
    spec = NetSpec((2, 2, 1))
    g = wire(spec, {(0, 2): 1, (1, 3): 1, (2, 4): 1}, {})   # node 3 has no path to the output
    adj, nodes = simplify(g, spec)
    assert nodes.tolist() == [0, 2, 4] and adj.sum() == 2


@pytest.mark.parametrize("bad", [dict(layers=(8,)), dict(layers=(8, 0, 1)), dict(model="spiking")])
def test_spec_rejects_bad_layouts(bad):
    with pytest.raises(ValueError):
        NetSpec(**bad)


def test_network_files_round_trip(tmp_path):
    import json
    from circuits import network_io
    from circuits.io import CircuitFileError
    spec, g = modular_retina()
    path = tmp_path / "net.json"
    network_io.save(path, g, spec, [f"p{i}" for i in range(8)], {"goal": "L-AND-R"})
    data = json.loads(path.read_text())
    assert ["p0", "h1.0", 1] in data["connections"] and data["biases"]["h3.0"] == -1
    genome, spec2, inputs, meta = network_io.load(path)
    assert np.array_equal(genome, g) and spec2 == spec and inputs[0] == "p0" and meta["goal"] == "L-AND-R"
    for bad, message in ((["p0", "h2.0", 1], "adjacent layers"), (["p0", "h1.0", 0], "non-zero"),
                         (["p0", "zz", 1], "unknown node")):
        broken = dict(data, connections=data["connections"] + [bad])
        path.write_text(json.dumps(broken))
        with pytest.raises(CircuitFileError, match=message):
            network_io.load(path)


@pytest.mark.parametrize("model", ["clune", "kashtan"])
def test_threads_give_the_same_scores(model):
    spec = NetSpec(model=model)
    pop = random_nets(spec, 301, np.random.default_rng(5))
    inputs = input_patterns(spec)
    target = retina_goal("L-OR-R").table.T
    one = evaluate(pop, spec, inputs, target, answers=True)
    for threads in (2, 3):
        many = evaluate(pop, spec, inputs, target, answers=True, threads=threads)
        assert (many[0] == one[0]).all() and (many[1] == one[1]).all()


def test_large_weights_and_wide_layers_do_not_wrap():
    """Sums beyond int8 (weights up to 127, a 300-wide layer) agree with float arithmetic, and a
    network scaled by 40 computes what the unscaled one does (the sign is scale-free)."""
    rng = np.random.default_rng(1)
    for spec, weights in ((NetSpec(), (-127, -60, 60, 127)), (NetSpec((8, 300, 1)), (-2, 1, 2))):
        inputs = input_patterns(spec)
        for genome in random_nets(spec, 10, rng, weights=weights, biases=(-100, 100)):
            want = np.sign(float_forward(genome, spec, inputs))
            assert np.array_equal(activations(genome, spec, inputs), want)
    spec = NetSpec()
    inputs = input_patterns(spec)
    small = random_nets(spec, 30, rng)
    big = (small.astype(np.int16) * 40).astype(np.int8)          # weights +-80, biases to +-80
    targets = activations(small[0], spec, inputs)[-1:] > 0
    assert np.array_equal(evaluate(big, spec, inputs, targets), evaluate(small, spec, inputs, targets))


def test_live_genes_of_the_hand_wired_network():
    """replications/live_broadness.py on modular_retina, by hand: live nodes are the 8 inputs,
    hidden 8-11, 16, 17, 20 and the output; the possible connections among them, made or not,
    are 8 x 4 + 4 x 2 + 2 x 1 + 1 = 43, and their 8 non-input neurons have live biases."""
    spec, g = modular_retina()
    live = importlib.import_module("kashtan.report.live_broadness").live_genes(g, spec)
    assert live.shape == (spec.length,) and live[:spec.n_connections].sum() == 43
    assert live[spec.n_connections:].sum() == 8
    assert live[:spec.n_connections][g[:spec.n_connections] != 0].all()      # all 23 wires are live
