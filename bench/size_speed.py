"""Milliseconds per generation against size (issue 11, item 3): networks and circuits at 1x, 2x,
4x and 8x the papers' sizes, P&CC (Clune et al.'s NSGA-II with the optimal-placement cost) and
the Kashtan & Alon logic GA, one core, after a warm-up (default 200 generations: the optimal-cost memo is cold at the start).

    python bench/size_speed.py [--generations 30]

Network sizes widen the hidden layers (8-8-4-2-1 -> 8-16-8-4-1 -> 8-32-16-8-1 -> 8-64-32-16-1);
circuits take 12 to 256 gates (above 64 the one-byte-per-node kernel scores them). Q of the best is measured
every generation as in a campaign; Qm is off (it is sparse in the replication configs).

A generation's time depends on what the population is doing (how many circuits cycle and settle
step by step, how often the best changes and needs a new Q) as much as on its size, so for
circuits the table also times the evaluation alone: the population the timed generations left,
scored five times against the first goal; and a second table scores 2,000 random circuits of each
size, feed-forward and with feedback, which separates the kernel's scaling from the populations'.
"""
from __future__ import annotations

import argparse
import os

for var in ("NUMBA_NUM_THREADS", "OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[var] = "1"

import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

from timing import seconds_per_generation  # noqa: E402
from kashtan.configuration import build, config  # noqa: E402

NETWORKS = [[8, 8, 4, 2, 1], [8, 16, 8, 4, 1], [8, 32, 16, 8, 1], [8, 64, 32, 16, 1]]
GATES = [12, 24, 48, 64, 96, 128, 256]


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--generations", type=int, default=200)
    p.add_argument("--warm", type=int, default=200, help="generations before timing (the cost memo fills up)")
    a = p.parse_args()
    rows = []
    clune = config.read_file("replications/clune2013_retina.toml")
    for layers in NETWORKS:
        cfg = config.resolve(clune, "pcc", overrides=[f"network.layers={layers}", "record.qm_every=0",
                                                      "record.qdist_every=0"])
        evo = build.evolution(cfg, 0)
        n_params = sum(x * y for x, y in zip(layers[:-1], layers[1:])) + sum(layers[1:])
        rows.append((f"network {'-'.join(map(str, layers))} P&CC", n_params,
                     1000 * seconds_per_generation(evo, a.warm, a.generations)))
    logic = config.read_file("replications/kashtan2005_logic.toml")
    for gates in GATES:
        cfg = config.resolve(logic, "mvg", overrides=[f"circuit.gates={gates}", "record.qm_every=0",
                                                      "record.qdist_every=0", f"fitness.size_threshold={gates - 1}"])
        evo = build.evolution(cfg, 0)
        ms = 1000 * seconds_per_generation(evo, a.warm, a.generations)
        rows.append((f"NAND circuit, {gates} gates, MVG", 2 * gates + 1, ms, *evaluation(evo)))
    print("| what (population 1000) | genes | ms per generation | µs per generation per gene "
          "| evaluation alone, µs per gene | effective gates (mean) |\n|---|---|---|---|---|---|")
    for name, genes, ms, *ev in rows:
        alone = f"{1000 * ev[0] / genes:.2f} | {ev[1]:.1f}" if ev else "– | –"
        print(f"| {name} | {genes} | {ms:.2f} | {1000 * ms / genes:.1f} | {alone} |")
    circuits = [(genes, ms, rest[0]) for _, genes, ms, *rest in rows if rest]
    loop = [1000 * ms / genes for genes, ms, _ in circuits]
    alone = [1000 * ev / genes for genes, _, ev in circuits]
    print(f"\ncircuits, µs per generation per gene: {GATES[-1]} gates {loop[-1] / loop[0]:.2f}x the {GATES[0]}-gate "
          f"figure; across all sizes {min(loop):.1f} to {max(loop):.1f} ({max(loop) / min(loop):.1f}x). Evaluation "
          f"alone: {alone[-1] / alone[0]:.2f}x; across sizes {min(alone):.2f} to {max(alone):.2f} "
          f"({max(alone) / min(alone):.1f}x). Target (issue 25): within 2x from {GATES[0]} to {GATES[-1]} gates")
    random_circuits(np.random.default_rng(0))


def random_circuits(rng) -> None:
    """ns per gene to score random circuits of each size, without and with feedback."""
    from circuits import nand
    print("\n| gates (2,000 random circuits, 4 inputs) | feed-forward, µs per circuit | ns per gene "
          "| with feedback, µs per circuit | ns per gene |\n|---|---|---|---|---|")
    per_gene = {False: [], True: []}
    for gates in GATES:
        cells = []
        for feedback in (False, True):
            spec = nand.NandSpec(n_inputs=4, n_gates=gates, feedback=feedback)
            pop = spec.random(2000, rng)
            target = np.array([0x6996], np.uint64)            # XOR of the four inputs
            nand.evaluate(pop, spec, target)
            t0 = time.perf_counter()
            for _ in range(5):
                nand.evaluate(pop, spec, target)
            us = (time.perf_counter() - t0) / 5 / len(pop) * 1e6
            per_gene[feedback].append(1000 * us / spec.length)
            cells += [f"{us:.3f}", f"{per_gene[feedback][-1]:.1f}"]
        print(f"| {gates} | " + " | ".join(cells) + " |")
    for feedback, name in ((False, "feed-forward"), (True, "with feedback")):
        v = per_gene[feedback]
        print(f"\nrandom circuits {name}, ns per gene: {GATES[-1]} gates {v[-1] / v[0]:.2f}x the {GATES[0]}-gate "
              f"figure; across sizes {min(v):.1f} to {max(v):.1f} ({max(v) / min(v):.1f}x)")


def evaluation(evo, repeats: int = 5) -> tuple[float, float]:
    """ms to score the current population against the schedule's first goal, and its mean number of
    effective gates (those with a path to an output: what the evaluation simulates)."""
    goal = evo.schedule.goal_at(0)
    scores = evo.problem.evaluate(evo.pop, goal)
    t0 = time.perf_counter()
    for _ in range(repeats):
        evo.problem.evaluate(evo.pop, goal)
    return (time.perf_counter() - t0) / repeats * 1000, float(scores.size.mean())


if __name__ == "__main__":
    main()
