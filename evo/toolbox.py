"""Operators chosen by name and registered in a ``deap.base.Toolbox``.

Names are kashtan's population operators (``elite``, ``tournament``,
``truncation``; ``rewire``, ``point``; ``none``, ``one_point``) or any DEAP
operator written ``deap.<name>`` (``deap.selTournament``, ``deap.mutUniformInt``,
``deap.cxTwoPoint``). Arguments are checked against the operator's signature,
so a misspelt argument fails at start-up, not a day into a run.

The loop calls ``toolbox.strategy`` (``evo.strategies``), which calls
``toolbox.select(fitness, rng)``, ``toolbox.mate(pop, protect, rng)`` and
``toolbox.mutate(pop, protect, rng)``. Every operator draws from the numpy Generator
``rng`` it is given (DEAP's from Python's ``random``, which the loop keeps per run).
"""
from __future__ import annotations

import difflib
import inspect
import math

from deap import base, tools

from evo import nand_operators, net_operators, operators, selection
from evo.strategies import STRATEGIES, Generational


class OperatorError(ValueError):
    """An unknown operator or an argument it does not take."""


def _suggest(word, options) -> str:
    close = difflib.get_close_matches(word, list(options), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _resolve(role: str, name: str, registry: dict, adapter):
    if name.startswith("deap."):
        try:
            fn = adapter(name[5:])
        except ValueError as e:
            raise OperatorError(f"{role} operator {name!r}: {e}") from None
        return fn, list(inspect.signature(getattr(tools, name[5:])).parameters.values())
    if name not in registry:
        known = ", ".join(sorted(registry)) + ", or deap.<operator>"
        raise OperatorError(f"unknown {role} operator {name!r}{_suggest(name, registry)}; known: {known}")
    return registry[name], []


def _check_args(role, name, fn, args, extra):
    params = inspect.signature(fn).parameters
    takes_any = any(p.kind is p.VAR_KEYWORD for p in params.values())
    allowed = [p for p, v in params.items() if v.default is not inspect.Parameter.empty or v.kind is v.KEYWORD_ONLY]
    allowed += extra
    for key, value in args.items():
        if key not in allowed and not (takes_any and not extra):
            raise OperatorError(f"{role} operator {name!r} takes no argument {key!r}{_suggest(key, allowed)}; "
                                f"it takes: {', '.join(allowed) or 'nothing'}")
        default = params[key].default if key in params else None
        if not _same_kind(value, default):
            raise OperatorError(f"{role} operator {name!r}: {key} = {value!r:.60} should be like its default "
                                f"({default!r})")


def _same_kind(value, default) -> bool:
    """Whether an argument has the type of the parameter's default (booleans are not numbers;
    an integer will do for a float). Parameters without a typed default take anything."""
    if isinstance(default, bool):
        return isinstance(value, bool)
    if isinstance(default, int):
        return isinstance(value, int) and not isinstance(value, bool)
    if isinstance(default, float):
        return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
    if isinstance(default, str):
        return isinstance(value, str)
    return True


MUTATIONS = {**operators.MUTATIONS, "gate_edit": nand_operators.gate_edit, "clune": net_operators.clune_mutation,
             "kashtan_net": net_operators.kashtan_mutation}
CROSSOVERS = {**operators.CROSSOVERS, "neuron": net_operators.neuron_crossover}


def _strategy(name: str, args: dict | None, problem):
    cls = STRATEGIES[name]
    _check_args("select", name, cls.__init__, dict(args or {}), [])
    strategy = cls(**(args or {}))
    try:
        strategy.check(problem)
    except ValueError as e:
        raise OperatorError(str(e)) from None
    return strategy


def make_toolbox(problem, select: str = "elite", select_args: dict | None = None,
                 mutate: str = "rewire", mutate_args: dict | None = None,
                 mate: str = "none", mate_args: dict | None = None) -> base.Toolbox:
    """A ``deap.base.Toolbox`` with ``mate``, ``mutate``, ``strategy`` and, for the generational
    strategy, ``select``, built for ``problem`` (``evo.problem.Problem``).

    ``select`` names a survival strategy of ``evo.strategies.STRATEGIES`` (``nsga2``) or a
    parent selection run by ``Generational``: kashtan's (``selection.SELECTIONS``) or
    ``deap.<name>``; ``mutate`` and ``mate`` name operators of ``MUTATIONS`` and
    ``CROSSOVERS`` or ``deap.<name>``. Each ``*_args`` table is checked against the
    operator's signature; operators also get the settings of ``problem.operator_context()``
    that their signature names (``spec``, ``fan_in``). Raises ``OperatorError`` naming
    the operator and argument at fault.
    """
    tb = base.Toolbox()
    if select in STRATEGIES:
        tb.strategy = _strategy(select, select_args, problem)
        roles = ()
    else:
        tb.strategy = Generational()
        roles = (("select", select, select_args, {**selection.SELECTIONS, **STRATEGIES}, selection.deap_selection, {}),)
    bounds = (problem.lo, problem.hi)
    context = problem.operator_context()
    for role, name, args, registry, adapter, fixed in (
            *roles,
            ("mutate", mutate, mutate_args, MUTATIONS, operators.deap_mutation, {"bounds": bounds}),
            ("mate", mate, mate_args, CROSSOVERS, operators.deap_crossover, {"bounds": bounds})):
        fn, deap_params = _resolve(role, name, registry, adapter)
        takes = inspect.signature(fn).parameters
        fixed = {**fixed, **{k: v for k, v in context.items() if k in takes}}
        args = dict(args or {})
        skip = {"individual", "individuals", "ind1", "ind2", "k"}
        own = [p for p in deap_params if p.name not in skip]
        if role == "mutate" and name == "deap.mutUniformInt":
            own = [p for p in own if p.name not in ("low", "up")] + [p.replace(default=None) for p in own
                                                                     if p.name in ("low", "up")]
        needed = [p.name for p in own if p.default is inspect.Parameter.empty and p.name not in args]
        if needed:
            raise OperatorError(f"{role} operator {name!r} needs {', '.join(repr(n) for n in needed)} "
                                f"in ga.{role}_args")
        _check_args(role, name, fn, {k: v for k, v in args.items() if k not in fixed}, [p.name for p in own])
        tb.register(role, fn, **fixed, **args)
    tb.names = {"select": select, "mutate": mutate, "mate": mate}
    return tb
