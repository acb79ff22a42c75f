"""Variation operators on whole populations.

Every operator has the signature ``op(pop, protect, rng, bounds, **params)`` and
changes ``pop`` (one genome per row) in place, leaving rows where ``protect`` is
True (the elite) untouched. ``bounds = (lo, hi)`` gives each gene's allowed
range ``[lo, hi)``. Random numbers are drawn in bulk from the numpy Generator
``rng``, so a run is reproduced by that generator's state alone.

``deap_mutation`` and ``deap_crossover`` wrap DEAP's own per-individual
operators (``tools.mutUniformInt``, ``tools.cxTwoPoint``, ...) into this
signature; they are slower but keep DEAP's library usable.
"""
from __future__ import annotations

import random

import numba as nb
import numpy as np
from deap import tools


@nb.njit(cache=True)
def _rewire(pop, protect, u, rate, genes, lo, hi):
    n, length = pop.shape
    for i in range(n):
        if protect[i] or u[i, 0] >= rate:
            continue
        for t in range(genes):
            k = min(int(u[i, 1 + 2 * t] * length), length - 1)
            span = hi[k] - lo[k]
            pop[i, k] = lo[k] + min(int(u[i, 2 + 2 * t] * span), span - 1)


def rewire(pop, protect, rng, bounds, rate: float = 0.7, genes: int = 1):
    """Kashtan & Alon's mutation: with probability ``rate`` per genome, ``genes``
    random genes are each set to a uniformly random allowed source (possibly the
    one they had).

    Parameters: ``rate`` in [0, 1] per unprotected genome, ``genes`` per mutated genome.
    Changes ``pop`` in place. Random: one ``rng.random((n, 1 + 2 * genes))`` draw.
    """
    if not 1 <= genes <= pop.shape[1]:
        raise ValueError(f"genes = {genes} must lie between 1 and the genome length ({pop.shape[1]})")
    u = rng.random((pop.shape[0], 1 + 2 * genes))
    _rewire(pop, protect, u, rate, genes, bounds[0], bounds[1])


@nb.njit(cache=True)
def _point_mutation(pop, protect, u, indpb, lo, hi):
    n, length = pop.shape
    for i in range(n):
        if protect[i]:
            continue
        for k in range(length):
            if u[i, 2 * k] < indpb:
                span = hi[k] - lo[k]
                pop[i, k] = lo[k] + min(int(u[i, 2 * k + 1] * span), span - 1)


def point(pop, protect, rng, bounds, indpb: float = 0.04):
    """Each gene of an unprotected genome independently redrawn, with probability ``indpb``,
    uniformly within its bounds. Changes ``pop`` in place.
    Random: one ``rng.random((n, 2 * length))`` draw."""
    u = rng.random((pop.shape[0], 2 * pop.shape[1]))
    _point_mutation(pop, protect, u, indpb, bounds[0], bounds[1])


PAIRINGS = ("random", "adjacent")


def pairs(protect, rng, pairing: str) -> np.ndarray:
    """The unprotected rows in mating order: row ``2k`` mates with row ``2k + 1``.

    ``pairing`` (OPEN in the papers): ``"random"`` (default, a ``rng.permutation``: mates
    are unrelated in rank) or ``"adjacent"`` (in row order: after ``elite`` selection the
    rows are in their parents' rank order, so mating is assortative)."""
    rows = np.flatnonzero(~protect)
    if pairing == "adjacent":
        return rows
    if pairing != "random":
        raise ValueError(f"pairing = {pairing!r}; choose one of {', '.join(PAIRINGS)}")
    return rng.permutation(rows)


