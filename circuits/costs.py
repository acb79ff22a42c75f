"""Connection costs of layered networks, for whole populations.

* ``"count"``: the number of connections.
* ``"fixed"``: summed squared length of the connections, every node at its given coordinates.
* ``"l1"``, ``"l2"``: summed L1 (city-block) or Euclidean length at the given coordinates: a cost
  that grows more slowly with distance than the square (local against total cost, issue 11).
* ``"optimal"``: the same as ``"fixed"``, with the hidden neurons moved to the positions that minimise it
  (inputs and outputs stay fixed), as Clune et al. did. Per coordinate that minimum solves
  ``L_hh p_h = A_hf p_f`` (a graph Laplacian restricted to the hidden nodes); it is solved by
  Cholesky with a ridge of 1e-9, which also pins hidden groups that touch no fixed node (their
  edges then cost 0, their true minimum).
* ``"l1_optimal"``, ``"l2_optimal"``: summed L1 or Euclidean length with the hidden neurons
  placed to minimise it (a convex problem, solved by iteratively reweighted least squares from
  the squared optimum; checked against a linear program for L1 and a general minimiser for L2).
  A hidden group that touches no fixed node (only with ``simplified=False``) shrinks to a point,
  its weights grow to 1e7 and the factor loses a pivot: the reweighting then stops where it is
  (it used to raise ZeroDivisionError or return NaN; now within 1e-6 of the LP optimum).
  Unlike the squared length these do not pull a neuron towards the mean of its neighbours but
  to a median, so a long connection costs in proportion to its length, not its square.

Default coordinates are the paper's (Clune et al. 2013): inputs at x = -3.5 .. 3.5, y = 0;
first hidden layer the same at y = 1; second at x = -2, -1, 1, 2, y = 2; third at x = -1, 1,
y = 3; output at (0, 4).

>>> import numpy as np
>>> from circuits.network import NetSpec
>>> spec = NetSpec((1, 1, 1))
>>> g = np.array([1, 1, 0, 0], np.int8)            # input -> hidden -> output
>>> xy = np.array([[0.0, 0.0], [5.0, 1.0], [0.0, 4.0]])
>>> float(costs(g[None], spec, "fixed", xy)[0])           # (25 + 1) + (25 + 9)
60.0
>>> round(float(costs(g[None], spec, "optimal", xy)[0]), 6)  # hidden moves to (0, 2): 4 + 4
8.0
"""
from __future__ import annotations

import numba as nb
import numpy as np

from circuits.network import NetSpec, live_row

KINDS = ("count", "fixed", "optimal", "l1", "l2", "l1_optimal", "l2_optimal")
OPTIMAL = ("optimal", "l1_optimal", "l2_optimal")     # kinds that place the hidden neurons (memoised)
LAYOUTS = ("paper", "interleaved", "shuffled")


def default_coordinates(spec: NetSpec) -> np.ndarray:
    """Clune et al.'s node coordinates for an 8-8-4-2-1 network; evenly spread rows otherwise."""
    if spec.layers == (8, 8, 4, 2, 1):
        xs = [np.arange(-3.5, 4), np.arange(-3.5, 4), [-2, -1, 1, 2], [-1, 1], [0]]
    else:
        xs = [np.arange(n) - (n - 1) / 2 for n in spec.layers]
    return np.array([(x, y) for y, row in enumerate(xs) for x in row], dtype=float)


def place_inputs(xy: np.ndarray, n_inputs: int, layout: str = "paper", seed: int = 0) -> np.ndarray:
    """``xy`` with its first ``n_inputs`` rows (the inputs' places) reassigned by ``layout``:
    ``paper`` (in order), ``interleaved`` (the two halves alternate: 0, n/2, 1, n/2+1, ...),
    ``shuffled`` (a random order from ``default_rng(seed)``). Only the inputs move."""
    if layout not in LAYOUTS:
        raise ValueError(f"unknown layout {layout!r}; choose one of {', '.join(LAYOUTS)}")
    n = n_inputs
    if layout == "interleaved":
        half = n // 2
        order = [i for pair in zip(range(half), range(half, 2 * half)) for i in pair] + list(range(2 * half, n))
    elif layout == "shuffled":
        order = np.random.default_rng(seed).permutation(n).tolist()
    else:
        order = list(range(n))
    xy = np.array(xy, dtype=float)
    slots = xy[:n].copy()
    for slot, node in enumerate(order):        # input ``node`` takes the ``slot``-th place
        xy[node] = slots[slot]
    return xy


