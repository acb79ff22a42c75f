"""What is evolved against what: a genome kind, its fitness on a goal, its modularity.

A problem turns a whole population (a 2-D integer array, one genome per row)
into fitness values in one call, and answers Q / Qm for single genomes with
caches, so the generation loop can ask about the best genome every generation.
"""
from __future__ import annotations

import numpy as np

from circuits import graph, nand
from circuits import io as circuit_io
from circuits.modularity import best_partition
from circuits.qm import Normalizer
from tasks.goals import Goal


class Modularity:
    """Q and Qm of single genomes, cached; subclasses say how a genome becomes a graph."""

    q_kind = "undirected"
    normalizer: Normalizer
    what = "genomes"          # for messages: "circuits", "networks"

    def check_goal(self, goal: Goal) -> None:
        if goal.n_inputs != self.spec.n_inputs or goal.n_outputs != self.spec.n_outputs:
            raise ValueError(f"goal {goal.name!r} has {goal.n_inputs} inputs and {goal.n_outputs} outputs; "
                             f"the {self.what} have {self.spec.n_inputs} and {self.spec.n_outputs}")

    def adjacency(self, genome: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        raise NotImplementedError

    def partition(self, genome: np.ndarray) -> tuple[float, np.ndarray, np.ndarray, np.ndarray]:
        """``(Q, module labels, node indices, adjacency)`` of the genome's graph (cached)."""
        cache = self.__dict__.setdefault("_q_cache", {})
        key = genome.tobytes()
        hit = cache.get(key)
        if hit is None:
            adj, nodes = self.adjacency(genome)
            q, labels = best_partition(adj, self.q_kind)
            if len(cache) > 50_000:
                cache.clear()
            hit = cache[key] = (q, labels, nodes, adj)
        return hit

    def q(self, genome: np.ndarray) -> float:
        return self.partition(genome)[0]

    def qm(self, genome: np.ndarray) -> float:
        q, _, _, adj = self.partition(genome)
        return self.normalizer.qm(adj, q)


class NandProblem(Modularity):
    """NAND circuits scored as Kashtan & Alon do: fraction of correct (row, output)
    bits, minus ``size_penalty`` per effective gate above ``size_threshold``.
    A circuit is *perfect* when every bit is correct, whatever its penalty."""

    what = "circuits"

    def __init__(self, spec: nand.NandSpec, size_penalty: float = 0.2, size_threshold: int = 11,
                 q_kind: str = "undirected", normalizer: Normalizer | None = None):
        self.spec = spec
        self.size_penalty = size_penalty
        self.size_threshold = size_threshold
        self.q_kind = q_kind
        self.normalizer = normalizer or Normalizer(kind=q_kind)
        self.lo, self.hi = spec.bounds()
        self._targets: tuple[Goal, np.ndarray] | None = None

    @property
    def genome_length(self) -> int:
        return self.spec.length

    def random(self, size: int, rng: np.random.Generator) -> np.ndarray:
        return self.spec.random(size, rng)

    def targets(self, goal: Goal) -> np.ndarray:
        if self._targets is None or self._targets[0] is not goal:
            self.check_goal(goal)
            self._targets = (goal, goal.words()[:, 0].copy())
        return self._targets[1]

    def evaluate(self, pop: np.ndarray, goal: Goal) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Fitness, effective gate count and perfect flag of every genome."""
        correct, effective = nand.evaluate(pop, self.spec, self.targets(goal))
        total = self.spec.n_rows * self.spec.n_outputs
        fitness = correct / total
        if self.size_penalty:
            fitness -= self.size_penalty * np.maximum(0, effective - self.size_threshold)
        return fitness, effective, correct == total

    def adjacency(self, genome: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return graph.adjacency(genome, self.spec)

    def size(self, genome: np.ndarray) -> int:
        """Effective gates."""
        return int(nand.effective_gates(genome, self.spec).size)

    def save(self, path, genome: np.ndarray, input_names, meta: dict) -> None:
        circuit_io.save(path, genome, self.spec, input_names, meta)
