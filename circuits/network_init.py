"""Start genomes of layered networks, and the per-neuron layout the Kashtan & Alon operators use.

Genome layout: ``circuits.network``. Random numbers come from the numpy Generator passed in.
"""
from __future__ import annotations

import functools

import numpy as np

from circuits.network import NetSpec

WEIGHTS = np.array([-2, -1, 1, 2], np.int8)     # Clune et al.'s connection weights


def random_networks(spec: NetSpec, size: int, rng: np.random.Generator, max_connections: int = 120,
                    bias_range=(-2, 2)) -> np.ndarray:
    """Clune et al.'s initial networks: a uniform number of connections in [0, max_connections),
    capped at the number possible, with uniform weights and biases."""
    pop = np.zeros((size, spec.length), np.int8)
    n = np.minimum(rng.integers(0, max_connections, size=size), spec.n_connections)
    for i in range(size):
        slots = rng.choice(spec.n_connections, n[i], replace=False)
        pop[i, slots] = rng.choice(WEIGHTS, n[i])
    pop[:, spec.n_connections:] = rng.integers(bias_range[0], bias_range[1] + 1, size=(size, spec.n_neurons))
    return pop


# Kashtan & Alon 2005: their genome has one gene per neuron: its input connections (weight +-1
# each; a repeated connection adds up) and its threshold. Here a neuron's gene is its block of
# incoming net weights plus its bias (= minus the threshold); its fan-in is the sum of |weights|.

@functools.lru_cache(maxsize=None)
def neuron_slices(spec: NetSpec):
    """Per neuron (in node order): (first genome index of its incoming weights, fan-in width,
    source node offset, bias index)."""
    src, dst = spec.connections()
    out = []
    for node in range(spec.n_inputs, spec.n_nodes):
        idx = np.flatnonzero(dst == node)
        out.append((int(idx[0]), idx.size, int(src[idx[0]]), spec.n_connections + node - spec.n_inputs))
    slices = np.array(out, np.int64)
    slices.flags.writeable = False        # cached: shared by every call
    return slices


@functools.lru_cache(maxsize=None)
def fan_in_limits(spec: NetSpec, hidden: int, output: int) -> np.ndarray:
    """Per neuron (in node order): the most +-1 units it may receive (Kashtan & Alon's fan-in)."""
    limits = np.array([output if node >= spec.n_nodes - spec.n_outputs else hidden
                       for node in range(spec.n_inputs, spec.n_nodes)], np.int64)
    limits.flags.writeable = False
    return limits


def kashtan_networks(spec: NetSpec, size: int, rng: np.random.Generator, hidden_fan_in: int = 3,
                     output_fan_in: int = 2, bias_range=(-3, 3)) -> np.ndarray:
    """Random networks within the fan-in limits: each neuron gets up to its limit of +-1 units
    from random sources of the layer below, and a random threshold."""
    pop = np.zeros((size, spec.length), np.int8)
    limits = fan_in_limits(spec, hidden_fan_in, output_fan_in)
    for (start, width, _, bias), limit in zip(neuron_slices(spec), limits):
        for i in range(size):
            for _ in range(int(rng.integers(1, limit + 1))):
                pop[i, start + rng.integers(width)] += rng.choice((-1, 1))
        pop[:, bias] = rng.integers(bias_range[0], bias_range[1] + 1, size=size)
    return pop


def weights_problem(pop: np.ndarray, spec: NetSpec, fan_in=(3, 2)) -> str | None:
    """Why genomes hold connection weights their neuron model never makes, or None if they do not:
    Clune et al.'s weights are 0 (absent) or one of ``WEIGHTS``; Kashtan & Alon's +-1 units add up,
    per neuron, to at most its fan-in (``fan_in`` = hidden, output)."""
    w = np.atleast_2d(np.asarray(pop))[:, :spec.n_connections].astype(np.int64)
    if spec.model == "kashtan":
        limits = fan_in_limits(spec, *fan_in)
        for (start, width, _, _), limit in zip(neuron_slices(spec), limits):
            units = np.abs(w[:, start:start + width]).sum(axis=1)
            if (units > limit).any():
                return (f"a neuron receives {int(units.max())} weight units, more than its fan-in of {limit} "
                        f"(Kashtan & Alon's model)")
        return None
    bad = ~np.isin(w, np.concatenate([[0], WEIGHTS]))
    if bad.any():
        return f"connection weight {int(w[bad][0])}; Clune et al.'s model has 0 (absent) or {WEIGHTS.tolist()}"
    return None
