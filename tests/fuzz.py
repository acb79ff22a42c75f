"""A fuzzer for every command: thousands of generated bad inputs, each of which must end in a clean
one-line error (issue 9). No traceback, no crash, no hang, no silent acceptance.

    python -m tests.fuzz [N] [--seed S] [--show CLASS]     # N cases (default 2000), report

Every case is bad by construction: a config key given a value of the wrong type or out of range, an
unknown key or operator, a malformed table, a broken expression, invalid TOML, bad command-line
arguments, or a run-directory file (campaign, result, records, best genomes, checkpoint, final
population, circuit/network file) truncated, replaced or given wrong fields. A supervisor process
sends the cases one at a time to a worker that runs ``kashtan.cli.main`` in-process; a worker that
dies is a crash, one that does not answer within the time limit is a hang, and either is replaced.

Outcomes: ``clean`` (non-zero exit, the last stderr line an ``error:`` line, no traceback),
``traceback`` (an exception escaped ``main``), ``unclean`` (non-zero exit without a clean
message, e.g. a run that crashed in a worker), ``accepted`` (exit 0), ``crash``, ``hang``.
"""
from __future__ import annotations

import argparse
import collections
import contextlib
import io
import json
import os
import random
import select
import shutil
import subprocess
import sys
import tempfile
import time
import tomllib
import traceback
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
TINY = (REPO / "tests/data/tiny.toml").read_text()
TINY_NET = (REPO / "tests/data/tiny_net.toml").read_text()
HANG_SECONDS = 60

# --- bad values by the type of the key they replace --------------------------------------------
BAD = {
    int: ['"7"', "true", "1.5", "[1]", "{a = 1}", str(2**63), str(-(2**63)), "1" + "0" * 400, "nan", "inf"],
    float: ['"x"', "true", "[0.5]", "{a = 1}", "nan", "inf", "-inf", "1e400"],
    bool: ['"true"', "1", "0", "1.0", "[true]", '"false"'],
    str: ["5", "true", '["a"]', '{a = "b"}', "1.5"],
    list: ['"a"', "5", "{a = 1}", "true", "[[[1]]]", '[{a = 1}]', "[1e308, -1e308]", "[nan]"],
    dict: ["5", '"x"', "[1, 2]", "true"],
}
# keys whose every string but a few is wrong, and what is wrong for them
BAD_STRINGS = ['"no_such_thing"', '""', '"../x"', '"' + "z" * 5000 + '"', '"\\u0000"']
BAD_NUMBERS = {   # out-of-range values for numeric keys (type right, value wrong)
    "seeds": ["0", "-1", "10000000"], "ga.population": ["0", "1", "-5", "1000000000"],
    "stop.max_generations": ["0", "-1", str(10**12)], "stop.after_solved": ["-1"],
    "schedule.period": ["0", "-3"], "schedule.solve_periods": ["-1", "100000"],
    "circuit.gates": ["0", "-1", "100000", "1000000"], "circuit.outputs": ["0", "-1", "100"],
    "circuit.max_steps": ["-1", "100000000"], "fitness.size_penalty": ["-0.5"],
    "fitness.size_threshold": ["-1"], "network.solved_at": ["1.5", "-0.1", "0"],
    "network.patterns": ["-1", "257", "100000000"], "network.init_connections": ["0", "-1", "100000000"],
    "network.neuron_penalty": ["-1"], "network.neuron_threshold": ["-1"],
    "record.qm_every": ["-1"], "record.qm_random": ["0", "-1", str(10**9)],
    "record.qmax_steps": ["-1", str(10**12)], "record.qmax_restarts": ["-1", "100000"],
    "record.q_restarts": ["-1", str(10**9)], "record.qdist_every": ["-1"],
    "record.checkpoint_every": ["0", "-1"], "network.pattern_seed": ["-1", str(2**62)],
}
BAD_LISTS = {
    "circuit.inputs": ['[]', '["X", "X", "Y", "Z"]', '[1, 2, 3, 4]', '["X"]', '["X", ""]',
                      '[' + ", ".join(f'"i{k}"' for k in range(40)) + ']', '["X Y", "Z", "W", "V"]'],
    "network.layers": ['[]', '[8]', '[8, 0, 1]', '[8, -1, 1]', '[7, 8, 1]', '[8, 100000, 1]', '[8.5, 4, 1]',
                       '[8, 8, 4, 2, 0]', '[' + ", ".join(["8"] * 40) + ']'],
    "network.fan_in": ['[]', '[3]', '[0, 2]', '[3, 2, 1]', '[-1, 2]', '[1000, 2]', '[3.0, 2]'],
    "network.bias_range": ['[]', '[2, -2]', '[1000, 2000]', '[1]', '[1, 2, 3]', '[0.5, 1]'],
    "network.coordinates": ['[[0, 0]]', '[[1e308, 0]]', '[[nan, 0]]', '[[0]]', '[[0, 0, 0]]', '[["a", 0]]',
                            '[' + ", ".join(["[0, 0]"] * 22) + ', [inf, 0]]'],
    "schedule.goals": ['[]', '["nope"]', '[1]', '[""]', '["G1", 5]'],
    "schedule.order": ['["a"]', '[5]', '[-1]', '[0, 99]', '[1.5]', '[true]'],
    "schedule.pairs": ['[5]', '[["A"]]', '[["A", "B", "C"]]', '[[1, 2]]', '[["nope", "B"]]'],
}
EXPRESSIONS = ['""', '"X ^"', '"(X ^ Y"', '"X ^ Y)"', '"Q"', '"X ^ ^ Y"', '"X $ Y"', '"1 + X"',
               '"' + "(" * 500 + "X" + ")" * 500 + '"', '"' + " ^ ".join(["X"] * 30000) + '"',
               '"' + "~" * 3000 + 'X"', '"X ^ Y ^ "', '"not"', "5", "true", '["X", "Y"]', "[]", "{a = 1}"]
