"""Checks of a config beyond its keys' types: shapes, sizes, finite numbers.

Kept apart from ``kashtan.configuration.config`` (which reads, merges and type-checks) so each stays small.
"""
from __future__ import annotations

import math

from circuits.nand import MAX_GATES


class ConfigError(ValueError):
    """A config that cannot be run; the message names the key and the problem."""


# upper bounds that keep a run within memory and time on a workstation (and out of int64 overflow)
LIMITS = {"ga.population": 1_000_000, "circuit.outputs": 64, "circuit.max_steps": 10_000,
          "stop.max_generations": 10**9, "stop.after_solved": 10**9, "record.qm_random": 1_000_000,
          "record.qmax_steps": 10_000_000, "record.qmax_restarts": 1000, "record.q_restarts": 100_000,
          "schedule.period": 10**9, "schedule.solve_periods": 1000, "network.patterns": 1 << 20,
          "network.init_connections": 1_000_000, "seeds": 1_000_000}


def _strings(path: str, values, what: str = "strings") -> None:
    if not isinstance(values, list) or not all(isinstance(v, str) and v for v in values):
        raise ConfigError(f"'{path}' must be a list of {what}, got {values!r}")


def check_structure(cfg: dict) -> None:
    """Shapes the type check cannot see: lists of names, tables of expressions, numeric pairs."""
    c, n, s = cfg["circuit"], cfg["network"], cfg["schedule"]
    _strings("circuit.inputs", c["inputs"], "input names")
    if len(set(c["inputs"])) != len(c["inputs"]):
        raise ConfigError(f"'circuit.inputs' repeats a name: {c['inputs']}")
    for table, values in (("goal_defs", cfg["goal_defs"]), ("schedule.modules", s["modules"]),
                          ("record.modules", cfg["record"]["modules"])):
        for k, v in values.items():
            if not isinstance(v, str):
                raise ConfigError(f"'{table}.{k}' must be an expression (a string), got {v!r}")
    for k, v in cfg["goals"].items():
        if not isinstance(v, str):
            _strings(f"goals.{k}", v, "expressions")
    _strings("schedule.goals", s["goals"], "goal names") if s["goals"] else None
    _strings("schedule.template", s["template"], "expressions") if s["template"] else None
    if not all(isinstance(i, int) and not isinstance(i, bool) for i in s["order"]):
        raise ConfigError(f"'schedule.order' must list goal indices (integers), got {s['order']!r}")
    for p in s["pairs"]:
        if not (isinstance(p, list) and len(p) == 2 and all(isinstance(m, str) for m in p)):
            raise ConfigError(f"'schedule.pairs' must list pairs of module names, got {p!r}")
    for key in ("fan_in", "bias_range", "layers"):
        v = n[key]
        if not all(isinstance(x, int) and not isinstance(x, bool) for x in v):
            raise ConfigError(f"'network.{key}' must list integers, got {v!r}")
    lo_hi = n["bias_range"]
    if len(lo_hi) != 2 or not -100 <= lo_hi[0] <= lo_hi[1] <= 100:
        raise ConfigError(f"'network.bias_range' must be [low, high] with -100 <= low <= high <= 100, got {lo_hi!r}")
    if len(n["fan_in"]) != 2 or min(n["fan_in"]) < 1 or max(n["fan_in"]) > 100:
        raise ConfigError(f"'network.fan_in' must be [hidden, output] between 1 and 100, got {n['fan_in']!r}")
    if any(x > 1000 for x in n["layers"]) or len(n["layers"]) > 20 or (n["layers"] and n["layers"][0] > 20):
        raise ConfigError(f"'network.layers' = {n['layers']} is too large (at most 20 inputs, 1000 per layer, 20 layers)")
    for path, pairs in (("network.coordinates", n["coordinates"]), ("circuit.positions", c["positions"])):
        for xy in pairs:
            if not (isinstance(xy, list) and len(xy) == 2 and all(
                    isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v) and abs(v) <= 1e6
                    for v in xy)):
                raise ConfigError(f"'{path}' must list finite [x, y] pairs (|x|, |y| <= 1e6), got {xy!r}")


def check_values(cfg: dict) -> None:
    """Numbers with a meaning narrower than their type: penalties, probabilities, fractions."""
    n = cfg["network"]
    for path, v in (("fitness.size_penalty", cfg["fitness"]["size_penalty"]), ("network.neuron_penalty", n["neuron_penalty"]),
                    ("fitness.cost_weight", cfg["fitness"]["cost_weight"])):
        if not math.isfinite(v) or v < 0:
            raise ConfigError(f"'{path}' must be a finite number at least 0, got {v!r}")
    for key in ("input_noise", "label_noise"):
        if not 0 <= n[key] <= 0.5:
            raise ConfigError(f"'network.{key}' is a probability in [0, 0.5], got {n[key]!r}")
    if not 0 < n["solved_at"] <= 1:
        raise ConfigError(f"'network.solved_at' is a fraction of right answers in (0, 1], got {n['solved_at']!r}")
    c, f = cfg["circuit"], cfg["fitness"]
    if c["gates"] > MAX_GATES:      # for every kind: a network config that sets it is wrong too
        raise ConfigError(f"'circuit.gates' must be 1 to {MAX_GATES}, got {c['gates']}")
    if c["positions"] and c["layout"] != "paper":
        raise ConfigError("'circuit.layout' places the inputs of the default positions; with 'circuit.positions' "
                          "given, put the inputs there instead")
    if f["cost"] != "none" and c["kind"] != "nand":
        raise ConfigError("'fitness.cost' is the NAND circuits' wire cost; networks take 'network.cost'")
    if f["cost"] == "none" and f["cost_weight"]:
        raise ConfigError("'fitness.cost_weight' weighs 'fitness.cost', which is \"none\"")
    if n["coordinates"] and n["layout"] != "paper":
        raise ConfigError("'network.layout' places the inputs of the default coordinates; with 'network.coordinates' "
                          "given, put the inputs there instead")
