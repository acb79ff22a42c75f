"""Selection on whole populations.

Every scheme has the signature ``select(fitness, rng, **params) -> (parents, protect)``:
row ``i`` of the next population is a copy of ``parents[i]`` of this one, and
rows with ``protect[i]`` True pass unvaried (the elite).

Ties in fitness (often hundreds of circuits share the top fitness) are broken by
``ties`` (OPEN in the papers): ``"elite_first"`` (default: last generation's elite,
which ``elite`` keeps in rows ``0 .. L-1``, wins ties in its old order, the others in random
order; so "the best L pass unchanged" unless something beats them), ``"random"`` (every
tie in random order, so tied mutants displace elite members and neutral variants drift), or
``"stable"`` (by row: after ``elite`` selection, the elite first, then the others by their
parents' rank).

>>> import numpy as np
>>> parents, protect = elite(np.array([0.1, 0.9, 0.5, 0.3]), np.random.default_rng(0), elite=1)
>>> parents.tolist(), protect.tolist()
([1, 2, 3, 1], [True, False, False, False])
"""
from __future__ import annotations

import numpy as np
from deap import base, tools

from evo import kernels


TIES = ("elite_first", "random", "stable")


def ranking(fitness: np.ndarray, rng: np.random.Generator, ties: str = "random", elite: int = 0) -> np.ndarray:
    """Indices from best to worst; equal fitness ordered by ``ties`` (module docstring), with
    rows ``0 .. elite-1`` the elite for ``"elite_first"``. Random: one ``rng.permutation``
    (none for ``"stable"``)."""
    if ties == "stable":
        return kernels.by_falling_fitness(fitness, np.arange(fitness.size))
    perm = rng.permutation(fitness.size)
    if ties == "elite_first" and elite:
        return kernels.by_falling_fitness(fitness, kernels.elite_then_rest(perm, elite))
    return kernels.by_falling_fitness(fitness, perm)


def _check_ties(ties: str) -> None:
    if ties not in TIES:
        raise ValueError(f"ties = {ties!r}; choose one of {', '.join(TIES)}")


def _check_count(name: str, value: int, size: int, low: int = 0) -> None:
    if not low <= value <= size:
        raise ValueError(f"{name} = {value} must lie in [{low}, {size}] for a population of {size}")


def elite(fitness, rng, elite: int = 300, ties: str = "elite_first"):
    """Kashtan & Alon's scheme: the ``elite`` best pass unchanged; the ``elite`` worst
    are replaced by copies of the elite; all but the elite are then varied.

    Parameters
    ----------
    fitness : float array (n,)
    rng : numpy Generator; draws one permutation (ties in fitness fall in random order)
    elite : int, L; ``2 * elite <= n``
    ties : how equal fitness is ordered (module docstring)

    Returns
    -------
    parents : int array (n,), rows ``0..L-1`` the elite (protected), the last ``L`` copies of it
    protect : bool array (n,)
    """
    n = fitness.size
    if not 0 <= 2 * elite <= n:
        raise ValueError(f"elite = {elite}: twice the elite must fit a population of {n}")
    _check_ties(ties)
    order = ranking(fitness, rng, ties, elite)
    parents = np.concatenate([order[:elite], order[elite:n - elite], order[:elite]])
    protect = np.zeros(n, dtype=bool)
    protect[:elite] = True
    return parents, protect


def _with_elite(fitness, rng, keep, chosen):
    order = ranking(fitness, rng) if keep else None
    protect = np.zeros(fitness.size, dtype=bool)
    if keep:
        chosen[:keep] = order[:keep]
        protect[:keep] = True
    return chosen, protect


def tournament(fitness, rng, size: int = 2, keep: int = 0):
    """Each slot gets the fittest of ``size`` genomes drawn with replacement; the
    ``keep`` best also pass unchanged (and are protected).

    Parameters: ``size`` (>= 1) entrants per tournament, ``keep`` protected best.
    Returns ``(parents, protect)``. Random: ``rng`` draws the entrants, a jitter that breaks
    ties, and (if ``keep``) one permutation.
    """
    n = fitness.size
    _check_count("tournament size", size, n, 1)
    _check_count("keep", keep, n)
    entrants = rng.integers(n, size=(n, size))
    # random jitter below any fitness gap breaks ties between entrants at random
    score = fitness[entrants] + rng.random((n, size)) * 1e-12
    chosen = entrants[np.arange(n), np.argmax(score, axis=1)]
    return _with_elite(fitness, rng, keep, chosen)


def truncation(fitness, rng, fraction: float = 0.3, keep: int = 0):
    """Parents drawn uniformly from the best ``fraction`` of the population; the ``keep``
    best also pass unchanged (and are protected).

    Parameters: ``fraction`` in (0, 1], ``keep``. Returns ``(parents, protect)``.
    Random: ``rng`` draws one permutation (ties) and the parents.
    """
    n = fitness.size
    if not 0 < fraction <= 1:
        raise ValueError(f"truncation fraction = {fraction} must lie in (0, 1]")
    _check_count("keep", keep, n)
    top = ranking(fitness, rng)[: max(1, int(round(fraction * n)))]
    return _with_elite(fitness, rng, keep, top[rng.integers(top.size, size=n)])


class _Fit(base.Fitness):
    weights = (1.0,)


class _Ind:
    __slots__ = ("fitness", "index")

    def __init__(self, index, value):
        self.index = index
        self.fitness = _Fit((value,))


def deap_selection(name: str):
    """Wrap ``deap.tools.<name>`` (e.g. ``selTournament``) as a population scheme.

    Returns ``select(fitness, rng, keep=0, **kw)``: DEAP's operator picks ``n`` individuals
    with its own arguments ``kw``; the ``keep`` best also pass unchanged. Random: DEAP draws
    from Python's ``random``, which the loop keeps per run and checkpoints; ``rng`` only
    for ``keep``. Raises ValueError for a name that is not a DEAP selection.
    """
    fn = getattr(tools, name, None)
    if fn is None or not name.startswith("sel"):
        raise ValueError(f"deap.tools has no selection operator {name!r}")

    def select(fitness, rng, keep: int = 0, **kw):
        inds = [_Ind(i, float(f)) for i, f in enumerate(fitness)]
        chosen = np.array([c.index for c in fn(inds, len(inds), **kw)], dtype=np.int64)
        return _with_elite(fitness, rng, keep, chosen)

    select.__name__ = f"deap.{name}"
    return select


SELECTIONS = {"elite": elite, "tournament": tournament, "truncation": truncation}
