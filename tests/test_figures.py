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


def test_switching_goals_are_drawn_at_epoch_ends_and_so_is_everything_beside_them(campaign):
    from kashtan.running.rundir import read_campaign
    plan = read_campaign(campaign)
    alone = figures.curves(campaign, plan, ["fixed"])
    assert alone["fixed"]["_x"].tolist() == list(range(1, 101))
    data = figures.curves(campaign, plan, ["fixed", "mvg"])
    assert data["mvg"]["_x"].tolist() == [20, 40, 60, 80, 100]          # period 20
    assert data["fixed"]["_x"].tolist() == data["mvg"]["_x"].tolist()   # one x for every curve of a figure
    assert data["fixed"]["best"][:, 0].tolist() == alone["fixed"]["best"][:, 19].tolist()


def test_many_conditions_get_distinct_colours_and_a_run_by_run_drawing_when_few():
    from kashtan.report import curves
    for n in (3, 12, 25):
        assert len(set(curves.colours(n))) == n


def test_circuit_panels_show_both_goals_of_an_mvg_run_with_modules_side_by_side(campaign):
    import networkx as nx

    from kashtan.running.rundir import read_campaign
    plan = read_campaign(campaign)
    chosen = figures.circuits_to_draw(campaign, plan)
    labels = [label for label, _ in chosen]
    assert "fixed" in labels and {"mvg: G1", "mvg: G2"} <= set(labels)
    g1, g2 = (dict(chosen)[k] for k in ("mvg: G1", "mvg: G2"))
    assert g1.parent == g2.parent                                     # one run's two circuits
    g = nx.DiGraph()
    for n in ("W", "X", "Y", "Z"):
        g.add_node(n, kind="input")
    pos = figures.layered_positions(g, {"X": 0, "Y": 0, "Z": 1, "W": 1})
    order = sorted("WXYZ", key=lambda n: pos[n][0])
    assert order in (["X", "Y", "W", "Z"], ["W", "Z", "X", "Y"])      # each module's inputs together


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

    from kashtan.running import archives, rundir
    from kashtan import cli
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
