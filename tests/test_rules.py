"""The verdict rules of kashtan/report/rules.py on constructed campaigns whose answers are known."""
import numpy as np
import pytest
from scipy import stats as st

from kashtan.report import rules


def runs(times, cap=1000):
    """Results as the runner writes them: None = unsolved at the cap."""
    return [{"solved": t is not None, "solved_at": t, "generations": cap if t is None else t + 1} for t in times]


FAST = runs([10, 20, 30, 40, 50, 60, 70, 80, 90, 100])
SLOW = runs([500, 600, None, None, 700, None, 800, None, 900, 950])


def judged(r):
    rules.correct([r])
    return rules.verdict(r)


def test_sooner_is_replicates_with_the_papers_medians_inside_and_direction_only_without():
    assert judged(rules.sooner(FAST, SLOW, 1000)) == "replicates"            # a direction claim, no values
    # our KM medians: 55 [30-80] and 900 [600-...]: 50 and 900 inside, 5 outside
    assert judged(rules.sooner(FAST, SLOW, 1000, paper=(50, 900))) == "replicates"
    assert judged(rules.sooner(FAST, SLOW, 1000, paper=(5, 900))) == "direction only"
    assert judged(rules.sooner(SLOW, FAST, 1000)) == "opposite"


def test_restricted_mean_counts_unsolved_runs_at_the_cap():
    r = rules.sooner(FAST, SLOW, 1000)
    # SLOW: (500 + 600 + 700 + 800 + 900 + 950 + 4 x 1000) / 10 = 845; FAST 55
    assert "RMST to 1,000: 55 vs 845" in r.test and r.direction == 1


def test_unsolved_runs_stopped_early_are_refused():
    early = runs([10, None]) + [{"solved": False, "solved_at": None, "generations": 300}]
    with pytest.raises(ValueError, match="stopped before the cap"):
        rules.sooner(early, FAST, 1000)


def test_same_times_are_inconclusive_or_bounded():
    same = runs([15, 25, 35, 45, 55, 65, 75, 85, 95, 105])
    r = rules.sooner(FAST, same, 1000)
    assert r.p > 0.05 and judged(r) in ("inconclusive", "does not replicate")
    many = runs(list(range(100, 200)) * 2, cap=1000)
    assert judged(rules.sooner(many, runs(list(range(101, 201)) * 2), 1000)) == "does not replicate"


def test_crossing_curves_are_named_with_both_numbers():
    """Most runs of one solve early but two never; every run of the other solves, later. Restricted
    means and medians point different ways; the verdict follows the restricted mean, the note says so."""
    quick = runs(list(range(100, 2900, 100)) + [None, None], cap=100_000)
    steady = runs(list(range(2000, 5000, 100)), cap=100_000)
    r = rules.sooner(steady, quick, 100_000)
    assert r.direction == 1 and r.note.startswith("curves cross") and "1,500" in r.note


def test_direction_and_significance_come_from_one_statistic():
    """The permutation test of the restricted-mean difference agrees in sign with the difference."""
    rng = np.random.default_rng(3)
    for _ in range(5):
        a = runs([int(x) for x in rng.integers(1, 900, 12)])
        b = runs([int(x) if x < 800 else None for x in rng.integers(1, 1000, 12)])
        r = rules.sooner(a, b, 1000)
        means = [np.mean([x["solved_at"] if x["solved"] else 1000 for x in y]) for y in (a, b)]
        assert r.direction == int(np.sign(means[1] - means[0]))


def test_larger_values_and_the_papers_means():
    hi, lo = np.linspace(0.4, 0.5, 20), np.linspace(0.30, 0.38, 20)
    assert judged(rules.larger(hi, lo, "Q")) == "replicates"
    assert judged(rules.larger(hi, lo, "Q", paper=(0.45, 0.34))) == "replicates"
    assert judged(rules.larger(hi, lo, "Q", paper=(0.54, 0.12))) == "direction only"
    assert judged(rules.larger(lo, hi, "Q")) == "opposite"
    assert rules.verdict(rules.larger([0.4], lo, "Q")) == "inconclusive"


def test_no_difference_needs_equivalence():
    rng = np.random.default_rng(0)
    a, b = rng.normal(0, 1, 400), rng.normal(0, 1, 400)
    assert judged(rules.larger(a, b, "Q", no_difference=True)) == "replicates"      # bounded within ±0.2
    small = rules.larger(a[:10], b[:10], "Q", no_difference=True)
    assert small.p > 0.05 and judged(small) == "inconclusive"                      # p large, interval wide
    assert judged(rules.larger(a + 2, b, "Q", no_difference=True)) == "does not replicate"


def test_benjamini_hochberg_over_the_family():
    family = [rules.Result(ours="", p=p, direction=1) for p in (0.001, 0.01, 0.03, 0.04, 0.5)]
    rules.correct(family)
    assert [round(r.q, 4) for r in family] == [round(q, 4) for q in st.false_discovery_control([0.001, 0.01, 0.03, 0.04, 0.5])]
    # p = 0.03 and 0.04 alone would replicate; in this family q = 0.05: suggestive only
    assert [rules.verdict(r) for r in family] == ["replicates", "replicates", "inconclusive (suggestive)",
                                                   "inconclusive (suggestive)", "inconclusive"]


def test_shares_values_and_untested_claims():
    assert judged(rules.more_often([True] * 19 + [False], [True] * 4 + [False] * 16, "split")) == "replicates"
    assert judged(rules.more_often([True] * 10 + [False] * 10, [True] * 11 + [False] * 9, "split")) == "inconclusive"
    assert rules.verdict(rules.value("2 %", inside=False)) == "does not replicate"
    assert rules.verdict(rules.value("6/50", inside=False, toward=True)) == "direction only"
    assert rules.verdict(rules.value("1,374 [1,059–1,892]", inside=True)) == "replicates"
    assert rules.verdict(None) == "not tested"