@nb.njit(cache=True)
def _one_point(pop, order, u, rate):
    length = pop.shape[1]
    for k in range(order.size // 2):
        a, i = order[2 * k], order[2 * k + 1]
        if u[i, 0] < rate:
            cut = 1 + min(int(u[i, 1] * (length - 1)), length - 2)
            for t in range(cut, length):
                tmp = pop[a, t]
                pop[a, t] = pop[i, t]
                pop[i, t] = tmp


def one_point(pop, protect, rng, bounds, rate: float = 0.5, pairing: str = "random"):
    """Unprotected rows pair up (``pairs``); each pair swaps tails at a random cut with
    probability ``rate``. Changes ``pop`` in place. Random: the pairing, then one
    ``rng.random((n, 2))`` draw."""
    order = pairs(protect, rng, pairing)
    _one_point(pop, order, rng.random((pop.shape[0], 2)), rate)


def no_crossover(pop, protect, rng, bounds):
    """No crossover (Kashtan & Alon's main runs; Clune et al.)."""


def _deap_call(name: str, prefix: str):
    fn = getattr(tools, name, None)
    if fn is None or not callable(fn) or not name.startswith(prefix):
        raise ValueError(f"deap.tools has no {'mutation' if prefix == 'mut' else 'crossover'} operator {name!r} "
                         f"(its names start with {prefix!r})")
    return fn


def _genes(name: str, values, lo, hi) -> list[int]:
    """DEAP's operator output as genes, refusing what the kernels cannot take (a float from
    mutGaussian, a gene out of range from cxBlend) instead of truncating or crashing later."""
    try:
        arr = np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"deap.{name} returned non-numeric genes") from None
    if arr.shape != lo.shape or not np.isfinite(arr).all() or (arr != np.round(arr)).any():
        raise ValueError(f"deap.{name} returned genes that are not integers; kashtan genomes are integer")
    if ((arr < lo) | (arr >= hi)).any():
        raise ValueError(f"deap.{name} returned genes outside their allowed range")
    return arr.astype(np.int64).tolist()


def deap_mutation(name: str):
    """Wrap ``deap.tools.<name>`` (per individual, Python ``random``) as a population operator.

    Returns ``op(pop, protect, rng, bounds, rate=1.0, **kw)``: each unprotected genome, with
    probability ``rate``, goes through DEAP's operator with arguments ``kw``.
    ``mutUniformInt`` gets ``low``/``up`` from the gene bounds unless given. Random:
    Python's ``random`` (kept per run by the loop); ``rng`` is not used.
    """
    fn = _deap_call(name, "mut")

    def op(pop, protect, rng, bounds, rate: float = 1.0, **kw):
        if name == "mutUniformInt":
            kw.setdefault("low", [int(x) for x in bounds[0]])
            kw.setdefault("up", [int(x) - 1 for x in bounds[1]])
        for i in np.flatnonzero(~protect):
            if random.random() < rate:
                ind = pop[i].tolist()
                fn(ind, **kw)
                pop[i] = _genes(name, ind, *bounds)

    op.__name__ = f"deap.{name}"
    return op


def deap_crossover(name: str):
    """Wrap ``deap.tools.<name>`` (two individuals in, two out) as a population operator.

    Returns ``op(pop, protect, rng, bounds, rate=0.5, pairing="random", **kw)``: unprotected
    rows pair up (``pairs``) and, with probability ``rate``, go through DEAP's operator.
    Random: ``rng`` for the pairing, Python's ``random`` for the rest.
    """
    fn = _deap_call(name, "cx")

    def op(pop, protect, rng, bounds, rate: float = 0.5, pairing: str = "random", **kw):
        rows = pairs(protect, rng, pairing)
        for a, b in zip(rows[0::2], rows[1::2]):
            if random.random() < rate:
                x, y = pop[a].tolist(), pop[b].tolist()
                fn(x, y, **kw)
                pop[a], pop[b] = _genes(name, x, *bounds), _genes(name, y, *bounds)

    op.__name__ = f"deap.{name}"
    return op


MUTATIONS = {"rewire": rewire, "point": point}
CROSSOVERS = {"none": no_crossover, "one_point": one_point}
