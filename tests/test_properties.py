"""Property-based tests (hypothesis) of the parsers and loaders: whatever they are given, they
return a value or raise their own one-line error class, never anything else (issue 9)."""
import json
import string

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from circuits import io as circuit_io
from circuits import network_io
from circuits.io import CircuitFileError
from circuits.nand import NandSpec
from kashtan import cli
from kashtan.configuration import config
from kashtan.running import filechecks, rundir
from kashtan.configuration.config import ConfigError
from tasks.expr import ExpressionError
from tasks.goals import logic_goal

FAST = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-2**70, 2**70) | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=10), inner, max_size=5),
    max_leaves=20)


@FAST
@given(st.text(alphabet=string.digits + ",- x.e", max_size=30))
def test_seeds_parse_or_name_the_problem(text):
    try:
        seeds = cli.parse_seeds(text)
    except ConfigError as e:
        assert "--seeds" in str(e)
        return
    assert seeds and all(0 <= s < 1_000_000 for s in seeds)


@FAST
@given(st.text(max_size=60))
def test_overrides_parse_or_name_the_problem(text):
    try:
        out = config.parse_override(text)
    except ConfigError:
        return
    assert isinstance(out, dict) and "=" in text


def _leaf_paths():
    return [p for p, _ in __import__("tests.fuzz", fromlist=["_flat"])._flat(config.DEFAULTS)]


@FAST
@given(st.data())
def test_config_check_returns_or_raises_config_error(data):
    """Any value at any key (types and ranges at random): a checked config or a ConfigError."""
    cfg = {"goals": {"G1": "(X ^ Y) & (W ^ Z)"}, "schedule": {"kind": "fixed", "goals": ["G1"]}}
    for path in data.draw(st.lists(st.sampled_from(_leaf_paths()), min_size=1, max_size=3)):
        node = cfg
        *parents, last = path.split(".")
        for p in parents:
            node = node.setdefault(p, {})
        node[last] = data.draw(json_values)
    try:
        checked = config.check(cfg)
    except ConfigError:
        return
    assert checked["ga"]["population"] >= 2


@FAST
@given(st.text(alphabet="XYZW^&|~!() 01", max_size=60))
def test_expressions_compile_or_raise_expression_error(text):
    try:
        goal = logic_goal("g", ["X", "Y", "Z", "W"], [text])
    except ExpressionError:
        return
    assert goal.table.shape == (16, 1)


@FAST
@given(json_values)
def test_result_files_are_checked(data):
    try:
        out = filechecks.check_result(data, "result.json", "seed_000")
    except filechecks.RunError:
        return
    assert isinstance(out["final"], dict) and out["seed"] == 0


@FAST
@given(json_values)
def test_campaign_files_are_checked(data):
    try:
        plan = filechecks.check_campaign(data, "campaign.json")
    except filechecks.RunError:
        return
    assert isinstance(plan["conditions"], dict) and isinstance(plan["seeds"], list)


@FAST
@given(json_values, st.sampled_from(["circuit", "network"]))
def test_circuit_and_network_files_are_checked(data, kind):
    if isinstance(data, dict) and data:
        data = {**data, "format": circuit_io.FORMAT if kind == "circuit" else network_io.FORMAT}
    loader = circuit_io.from_dict if kind == "circuit" else network_io.from_dict
    try:
        loader(data)
    except CircuitFileError:
        return


@FAST
@given(st.lists(st.lists(st.text(alphabet="0123456789.-enaG1x,", max_size=8), min_size=1, max_size=12),
                max_size=6))
def test_generation_records_are_checked(tmp_path_factory, rows):
    d = tmp_path_factory.mktemp("g")
    text = ",".join(rundir.COLUMNS) + "\n" + "".join(",".join(r) + "\n" for r in rows)
    (d / rundir.GENERATIONS).write_text(text)
    try:
        cols = rundir.read_generations(d, {"G1"})
    except rundir.RunError:
        return
    assert cols["generation"] == list(range(len(rows)))


@FAST
@given(st.integers(0, 2**32 - 1), st.booleans())
def test_saved_circuits_load_as_they_were(seed, feedback):
    spec = NandSpec(4, 12, 1, feedback)
    genome = spec.random(1, np.random.default_rng(seed))[0]
    back, spec2, names, _ = circuit_io.from_dict(json.loads(json.dumps(circuit_io.to_dict(genome, spec))))
    assert spec2 == spec and np.array_equal(back, genome)
