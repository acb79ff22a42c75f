"""``kashtan analyze FILE``: what a saved circuit does and how modular it is."""
from __future__ import annotations


from circuits import costs, network, network_io
from circuits import io as circuit_io
from circuits import nand
from circuits.graph import adjacency, node_names
from circuits.modularity import best_partition, first_bisection
from circuits.qm import Normalizer
from kashtan.analysis import measures
from kashtan.configuration.config import ConfigError
from tasks.expr import ExpressionError
from tasks import retina
from tasks.goals import LOGIC4_GOALS, LOGIC4_INPUTS, LOGIC6_DEFS, LOGIC6_GOALS, LOGIC6_INPUTS, logic_goal


def build_goals(inputs: list[str], goals: dict, defs: dict, extra, values=None) -> list:
    """Goals from ``{name: expression or list}`` plus any ``NAME=EXPR`` given on the command line."""
    goals = dict(goals)
    for text in extra:
        name, _, expr = text.partition("=")
        if not expr.strip() or not name.strip():
            raise ConfigError(f"--goal {text!r} must look like NAME=EXPRESSION")
        goals[name.strip()] = expr.strip()
    out = []
    for name, spec in goals.items():
        exprs = [spec] if isinstance(spec, str) else list(spec)
        try:
            out.append(logic_goal(name, inputs, exprs, defs, values))
        except ExpressionError as e:
            raise ConfigError(f"goal {name!r}: {e}") from None
    return out


def known_goals(inputs: list[str], meta: dict, extra: list[str]) -> list:
    """Goals to score a circuit against: those saved with it, else the paper's family for
    these input names, plus any ``NAME=EXPR`` given on the command line."""
    goals, defs = dict(meta.get("goals") or {}), dict(meta.get("goal_defs") or {})
    if not goals and tuple(inputs) == LOGIC4_INPUTS:
        goals = dict(LOGIC4_GOALS)
    if not goals and tuple(inputs) == LOGIC6_INPUTS:
        goals, defs = dict(LOGIC6_GOALS), dict(LOGIC6_DEFS)
    return build_goals(inputs, goals, defs, extra)


def _measured_goal(goals: list, meta: dict, lines: list[str]):
    """The goal broadness and information flow are measured on: the one the file was saved for
    if it is among ``goals``, else the first (said in ``lines``: a drawn RMVG or random goal is
    not in the file; ``--goal NAME=EXPR`` adds it)."""
    saved = meta.get("goal")
    for g in goals:
        if g.name == saved:
            return g
    if saved:
        lines.append(f"(saved for goal {saved}, which the file does not define: the measures below are on "
                     f"{goals[0].name}; --goal NAME=EXPR measures another)")
    return goals[0]


def _saved_as(meta: dict) -> list[str]:
    if not meta.get("goal"):
        return []
    return [f"saved as best for goal {meta['goal']} (generation {meta.get('generation')}, "
            f"seed {meta.get('seed')}, condition {meta.get('condition')})"]


def report(path, extra_goals=(), n_random: int = 1000, penalty: float = 0.2, threshold: int = 11,
           more: bool = False) -> str:
    """The analysis of a saved circuit or network; ``more`` adds broadness and information flow
    (``kashtan.analysis.measures``) on the goal it was saved for (else the first)."""
    data = circuit_io.read_json(path)
    if isinstance(data, dict) and data.get("format") == network_io.FORMAT:
        return network_report(path, network_io.from_dict(data, str(path)), extra_goals, n_random, more)
    genome, spec, inputs, meta = circuit_io.from_dict(data, str(path))
    names = node_names(spec, inputs)
    eff = nand.effective_gates(genome, spec)
    lines = [f"circuit: {path} ({spec.n_inputs} inputs, {spec.n_gates} gates, {spec.n_outputs} output(s), "
             f"feedback {'on' if spec.feedback else 'off'})",
             f"effective gates: {eff.size} ({' '.join(f'g{k}' for k in eff)})"] + _saved_as(meta)
    goals = [g for g in known_goals(inputs, meta, list(extra_goals)) if g.n_outputs == spec.n_outputs]
    if goals:
        lines.append(f"fitness (correct bits; then minus {penalty} per effective gate above {threshold}):")
        total = spec.n_rows * spec.n_outputs
        for g in goals:
            correct, _ = nand.evaluate(genome[None], spec, g.words()[:, 0])
            c = int(correct[0])
            fit = c / total - penalty * max(0, eff.size - threshold)
            lines.append(f"  {g.name:<12} {c:>3}/{total}  fitness {fit:.3f}" + ("  perfect" if c == total else ""))
    if set("XYZW") <= set(inputs):
        found = functional_modules(genome, spec, XOR_MODULES, inputs)
        lines.append(f"functional modules: gates computing {', '.join(found) or 'neither X^Y nor Z^W'}")
    adj, nodes = adjacency(genome, spec)
    lines += _modularity_lines(adj, [names[n] for n in nodes], n_random)
    if more and goals:
        lines += measures.circuit_lines(genome, spec, _measured_goal(goals, meta, lines), names)
    return "\n".join(lines)


