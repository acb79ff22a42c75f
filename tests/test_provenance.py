"""campaign.json says which code made a campaign, and a resume by other code is on record."""
import json

import pytest

from kashtan import cli
from kashtan.running import provenance, rundir


def test_a_campaign_records_its_code_and_library_versions(tmp_path, monkeypatch):
    out = tmp_path / "c"
    assert cli.main(["run", "tests/data/tiny.toml", "--out", str(out), "--seeds", "1", "--workers", "1",
                     "--no-progress", "--conditions", "mvg"]) == 0
    plan = json.loads((out / "campaign.json").read_text())
    here = provenance.record()
    assert plan["provenance"]["commit"] == here["commit"] and plan["provenance"]["numba"] == here["numba"]
    assert set(provenance.LIBRARIES) <= set(plan["provenance"])
    assert "resumed" not in plan
    # the same code resuming adds nothing; other code is recorded with the time
    assert cli.main(["resume", str(out), "--workers", "1", "--no-progress"]) == 0
    assert "resumed" not in json.loads((out / "campaign.json").read_text())
    monkeypatch.setattr(provenance, "_git", lambda *a: "f" * 40 if a[0] == "rev-parse" else "")
    assert cli.main(["resume", str(out), "--workers", "1", "--no-progress"]) == 0
    resumed = json.loads((out / "campaign.json").read_text())["resumed"]
    assert len(resumed) == 1 and resumed[0]["commit"] == "f" * 40 and resumed[0]["dirty"] is False


def test_a_mistyped_provenance_is_refused(tmp_path):
    (tmp_path / "campaign.json").write_text(json.dumps({"conditions": {"a": {}}, "seeds": [0], "provenance": "x"}))
    with pytest.raises(rundir.RunError, match="provenance"):
        rundir.read_raw_campaign(tmp_path)
