"""Variation of layered integer-weight networks (genome layout: circuits.network).

Same signature as ``evo.operators``: ``op(pop, protect, rng, bounds, **params)``
changes unprotected rows in place. ``bounds`` is unused here: the genome layout
comes from ``spec``, bound by the toolbox.
"""
from __future__ import annotations

import numba as nb
import numpy as np

from circuits.network import NetSpec
from circuits.network_init import WEIGHTS, fan_in_limits, neuron_slices
from circuits.xorshift import below as _below
from circuits.xorshift import uniform as _uniform
from evo.operators import pairs

ENDS = ("stay", "reflect")


@nb.njit(cache=True)
def _clune(pop, protect, n_conn, seed, p_add, p_remove, p_bias, bias_lo, bias_hi, weights, stay):
    state = np.array([seed | np.uint64(1)], dtype=np.uint64)
    n_w = weights.size
    for i in range(pop.shape[0]):
        if protect[i]:
            continue
        g = pop[i]
        m = 0
        for k in range(n_conn):
            m += g[k] != 0
        if m > 0:
            pw = 2.0 / m
            for k in range(n_conn):
                if g[k] != 0 and _uniform(state) < pw:
                    idx = 0
                    while idx < n_w - 1 and weights[idx] != g[k]:
                        idx += 1             # bounded: a weight off the list (refused on load) ends at its end
                    if stay:                     # Sferes2: a step off the list's end stays put
                        idx = min(max(idx + (1 if _uniform(state) < 0.5 else -1), 0), n_w - 1)
                    elif idx == 0:
                        idx = 1
                    elif idx == n_w - 1:
                        idx = n_w - 2
                    else:
                        idx += 1 if _uniform(state) < 0.5 else -1
                    g[k] = weights[idx]
        for b in range(n_conn, g.size):
            if _uniform(state) < p_bias:
                g[b] = bias_lo + _below(state, bias_hi - bias_lo + 1)
        if _uniform(state) < p_add and m < n_conn:
            r = _below(state, n_conn - m)          # the r-th absent connection
            for k in range(n_conn):
                if g[k] == 0:
                    if r == 0:
                        g[k] = weights[_below(state, n_w)]
                        m += 1
                        break
                    r -= 1
        if _uniform(state) < p_remove and m > 0:
            r = _below(state, m)                   # the r-th present connection
            for k in range(n_conn):
                if g[k] != 0:
                    if r == 0:
                        g[k] = 0
                        break
                    r -= 1


def clune_mutation(pop, protect, rng, bounds=None, spec: NetSpec = NetSpec(), add: float = 0.2,
                   remove: float = 0.2, bias: float = 1 / 24, bias_range=(-2, 2), ends: str = "stay"):
    """Clune et al. 2013: each connection's weight steps to a neighbour in (-2, -1, 1, 2) with
    probability 2 / (number of connections); each bias is redrawn with probability ``bias``; one
    connection is added with probability ``add`` and one removed with probability ``remove``.
    ``ends`` (OPEN in the paper): at -2 or 2 a step off the list ``"stay"``s put (half the
    time, as the authors' Sferes2 code) or is ``"reflect"``ed back inward (always moves).

    Parameters: probabilities ``add``, ``remove``, ``bias``; ``bias_range`` (inclusive) for
    redrawn biases; ``spec`` (bound by the toolbox) the genome layout. Changes ``pop`` in
    place. Random: one seed from ``rng`` starts a xorshift stream (``circuits.xorshift``).
    """
    for name, p in (("add", add), ("remove", remove), ("bias", bias)):
        if not 0 <= p <= 1:
            raise ValueError(f"{name} = {p} is a probability and must lie in [0, 1]")
    if ends not in ENDS:
        raise ValueError(f"ends = {ends!r}; choose one of {', '.join(ENDS)}")
    _clune(pop, protect, spec.n_connections, np.uint64(rng.integers(1 << 63)), add, remove, bias,
           int(bias_range[0]), int(bias_range[1]), WEIGHTS, ends == "stay")


# ---- Kashtan & Alon 2005 (neuron genes: circuits.network_init) ---------------

