"""Information exchanged between node groups, measured by intervention, and measures to compare.

``exchange(values, B, C)`` is the information group B sends to group C (experiments.md item 7):
run the circuit on every input pattern (uniform), then again with B's nodes clamped to a value
``b`` drawn from B's own joint marginal, independent of the input (``do(B = b)``), and compute

    I(B -> C) = sum_b P(b) sum_c P(c | do(B=b)) log2( P(c | do(B=b)) / P(c) ),
    P(c) = sum_b P(b) P(c | do(B=b)).

Exact: every value in B's support and every input pattern is run. What is intervened on:

* a clamped node outputs ``b`` on every pattern, whatever its own inputs; nodes downstream of it
  recompute. B may span several layers: all of B is clamped at once, so paths inside B are cut.
* feed-forward networks: one pass in layer order.
* NAND circuits (feedback allowed): gates start at 0 and update synchronously ``spec.steps``
  times, as in evaluation; clamped gates hold ``b`` from the start and at every step. The value
  after the last step is used, settled or not.
* B and C must be disjoint; C is read after the intervention, so C may lie anywhere, even
  upstream of B (then I = 0).

Plain mutual information I(B; C) over the unclamped run is ``mutual_information``; it counts
information B and C share through a common input without exchanging any, which ``exchange``
does not; ``conditional_mutual_information`` removes what a third group D explains.

>>> import numpy as np
>>> from circuits.network import NetSpec
>>> spec = NetSpec((1, 1, 1))                       # a relay: x -> h -> out
>>> relay = np.array([1, 1, 0, 0], dtype=np.int8)
>>> round(exchange(network_runner(relay, spec), [1], [2]), 6)
1.0
"""
from __future__ import annotations

from typing import Callable

import numba as nb
import numpy as np

from circuits.joint_values import block_pairs, column_labels
from circuits.network import NetSpec, _neuron, _plan, accumulator, input_patterns

# runner(clamp, reps, columns, rows) -> node values (n_nodes, reps * n_columns): the input patterns
# ``columns`` (default: every one), repeated ``reps`` times, with each node of ``clamp`` held at its
# given values (one per column); ``rows``: the nodes the caller reads (a runner may leave others
# 0). A runner may also have ``keys(B, C)``: nodes whose unclamped values, together with the values
# B is clamped to, decide C (``exchange`` then runs one pattern per distinct key instead of all).
Runner = Callable[..., np.ndarray]

# Splits whose exchanges differ by less than this many bits are tied: the first one found is kept,
# so the least-exchange split does not depend on the order floating-point sums run in (before
# 2026-12-06 a last-bit difference could pick another of two tied splits, of another size)
TIE = 1e-12


def _unclamped_once(run):
    """The unclamped run (asked for by every exchange) computed once."""
    cache = {}

    def wrapped(clamp: dict, reps: int = 1, columns=None, rows=None) -> np.ndarray:
        if clamp or reps != 1 or columns is not None:
            return run(clamp, reps, columns, rows)
        if "base" not in cache:
            cache["base"] = run({}, 1)
            cache["base"].flags.writeable = False
        return cache["base"]
    return wrapped


@nb.njit(cache=True)
def _clamped_run(genome, n_conn, conn, src, ptr, step, act, clamped, base, base_cols, n_in, everything, wanted, acc):
    """Fill ``act`` (inputs and clamped rows already set) in layer order. A neuron no clamped node
    reaches keeps its unclamped values (``base`` at ``base_cols``; ``everything``: none does, the
    unclamped run itself); the others are recomputed as in evaluation (``circuits.network``: integer
    sums, exact; ``acc`` wide enough for the largest). Only the ``wanted`` rows and what they depend
    on are filled; the rest stay 0."""
    n_nodes, n_cols = act.shape
    need = wanted.copy()
    for k in range(n_nodes - n_in - 1, -1, -1):
        if need[n_in + k] and not clamped[n_in + k]:
            for t in range(ptr[k], ptr[k + 1]):
                if genome[conn[t]] != 0:
                    need[src[t]] = True
    touched = clamped.copy()
    for k in range(n_nodes - n_in):
        node = n_in + k
        if clamped[node] or not need[node]:
            continue
        reached = everything
        for t in range(ptr[k], ptr[k + 1]):
            if genome[conn[t]] != 0 and touched[src[t]]:
                reached = True
                break
        if not reached:
            for p in range(n_cols):
                act[node, p] = base[node, base_cols[p]]
            continue
        touched[node] = True
        _neuron(genome, n_conn, k, conn, src, ptr, step, act, acc, act[node])


