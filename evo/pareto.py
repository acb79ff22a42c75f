"""NSGA-II as a (mu + lambda) loop: the population P is the state between generations.

Each generation: score P, record it, rank P (probabilistic dominance) for binary
tournaments, vary the winners into offspring Q, score Q, and keep the best
|P| of P and Q by front and crowding distance. P's ranks are recomputed from
the run's random generator every generation, so a checkpoint of P and the
generator states continues exactly.
"""
from __future__ import annotations

import numpy as np

from evo import nsga
from evo.loop import Evolution


class ParetoEvolution(Evolution):
    """``problem.evaluate`` must return ``(fitness, size, perfect, objectives)``; ``probs`` gives,
    per objective, the probability that it counts in a dominance comparison."""

    def __init__(self, problem, schedule, toolbox, population: int, seed: int, probs=(1.0, 0.25),
                 qm_every: int = 1, keep_goals: int = 20):
        super().__init__(problem, schedule, toolbox, population, seed, qm_every, keep_goals)
        self.probs = np.asarray(probs, dtype=float)

    def step(self) -> dict:
        goal = self.schedule.goal_at(self.generation)
        scores = self._evaluate(goal)
        row, best = self._observe(goal, scores)
        objectives = scores[3]
        if objectives.shape[1] != self.probs.size:
            raise ValueError(f"{self.probs.size} dominance probabilities for {objectives.shape[1]} objectives")
        n = len(self.pop)
        rank = nsga.ranks(objectives, self.probs, self.rng)
        parents = nsga.tournament(rank, nsga.crowding(objectives, rank), n, self.rng)
        offspring = self.pop[parents]
        protect = np.zeros(n, bool)
        self.toolbox.mate(offspring, protect, self.rng)
        self.toolbox.mutate(offspring, protect, self.rng)
        merged = np.concatenate([self.pop, offspring])
        merged_scores = tuple(np.concatenate([a, b]) for a, b in zip(scores, self.problem.evaluate(offspring, goal)))
        rank = nsga.ranks(merged_scores[3], self.probs, self.rng)
        keep = nsga.survivors(rank, nsga.crowding(merged_scores[3], rank), n, self.rng)
        self.pop = merged[keep]
        self._scores = tuple(a[keep] for a in merged_scores)
        self._changed = np.zeros(n, bool)
        where = np.flatnonzero(keep == best)
        self._best_row = int(where[0]) if where.size else -1
        self.generation += 1
        return row
