"""Issue 9's bar: 2,000 generated bad inputs across every command (tests/fuzz.py), each a clean
one-line error: no traceback, crash, hang or silent acceptance. About 1-2 minutes."""
from tests import fuzz


def test_two_thousand_bad_inputs_all_end_in_clean_errors():
    results = fuzz.fuzz(2000, seed=0, hang_seconds=60)
    report = fuzz.report(results)
    print(report)
    outcomes = {r[2] for r in results}
    assert outcomes <= {"clean", "unread"}, report
    # most cases reach a command that reads what was spoiled (unread = a file the command never opens)
    assert sum(r[2] == "clean" for r in results) >= 1600, report


def test_the_classifier_sees_each_kind_of_failure():
    assert fuzz._classify(0, "", None)[0] == "accepted"
    assert fuzz._classify(2, "kashtan: error: 'ga.population' must be at least 2, got 0\n", None)[0] == "clean"
    assert fuzz._classify(2, "usage: kashtan run ...\nkashtan run: error: argument --workers: invalid int\n",
                          None)[0] == "clean"
    assert fuzz._classify(1, "Traceback (most recent call last):\n  ...\nValueError: x\n", None)[0] == "unclean"
    assert fuzz._classify(1, "fixed seed 0: crashed; traceback in error.txt\n", None)[0] == "unclean"
    try:
        raise KeyError("x")
    except KeyError as e:
        assert fuzz._classify(None, "", e)[0] == "traceback"
