"""The problem contract, and NAND circuits as a problem.

A *problem* is a genome kind scored against goals. The generation loop
(``evo.loop``), the survival strategies (``evo.strategies``), the operator
registry (``evo.toolbox``) and the runner ask a problem for nothing beyond
``Problem``'s members below. A new problem subclasses ``Problem`` and fills in its
abstract methods; it is registered by circuit kind in ``evo.kinds``.

Scores come back as a ``Scores`` record for a whole population in one call, so
evaluation stays one vectorised kernel; Q and Qm are asked of single genomes (the
best of each generation) and cached.
"""
from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from circuits import graph, nand, nand_costs
from circuits import io as circuit_io
from circuits.modularity import best_partition
from circuits.qm import Normalizer
from evo import kernels
from tasks.goals import Goal


class Scores(NamedTuple):
    """Scores of a population, one entry (row) per genome.

    fitness : float array
        Scalar fitness, higher is better: what single-objective selection ranks by.
    size : int array
        Effective gates (circuits) or connections (networks).
    perfect : bool array
        Whether the genome solves the goal (what "solved" counts).
    objectives : float array of shape (n, k)
        The problem's own objectives, all maximised (costs negated), for
        multi-objective strategies; objectives of a whole population (diversity)
        are added by ``Problem.objectives``.
    answers : bool array of shape (n, m), or None
        The genome's outputs, for population-level objectives.
    """

    fitness: np.ndarray
    size: np.ndarray
    perfect: np.ndarray
    objectives: np.ndarray
    answers: np.ndarray | None = None

    def take(self, rows) -> Scores:
        """The scores of ``rows`` (an index array), copied."""
        return Scores(*(None if a is None else a[rows] for a in self))

    def put(self, rows, new: Scores) -> None:
        """Overwrite the scores of ``rows`` with ``new`` (scores of those rows), in place."""
        for old, fresh in zip(self, new):
            if old is not None:
                old[rows] = fresh

    def concat(self, other: Scores) -> Scores:
        """This population's scores followed by ``other``'s."""
        return Scores(*(None if a is None else np.concatenate([a, b]) for a, b in zip(self, other)))


