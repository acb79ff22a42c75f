import pytest

from kashtan.configuration import build, config
from kashtan.configuration.config import ConfigError

BASE = {"goals": {"G1": "(X ^ Y) & (W ^ Z)"}, "schedule": {"kind": "fixed", "goals": ["G1"]}}


def resolve(extra=None, overrides=()):
    return config.resolve(config.merge(BASE, extra or {}), overrides=list(overrides))


def test_defaults_fill_in():
    cfg = resolve()
    assert cfg["ga"]["population"] == 1000 and cfg["ga"]["select_args"] == {}
    assert cfg["condition"] == "default"


@pytest.mark.parametrize("extra, message", [
    ({"ga": {"mutaton_rate": 0.5}}, "unknown config key 'ga.mutaton_rate'"),
    ({"ga": {"populaton": 5}}, "did you mean 'ga.population'"),
    ({"stop": {"max_generation": 5}}, "did you mean 'stop.max_generations'"),
    ({"ga": {"population": "many"}}, "'ga.population' must be an integer"),
    ({"ga": {"population": 1}}, "'ga.population' must be at least 2"),
    ({"stop": {"when_solved": "yes"}}, "must be true or false"),
    ({"ga": {"mutate_args": {"rate": 1.5}}}, r"probability and must lie in \[0, 1\]"),
    ({"schedule": {"kind": "mvgg"}}, "did you mean 'mvg'"),
    ({"schedule": {"goals": ["G9"]}}, "names 'G9'"),
    ({"schedule": {"period": 0}}, "'schedule.period' must be at least 1"),
    ({"record": {"q": "weird"}}, "'record.q'"),
])
def test_bad_values_name_the_key(extra, message):
    with pytest.raises(ConfigError, match=message):
        resolve(extra)


@pytest.mark.parametrize("extra, message", [
    ({"ga": {"select": "tournamnet"}}, "did you mean 'tournament'"),
    ({"ga": {"select_args": {"elite": 600}}}, "twice the elite"),
    ({"ga": {"mutate_args": {"rate": 0.5, "gens": 1}}}, "did you mean 'genes'"),
    ({"circuit": {"gates": 1025}}, "'circuit.gates' must be 1 to 1024"),
    ({"goals": {"G1": "(X ^ Y) & (V ^ Z)"}}, "unknown input 'V'"),
    ({"goals": {"G1": ["X", "Y"]}}, "has 2 outputs"),
    ({"schedule": {"kind": "rmvg"}}, "needs 'schedule.modules'"),
    ({"schedule": {"kind": "rmvg", "modules": {"A": "X"}, "pairs": [["A", "A"]], "template": ["F1 & V"]}},
     "'schedule.template': .*'V'"),
    ({"schedule": {"kind": "rmvg", "modules": {"A": "X"}, "pairs": [["A", "A"]], "template": ["F1", "F1"]}},
     "one expression per output"),
    ({"schedule": {"kind": "rmvg", "modules": {"A": "X", "B": "Y"}, "pairs": [["A", "B"]], "template": ["F1 | ~F1"]}},
     "draws in a row ignore an input"),
])
def test_bad_runs_fail_at_build(extra, message):
    with pytest.raises(ConfigError, match=message):
        build.evolution(resolve(extra), seed=0)


def test_operator_arguments_replace_rather_than_merge():
    cfg = resolve({"ga": {"mutate": "point", "mutate_args": {"indpb": 0.1}}})
    assert cfg["ga"]["mutate_args"] == {"indpb": 0.1}
    over = config.merge({"ga": {"select_args": {"elite": 300, "x": 1}}}, {"ga": {"select_args": {"elite": 90}}})
    assert over["ga"]["select_args"] == {"elite": 90}


def test_overrides():
    cfg = resolve(overrides=["ga.population=200", "schedule.kind=\"mvg\"", "record.q=directed"])
    assert cfg["ga"]["population"] == 200 and cfg["schedule"]["kind"] == "mvg" and cfg["record"]["q"] == "directed"
    with pytest.raises(ConfigError, match="key=value"):
        config.parse_override("ga.population")


