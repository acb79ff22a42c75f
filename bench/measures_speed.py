"""Seconds for all measures of one network (issue 10's bar: an 8-8-4-2-1 network in under 1 s):
``kashtan analyze --measures`` on every final network of a campaign archive (single mutations,
500 random walks, the relaxed spectrum, the least-exchange split), one core.

    python bench/measures_speed.py [replications/data/clune_simplified]

Prints per network its non-constant live nodes (the least-exchange split is exhaustive up to 12)
and seconds, then the median, the count under 1 s and the worst.
"""
from __future__ import annotations

import os

for var in ("NUMBA_NUM_THREADS", "OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[var] = "1"

import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

from circuits import network_io  # noqa: E402
from kashtan.analysis import campaign_measures, measures  # noqa: E402
from kashtan.running import rundir  # noqa: E402


def main():
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "replications/data/clune_simplified")
    plan = rundir.read_campaign(out)
    times, sizes = [], []
    for i, (c, s) in enumerate(rundir.jobs_of(plan)):
        d, cfg = rundir.seed_dir(out, c, s), plan["conditions"][c]
        genome, spec, _, meta = rundir.read_final_best(d)
        goal = campaign_measures.chosen_goal(cfg, s, meta)
        names = network_io.node_names(spec, None)
        if i == 0:      # compile the kernels outside the timing
            measures.network_lines(genome, spec, goal, names, cfg["network"]["bias_range"])
        started = time.perf_counter()
        measures.network_lines(genome, spec, goal, names, cfg["network"]["bias_range"])
        times.append(time.perf_counter() - started)
        _, _, run, nodes = measures.setup(genome, spec, goal, cfg["network"]["bias_range"])[1:]
        sizes.append(len(measures.non_constant(run, nodes)))
        print(f"{c} seed {s}: {sizes[-1]} non-constant live nodes, {times[-1]:.2f} s", flush=True)
    t = np.array(times)
    print(f"\n{len(t)} networks: median {np.median(t):.2f} s, {(t < 1).sum()} under 1 s, worst {t.max():.2f} s "
          f"({sizes[int(t.argmax())]} nodes)")


if __name__ == "__main__":
    main()