class Problem(ABC):
    """What evolves against what: genomes of one kind, scored on goals.

    Attributes a problem sets: ``spec`` (the genome layout, handed to operators that
    ask for it), ``lo`` and ``hi`` (per gene, allowed values are ``[lo, hi)``),
    ``q_kind`` (``"undirected"`` or ``"directed"`` modularity), ``normalizer``
    (a ``circuits.qm.Normalizer`` behind Qm), ``objective_names`` (the columns of
    ``objectives``), and ``what`` (a plural noun for messages).
    """

    what = "genomes"
    q_kind = "undirected"
    objective_names: tuple[str, ...] = ("fitness",)
    normalizer: Normalizer

    @abstractmethod
    def random(self, size: int, rng: np.random.Generator) -> np.ndarray:
        """``size`` start genomes, one per row, drawn from ``rng``."""

    @abstractmethod
    def evaluate(self, pop: np.ndarray, goal: Goal) -> Scores:
        """Scores of every genome of ``pop`` on ``goal`` (deterministic: no random stream)."""

    @abstractmethod
    def adjacency(self, genome: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """``(adjacency matrix, node indices)`` of the genome's graph, the graph Q is measured on."""

    @abstractmethod
    def size(self, genome: np.ndarray) -> int:
        """The genome's size as recorded (effective gates; connections)."""

    @abstractmethod
    def save(self, path, genome: np.ndarray, input_names, meta: dict) -> None:
        """Write the genome to a JSON file that ``kashtan analyze`` reads."""

    @abstractmethod
    def accuracy(self, genome: np.ndarray, goal: Goal) -> float:
        """Fraction of right answers on every row of ``goal`` (no penalty, no sample)."""

    def objectives(self, scores: Scores) -> np.ndarray:
        """Objectives of a whole population (maximised), as multi-objective strategies rank them:
        ``scores.objectives``, plus any that depend on the population (behavioural diversity)."""
        return scores.objectives

    def genomes_valid(self, pop: np.ndarray) -> bool:
        """Whether every gene of ``pop`` lies in ``[lo, hi)`` (what the kernels index with)."""
        return bool(((pop >= self.lo) & (pop < self.hi)).all())

    def operator_context(self) -> dict:
        """Settings that operators may take by name (``spec``, ``fan_in``, ...)."""
        return {"spec": self.spec}

    def check_goal(self, goal: Goal) -> None:
        """Raise ValueError if ``goal`` does not fit these genomes' inputs and outputs."""
        if goal.n_inputs != self.spec.n_inputs or goal.n_outputs != self.spec.n_outputs:
            raise ValueError(f"goal {goal.name!r} has {goal.n_inputs} inputs and {goal.n_outputs} outputs; "
                             f"the {self.what} have {self.spec.n_inputs} and {self.spec.n_outputs}")

    def partition(self, genome: np.ndarray, quick: bool = False) -> tuple[float, np.ndarray, np.ndarray, np.ndarray]:
        """``(Q, module labels, node indices, adjacency)`` of the genome's graph (cached), with the
        full search (``normalizer.restarts`` rounds), or ``quick``: bisection and refinement only
        (the per-generation trajectory, where the full search cost 20-30 % of a network generation)."""
        cache = self.__dict__.setdefault("_q_cache", {})
        graphs = self.__dict__.setdefault("_graph_cache", {})
        key = (genome.tobytes(), quick)
        hit = cache.get(key)
        if hit is None:
            adj, nodes = self.adjacency(genome)
            # genomes that differ only in weights or junk share a graph: maximise Q once per graph
            gkey = (nodes.tobytes(), adj.tobytes(), quick)
            found = graphs.get(gkey)
            if found is None:
                found = graphs[gkey] = best_partition(adj, self.q_kind, restarts=0 if quick else self.normalizer.restarts)
            if len(cache) > 50_000:
                cache.clear()
                graphs.clear()
            hit = cache[key] = (found[0], found[1], nodes, adj)
        return hit

    def q(self, genome: np.ndarray, quick: bool = False) -> float:
        """Modularity Q of the genome's graph (``circuits.modularity.best_partition``; ``quick``: see ``partition``)."""
        return self.partition(genome, quick)[0]

    def qm(self, genome: np.ndarray) -> float:
        """Normalised modularity ``(Q - Qrand) / (Qmax - Qrand)`` (``circuits.qm``)."""
        q, _, _, adj = self.partition(genome)
        return self.normalizer.qm(adj, q)


@dataclass(frozen=True)
class NandSettings:
    """Kashtan & Alon's circuit fitness: ``size_penalty`` per effective gate above ``size_threshold``.
    ``perfect_within_size``: a circuit is perfect (solves the goal) only at fitness 1, i.e. with
    every row right and no size penalty; false: every row right, whatever its size."""

    size_penalty: float = 0.2
    size_threshold: int = 11
    perfect_within_size: bool = True
    cost: str | None = None          # None or one of circuits.nand_costs.KINDS: a wire cost (issue 11)
    cost_on: str = "simplified"      # simplified (only gates with a path to an output pay) | all
    cost_weight: float = 0.0         # fitness minus cost_weight x cost (single-objective selection)
    positions: tuple | None = None   # (x, y) per input, gate and output; None = nand_costs.layout_positions


class NandProblem(Problem):
    """NAND circuits scored as Kashtan & Alon do: fraction of correct (row, output)
    bits, minus ``size_penalty`` per effective gate above ``size_threshold``.
    A circuit is *perfect* when every bit is correct and, with ``perfect_within_size``, it
    pays no size penalty. With a wire ``cost`` (``circuits.nand_costs``) the objectives are
    (fitness, -cost), for NSGA-II, and ``cost_weight`` x cost is taken off the fitness; the cost
    never decides "perfect".

    >>> from circuits.nand import NandSpec
    >>> from tasks.goals import logic4
    >>> p = NandProblem(NandSpec(4, 12))
    >>> s = p.evaluate(p.random(5, np.random.default_rng(0)), logic4("G1"))
    >>> s.fitness.shape, s.objectives.shape
    ((5,), (5, 1))
    """

    what = "circuits"

    def __init__(self, spec: nand.NandSpec, settings: NandSettings = NandSettings(), q_kind: str = "undirected",
                 normalizer: Normalizer | None = None):
        self.spec = spec
        self.settings = settings
        self.q_kind = q_kind
        self.normalizer = normalizer or Normalizer(kind=q_kind)
        self.lo, self.hi = spec.bounds()
        self._targets: tuple[Goal, np.ndarray] | None = None
        if settings.cost is not None:
            if settings.cost not in nand_costs.KINDS:
                raise ValueError(f"unknown circuit cost {settings.cost!r}; choose one of {', '.join(nand_costs.KINDS)}")
            if settings.cost_on not in nand_costs.ON:
                raise ValueError(f"cost_on must be one of {', '.join(nand_costs.ON)}, got {settings.cost_on!r}")
            self.positions = (nand_costs.layout_positions(spec) if settings.positions is None
                              else nand_costs.check_positions(spec, settings.positions))
            self.objective_names = ("fitness", "cost")

    def random(self, size: int, rng: np.random.Generator) -> np.ndarray:
        return self.spec.random(size, rng)

    def targets(self, goal: Goal) -> tuple[np.ndarray, np.ndarray | None]:
        """Target words (one per output) and the input words shown (None: the plain truth table);
        a noisy goal (``tasks.schedules.Noisy``) shows row ``seen[r]`` on row r and flips targets."""
        if self._targets is None or self._targets[0] is not goal:
            self.check_goal(goal)
            words, inputs = goal.words()[:, 0].copy(), None
            if goal.flips is not None:
                words ^= nand.pack_rows(goal.flips)
            if goal.seen is not None:
                seen = np.asarray(goal.seen, dtype=np.int64)
                inputs = nand.pack_rows((seen[:, None] >> np.arange(self.spec.n_inputs)) & 1)
            self._targets = (goal, words, inputs)
        return self._targets[1], self._targets[2]

    def evaluate(self, pop: np.ndarray, goal: Goal) -> Scores:
        """Fitness, effective gate count and perfect flag of every circuit; the one objective is fitness."""
        correct, effective = nand.evaluate(pop, self.spec, *self.targets(goal))
        s = self.settings
        fitness, perfect = kernels.nand_fitness(correct, effective, self.spec.n_rows * self.spec.n_outputs,
                                                float(s.size_penalty), int(s.size_threshold), s.perfect_within_size)
        if s.cost is None:
            return Scores(fitness, effective, perfect, fitness[:, None])
        cost = nand_costs.costs(pop, self.spec, s.cost, self.positions, s.cost_on)
        if s.cost_weight:
            fitness -= s.cost_weight * cost
        return Scores(fitness, effective, perfect, np.column_stack([fitness, -cost]))

    def accuracy(self, genome: np.ndarray, goal: Goal) -> float:
        self.check_goal(goal)       # clean inputs and targets, whatever noise the goal carries
        correct, _ = nand.evaluate(genome[None], self.spec, goal.words()[:, 0].copy())
        return float(correct[0] / (self.spec.n_rows * self.spec.n_outputs))

    def adjacency(self, genome: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return graph.adjacency(genome, self.spec)

    def size(self, genome: np.ndarray) -> int:
        """Effective gates."""
        return int(nand.effective_gates(genome, self.spec).size)

    def save(self, path, genome: np.ndarray, input_names, meta: dict) -> None:
        circuit_io.save(path, genome, self.spec, input_names, meta)
