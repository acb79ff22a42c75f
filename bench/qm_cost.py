"""What recording Qm costs a Kashtan & Alon retina run (issue 25): the same seed run twice, with
the config's Qm recording and with none, one core, each timed over the same generations.

    python bench/qm_cost.py [--generations 3000] [--condition fixed] [--set record.qm_every=100]
    python bench/qm_cost.py --condition mvg --seeds 8


Prints ms per generation both ways and the share of the run Qm takes, as the difference of the
two (noisy: the runs' speeds wander by more than Qm costs) and as the time spent inside the Qm
calls of the run with Qm (the number to quote). Qm's Qrand/Qmax are cached
per degree sequence (circuits/qm.py), so the cost is the new degree sequences the best network
passes through.

``--seeds N`` instead runs seeds 0..N-1 as configured (stopping at the solution, or at
``stop.max_generations``) one after another in one process, as a campaign worker does (the cache is
shared across its seeds), with the final record's Qm, and prints each seed's share and the total's.
"""
from __future__ import annotations

import argparse
import os

for var in ("NUMBA_NUM_THREADS", "OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[var] = "1"

import time  # noqa: E402

from kashtan.configuration import build, config  # noqa: E402


def timed_evolution(cfg: dict, seed: int):
    """The run of ``cfg`` and ``seed``, and a one-item list its ``problem.qm`` calls add their seconds to."""
    evo = build.evolution(cfg, seed)
    inside = [0.0]
    measure = evo.problem.qm

    def timed(genome):
        t = time.perf_counter()
        try:
            return measure(genome)
        finally:
            inside[0] += time.perf_counter() - t
    object.__setattr__(evo.problem, "qm", timed)
    return evo, inside


def run(cfg: dict, generations: int) -> tuple[float, float, int]:
    """ms per generation, the share of the run spent inside ``problem.qm``, new degree sequences."""
    from circuits import qm
    qm._SHARED.clear()                   # a fresh process: nothing cached
    evo, inside = timed_evolution(cfg, 0)
    t0 = time.perf_counter()
    for _ in range(generations):
        evo.step()
    total = time.perf_counter() - t0
    return total / generations * 1e3, inside[0] / total, sum(len(c) for c in qm._SHARED.values())


def campaign(cfg: dict, seeds: int) -> None:
    """Seeds as configured, one process: per seed and in total, the share inside ``problem.qm``."""
    from circuits import qm
    qm._SHARED.clear()
    total = inside_total = 0.0
    for seed in range(seeds):
        evo, inside = timed_evolution(cfg, seed)
        t0 = time.perf_counter()
        while not evo.solved and evo.generation < cfg["stop"]["max_generations"]:
            evo.step()
        evo.problem.qm(evo.pop[0])       # the final record's Qm (kashtan.running.seed)
        seconds = time.perf_counter() - t0
        total += seconds
        inside_total += inside[0]
        print(f"seed {seed}: {evo.generation} generations, {seconds:.1f} s, Qm {inside[0] / seconds:.1%}", flush=True)
    print(f"K&A retina, {cfg['condition']}, {seeds} seeds as configured: Qm {inside_total:.1f} of {total:.1f} s "
          f"({inside_total / total:.1%}), {sum(len(c) for c in qm._SHARED.values())} degree sequences")


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--generations", type=int, default=3000)
    p.add_argument("--condition", default="fixed")
    p.add_argument("--set", action="append", default=[], metavar="KEY=VALUE")
    p.add_argument("--seeds", type=int, default=0, help="run this many seeds as configured instead")
    a = p.parse_args(argv)
    raw = config.read_file("replications/kashtan2005_retina.toml")
    if a.seeds:
        cfg = config.resolve(raw, a.condition, overrides=a.set)
        run(config.resolve(raw, a.condition, overrides=a.set + ["stop.when_solved=false"]), 50)     # compile
        return campaign(cfg, a.seeds)
    sets = a.set + ["stop.when_solved=false"]
    with_qm = config.resolve(raw, a.condition, overrides=sets)
    without = config.resolve(raw, a.condition, overrides=sets + ["record.qm_every=0"])
    run(with_qm, 50)                     # compile, Qm's kernels too
    ms0, _, _ = run(without, a.generations)
    ms1, inside, sequences = run(with_qm, a.generations)
    every = with_qm["record"]["qm_every"]
    print(f"K&A retina, {a.condition}, {a.generations} generations, Qm every {every}: {ms1:.2f} ms per generation "
          f"against {ms0:.2f} without Qm ({(ms1 - ms0) / ms1:.0%} of the run, noisy); timed inside the Qm calls: "
          f"{inside:.1%} of the run ({sequences} degree sequences)")


if __name__ == "__main__":
    main()
