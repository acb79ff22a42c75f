"""Config files: TOML in, a fully resolved and checked dict out.

A config file holds the base settings, optional ``[conditions.NAME]`` tables
(each overriding the base for one experimental condition), optional
``[scale.NAME]`` tables (overrides applied on top, e.g. a minutes-long
version), and ``[paper.CONDITION]`` tables with the numbers a paper reported.
Every run directory gets the resolved config, so a run can be repeated from
its own directory. ``DEFAULTS`` below is the full list of keys.
"""
from __future__ import annotations

import copy
import difflib
import json
import math
import tomllib
from pathlib import Path

from circuits import costs, modularity, nand_costs, network
from kashtan.configuration.checks import LIMITS, ConfigError, check_structure, check_values
from kashtan.configuration.defaults import DEFAULTS  # re-exported: config.DEFAULTS
from evo import kinds
from evo.net_problem import COST_ON, INITS
from tasks import schedules

SCHEDULE_KINDS = tuple(schedules.KINDS)
# allowed values of string keys, taken from the modules that own them
CHOICES = {
    "circuit.kind": tuple(kinds.KINDS),
    "schedule.kind": SCHEDULE_KINDS,
    "network.cost": ("none", *costs.KINDS),
    "network.model": network.MODELS,
    "network.init": INITS,
    "network.cost_on": COST_ON,
    "network.layout": costs.LAYOUTS,
    "circuit.layout": nand_costs.LAYOUTS,
    "fitness.cost": ("none", *nand_costs.KINDS),
    "fitness.cost_on": nand_costs.ON,
    "record.q": modularity.KINDS,
    "record.qm_null": ("directed", "simple"),
    "record.q_search": ("full", "quick"),
}
FREE_TABLES = {"goals", "goal_defs", "schedule.modules", "ga.select_args", "ga.mutate_args", "ga.mate_args",
               "record.modules"}
FILE_ONLY = {"conditions", "scale", "paper", "grid"}
MAX_CONDITIONS = 1000
PROBABILITY_ARGS = {"rate", "indpb", "fraction", "cxpb", "mutpb"}


def _flat_keys(d: dict, prefix: str = "") -> list[str]:
    out = []
    for k, v in d.items():
        path = f"{prefix}{k}"
        out.append(path)
        if isinstance(v, dict) and path not in FREE_TABLES:
            out.extend(_flat_keys(v, path + "."))
    return out


