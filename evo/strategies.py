"""Survival strategies: how one generation's scored population becomes the next.

The generation loop (``evo.loop.Evolution``) scores the population, records it, and
hands it to its strategy, which returns a ``Next``. Strategies are chosen by name
in ``ga.select`` like any operator: a name in ``STRATEGIES`` is a strategy of its own
(``nsga2``), any other names a parent selection that ``Generational`` applies.

A new strategy subclasses ``Strategy``, implements ``advance`` (and ``state`` /
``load`` if it keeps anything between generations) and adds itself to ``STRATEGIES``;
its keyword arguments come from ``ga.select_args`` and are checked against its
signature. Random numbers come from ``evo.rng`` (and Python's ``random`` inside
``evo.own_python_random()``, for DEAP operators), so checkpoints reproduce a run.
"""
from __future__ import annotations

from abc import ABC, abstractmethod
from typing import NamedTuple

import numpy as np

from evo import kernels, nsga
from evo.problem import Problem, Scores


class Next(NamedTuple):
    """The next generation: its genomes, the scores carried over (rows in ``changed`` are
    rescored by the loop), and where last generation's best survives unchanged (-1: nowhere)."""

    pop: np.ndarray
    scores: Scores
    changed: np.ndarray
    best_row: int


class Strategy(ABC):
    """One generation's survival and variation."""

    #: read at the end of a run (multi-objective) rather than at the solution
    multiobjective = False

    def check(self, problem: Problem) -> None:
        """Raise ValueError if the strategy cannot work with ``problem`` (called at start-up)."""

    @abstractmethod
    def advance(self, evo, goal, scores: Scores, best: int) -> Next:
        """The generation after ``evo.pop``, scored ``scores`` on ``goal``; ``best`` is its best row.

        ``evo`` offers ``pop``, ``rng``, ``toolbox`` (``mate``, ``mutate``, ``select``),
        ``problem``, ``schedule``, ``generation`` and ``own_python_random()``."""

    def state(self) -> dict[str, np.ndarray]:
        """Arrays a checkpoint must save for an exact resume."""
        return {}

    def load(self, arrays: dict[str, np.ndarray]) -> None:
        """Restore what ``state`` returned."""


class Generational(Strategy):
    """Kashtan & Alon's generational GA and its relatives: ``toolbox.select(fitness, rng)``
    gives parents and the rows to protect (the elite), then ``mate`` and ``mutate`` vary the
    unprotected copies. Only genomes that variation changed are rescored."""

    def advance(self, evo, goal, scores, best):
        tb = evo.toolbox
        with evo.own_python_random():
            parents, protect = tb.select(scores.fitness, evo.rng)
            pop = evo.pop[parents]           # fancy indexing copies
            tb.mate(pop, protect, evo.rng)
            tb.mutate(pop, protect, evo.rng)
        changed = kernels.changed_rows(pop, evo.pop, parents)
        return Next(pop, scores.take(parents), changed, kernels.first_unchanged_copy(parents, changed, best))


class NSGA2(Strategy):
    """NSGA-II as a (mu + lambda) loop with probabilistic dominance (Clune et al. 2013).

    Each generation: parents by binary tournaments on the fronts and crowding distances of
    the population (from the last survival sort, recomputed only after a goal switch), varied
    into offspring, scored, and the best ``|P|`` of both kept by front and crowding distance.
    ``probs`` gives, per objective (``problem.objective_names``), the probability that it
    counts in a dominance comparison; default: performance always, the others 0.25.
    """

    multiobjective = True

    def __init__(self, probs=None):
        self.probs = probs
        self.rank: np.ndarray | None = None      # fronts and crowding of the population
        self.crowd: np.ndarray | None = None

    def check(self, problem):
        names = problem.objective_names
        probs = [1.0] + [0.25] * (len(names) - 1) if self.probs is None else self.probs
        if not isinstance(probs, (list, tuple, np.ndarray)) or len(probs) != len(names) or not all(
                isinstance(p, (int, float)) and not isinstance(p, bool) and 0 <= p <= 1 for p in probs):
            raise ValueError(f"ga.select_args.probs must list {len(names)} probabilities in [0, 1] "
                             f"({', '.join(names)}), got {probs!r}")
        self.probs = np.asarray(probs, dtype=float)

    def advance(self, evo, goal, scores, best):
        g, rng, problem = evo.generation, evo.rng, evo.problem
        # the stored fronts are for last generation's goal; a switch invalidates them
        switched = g > 0 and not evo.schedule.goal_at(g - 1).same_targets(goal)
        objectives = problem.objectives(scores)
        if objectives.shape[1] != self.probs.size:
            raise ValueError(f"{self.probs.size} dominance probabilities for {objectives.shape[1]} objectives")
        n = len(evo.pop)
        if switched or self.rank is None:
            self.rank = nsga.ranks(objectives, self.probs, rng)
            self.crowd = nsga.crowding(objectives, self.rank)
        offspring = evo.pop[nsga.tournament(self.rank, self.crowd, n, rng)]
        protect = np.zeros(n, bool)
        with evo.own_python_random():
            evo.toolbox.mate(offspring, protect, rng)
            evo.toolbox.mutate(offspring, protect, rng)
        merged = np.concatenate([evo.pop, offspring])
        merged_scores = scores.concat(problem.evaluate(offspring, goal))
        merged_objectives = problem.objectives(merged_scores)
        rank = nsga.ranks(merged_objectives, self.probs, rng)
        crowd = nsga.crowding(merged_objectives, rank)
        keep = nsga.survivors(rank, crowd, n, rng)
        self.rank, self.crowd = rank[keep], crowd[keep]
        where = np.flatnonzero(keep == best)
        if not where.size:
            # the best's row was dropped but an identical genome (an unvaried offspring) may have
            # survived: track the genome, not the row, or the best hops between equally fit genomes
            where = np.flatnonzero((merged[keep] == evo.pop[best]).all(axis=1))
        return Next(merged[keep], merged_scores.take(keep), np.zeros(n, bool), int(where[0]) if where.size else -1)

    def state(self):
        return {} if self.rank is None else {"rank": self.rank, "crowd": self.crowd}

    def load(self, arrays):
        self.rank, self.crowd = arrays.get("rank"), arrays.get("crowd")


STRATEGIES = {"nsga2": NSGA2}
