import numpy as np

from kashtan.analysis.analyze import left_right
from kashtan.analysis.stats import bootstrap_median
from conftest import wire
from test_network import modular_retina


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
    from kashtan.analysis import adapt
    from kashtan.configuration import config
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


def test_kaplan_meier_keeps_failed_runs():
    from kashtan.analysis import stats
    runs = [{"solved": True, "solved_at": t, "generations": t + 1} for t in (100, 200, 300, 400)]
    runs += [{"solved": False, "solved_at": None, "generations": 1000}] * 4
    # by hand: S drops by 1/8 at 100, 200, 300, 400, reaching 0.5 at 400; the censored half stays.
    # Band at 100: Greenwood var 1/(8*7), se of log(-log S) = sqrt(1/56) / -log(7/8) = 1.00, so the
    # low side is (7/8)**exp(1.96) = 0.39 <= 0.5; the high side never falls to 0.5
    med, lo, hi = stats.km_median(runs)
    assert med == 400 and lo == 100 and hi is None
    assert stats.km_text(runs) == "400 [100–> 1,000]"
    # the median of the solved runs alone (250) would hide the four failures
    assert stats.solved_text(runs).startswith("4/8 (")
    # restricted mean to 1000: area under S = 100*1 + 100*7/8 + 100*6/8 + 100*5/8 + 600*4/8
    assert abs(stats.rmst(runs, 1000) - (100 + 87.5 + 75 + 62.5 + 300)) < 1e-9
    fast = [{"solved": True, "solved_at": t, "generations": t + 1} for t in (10, 20, 30, 40, 50, 60, 70, 80)]
    line = stats.logrank("slow", "fast", runs, fast)
    assert "log-rank p = 3.9e-05" in line and "restricted mean to 81: 81 vs 45" in line
    assert stats.km_median([{"solved": False, "solved_at": None, "generations": 50}]) == (None, None, None)


def test_cliffs_delta():
    from kashtan.analysis import stats
    line = stats.mann_whitney("Q", "a", "b", [5, 6, 7], [1, 2, 3])
    assert "Cliff's delta = +1.00" in line and "U = 9" in line


def test_kaplan_meier_when_every_run_solves():
    from kashtan.analysis import stats
    runs = [{"solved": True, "solved_at": t, "generations": t + 1} for t in (10, 20, 30, 40)]
    med, lo, hi = stats.km_median(runs)
    assert med == 20 and lo == 10 and hi == 40      # the band is undefined (taken as 0) where S = 0


def test_adaptation_table_keeps_runs_that_never_adapted():
    from kashtan.analysis import adapt
    table = adapt.markdown({"pa": [{"seed": 0, "generations": 0}, {"seed": 1, "generations": 0},
                                   {"seed": 2, "generations": None}]}, 5)
    # by hand: S falls to 1/3 at 0 (two of three adapt at once), so the median is 0; the third is censored
    assert "| pa | 3 | 2/3 (21%–94%) (cap 5) | 0 [0–> 5] |" in table


def test_rank_tests_keep_ties_that_differ_in_the_last_bits():
    import pytest
    # the same Q computed by two summation orders: 0.4914933837429107 and ...108 (archived runs)
    from kashtan.analysis import stats
    same = [0.4914933837429107, 0.4914933837429108, 0.49149338374291085]
    u, p, delta = stats.mann_whitney_test(same * 3, [0.4914933837429108] * 5 + [0.5] * 4)
    assert delta == pytest.approx(-4 / 9)            # only the 0.5s differ
    assert stats.mann_whitney_test([0.3, 0.30000000001], [0.3])[2] == pytest.approx(0.5)   # 1e-11 is not a tie
