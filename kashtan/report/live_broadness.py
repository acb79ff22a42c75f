"""Broadness of perfect retina networks split by where the mutated gene sits: on the live network
(a possible connection, made or not, between two nodes of the simplified network, or a live
neuron's bias) or off it (wiring into or out of neurons with no path to the output). Tells
broadness from dilution: a wide genome's off-network genes can change without changing anything.

    python -m kashtan.report.live_broadness replications/data/clune_simplified replications/data/size_retina

Per condition, over final bests that are perfect: medians of the per-genome mean share of a
gene's single changes that keep the network perfect (circuits.broadness.single_mutations,
``robust_by_gene``), over all genes, live genes and the others.
"""
import argparse
from pathlib import Path

import numpy as np

from circuits import broadness, network
from kashtan.analysis import campaign_measures, measures, stats
from kashtan.running import rundir


def live_genes(genome, spec: network.NetSpec) -> np.ndarray:
    """Per gene: whether it is a possible connection between two nodes of the simplified network
    or the bias of a neuron in it (genes: connections, then one bias per non-input neuron)."""
    _, nodes = network.simplify(genome, spec)
    live = np.zeros(spec.n_nodes, bool)
    live[nodes] = True
    src, dst = spec.connections()
    return np.concatenate([live[src] & live[dst], live[spec.n_inputs:]])


def split(cfg: dict, seed: int, run_dir) -> tuple[float, float, float] | None:
    """(all genes, live genes, other genes) mean share of changes keeping the final best perfect;
    None if it is not perfect."""
    genome, spec, _, meta = rundir.read_final_best(run_dir)
    if not meta.get("perfect"):
        return None
    goal = campaign_measures.chosen_goal(cfg, seed, meta)       # a drawn goal too (RMVG)
    score, lo, hi, _, _ = measures.setup(genome, spec, goal, cfg["network"]["bias_range"])
    robust = broadness.single_mutations(genome, lo, hi, score)["robust_by_gene"]
    live, moves = live_genes(genome, spec), ~np.isnan(robust)
    return tuple(float(robust[m].mean()) if m.any() else float("nan")
                 for m in (moves, moves & live, moves & ~live))


def table(outs) -> str:
    body = []
    for out in outs:
        plan = rundir.read_campaign(out)
        for c in plan["conditions"]:
            parts = [split(plan["conditions"][c], s, rundir.seed_dir(out, c, s)) for s in plan["seeds"]
                     if rundir.is_finished(rundir.seed_dir(out, c, s))]
            parts = [p for p in parts if p is not None]
            body.append([c, len(parts)] + [stats.median_ci([p[k] for p in parts]) for k in range(3)])
    return stats.table(["condition", "perfect final bests", "all genes", "genes of the live network", "other genes"],
                       body)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("campaigns", nargs="+")
    print(table(ap.parse_args(argv).campaigns))


if __name__ == "__main__":
    main()