OPERATORS = {
    "ga.select": ['"nope"', '"deap.nope"', '"deap.cxTwoPoint"', '"deap.mutFlipBit"', '"mutate"', '""', "5",
                  '"deap."', '"deap.selBest.__class__"', '"__import__"', '"os.system"'],
    "ga.mutate": ['"nope"', '"deap.selBest"', '"deap.cxOnePoint"', '""', "[1]", '"deap.mutGaussian"'],
    "ga.mate": ['"nope"', '"deap.selTournament"', '"deap.mutFlipBit"', '"deap.__dict__"', '"."'],
}
OPERATOR_ARGS = {
    "ga.select_args": ["{elite = -1}", "{elite = 100000}", "{elite = 1.5}", '{elite = "x"}', "{ties = \"nope\"}",
                       "{nope = 1}", "{elite = 30, tournsize = 0}", "{probs = [2.0]}", "{elite = true}"],
    "ga.mutate_args": ["{rate = 1.5}", "{rate = -0.1}", '{rate = "x"}', "{rate = nan}", "{genes = 0}",
                       "{genes = 1000000000}", "{genes = -2}", "{nope = 3}", "{rate = true}", "{ends = \"nope\"}"],
    "ga.mate_args": ["{rate = 2}", "{nope = 1}", '{pairing = "nope"}', "{rate = nan}", "{alpha = 100.0}"],
}


def _flat(d: dict, prefix="") -> list[tuple[str, object]]:
    from kashtan.configuration.config import FREE_TABLES
    out = []
    for k, v in d.items():
        path = prefix + k
        if isinstance(v, dict) and path not in FREE_TABLES:
            out += _flat(v, path + ".")
        else:
            out.append((path, v))
    return out


def _leaves():
    from kashtan.configuration.config import DEFAULTS
    return [(p, v) for p, v in _flat(DEFAULTS) if p not in ("condition",)]


# --- the cases ---------------------------------------------------------------------------------
# A case is (family, argv template, files): argv strings may hold {dir} (the case's scratch
# directory) and {fixture} (the prepared campaign); files maps names to text or bytes to write.

def _run(text: str, *sets: str, net=False, extra=()):
    argv = ["run", "{dir}/c.toml", "--out", "{dir}/out", "--no-progress", "--workers", "1"]
    for s in sets:
        argv += ["--set", s]
    return argv + list(extra), {"c.toml": text}


