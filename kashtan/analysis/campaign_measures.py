"""Broadness and information-flow modularity of every run's final best, by condition (issue 10).

For each finished seed the final best (``final_best.json``, rundir.FINAL_RULE) is measured on
the goal it was chosen on: the share of single mutations that keep it perfect and their mean
accuracy loss, mean accuracy after 5 random mutations, the least-exchange information
modularity (``circuits.information.least_exchange``) and Q (as the campaign records it).
Beside them: weighted Q (edges weighted by |weight|), the least two-way normalised cut and
co-activation Q (``circuits.partitions``), and the adjusted Rand agreement of the partitions
each measure picks.
Per condition the table gives medians with 95 % bootstrap intervals; broadness is summarised
over perfect networks only (for an imperfect one "keeps it perfect" is 0 by definition). Then
Spearman correlations of the measures with Q, and Mann-Whitney tests between conditions.
``measures.csv`` (one row per seed) is written into the campaign directory.
"""
from __future__ import annotations

import csv
import json
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np
from scipy.stats import spearmanr

from circuits import broadness, information, network, partitions, relaxation
from circuits.modularity import best_partition
from kashtan.analysis import analyze, measures, stats
from kashtan.configuration import build
from kashtan.running import filechecks, rundir

CURVES = ("degradation", "spectrum")        # per seed, beside the CSV in CURVES_FILE
CURVES_FILE = "measures_curves.json"
AGREEMENT = ("weighted_q", "ncut", "coactivation_q", "ari_q_weighted", "ari_q_ncut", "ari_exchange_ncut",
             "ari_exchange_coactivation")     # the columns of the partition-agreement table
FIELDS = ["condition", "seed", "perfect", "kept_perfect", "mean_loss", "accuracy_after_5", "info_modularity",
          "exchange", "q", "partitions_ari", "weighted_q", "ncut", "coactivation_q", "ari_q_weighted",
          "ari_q_ncut", "ari_exchange_ncut", "ari_exchange_coactivation", "functional"]


def seed_measures(cfg: dict, seed: int, run_dir) -> dict:
    genome, spec, _, meta = rundir.read_final_best(run_dir)
    goal = chosen_goal(cfg, seed, meta)
    score, lo, hi, run, nodes = measures.setup(genome, spec, goal, cfg["network"]["bias_range"])
    one = broadness.single_mutations(genome, lo, hi, score)
    walk = broadness.degradation(genome, lo, hi, score, steps=20, samples=200, rng=np.random.default_rng(seed))
    live = measures.non_constant(run, nodes)
    info = information.least_exchange(run, live, samples=50) if len(live) >= 4 else None
    adj, adj_nodes = build.problem(cfg).adjacency(genome)
    q, labels = best_partition(adj, cfg["record"]["q"], restarts=cfg["record"]["q_restarts"]) if adj.size \
        else (float("nan"), np.zeros(0, int))
    nan = float("nan")
    side = ([n for part in info["partition"] for n in part],
            [i for i, part in enumerate(info["partition"]) for _ in part]) if info else ([], [])
    ari = measures.agreement(adj_nodes, labels, *side) if info else nan
    w = measures.weighted_adjacency(genome, spec, adj, adj_nodes)
    wq, wlabels = partitions.weighted_partition(w, cfg["record"]["q_restarts"]) if adj.size else (nan, labels)
    linked = (w + w.T).sum(axis=1) > 0
    cut = partitions.min_normalized_cut(w[np.ix_(linked, linked)]) if linked.sum() >= 2 else None
    cut_nodes = adj_nodes[linked]
    cq, clabels = partitions.coactivation_partition(run({}, 1)[live]) if len(live) >= 2 else (nan, [])
    extra = {"weighted_q": wq, "ncut": cut["ncut"] if cut else nan, "coactivation_q": cq,
             "ari_q_weighted": measures.agreement(adj_nodes, labels, adj_nodes, wlabels) if adj.size else nan,
             "ari_q_ncut": measures.agreement(adj_nodes, labels, cut_nodes, cut["labels"]) if cut else nan,
             "ari_exchange_ncut": measures.agreement(*side, cut_nodes, cut["labels"]) if cut and info else nan,
             "ari_exchange_coactivation": measures.agreement(*side, live, clabels) if info and len(live) >= 2 else nan}
    return {"condition": cfg["condition"], "seed": seed, "perfect": one["accuracy"] >= 1.0,
            "kept_perfect": one["kept_perfect"], "mean_loss": one["mean_loss"],
            "accuracy_after_5": walk["mean_accuracy"][4], "degradation": walk["mean_accuracy"],
            "spectrum": _spectrum(genome, spec),
            "info_modularity": info["modularity"] if info else float("nan"),
            "exchange": info["exchange"] if info else float("nan"),
            "q": q, "partitions_ari": ari, "functional": _as_float(_functional(cfg, genome, spec)), **extra}


