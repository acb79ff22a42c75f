"""NSGA-II as a (mu + lambda) loop: the population P is the state between generations.

Each generation: score P, record it, pick parents by binary tournaments on the
fronts and crowding distances of P (from the last survival sort, recomputed
only after a goal switch), vary them into offspring Q,
score Q, and keep the best |P| of P and Q by front and crowding distance.
Checkpoints save P's fronts and distances, so a resume continues exactly.
"""
from __future__ import annotations

import numpy as np

from circuits import network
from evo import nsga
from evo.loop import Evolution


class ParetoEvolution(Evolution):
    """``problem.evaluate`` must return ``(fitness, size, perfect, objectives, answers)``
    (answers feed the optional diversity objective); ``probs`` gives, per objective, the
    probability that it counts in a dominance comparison."""

    def __init__(self, problem, schedule, toolbox, population: int, seed: int, probs=(1.0, 0.25),
                 qm_every: int = 1, keep_goals: int = 20):
        super().__init__(problem, schedule, toolbox, population, seed, qm_every, keep_goals)
        self.probs = np.asarray(probs, dtype=float)
        # fronts and crowding of the population from the last survival sort
        self._rank = None
        self._crowd = None

    def step(self) -> dict:
        g = self.generation
        goal = self.schedule.goal_at(g)
        # the stored fronts are for last generation's goal; a switch invalidates them
        switched = g > 0 and not self.schedule.goal_at(g - 1).same_targets(goal)
        scores = self._evaluate(goal)
        row, best = self._observe(goal, scores)
        objectives = self._objectives(scores)
        if objectives.shape[1] != self.probs.size:
            raise ValueError(f"{self.probs.size} dominance probabilities for {objectives.shape[1]} objectives")
        n = len(self.pop)
        if switched or self._rank is None:
            self._rank = nsga.ranks(objectives, self.probs, self.rng)
            self._crowd = nsga.crowding(objectives, self._rank)
        parents = nsga.tournament(self._rank, self._crowd, n, self.rng)
        offspring = self.pop[parents]
        protect = np.zeros(n, bool)
        with self.own_python_random():
            self.toolbox.mate(offspring, protect, self.rng)
            self.toolbox.mutate(offspring, protect, self.rng)
        merged = np.concatenate([self.pop, offspring])
        merged_scores = tuple(np.concatenate([a, b]) for a, b in zip(scores, self.problem.evaluate(offspring, goal)))
        merged_objectives = self._objectives(merged_scores)
        rank = nsga.ranks(merged_objectives, self.probs, self.rng)
        crowd = nsga.crowding(merged_objectives, rank)
        keep = nsga.survivors(rank, crowd, n, self.rng)
        self._rank, self._crowd = rank[keep], crowd[keep]
        self.pop = merged[keep]
        self._scores = tuple(a[keep] for a in merged_scores)
        self._changed = np.zeros(n, bool)
        where = np.flatnonzero(keep == best)
        self._best_row = int(where[0]) if where.size else -1
        self.generation += 1
        return row

    def _objectives(self, scores) -> np.ndarray:
        """The problem's objectives, plus behavioural diversity within this population if asked."""
        if getattr(self.problem, "diversity", False):
            return np.column_stack([scores[3], network.diversity(scores[4])])
        return scores[3]

    def extra_state(self) -> dict:
        """What a checkpoint must add for an exact resume."""
        return {} if self._rank is None else {"rank": self._rank, "crowd": self._crowd}

    def load_extra_state(self, arrays: dict) -> None:
        self._rank, self._crowd = arrays.get("rank"), arrays.get("crowd")
