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


def _partition_lines(run, nodes, names) -> list[str]:
    live = [n for n in nodes if np.unique(run({}, 1)[n]).size > 1]      # constant nodes carry nothing
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
    words = goal.words()[:, 0]
    lo, hi = broadness.nand_ranges(spec)

    def score(pop):
        return nand.evaluate(pop, spec, words)[0] / (spec.n_rows * spec.n_outputs)
    gates = spec.n_inputs + nand.effective_gates(genome, spec)
    return [f"on goal {goal.name}:"] + _broadness_lines(genome, lo, hi, score) + _partition_lines(
        information.nand_runner(genome, spec), gates.tolist(), names)


def network_lines(genome, spec: network.NetSpec, goal, names, biases=(-2, 2), beta: float = 1.0) -> list[str]:
    """Measures of a network against ``goal``; weights move within +-max(2, largest |weight|)."""
    started = time.perf_counter()
    inputs = network.input_patterns(spec)
    target = np.ascontiguousarray(goal.table.T)
    w_max = max(2, int(np.abs(genome[: spec.n_connections].astype(int)).max(initial=0)))
    lo, hi = broadness.network_ranges(spec, w_max, (min(biases[0], int(genome[spec.n_connections:].min())),
                                                    max(biases[1], int(genome[spec.n_connections:].max()))))

    def score(pop):
        return network.evaluate(pop, spec, inputs, target) / target.size
    s = relaxation.spectrum(genome, spec, beta)
    sv = s["singular_values"]
    _, nodes = network.simplify(genome, spec)
    lines = [f"on goal {goal.name}:"] + _broadness_lines(genome, lo, hi, score) + [
        f"relaxed (tanh/sigmoid, beta {beta:g}) output Jacobian over all {inputs.shape[1]} patterns: rank "
        f"{s['rank']} of {spec.length} parameters, {s['null_directions']} near-null directions; "
        f"singular values {', '.join(f'{v:.2g}' for v in sv[:5])}{' ...' if sv.size > 5 else ''}"]
    lines += _partition_lines(information.network_runner(genome, spec),
                              [int(n) for n in nodes if n >= spec.n_inputs], names)
    return lines + [f"  ({time.perf_counter() - started:.2f} s for these measures)"]
