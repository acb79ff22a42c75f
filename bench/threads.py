"""When does scoring one population in parallel pay? Network evaluation, one call per generation.

Compares, per population size and network size: one thread; the population split over
Numba threads (``network.evaluate(..., threads=T)``); and split over worker processes
(a spawn pool, halves sent by pickling, the way a process pool would score a population).
Ratios are against one thread in the same run. Random networks at the density of evolved
P&CC networks (about 30 % of the possible connections).

Run: ``python bench/threads.py [threads]`` (default: all cores). Run it on an idle machine.
"""
from __future__ import annotations

import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

import numpy as np  # noqa: E402

from circuits.network import NetSpec, evaluate, input_patterns  # noqa: E402

SIZES = (250, 1000, 4000, 16000)
NETS = ((8, 8, 4, 2, 1), (10, 20, 10, 5, 1))


def population(spec: NetSpec, size: int, rng) -> np.ndarray:
    pop = np.zeros((size, spec.length), np.int8)
    present = rng.random((size, spec.n_connections)) < 0.3
    pop[:, : spec.n_connections] = np.where(present, rng.choice(np.array([-2, -1, 1, 2], np.int8), present.shape), 0)
    pop[:, spec.n_connections:] = rng.integers(-2, 3, (size, spec.n_neurons))
    return pop


def _score(layers, pop, targets):
    spec = NetSpec(layers)
    return evaluate(pop, spec, input_patterns(spec), targets)


def timed(f, repeat: int) -> float:
    f()
    t0 = time.perf_counter()
    for _ in range(repeat):
        f()
    return (time.perf_counter() - t0) / repeat


def main():
    threads = int(sys.argv[1]) if len(sys.argv) > 1 else os.cpu_count()
    rng = np.random.default_rng(0)
    print(f"network evaluation per generation, {threads} threads / processes vs one thread ({os.cpu_count()} cores)")
    print("| layers | population | one thread, ms | threads, ms | ratio | processes, ms | ratio |")
    print("|---|---|---|---|---|---|---|")
    with ProcessPoolExecutor(threads, mp_context=get_context("spawn")) as pool:
        for layers in NETS:
            spec = NetSpec(layers)
            inputs = input_patterns(spec)
            targets = rng.random((1, inputs.shape[1])) < 0.5
            for size in SIZES:
                pop = population(spec, size, rng)
                repeat = max(3, 4000 // size * 5)
                one = timed(lambda: evaluate(pop, spec, inputs, targets), repeat)
                par = timed(lambda: evaluate(pop, spec, inputs, targets, threads=threads), repeat)
                parts = np.array_split(pop, threads)
                proc = timed(lambda: np.concatenate(list(pool.map(_score, [layers] * threads, parts,
                                                                  [targets] * threads))), repeat)
                assert (evaluate(pop, spec, inputs, targets, threads=threads) == evaluate(pop, spec, inputs, targets)).all()
                print(f"| {'-'.join(map(str, layers))} | {size} | {one * 1e3:.2f} | {par * 1e3:.2f} | {one / par:.2f}x "
                      f"| {proc * 1e3:.2f} | {one / proc:.2f}x |")


if __name__ == "__main__":
    main()
