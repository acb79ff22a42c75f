from circuits import blas  # noqa: F401  -- first: the same OpenBLAS kernels as the command line (circuits/blas.py)

import numpy as np
import pytest

from circuits.nand import NandSpec

from circuits.examples import MODULAR_G1, X, Y, Z, W, gate  # noqa: F401  (tests import them from here)


@pytest.fixture
def spec4():
    return NandSpec(4, 12)


@pytest.fixture
def modular_g1():
    return np.array(MODULAR_G1, dtype=np.int32)


def wire(spec, pairs, biases):
    """A network genome from {(source, target): weight} and {neuron: bias} (node numbers)."""
    src, dst = spec.connections()
    index = {(int(s), int(d)): k for k, (s, d) in enumerate(zip(src, dst))}
    g = np.zeros(spec.length, np.int8)
    for (s, d), w in pairs.items():
        g[index[(s, d)]] = w
    for node, b in biases.items():
        g[spec.n_connections + node - spec.n_inputs] = b
    return g


