import json

import numpy as np
import pytest

from circuits import io
from circuits.nand import NandSpec


def test_round_trip(tmp_path, spec4, modular_g1):
    path = tmp_path / "c.json"
    io.save(path, modular_g1, spec4, ["X", "Y", "Z", "W"], {"goal": "G1"})
    data = json.loads(path.read_text())
    assert data["gates"][0] == ["X", "Y"] and data["gates"][9] == ["g8", "g8"] and data["outputs"] == ["g9"]
    genome, spec, inputs, meta = io.load(path)
    assert np.array_equal(genome, modular_g1) and spec == spec4 and inputs == ["X", "Y", "Z", "W"]
    assert meta == {"goal": "G1"}


@pytest.mark.parametrize("mutate, message", [
    (lambda d: d.update(format="other"), "'format' must be"),
    (lambda d: d["gates"].__setitem__(0, ["X"]), "gate g0 must list exactly two sources"),
    (lambda d: d["gates"].__setitem__(1, ["X", "V"]), "unknown source 'V'"),
    (lambda d: d.update(outputs=["X"]), "outside"),
    (lambda d: d.update(inputs=["X"] * 7), "1 to 6 inputs"),
    (lambda d: d.update(feedback=False), "feedback is off"),
    (lambda d: d.pop("gates"), "'gates' must be a non-empty list"),
])
def test_bad_files_name_the_problem(tmp_path, spec4, modular_g1, mutate, message):
    data = io.to_dict(modular_g1, spec4, ["X", "Y", "Z", "W"])
    if message == "feedback is off":
        data["gates"][0] = ["g5", "X"]
    mutate(data)
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data))
    with pytest.raises(io.CircuitFileError, match=message) as err:
        io.load(path)
    assert str(path) in str(err.value)


def test_not_json(tmp_path):
    path = tmp_path / "x.json"
    path.write_text("{nope")
    with pytest.raises(io.CircuitFileError, match="not valid JSON"):
        io.load(path)
    with pytest.raises(io.CircuitFileError, match="cannot read"):
        io.load(tmp_path / "missing.json")


def test_functional_modules_of_the_textbook_circuit(spec4, modular_g1):
    from kashtan.analysis.analyze import XOR_MODULES, functional_modules
    inputs = ["X", "Y", "Z", "W"]
    assert functional_modules(modular_g1, spec4, XOR_MODULES, inputs) == ["X^Y", "Z^W"]
    # rewire the second XOR's output gate (g7 = NAND(g5, g6)) to NAND(g5, g5): Z^W is gone
    broken = modular_g1.copy()
    broken[15] = 4 + 5
    assert functional_modules(broken, spec4, XOR_MODULES, inputs) == ["X^Y"]
