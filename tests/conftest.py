from circuits import blas  # noqa: F401  -- first: the same OpenBLAS kernels as the command line (circuits/blas.py)
import importlib.util

import numpy as np
import pytest

from circuits.nand import NandSpec

X, Y, Z, W = 0, 1, 2, 3


def gate(k):
    """Node index of gate k in a 4-input circuit."""
    return 4 + k


# Two 4-NAND XORs (X^Y in g0-g3, Z^W in g4-g7) feeding an AND (g8 = NAND, g9 = NOT g8): solves G1.
MODULAR_G1 = [X, Y, X, gate(0), Y, gate(0), gate(1), gate(2),
              Z, W, Z, gate(4), W, gate(4), gate(5), gate(6),
              gate(3), gate(7), gate(8), gate(8), X, X, X, X, gate(9)]


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


@pytest.fixture
def replication_script():
    """Load a script of replications/ (not a package) by name: ``replication_script("size_census")``."""
    def load(name):
        spec = importlib.util.spec_from_file_location(name, f"replications/{name}.py")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module
    return load
