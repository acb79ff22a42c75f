"""What a cheaper Qm would cost in accuracy (issue 25, item 5): Qm of archived Kashtan & Alon
retina networks at smaller Qrand/Qmax budgets, against the configured budget and against the
configured budget's own Monte-Carlo spread (the same budget on other reference streams).

    python bench/qm_budget_shift.py [--networks N]

The networks are the final bests of ``replications/data/choices_retina`` (all-pattern fixed and
MVG runs, ties broken elite first; all of them unless ``--networks``), scored with ``replications/kashtan2005_retina.toml``'s Q and
Qm settings. Prints ms per new degree sequence, the mean Qm shift (bias), the mean and worst
absolute shift. One core, about a minute.
"""
from __future__ import annotations

import os

for var in ("NUMBA_NUM_THREADS", "OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[var] = "1"

import argparse  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

from circuits import network_io  # noqa: E402
from circuits.qm import Normalizer  # noqa: E402
from kashtan.configuration import build, config  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
BUDGETS = [(300, 300), (100, 100), (1000, 100), (100, 1000), (250, 1000)]     # (qm_random, qmax_steps)


def networks(limit: int):
    """(Q, adjacency) of archived final bests, and the Qm settings they are scored with."""
    cfg = config.resolve(config.read_file(ROOT / "replications/kashtan2005_retina.toml"), "mvg")
    prob = build.problem(cfg)
    files = sorted((ROOT / "replications/data/choices_retina").glob("*_all__ties=elite_first/seed_*/final_best.json"))
    out = []
    for f in files[:limit] if limit else files:
        genome = network_io.load(f)[0]
        q, _, _, adj = prob.partition(genome)
        out.append((q, adj))
    return out, cfg["record"]


def normalizer(r: dict, n_random: int, qmax_steps: int, stream: int = 0) -> Normalizer:
    return Normalizer(kind=r["q"], n_random=n_random, qmax_steps=qmax_steps, qmax_restarts=r["qmax_restarts"],
                      restarts=r["q_restarts"], simple=r["qm_null"] == "simple", stream=stream, cache={})


def line(label: str, ms: float, shift: np.ndarray) -> str:
    return (f"{label:<44}{ms:8.0f} ms   bias {np.nanmean(shift):+.4f}   mean |shift| {np.nanmean(abs(shift)):.4f}"
            f"   worst {np.nanmax(abs(shift)):.4f}")


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--networks", type=int, default=0, help="the first N archived networks (default: all)")
    a = p.parse_args(argv)
    nets, r = networks(a.networks)
    print(f"{len(nets)} archived K&A retina networks; ms per new degree sequence; Qm shift from the configured budget")
    default = normalizer(r, r["qm_random"], r["qmax_steps"])
    t0 = time.perf_counter()
    base = np.array([default.qm(adj, q) for q, adj in nets])
    ms = (time.perf_counter() - t0) / len(nets) * 1e3
    print(line(f"configured ({r['qm_random']}, {r['qmax_steps']})", ms, base - base))
    others = [normalizer(r, r["qm_random"], r["qmax_steps"], stream) for stream in (1, 2)]
    spread = np.array([[o.qm(adj, q) for o in others] for q, adj in nets]) - base[:, None]
    print(line("configured, two other reference streams", ms, spread))
    for n_random, steps in BUDGETS:
        norm = normalizer(r, n_random, steps)
        t0 = time.perf_counter()
        qm = np.array([norm.qm(adj, q) for q, adj in nets])
        ms = (time.perf_counter() - t0) / len(nets) * 1e3
        print(line(f"qm_random {n_random}, qmax_steps {steps}", ms, qm - base))


if __name__ == "__main__":
    main()
