"""From a resolved config to the objects that run: goals, schedule, problem, toolbox, evolution."""
from __future__ import annotations

import numpy as np

from circuits.nand import NandSpec
from circuits.network import NetSpec
from circuits.qm import Normalizer
from evo.loop import Evolution
from evo.net_problem import NetworkProblem
from evo.pareto import ParetoEvolution
from evo.problem import NandProblem
from evo.toolbox import OperatorError, make_toolbox
from kashtan.config import ConfigError
from tasks import retina
from tasks.expr import ExpressionError
from tasks.goals import Goal, logic_goal
from tasks.schedules import Cycle, Fixed, RandomModular, RandomTables, Schedule


def values(cfg: dict) -> dict:
    """Named columns usable in goal expressions: for 8-input networks, the retina's left (L) and
    right (R) objects (tasks/retina.py)."""
    return retina.objects(len(cfg["circuit"]["inputs"])) if cfg["circuit"]["kind"] == "network" else {}


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
            out[name] = logic_goal(name, inputs, exprs, cfg["goal_defs"], values(cfg))
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
            names = list(s["modules"])
            rows = logic_goal("modules", cfg["circuit"]["inputs"], [s["modules"][n] for n in names],
                              cfg["goal_defs"], values(cfg)).table
            sched = RandomModular(cfg["circuit"]["inputs"], {n: rows[:, i] for i, n in enumerate(names)},
                                  s["pairs"], s["period"], seed)
        else:
            sched = RandomTables(cfg["circuit"]["inputs"], cfg["circuit"]["outputs"], s["period"], seed)
    except (ValueError, ExpressionError) as e:
        raise ConfigError(f"schedule: {e}") from None
    if s["solve_periods"]:
        sched.solve_periods = s["solve_periods"]
    return sched


def problem(cfg: dict, threads: int = 1):
    c, r = cfg["circuit"], cfg["record"]
    norm = Normalizer(kind=r["q"], n_random=r["qm_random"], qmax_steps=r["qmax_steps"],
                      qmax_restarts=r["qmax_restarts"])
    if c["kind"] == "network":
        return _network_problem(cfg, norm, threads)
    try:
        spec = NandSpec(n_inputs=len(c["inputs"]), n_gates=c["gates"], n_outputs=c["outputs"],
                        feedback=c["feedback"], max_steps=c["max_steps"])
    except ValueError as e:
        raise ConfigError(f"circuit: {e}") from None
    return NandProblem(spec, cfg["fitness"]["size_penalty"], cfg["fitness"]["size_threshold"], r["q"], norm)


def _network_problem(cfg: dict, norm: Normalizer, threads: int) -> NetworkProblem:
    n, c = cfg["network"], cfg["circuit"]
    try:
        spec = NetSpec(tuple(n["layers"]), n["model"])
    except (TypeError, ValueError) as e:
        raise ConfigError(f"network.layers / network.model: {e}") from None
    if spec.n_inputs != len(c["inputs"]) or spec.n_outputs != c["outputs"]:
        raise ConfigError(f"network.layers {list(spec.layers)} needs {spec.n_inputs} 'circuit.inputs' and "
                          f"{spec.n_outputs} 'circuit.outputs'; got {len(c['inputs'])} and {c['outputs']}")
    rows = None
    if n["patterns"]:
        total = 1 << spec.n_inputs
        if n["patterns"] > total:
            raise ConfigError(f"'network.patterns' = {n['patterns']} but there are only {total} patterns")
        rows = np.sort(np.random.default_rng(n["pattern_seed"]).choice(total, n["patterns"], replace=False))
    try:
        return NetworkProblem(spec, None if n["cost"] == "none" else n["cost"], n["coordinates"] or None, rows,
                              n["neuron_penalty"], n["neuron_threshold"], cfg["record"]["q"], norm,
                              n["init_connections"], n["init"], n["fan_in"], n["bias_range"], n["solved_at"],
                              n["diversity"], threads)
    except ValueError as e:
        raise ConfigError(f"network: {e}") from None


def evolution(cfg: dict, seed: int, threads: int = 1) -> Evolution:
    """``threads``: Numba threads that score one population (networks only; same results)."""
    prob = problem(cfg, threads)
    ga = cfg["ga"]
    pareto = ga["select"] == "nsga2"
    try:
        tb = make_toolbox(prob, None if pareto else ga["select"], ga["select_args"], ga["mutate"],
                          ga["mutate_args"], ga["mate"], ga["mate_args"])
    except OperatorError as e:
        raise ConfigError(f"ga: {e}") from None
    sched = schedule(cfg, seed)
    for g in sched.goals():
        try:
            prob.check_goal(g)
        except ValueError as e:
            raise ConfigError(str(e)) from None
    if pareto:
        evo = _pareto(cfg, prob, sched, tb, seed)
    else:
        evo = Evolution(prob, sched, tb, ga["population"], seed, qm_every=cfg["record"]["qm_every"])
    # run each operator once on a copy, with a throwaway generator, so bad
    # arguments fail now and not hours into a run
    trial = np.random.default_rng(0)
    for role, call in (("select", lambda: pareto or tb.select(trial.random(len(evo.pop)), trial)),
                       ("mate", lambda: tb.mate(evo.pop.copy(), np.zeros(len(evo.pop), bool), trial)),
                       ("mutate", lambda: tb.mutate(evo.pop.copy(), np.zeros(len(evo.pop), bool), trial))):
        try:
            call()
        except (ValueError, TypeError, IndexError) as e:
            raise ConfigError(f"ga.{role} = {ga[role]!r} with {role}_args {ga[role + '_args']}: {e}") from None
    return evo


def _pareto(cfg: dict, prob, sched, tb, seed: int) -> ParetoEvolution:
    """NSGA-II (``ga.select = "nsga2"``): ``select_args.probs`` gives, per objective (performance,
    then the connection cost if any), the probability that it counts in a comparison."""
    args = dict(cfg["ga"]["select_args"])
    net = cfg["network"]
    n_obj = 1 + (cfg["circuit"]["kind"] == "network") * ((net["cost"] != "none") + net["diversity"])
    probs = args.pop("probs", [1.0] + [0.25] * (n_obj - 1))
    if args:
        raise ConfigError(f"ga.select_args for nsga2 takes only 'probs', got {', '.join(args)}")
    if cfg["circuit"]["kind"] != "network":
        raise ConfigError("ga.select = 'nsga2' needs circuit.kind = 'network' (objectives: performance, cost)")
    if not isinstance(probs, list) or len(probs) != n_obj or not all(
            isinstance(p, (int, float)) and 0 <= p <= 1 for p in probs):
        raise ConfigError(f"ga.select_args.probs must list {n_obj} probabilities in [0, 1] "
                          f"(performance{', cost' if net['cost'] != 'none' else ''}"
                          f"{', diversity' if net['diversity'] else ''}), got {probs!r}")
    return ParetoEvolution(prob, sched, tb, cfg["ga"]["population"], seed, probs,
                           qm_every=cfg["record"]["qm_every"])
