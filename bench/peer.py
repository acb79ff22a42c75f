"""A Kashtan & Alon logic generation: kashtan against the public replication
JBQuim/Boolean-Circuit-Evolution (Python, numpy and Numba), timed in one run, one core.

The bench fetches nothing: point it at a checkout of the peer,

    git clone https://github.com/JBQuim/Boolean-Circuit-Evolution /tmp/peer
    python bench/peer.py --peer /tmp/peer [--warm 200] [--timed 100] [--pairs 3]

The peer's own ``runGeneration`` (EvolutionFunctions.py) runs on its own genomes (13 gates, 4
inputs, population 1000, elite fraction 0.3, its mutation weights and size penalty from
FixedGoals.py) with a fitness function written as FixedGoals.py writes it (that script runs its
campaign on import, so it is not imported) and no reporter (its per-generation modularity report
would only slow it down). kashtan runs kashtan2005_logic.toml's fixed G1 and MVG conditions
(population 1000, elite 300, 12 gates), Qm off, Q of the best every generation. Both after a
warm-up; the pairs alternate so a busy machine slows both alike. Prints ms per generation and
the ratios.
"""
from __future__ import annotations

import argparse
import os

for var in ("NUMBA_NUM_THREADS", "OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[var] = "1"

import random  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from itertools import product  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

from timing import seconds_per_generation  # noqa: E402
from kashtan.configuration import build, config  # noqa: E402

# FixedGoals.py's settings
INPUTS, LENGTH, POP, SIZE_PARAM, CUTOFF = 4, 13, 1000, 0.1, 11
PEER_CONFIG = {"mutation weights": [0.3, 0.05, 0.05, 0.25, 0.35], "elite fraction": 0.3}


def peer_modules(path: Path):
    missing = [f for f in ("EvolutionFunctions.py", "NetworkFunctions.py") if not (path / f).exists()]
    if missing:
        raise SystemExit(f"{path} is not a checkout of JBQuim/Boolean-Circuit-Evolution (no {', '.join(missing)})")
    sys.path.insert(0, str(path))
    import EvolutionFunctions as ga
    import NetworkFunctions as nf
    return ga, nf


def peer_seconds(ga, nf, warm: int, timed: int, seed: int = 1) -> float:
    random.seed(seed)
    np.random.seed(seed)
    rows = np.array(list(product([1, 0], repeat=INPUTS)))
    wanted = np.array([r[0] ^ r[1] and r[2] ^ r[3] for r in rows])           # G1, as FixedGoals.py

    def fitness(genome):                                                      # FixedGoals.booleanFitness
        accuracy = np.count_nonzero(np.equal(wanted, nf.truthTable(genome, rows))) / len(rows)
        return accuracy - SIZE_PARAM * max(0, sum(nf.getPrecursors(genome)) - CUTOFF)

    pop = np.array([nf.randomNetwork(LENGTH, INPUTS) for _ in range(POP)])
    for g in range(warm + timed):
        if g == warm:
            t0 = time.perf_counter()
        pop = ga.runGeneration(pop, fitness, lambda p, f: None, PEER_CONFIG)[0]
    return (time.perf_counter() - t0) / timed


def kashtan_seconds(condition: str, warm: int, timed: int) -> float:
    raw = config.read_file(Path(__file__).resolve().parent.parent / "replications" / "kashtan2005_logic.toml")
    cfg = config.resolve(raw, condition, overrides=["record.qm_every=0", "record.qdist_every=0",
                                                    "stop.when_solved=false"])
    return seconds_per_generation(build.evolution(cfg, 1), warm, timed)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--peer", type=Path, required=True, help="a checkout of JBQuim/Boolean-Circuit-Evolution")
    p.add_argument("--warm", type=int, default=200, help="peer generations before timing (kashtan: 1000)")
    p.add_argument("--timed", type=int, default=100, help="peer generations timed (kashtan: 2000)")
    p.add_argument("--pairs", type=int, default=3)
    a = p.parse_args(argv)
    ga, nf = peer_modules(a.peer)
    kashtan_seconds("fixed_G1", 5, 5)                 # compile / load the caches outside the timings
    peer_seconds(ga, nf, 2, 2)
    print("| pair | peer (fixed G1) | kashtan fixed G1 | ratio | kashtan MVG | ratio |\n|---|---|---|---|---|---|")
    for i in range(a.pairs):
        peer = peer_seconds(ga, nf, a.warm, a.timed, seed=i + 1)
        fixed = kashtan_seconds("fixed_G1", 1000, 2000)
        mvg = kashtan_seconds("mvg", 1000, 2000)
        print(f"| {i + 1} | {peer * 1e3:.2f} ms | {fixed * 1e3:.3f} ms | {peer / fixed:.0f}x | {mvg * 1e3:.3f} ms "
              f"| {peer / mvg:.0f}x |", flush=True)


if __name__ == "__main__":
    main()
