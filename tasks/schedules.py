"""Goal schedules: which goal is asked in which generation.

Every schedule is a pure function of the generation number (and, for the
random ones, of its seed), so a resumed run sees exactly the goals it would
have seen. The goal of generation ``g`` belongs to epoch ``g // period``.

>>> from tasks.goals import logic4
>>> s = Cycle([logic4("G1"), logic4("G2")], period=20)
>>> [s.goal_at(g).name for g in (0, 19, 20, 40)]
['G1', 'G1', 'G2', 'G1']
"""
from __future__ import annotations

import numpy as np

from tasks.goals import TWO_INPUT, Goal, apply_two_input, logic_goal, table_goal


class Schedule:
    period: int = 0                 # 0: the goal never changes
    solve_periods: int = 1          # epochs in a row that must each see a perfect solution

    def epoch(self, generation: int) -> int:
        return generation // self.period if self.period else 0

    def goal_at(self, generation: int) -> Goal:
        raise NotImplementedError

    def goals(self) -> list[Goal]:
        """The goals known in advance (all of them for fixed and MVG schedules)."""
        return []


class Fixed(Schedule):
    def __init__(self, goal: Goal):
        self.goal = goal

    def goal_at(self, generation: int) -> Goal:
        return self.goal

    def goals(self) -> list[Goal]:
        return [self.goal]


class Cycle(Schedule):
    """Modularly varying goals (MVG): goals[order[0]], goals[order[1]], ... each for ``period`` generations."""

    def __init__(self, goals: list[Goal], period: int, order: list[int] | None = None):
        if period < 1:
            raise ValueError(f"schedule period must be at least 1, got {period}")
        if not goals:
            raise ValueError("an MVG schedule needs at least one goal")
        self._goals = list(goals)
        self.order = list(order) if order is not None else list(range(len(goals)))
        bad = [i for i in self.order if not 0 <= i < len(goals)]
        if bad or not self.order:
            raise ValueError(f"schedule order {self.order} must index the {len(goals)} goals")
        self.period = period
        # solved = a perfect solution in every epoch of one full pass through the order
        self.solve_periods = len(self.order)

    def goal_at(self, generation: int) -> Goal:
        return self._goals[self.order[self.epoch(generation) % len(self.order)]]

    def goals(self) -> list[Goal]:
        return list(self._goals)


class _Drawn(Schedule):
    """A fresh goal per epoch, drawn from ``default_rng([seed, epoch])`` so any epoch can be rebuilt alone."""

    def __init__(self, period: int, seed: int, solve_periods: int):
        if period < 1:
            raise ValueError(f"schedule period must be at least 1, got {period}")
        self.period = period
        self.seed = seed
        self.solve_periods = solve_periods
        # the last two epochs: loops look at this generation's goal and the one before, and
        # keep one Goal object per epoch (they rescore when the object changes)
        self._cache: dict[int, Goal] = {}

    def goal_at(self, generation: int) -> Goal:
        k = self.epoch(generation)
        if k not in self._cache:
            if len(self._cache) >= 2:
                del self._cache[max(self._cache, key=lambda e: abs(e - k))]
            self._cache[k] = self.draw(np.random.default_rng([self.seed, k]))
        return self._cache[k]

    def draw(self, rng: np.random.Generator) -> Goal:
        raise NotImplementedError


MAX_REDRAWS = 1000


def inputs_read(table: np.ndarray) -> set[int]:
    """The inputs whose flip alone changes some row of ``table`` (row r has input i at bit i)."""
    rows = np.arange(table.shape[0])
    return {i for i in range(table.shape[0].bit_length() - 1) if (table != table[rows ^ (1 << i)]).any()}


