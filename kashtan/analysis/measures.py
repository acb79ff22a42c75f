"""Broadness and information-flow lines for ``kashtan analyze`` (issue 10): single mutations,
random-walk degradation, the relaxed Jacobian's spectrum (networks), and the least-exchange
partition next to plain mutual information."""
from __future__ import annotations

import time

import numpy as np

from circuits import broadness, information, nand, network, relaxation


def _broadness_lines(genome, lo, hi, score) -> list[str]:
    one = broadness.single_mutations(genome, lo, hi, score)
    walk = broadness.degradation(genome, lo, hi, score, steps=20, samples=500)
    at = {k: (walk["mean_accuracy"][k - 1], walk["perfect"][k - 1]) for k in (1, 2, 5, 10, 20)}
    return [f"broadness: {one['mutations']} single mutations, {one['kept_perfect']:.1%} keep it perfect, "
            f"mean loss {one['mean_loss']:.3f}, worst {one['worst_loss']:.3f}",
            "  after k random mutations (500 walks), mean accuracy / still perfect: "
            + ", ".join(f"k={k} {a:.3f}/{p:.0%}" for k, (a, p) in at.items())]


def setup(genome, spec, goal, biases=(-2, 2)):
    """What every measure of ``genome`` on ``goal`` needs: ``score(pop)`` (accuracy), the gene
    ranges single mutations move in (network weights within +-max(2, largest |weight|), biases
    within ``biases`` widened to the genome's own), a runner for information flow, and the nodes
    it splits (effective gates; live neurons)."""
    if isinstance(spec, network.NetSpec):
        inputs, target = network.input_patterns(spec), np.ascontiguousarray(goal.table.T)
        w_max = max(2, int(np.abs(genome[: spec.n_connections].astype(int)).max(initial=0)))
        b = genome[spec.n_connections:]
        lo, hi = broadness.network_ranges(spec, w_max, (min(biases[0], int(b.min())), max(biases[1], int(b.max()))))
        _, live = network.simplify(genome, spec)
        return ((lambda pop: network.evaluate(pop, spec, inputs, target) / target.size), lo, hi,
                information.network_runner(genome, spec), [int(n) for n in live if n >= spec.n_inputs])
    words = goal.words()[:, 0]
    lo, hi = broadness.nand_ranges(spec)
    return ((lambda pop: nand.evaluate(pop, spec, words)[0] / (spec.n_rows * spec.n_outputs)), lo, hi,
            information.nand_runner(genome, spec), (spec.n_inputs + nand.effective_gates(genome, spec)).tolist())


def weighted_adjacency(genome, spec, adj: np.ndarray, nodes) -> np.ndarray:
    """The graph Q is measured on, with each edge weighted by its connection's |weight|
    (networks) or its multiplicity (circuits), for weighted Q and the normalised cut."""
    if not isinstance(spec, network.NetSpec):
        return adj.astype(float)
    src, dst = spec.connections()
    full = np.zeros((spec.n_nodes, spec.n_nodes))
    full[src, dst] = np.abs(genome[: spec.n_connections].astype(float))
    return full[np.ix_(nodes, nodes)] * (adj != 0)


def agreement(nodes_a, labels_a, nodes_b, labels_b) -> float:
    """Adjusted Rand index of two partitions on the nodes both cover (NaN below 2 shared nodes)."""
    a = {int(n): int(c) for n, c in zip(nodes_a, labels_a)}
    b = {int(n): int(c) for n, c in zip(nodes_b, labels_b)}
    both = [n for n in a if n in b]
    return information.adjusted_rand([a[n] for n in both], [b[n] for n in both]) if len(both) >= 2 else float("nan")


def non_constant(run, nodes) -> list[int]:
    """The nodes whose value varies over the inputs (constant nodes carry no information)."""
    base = run({}, 1)
    return [n for n in nodes if np.unique(base[n]).size > 1]


def _partition_lines(run, nodes, names) -> list[str]:
    live = non_constant(run, nodes)
    if len(live) < 4:
        return [f"information flow: {len(live)} non-constant node(s); no two-way split to measure"]
    out = information.least_exchange(run, live, samples=100)
    a, b = ([names[n] for n in part] for part in out["partition"])
    how = "every split" if out["exact"] else "local search"
    return [f"information flow ({how} of {len(live)} non-constant nodes): least two-way exchange "
            f"{out['exchange']:.3f} bits vs {out['random_mean']:.3f} for random splits -> modularity "
            f"{out['modularity']:.3f}", f"  parts: {' '.join(a)} | {' '.join(b)}"]


def circuit_lines(genome, spec: nand.NandSpec, goal, names) -> list[str]:
    """Measures of a NAND circuit against ``goal`` (a ``tasks.goals.Goal``)."""
    score, lo, hi, run, nodes = setup(genome, spec, goal)
    return [f"on goal {goal.name}:"] + _broadness_lines(genome, lo, hi, score) + _partition_lines(run, nodes, names)


def network_lines(genome, spec: network.NetSpec, goal, names, biases=(-2, 2), beta: float = 1.0) -> list[str]:
    """Measures of a network against ``goal`` (``setup`` says how genes move)."""
    started = time.perf_counter()
    score, lo, hi, run, nodes = setup(genome, spec, goal, biases)
    s = relaxation.spectrum(genome, spec, beta)
    sv = s["singular_values"]
    lines = [f"on goal {goal.name}:"] + _broadness_lines(genome, lo, hi, score) + [
        f"relaxed (tanh/sigmoid, beta {beta:g}) output Jacobian over all {1 << spec.n_inputs} patterns: rank "
        f"{s['rank']} of {spec.length} parameters, {s['null_directions']} near-null directions; "
        f"singular values {', '.join(f'{v:.2g}' for v in sv[:5])}{' ...' if sv.size > 5 else ''}"]
    lines += _partition_lines(run, nodes, names)
    return lines + [f"  ({time.perf_counter() - started:.2f} s for these measures)"]
