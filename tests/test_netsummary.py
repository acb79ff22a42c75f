import numpy as np

from kashtan.analyze import left_right
from kashtan.netsummary import bootstrap_median
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
