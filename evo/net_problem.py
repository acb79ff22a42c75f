"""Layered integer-weight networks against retina-style goals.

Objectives (all maximised, for NSGA-II): performance (fraction of correct
(pattern, output) answers), then, if a connection cost is chosen, minus that cost,
then, if asked, behavioural diversity within the population.
The scalar fitness used by single-objective schemes is performance minus
``neuron_penalty`` per neuron with connections above ``neuron_threshold``
(Kashtan & Alon: 0.01 above 13). ``rows`` evaluates a fixed subset of the
patterns (Kashtan & Alon's 100 random patterns) instead of all of them. A network counts
as *perfect* (solving the goal) when at least ``solved_at`` of its answers are right
(1.0 = all; Kashtan & Alon's retina criterion was 0.95).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from circuits import costs, network, network_io
from circuits.network_init import kashtan_networks, random_networks, weights_problem
from circuits.qm import Normalizer
from evo import kernels
from evo.problem import Problem, Scores
from tasks.goals import Goal

INITS = ("clune", "kashtan")
COST_ON = ("simplified", "all")


@dataclass(frozen=True)
class NetworkSettings:
    """How networks are scored and started (the ``[network]`` config table).

    cost : None or one of ``circuits.costs.KINDS``; cost_on : ``"simplified"`` (connections into
    neurons with no path to an output are free, as in Clune et al.'s code) or ``"all"``; coordinates : [x, y] per node (None =
    Clune et al.'s); rows : the pattern indices scored (None = all); neuron_penalty,
    neuron_threshold : Kashtan & Alon's size penalty; solved_at : fraction of right answers
    that counts as perfect; diversity : add behavioural diversity as a last objective;
    init : ``"clune"`` or ``"kashtan"`` start networks, with init_connections, fan_in and
    bias_range.
    """

    cost: str | None = "optimal"
    cost_on: str = "simplified"
    coordinates: object = None
    rows: object = None
    neuron_penalty: float = 0.0
    neuron_threshold: int = 13
    init_connections: int = 120
    init: str = "clune"
    fan_in: tuple = (3, 2)
    bias_range: tuple = (-2, 2)
    solved_at: float = 1.0
    diversity: bool = False


class NetworkProblem(Problem):
    """Networks of ``spec`` scored as ``settings`` says; ``threads`` Numba threads score one
    population (results do not depend on it)."""

    what = "networks"

    def __init__(self, spec: network.NetSpec, settings: NetworkSettings = NetworkSettings(),
                 q_kind: str = "directed", normalizer: Normalizer | None = None, threads: int = 1):
        s = settings
        self.spec = spec
        self.settings = s
        if s.cost is not None and s.cost not in costs.KINDS:
            raise ValueError(f"unknown connection cost {s.cost!r}; choose one of {', '.join(costs.KINDS)}")
        self.coordinates = (costs.default_coordinates(spec) if s.coordinates is None
                            else costs.check_coordinates(spec, s.coordinates))
        self.memo = costs.Memo(spec, self.coordinates) if s.cost in costs.OPTIMAL else None
        self.rows = None if s.rows is None else np.asarray(s.rows)
        self.all_inputs = network.input_patterns(spec)
        self.q_kind = q_kind
        self.normalizer = normalizer or Normalizer(kind=q_kind)
        if s.cost_on not in COST_ON:
            raise ValueError(f"unknown cost_on {s.cost_on!r}; choose {' or '.join(COST_ON)}")
        if s.init not in INITS:
            raise ValueError(f"unknown initial networks {s.init!r}; choose {' or '.join(INITS)}")
        self.fan_in, self.bias_range = tuple(s.fan_in), tuple(s.bias_range)
        if not 0 < s.solved_at <= 1:
            raise ValueError(f"solved_at = {s.solved_at} must lie in (0, 1]")
        self.threads = threads
        self.objective_names = ("performance",) + ("cost",) * (s.cost is not None) + ("diversity",) * s.diversity
        self.lo = np.full(spec.length, -2, np.int64)
        self.hi = np.full(spec.length, 3, np.int64)
        self._targets: tuple[Goal, np.ndarray] | None = None
        self._dst = spec.connections()[1]

    def random(self, size: int, rng: np.random.Generator) -> np.ndarray:
        if self.settings.init == "kashtan":
            return kashtan_networks(self.spec, size, rng, *self.fan_in, self.bias_range)
        return random_networks(self.spec, size, rng, self.settings.init_connections, self.bias_range)

    def genomes_valid(self, pop: np.ndarray) -> bool:
        """Connection weights the neuron model makes (``network_init.weights_problem``; the Clune
        mutation looks weights up in its list) and biases of any int8 but -128 (whose negation
        overflows)."""
        return bool((pop > -128).all()) and weights_problem(pop, self.spec, self.fan_in) is None

    def operator_context(self) -> dict:
        return {"spec": self.spec, "fan_in": self.fan_in}     # one setting: network.fan_in

    def targets(self, goal: Goal) -> tuple[np.ndarray, np.ndarray]:
        """Targets (outputs x patterns) and input activations (inputs x patterns) of the
        patterns asked: the goal's own sample, else this problem's fixed rows, else all."""
        if self._targets is None or self._targets[0] is not goal:
            self.check_goal(goal)
            rows = goal.rows if goal.rows is not None else self.rows
            table = goal.table if rows is None else goal.table[rows]
            seen, flips = goal.seen, goal.flips
            if goal.rows is None and self.rows is not None and seen is not None:
                # noise drawn for every row; this problem asks its fixed sample of them
                seen, flips = seen[self.rows], flips[self.rows]
            if flips is not None:
                table = table ^ flips
            shown = seen if seen is not None else rows
            inputs = self.all_inputs if shown is None else network.input_patterns(self.spec, shown)
            self._targets = (goal, np.ascontiguousarray(table.T), inputs)
        return self._targets[1], self._targets[2]

    def accuracy(self, genome: np.ndarray, goal: Goal) -> float:
        """Fraction of right answers on all the goal's patterns, whatever the scoring sample."""
        correct = network.evaluate(genome[None], self.spec, self.all_inputs, np.ascontiguousarray(goal.table.T))
        return float(correct[0] / goal.table.size)

    def evaluate(self, pop: np.ndarray, goal: Goal) -> Scores:
        """Fitness, connection count, perfect flag, objectives and answers of every network."""
        s = self.settings
        target, inputs = self.targets(goal)
        if s.diversity:               # answers only feed the diversity objective; writing them costs
            correct, answers = network.evaluate(pop, self.spec, inputs, target, answers=True, threads=self.threads)
        else:
            correct, answers = network.evaluate(pop, self.spec, inputs, target, threads=self.threads), None
        performance = correct / target.size
        n_conn = kernels.connection_counts(pop, self.spec.n_connections)
        fitness = performance
        if s.neuron_penalty:
            fitness = performance - s.neuron_penalty * np.maximum(0, self.neurons_used(pop) - s.neuron_threshold)
        if s.cost is None:
            objectives = performance[:, None]
        else:
            cost = costs.costs(pop, self.spec, s.cost, self.coordinates, self.memo, simplified=s.cost_on == "simplified")
            objectives = np.column_stack([performance, -cost])
        # "perfect" (what counts as solving): every answer right, or at least solved_at of them
        perfect = correct >= np.ceil(s.solved_at * target.size - 1e-9)
        return Scores(fitness, n_conn, perfect, objectives, answers)

    def objectives(self, scores: Scores) -> np.ndarray:
        """The per-network objectives, plus behavioural diversity within this population if asked."""
        if self.settings.diversity:
            return np.column_stack([scores.objectives, network.diversity(scores.answers)])
        return scores.objectives

    def neurons_used(self, pop: np.ndarray) -> np.ndarray:
        """Non-input neurons with at least one incoming connection."""
        return kernels.neurons_with_input(np.ascontiguousarray(pop), self.spec.n_connections, self._dst,
                                          self.spec.n_nodes)

    def adjacency(self, genome: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return network.simplify(genome, self.spec)

    def size(self, genome: np.ndarray) -> int:
        """Connections."""
        return int((genome[: self.spec.n_connections] != 0).sum())

    def save(self, path, genome: np.ndarray, input_names, meta: dict) -> None:
        network_io.save(path, genome, self.spec, input_names, meta)
