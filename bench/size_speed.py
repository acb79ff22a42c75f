"""Milliseconds per generation against size (issue 11, item 3): networks and circuits at 1x, 2x,
4x and 8x the papers' sizes, P&CC (Clune et al.'s NSGA-II with the optimal-placement cost) and
the Kashtan & Alon logic GA, one core, after a warm-up (default 200 generations: the optimal-cost memo is cold at the start).

    python bench/size_speed.py [--generations 30]

Network sizes widen the hidden layers (8-8-4-2-1 -> 8-16-8-4-1 -> 8-32-16-8-1 -> 8-64-32-16-1);
circuits take 12 to 256 gates (above 64 the one-byte-per-node kernel scores them). Q of the best is measured
every generation as in a campaign; Qm is off (it is sparse in the replication configs).
"""
from __future__ import annotations

import argparse
import os

for var in ("NUMBA_NUM_THREADS", "OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[var] = "1"

import sys  # noqa: E402
from pathlib import Path  # noqa: E402

from timing import seconds_per_generation  # noqa: E402
from kashtan.configuration import build, config  # noqa: E402

NETWORKS = [[8, 8, 4, 2, 1], [8, 16, 8, 4, 1], [8, 32, 16, 8, 1], [8, 64, 32, 16, 1]]
GATES = [12, 24, 48, 64, 96, 128, 256]


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--generations", type=int, default=30)
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
        rows.append((f"NAND circuit, {gates} gates, MVG", 2 * gates + 1, 1000 * seconds_per_generation(evo, a.warm, a.generations)))
    print("| what (population 1000) | genes | ms per generation | µs per generation per gene |\n|---|---|---|---|")
    for name, genes, ms in rows:
        print(f"| {name} | {genes} | {ms:.2f} | {1000 * ms / genes:.1f} |")
    per_gene = [1000 * ms / genes for name, genes, ms in rows if name.startswith("NAND")]
    print(f"\ncircuits: µs per generation per gene from {GATES[0]} to {GATES[-1]} gates: "
          f"{min(per_gene):.1f} to {max(per_gene):.1f} ({max(per_gene) / min(per_gene):.1f}x; target within 2x)")


if __name__ == "__main__":
    main()
