"""A xorshift64* stream on a one-element uint64 array, for Numba kernels.

Kernels that draw many numbers in a loop (degree-preserving swaps, NSGA-II's
probabilistic dominance, network mutation) seed one of these from the run's numpy
Generator (``rng.integers(1 << 63)``) and draw from it, so a run is still reproduced
by the Generator's state alone.
"""
from __future__ import annotations

import numba as nb
import numpy as np


@nb.njit(cache=True)
def next_u64(state):
    """The next 64-bit value; advances ``state[0]``."""
    x = state[0]
    x ^= x >> np.uint64(12)
    x ^= x << np.uint64(25)
    x ^= x >> np.uint64(27)
    state[0] = x
    return x * np.uint64(0x2545F4914F6CDD1D)


@nb.njit(cache=True)
def below_mod(state, n):
    """An integer in [0, n) by the modulo of the top 53 bits (Qm's swap chains)."""
    return np.int64((next_u64(state) >> np.uint64(11)) % np.uint64(n))


@nb.njit(cache=True, inline="always")
def uniform(state):
    """A float in [0, 1) with 53 random bits."""
    return (next_u64(state) >> np.uint64(11)) * (1.0 / 9007199254740992.0)


@nb.njit(cache=True, inline="always")
def below(state, n):
    """An integer in [0, n) by scaling a uniform float (network mutation)."""
    return min(int(uniform(state) * n), n - 1)