def chosen_goal(cfg: dict, seed: int, meta: dict):
    """The goal the final best was chosen on: a config goal by name, or a drawn one (RMVG,
    random goals), rebuilt from the seed's own schedule at the generation it was chosen."""
    name = meta.get("goal") or next(iter(cfg["goals"]))
    named = build.goals(cfg)
    if name in named:
        return named[name]
    generation = meta.get("generation")
    drawn = build.schedule(cfg, seed).goal_at(generation) if isinstance(generation, int) and generation >= 0 else None
    if drawn is None or drawn.name != name:
        raise rundir.RunError(f"the final best of {cfg['condition']} seed {seed} was chosen on goal {name!r}, "
                              f"which neither the config nor the seed's schedule at generation {generation} names")
    return drawn


def _as_float(v) -> float:
    return float("nan") if v is None else float(v)


def _functional(cfg: dict, genome, spec) -> bool | None:
    """The functional module check: a circuit has a gate for every module of ``record.modules``
    (default X^Y and Z^W); a network has single neurons computing L and R (Clune et al.)."""
    if isinstance(spec, network.NetSpec):
        finds = analyze.left_right(genome, spec)[1]
        return None if finds is None else finds == ["L", "R"]
    modules = analyze.modules_of(cfg)
    return modules is not None and analyze.has_modules(genome, spec, modules, cfg["circuit"]["inputs"])


def _spectrum(genome, spec) -> list[float]:
    """Singular values of a network's relaxed output Jacobian over the largest (beta 1, as
    ``analyze --measures``); [] for circuits."""
    if not isinstance(spec, network.NetSpec):
        return []
    sv = relaxation.spectrum(genome, spec, 1.0)["singular_values"]
    # below ~1e-16 of the largest a singular value is rounding noise: floor it there
    return np.maximum(sv / sv[0], 1e-16).tolist() if sv.size and sv[0] > 0 else []


def _job(args):
    return seed_measures(*args)


def _write(out: Path, rows: list[dict]) -> None:
    """measures.csv and the curves file for ``rows`` (each replaced whole, so never half written)."""
    tmp = out / "measures.csv.tmp"
    with open(tmp, "w", newline="") as f:
        w = csv.DictWriter(f, FIELDS, extrasaction="ignore")
        w.writeheader()
        w.writerows(rows)
    tmp.replace(out / "measures.csv")
    curves = [{k: r[k] for k in ("condition", "seed", *CURVES)} for r in rows]
    (out / (CURVES_FILE + ".tmp")).write_text(json.dumps(curves))
    (out / (CURVES_FILE + ".tmp")).replace(out / CURVES_FILE)


def collect(out, workers: int = 1, reuse: bool = False, log=None) -> list[dict]:
    """One row per finished seed of the campaign at ``out``, written to ``out/measures.csv`` as
    each finishes (an interruption loses only the networks being measured). ``reuse``: keep the
    rows measures.csv already has and measure only the rest. ``log(text)``: a line per network."""
    out = Path(out)
    plan = rundir.read_campaign(out)
    jobs = [(plan["conditions"][c], s, rundir.seed_dir(out, c, s)) for c, s in rundir.jobs_of(plan)
            if rundir.is_finished(rundir.seed_dir(out, c, s))]
    done = {}
    if reuse and (out / "measures.csv").exists():
        done = {(r["condition"], r["seed"]): r for r in read_csv(out)}
    todo = [j for j in jobs if (j[0]["condition"], j[1]) not in done]

    def keep(row):
        done[(row["condition"], row["seed"])] = row
        _write(out, [done[k] for k in ((j[0]["condition"], j[1]) for j in jobs) if k in done])
        if log:
            log(f"measured {row['condition']} seed {row['seed']} ({len(done)}/{len(jobs)})")
    if workers > 1 and len(todo) > 1:
        from concurrent.futures import as_completed
        with ProcessPoolExecutor(workers) as pool:
            for fut in as_completed([pool.submit(_job, j) for j in todo]):
                keep(fut.result())
    else:
        for j in todo:
            keep(_job(j))
    return [done[(j[0]["condition"], j[1])] for j in jobs]