class RandomModular(_Drawn):
    """RMVG: each epoch, output j is f_j(M[a_j], M[b_j]) with each f_j drawn uniformly from
    the 10 two-input Boolean functions that depend on both arguments (``TWO_INPUT``).

    ``modules`` names the shared sub-goals, as expressions (``{"A": "X ^ Y", "B": "Z ^ W"}``)
    or as one bool per row (the retina's left and right objects), and
    ``pairs`` lists, per output, the two modules it combines. Draws are independent
    between epochs, so an epoch repeats the previous goal with probability 1/10
    (per output).

    With a ``template`` (one expression per output) the drawn functions fill slots of a fixed
    goal instead: pair k gives the column ``F1``, ``F2``, ... that the template names, so one
    stage of a serial goal can be drawn while the rest stays put (issue 11). A draw after which
    the goal ignores an input that the template or the drawn modules read (both branches given
    one function) is drawn again. Drawing the first stage of S1 = if X⊕Y then Z∧W else Z∨W:

    >>> s = RandomModular(["X", "Y", "Z", "W"], {"A": "X", "B": "Y"}, [["A", "B"]], 20, seed=0,
    ...                   template=["(F1 & (Z & W)) | (~F1 & (Z | W))"])
    >>> [s.goal_at(20 * k).name for k in range(3)]
    ['XNOR(A,B)', 'NOT_A_AND_B(A,B)', 'XOR(A,B)']
    >>> s1 = logic_goal("S1", "XYZW", ["((X ^ Y) & (Z & W)) | (~(X ^ Y) & (Z | W))"])
    >>> s.goal_at(40).asks_as(s1), s.goal_at(0).asks_as(s1)
    (True, False)
    """

    def __init__(self, inputs, modules: dict[str, str], pairs, period: int, seed: int,
                 solve_periods: int = 2, template=None):
        super().__init__(period, seed, solve_periods)
        self.inputs = tuple(inputs)
        self.pairs = [tuple(p) for p in pairs]
        self.template = list(template) if template else None
        self.slots = [f"F{k + 1}" for k in range(len(self.pairs))]
        clash = set(self.slots) & (set(self.inputs) | set(modules)) if self.template else set()
        if clash:
            raise ValueError(f"RMVG template slots {sorted(clash)} are also input or module names")
        exprs = {n: m for n, m in modules.items() if isinstance(m, str)}
        base = logic_goal("modules", self.inputs, list(exprs), exprs) if exprs else None
        self.module_rows = {n: (base.table[:, list(exprs).index(n)] if n in exprs else np.asarray(m, bool))
                            for n, m in modules.items()}
        names = list(modules)
        rows = 1 << len(self.inputs)
        for n, r in self.module_rows.items():
            if r.shape != (rows,):
                raise ValueError(f"RMVG module {n!r} has {r.shape[0]} rows; {len(self.inputs)} inputs give {rows}")
        for p in self.pairs:
            if len(p) != 2 or any(m not in self.module_rows for m in p):
                raise ValueError(f"RMVG pair {list(p)} must name two of the modules {names}")
        self.functions = sorted(TWO_INPUT)
        self.needed = self._needed() if self.template else set()

    def _needed(self) -> set[int]:
        """What a template goal must read: the drawn pairs' modules' inputs, and the inputs the
        template reads itself with its slots held at any constants."""
        needed = set().union(*(inputs_read(self.module_rows[m]) for p in self.pairs for m in p))
        rows = 1 << len(self.inputs)
        for bits in range(1 << len(self.slots)):
            held = {f: np.full(rows, bool((bits >> k) & 1)) for k, f in enumerate(self.slots)}
            table = logic_goal("held", self.inputs, self.template, values={**self.module_rows, **held}).table
            needed |= inputs_read(table)
        return needed

    def draw(self, rng):
        for _ in range(MAX_REDRAWS):
            picks = [self.functions[i] for i in rng.integers(len(self.functions), size=len(self.pairs))]
            cols = [apply_two_input(TWO_INPUT[f], self.module_rows[a], self.module_rows[b])
                    for f, (a, b) in zip(picks, self.pairs)]
            name = ";".join(f"{f}({a},{b})" for f, (a, b) in zip(picks, self.pairs))
            if not self.template:
                return table_goal(name, self.inputs, np.stack(cols, axis=1))
            columns = {**self.module_rows, **dict(zip(self.slots, cols))}
            goal = table_goal(name, self.inputs, logic_goal(name, self.inputs, self.template, values=columns).table)
            # a draw that makes the fixed stage irrelevant (if X^Y then f(Z,W) else f(Z,W)) is
            # not the task with one stage varied: draw again
            if inputs_read(goal.table) >= self.needed:
                return goal
        raise ValueError(f"RMVG template {self.template}: {MAX_REDRAWS} draws in a row ignore an input it reads")


