"""Layered integer-weight networks: genome layout and whole-population evaluation.

Layers of sizes ``layers`` (default 8-8-4-2-1); connections only from each layer
to the next. Nodes are numbered layer by layer, inputs first. A genome is an
int8 array: one weight per possible connection (0 = absent), ordered by
destination node then source node, followed by one bias per non-input neuron.

Two neuron models (``model``):

* ``"clune"`` (Clune, Mouret & Lipson 2013): inputs +-1, weights in {-2,-1,1,2},
  biases in {-2..2}, activation tanh(20 (sum w x + b)). With integer sums that is
  exactly sign(.) in floating point (|tanh(20)| rounds to 1.0), so activations
  are -1, 0 or +1 and everything stays in integers. Output > 0 means true; an
  output of exactly 0 is always wrong.
* ``"kashtan"`` (Kashtan & Alon 2005): inputs 0/1, a neuron fires (1) when
  sum w x + b > 0, i.e. the bias is minus its threshold; output 1 means true.
  Weights are net weights of possibly repeated +-1 connections.

Evaluation runs every pattern at once: activations are int8 rows over the
patterns, so the inner loop is a vector add the compiler turns into SIMD. Sums
accumulate in int8 when no neuron's sum can leave [-127, 127] (every network the
GA's own operators make), else in int16 or int32 (``accumulator``), so a loaded
network with large weights or wide layers is scored exactly.

>>> import numpy as np
>>> spec = NetSpec(layers=(2, 1))
>>> g = np.array([1, 1, -1], dtype=np.int8)         # out = sign(x0 + x1 - 1): AND on +-1 inputs
>>> out = activations(g, spec, input_patterns(spec))[-1]
>>> out.tolist()
[-1, -1, -1, 1]
"""
from __future__ import annotations

import contextlib
import functools
from dataclasses import dataclass

import numba as nb
import numpy as np

MODELS = ("clune", "kashtan")


@dataclass(frozen=True)
class NetSpec:
    layers: tuple[int, ...] = (8, 8, 4, 2, 1)
    model: str = "clune"

    def __post_init__(self):
        object.__setattr__(self, "layers", tuple(int(n) for n in self.layers))
        if len(self.layers) < 2 or min(self.layers) < 1:
            raise ValueError(f"layers {list(self.layers)} must list at least two positive sizes")
        if self.model not in MODELS:
            raise ValueError(f"unknown neuron model {self.model!r}; choose one of {', '.join(MODELS)}")

    @property
    def n_inputs(self) -> int:
        return self.layers[0]

    @property
    def n_outputs(self) -> int:
        return self.layers[-1]

    @property
    def n_nodes(self) -> int:
        return sum(self.layers)

    @property
    def n_neurons(self) -> int:
        return self.n_nodes - self.n_inputs

    def layer_of(self) -> np.ndarray:
        return np.repeat(np.arange(len(self.layers)), self.layers)

    def connections(self) -> tuple[np.ndarray, np.ndarray]:
        """Source and destination node of every possible connection, in genome order (cached)."""
        return _connections(self.layers)

    @property
    def n_connections(self) -> int:
        return sum(a * b for a, b in zip(self.layers[:-1], self.layers[1:]))

    @property
    def length(self) -> int:
        return self.n_connections + self.n_neurons

    def check(self, genome: np.ndarray) -> None:
        genome = np.asarray(genome)
        if genome.shape != (self.length,):
            raise ValueError(f"network genome has shape {genome.shape}, expected ({self.length},)")


@functools.lru_cache(maxsize=None)
def _connections(layers: tuple[int, ...]) -> tuple[np.ndarray, np.ndarray]:
    starts = np.concatenate([[0], np.cumsum(layers)])
    src, dst = [], []
    for lay in range(len(layers) - 1):
        for d in range(starts[lay + 1], starts[lay + 2]):
            for s in range(starts[lay], starts[lay + 1]):
                src.append(s)
                dst.append(d)
    out = np.array(src, np.int64), np.array(dst, np.int64)
    for a in out:
        a.flags.writeable = False
    return out


def input_patterns(spec: NetSpec, rows=None) -> np.ndarray:
    """Input activations, shape (n_inputs, n_patterns): input i of pattern p is bit i of p,
    as +-1 (clune) or 0/1 (kashtan). ``rows`` picks a subset of the 2**n patterns."""
    p = np.arange(1 << spec.n_inputs) if rows is None else np.asarray(rows)
    bits = ((p[None, :] >> np.arange(spec.n_inputs)[:, None]) & 1).astype(np.int8)
    return bits if spec.model == "kashtan" else (2 * bits - 1).astype(np.int8)