def layout_coordinates(spec: NetSpec, layout: str = "paper", seed: int = 0) -> np.ndarray:
    """Default coordinates with the inputs placed by ``layout`` (``place_inputs``): for the retina,
    ``paper`` puts the left half's pixels, then the right's; ``interleaved`` alternates them
    (p0 p4 p1 p5 ...). The question is which inputs sit next to which."""
    return place_inputs(default_coordinates(spec), spec.n_inputs, layout, seed)


def check_coordinates(spec: NetSpec, xy) -> np.ndarray:
    xy = np.asarray(xy, dtype=float)
    if xy.shape != (spec.n_nodes, 2):
        raise ValueError(f"coordinates must be {spec.n_nodes} (x, y) pairs for layers {list(spec.layers)}, "
                         f"got shape {xy.shape}")
    return xy


@nb.njit(cache=True)
def _place(genome, n_conn, src, dst, xy, hidden_index, active, m, wts, lap, rhs, l, pos, x, y):
    """Move the active hidden neurons to the minimum of sum_k wts[k, c] (p_src - p_dst)_c^2, per
    coordinate c: the weighted Laplacian system ``L_hh p_h = A_hf p_f``, by Cholesky with a ridge.
    Returns False, positions half moved, when a pivot is not positive (see ``_optimal``)."""
    # the second coordinate reuses the first's factor when the weights agree (squared and
    # Euclidean lengths): the same sums in the same order, so the same bits, for half the work
    same = True
    for k in range(n_conn):
        if genome[k] != 0 and wts[k, 0] != wts[k, 1]:
            same = False
    for c in range(2):
        factor = c == 0 or not same
        if factor:
            lap[:m, :m] = 0.0
        rhs[:m, c] = 0.0
        for k in range(n_conn):
            if genome[k] == 0:
                continue
            a, b, w = src[k], dst[k], wts[k, c]
            for end in range(2):
                me, other = (a, b) if end == 0 else (b, a)
                h = hidden_index[me]
                if h < 0:
                    continue
                h = active[h]
                ho = hidden_index[other]
                if factor:
                    lap[h, h] += w
                if ho >= 0:
                    if factor:
                        lap[h, active[ho]] -= w
                else:
                    rhs[h, c] += w * xy[other, c]
        if factor:
            for h in range(m):
                lap[h, h] += 1e-9
            for i in range(m):                 # lap = l l^T
                for j in range(i + 1):
                    s = lap[i, j]
                    for t in range(j):
                        s -= l[i, t] * l[j, t]
                    if i == j and not s > 0.0:
                        return False           # no longer positive definite in floating point
                    l[i, j] = np.sqrt(s) if i == j else s / l[j, j]
        for i in range(m):
            s = rhs[i, c]
            for t in range(i):
                s -= l[i, t] * y[t]
            y[i] = s / l[i, i]
        for i in range(m - 1, -1, -1):
            s = y[i]
            for t in range(i + 1, m):
                s -= l[t, i] * x[t]
            x[i] = s / l[i, i]
        for n in range(hidden_index.size):
            h = hidden_index[n]
            if h >= 0 and active[h] >= 0:
                pos[n, c] = x[active[h]]
    return True


