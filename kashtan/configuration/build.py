"""From a resolved config to the objects that run: goals, schedule, problem, toolbox, evolution.

Variants are looked up in registries, one entry per kind: ``SCHEDULES`` (by
``schedule.kind``, the kinds of ``tasks.schedules.KINDS``) and ``PROBLEMS`` (by
``circuit.kind``, the kinds of ``evo.kinds.KINDS``); each entry reads its own config tables.
"""
from __future__ import annotations

import numpy as np

from circuits import costs, nand_costs
from circuits.nand import NandSpec
from circuits.network import NetSpec
from circuits.qm import Normalizer
from evo.kinds import KINDS
from evo.loop import Evolution
from evo.toolbox import OperatorError, make_toolbox
from kashtan.configuration.config import ConfigError
from tasks import retina
from tasks.expr import ExpressionError
from tasks.goals import Goal, logic_goal
from tasks.schedules import Cycle, Fixed, Noisy, RandomModular, RandomTables, Resampled, Schedule


def values(cfg: dict) -> dict:
    """Named columns usable in goal expressions: for 8-input networks, the retina's left (L) and
    right (R) objects (tasks/retina.py)."""
    return retina.objects(len(cfg["circuit"]["inputs"])) if cfg["circuit"]["kind"] == "network" else {}


def goals(cfg: dict) -> dict[str, Goal]:
    """The config's ``[goals]`` as ``tasks.goals.Goal`` objects, by name."""
    inputs = cfg["circuit"]["inputs"]
    out = {}
    for name, spec in cfg["goals"].items():
        exprs = [spec] if isinstance(spec, str) else spec
        if not isinstance(exprs, list) or not all(isinstance(e, str) for e in exprs):
            raise ConfigError(f"'goals.{name}' must be an expression or a list of expressions")
        if len(exprs) != cfg["circuit"]["outputs"]:
            raise ConfigError(f"'goals.{name}' has {len(exprs)} outputs; the circuits have "
                              f"{cfg['circuit']['outputs']} ('circuit.outputs')")
        try:
            out[name] = logic_goal(name, inputs, exprs, cfg["goal_defs"], values(cfg))
        except ExpressionError as e:
            raise ConfigError(f"'goals.{name}': {e}") from None
    return out


def _fixed(cfg, s, known, seed):
    return Fixed(known[s["goals"][0]])


def _mvg(cfg, s, known, seed):
    return Cycle([known[g] for g in s["goals"]], s["period"], s["order"] or None)


def _rmvg(cfg, s, known, seed):
    if not s["modules"] or not s["pairs"]:
        raise ConfigError("an rmvg schedule needs 'schedule.modules' and 'schedule.pairs'")
    outputs = cfg["circuit"]["outputs"]
    if s["template"] and len(s["template"]) != outputs:
        raise ConfigError(f"'schedule.template' needs one expression per output ({outputs})")
    if not s["template"] and len(s["pairs"]) != outputs:
        raise ConfigError(f"'schedule.pairs' needs one pair per output ({outputs})")
    names = list(s["modules"])
    rows = logic_goal("modules", cfg["circuit"]["inputs"], [s["modules"][n] for n in names],
                      cfg["goal_defs"], values(cfg)).table
    try:
        # a template may also name the retina's columns (L, R, L2, R2)
        sched = RandomModular(cfg["circuit"]["inputs"], {**values(cfg), **{n: rows[:, i] for i, n in enumerate(names)}},
                              s["pairs"], s["period"], seed, template=s["template"])
        sched.goal_at(0)            # a template no draw can satisfy fails here, not mid-run
    except (ValueError, ExpressionError) as e:
        raise ConfigError(f"'schedule.template': {e}") from None
    return sched


def _random(cfg, s, known, seed):
    return RandomTables(cfg["circuit"]["inputs"], cfg["circuit"]["outputs"], s["period"], seed)


SCHEDULES = {"fixed": _fixed, "mvg": _mvg, "rmvg": _rmvg, "random": _random}


def schedule(cfg: dict, seed: int) -> Schedule:
    """The config's schedule; drawn schedules (RMVG, random) draw from ``seed``."""
    s = cfg["schedule"]
    try:
        sched = SCHEDULES[s["kind"]](cfg, s, goals(cfg), seed)
    except (ValueError, ExpressionError) as e:
        raise ConfigError(f"schedule: {e}") from None
    if s["solve_periods"]:
        sched.solve_periods = s["solve_periods"]
    n = cfg["network"]
    if cfg["circuit"]["kind"] == "network" and n["patterns"] and n["resample"]:
        total = 1 << len(cfg["circuit"]["inputs"])
        if n["patterns"] > total:
            raise ConfigError(f"'network.patterns' = {n['patterns']} but there are only {total} patterns")
        sched = Resampled(sched, n["patterns"], seed, n["pattern_seed"])
    if n["input_noise"] or n["label_noise"]:          # networks and NAND circuits alike
        sched = Noisy(sched, n["input_noise"], n["label_noise"], seed)
    return sched