def test_conditions_and_scales(tmp_path):
    raw = config.read_file("tests/data/tiny.toml")
    assert config.conditions(raw) == ["fixed", "mvg"]
    assert config.resolve(raw, "mvg")["schedule"]["kind"] == "mvg"
    with pytest.raises(ConfigError, match="unknown condition 'mvh'"):
        config.resolve(raw, "mvh")
    with pytest.raises(ConfigError, match="unknown scale 'quick'"):
        config.resolve(raw, "mvg", "quick")
    bad = tmp_path / "bad.toml"
    bad.write_text("[ga\npopulation = 3")
    with pytest.raises(ConfigError, match="not valid TOML"):
        config.read_file(bad)


@pytest.mark.parametrize("path", ["replications/kashtan2005_logic.toml", "replications/kashtan2005_logic6.toml",
                                  "replications/clune2013_retina.toml", "replications/kashtan2005_retina.toml"])
def test_replication_configs_build_every_condition_and_scale(path):
    raw = config.read_file(path)
    for cond in config.conditions(raw):
        for scale in (None, "quick"):
            build.evolution(config.resolve(raw, cond, scale), seed=0)


def test_six_input_mvg_follows_the_papers_order():
    raw = config.read_file("replications/kashtan2005_logic6.toml")
    sched = build.schedule(config.resolve(raw, "mvg"), seed=0)
    assert [sched.goal_at(20 * k).name for k in range(7)] == ["G1", "G4", "G2", "G4", "G3", "G4", "G1"]


def test_paper_parameters():
    raw = config.read_file("replications/kashtan2005_logic.toml")
    paper = config.resolve(raw, "mvg")
    assert (paper["ga"]["population"], paper["ga"]["select_args"]["elite"], paper["ga"]["mutate_args"]["rate"],
            paper["schedule"]["period"], paper["stop"]["max_generations"], paper["seeds"]) == \
        (1000, 300, 0.7, 20, 100_000, 50)


def test_grid_expands_conditions(tmp_path):
    path = tmp_path / "grid.toml"
    path.write_text(open("tests/data/tiny.toml").read() + '''
[grid]
"ga.select_args.ties" = ["random", "stable"]
"circuit.feedback" = [true, false]
''')
    raw = config.read_file(path)
    names = config.conditions(raw)
    assert names[:4] == ["fixed__ties=random__feedback=true", "fixed__ties=random__feedback=false",
                         "fixed__ties=stable__feedback=true", "fixed__ties=stable__feedback=false"]
    assert len(names) == 8 and names[4].startswith("mvg__")
    cfg = config.resolve(raw, "mvg__ties=stable__feedback=false")
    # a grid value sets one key: the elite size of the file stays
    assert cfg["ga"]["select_args"] == {"elite": 30, "ties": "stable"} and cfg["circuit"]["feedback"] is False
    assert cfg["schedule"]["kind"] == "mvg"
    with pytest.raises(config.ConfigError, match="unknown condition 'mvg'"):
        config.resolve(raw, "mvg")


def test_overrides_per_condition_and_new_operators_start_from_their_defaults():
    raw = config.read_file("tests/data/tiny.toml")
    over = ["conditions.mvg.ga.population=50", "ga.select=tournament"]
    mvg, fixed = config.resolve(raw, "mvg", overrides=over), config.resolve(raw, "fixed", overrides=over)
    assert mvg["ga"]["population"] == 50 and fixed["ga"]["population"] == 100
    # the file's elite arguments do not leak into the tournament
    assert mvg["ga"]["select"] == "tournament" and mvg["ga"]["select_args"] == {}
    same = config.resolve(raw, "mvg", overrides=["ga.select=elite"])
    assert same["ga"]["select_args"] == {"elite": 30}         # same operator: its arguments stay
    with pytest.raises(config.ConfigError, match="unknown condition 'mvgg'"):
        config.resolve(raw, "mvg", overrides=["conditions.mvgg.ga.population=50"])


def test_functional_modules_are_a_config_table_checked_at_start():
    from kashtan.configuration import build
    raw = config.read_file("tests/data/tiny.toml")
    cfg = config.resolve(raw, "fixed", overrides=['record.modules={ "X^Y" = "X ^ Y", "Z&W" = "Z & W" }'])
    assert cfg["record"]["modules"] == {"X^Y": "X ^ Y", "Z&W": "Z & W"}
    build.evolution(cfg, 0)
    for bad, match in (('{ "a" = "X ^ Q" }', "record.modules.a"), ('{ "a" = 3 }', "record.modules.a")):
        with pytest.raises(config.ConfigError, match=match):
            build.evolution(config.resolve(raw, "fixed", overrides=[f"record.modules={bad}"]), 0)