def network_runner(genome: np.ndarray, spec: NetSpec) -> Runner:
    """A runner for a layered network: activations with clamped nodes (see module docstring)."""
    conn, src, ptr = _plan(spec)
    inputs = input_patterns(spec)
    g = np.asarray(genome)
    step = spec.model == "kashtan"
    live_src = [src[ptr[k]:ptr[k + 1]][g[conn[ptr[k]:ptr[k + 1]]] != 0] for k in range(spec.n_neurons)]
    feeds = [set(s.tolist()) for s in live_src]
    no_clamp = np.zeros(spec.n_nodes, np.bool_)
    acc_type = accumulator(g, spec)

    @_unclamped_once
    def run(clamp: dict, reps: int = 1, columns=None, rows=None) -> np.ndarray:
        cols = np.arange(inputs.shape[1]) if columns is None else np.asarray(columns, np.int64)
        act = np.zeros((spec.n_nodes, reps * cols.size), np.int8)
        act[: spec.n_inputs] = np.tile(inputs[:, cols], reps)
        clamped = no_clamp.copy()
        for node, v in clamp.items():
            act[node] = v
            clamped[node] = True
        wanted = ~no_clamp if rows is None else np.isin(np.arange(spec.n_nodes), rows)
        base = run({}, 1) if clamp else act
        _clamped_run(g, spec.n_connections, conn, src, ptr, step, act, clamped, base, np.tile(cols, reps),
                     spec.n_inputs, not clamp, wanted, np.empty(act.shape[1], acc_type))
        return act

    def keys(B, C) -> list[int]:
        """Feed-forward: C under do(B) is decided by B and the unclamped values of the nodes that
        feed B's downstream cone from outside it, and of the C nodes outside that cone."""
        cut, cone = set(B), set()
        for k in range(spec.n_neurons):
            if spec.n_inputs + k not in cut and feeds[k] & (cut | cone):
                cone.add(spec.n_inputs + k)
        edge = {s for n in cone for s in feeds[n - spec.n_inputs]} - cut - cone
        return sorted(edge | {c for c in C if c not in cone})
    run.keys = keys
    return run


def nand_runner(genome: np.ndarray, spec) -> Runner:
    """A runner for a NAND circuit (``circuits.nand.NandSpec``): node values on every row."""
    n_in, n_gates = spec.n_inputs, spec.n_gates
    rows = np.arange(spec.n_rows)
    inputs = ((rows[None, :] >> np.arange(n_in)[:, None]) & 1).astype(bool)
    a, b = np.asarray(genome[0: 2 * n_gates: 2]), np.asarray(genome[1: 2 * n_gates: 2])

    @_unclamped_once
    def run(clamp: dict, reps: int = 1, columns=None, rows=None) -> np.ndarray:
        x = inputs if columns is None else inputs[:, columns]
        val = np.zeros((n_in + n_gates, reps * x.shape[1]), bool)
        val[:n_in] = np.tile(x, reps)
        fixed = np.array(sorted(clamp), dtype=np.int64)
        held = np.zeros((len(fixed), val.shape[1]), bool)
        for i, n in enumerate(fixed):
            held[i] = clamp[n]
        val[fixed] = held
        for _ in range(spec.steps):
            val[n_in:] = ~(val[a] & val[b])
            val[fixed] = held
        return val
    return run


