"""Modules against size: Q, module count and module size of every final best, by parameter count.

    python -m kashtan.report.size_census replications/data/size_logic
    python -m kashtan.report.size_census replications/data/clune_simplified replications/data/size_retina

For every condition of the campaigns given: the parameters a genome has (its length: weights
and biases of a network, two input genes per gate of a circuit), what the final best uses
(connections of its simplified network; effective gates), and on the graph Q is measured on
(as the campaign records Q): the inputs that reach the output, the nodes, Q of the best
partition found, the modules it has (communities of two or more nodes) and their mean size.
Medians with 95 % bootstrap intervals over the runs whose final best is perfect (an unsolved
best can be a collapsed fragment, and
would measure the failure, not the size; ``--all`` measures every one, for sweeps where few
are perfect; "perfect" is as final_best.json records it, on the rows its goal showed, which
under input noise are noisy); then Spearman correlations of each with the parameter
count over those runs, with and without a cost separately (a condition is "with cost" when
selection sees a wiring cost or a size penalty).
"""
import argparse
from pathlib import Path

import numpy as np
from scipy.stats import spearmanr

from circuits import network
from circuits.modularity import best_partition
from kashtan.configuration import build
from kashtan.running import rundir
from kashtan.analysis import stats

MEASURES = ("used", "inputs", "nodes", "q", "modules", "module_size")


def has_cost(cfg: dict) -> bool:
    """Whether selection sees a size or wiring cost (the size penalty counts for circuits)."""
    if cfg["circuit"]["kind"] == "network":
        return cfg["network"]["cost"] != "none" and len(cfg["ga"]["select_args"].get("probs", [1.0])) > 1
    return cfg["fitness"]["cost"] != "none" or cfg["fitness"]["size_penalty"] > 0


def seed_row(cfg: dict, run_dir) -> dict:
    genome, spec, _, meta = rundir.read_final_best(run_dir)
    problem = build.problem(cfg)
    adj, nodes = problem.adjacency(genome)
    # connections of the simplified network (those Q sees), not all non-zero weights
    used = int((adj != 0).sum()) if isinstance(spec, network.NetSpec) else problem.size(genome)
    q, labels = best_partition(adj, cfg["record"]["q"], restarts=cfg["record"]["q_restarts"]) if adj.size \
        else (float("nan"), np.zeros(0, int))
    sizes = np.bincount(labels) if labels.size else np.zeros(0, int)
    sizes = sizes[sizes >= 2]
    # graph nodes are numbered inputs first, in both kinds of genome
    return {"parameters": int(genome.size), "used": used, "inputs": int((np.asarray(nodes) < spec.n_inputs).sum()),
            "nodes": int(adj.shape[0]), "q": float(q),
            "modules": int(sizes.size), "module_size": float(sizes.mean()) if sizes.size else float("nan"),
            "perfect": bool(meta.get("perfect")), "cost": has_cost(cfg)}


def rows_of(outs, conditions=None) -> dict[str, list[dict]]:
    by = {}
    for out in outs:
        plan = rundir.read_campaign(out)
        for c, s in rundir.jobs_of(plan):
            if conditions is not None and c not in conditions:
                continue
            d = rundir.seed_dir(out, c, s)
            if rundir.is_finished(d):
                by.setdefault(c, []).append(seed_row(plan["conditions"][c], d))
    return by


def census(outs, only_perfect: bool = True, conditions=None) -> str:
    """The table and correlations; ``conditions``: only these (default every one of the campaigns)."""
    by = rows_of(outs, conditions)
    by = dict(sorted(by.items(), key=lambda kv: (kv[1][0]["cost"], kv[1][0]["parameters"])))
    header = ["condition", "cost", "runs", "final best perfect", "parameters", "used (connections; effective gates)",
              "inputs read", "nodes in Q's graph", "Q", "modules (communities of 2+ nodes)", "mean module size"]
    body = [[c, "yes" if rs[0]["cost"] else "no", len(rs), sum(r["perfect"] for r in rs), rs[0]["parameters"]]
            + [stats.median_ci([r[k] for r in rs if r["perfect"] or not only_perfect], ".3g") for k in MEASURES]
            for c, rs in by.items()]
    lines = [stats.table(header, body), "", f"Medians over {'perfect' if only_perfect else 'all'} final bests, with "
             "95 % bootstrap intervals (10,000 resamples).", ""]
    everyone = [r for rs in by.values() for r in rs if r["perfect"] or not only_perfect]
    for cost in (False, True):
        sel = [r for r in everyone if r["cost"] == cost]
        if len({r["parameters"] for r in sel}) < 2:
            continue
        for k in MEASURES:
            pairs = [(r["parameters"], r[k]) for r in sel if not np.isnan(r[k])]
            head = f"- {'with' if cost else 'without'} cost: "
            if len({v for _, v in pairs}) == 1:
                lines.append(f"{head}{k} is {pairs[0][1]:g} in every run (n = {len(pairs)})")
                continue
            rho, p = spearmanr(*zip(*pairs))
            lines.append(f"{head}Spearman rho(parameters, {k}) = {rho:+.2f}, p = {p:.2g} (n = {len(pairs)})")
    return "\n".join(lines)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("campaigns", nargs="+")
    ap.add_argument("--all", action="store_true", help="measure every final best, perfect or not (a noise sweep)")
    a = ap.parse_args(argv)
    print(census(a.campaigns, only_perfect=not a.all))


if __name__ == "__main__":
    main()