@nb.njit(cache=True)
def _optimal(genome, n_conn, src, dst, xy, hidden_index, n_hidden, lap, rhs, l, pos, x, y, active, wts, metric):
    """The cost with the hidden neurons placed optimally: exact for squared lengths (metric 0);
    for L1 (1) and Euclidean (2) lengths by iteratively reweighted least squares from the
    squared optimum (each pass minimises a quadratic that touches the length at the current
    positions, so the cost never rises; stops when it falls by less than 1e-8 relative: within ~1e-6 of the exact L1 optimum)."""
    # only hidden neurons with connections enter the system (sparse networks solve a small one)
    active[:] = -1
    m = 0
    for k in range(n_conn):
        if genome[k] != 0:
            for node in (src[k], dst[k]):
                h = hidden_index[node]
                if h >= 0 and active[h] < 0:
                    active[h] = m
                    m += 1
    wts[:, :] = 1.0
    pos[:, :] = xy
    if not _place(genome, n_conn, src, dst, xy, hidden_index, active, m, wts, lap, rhs, l, pos, x, y):
        pos[:, :] = xy          # unit weights and the ridge keep the system definite; guard all the same
    if metric == 0 or m == 0:
        return _length(genome, n_conn, src, dst, pos, metric)
    best = _length(genome, n_conn, src, dst, pos, metric)
    for _ in range(500):
        for k in range(n_conn):
            if genome[k] != 0:
                dx = abs(pos[src[k], 0] - pos[dst[k], 0])
                dy = abs(pos[src[k], 1] - pos[dst[k], 1])
                if metric == 1:
                    wts[k, 0] = 1.0 / max(dx, 1e-7)
                    wts[k, 1] = 1.0 / max(dy, 1e-7)
                else:
                    wts[k, 0] = wts[k, 1] = 1.0 / max(np.sqrt(dx * dx + dy * dy), 1e-7)
        # a connection collapsed to (near) zero length weighs up to 1e7 against the 1e-9 ridge; when
        # that leaves the system indefinite in floating point (a group of hidden neurons anchored to
        # no input or output shrinking to a point), the last positions stand
        if not _place(genome, n_conn, src, dst, xy, hidden_index, active, m, wts, lap, rhs, l, pos, x, y):
            return best
        cost = _length(genome, n_conn, src, dst, pos, metric)
        if cost > best * (1.0 - 1e-8):
            return min(cost, best)
        best = cost
    return best


@nb.njit(cache=True)
def _length(genome, n_conn, src, dst, pos, metric):
    """Summed length of the connections: squared (0), L1 (1) or Euclidean (2)."""
    total = 0.0
    for k in range(n_conn):
        if genome[k] != 0:
            dx = pos[src[k], 0] - pos[dst[k], 0]
            dy = pos[src[k], 1] - pos[dst[k], 1]
            if metric == 0:
                total += dx * dx + dy * dy
            elif metric == 1:
                total += abs(dx) + abs(dy)
            else:
                total += np.sqrt(dx * dx + dy * dy)
    return total


@nb.njit(cache=True)
def _costs(pop, n_conn, src, dst, xy, hidden_index, n_hidden, kind, keys, values, out, simplified, n_nodes, n_out):
    lap = np.empty((n_hidden, n_hidden))
    rhs = np.empty((n_hidden, 2))
    l = np.empty((n_hidden, n_hidden))
    pos = np.empty_like(xy)
    x = np.empty(n_hidden)
    y = np.empty(n_hidden)
    active = np.empty(n_hidden, np.int64)
    wts = np.empty((n_conn, 2))
    reach = np.zeros(n_nodes, np.bool_)
    scratch = np.zeros(n_conn, np.int8)
    metric = 1 if kind == 5 else 2 if kind == 6 else 0     # optimal placement: squared, L1, Euclidean
    key = np.empty(keys.shape[1], np.uint64)
    mask = keys.shape[0] - 1
    memoised = keys.shape[0] > 0 and (kind == 2 or kind >= 5)
    slot = 0
    for i in range(pop.shape[0]):
        g = pop[i]
        if simplified:
            live_row(pop[i], n_conn, src, dst, n_nodes, n_out, reach, scratch)
            g = scratch
        if memoised:
            # keyed by the connections charged: many genomes differ only in dead ones
            slot = _pattern(g, n_conn, key) & mask
            hit = not np.isnan(values[slot])
            for w in range(key.size):
                hit = hit and keys[slot, w] == key[w]
            if hit:
                out[i] = values[slot]
                continue
        if kind == 0:
            c = 0.0
            for k in range(n_conn):
                c += g[k] != 0
        elif kind == 1:
            c = _length(g, n_conn, src, dst, xy, 0)
        elif kind == 3 or kind == 4:
            c = _length(g, n_conn, src, dst, xy, kind - 2)
        else:
            c = _optimal(g, n_conn, src, dst, xy, hidden_index, n_hidden, lap, rhs, l, pos, x, y, active, wts, metric)
        if memoised:
            values[slot] = c
            keys[slot] = key
        out[i] = c