@functools.lru_cache(maxsize=None)
def _plan(spec: NetSpec):
    """Per neuron, the genome indices of its incoming connections (CSR) and their sources."""
    src, dst = spec.connections()
    order = np.argsort(dst, kind="stable")
    ptr = np.searchsorted(dst[order], np.arange(spec.n_inputs, spec.n_nodes + 1))
    return order.astype(np.int64), src[order], ptr.astype(np.int64)


@nb.njit(cache=True, inline="always")
def _neuron(genome, n_conn, k, conn, src, ptr, step, act, acc, out):
    """Neuron ``k``'s value on every pattern into ``out``: bias plus the weighted sum of its sources'
    rows of ``act`` in ``acc``, then the step (``step``) or the sign."""
    n_pat = out.size
    b = genome[n_conn + k]
    for p in range(n_pat):
        acc[p] = b
    for t in range(ptr[k], ptr[k + 1]):
        w = genome[conn[t]]
        if w == 0:
            continue
        a = act[src[t]]
        # one loop per weight value: no multiply, so the loop stays in int8 lanes
        if w == 1:
            for p in range(n_pat):
                acc[p] += a[p]
        elif w == -1:
            for p in range(n_pat):
                acc[p] -= a[p]
        elif w > 0:
            for p in range(n_pat):
                acc[p] += w * a[p]
        else:
            for p in range(n_pat):
                acc[p] -= -w * a[p]
    if step:
        for p in range(n_pat):
            out[p] = np.int8(acc[p] > 0)
    else:
        for p in range(n_pat):
            out[p] = np.int8(acc[p] > 0) - np.int8(acc[p] < 0)


@nb.njit(cache=True, inline="always")
def _forward(genome, n_in, n_conn, conn, src, ptr, step, act, acc):
    for k in range(act.shape[0] - n_in):
        _neuron(genome, n_conn, k, conn, src, ptr, step, act, acc, act[n_in + k])


@nb.njit(cache=True)
def _evaluate(pop, n_in, n_out, n_conn, conn, src, ptr, step, inputs, targets, correct, answers, acc):
    n_nodes = n_in + (pop.shape[1] - n_conn)
    n_pat = inputs.shape[1]
    act = np.zeros((n_nodes, n_pat), np.int8)
    act[:n_in] = inputs
    acc = np.empty_like(acc)
    for i in range(pop.shape[0]):
        _forward(pop[i], n_in, n_conn, conn, src, ptr, step, act, acc)
        c = 0
        for j in range(n_out):
            o = act[n_nodes - n_out + j]
            tj = targets[j]
            for p in range(n_pat):
                # branch-free so it vectorises; an output of 0 is wrong unless neurons are steps
                c += ((o[p] > 0) == tj[p]) & ((o[p] != 0) | step)
            if answers.shape[0]:
                for p in range(n_pat):
                    answers[i, j * n_pat + p] = o[p] > 0
        correct[i] = c


@nb.njit(cache=True, parallel=True)
def _evaluate_threads(pop, n_in, n_out, n_conn, conn, src, ptr, step, inputs, targets, correct, answers, acc, chunks):
    n = pop.shape[0]
    for c in nb.prange(chunks):
        lo, hi = c * n // chunks, (c + 1) * n // chunks
        part = answers[lo:hi] if answers.shape[0] else answers
        _evaluate(pop[lo:hi], n_in, n_out, n_conn, conn, src, ptr, step, inputs, targets, correct[lo:hi], part, acc)


def evaluate(pop: np.ndarray, spec: NetSpec, inputs: np.ndarray, targets: np.ndarray,
             answers: bool = False, threads: int = 1):
    """Correct (pattern, output) count of every network. ``targets``: bool (n_outputs, n_patterns).

    With ``answers=True`` also return each network's answers (output > 0), shape
    (n_networks, n_outputs * n_patterns), for behavioural diversity. ``threads`` > 1 splits
    the population over that many Numba threads (``bench/threads.py`` says when that pays).
    """
    pop = np.ascontiguousarray(pop, dtype=np.int8)
    conn, src, ptr = _plan(spec)
    correct = np.empty(pop.shape[0], np.int64)
    out = np.zeros((pop.shape[0] if answers else 0, spec.n_outputs * inputs.shape[1]), np.bool_)
    args = (pop, spec.n_inputs, spec.n_outputs, spec.n_connections, conn, src, ptr, spec.model == "kashtan",
            np.ascontiguousarray(inputs, np.int8), np.ascontiguousarray(targets, np.bool_), correct, out,
            np.empty(inputs.shape[1], accumulator(pop, spec)))
    if threads > 1 and len(pop) >= 2 * threads:
        with _thread_count(threads):
            _evaluate_threads(*args, threads)
    else:
        _evaluate(*args)
    return (correct, out) if answers else correct


