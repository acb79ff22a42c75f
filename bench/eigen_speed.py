"""The leading eigenpair (circuits/eigen.py) against LAPACK's full eigendecomposition
(``np.linalg.eigh`` from Numba), on modularity matrices of random sparse graphs, by size.

    python bench/eigen_speed.py [--matrices 3000]

Prints microseconds per matrix both ways and their ratio, one core. Recursive bisection solves
one matrix per module it tries to split: in the Qm references of Kashtan & Alon's retina networks
about six per partition, most of 2 to 8 rows, the first of 8 to 22.
"""
from __future__ import annotations

import os

for var in ("NUMBA_NUM_THREADS", "OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[var] = "1"

import argparse  # noqa: E402
import time  # noqa: E402

import numba as nb  # noqa: E402
import numpy as np  # noqa: E402

from circuits.eigen import leading, workspace  # noqa: E402
from circuits.modularity import modularity_matrix  # noqa: E402


@nb.njit(cache=True)
def _ours(mats):
    work = workspace(mats[0].shape[0])
    total = 0.0
    for a in mats:
        total += leading(a, -np.inf, work)
    return total


@nb.njit(cache=True)
def _lapack(mats):
    total = 0.0
    for a in mats:
        total += np.linalg.eigh(a)[0][-1]
    return total


def matrices(n: int, count: int, rng) -> nb.typed.List:
    out = nb.typed.List()
    while len(out) < count:
        adj = (rng.random((n, n)) < 3.0 / n).astype(np.int8)         # about 3 links a node
        np.fill_diagonal(adj, 0)
        if adj.sum():
            out.append(modularity_matrix(adj)[0])
    return out


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--matrices", type=int, default=3000)
    a = p.parse_args(argv)
    rng = np.random.default_rng(0)
    print(f"{'rows':>5} {'eigh µs':>9} {'leading µs':>11} {'ratio':>6}")
    for n in (3, 5, 8, 12, 16, 22, 30):
        mats = matrices(n, a.matrices, rng)
        times = []
        for f in (_lapack, _ours):
            f(mats)                                  # compile
            t0 = time.perf_counter()
            f(mats)
            times.append((time.perf_counter() - t0) / len(mats) * 1e6)
        print(f"{n:>5} {times[0]:>9.2f} {times[1]:>11.2f} {times[0] / times[1]:>6.1f}")


if __name__ == "__main__":
    main()