def config_case(rng: random.Random):
    net = rng.random() < 0.35
    base = TINY_NET if net else TINY
    kind = rng.choice(["type", "type", "range", "list", "unknown", "expr", "operator", "args", "condition",
                       "table", "toml", "toml", "name", "grid", "scale", "paper"])
    if kind == "type":
        path, default = rng.choice(_leaves())
        t = dict if isinstance(default, dict) else type(default)
        # the empty string is a real value where it is the default ("" = unset: record.final_goal)
        strings = [v for v in BAD_STRINGS if not (v == '""' and default == "")]
        value = rng.choice(BAD[t] + (strings if t is str and path not in ("name", "description") else []))
        if t is str and path in ("description",):
            value = rng.choice(BAD[str])
        return ("config.type", *_run(base, f"{path}={value}"))
    if kind == "range":
        path = rng.choice(sorted(BAD_NUMBERS))
        if path.startswith("network."):     # some ranges (patterns <= 256) only bind networks
            base = TINY_NET
        return ("config.range", *_run(base, f"{path}={rng.choice(BAD_NUMBERS[path])}"))
    if kind == "list":
        path = rng.choice(sorted(BAD_LISTS))
        if path.startswith(("network.", "schedule.pairs")):
            base = TINY_NET if path.startswith("network.") else base
        sets = [f"{path}={rng.choice(BAD_LISTS[path])}"]
        if path == "schedule.pairs":
            sets = ['schedule.kind="rmvg"', 'schedule.modules={A = "X ^ Y", B = "Z ^ W"}', *sets]
        return ("config.list", *_run(base, *sets))
    if kind == "unknown":
        path, _ = rng.choice(_leaves())
        parts = path.split(".")
        i = rng.randrange(len(parts))
        word = parts[i]
        pos = rng.randrange(len(word) + 1)
        parts[i] = word[:pos] + rng.choice("xqz_") + word[pos:]
        return ("config.unknown", *_run(base, f"{'.'.join(parts)}=1"))
    if kind == "expr":
        where = rng.choice(["goals.G1", "goal_defs.A", "schedule.modules.A"])
        value = rng.choice(EXPRESSIONS)
        if where == "goals.G1":
            text = TINY.replace('G1 = "(X ^ Y) & (W ^ Z)"', f"G1 = {value}")
            return ("config.expr", *_run(text))
        if where == "goal_defs.A":
            return ("config.expr", *_run(TINY.replace('G1 = "(X ^ Y) & (W ^ Z)"', 'G1 = "A & (W ^ Z)"')
                                         + f"\n[goal_defs]\nA = {value}\n"))
        return ("config.expr", *_run(TINY, 'schedule.kind="rmvg"', 'schedule.pairs=[["A", "B"]]',
                                     f"schedule.modules={{A = {value}, B = \"Z ^ W\"}}"))
    if kind == "operator":
        path = rng.choice(sorted(OPERATORS))
        return ("config.operator", *_run(base, f"{path}={rng.choice(OPERATORS[path])}"))
    if kind == "args":
        path = rng.choice(sorted(OPERATOR_ARGS))
        sets = [f"{path}={rng.choice(OPERATOR_ARGS[path])}"]
        if path == "ga.mate_args":
            sets.insert(0, 'ga.mate="deap.cxTwoPoint"' if rng.random() < 0.5 else 'ga.mate="one_point"')
        return ("config.args", *_run(TINY, *sets))
    if kind == "condition":
        cond = rng.choice(["fixed", "mvg", "nope", "../x", "fixed.ga"])
        path, default = rng.choice(_leaves())
        t = dict if isinstance(default, dict) else type(default)
        return ("config.condition", *_run(TINY, f"conditions.{cond}.{path}={rng.choice(BAD[t])}"))
    if kind == "table":
        text = rng.choice([
            TINY.replace("[conditions.fixed]", "[conditions]\na = 5\n[conditions.fixed]"),
            TINY.replace("[conditions.fixed]", "[conditions.fixed]\nnope = 1"),
            TINY + "\n[goal_defs]\nA = 5\n", TINY + "\n[goal_defs]\nA = \"B\"\nB = \"A\"\n",
            TINY.replace("[goals]", "[goals]\nG3 = [\"X\", \"Y\"]"),
            TINY.replace('G2 = "(X ^ Y) | (W ^ Z)"', '"G 2" = "X"\n"G_2" = "Y"'),
            TINY.replace("[goals]\n", "goals = 5\n[nope]\n"),
            TINY + "\n[conditions.empty]\n",
            TINY.replace("[conditions.fixed]", "[conditions.fixed.schedule]\nkind = 5\n[conditions.x]"),
            "seeds = 2\n", "", "[goals]\n", TINY.replace("[circuit]", "circuit = [1, 2]\n[circuitx]"),
            TINY + "\n[stop]\nmax_generations = 5\n",
        ])
        return ("config.table", *_run(text))
    if kind == "toml":
        body = base.encode()
        how = rng.choice(["cut", "byte", "utf8", "deep", "dup"])
        if how == "cut":
            for _ in range(50):
                cut = body[: rng.randrange(len(body))]
                try:
                    tomllib.loads(cut.decode())
                except (tomllib.TOMLDecodeError, UnicodeDecodeError):
                    return ("config.toml", *_run(cut))
            return ("config.toml", *_run(body[:-3] + b"[[["))
        if how == "byte":
            for _ in range(50):
                i = rng.randrange(len(body))
                broken = body[:i] + bytes([rng.choice(b"[]{}=\"'\\,#\x00")]) + body[i + 1:]
                try:
                    tomllib.loads(broken.decode())
                except (tomllib.TOMLDecodeError, UnicodeDecodeError, ValueError):
                    return ("config.toml", *_run(broken))
            return ("config.toml", *_run(b"\x00" + body))
        if how == "utf8":
            i = rng.randrange(len(body))
            return ("config.toml", *_run(body[:i] + bytes([rng.randrange(0x80, 0x100)]) * 2 + b"\xff" + body[i:]))
        if how == "deep":
            n = rng.choice([200, 1000, 5000])
            return ("config.toml", *_run(base + "\nx = " + "[" * n + "]" * n + "\n"))
        return ("config.toml", *_run("seeds = 3\n" + base))         # a duplicate key
    if kind == "name":
        value = rng.choice(['"../x"', '"/tmp/abs"', '"a/b"', '""', '"."', '".."', '"x\\u0000"', '"' + "n" * 300 + '"'])
        # no --out: the campaign directory comes from the name
        argv, files = _run(base.replace('name = "tiny', f'name = {value}\n#'))
        return ("config.name", [a for a in argv if a not in ("--out", "{dir}/out")], files)
    if kind == "grid":
        # a bare key goes first: at the end it would land in the last table ([paper.*])
        top = rng.random() < 0.15
        text = ("grid = 5\n" + base) if top else base + "\n" + rng.choice([
            '[grid]\n"ga.population" = 5\n', '[grid]\n"nope.key" = [1, 2]\n', '[grid]\n"ga.population" = []\n',
            '[grid]\nx = 5\n', '[grid]\n"ga.population" = [0, 10]\n', '[grid]\n"ga.population" = ["a"]\n',
            '[grid]\n"seeds" = [' + ", ".join(["1"] * 5000) + "]\n",
            '[grid]\n"ga.select_args.ties" = ["nope"]\n'])
        return ("config.grid", *_run(text))
    if kind == "scale":
        text = base + "\n" + rng.choice([
            "[scale.quick]\nga = 5\n", "[scale.quick]\nnope = 1\n", "[scale]\nquick = 5\n",
            "[scale.quick]\nstop = { max_generations = -1 }\n"])
        return ("config.scale", *_run(text, extra=["--scale", "quick"]))
    text = base + "\n" + rng.choice([
        "[paper.fixed]\nqm = [1, 2]\n", "[paper]\nfixed = 5\n", "[paper.nope]\nqm = 1\n",
        "[paper.fixed]\nqm = { a = 1 }\n", "[paper.fixed.x]\ny = 1\n"])
    return ("config.paper", *_run(text))


