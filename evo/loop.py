"""The generation loop.

One generation: look up the goal of this generation, score the whole
population, record statistics of the best genome, then select and vary.
All randomness comes from one numpy Generator (and Python's ``random`` when a
DEAP operator is in use), both of which checkpoints save, so a resumed run
continues exactly as the uninterrupted one would have.
"""
from __future__ import annotations

import contextlib
import random
from collections import OrderedDict

import numpy as np

from evo import kernels
from evo.strategies import Generational
from tasks.schedules import Schedule


class SolveTracker:
    """Decides when a run has solved its schedule.

    Solved at generation g: a perfect genome exists at g, and a perfect genome appeared in
    each of the ``periods - 1`` goals asked before g's, each asked in the epochs just before.
    Epochs that repeat the goal before them (an RMVG or random draw can) count as one: a
    solution must cross a real switch. With one fixed goal that is the first perfect genome;
    with MVG over G1, G2 it is a perfect genome for each goal in consecutive epochs.
    """

    def __init__(self, periods: int):
        self.periods = max(1, periods)
        self.hits: set[int] = set()          # starts (below) of the goals that saw a perfect genome
        self.starts: list[int] = []          # first epochs of the latest goals asked, oldest first
        self.epoch = -1                      # the epoch of the last update
        self.first_perfect: int | None = None
        self.solved_at: int | None = None

    def update(self, epoch: int, generation: int, perfect: bool, new_goal: bool = True) -> bool:
        """``new_goal``: whether ``epoch``, when it has just begun, asks something other than the
        epoch before it."""
        if epoch != self.epoch:
            if new_goal or not self.starts:
                self.starts = (self.starts + [epoch])[-self.periods:]
            self.epoch = epoch
        if perfect:
            self.hits.add(self.starts[-1])
            if self.first_perfect is None:
                self.first_perfect = generation
            if (self.solved_at is None and len(self.starts) == self.periods
                    and all(e in self.hits for e in self.starts)):
                self.solved_at = generation
        self.hits &= set(self.starts)
        return self.solved_at is not None

    def state(self) -> dict:
        return {"hits": sorted(self.hits), "starts": self.starts, "epoch": self.epoch,
                "first_perfect": self.first_perfect, "solved_at": self.solved_at}

    def load(self, state: dict) -> None:
        self.hits = set(state["hits"])
        # checkpoints written before goal repeats were merged keep epochs as hits
        self.starts = list(state.get("starts", []))
        self.epoch = state.get("epoch", -1)
        self.first_perfect = state["first_perfect"]
        self.solved_at = state["solved_at"]


