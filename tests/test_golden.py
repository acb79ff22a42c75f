"""Replays short recorded runs of every replication config (tests/golden/cases.py) and
asserts the same files, byte for byte: refactoring must not change results."""
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent / "golden"))
from cases import CASES, HERE, replay  # noqa: E402


@pytest.mark.parametrize("case", sorted(CASES))
def test_replay_matches_recording(case, tmp_path):
    got = replay(case, tmp_path / case)
    want = {str(p.relative_to(HERE / case)): p.read_bytes() for p in (HERE / case).rglob("*") if p.is_file()}
    assert sorted(got) == sorted(want)
    for name in want:
        assert got[name] == want[name], f"{case}/{name} differs from the recording"