def cli_case(rng: random.Random):
    kind = rng.choice(["seeds", "workers", "conditions", "set", "paths", "analyze", "adapt", "summarize",
                       "figures", "archive", "resume"])
    if kind == "seeds":
        v = rng.choice(["", "-1", "a", "1-", "-", "5-3", "0-1e30", "1,,2", "1,a", "9" * 40, "1.5",
                        " ", "0-99999999", "1,-2", "1000001", "0x10", "nan", "1_000_000_000"])
        return ("cli.seeds", *_run(TINY, extra=["--seeds", v]))
    if kind == "workers":
        flag = rng.choice(["--workers", "--threads"])
        return ("cli.workers", *_run(TINY, extra=[flag, rng.choice(["0", "-1", "-100", "x", "1.5", "99999999"])]))
    if kind == "conditions":
        return ("cli.conditions", *_run(TINY, extra=["--conditions", rng.choice(
            ["nope", "", ",", "fixed,nope", "../x", "fixed,,mvg", "FIXED"])]))
    if kind == "set":
        return ("cli.set", *_run(TINY, rng.choice(["x", "=", "=1", "ga.population", "ga.population=",
                                                   "ga..population=1", ".=1", "ga.population=[1",
                                                   "ga.population=1 2", "a.b.c.d.e=1", "ga=1",
                                                   "ga.population=1=2", "ga.population=\"\\x\""])))
    if kind == "paths":
        return ("cli.paths", rng.choice([
            ["run", "{dir}/missing.toml", "--out", "{dir}/o"], ["run", "{dir}", "--out", "{dir}/o"],
            ["run", "/dev/null", "--out", "{dir}/o"], ["resume", "{dir}/missing"], ["resume", "{dir}"],
            ["summarize", "{dir}/missing"], ["figures", "{dir}/missing", "--out", "{dir}/f"],
            ["analyze", "{dir}/missing.json"], ["analyze", "{dir}"], ["adapt", "{dir}", "--goal", "G1"],
            ["archive", "{dir}/missing", "{dir}/a"], ["run", "{dir}/c.toml", "--out", "{fixture}"],
            ["run", "kashtan2005_lgoic", "--out", "{dir}/o"], ["configs", "nope"], ["configs", "../serial_logic"],
            ["configs", ""], ["run", "../replications/serial_logic", "--out", "{dir}/o"],
        ]), {"c.toml": TINY})
    if kind == "analyze":
        return ("cli.analyze", ["analyze", "{fixture}/fixed/seed_000/best/G1.json", rng.choice(
            ["--random", "--goal", "--goal"]), rng.choice(["0", "-1", "x", "G=", "=X", "G=Q", "G=X ^", "1e9",
                                                          "G=" + "(" * 400 + "X" + ")" * 400])], {})
    if kind == "adapt":
        return ("cli.adapt", ["adapt", "{fixture}", "--goal", rng.choice(["nope", "", "G 1"]),
                              "--cap", rng.choice(["10", "0", "-1"]), "--workers", rng.choice(["1", "0", "-2"])], {})
    if kind == "summarize":
        if rng.random() < 0.3:
            return ("cli.summarize", ["summarize", "{fixture}", "--conditions", rng.choice(
                ["", ",", "nope", "fixed,nope", "fixed,,mvg"])], {})
        return ("cli.summarize", ["summarize", "{fixture}", "--compare", rng.choice(
            ["nope", "a:b", "fixed", ":", "fixed:nope", "fixed:mvg:x", ""])], {})
    if kind == "figures":
        return ("cli.figures", ["figures", "{fixture}", "--out", "{dir}/f", "--name", rng.choice(
            ["../x", "/tmp/x", "a/b", "", "..", "x\x00"])], {})
    if kind == "archive":
        return ("cli.archive", ["archive", "{fixture}", rng.choice(["{fixture}", "{fixture}/fixed", "", "{dir}/c.toml"])],
                {"c.toml": "x"})
    return ("cli.resume", ["resume", "{fixture}", rng.choice(["--seeds", "--workers", "--threads"]),
                           rng.choice(["", "-1", "x", "0-1e30", "0"])], {})