def _distribution(rows: np.ndarray) -> dict[bytes, float]:
    """Empirical joint distribution of the columns of ``rows`` (n_nodes, n_patterns)."""
    keys, counts = np.unique(np.ascontiguousarray(rows.T), axis=0, return_counts=True)
    return {k.tobytes(): c / rows.shape[1] for k, c in zip(keys, counts)}


def _codes(rows: np.ndarray) -> np.ndarray:
    """``joint_values.column_labels`` of ``rows`` (n_nodes, n_patterns)."""
    return column_labels(np.ascontiguousarray(rows, dtype=np.int8))[0]


def _representatives(run: Runner, base: np.ndarray, B, C):
    """One input pattern per distinct value of the runner's ``keys(B, C)``, with how many
    patterns each stands for; (None, ones) when the runner cannot say (every pattern is run)."""
    keys = run.keys(B, C) if hasattr(run, "keys") else None
    if keys is None:
        return None, np.ones(base.shape[1])
    codes = _codes(base[keys]) if keys else np.zeros(base.shape[1], np.int64)
    _, first, counts = np.unique(codes, return_index=True, return_counts=True)
    return first, counts.astype(float)


def exchange(run: Runner, B, C) -> float:
    """I(B -> C) in bits (module docstring): B clamped to draws from its own marginal."""
    B, C = list(B), list(C)
    if set(B) & set(C):
        raise ValueError(f"groups overlap: {sorted(set(B) & set(C))}")
    base = run({}, 1)
    first, counts = np.unique(_codes(base[B]), return_index=True, return_counts=True)[1:]
    values = base[B][:, first].T
    p_b = counts / counts.sum()
    n_pat, reps = base.shape[1], len(values)
    columns, weight = _representatives(run, base, B, C)
    n_col = n_pat if columns is None else len(columns)
    # one run for every clamp value at once: block i of the columns holds B = values[i]
    clamped = run({node: np.repeat(values[:, j], n_col) for j, node in enumerate(B)}, reps, columns, rows=C)[C]
    # only the (b, c) pairs that occur: at most reps x n_col of them, where a dense P(c | do(b))
    # table has reps x (distinct c) cells, most of them empty (seconds on big networks)
    c, width = column_labels(np.ascontiguousarray(clamped, dtype=np.int8))
    pairs, where = block_pairs(c, n_col)
    joint = np.bincount(where, weights=np.tile(weight, reps)) / n_pat     # P(c | do(B = b)) of each pair
    b_of, c_of = pairs // width, pairs % width
    p_c = np.bincount(c_of, weights=p_b[b_of] * joint, minlength=width)
    return float((p_b[b_of] * joint * np.log2(joint / p_c[c_of])).sum())


def mutual_information(values: np.ndarray, B, C) -> float:
    """Plain I(B; C) in bits over the unclamped run (inputs uniform)."""
    joint = _distribution(np.vstack([values[list(B)], values[list(C)]]))
    pb, pc = _distribution(values[list(B)]), _distribution(values[list(C)])
    nb = len(B) * values.itemsize
    return float(sum(p * np.log2(p / (pb[k[:nb]] * pc[k[nb:]])) for k, p in joint.items()))


def _entropy(values: np.ndarray, nodes) -> float:
    nodes = list(nodes)
    if not nodes:
        return 0.0
    p = np.unique(_codes(values[nodes]), return_counts=True)[1] / values.shape[1]
    return float(-(p * np.log2(p)).sum())


def conditional_mutual_information(values: np.ndarray, B, C, D) -> float:
    """I(B; C | D) in bits over the unclamped run: what B and C share beyond what D explains
    (D = the inputs gives 0 for any deterministic circuit; D = a common source removes what
    B and C share only through it)."""
    B, C, D = list(B), list(C), list(D)
    return max(0.0, _entropy(values, B + D) + _entropy(values, C + D) - _entropy(values, B + C + D)
               - _entropy(values, D))


def two_way(run: Runner, A, B) -> float:
    """Exchange both ways: I(A -> B) + I(B -> A)."""
    return exchange(run, A, B) + exchange(run, B, A)