def _suggest(key: str) -> str:
    close = difflib.get_close_matches(key, _flat_keys(DEFAULTS), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def merge(base: dict, over: dict) -> dict:
    """Deep merge: tables merge key by key, anything else replaces. Operator argument tables
    (``*_args``) replace whole: arguments belong to one operator and must not leak to another."""
    out = copy.deepcopy(base)
    for k, v in over.items():
        if isinstance(v, dict) and isinstance(out.get(k), dict) and not k.endswith("_args"):
            out[k] = merge(out[k], v)
        else:
            out[k] = copy.deepcopy(v)
    return out


def _check_types(cfg: dict, defaults: dict, prefix: str = "") -> None:
    for k, v in cfg.items():
        path = f"{prefix}{k}"
        if k not in defaults:
            raise ConfigError(f"unknown config key '{path}'{_suggest(path)}")
        want = defaults[k]
        if path in FREE_TABLES:
            if not isinstance(v, dict):
                raise ConfigError(f"'{path}' must be a table, got {v!r}")
        elif isinstance(want, dict):
            if not isinstance(v, dict):
                raise ConfigError(f"'{path}' must be a table, got {v!r}")
            _check_types(v, want, path + ".")
        elif isinstance(want, bool):
            if not isinstance(v, bool):
                raise ConfigError(f"'{path}' must be true or false, got {v!r}")
        elif isinstance(want, int):
            if isinstance(v, bool) or not isinstance(v, int):
                raise ConfigError(f"'{path}' must be an integer, got {v!r}")
            if abs(v) > 2**53:                  # beyond this numpy's int64 arithmetic overflows
                raise ConfigError(f"'{path}' = {v} is out of range (at most 2**53 in size)")
        elif isinstance(want, float):
            if isinstance(v, bool) or not isinstance(v, (int, float)):
                raise ConfigError(f"'{path}' must be a number, got {v!r}")
            if isinstance(v, int) and abs(v) > 2**53 or isinstance(v, float) and not math.isfinite(v):
                raise ConfigError(f"'{path}' must be a finite number of sensible size, got {str(v)[:30]}")
        elif isinstance(want, str):
            if not isinstance(v, str):
                raise ConfigError(f"'{path}' must be a string, got {v!r}")
        elif isinstance(want, list):
            if not isinstance(v, list):
                raise ConfigError(f"'{path}' must be a list, got {v!r}")


def _get(cfg: dict, path: str):
    """The value at a dotted key path (``"ga.population"``)."""
    for part in path.split("."):
        cfg = cfg[part]
    return cfg


def _at_least(cfg, path, low):
    if _get(cfg, path) < low:
        raise ConfigError(f"'{path}' must be at least {low}, got {_get(cfg, path)}")


BIGGEST = 1e15        # no setting means anything beyond this; past 2**63 numpy overflows (a traceback)


def _check_magnitudes(node, path: str = "") -> None:
    """Every number anywhere in a config (operator arguments included) finite and at most BIGGEST."""
    if isinstance(node, dict):
        for k, v in node.items():
            _check_magnitudes(v, f"{path}.{k}" if path else str(k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            _check_magnitudes(v, f"{path}[{i}]")
    elif isinstance(node, (int, float)) and not isinstance(node, bool):
        if isinstance(node, float) and not math.isfinite(node):
            if "noise" in path or "penalty" in path or "weight" in path:
                raise ConfigError(f"'{path}' must be a finite number, got {node!r}")
            return                     # elsewhere the value checks say what a non-finite number means
        if abs(node) > BIGGEST:
            shown = f"{node:.3g}" if isinstance(node, float) else (str(node) if len(str(node)) < 20
                                                                    else f"{str(node)[:8]}... ({len(str(node))} digits)")
            raise ConfigError(f"'{path}' = {shown} is out of range (no setting goes beyond {BIGGEST:.0e})")


def check(cfg: dict) -> dict:
    """Check a resolved run config; return it with defaults filled in."""
    cfg = merge(DEFAULTS, cfg)
    _check_types(cfg, DEFAULTS)
    _check_magnitudes(cfg)
    if cfg["seeds"] < 1:
        raise ConfigError(f"'seeds' must be at least 1, got {cfg['seeds']}")
    for path, low in (("ga.population", 2), ("stop.max_generations", 1), ("stop.after_solved", 0),
                      ("schedule.period", 1), ("record.qm_every", 0), ("record.qm_random", 1), ("record.qmax_steps", 0),
                      ("record.qmax_restarts", 0), ("record.q_restarts", 0), ("record.qdist_every", 0), ("record.checkpoint_every", 1),
                      ("circuit.max_steps", 0), ("schedule.solve_periods", 0), ("fitness.size_threshold", 0),
                      ("network.patterns", 0), ("network.init_connections", 1), ("network.neuron_threshold", 0),
                      ("circuit.gates", 1), ("network.pattern_seed", 0), ("network.layout_seed", 0), ("circuit.layout_seed", 0)):
        _at_least(cfg, path, low)
    for path, allowed in CHOICES.items():
        value = _get(cfg, path)
        if value not in allowed:
            close = difflib.get_close_matches(value, allowed, n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            raise ConfigError(f"'{path}' must be one of {', '.join(allowed)}, got {value!r}{hint}")
    check_structure(cfg)
    sched = cfg["schedule"]
    if sched["kind"] in ("fixed", "mvg"):
        if not sched["goals"]:
            raise ConfigError(f"'schedule.goals' must name at least one goal for a {sched['kind']} schedule")
        for g in sched["goals"]:
            if g not in cfg["goals"]:
                raise ConfigError(f"'schedule.goals' names {g!r}, which is not in [goals] "
                                  f"({', '.join(cfg['goals']) or 'none defined'})")
    for path, high in LIMITS.items():
        v = _get(cfg, path)
        if v > high:
            raise ConfigError(f"'{path}' = {v} is more than this machine can run (at most {high:,})")
    check_values(cfg)
    final = cfg["record"]["final_goal"]
    if final and final not in cfg["goals"]:
        raise ConfigError(f"'record.final_goal' names {final!r}, which is not in [goals] ({', '.join(cfg['goals'])})")
    for role in ("select", "mutate", "mate"):
        for arg, value in cfg["ga"][f"{role}_args"].items():
            if arg in PROBABILITY_ARGS and not (isinstance(value, (int, float)) and not isinstance(value, bool)
                                                and 0 <= value <= 1):
                raise ConfigError(f"'ga.{role}_args.{arg}' is a probability and must lie in [0, 1], got {value!r}")
    return cfg


def read_file(path) -> dict:
    """A TOML config from a file, or a shipped config by name (``kashtan2005_logic``) when no such file exists."""
    from kashtan.configuration import shipped
    path = Path(path) if Path(path).exists() or shipped.find(str(path)) is None else shipped.find(str(path))
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as e:
        hint = "" if path.exists() else f"; shipped configs: {', '.join(shipped.names())}"
        raise ConfigError(f"{path}: cannot read ({e.strerror}){hint}") from None
    except UnicodeDecodeError as e:
        raise ConfigError(f"{path}: not UTF-8 text ({e.reason} at byte {e.start})") from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(f"{path}: not valid TOML ({e})") from None
    except RecursionError:
        raise ConfigError(f"{path}: TOML nested too deeply") from None


MAX_DEPTH = 8            # the deepest real key is conditions.NAME.ga.select_args.ARG (5)


def parse_override(text: str) -> dict:
    """``"ga.population=200"`` -> ``{"ga": {"population": 200}}``; the value is read as TOML, else as a string."""
    if "=" not in text:
        raise ConfigError(f"override {text!r} must look like key=value (e.g. ga.population=200)")
    key, raw = (s.strip() for s in text.split("=", 1))
    parts = key.split(".")
    if len(parts) > MAX_DEPTH or len(key) > 500:
        raise ConfigError(f"override key {key[:60]!r}...: no config key is nested {len(parts)} deep "
                          f"(at most {MAX_DEPTH})")
    if len(raw) > 10_000:
        raise ConfigError(f"override {key!r}: the value is {len(raw):,} characters long; no setting needs that")
    try:
        value = tomllib.loads(f"v = {raw}")["v"]
    except (tomllib.TOMLDecodeError, RecursionError, ValueError):
        value = raw
    out: dict = {}
    node = out
    for p in parts[:-1]:
        node = node.setdefault(p, {})
    node[parts[-1]] = value
    return out


def _grid(raw: dict) -> list[list[tuple[str, object]]]:
    """The ``[grid]`` table (``"dotted.key" = [values]``) as every combination of (key, value)."""
    grid = raw.get("grid") or {}
    if not isinstance(grid, dict):
        raise ConfigError("[grid] must be a table of \"dotted.key\" = [values]")
    combos: list[list[tuple[str, object]]] = [[]]
    for key, values in grid.items():
        if not isinstance(values, list) or not values:
            raise ConfigError(f"grid key {key!r} must list at least one value")
        if len({json.dumps(v, sort_keys=True) for v in values}) < len(values):
            raise ConfigError(f"grid key {key!r} repeats a value: {values[:20]!r}")
        if len(values) > MAX_CONDITIONS:
            raise ConfigError(f"grid key {key!r} lists {len(values):,} values; at most {MAX_CONDITIONS:,} conditions")
        combos = [c + [(key, v)] for c in combos for v in values]
    return combos


def _grid_name(condition: str, combo) -> str:
    parts = [f"{k.rsplit('.', 1)[-1]}={str(v).lower()}" for k, v in combo]
    return "__".join([condition, *parts]) if parts else condition


def conditions(raw: dict) -> list[str]:
    """Names of the file's conditions (``["default"]`` when it has none); with a ``[grid]``,
    every condition crossed with every combination of the grid's values, named
    ``COND__key=value__key=value`` (the last part of each dotted key)."""
    table = raw.get("conditions") or {}
    if not isinstance(table, dict) or not all(isinstance(v, dict) for v in table.values()):
        raise ConfigError("[conditions] must hold tables: [conditions.NAME] with the keys that differ")
    for section in ("scale", "paper"):
        t = raw.get(section) or {}
        if not isinstance(t, dict) or not all(isinstance(v, dict) for v in t.values()):
            raise ConfigError(f"[{section}] must hold tables: [{section}.NAME] ...")
    for c, numbers in (raw.get("paper") or {}).items():
        for k, v in numbers.items():
            if not isinstance(v, (str, int, float)) or isinstance(v, bool) or (
                    isinstance(v, float) and not math.isfinite(v)):
                raise ConfigError(f"'paper.{c}.{k}' must be a string or a finite number, got {v!r}")
    conds = list(table) or ["default"]
    names = [_grid_name(c, combo) for c in conds for combo in _grid(raw)]
    if len(names) > MAX_CONDITIONS:
        raise ConfigError(f"{len(names):,} conditions (with the [grid]); at most {MAX_CONDITIONS:,}")
    for c in raw.get("paper") or {}:
        if not any(n == c or n.startswith(c + "__") for n in names):
            raise ConfigError(f"[paper.{c}] names no condition (conditions: {', '.join(conds)})")
    return names


def _set_path(cfg: dict, key: str, value) -> None:
    *parents, last = key.split(".")
    node = cfg
    for p in parents:
        node = node.setdefault(p, {})
        if not isinstance(node, dict):
            raise ConfigError(f"grid key {key!r}: {p!r} is not a table")
    node[last] = copy.deepcopy(value)


def resolve(raw: dict, condition: str = "default", scale: str | None = None,
            overrides: list[str] = ()) -> dict:
    """The checked run config of one condition: base, then condition, its grid values, scale,
    overrides. Grid values set single keys (``ga.select_args.ties`` changes only ``ties``)."""
    base = {k: v for k, v in raw.items() if k not in FILE_ONLY}
    conds = raw.get("conditions") or {}
    combo = next((c for c in _grid(raw) if _grid_name(condition.split("__")[0], c) == condition), None)
    if combo is None:
        raise ConfigError(f"unknown condition {condition!r}; the file has: {', '.join(conditions(raw))}")
    name = condition.split("__")[0]
    if conds or name != "default":
        if name not in conds:
            raise ConfigError(f"unknown condition {condition!r}; the file has: {', '.join(conditions(raw))}")
        base = merge(base, conds[name])
    for key, value in combo:
        _set_path(base, key, value)
    if scale is not None:
        scales = raw.get("scale") or {}
        if scale not in scales:
            raise ConfigError(f"unknown scale {scale!r}; the file has: {', '.join(scales) or 'none'}")
        base = merge(base, scales[scale])
    for text in overrides:
        over = parse_override(text)
        # --set conditions.NAME.key=value overrides one condition only
        scoped = over.pop("conditions", None)
        if scoped is not None:
            if not isinstance(scoped, dict) or len(scoped) != 1:
                raise ConfigError(f"override {text!r}: write conditions.NAME.key=value")
            (target, inner), = scoped.items()
            if target not in conditions(raw) and target not in conds:
                raise ConfigError(f"override {text!r}: unknown condition {target!r}; the file has: "
                                  f"{', '.join(conditions(raw))}")
            if target in (condition, name) and isinstance(inner, dict):
                over = merge(over, inner)
        ga = over.get("ga") if isinstance(over.get("ga"), dict) else {}
        current = merge(DEFAULTS, base)["ga"] if ga else {}
        for role in ("select", "mutate", "mate"):
            # a new operator starts from its own defaults, not the old one's arguments
            if role in ga and f"{role}_args" not in ga and ga[role] != current[role]:
                ga[f"{role}_args"] = {}
        base = merge(base, over)
    cfg = check(base)
    cfg["condition"] = condition
    return cfg


def dumps(cfg: dict) -> str:
    return json.dumps(cfg, indent=1, sort_keys=True)