def hostile_case(rng: random.Random):
    """Issue 23's classes: foreign checkpoints, out-of-set weights, NaN state, huge numbers, deep
    keys, symbolic links, OS errors. ``@ops`` edit the fixture copy: (op, path[, path])."""
    kind = rng.choice(["foreign", "weights", "nan_state", "huge", "deep", "symlink", "os"])
    resume = ["resume", "{copy}", "--workers", "1", "--no-progress"]
    if kind == "foreign":          # another seed's or condition's checkpoint put in place of this one's
        dst = rng.choice(["fixed/seed_000", "mvg/seed_001", "mvg/seed_000"])
        return ("hostile.foreign_checkpoint", resume,
                {"@ops": [("unlink", f"{dst}/result.json"), ("copy", "fixed/seed_001/checkpoint.npz",
                                                             f"{dst}/checkpoint.npz")]})
    if kind == "weights":          # a network file with a weight Clune et al.'s model never makes
        w = rng.choice([3, -3, 127, -127, 5])
        net = {"format": "kashtan-network/1", "layers": [8, 8, 4, 2, 1], "model": "clune",
               "connections": [["x0", "h1.0", w]], "biases": {}, "meta": {}}
        return ("hostile.weights", ["analyze", "{dir}/net.json", "--random", "5"], {"net.json": json.dumps(net)})
    if kind == "nan_state":        # a checkpoint's bookkeeping made NaN, negative or of the wrong kind
        field = rng.choice(["generation", "best_row", "rng", "py_random", "tracker", "extra"])
        value = rng.choice(["nan", -5, [1, 2], {"state": -1}, 10**30])
        return ("hostile.nan_state", resume, {"@ops": [("meta", "fixed/seed_001/checkpoint.npz", field, value)]})
    if kind == "huge":
        key = rng.choice(["fitness.size_penalty", "network.neuron_penalty", "ga.mutate_args.rate",
                          "ga.select_args.elite", "record.qm_every"])
        value = rng.choice([str(2**63), str(10**400), "9" * 5000, "1e300", "-" + str(2**64)])
        return ("hostile.huge", *_run(TINY, f"{key}={value}"))
    if kind == "deep":
        depth = rng.choice([9, 50, 1000, 5000])
        return ("hostile.deep_key", *_run(TINY, ".".join(["a"] * depth) + "=1"))
    if kind == "symlink":          # a run or archive directory entry pointing outside
        where = rng.choice(["fixed/seed_001/best", "fixed/seed_001/generations.csv", "mvg/seed_000/final_best.json"])
        command = rng.choice([resume, ["archive", "{copy}", "{dir}/archived"], ["summarize", "{copy}"]])
        ops = [("symlink", where)] + ([("unlink", where.split("/")[0] + "/" + where.split("/")[1] + "/result.json")]
                                      if command is resume else [])
        return ("hostile.symlink", command, {"@ops": ops})
    argv = rng.choice([["run", "{dir}/c.toml", "--out", "{dir}/c.toml"],
                       ["run", "{dir}/c.toml", "--out", "{dir}/" + "o" * 300],
                       ["archive", "{fixture}", "{dir}/c.toml"],
                       ["figures", "{fixture}", "--out", "{dir}/c.toml"]])
    return ("hostile.os_error", argv, {"c.toml": TINY})


