"""Per-treatment summary of a network campaign, as Clune et al. report theirs.

Per condition: final Q of the best network (median and 95 % bootstrap interval of the
median, 10,000 resamples), both as kashtan maximises it and by spectral bisection alone
(Clune et al.'s method), runs that reached perfect performance and the generation they
first did, the share of best networks whose first bisection separates left from right
inputs, the share with single neurons computing the left and the right object; then
Mann-Whitney U tests of final Q between the first condition and each other, or between
the pairs asked for. Several campaign directories can be read as one table (for
conditions run as separate campaigns).

The best network of a run is taken from its final population: highest fitness on the
final goal, ties broken at random (seeded by the run's seed).
"""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from scipy.stats import mannwhitneyu

from circuits.modularity import best_partition
from kashtan import build
from kashtan.analyze import left_right
from kashtan.runner import read_campaign, seed_dir
from kashtan.summary import late_epochs_perfect, median_iqr


def bootstrap_median(values, reps: int = 10_000, seed: int = 0) -> tuple[float, float, float]:
    v = np.asarray(values, float)
    rng = np.random.default_rng(seed)
    meds = np.median(v[rng.integers(v.size, size=(reps, v.size))], axis=1)
    return float(np.median(v)), float(np.percentile(meds, 2.5)), float(np.percentile(meds, 97.5))


def best_network(cfg: dict, run_dir, prob=None) -> tuple[np.ndarray, dict]:
    """A finished run's best network: highest fitness on the final goal in the final
    population, ties broken at random (seeded by the run's seed). Not by fewest connections:
    that would select for sparseness, i.e. for the modularity being measured."""
    result = json.loads((run_dir / "result.json").read_text())
    prob = prob or build.problem(cfg)
    pop = np.load(run_dir / "final_population.npy")
    goal = build.schedule(cfg, result["seed"]).goal_at(result["generations"] - 1)
    fitness = prob.evaluate(pop, goal)[0]
    top = np.flatnonzero(fitness == fitness.max())
    return pop[np.random.default_rng(result["seed"]).choice(top)], result


def seed_stats(cfg: dict, run_dir) -> dict | None:
    if not (run_dir / "result.json").exists():
        return None
    prob = build.problem(cfg)
    best, result = best_network(cfg, run_dir, prob)
    q, _, nodes, adj = prob.partition(best)
    split, finds = left_right(best, prob.spec, adj, nodes)
    sched = cfg["schedule"]
    late = late_epochs_perfect(run_dir, sched["period"]) if sched["kind"] != "fixed" else None
    return {"q": q, "q_spectral": best_partition(adj, prob.q_kind, refine=False)[0],
            "perfect_at": result["first_perfect"], "late_perfect": late, "split": split,
            "l_and_r": finds == ["L", "R"], "connections": int(prob.size(best))}


def collect(outs) -> tuple[dict[str, int], dict[str, list[dict]]]:
    """Per condition of the campaigns in ``outs``: planned seed count and finished seeds' stats."""
    planned, stats = {}, {}
    for out in outs:
        plan = read_campaign(out)
        for c, cfg in plan["conditions"].items():
            if c in stats:
                raise ValueError(f"condition {c!r} appears in more than one campaign directory")
            planned[c] = len(plan["seeds"])
            stats[c] = [s for s in (seed_stats(cfg, seed_dir(out, c, k)) for k in plan["seeds"]) if s]
    return planned, stats


def markdown(outs, pairs=None) -> str:
    """The table for campaign directory ``outs`` (one or a list); ``pairs`` of conditions to
    test (default: the first condition against each other)."""
    outs = [outs] if isinstance(outs, (str, Path)) else list(outs)
    planned, stats = collect(outs)
    for pair in pairs or ():
        for c in pair:
            if c not in stats:
                raise ValueError(f"unknown condition {c!r} to compare; the campaigns have: {', '.join(stats)}")
    head = ("| condition | seeds done | final Q, median [95 % CI] | final Q, spectral only (as Clune et al.) | "
            "perfect | generation first perfect, median [IQR] | switching goals: last 10 % of epochs with a "
            "perfect network, median [IQR] | first bisection splits L/R | neurons for L and R | connections, median |")
    lines = [head, "|" + "---|" * 10]
    for c, rows in stats.items():
        if not rows:
            lines.append(f"| {c} | 0/{planned[c]} | – | – | – | – | – | – | – | – |")
            continue
        late = [r["late_perfect"] for r in rows if r["late_perfect"] is not None]
        late = "–" if not late else "{:.0%} [{:.0%}–{:.0%}]".format(*np.percentile(late, [50, 25, 75]))
        med, lo, hi = bootstrap_median([r["q"] for r in rows])
        smed, slo, shi = bootstrap_median([r["q_spectral"] for r in rows])
        perfect = [r["perfect_at"] for r in rows if r["perfect_at"] is not None]
        gens = median_iqr(perfect)
        lines.append(f"| {c} | {len(rows)}/{planned[c]} | {med:.3f} [{lo:.3f}–{hi:.3f}] | "
                     f"{smed:.3f} [{slo:.3f}–{shi:.3f}] | "
                     f"{len(perfect)}/{len(rows)} | {gens} | {late} | {sum(r['split'] for r in rows)}/{len(rows)} | "
                     f"{sum(r['l_and_r'] for r in rows)}/{len(rows)} | "
                     f"{np.median([r['connections'] for r in rows]):.0f} |")
    conds = [c for c in stats if len(stats[c]) > 1]
    if pairs is None:
        pairs = [(conds[0], other) for other in conds[1:]]
    for first, other in pairs:
        if len(stats[first]) < 2 or len(stats[other]) < 2:
            continue
        for key, label in (("q", "final Q"), ("q_spectral", "final Q, spectral only")):
            a, b = [r[key] for r in stats[first]], [r[key] for r in stats[other]]
            u, p = mannwhitneyu(a, b, alternative="two-sided")
            lines.append(f"{'' if key == 'q_spectral' else chr(10)}- {label}, {first} vs {other}: "
                         f"Mann–Whitney U = {u:.0f}, p = {p:.2g} (n = {len(a)}, {len(b)})")
    return "\n".join(lines)