def _modularity_lines(adj, labels_of_nodes: list[str], n_random: int) -> list[str]:
    lines = []
    for kind, label in (("undirected", "Newman-Girvan, undirected (Kashtan & Alon)"),
                        ("directed", "Leicht-Newman, directed (Clune et al.)")):
        q, labels = best_partition(adj, kind)
        qm = Normalizer(kind=kind, n_random=n_random).qm(adj, q)
        lines.append(f"Q {label}: {q:.3f}   Qm: {qm:.3f}")
        modules: dict[int, list[str]] = {}
        for name, c in zip(labels_of_nodes, labels):
            modules.setdefault(int(c), []).append(name)
        for c, members in modules.items():
            lines.append(f"  module {c + 1}: {' '.join(members)}")
    return lines


def network_report(path, loaded, extra_goals=(), n_random: int = 1000, more: bool = False) -> str:
    genome, spec, inputs, meta = loaded
    names = network_io.node_names(spec, inputs)
    lines = [f"network: {path} (layers {'-'.join(map(str, spec.layers))}, {spec.model} neurons, "
             f"{int((genome[:spec.n_connections] != 0).sum())} connections)"] + _saved_as(meta)
    vals = retina.objects(spec.n_inputs)
    saved = meta.get("goals") or ({"L-AND-R": "L & R", "L-OR-R": "L | R"} if vals else {})
    goals = build_goals(inputs, saved, meta.get("goal_defs") or {}, extra_goals, vals)
    if goals:
        lines.append("performance (fraction of patterns right):")
        inp = network.input_patterns(spec)
        for goal in goals:
            c = int(network.evaluate(genome[None], spec, inp, goal.table.T)[0])
            lines.append(f"  {goal.name:<12} {c:>3}/{goal.table.size}" + ("  perfect" if c == goal.table.size else ""))
    lines.append("connection cost: " + ", ".join(
        f"{kind} {costs.costs(genome[None], spec, kind)[0]:.2f}" for kind in costs.KINDS))
    adj, nodes = network.simplify(genome, spec)
    if nodes.size:
        lines += _modularity_lines(adj, [names[n] for n in nodes], n_random)
        if left_right(genome, spec, adj, nodes)[0] is not None:
            lines.append("left/right: " + _left_right(adj, nodes, genome, spec))
    else:
        lines.append("modularity: no connection path reaches an output (a constant network); Q undefined")
    if more and goals:
        lines += measures.network_lines(genome, spec, _measured_goal(goals, meta, lines), names)
    return "\n".join(lines)


def functional_modules(genome, spec, modules: dict[str, str], inputs) -> list[str]:
    """The named sub-functions (``{"X^Y": "X ^ Y", ...}``, expressions of ``inputs``) that some
    effective gate computes on every row, or its negation: a functional module check beside Q."""
    words, unsettled = nand.gate_words(genome, spec)
    if int(unsettled):               # a gate still changing on some row computes nothing for sure
        return []
    mask = int(spec.mask())
    computed = {int(words[k]) for k in nand.effective_gates(genome, spec)}
    computed |= {w ^ mask for w in computed}
    return [name for name, text in modules.items()
            if int(logic_goal(name, inputs, [text]).words()[0, 0]) in computed]


XOR_MODULES = {"X^Y": "X ^ Y", "Z^W": "Z ^ W"}     # Kashtan & Alon's G1/G2 modules


def modules_of(cfg: dict) -> dict[str, str] | None:
    """The functional modules to look for in a config's circuits: ``record.modules``, else X^Y
    and Z^W when the inputs have those names; None when there is nothing to look for."""
    if cfg["circuit"]["kind"] != "nand":
        return None
    if cfg["record"].get("modules"):
        return cfg["record"]["modules"]
    return XOR_MODULES if set("XYZW") <= set(cfg["circuit"]["inputs"]) else None


def has_modules(genome, spec, modules: dict[str, str], inputs) -> bool:
    """Whether some effective gate computes every one of ``modules`` (``functional_modules``)."""
    return len(functional_modules(genome, spec, modules, inputs)) == len(modules)


def _left_right(adj, nodes, genome, spec) -> str:
    split, finds = left_right(genome, spec, adj, nodes)
    return (f"first bisection {'separates' if split else 'does not separate'} left from right inputs; "
            f"single neurons compute: {', '.join(finds) or 'neither object'}")


def left_right(genome, spec, adj=None, nodes=None) -> tuple[bool, list[str]]:
    """Clune et al.'s decomposition checks on an 8-input network: does the first spectral
    bisection (directed Q, one split) put the left inputs on one side and the right inputs on
    the other, and which of "L", "R" does some single neuron compute (or its negation)? Networks
    that do not look at an 8-pixel retina have no left and right: ``(None, None)``."""
    if spec.n_inputs != 8 or spec.n_outputs != 1:
        return None, None
    if adj is None:
        adj, nodes = network.simplify(genome, spec)
    split = False
    if nodes.size:
        labels = first_bisection(adj, "directed")
        side = {int(n): int(c) for n, c in zip(nodes, labels)}
        left = {side[n] for n in range(4) if n in side}
        right = {side[n] for n in range(4, 8) if n in side}
        split = len(left) == 1 and len(right) == 1 and left != right
    on = network.activations(genome, spec, network.input_patterns(spec)) > 0
    finds = [name for name, col in (("L", retina.LEFT), ("R", retina.RIGHT))
             if any((on[n] == col).all() or (on[n] == ~col).all() for n in range(8, spec.n_nodes))]
    return split, finds