def read_csv(out) -> list[dict]:
    """The rows ``collect`` wrote to ``out/measures.csv``."""
    path = Path(out) / "measures.csv"
    try:
        with open(path, newline="") as f:
            rows = list(csv.DictReader(f))
        rows = [{**r, "seed": int(r["seed"]), "perfect": r["perfect"] == "True",
                 **{k: float(r[k]) for k in FIELDS[3:]}} for r in rows]
    except (OSError, KeyError, ValueError) as e:
        raise rundir.RunError(f"{path}: unreadable measures ({type(e).__name__}: {e}); run without --reuse") from None
    curves = Path(out) / CURVES_FILE
    if curves.exists():         # optional: an older measures.csv has none, and figures then skip the curves
        try:
            found = {(c["condition"], int(c["seed"])): c for c in filechecks.read_json(curves, "measure curves")}
            for r in rows:
                got = found.get((r["condition"], r["seed"]), {})
                r.update({k: [float(x) for x in got.get(k, [])] for k in CURVES})
        except (TypeError, KeyError, ValueError) as e:
            raise rundir.RunError(f"{curves}: unreadable ({type(e).__name__}: {e}); run without --reuse") from None
    return rows


def archived_table(outs, conditions=None, pairs=None) -> str:
    """``markdown`` of the rows the archives ``outs`` hold in measures.csv (measured once, read here);
    ``conditions``: only these, in this order."""
    rows = [r for out in outs for r in read_csv(out)]
    if conditions:
        rows = [r for c in conditions for r in rows if r["condition"] == c]
    return markdown(rows, pairs)


def markdown(rows: list[dict], pairs=None) -> str:
    conds = list(dict.fromkeys(r["condition"] for r in rows))
    by = {c: [r for r in rows if r["condition"] == c] for c in conds}
    table = stats.table(
        ["condition", "runs", "perfect", "single mutations keeping it perfect (perfect runs)",
         "mean loss per single mutation", "accuracy after 5 random mutations", "information modularity", "Q",
         "agreement of Q's partition with the least-exchange split (adjusted Rand)"],
        [[c, len(rs), sum(r["perfect"] for r in rs),
          stats.median_ci([r["kept_perfect"] for r in rs if r["perfect"]]),
          stats.median_ci([r["mean_loss"] for r in rs]), stats.median_ci([r["accuracy_after_5"] for r in rs]),
          stats.median_ci([r["info_modularity"] for r in rs]), stats.median_ci([r["q"] for r in rs]),
          stats.median_ci([r["partitions_ari"] for r in rs])] for c, rs in by.items()])
    agree = stats.table(
        ["condition", "weighted Q (edges weighted by absolute weight)", "least normalised cut (two parts)", "co-activation Q",
         "Q vs weighted Q", "Q vs normalised cut", "least exchange vs normalised cut",
         "least exchange vs co-activation"],
        [[c] + [stats.median_ci([r[k] for r in rs]) for k in AGREEMENT] for c, rs in by.items()])
    lines = [table, "", "The other partition measures, and how far the partitions they pick agree (adjusted Rand "
             "index on the nodes both cover; 1 = the same partition, 0 = chance):", "", agree, "",
             "Medians with 95 % bootstrap intervals (10,000 resamples).", ""]
    for a, b in (("kept_perfect", "q"), ("info_modularity", "q"), ("kept_perfect", "info_modularity"),
                 ("kept_perfect", "functional"), ("info_modularity", "functional"), ("q", "functional")):
        sel = [r for r in rows if r["perfect"] and not np.isnan(r[a]) and not np.isnan(r[b])]
        if len(sel) >= 5:
            rho, p = spearmanr([r[a] for r in sel], [r[b] for r in sel])
            lines.append(f"- Spearman rho({a}, {b}) over perfect runs = {rho:+.2f}, p = {p:.2g} (n = {len(sel)})")
    with_functional = [r for r in rows if r["perfect"]]
    if with_functional:
        lines.append(f"- functional modules (circuits: a gate for each of record.modules; networks: neurons for L "
                     f"and R) in {sum(r['functional'] == 1 for r in with_functional)} of {len(with_functional)} "
                     f"perfect runs")
    # do the partitions agree better on solutions than on networks that fail?
    solved = [r["partitions_ari"] for r in rows if r["perfect"] and not np.isnan(r["partitions_ari"])]
    failed = [r["partitions_ari"] for r in rows if not r["perfect"] and not np.isnan(r["partitions_ari"])]
    if len(solved) >= 2 and len(failed) >= 2:
        lines.append(stats.mann_whitney("agreement of Q's partition with the least-exchange split", "perfect",
                                        "not perfect", solved, failed))
    for first, other in pairs or [(conds[0], c) for c in conds[1:]]:
        for key in ("kept_perfect", "mean_loss", "info_modularity"):      # mean loss: broadness of imperfect ones too
            a = [r[key] for r in by[first] if not np.isnan(r[key]) and (r["perfect"] or key != "kept_perfect")]
            b = [r[key] for r in by[other] if not np.isnan(r[key]) and (r["perfect"] or key != "kept_perfect")]
            if len(a) >= 2 and len(b) >= 2:
                lines.append(stats.mann_whitney(key, first, other, a, b))
    return "\n".join(lines)
