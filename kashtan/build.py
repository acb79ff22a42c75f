"""From a resolved config to the objects that run: goals, schedule, problem, toolbox, evolution."""
from __future__ import annotations

import numpy as np

from circuits.nand import NandSpec
from circuits.qm import Normalizer
from evo.loop import Evolution
from evo.problem import NandProblem
from evo.toolbox import OperatorError, make_toolbox
from kashtan.config import ConfigError
from tasks.expr import ExpressionError
from tasks.goals import Goal, logic_goal
from tasks.schedules import Cycle, Fixed, RandomModular, RandomTables, Schedule


def goals(cfg: dict) -> dict[str, Goal]:
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
            out[name] = logic_goal(name, inputs, exprs, cfg["goal_defs"])
        except ExpressionError as e:
            raise ConfigError(f"'goals.{name}': {e}") from None
    return out


def schedule(cfg: dict, seed: int) -> Schedule:
    s = cfg["schedule"]
    known = goals(cfg)
    try:
        if s["kind"] == "fixed":
            sched = Fixed(known[s["goals"][0]])
        elif s["kind"] == "mvg":
            sched = Cycle([known[g] for g in s["goals"]], s["period"], s["order"] or None)
        elif s["kind"] == "rmvg":
            if not s["modules"] or not s["pairs"]:
                raise ConfigError("an rmvg schedule needs 'schedule.modules' and 'schedule.pairs'")
            if len(s["pairs"]) != cfg["circuit"]["outputs"]:
                raise ConfigError(f"'schedule.pairs' needs one pair per output ({cfg['circuit']['outputs']})")
            sched = RandomModular(cfg["circuit"]["inputs"], s["modules"], s["pairs"], s["period"], seed)
        else:
            sched = RandomTables(cfg["circuit"]["inputs"], cfg["circuit"]["outputs"], s["period"], seed)
    except (ValueError, ExpressionError) as e:
        raise ConfigError(f"schedule: {e}") from None
    if s["solve_periods"]:
        sched.solve_periods = s["solve_periods"]
    return sched


def problem(cfg: dict) -> NandProblem:
    c, r = cfg["circuit"], cfg["record"]
    try:
        spec = NandSpec(n_inputs=len(c["inputs"]), n_gates=c["gates"], n_outputs=c["outputs"],
                        feedback=c["feedback"], max_steps=c["max_steps"])
    except ValueError as e:
        raise ConfigError(f"circuit: {e}") from None
    norm = Normalizer(kind=r["q"], n_random=r["qm_random"], qmax_steps=r["qmax_steps"],
                      qmax_restarts=r["qmax_restarts"])
    return NandProblem(spec, cfg["fitness"]["size_penalty"], cfg["fitness"]["size_threshold"], r["q"], norm)


def evolution(cfg: dict, seed: int) -> Evolution:
    prob = problem(cfg)
    ga = cfg["ga"]
    try:
        tb = make_toolbox(prob, ga["select"], ga["select_args"], ga["mutate"], ga["mutate_args"],
                          ga["mate"], ga["mate_args"])
    except OperatorError as e:
        raise ConfigError(f"ga: {e}") from None
    sched = schedule(cfg, seed)
    for g in sched.goals():
        try:
            prob.check_goal(g)
        except ValueError as e:
            raise ConfigError(str(e)) from None
    evo = Evolution(prob, sched, tb, ga["population"], seed, qm_every=cfg["record"]["qm_every"])
    # run each operator once on a copy, with a throwaway generator, so bad
    # arguments fail now and not hours into a run
    trial = np.random.default_rng(0)
    for role, call in (("select", lambda: tb.select(trial.random(len(evo.pop)), trial)),
                       ("mate", lambda: tb.mate(evo.pop.copy(), np.zeros(len(evo.pop), bool), trial)),
                       ("mutate", lambda: tb.mutate(evo.pop.copy(), np.zeros(len(evo.pop), bool), trial))):
        try:
            call()
        except (ValueError, TypeError, IndexError) as e:
            raise ConfigError(f"ga.{role} = {ga[role]!r} with {role}_args {ga[role + '_args']}: {e}") from None
    return evo