class RandomTables(_Drawn):
    """Randomly varying goals, the non-modular control: each epoch every output gets a
    uniformly random truth table, redrawn if it is constant."""

    def __init__(self, inputs, n_outputs: int, period: int, seed: int, solve_periods: int = 2):
        super().__init__(period, seed, solve_periods)
        self.inputs = tuple(inputs)
        self.n_outputs = n_outputs

    def draw(self, rng):
        rows = 1 << len(self.inputs)
        cols = []
        while len(cols) < self.n_outputs:
            col = rng.integers(2, size=rows).astype(bool)
            if 0 < col.sum() < rows:
                cols.append(col)
        table = np.stack(cols, axis=1)
        name = "random:" + ";".join(
            format(int("".join("1" if b else "0" for b in c[::-1]), 2), "x") for c in table.T)
        return table_goal(name, self.inputs, table)


class _Wrapped(Schedule):
    """Another schedule's goals, each generation turned into a new goal by ``_make`` (drawn from
    the generation's own random stream); the last two generations' goals are kept, as in _Drawn."""

    def __init__(self, inner: Schedule):
        self.inner = inner
        self.period, self.solve_periods = inner.period, inner.solve_periods
        self._cache: dict[int, Goal] = {}

    def epoch(self, generation: int) -> int:
        return self.inner.epoch(generation)

    def goal_at(self, generation: int) -> Goal:
        if generation not in self._cache:
            if len(self._cache) >= 2:
                del self._cache[max(self._cache, key=lambda g: abs(g - generation))]
            self._cache[generation] = self._make(self.inner.goal_at(generation), generation)
        return self._cache[generation]

    def _make(self, goal: Goal, generation: int) -> Goal:
        raise NotImplementedError

    def goals(self) -> list[Goal]:
        return self.inner.goals()


class Resampled(_Wrapped):
    """Another schedule's goals, each generation asked on a fresh random sample of ``n`` of
    their rows, drawn from ``default_rng([sample_seed, seed, generation])``: a network cannot
    fit one fixed sample (Kashtan & Alon scored 100 random retina patterns of 256)."""

    def __init__(self, inner: Schedule, n: int, seed: int, sample_seed: int = 0):
        super().__init__(inner)
        self.n, self.seed, self.sample_seed = n, seed, sample_seed

    def _make(self, goal, generation):
        rng = np.random.default_rng([self.sample_seed, self.seed, generation])
        return goal.sample(np.sort(rng.choice(goal.n_rows, self.n, replace=False)))


class Noisy(_Wrapped):
    """Another schedule's goals with noisy inputs and labels, fresh every generation (so noise
    cannot be fitted): each input bit of each pattern asked is flipped with probability
    ``input_noise``, each target bit with probability ``label_noise``, drawn from
    ``default_rng([NOISE, seed, generation])`` -- the run's own stream, reproducible, and apart
    from every other draw. Every genome of a generation sees the same noise."""

    NOISE = 0x6E6F6973          # keeps these streams apart from Resampled's

    def __init__(self, inner: Schedule, input_noise: float, label_noise: float, seed: int):
        super().__init__(inner)
        self.input_noise, self.label_noise, self.seed = input_noise, label_noise, seed

    def _make(self, goal, generation):
        rng = np.random.default_rng([self.NOISE, self.seed, generation])
        rows = goal.rows if goal.rows is not None else np.arange(goal.n_rows)
        bits = rng.random((rows.size, goal.n_inputs)) < self.input_noise
        seen = rows ^ (bits.astype(np.int64) << np.arange(goal.n_inputs)).sum(axis=1)
        flips = rng.random((rows.size, goal.n_outputs)) < self.label_noise
        return goal.noisy(seen, flips)


# ``schedule.kind`` in a config names one of these
KINDS = {"fixed": Fixed, "mvg": Cycle, "rmvg": RandomModular, "random": RandomTables}
