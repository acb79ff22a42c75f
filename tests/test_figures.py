"""Figures: chosen conditions and seeds, vector formats, epoch-end curves for switching goals."""
import pytest

from kashtan import cli
from kashtan.report import figures


@pytest.fixture(scope="module")
def campaign(tmp_path_factory):
    out = tmp_path_factory.mktemp("fig") / "c"
    assert cli.main(["run", "tests/data/tiny.toml", "--out", str(out), "--seeds", "2", "--workers", "1",
                     "--no-progress", "--set", "stop.max_generations=100", "--set", "stop.when_solved=false"]) == 0
    return out


def test_formats_conditions_and_seeds(campaign, tmp_path):
    assert cli.main(["figures", str(campaign), "--out", str(tmp_path), "--conditions", "mvg", "--seeds", "1",
                     "--format", "png,pdf,svg", "--dpi", "100"]) == 0
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ["tiny_circuits.pdf", "tiny_circuits.png", "tiny_circuits.svg",
                     "tiny_curves.pdf", "tiny_curves.png", "tiny_curves.svg"]
    assert (tmp_path / "tiny_curves.svg").read_text().lstrip().startswith("<?xml")


def test_switching_goals_are_drawn_at_epoch_ends(campaign):
    from kashtan.rundir import read_campaign
    plan = read_campaign(campaign)
    data = figures.curves(campaign, plan, ["fixed", "mvg"])
    assert data["fixed"]["_x"].tolist() == list(range(1, 101))
    assert data["mvg"]["_x"].tolist() == [20, 40, 60, 80, 100]          # period 20


@pytest.mark.parametrize("args, message", [
    (["--conditions", "nope"], "no condition 'nope'"),
    (["--format", "gif"], "--format"),
    (["--dpi", "5"], "--dpi"),
    (["--seeds", "5-9"], "none of those seeds"),
])
def test_bad_figure_options(campaign, tmp_path, capsys, args, message):
    assert cli.main(["figures", str(campaign), "--out", str(tmp_path), *args]) == 2
    assert message in capsys.readouterr().err


def test_every_condition_has_curves_even_switching_ones_and_from_an_archive(tmp_path):
    # switching conditions are drawn at epoch ends (19, 39, ...) while Qm is recorded every 50
    # generations here: the Qm curve must carry the last record forward, not come out empty
    import numpy as np

    from kashtan import archives, cli, rundir
    from kashtan.report import figures
    out = tmp_path / "camp"
    assert cli.main(["run", "tests/data/tiny.toml", "--out", str(out), "--seeds", "2", "--workers", "1",
                     "--no-progress", "--set", "stop.when_solved=false", "--set", "stop.max_generations=200"]) == 0
    archives.archive(out, tmp_path / "arch")
    for where in (out, tmp_path / "arch"):
        plan = rundir.read_campaign(where)
        data = figures.curves(where, plan, list(plan["conditions"]))
        assert set(data) == set(plan["conditions"])
        for c, d in data.items():
            assert np.isfinite(d["best"]).any() and np.isfinite(d["qm"]).any(), (where, c)