class Evolution:
    """A population evolving against a schedule of goals: the one generation loop.

    ``problem`` follows ``evo.problem.Problem``; ``toolbox`` (``evo.toolbox.make_toolbox``)
    provides ``mate``, ``mutate``, possibly ``select``, and ``strategy`` (an
    ``evo.strategies.Strategy``, default ``Generational``). ``seed`` seeds the run's numpy
    Generator ``rng`` and its Python ``random`` state; nothing else draws random numbers.
    ``qm_every``: Qm of the best every that many generations (0 = never); ``keep_goals``: how
    many goals' best genomes to remember. ``hold_goal``: a goal; when an epoch asking it ends
    (``Goal.asks_as``), ``held`` keeps ``(generation, population)`` as selection on it left it,
    so a run that switches goals can be judged on it even if it stops in another's epoch.
    ``quick_q``: the best's Q each generation by the quick maximiser (bisection and refinement)
    instead of the full search; either is cached per graph, so the full one costs little.
    """

    def __init__(self, problem, schedule: Schedule, toolbox, population: int, seed: int,
                 qm_every: int = 1, keep_goals: int = 20, hold_goal=None, quick_q: bool = False):
        if population < 2:
            raise ValueError(f"population must be at least 2, got {population}")
        self.problem = problem
        self.schedule = schedule
        self.toolbox = toolbox
        self.strategy = getattr(toolbox, "strategy", None) or Generational()
        self.qm_every = qm_every
        self.quick_q = quick_q
        self.keep_goals = keep_goals
        self.rng = np.random.default_rng(seed)
        self.uses_python_random = any((n or "").startswith("deap.") for n in getattr(toolbox, "names", {}).values())
        self.py_random_state = random.Random(seed).getstate()
        self.pop = problem.random(population, self.rng)
        self.generation = 0
        self.tracker = SolveTracker(schedule.solve_periods)
        # goal name -> (perfect, fitness, generation, genome): best genome seen per goal
        self.best_per_goal: OrderedDict[str, tuple] = OrderedDict()
        # scores of self.pop on self._scored_goal; rows in self._changed need rescoring
        self._scores = None
        self._scored_goal = None
        self._changed = None
        self.best_row = -1          # where last generation's best survives unchanged, if it does
        self.solution = None        # the fittest perfect genome of the generation that solved
        self.hold_goal = hold_goal
        self.held: tuple[int, np.ndarray] | None = None

    @property
    def solved(self) -> bool:
        return self.tracker.solved_at is not None

    def step(self) -> dict:
        """Run one generation; return its statistics (the columns of generations.csv but ``elapsed``)."""
        goal = self.schedule.goal_at(self.generation)
        scores = self._evaluate(goal)
        row, best = self._observe(goal, scores)
        self.pop, self._scores, self._changed, self.best_row = self.strategy.advance(self, goal, scores, best)
        self.generation += 1
        if (self.hold_goal is not None and goal.asks_as(self.hold_goal)
                and not self.schedule.goal_at(self.generation).asks_as(self.hold_goal)):
            self.held = (self.generation - 1, self.pop.copy())
        return row

    def _observe(self, goal, scores) -> tuple[dict, int]:
        """Statistics of the scored population; remembers the best per goal, updates the tracker."""
        g = self.generation
        fitness, effective, perfect = scores.fitness, scores.size, scores.perfect
        b, mean, median, n_perfect, b_perfect = kernels.summary(fitness, perfect, self.best_row)
        best = self.pop[b].copy()
        row = {
            "generation": g,
            "goal": goal.name,
            "best": float(fitness[b]),
            "mean": float(mean),
            "median": float(median),
            "q": self.problem.q(best, quick=self.quick_q),
            "qm": self.problem.qm(best) if self.qm_every and g % self.qm_every == 0 else float("nan"),
            "effective": int(effective[b]),
            "best_perfect": bool(perfect[b]),
            "n_perfect": n_perfect,
        }
        self._remember(goal.name, g, b_perfect if b_perfect >= 0 else b, fitness, perfect)
        epoch = self.schedule.epoch(g)
        new_goal = g == 0 or self.schedule.epoch(g - 1) == epoch or not goal.asks_as(self.schedule.goal_at(g - 1))
        self.tracker.update(epoch, g, n_perfect > 0, new_goal)
        if self.tracker.solved_at == g:
            self.solution = self.pop[b_perfect].copy()
        return row, b

    def _evaluate(self, goal):
        """Score the population, rescoring only genomes that variation changed."""
        if self._scores is None or self._scored_goal is not goal:
            scores = self.problem.evaluate(self.pop, goal)
        else:
            scores = self._scores
            rows = np.flatnonzero(self._changed)
            if rows.size:
                scores.put(rows, self.problem.evaluate(self.pop[rows], goal))
        self._scores, self._scored_goal = scores, goal
        return scores

    def _remember(self, name, g, i, fitness, perfect):
        # i: the fittest perfect genome if any (a size penalty can rank an imperfect one higher)
        entry = (bool(perfect[i]), float(fitness[i]), g, self.pop[i].copy())
        old = self.best_per_goal.get(name)
        if old is None or entry[:2] > old[:2]:
            self.best_per_goal[name] = entry
        self.best_per_goal.move_to_end(name)
        while len(self.best_per_goal) > self.keep_goals:
            self.best_per_goal.popitem(last=False)

    @contextlib.contextmanager
    def own_python_random(self):
        """DEAP operators draw from Python's global ``random``: run them inside this run's own
        state, so runs in one process do not disturb each other and checkpoints stay exact."""
        if not self.uses_python_random:
            yield
            return
        random.setstate(self.py_random_state)
        try:
            yield
        finally:
            self.py_random_state = random.getstate()

    def q_distribution(self) -> list[float]:
        """Q of every genome in the population (the quick maximiser, as the trajectory)."""
        return [self.problem.q(genome, quick=True) for genome in self.pop]
