"""``kashtan analyze FILE``: what a saved circuit does and how modular it is."""
from __future__ import annotations

from circuits import io as circuit_io
from circuits import nand
from circuits.graph import adjacency, node_names
from circuits.modularity import best_partition
from circuits.qm import Normalizer
from kashtan.config import ConfigError
from tasks.expr import ExpressionError
from tasks.goals import LOGIC4_GOALS, LOGIC4_INPUTS, LOGIC6_DEFS, LOGIC6_GOALS, LOGIC6_INPUTS, logic_goal


def known_goals(inputs: list[str], meta: dict, extra: list[str]) -> list:
    """Goals to score against: those saved with the circuit, else the paper's family for
    these input names, plus any ``NAME=EXPR`` given on the command line."""
    goals, defs = dict(meta.get("goals") or {}), dict(meta.get("goal_defs") or {})
    if not goals and tuple(inputs) == LOGIC4_INPUTS:
        goals = dict(LOGIC4_GOALS)
    if not goals and tuple(inputs) == LOGIC6_INPUTS:
        goals, defs = dict(LOGIC6_GOALS), dict(LOGIC6_DEFS)
    for text in extra:
        name, _, expr = text.partition("=")
        if not expr:
            raise ConfigError(f"--goal {text!r} must look like NAME=EXPRESSION")
        goals[name.strip()] = expr.strip()
    out = []
    for name, spec in goals.items():
        exprs = [spec] if isinstance(spec, str) else list(spec)
        try:
            out.append(logic_goal(name, inputs, exprs, defs))
        except ExpressionError as e:
            raise ConfigError(f"goal {name!r}: {e}") from None
    return out


def report(path, extra_goals=(), n_random: int = 1000, penalty: float = 0.2, threshold: int = 11) -> str:
    genome, spec, inputs, meta = circuit_io.load(path)
    names = node_names(spec, inputs)
    eff = nand.effective_gates(genome, spec)
    lines = [f"circuit: {path} ({spec.n_inputs} inputs, {spec.n_gates} gates, {spec.n_outputs} output(s), "
             f"feedback {'on' if spec.feedback else 'off'})",
             f"effective gates: {eff.size} ({' '.join(f'g{k}' for k in eff)})"]
    if meta.get("goal"):
        lines.append(f"saved as best for goal {meta['goal']} (generation {meta.get('generation')}, "
                     f"seed {meta.get('seed')}, condition {meta.get('condition')})")
    goals = [g for g in known_goals(inputs, meta, list(extra_goals)) if g.n_outputs == spec.n_outputs]
    if goals:
        lines.append(f"fitness (correct bits; then minus {penalty} per effective gate above {threshold}):")
        total = spec.n_rows * spec.n_outputs
        for g in goals:
            correct, _ = nand.evaluate(genome[None], spec, g.words()[:, 0])
            c = int(correct[0])
            fit = c / total - penalty * max(0, eff.size - threshold)
            lines.append(f"  {g.name:<12} {c:>3}/{total}  fitness {fit:.3f}" + ("  perfect" if c == total else ""))
    adj, nodes = adjacency(genome, spec)
    for kind, label in (("undirected", "Newman-Girvan, undirected (Kashtan & Alon)"),
                        ("directed", "Leicht-Newman, directed (Clune et al.)")):
        q, labels = best_partition(adj, kind)
        qm = Normalizer(kind=kind, n_random=n_random).qm(adj, q)
        lines.append(f"Q {label}: {q:.3f}   Qm: {qm:.3f}")
        modules: dict[int, list[str]] = {}
        for n, c in zip(nodes, labels):
            modules.setdefault(int(c), []).append(names[n])
        for c, members in modules.items():
            lines.append(f"  module {c + 1}: {' '.join(members)}")
    return "\n".join(lines)