@nb.njit(cache=True)
def _kashtan(pop, protect, neurons, limits, seed, rate, bias_lo, bias_hi):
    state = np.array([seed | np.uint64(1)], dtype=np.uint64)
    for i in range(pop.shape[0]):
        if protect[i] or _uniform(state) >= rate:
            continue
        g = pop[i]
        k = _below(state, neurons.shape[0])
        start, width, _, bias = neurons[k]
        units = 0
        for t in range(width):
            units += abs(g[start + t])
        kind = _below(state, 3)
        if kind == 2 or (kind == 1 and units == 0):      # threshold
            g[bias] = bias_lo + _below(state, bias_hi - bias_lo + 1)
            continue
        r = _below(state, limits[k]) if kind == 0 else _below(state, units)   # one input slot
        if r >= units:                                   # an empty slot: a new unit, random source and sign
            g[start + _below(state, width)] += 1 if _uniform(state) < 0.5 else -1
            continue
        t = 0
        while r >= abs(g[start + t]):
            r -= abs(g[start + t])
            t += 1
        sign = 1 if g[start + t] > 0 else -1
        g[start + t] -= sign                             # take the unit off its source
        if kind == 0:                                    # connection: to a random source
            g[start + _below(state, width)] += sign
        else:                                            # weight: the same source, other sign
            g[start + t] -= sign


def kashtan_mutation(pop, protect, rng, bounds=None, spec: NetSpec = NetSpec(model="kashtan"), rate: float = 0.5,
                     bias_range=(-3, 3), fan_in=(3, 2)):
    """Kashtan & Alon: with probability ``rate`` per genome, one random neuron changes one
    thing, chosen uniformly: a connection, a weight or its threshold (redrawn in
    ``bias_range``, as the bias = minus the threshold).

    A neuron has ``fan_in`` input slots (hidden, output), each empty or holding a +-1 unit
    from a source in the layer below. A connection change picks one slot: an occupied one
    moves its unit to a random source, an empty one gets a new unit (random source and sign).
    A weight change flips the sign of one unit. Units that meet with opposite signs on one
    source cancel and free their slots, so the fan-in never exceeds the limit and can
    always grow back.

    ``spec`` and ``fan_in`` are bound by the toolbox from the problem. Changes ``pop`` in
    place. Random: one seed from ``rng`` starts a xorshift stream (``circuits.xorshift``).
    """
    if not 0 <= rate <= 1:
        raise ValueError(f"rate = {rate} is a probability and must lie in [0, 1]")
    _kashtan(pop, protect, neuron_slices(spec), fan_in_limits(spec, *fan_in), np.uint64(rng.integers(1 << 63)), rate,
             int(bias_range[0]), int(bias_range[1]))


def neuron_crossover(pop, protect, rng, bounds=None, spec: NetSpec = NetSpec(model="kashtan"), rate: float = 0.5,
                     pairing: str = "random"):
    """Unprotected genomes pair up (``evo.operators.pairs``: ``pairing`` random or adjacent); with probability ``rate`` a pair swaps the
    genes (incoming weights and bias) of all neurons after a random cut (one-point crossover
    over the neuron genes). Changes ``pop`` in place. Random: ``rng`` draws whether each
    pair crosses and where it is cut."""
    neurons = neuron_slices(spec)
    rows = pairs(protect, rng, pairing)
    n_pairs = rows.size // 2
    _neuron_swap(pop, rows, rng.random(n_pairs) < rate, rng.integers(1, len(neurons), size=n_pairs), neurons)


@nb.njit(cache=True)
def _neuron_swap(pop, rows, crossing, cuts, neurons):
    for k in range(crossing.size):
        if not crossing[k]:
            continue
        a, b = rows[2 * k], rows[2 * k + 1]
        for n in range(cuts[k], neurons.shape[0]):
            start, width, _, bias = neurons[n]
            for t in range(start, start + width):
                pop[a, t], pop[b, t] = pop[b, t], pop[a, t]
            pop[a, bias], pop[b, bias] = pop[b, bias], pop[a, bias]