def accumulator(pop: np.ndarray, spec: NetSpec) -> type:
    """The narrowest integer type that holds every neuron's sum: |bias| + fan-in x |weight|,
    with activations in [-1, 1], bounded by the largest gene times (widest layer + 1)."""
    if pop.size == 0:
        return np.int8
    big = max(abs(int(pop.max())), abs(int(pop.min())))
    bound = big * (max(spec.layers[:-1]) + 1)
    return np.int8 if bound <= 127 else np.int16 if bound <= 32767 else np.int32


@contextlib.contextmanager
def _thread_count(threads: int):
    # Numba's pool is sized at import (NUMBA_NUM_THREADS); ask for no more than it has
    before = nb.get_num_threads()
    nb.set_num_threads(min(threads, nb.config.NUMBA_NUM_THREADS))
    try:
        yield
    finally:
        nb.set_num_threads(before)


def activations(genome: np.ndarray, spec: NetSpec, inputs: np.ndarray) -> np.ndarray:
    """Activation of every node on every pattern, shape (n_nodes, n_patterns)."""
    conn, src, ptr = _plan(spec)
    act = np.zeros((spec.n_nodes, inputs.shape[1]), np.int8)
    act[: spec.n_inputs] = inputs
    genome = np.ascontiguousarray(genome, np.int8)
    _forward(genome, spec.n_inputs, spec.n_connections, conn, src, ptr,
             spec.model == "kashtan", act, np.empty(inputs.shape[1], accumulator(genome, spec)))
    return act


@nb.njit(cache=True, inline="always")
def live_row(genome, n_conn, src, dst, n_nodes, n_out, reach, out):
    """``out[:n_conn]`` = the connections of one genome on a path to an output (``reach``: a
    scratch flag per node)."""
    reach[:] = False
    reach[n_nodes - n_out:] = True
    # genome order is by destination layer, so going backwards settles a node's
    # reach (through its outgoing connections) before its incoming ones are read
    for k in range(n_conn - 1, -1, -1):
        if genome[k] != 0 and reach[dst[k]]:
            reach[src[k]] = True
            out[k] = genome[k]
        else:
            out[k] = 0


@nb.njit(cache=True)
def _live(pop, n_conn, src, dst, n_nodes, n_out, out):
    reach = np.zeros(n_nodes, np.bool_)
    for i in range(pop.shape[0]):
        live_row(pop[i], n_conn, src, dst, n_nodes, n_out, reach, out[i])
        out[i, n_conn:] = pop[i, n_conn:]


def live(pop: np.ndarray, spec: NetSpec) -> np.ndarray:
    """A copy of ``pop`` with every connection that ``simplify`` drops set to 0: connections
    into neurons with no path to an output (Clune et al.'s code charges no cost for them)."""
    pop = np.ascontiguousarray(pop, np.int8)
    out = np.empty_like(pop)
    src, dst = spec.connections()
    _live(pop, spec.n_connections, src, dst, spec.n_nodes, spec.n_outputs, out)
    return out


def simplify(genome: np.ndarray, spec: NetSpec) -> tuple[np.ndarray, np.ndarray]:
    """Directed 0/1 adjacency of the network as Clune et al. analyse it, and its node indices:
    hidden neurons with no path to an output are dropped, then nodes left without edges."""
    src, dst = spec.connections()
    w = np.asarray(genome[: spec.n_connections])
    live_src, live_dst = src[w != 0], dst[w != 0]
    outputs = set(range(spec.n_nodes - spec.n_outputs, spec.n_nodes))
    reach = set(outputs)
    for _ in range(len(spec.layers)):          # one layer back per pass
        reach |= {int(s) for s, d in zip(live_src, live_dst) if d in reach}
    hidden_dead = {n for n in range(spec.n_inputs, spec.n_nodes) if n not in reach}
    edges = [(int(s), int(d)) for s, d in zip(live_src, live_dst) if s not in hidden_dead and d not in hidden_dead]
    nodes = np.array(sorted({n for e in edges for n in e}), dtype=np.int64)
    pos = {n: i for i, n in enumerate(nodes)}
    adj = np.zeros((nodes.size, nodes.size), np.int8)
    for s, d in edges:
        adj[pos[s], pos[d]] = 1
    return adj, nodes


def diversity(answers: np.ndarray) -> np.ndarray:
    """Behavioural diversity (Mouret & Doncieux; Clune et al.'s code): each network's mean
    Hamming distance, as a fraction of its answers, to every network of the population."""
    m = answers.mean(axis=0)
    return np.where(answers, 1.0 - m, m).mean(axis=1)