def _nand(cfg: dict, norm: Normalizer, threads: int):
    c = cfg["circuit"]
    problem, settings = KINDS["nand"]
    try:
        spec = NandSpec(n_inputs=len(c["inputs"]), n_gates=c["gates"], n_outputs=c["outputs"],
                        feedback=c["feedback"], max_steps=c["max_steps"])
    except ValueError as e:
        raise ConfigError(f"circuit: {e}") from None
    f = cfg["fitness"]
    try:
        xy = (c["positions"] or nand_costs.layout_positions(spec, c["layout"], c["layout_seed"]).tolist()
              if f["cost"] != "none" else None)
        return problem(spec, settings(**{**f, "cost": None if f["cost"] == "none" else f["cost"],
                                         "positions": xy}), cfg["record"]["q"], norm)
    except ValueError as e:
        raise ConfigError(f"circuit / fitness: {e}") from None


def _network(cfg: dict, norm: Normalizer, threads: int):
    n, c = cfg["network"], cfg["circuit"]
    problem, settings = KINDS["network"]
    try:
        spec = NetSpec(tuple(n["layers"]), n["model"])
    except (TypeError, ValueError) as e:
        raise ConfigError(f"network.layers / network.model: {e}") from None
    if spec.n_inputs != len(c["inputs"]) or spec.n_outputs != c["outputs"]:
        raise ConfigError(f"network.layers {list(spec.layers)} needs {spec.n_inputs} 'circuit.inputs' and "
                          f"{spec.n_outputs} 'circuit.outputs'; got {len(c['inputs'])} and {c['outputs']}")
    rows = None
    if n["patterns"] and not n["resample"]:
        total = 1 << spec.n_inputs
        if n["patterns"] > total:
            raise ConfigError(f"'network.patterns' = {n['patterns']} but there are only {total} patterns")
        rows = np.sort(np.random.default_rng(n["pattern_seed"]).choice(total, n["patterns"], replace=False))
    own = {k: v for k, v in n.items()
           if k not in ("layers", "model", "patterns", "pattern_seed", "resample", "input_noise", "label_noise",
                        "layout", "layout_seed")}
    xy = n["coordinates"] or None
    if xy is None and n["layout"] != "paper":
        xy = costs.layout_coordinates(spec, n["layout"], n["layout_seed"]).tolist()
    try:
        return problem(spec, settings(**{**own, "cost": None if n["cost"] == "none" else n["cost"],
                                         "coordinates": xy, "rows": rows}),
                       cfg["record"]["q"], norm, threads)
    except ValueError as e:
        raise ConfigError(f"network: {e}") from None


PROBLEMS = {"nand": _nand, "network": _network}


def problem(cfg: dict, threads: int = 1):
    """The config's problem (``evo.problem.Problem``); ``threads`` Numba threads score a population."""
    r = cfg["record"]
    norm = Normalizer(kind=r["q"], n_random=r["qm_random"], qmax_steps=r["qmax_steps"],
                      qmax_restarts=r["qmax_restarts"], restarts=r["q_restarts"], simple=r["qm_null"] == "simple")
    return PROBLEMS[cfg["circuit"]["kind"]](cfg, norm, threads)


def evolution(cfg: dict, seed: int, threads: int = 1) -> Evolution:
    """The run of ``cfg`` with ``seed``, ready to ``step``; every setting is checked first, so a
    bad goal, operator or argument fails here (as ConfigError) and not hours into a run.
    ``threads``: Numba threads that score one population (networks only; same results)."""
    prob = problem(cfg, threads)
    ga = cfg["ga"]
    try:
        tb = make_toolbox(prob, ga["select"], ga["select_args"], ga["mutate"], ga["mutate_args"],
                          ga["mate"], ga["mate_args"])
    except OperatorError as e:
        raise ConfigError(f"ga: {e}") from None
    sched = schedule(cfg, seed)
    for name, text in cfg["record"]["modules"].items():      # checked now, read by summaries later
        try:
            logic_goal(name, cfg["circuit"]["inputs"], [text])
        except (ValueError, ExpressionError) as e:
            raise ConfigError(f"'record.modules.{name}': {e}") from None
    for g in sched.goals():
        try:
            prob.check_goal(g)
        except ValueError as e:
            raise ConfigError(str(e)) from None
    evo = Evolution(prob, sched, tb, ga["population"], seed, qm_every=cfg["record"]["qm_every"],
                    quick_q=cfg["record"]["q_search"] == "quick",
                    hold_goal=goals(cfg)[cfg["record"]["final_goal"]] if cfg["record"]["final_goal"] else None)
    # run each operator once on a copy, with a throwaway generator, so bad
    # arguments fail now and not hours into a run
    trial = np.random.default_rng(0)
    checks = [("mate", lambda: tb.mate(evo.pop.copy(), np.zeros(len(evo.pop), bool), trial)),
              ("mutate", lambda: tb.mutate(evo.pop.copy(), np.zeros(len(evo.pop), bool), trial))]
    if hasattr(tb, "select"):
        checks.insert(0, ("select", lambda: tb.select(trial.random(len(evo.pop)), trial)))
    for role, call in checks:
        try:
            call()
        except (ValueError, TypeError, IndexError) as e:
            raise ConfigError(f"ga.{role} = {ga[role]!r} with {role}_args {ga[role + '_args']}: {e}") from None
    return evo
