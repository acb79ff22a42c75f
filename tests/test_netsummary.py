import numpy as np

from kashtan.analyze import left_right
from kashtan.stats import bootstrap_median
from test_network import modular_retina, wire


def test_bootstrap_median_interval():
    med, lo, hi = bootstrap_median([0.3] * 10)
    assert med == lo == hi == 0.3
    values = np.random.default_rng(0).normal(0.5, 0.1, 200)
    med, lo, hi = bootstrap_median(values)
    assert lo < med < hi and hi - lo < 0.06          # ~ 2 * 1.96 * 1.25 * 0.1 / sqrt(200)


def test_left_right_checks():
    spec, g = modular_retina()
    assert left_right(g, spec) == (True, ["L", "R"])
    # a crossed network: each first-layer neuron reads one left and one right pixel
    pairs = {(p, 8 + p): 1 for p in range(4)}
    pairs.update({(4 + p, 8 + p): 1 for p in range(4)})
    pairs.update({(8 + k, 16): 1 for k in range(4)})
    pairs.update({(16, 20): 1, (20, 22): 1})
    crossed = wire(spec, pairs, {})
    split, finds = left_right(crossed, spec)
    assert not split and finds == []


def test_adaptation_counts_generations_to_a_perfect_network(tmp_path):
    import json
    from kashtan import adapt, config
    raw = config.read_file("tests/data/tiny_net.toml")
    # the paper's population: the one-bias fix must come without other changes (~0.07 % of offspring)
    cfg = config.resolve(raw, "pcc", overrides=["ga.population=1000"])
    run = tmp_path / "run"
    run.mkdir()
    spec, g_and = modular_retina()
    _, g_or = modular_retina(and_bias=1)
    from circuits import network_io
    (run / "result.json").write_text(json.dumps({"seed": 0, "generations": 10}))
    network_io.save(run / "final_best.json", g_and, spec)
    assert adapt.adapt_seed(cfg, run, "L-AND-R", 50, seed=1) == 0       # already perfect
    found = adapt.adapt_seed(cfg, run, "L-OR-R", 40, seed=1)            # one bias away
    assert found is not None and 0 < found < 40
    network_io.save(run / "final_best.json", g_or, spec)
    assert adapt.adapt_seed(cfg, run, "L-OR-R", 50, seed=1) == 0