# run-directory files: how to spoil each, and the commands that read it
def _garbage(rng, original: bytes) -> bytes:
    how = rng.choice(["empty", "cut", "random", "flip", "nul", "huge_number", "deep"])
    if how == "empty":
        return b""
    if how == "cut":
        # within the first 40 %: records cut later than a checkpoint are rightly recovered by resume,
        # and a cut inside the last number can leave a valid number
        return original[: rng.randrange(max(1, len(original) * 2 // 5))]
    if how == "random":
        return bytes(rng.randrange(256) for _ in range(rng.randrange(1, 200)))
    if how == "flip":
        b = bytearray(original or b"x")
        for _ in range(rng.randrange(1, 6)):
            b[rng.randrange(len(b))] = rng.randrange(256)
        return bytes(b)
    if how == "nul":
        return b"\x00" * 64
    if how == "huge_number":
        return b"1" + b"0" * 5000
    return b"[" * 100000 + b"]" * 100000


JSON_BAD = ["true", "5", '"x"', "[]", "{}", "NaN", "Infinity", "-Infinity", "1e400", '[1, "a"]', "[[[[[]]]]]", "1.5"]


def _bad_for(rng, value) -> str:
    """A JSON value that cannot stand for ``value``: another type, or a number that is not finite."""
    def kind(v):
        return "number" if isinstance(v, (int, float)) and not isinstance(v, bool) else type(v).__name__
    options = [b for b in JSON_BAD if kind(json.loads(b)) != kind(value)
               or (kind(value) == "number" and b in ("NaN", "Infinity", "-Infinity", "1e400"))
               or (isinstance(value, int) and not isinstance(value, bool) and b == "1.5")]
    return rng.choice(options)


# keys a file cannot lack (others may be missing in files from older versions)
REQUIRED = {"campaign.json": ("conditions", "seeds"), "result.json": ("seed", "generations", "solved", "final"),
            "config.json": (), "G1.json": ("format", "inputs", "gates", "outputs"),
            "final_best.json": ("format", "inputs", "gates", "outputs")}


def _json_edit(rng, original: bytes, name: str) -> bytes:
    """Valid JSON with a required field dropped, or one field (at any depth) given a value of
    another type or a number that is not finite. Operator arguments are left alone: they are
    free tables that only a run checks (the config fuzz covers them)."""
    try:
        data = json.loads(original)
    except ValueError:
        return b"{}"
    if not isinstance(data, dict) or not data:
        return b"[]"
    if REQUIRED[name] and rng.random() < 0.2:
        data.pop(rng.choice(REQUIRED[name]))
        return json.dumps(data).encode()
    path, node = [], data
    while isinstance(node, dict) and node and (not path or rng.random() < 0.7):
        # null fields are optional ones (any value of their type may stand there): leave them be
        keys = [k for k in sorted(node) if not k.endswith("_args") and k != "paper" and node[k] is not None]
        if not keys:
            break
        path.append(rng.choice(keys))
        node = node[path[-1]]
    parent = data
    for k in path[:-1]:
        parent = parent[k]
    parent[path[-1]] = _Raw(_bad_for(rng, node))
    return _Raw.dumps(data).encode()


class _Raw:
    """A JSON fragment written as is (NaN, 1e400, nesting), for ``_splice``."""
    def __init__(self, text):
        self.text = text

    @staticmethod
    def dumps(obj) -> str:
        if isinstance(obj, _Raw):
            return obj.text
        if isinstance(obj, dict):
            return "{" + ", ".join(f"{json.dumps(k)}: {_Raw.dumps(v)}" for k, v in obj.items()) + "}"
        return json.dumps(obj)


def _npy(rng) -> bytes:
    import numpy as np
    buf = io.BytesIO()
    arr = rng.choice([np.zeros((3, 3), np.float64) * np.nan, np.full((100, 49), 10**9, np.int64),
                      np.zeros(5, np.int32), np.array(["a", "b"]), np.zeros((0, 49), np.int32),
                      np.full((100, 49), -5, np.int32), np.zeros((100, 7), np.int32), np.ones((2, 2, 2), np.int8)])
    np.save(buf, arr)
    return buf.getvalue()


def _pickled_npy() -> bytes:
    import numpy as np
    buf = io.BytesIO()
    np.save(buf, np.array([{"a": 1}], dtype=object), allow_pickle=True)
    return buf.getvalue()


RUN_FILES = {   # file -> commands that read it
    "campaign.json": ["resume", "summarize", "figures", "adapt", "archive"],
    "fixed/seed_000/result.json": ["summarize", "figures", "archive"],
    "fixed/seed_000/generations.csv": ["figures"],
    "fixed/seed_001/generations.csv": ["resume"],
    "fixed/seed_000/best/G1.json": ["analyze", "figures"],
    "fixed/seed_000/final_best.json": ["analyze", "summarize", "figures"],
    "fixed/seed_000/final_population.npy": ["archive", "adapt"],
    "fixed/seed_001/checkpoint.npz": ["resume"],
    "fixed/seed_000/config.json": ["summarize", "adapt"],
    "fixed/seed_001/config.json": ["resume"],
}


def rundir_case(rng: random.Random, fixture: Path):
    name = rng.choice(sorted(RUN_FILES))
    command = rng.choice(RUN_FILES[name])
    original = (fixture / name).read_bytes()
    if name.endswith(".npy"):
        spoiled = rng.choice([_npy(rng), _npy(rng), _pickled_npy(), _garbage(rng, original)])
    elif name.endswith(".npz"):
        spoiled = _checkpoint(rng, fixture / name)
    elif name.endswith(".json"):
        spoiled = _json_edit(rng, original, name.split("/")[-1]) if rng.random() < 0.6 else _garbage(rng, original)
    else:
        spoiled = _csv_edit(rng, original) if rng.random() < 0.5 else _garbage(rng, original)
    argv = {"resume": ["resume", "{copy}", "--workers", "1", "--no-progress"],
            "summarize": ["summarize", "{copy}"],
            "figures": ["figures", "{copy}", "--out", "{dir}/figs"],
            "adapt": ["adapt", "{copy}", "--goal", "G1", "--cap", "5", "--workers", "1"],
            "archive": ["archive", "{copy}", "{dir}/archived"],
            "analyze": ["analyze", "{copy}/" + name, "--random", "5"]}[command]
    return (f"rundir.{name.split('/')[-1]}.{command}", argv, {"@copy": name, "@bytes": spoiled})


def _csv_edit(rng, original: bytes) -> bytes:
    lines = original.decode().splitlines()
    i = rng.randrange(1, len(lines)) if len(lines) > 1 else 0
    cells = lines[i].split(",")
    j = rng.randrange(len(cells))
    column = lines[0].split(",")[j]
    bad = ["x", "1e400", "inf", '"', "1,2"]               # wrong anywhere
    if column in ("generation", "effective", "best_perfect", "n_perfect"):
        bad += ["-5", "1.5", "", "nan"]
    elif column not in ("q", "qm", "goal"):
        bad += ["", "nan"]
    cells[j] = rng.choice(bad)
    how = rng.choice(["cell", "cell", "header", "extra", "short", "reorder"])
    if how == "cell":
        lines[i] = ",".join(cells)
    elif how == "header":
        lines[0] = lines[0].replace("generation", "gen", 1) if rng.random() < 0.5 else "a,b"
    elif how == "extra":
        lines[i] += ",7"
    elif how == "short":
        lines[i] = ",".join(cells[: max(1, len(cells) // 2)])
    else:
        lines[1:] = lines[1:][::-1]
    return ("\n".join(lines) + "\n").encode()


def _checkpoint(rng, path: Path) -> bytes:
    import numpy as np
    with np.load(path) as z:
        data = {k: z[k] for k in z.files}
    key = rng.choice(sorted(data))
    how = rng.choice(["drop", "nan", "big", "shape", "dtype", "meta", "garbage", "empty"])
    if how == "garbage":
        return _garbage(rng, path.read_bytes())
    if how == "drop":
        data.pop(key)
    elif how == "nan":
        data[key] = data[key].astype(float) * np.nan if data[key].dtype.kind in "iuf" else np.array(np.nan)
    elif how == "big":
        data[key] = np.full_like(data[key], 10**9, dtype=np.int64) if data[key].dtype.kind in "iu" else np.array(10**18)
    elif how == "shape":
        data[key] = data[key].reshape(-1)[:5] if data[key].size > 5 else np.zeros((7, 3))
    elif how == "dtype":
        data[key] = data[key].astype(np.float32) + 0.5 if data[key].dtype.kind in "iuf" else np.array([1, 2])
    elif how == "empty":
        data[key] = np.zeros((0,))
    else:
        meta = json.loads(str(data["meta"]))
        k = rng.choice(sorted(meta))
        meta[k] = rng.choice([-5, None, "x", 10**30, [1], {"a": 1}, 1.5])
        data["meta"] = np.array(json.dumps(meta))
    buf = io.BytesIO()
    np.savez(buf, **data)
    return buf.getvalue()


def cases(n: int, seed: int, fixture: Path) -> list:
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        r = rng.random()
        make = config_case if r < 0.45 else cli_case if r < 0.55 else hostile_case if r < 0.65 else None
        out.append(make(rng) if make else rundir_case(rng, fixture))
    return out


# --- the fixture campaign ----------------------------------------------------------------------
def make_fixture(where: Path) -> Path:
    """A finished tiny campaign (fixed, mvg; seeds 0 and 1) whose seed 1 of fixed was then cut off at
    generation 70 with a checkpoint, so resume has something to read."""
    from evo.loop import Evolution
    from kashtan import cli
    from kashtan.running import runner
    out = where / "fixture"
    with contextlib.redirect_stdout(io.StringIO()):
        cli.main(["run", str(REPO / "tests/data/tiny.toml"), "--out", str(out), "--seeds", "2", "--workers", "1",
                  "--no-progress", "--set", "stop.max_generations=120", "--set", "stop.when_solved=false"])
    cut = out / "fixed" / "seed_001"
    cfg = json.loads((out / "campaign.json").read_text())["conditions"]["fixed"]
    shutil.rmtree(cut)
    real = Evolution.step

    def interrupted(self):
        if self.generation == 70:
            raise KeyboardInterrupt
        return real(self)
    Evolution.step = interrupted
    try:
        runner.run_seed(cfg, 1, cut)
    except KeyboardInterrupt:
        pass
    finally:
        Evolution.step = real
    return out


# --- the worker: runs one case in-process ------------------------------------------------------
def _classify(rc, err: str, exc: BaseException | None) -> tuple[str, str]:
    if exc is not None:
        frames = [f for f in traceback.extract_tb(exc.__traceback__) if str(REPO) in f.filename]
        where = f"{Path(frames[-1].filename).relative_to(REPO)}:{frames[-1].lineno}" if frames else "?"
        return "traceback", f"{type(exc).__name__} at {where}: {str(exc)[:120]}"
    lines = [ln for ln in err.strip().splitlines() if ln.strip()]
    if rc in (0, None):
        return "accepted", ""
    # one "kashtan: error:" line, or argparse's usage lines and then its "kashtan CMD: error:" line
    if "Traceback" in err or not lines or not lines[-1].startswith("kashtan") or "error:" not in lines[-1]:
        return "unclean", (lines[-1] if lines else "")[:160]
    return "clean", lines[-1][:160]


def run_case(case, scratch: Path, fixture: Path) -> tuple[str, str]:
    family, argv, files = case
    if scratch.exists():
        shutil.rmtree(scratch)
    scratch.mkdir(parents=True)
    copy = scratch / "copy"
    outside = scratch.parent / "outside"          # symbolic links point here; nothing may be written here
    shutil.rmtree(outside, ignore_errors=True)
    outside.mkdir()
    if "@copy" in files or "@ops" in files:
        shutil.copytree(fixture, copy)
    if "@copy" in files:
        (copy / files["@copy"]).write_bytes(files["@bytes"])
    for op, path, *rest in files.get("@ops", []):
        p = copy / path
        if op == "unlink":
            p.unlink(missing_ok=True)
        elif op == "copy":
            shutil.copyfile(copy / path, copy / rest[0])
        elif op == "symlink":
            if p.is_dir():
                shutil.rmtree(p)
            else:
                p.unlink(missing_ok=True)
            os.symlink(outside, p)
        elif op == "meta":
            import numpy as np
            with np.load(p) as z:
                data = {k: z[k] for k in z.files}
            meta = json.loads(str(data["meta"]))
            meta[rest[0]] = float("nan") if rest[1] == "nan" else rest[1]
            data["meta"] = np.array(json.dumps(meta))
            with open(p, "wb") as f:
                np.savez(f, **data)
    for name, body in files.items():
        if not name.startswith("@"):
            (scratch / name).write_bytes(body if isinstance(body, bytes) else body.encode())
    argv = [a.replace("{dir}", str(scratch)).replace("{fixture}", str(fixture)).replace("{copy}", str(copy))
            for a in argv]
    from kashtan import cli
    spoiled = str(copy / files["@copy"]) if "@copy" in files else None
    linked = [op[1] for op in files.get("@ops", []) if op[0] == "symlink"]
    if linked:
        spoiled = str(copy / linked[0])
    _OPENED.clear()
    err, rc, exc = io.StringIO(), None, None
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
        try:
            rc = cli.main(argv)
        except SystemExit as e:
            rc = e.code if isinstance(e.code, int) else 1
        except BaseException as e:          # noqa: BLE001 -- the point is to see everything that escapes
            exc = e
    outcome, detail = _classify(rc, err.getvalue(), exc)
    if any(outside.iterdir()):
        return "escaped", f"wrote outside the named directories: {sorted(p.name for p in outside.iterdir())}"
    if outcome == "accepted" and "@ops" in files and family == "hostile.foreign_checkpoint":
        return "accepted", "a foreign checkpoint was resumed"
    if outcome == "accepted" and spoiled and not any(o == spoiled or o.startswith(spoiled + os.sep) for o in _OPENED):
        return "unread", ""            # the command never opened the spoiled file: nothing to catch
    return outcome, detail


_OPENED: set[str] = set()


def _audit(event, args):
    if event == "open" and isinstance(args[0], (str, Path)):
        _OPENED.add(os.path.abspath(args[0]))


def worker(seed: int, n: int, root: Path) -> None:
    fixture = root / "fixture"
    all_cases = cases(n, seed, fixture)
    sys.addaudithook(_audit)
    for line in sys.stdin:
        i = int(line)
        outcome, detail = run_case(all_cases[i], root / f"case_{os.getpid()}", fixture)
        print(json.dumps([i, outcome, detail]), flush=True)


# --- the supervisor ----------------------------------------------------------------------------
def fuzz(n: int = 2000, seed: int = 0, hang_seconds: float = HANG_SECONDS, log=None) -> list[tuple]:
    """Run ``n`` generated bad inputs; return ``(index, family, outcome, detail)`` per case."""
    root = Path(tempfile.mkdtemp(prefix="kashtan_fuzz_"))
    try:
        make_fixture(root)
        families = [c[0] for c in cases(n, seed, root / "fixture")]
        results, i, proc = [], 0, None
        while i < n:
            if proc is None:
                proc = subprocess.Popen([sys.executable, "-m", "tests.fuzz", "--worker", str(n), "--seed", str(seed),
                                         "--root", str(root)], cwd=REPO, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=subprocess.DEVNULL, text=True, bufsize=1)
            proc.stdin.write(f"{i}\n")
            proc.stdin.flush()
            ready, _, _ = select.select([proc.stdout], [], [], hang_seconds)
            line = proc.stdout.readline() if ready else ""
            if line:
                _, outcome, detail = json.loads(line)
            else:
                outcome = "hang" if not ready else "crash"
                detail = "" if not ready else f"exit {proc.wait()}"
                proc.kill()
                proc.wait()
                proc = None
            results.append((i, families[i], outcome, detail))
            if log:
                log(results[-1])
            i += 1
        if proc is not None:
            proc.stdin.close()
            proc.wait()
        return results
    finally:
        shutil.rmtree(root, ignore_errors=True)


def report(results) -> str:
    by = collections.Counter(r[2] for r in results)
    lines = [f"{len(results)} bad inputs: " + ", ".join(f"{by[k]} {k}" for k in
                                                         ("clean", "unread", "traceback", "unclean", "accepted", "crash", "hang"))]
    fam = collections.defaultdict(collections.Counter)
    for _, f, o, _ in results:
        fam[f.split(".")[0] + "." + f.split(".")[1]][o] += 1
    for f in sorted(fam):
        lines.append(f"  {f:28s} " + " ".join(f"{k}={v}" for k, v in sorted(fam[f].items())))
    bad = collections.Counter((f, o, d) for _, f, o, d in results if o not in ("clean", "unread"))
    if bad:
        lines.append("failures (family, outcome, detail) x count:")
        first = {}
        for i, f, o, d in results:
            first.setdefault((f, o, d), i)
        lines += [f"  {n:4d} x {f} {o} (case {first[k]}): {k[2]}" for k, n in bad.most_common() for f, o, _ in [k]]
    return "\n".join(lines)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("n", nargs="?", type=int, default=2000)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--worker", type=int)
    p.add_argument("--root")
    p.add_argument("--case", type=int, action="append", help="show and run these cases in-process")
    a = p.parse_args(argv)
    if a.worker:
        worker(a.seed, a.worker, Path(a.root))
        return 0
    if a.case:
        root = Path(tempfile.mkdtemp(prefix="kashtan_fuzz_"))
        fixture = make_fixture(root)
        every = cases(a.n, a.seed, fixture)
        sys.addaudithook(_audit)
        for i in a.case:
            family, args, files = every[i]
            shown = {k: (v[:300] if isinstance(v, (str, bytes)) else v) for k, v in files.items() if k != "c.toml"}
            if "@copy" in files and not files["@copy"].endswith((".npy", ".npz")):
                import difflib
                old = (fixture / files["@copy"]).read_bytes().decode(errors="replace").replace(", ", ",\n")
                new = files["@bytes"].decode(errors="replace").replace(", ", ",\n")
                shown["@bytes"] = "".join(list(difflib.unified_diff(old.splitlines(True), new.splitlines(True)))[2:30])[:800]
            print(i, family, args, shown, run_case(every[i], root / "case", fixture), sep="\n  ")
        shutil.rmtree(root)
        return 0
    start = time.time()
    results = fuzz(a.n, a.seed)
    print(report(results))
    print(f"{time.time() - start:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
