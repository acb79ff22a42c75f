"""The verdict rule of replications/verdicts.py on constructed campaigns, and the table on the archives."""
import numpy as np

from kashtan.report import verdicts


def runs(times, cap=1000):
    """Results as the runner writes them: None = unsolved at the cap."""
    return [{"solved": t is not None, "solved_at": t, "generations": cap if t is None else t + 1} for t in times]


def test_sooner_later_and_no_difference():
    fast, slow = runs([10, 20, 30, 40, 50, 60, 70, 80]), runs([500, 600, None, None, 700, None, 800, None])
    assert verdicts.faster(fast, slow, ("a", "b"), 1000)[-1] == "**replicates**"
    assert verdicts.faster(slow, fast, ("a", "b"), 1000)[-1] == "**opposite**"
    same = verdicts.faster(fast, runs([15, 25, 35, 45, 55, 65, 75, 85]), ("a", "b"), 1000)
    assert same[-1].startswith("not shown (paper direction)")
    # unsolved runs count to the cap, not dropped: slow's area under its Kaplan-Meier curve is
    # 500 + 100 (7/8 + 6/8 + 5/8) + 200 (4/8) = 825
    assert "restricted mean to 1,000: 45 vs 825" in verdicts.faster(fast, slow, ("a", "b"), 1000)[3]


def test_crossing_curves_are_mixed():
    """As random ties on G1: most fixed-goal runs solve early, two never; every MVG run solves,
    later. The log-rank test sees a difference, the median and the restricted mean disagree."""
    quick = runs(list(range(100, 2900, 100)) + [None, None], cap=100_000)
    steady = runs(list(range(2000, 5000, 100)), cap=100_000)
    row = verdicts.faster(steady, quick, ("steady", "quick"), 100_000)
    assert float(row[2].split("= ")[1]) < 0.05
    assert row[-1] == ("mixed: quick has the earlier median, steady the smaller restricted mean "
                       "(more runs solved)")


def test_more_modular_and_a_claim_of_no_effect():
    hi, lo = list(np.linspace(0.4, 0.5, 12)), list(np.linspace(0.30, 0.38, 12))
    assert verdicts.more(hi, lo, ("a", "b"), "Q")[-1] == "**replicates**"
    assert verdicts.more(lo, hi, ("a", "b"), "Q")[-1] == "**opposite**"
    assert verdicts.more(hi, lo, ("a", "b"), "Q", no_difference=True)[-1].startswith("does not replicate")
    assert verdicts.more(lo, lo[::-1], ("a", "b"), "Q", no_difference=True)[-1].startswith("**replicates**")
    assert verdicts.more([0.4], lo, ("a", "b"), "Q")[-1] == "not testable"


def test_shares_by_fisher():
    assert verdicts.share([True] * 19 + [False], [True] * 4 + [False] * 16, ("a", "b"), "split")[-1] == "**replicates**"
    assert verdicts.share([True] * 10 + [False] * 10, [True] * 11 + [False] * 9, ("a", "b"), "split")[-1].startswith("not shown")


def test_the_table_from_the_archives():
    text = verdicts.markdown()
    rows = [r for r in text.splitlines() if r.startswith("| K&A") or r.startswith("| Clune")]
    # 3 tie rules x 2 feedback x 2 claims, RMVG 2, retina 3 scorings x 2 ties x 2 claims, Clune 3
    assert len(rows) == 12 + 2 + 12 + 3
    assert all(r.rstrip(" |").split("| ")[-1] for r in rows)
