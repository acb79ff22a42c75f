"""Layered integer-weight networks against retina-style goals.

Objectives (all maximised, for NSGA-II): performance (fraction of correct
(pattern, output) answers), then, if a connection cost is chosen, minus that cost.
The scalar fitness used by single-objective schemes is performance minus
``neuron_penalty`` per neuron with connections above ``neuron_threshold``
(Kashtan & Alon: 0.01 above 13). ``rows`` evaluates a fixed subset of the
patterns (Kashtan & Alon's 100 random patterns) instead of all of them. A network counts
as *perfect* (solving the goal) when at least ``solved_at`` of its answers are right
(1.0 = all; Kashtan & Alon's retina criterion was 0.95).
"""
from __future__ import annotations

import numpy as np

from circuits import costs, network, network_io
from circuits.qm import Normalizer
from evo.net_operators import kashtan_networks, random_networks
from evo.problem import Modularity
from tasks.goals import Goal


class NetworkProblem(Modularity):
    what = "networks"

    def __init__(self, spec: network.NetSpec, cost: str | None = "optimal", coordinates=None, rows=None,
                 neuron_penalty: float = 0.0, neuron_threshold: int = 13, q_kind: str = "directed",
                 normalizer: Normalizer | None = None, init_connections: int = 120, init: str = "clune",
                 fan_in=(3, 2), bias_range=(-2, 2), solved_at: float = 1.0, diversity: bool = False,
                 threads: int = 1):
        self.spec = spec
        if cost is not None and cost not in costs.KINDS:
            raise ValueError(f"unknown connection cost {cost!r}; choose one of {', '.join(costs.KINDS)}")
        self.cost = cost
        self.coordinates = (costs.default_coordinates(spec) if coordinates is None
                            else costs.check_coordinates(spec, coordinates))
        self.memo = costs.Memo(spec, self.coordinates) if cost == "optimal" else None
        self.rows = None if rows is None else np.asarray(rows)
        self.inputs = network.input_patterns(spec, self.rows)
        self.neuron_penalty = neuron_penalty
        self.neuron_threshold = neuron_threshold
        self.q_kind = q_kind
        self.normalizer = normalizer or Normalizer(kind=q_kind)
        self.init_connections = init_connections
        if init not in ("clune", "kashtan"):
            raise ValueError(f"unknown initial networks {init!r}; choose clune or kashtan")
        self.init, self.fan_in, self.bias_range = init, tuple(fan_in), tuple(bias_range)
        if not 0 < solved_at <= 1:
            raise ValueError(f"solved_at = {solved_at} must lie in (0, 1]")
        self.solved_at = solved_at
        self.diversity = diversity       # a last objective, computed by the loop over each population
        self.threads = threads           # Numba threads scoring one population (results do not depend on it)
        self.lo = np.full(spec.length, -2, np.int64)
        self.hi = np.full(spec.length, 3, np.int64)
        self._targets: tuple[Goal, np.ndarray] | None = None
        self._src, self._dst = spec.connections()

    @property
    def genome_length(self) -> int:
        return self.spec.length

    def random(self, size: int, rng: np.random.Generator) -> np.ndarray:
        if self.init == "kashtan":
            return kashtan_networks(self.spec, size, rng, *self.fan_in, self.bias_range)
        return random_networks(self.spec, size, rng, self.init_connections, self.bias_range)

    def targets(self, goal: Goal) -> np.ndarray:
        if self._targets is None or self._targets[0] is not goal:
            self.check_goal(goal)
            table = goal.table if self.rows is None else goal.table[self.rows]
            self._targets = (goal, np.ascontiguousarray(table.T))
        return self._targets[1]

    def evaluate(self, pop: np.ndarray, goal: Goal):
        """Fitness, connection count, perfect flag, objectives and answers of every network."""
        target = self.targets(goal)
        correct, answers = network.evaluate(pop, self.spec, self.inputs, target, answers=True, threads=self.threads)
        performance = correct / target.size
        n_conn = (pop[:, : self.spec.n_connections] != 0).sum(axis=1)
        fitness = performance
        if self.neuron_penalty:
            fitness = performance - self.neuron_penalty * np.maximum(0, self.neurons_used(pop) - self.neuron_threshold)
        if self.cost is None:
            objectives = performance[:, None]
        else:
            objectives = np.column_stack([performance, -costs.costs(pop, self.spec, self.cost, self.coordinates, self.memo)])
        # "perfect" (what counts as solving): every answer right, or at least solved_at of them
        perfect = correct >= np.ceil(self.solved_at * target.size - 1e-9)
        return fitness, n_conn, perfect, objectives, answers

    def neurons_used(self, pop: np.ndarray) -> np.ndarray:
        """Non-input neurons with at least one incoming connection."""
        present = pop[:, : self.spec.n_connections] != 0
        has_input = np.zeros((len(pop), self.spec.n_nodes), bool)
        for node in np.unique(self._dst):
            has_input[:, node] = present[:, self._dst == node].any(axis=1)
        return has_input.sum(axis=1)

    def adjacency(self, genome: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return network.simplify(genome, self.spec)

    def size(self, genome: np.ndarray) -> int:
        """Connections."""
        return int((genome[: self.spec.n_connections] != 0).sum())

    def save(self, path, genome: np.ndarray, input_names, meta: dict) -> None:
        network_io.save(path, genome, self.spec, input_names, meta)
