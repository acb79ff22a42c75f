"""At what hill-climbing budget does Qmax (and so Qm) stop moving?

Qm = (Q - Qrand) / (Qmax - Qrand) with Qmax the best Q found by ``qmax_restarts`` climbs of
``qmax_steps`` degree-preserving swaps (``circuits.qm``). For a few graphs (the textbook
modular G1 circuit, its G2 twin, a modular retina network) this prints Qm at growing
budgets, so a config can pick the smallest budget at which Qm is stable to 0.01.

    python bench/qmax_budget.py
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from circuits import graph, network  # noqa: E402
from circuits.modularity import best_partition  # noqa: E402
from circuits.nand import NandSpec  # noqa: E402
from circuits.qm import Normalizer  # noqa: E402
from circuits.examples import MODULAR_G1, MODULAR_G2  # noqa: E402

BUDGETS = [(1000, 2), (2000, 2), (5000, 2), (5000, 5), (20000, 5)]


def graphs():
    spec = NandSpec(4, 12)
    yield "textbook G1 circuit (undirected)", graph.adjacency(np.array(MODULAR_G1, np.int32), spec)[0], "undirected"
    yield "textbook G2 circuit (undirected)", graph.adjacency(np.array(MODULAR_G2, np.int32), spec)[0], "undirected"
    from test_network import modular_retina
    spec, g = modular_retina()
    yield "modular retina network (directed)", network.simplify(g, spec)[0], "directed"


def main():
    for name, adj, kind in graphs():
        q = best_partition(adj, kind)[0]
        print(f"{name}: Q = {q:.3f}")
        for steps, restarts in BUDGETS:
            t0 = time.perf_counter()
            norm = Normalizer(kind=kind, qmax_steps=steps, qmax_restarts=restarts, cache={})
            qrand, qmax = norm.reference(adj)
            print(f"  qmax_steps {steps:6d} x {restarts}: Qrand {qrand:.4f}  Qmax {max(qmax, q):.4f}  "
                  f"Qm {norm.qm(adj, q):.3f}  ({time.perf_counter() - t0:.1f} s)")


if __name__ == "__main__":
    main()
