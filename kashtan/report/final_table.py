"""Per condition, the final best of every run (result.json "final"): accuracy on clean rows,
effective gates or connections, Q and Qm, as medians with 95 % bootstrap intervals, and
Mann–Whitney tests of each condition against a reference one. For campaigns read at their end
(noise, when "solved" is beside the point).

    python -m kashtan.report.final_table runs/noise_logic --against "fixed__input_noise=0.0" \\
        --against "mvg__input_noise=0.0"

Each condition is tested against the first --against whose name shares its prefix before "__"
(e.g. fixed__input_noise=0.1 against fixed__input_noise=0.0). Several campaigns can be read
together, e.g. a noise sweep against its noiseless runs from another campaign:

    python -m kashtan.report.final_table replications/data/noise_retina replications/data/clune_simplified \
        --against pa --against pcc
"""
import argparse
from pathlib import Path

import numpy as np

from kashtan.configuration import build
from kashtan.running import rundir
from kashtan.analysis import stats

KEYS = (("accuracy_all", "right on all clean rows"), ("effective", "size (effective gates / connections)"),
        ("q", "Q"), ("qm", "Qm"))


def table(outs, against=()) -> str:
    found = {}
    for out in [outs] if isinstance(outs, (str, Path)) else outs:
        found.update(rundir.results(out)[1])
    lines = [stats.table(["condition", "runs"] + [f"final best: {label}, median [95 % CI]" for _, label in KEYS],
                         [[c, len(rs)] + [stats.median_ci([r["final"].get(k) for r in rs]) for k, _ in KEYS]
                          for c, rs in found.items()]), ""]
    for c, rs in found.items():
        ref = next((a for a in against if a != c and a.split("__")[0] == c.split("__")[0]), None)
        if ref is None or ref not in found:
            continue
        for k, label in KEYS[:3]:
            a = [r["final"][k] for r in found[ref] if r["final"].get(k) is not None]
            b = [r["final"][k] for r in rs if r["final"].get(k) is not None]
            if len(a) >= 2 and len(b) >= 2:
                lines.append(stats.mann_whitney(f"final {label}", ref, c, a, b))
    return "\n".join(lines)


def population_table(out, conditions, goals) -> str:
    """Per condition, the best circuit of every run's archived final population on each of
    ``goals`` (clean rows), as medians, and the runs whose population holds a circuit right on
    every row of the last goal named."""
    plan = rundir.read_campaign(out)
    body = []
    for c in conditions:
        cfg = plan["conditions"][c]
        problem, known = build.problem(cfg), build.goals(cfg)
        best = []
        for s in plan["seeds"]:
            d = rundir.seed_dir(out, c, s)
            if rundir.is_finished(d):
                pop = rundir.read_population(d, cfg)
                best.append([max(problem.accuracy(g, known[name]) for g in pop) for name in goals])
        best = np.array(best).reshape(-1, len(goals))
        body.append([c] + [f"{np.median(best[:, k]):.3f}" for k in range(len(goals))]
                    + [f"{int((best[:, -1] == 1).sum())}/{len(best)}"])
    return stats.table(["condition"] + [f"best of the final population on {g} (clean), median" for g in goals]
                       + [f"runs with a circuit right on every clean row of {goals[-1]}"], body)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("run_dirs", nargs="+")
    ap.add_argument("--against", action="append", default=[], metavar="CONDITION")
    a = ap.parse_args(argv)
    print(table(a.run_dirs, a.against))


if __name__ == "__main__":
    main()
