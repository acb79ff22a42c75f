"""Broadness of an optimum: how performance falls when a solution's genes move.

Everything here works on any integer genome whose gene ``i`` may take the values
``lo[i] .. hi[i]`` (inclusive), scored by a function ``score(pop) -> accuracy per genome``
(fraction of right answers, 1.0 = perfect). ``nand_ranges`` and ``network_ranges`` give the
ranges of NAND circuits (every rewiring) and networks (every weight step, add, remove, bias
change).

>>> import numpy as np
>>> g = np.array([1, 0])
>>> pop, genes = neighbours(g, np.array([0, 0]), np.array([2, 1]))
>>> pop.tolist(), genes.tolist()
([[0, 0], [2, 0], [1, 1]], [0, 0, 1])
"""
from __future__ import annotations

from typing import Callable

import numpy as np

Score = Callable[[np.ndarray], np.ndarray]


def nand_ranges(spec) -> tuple[np.ndarray, np.ndarray]:
    """Every allowed source of every gene of a ``circuits.nand.NandSpec`` (inclusive bounds)."""
    lo, hi = spec.bounds()
    return lo, hi - 1


def network_ranges(spec, weight_max: int = 2, biases: tuple[int, int] = (-2, 2)) -> tuple[np.ndarray, np.ndarray]:
    """Connection genes in ``-weight_max .. weight_max`` (0 = absent, so adding and removing a
    connection are steps too), bias genes in ``biases``."""
    n = spec.n_connections
    lo = np.concatenate([np.full(n, -weight_max), np.full(spec.n_neurons, biases[0])])
    hi = np.concatenate([np.full(n, weight_max), np.full(spec.n_neurons, biases[1])])
    return lo, hi


def neighbours(genome: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Every genome one gene away: each gene set to each of its other values. Returns the
    genomes and, per genome, the gene changed."""
    genome = np.asarray(genome)
    genes = np.repeat(np.arange(genome.size), hi - lo + 1)
    values = np.concatenate([np.arange(a, b + 1) for a, b in zip(lo, hi)])
    keep = values != genome[genes]
    genes, values = genes[keep], values[keep]
    pop = np.repeat(genome[None], genes.size, axis=0)
    pop[np.arange(genes.size), genes] = values
    return pop, genes


def single_mutations(genome, lo, hi, score: Score) -> dict:
    """Every single mutation of ``genome``: how many there are, the fraction that keeps it
    perfect, the mean and worst fall in accuracy, and per gene the fraction of its changes
    that keep it perfect (``robust_by_gene``; NaN for genes with one allowed value)."""
    pop, genes = neighbours(genome, lo, hi)
    base = float(score(np.asarray(genome)[None])[0])
    acc = score(pop)
    perfect = acc >= 1.0
    per_gene = np.full(len(lo), np.nan)
    counts = np.bincount(genes, minlength=len(lo))
    hit = np.bincount(genes, weights=perfect, minlength=len(lo))
    per_gene[counts > 0] = hit[counts > 0] / counts[counts > 0]
    return {"mutations": int(genes.size), "accuracy": base, "kept_perfect": float(perfect.mean()),
            "mean_loss": float(base - acc.mean()), "worst_loss": float(base - acc.min()),
            "robust_by_gene": per_gene}


def degradation(genome, lo, hi, score: Score, steps: int = 20, samples: int = 500,
                rng: np.random.Generator | None = None) -> dict:
    """Accuracy after ``k = 1 .. steps`` random mutations (a random gene set to a random other
    value, independently at each step), over ``samples`` random walks from ``genome``.
    Returns per k the mean accuracy and the fraction still perfect."""
    rng = np.random.default_rng(0) if rng is None else rng
    lo, hi = np.asarray(lo), np.asarray(hi)
    movable = np.flatnonzero(hi > lo)
    pop = np.repeat(np.asarray(genome)[None], samples, axis=0)
    rows = np.arange(samples)
    mean, perfect = [], []
    for _ in range(steps):
        g = movable[rng.integers(0, movable.size, samples)]
        # another value: draw from the range less one and skip the current value
        v = lo[g] + rng.integers(0, hi[g] - lo[g], samples)
        v = np.where(v >= pop[rows, g], v + 1, v)
        pop[rows, g] = v
        acc = score(pop)
        mean.append(float(acc.mean()))
        perfect.append(float((acc >= 1.0).mean()))
    return {"k": list(range(1, steps + 1)), "mean_accuracy": mean, "perfect": perfect}