def least_exchange(run: Runner, nodes, min_size: int = 2, max_exhaustive: int = 12,
                   rng: np.random.Generator | None = None, samples: int = 200, starts: int = 10) -> dict:
    """The two-way partition of ``nodes`` (each part at least ``min_size``) with the least
    two-way exchange: every partition up to ``max_exhaustive`` nodes, else a local search
    (single-node moves from ``starts`` random splits; ``exact`` says which). Also the mean
    exchange over ``samples`` random partitions with the same part sizes; ``modularity`` is
    1 - least / mean (0: no better than a random split; 1: the parts exchange nothing). Splits
    within ``TIE`` bits of each other are tied; the first found wins (splits in the order of their
    bitmask over the sorted nodes, the last node always in the second part)."""
    nodes = sorted(int(x) for x in nodes)
    n = len(nodes)
    if n < 2 * min_size:
        raise ValueError(f"{n} nodes cannot split into two parts of at least {min_size}")
    rng = np.random.default_rng(0) if rng is None else rng
    seen: dict[frozenset, float] = {}

    def cost(part: frozenset) -> float:
        if part not in seen:
            rest = [x for x in nodes if x not in part]
            seen[part] = seen[frozenset(rest)] = two_way(run, sorted(part), rest)
        return seen[part]

    if n <= max_exhaustive:
        # node n-1 always in the second part, so each split is visited once; a split whose first
        # direction already sends as much as the best so far is not finished (it cannot win)
        best, least = None, np.inf
        for m in range(1, 1 << (n - 1)):
            part = frozenset(nodes[i] for i in range(n) if m >> i & 1)
            if not min_size <= len(part) <= n - min_size:
                continue
            rest = [x for x in nodes if x not in part]
            one = exchange(run, sorted(part), rest)
            if one >= least - TIE:
                continue
            seen[part] = seen[frozenset(rest)] = total = one + exchange(run, rest, sorted(part))
            if total < least - TIE:
                best, least = part, total
    else:
        best = None
        for _ in range(starts):
            part = frozenset(rng.permutation(nodes)[: int(rng.integers(min_size, n - min_size + 1))].tolist())
            improved = True
            while improved:
                improved = False
                for x in nodes:
                    moved = part - {x} if x in part else part | {x}
                    if min_size <= len(moved) <= n - min_size and cost(moved) < cost(part) - TIE:
                        part, improved = moved, True
            if best is None or cost(part) < cost(best) - TIE:
                best = part
    size = len(best)
    random = [two_way(run, sorted(p[:size].tolist()), sorted(p[size:].tolist()))
              for p in (rng.permutation(nodes) for _ in range(samples))]
    mean = float(np.mean(random))
    return {"partition": sorted([sorted(best), sorted(set(nodes) - best)]), "exchange": cost(best),
            "random_mean": mean, "modularity": 1.0 - cost(best) / mean if mean > 0 else 0.0,
            "exact": n <= max_exhaustive}


def adjusted_rand(a, b) -> float:
    """Adjusted Rand index of two labelings of the same items (1: the same partition, ~0: chance)."""
    a, b = np.unique(a, return_inverse=True)[1].ravel(), np.unique(b, return_inverse=True)[1].ravel()
    table = np.zeros((a.max() + 1, b.max() + 1))
    np.add.at(table, (a, b), 1)

    def pairs(x):
        return (x * (x - 1) / 2).sum()
    index, rows, cols, total = pairs(table), pairs(table.sum(1)), pairs(table.sum(0)), pairs(np.array([a.size]))
    expected = rows * cols / total if total else 0.0
    top = (rows + cols) / 2
    return float((index - expected) / (top - expected)) if top != expected else 1.0


def coactivation(values: np.ndarray) -> np.ndarray:
    """Correlation of node values over every input pattern (constant nodes: 0)."""
    v = values.astype(float)
    v = v - v.mean(axis=1, keepdims=True)
    norm = np.sqrt((v * v).sum(axis=1))
    out = (v @ v.T) / np.where(norm[:, None] * norm[None, :] > 0, norm[:, None] * norm[None, :], np.inf)
    return out