@nb.njit(cache=True)
def _pattern(genome, n_conn, key):
    """Which connections exist, as bits in ``key``; returns a hash of them."""
    key[:] = 0
    for k in range(n_conn):
        if genome[k] != 0:
            key[k >> 6] |= np.uint64(1) << np.uint64(k & 63)
    h = np.uint64(0x9E3779B97F4A7C15)
    for w in range(key.size):
        h = (h ^ key[w]) * np.uint64(0xBF58476D1CE4E5B9)
        h ^= h >> np.uint64(31)
    return np.int64(h >> np.uint64(1))


class Memo:
    """Optimal-placement costs by connection pattern, kept across calls.

    The optimal cost depends only on which connections exist, and most offspring keep
    their parent's pattern (only weights or biases change) or share it with relatives, so
    a direct-mapped table of ``slots`` patterns (exact keys; a collision just recomputes)
    saves most of the linear solves.
    """

    def __init__(self, spec: NetSpec, xy=None, slots: int = 1 << 14):
        if slots < 1 or slots & (slots - 1):
            raise ValueError(f"memo slots must be a power of two, got {slots}")
        self.xy = default_coordinates(spec) if xy is None else check_coordinates(spec, xy)
        self.keys = np.zeros((slots, (spec.n_connections + 63) // 64), np.uint64)
        self.values = np.full(slots, np.nan)
        self.kind = None            # (cost kind, simplified) it holds, set on first use


def costs(pop: np.ndarray, spec: NetSpec, kind: str = "optimal", xy=None, memo: Memo | None = None,
          simplified: bool = False) -> np.ndarray:
    """Connection cost of every network in ``pop``; ``simplified``: of its connections on a path
    to an output only (``network.live``; Clune et al.'s code). ``memo`` (for the ``OPTIMAL`` kinds,
    one per spec, coordinates, kind and ``simplified``) remembers the costs of connection
    patterns already seen."""
    if kind not in KINDS:
        raise ValueError(f"unknown connection cost {kind!r}; choose one of {', '.join(KINDS)}")
    xy = default_coordinates(spec) if xy is None else check_coordinates(spec, xy)
    src, dst = spec.connections()
    layer = spec.layer_of()
    hidden = (layer > 0) & (layer < len(spec.layers) - 1)
    hidden_index = np.full(spec.n_nodes, -1, np.int64)
    hidden_index[hidden] = np.arange(hidden.sum())
    if memo is not None and not np.array_equal(memo.xy, xy):
        raise ValueError("this cost memo was made for other coordinates")
    if memo is not None:
        if memo.kind not in (None, (kind, simplified)):
            raise ValueError(f"this cost memo holds {memo.kind!r} costs, not {(kind, simplified)!r}")
        memo.kind = (kind, simplified)
    keys, values = (memo.keys, memo.values) if memo is not None else (np.zeros((0, 1), np.uint64), np.zeros(0))
    out = np.empty(len(pop))
    _costs(np.ascontiguousarray(pop, np.int8), spec.n_connections, src, dst, xy, hidden_index,
           int(hidden.sum()), KINDS.index(kind), keys, values, out, simplified, spec.n_nodes, spec.n_outputs)
    return out
