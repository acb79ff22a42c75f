"""Calibrating Qm: which piece of the normalisation moves our Qm away from Kashtan & Alon's?

Qm = (Q - Qrand) / (Qmax - Qrand). Each piece has choices the paper does not pin down; this study
changes one at a time from the engine's procedure and reports Qm of the textbook circuits and of
evolved fixed-goal and MVG solutions:

- the Q maximiser: ours (refined bisection + 128 rounds of local search, within 0.0022 of the
  exact maximum), ours without the search (``quick``), or Clauset-Newman-Moore greedy
  agglomeration (networkx), the kind of method available in 2005;
- Qrand: the mean Q of degree-preserving randomisations keeping every node's in- and out-degree
  (ours), keeping only the undirected degree, or random genomes through the same genotype ->
  phenotype map with as many effective gates (the paper says this "gave similar results");
  each measured with the same maximiser as Q, or (ours today) the quick one;
- Qmax: hill-climbing on degree-preserving swaps (ours: 2 climbs of 1,000 swaps; or 5 of 20,000),
  or evolving networks for Q (the paper's way: a population of 100 graphs, the best 20 kept,
  the rest mutated copies by one to three swaps, 1,000 generations);
- the graph: a gate fed twice by one source (a NOT) as one edge (ours) or two;
- 2-cycles (a->b and b->a) in the random and Qmax networks: allowed (ours; made undirected they
  weigh 2, a bond no evolved acyclic circuit has) or refused, so they are simple graphs like the
  circuit.

    python -m kashtan.analysis.qm_calibration --out replications/data/qm_calibration   # ~20 min on one core
"""
from __future__ import annotations

import argparse
import json
import math
from pathlib import Path

import networkx as nx
import numpy as np

from circuits import examples, nand
from circuits.modularity import RESTARTS, _partition, _search
from circuits.nand import NandSpec

SPEC = NandSpec(4, 12)


def edges_of(genome, spec: NandSpec = SPEC, multi: bool = False) -> tuple[np.ndarray, int]:
    """Directed edges (source, gate) of the phenotype (inputs and effective gates), relabelled
    0..n-1; ``multi``: a gate reading one source twice keeps both edges."""
    genome = np.asarray(genome)
    gates = nand.effective_gates(genome, spec)
    nodes = np.concatenate([np.arange(spec.n_inputs), spec.n_inputs + gates])
    pos = {int(v): i for i, v in enumerate(nodes)}
    edges = []
    for k in gates:
        pair = [int(genome[2 * k]), int(genome[2 * k + 1])]
        for s in (pair if multi or pair[0] != pair[1] else pair[:1]):
            if s != spec.n_inputs + k:                      # self-loops do not count in Q
                edges.append((pos[s], pos[spec.n_inputs + int(k)]))
    return np.array(edges, dtype=np.int64).reshape(-1, 2), len(nodes)


def matrix(edges: np.ndarray, n: int) -> np.ndarray:
    """Symmetric weighted adjacency: every edge adds 1 each way (a repeated edge adds 2)."""
    a = np.zeros((n, n))
    for s, d in edges:
        a[s, d] += 1
        a[d, s] += 1
    return a


def q_value(a: np.ndarray, maximiser: str = "full") -> float:
    """Newman-Girvan Q of the weighted undirected graph ``a``, maximised by ``maximiser``:
    ``full`` (ours), ``quick`` (ours without the local search) or ``greedy`` (CNM)."""
    k = a.sum(axis=1)
    m2 = k.sum()
    if m2 == 0:
        return 0.0
    if maximiser == "greedy":
        g = nx.from_numpy_array(a)
        g.remove_nodes_from([v for v in list(g) if g.degree(v) == 0])
        parts = nx.community.greedy_modularity_communities(g, weight="weight")
        return float(nx.community.modularity(g, parts, weight="weight"))
    s = 2.0 * (a - np.outer(k, k) / m2)
    q, labels = _partition(s, m2, 1e-5, True)
    if maximiser == "full" and s.shape[0] > 2:
        q, labels = _search(s, m2, labels, RESTARTS)
    return float(q)


def _swap(edges, rng, multi, directed=True):
    """One degree-preserving swap attempt in place (a->b, c->d to a->d, c->b); refused if it
    makes a self-loop or (simple graphs) a repeated edge. ``multi`` allows repeated edges; as in
    the engine, a->d may be made where d->a exists (a 2-cycle: weight 2 once undirected) unless
    ``ANTIPARALLEL[0]`` is False."""
    i, j = rng.integers(len(edges), size=2)
    (a, b), (c, d) = edges[i], edges[j]
    if not directed and rng.random() < 0.5:
        c, d = d, c
    if i == j or a == d or c == b:
        return False
    if not multi:
        have = {(int(x), int(y)) for x, y in edges}
        if not ANTIPARALLEL[0]:
            have |= {(y, x) for x, y in have}
        if (a, d) in have or (c, b) in have:
            return False
    edges[i], edges[j] = (a, d), (c, b)
    return True


ANTIPARALLEL = [True]


def randomised(edges, n, rng, multi, directed=True, burn_in=10):
    e = edges.copy()
    for _ in range(burn_in * len(e)):
        _swap(e, rng, multi, directed)
    return e


def q_rand(edges, n, rng, multi=False, maximiser="quick", method="swaps", samples=200):
    """Mean Q of ``samples`` random networks (``method`` above)."""
    qs = []
    e = randomised(edges, n, rng, multi, method == "swaps")
    for _ in range(samples):
        for _ in range(2 * len(e)):
            _swap(e, rng, multi, method == "swaps")
        qs.append(q_value(matrix(e, n), maximiser))
    return float(np.mean(qs))


def q_rand_genomes(genome, rng, multi=False, maximiser="quick", samples=200, spec=SPEC):
    """Mean Q of random genomes with as many effective gates as ``genome``."""
    want = len(nand.effective_gates(np.asarray(genome), spec))
    qs = []
    while len(qs) < samples:
        pop = spec.random(5000, rng)
        _, eff = nand.evaluate(pop, spec, np.zeros(spec.n_outputs, np.uint64))
        for g in pop[eff == want][: samples - len(qs)]:
            e, n = edges_of(g, spec, multi)
            qs.append(q_value(matrix(e, n), maximiser))
    return float(np.mean(qs))


def q_max_climb(edges, n, rng, multi=False, maximiser="quick", steps=1000, climbs=2):
    """Best Q of ``climbs`` hill-climbs of ``steps`` swap attempts (the first from the network
    itself), each step kept if Q does not fall; the end graphs measured with ``full``."""
    best = -1.0
    for c in range(climbs):
        e = edges.copy() if c == 0 else randomised(edges, n, rng, multi)
        q = q_value(matrix(e, n), maximiser)
        for _ in range(steps):
            trial = e.copy()
            if not _swap(trial, rng, multi):
                continue
            q2 = q_value(matrix(trial, n), maximiser)
            if q2 >= q:
                e, q = trial, q2
        best = max(best, q, q_value(matrix(e, n), "full" if maximiser != "greedy" else "greedy"))
    return best


def q_max_evolve(edges, n, rng, multi=False, maximiser="quick", size=100, keep=20, generations=1000):
    """Best Q found by evolving networks for Q: ``size`` degree-preserving randomisations, each
    generation the ``keep`` best survive and the rest are their copies mutated by 1-3 swaps."""
    pop = [randomised(edges, n, rng, multi) for _ in range(size)]
    fit = [q_value(matrix(e, n), maximiser) for e in pop]
    for _ in range(generations):
        order = np.argsort(fit)[::-1][:keep]
        elite = [pop[i] for i in order]
        pop, fit = elite[:], [fit[i] for i in order]
        while len(pop) < size:
            child = elite[rng.integers(keep)].copy()
            for _ in range(rng.integers(1, 4)):
                _swap(child, rng, multi)
            pop.append(child)
            fit.append(q_value(matrix(child, n), maximiser))
    best = pop[int(np.argmax(fit))]
    return max(max(fit), q_value(matrix(best, n), "full" if maximiser != "greedy" else "greedy"))


VARIANTS = {
    # name: (maximiser for Q, maximiser for Qrand/Qmax, Qrand method, Qmax method, multi-edges,
    #        2-cycles allowed in random and Qmax networks)
    "engine (today), re-implemented": ("full", "quick", "swaps", "climb", False, True),
    "Qrand with the full maximiser": ("full", "full", "swaps", "climb", False, True),
    "Qmax by a longer climb (5 x 20,000)": ("full", "quick", "swaps", "climb_long", False, True),
    "Qmax by evolving networks for Q": ("full", "quick", "swaps", "evolve", False, True),
    "Qrand from random genomes": ("full", "quick", "genomes", "climb", False, True),
    "NOT gates as two edges": ("full", "quick", "swaps", "climb", True, True),
    "greedy (CNM) maximiser throughout": ("greedy", "greedy", "swaps", "climb", False, True),
    "no 2-cycles in random and Qmax networks": ("full", "quick", "swaps", "climb", False, False),
    "no 2-cycles, undirected swaps": ("full", "quick", "undirected", "climb", False, False),
    "no 2-cycles, Qrand full maximiser": ("full", "full", "swaps", "climb", False, False),
    "no 2-cycles, longer climb": ("full", "quick", "swaps", "climb_long", False, False),
    "no 2-cycles, evolving for Q": ("full", "quick", "swaps", "evolve", False, False),
    "no 2-cycles, greedy (CNM) throughout": ("greedy", "greedy", "swaps", "climb", False, False),
    "no 2-cycles, Qrand from random genomes": ("full", "quick", "genomes", "climb", False, False),
    "no 2-cycles, random genomes, evolving for Q": ("full", "quick", "genomes", "evolve", False, False),
}


RECORDED = "engine as it records Qm (circuits.qm, 1,000 random networks)"


def _recorded(genome) -> dict:
    """Qm as the engine records it, for comparison with this module's re-implementation."""
    from evo.problem import NandProblem
    problem = NandProblem(SPEC)
    genome = np.asarray(genome, dtype=nand.GENOME_DTYPE)
    q = problem.q(genome)
    qrand, qmax = problem.normalizer.reference(problem.adjacency(genome)[0])
    return {"q": q, "qrand": qrand, "qmax": max(qmax, q), "qm": problem.qm(genome)}


def qm_of(genome, variant: str, seed: int = 0, samples: int = 200) -> dict:
    if variant == RECORDED:
        return _recorded(genome)
    qm_max, ref_max, rand_method, max_method, multi, cycles = VARIANTS[variant]
    rng = np.random.default_rng(seed)
    ANTIPARALLEL[0] = cycles
    edges, n = edges_of(genome, SPEC, multi)
    q = q_value(matrix(edges, n), qm_max)
    if rand_method == "genomes":
        qr = q_rand_genomes(genome, rng, multi, ref_max, samples)
    else:
        qr = q_rand(edges, n, rng, multi, ref_max, rand_method, samples)
    if max_method == "evolve":
        qx = q_max_evolve(edges, n, rng, multi, ref_max)
    elif max_method == "climb_long":
        qx = q_max_climb(edges, n, rng, multi, ref_max, 20000, 5)
    else:
        qx = q_max_climb(edges, n, rng, multi, ref_max)
    qx = max(qx, q)
    return {"q": q, "qrand": qr, "qmax": qx, "qm": (q - qr) / (qx - qr) if qx - qr > 1e-12 else math.nan}


def solutions(campaign, condition, goal="G1", limit=20):
    from kashtan.running import rundir
    plan = rundir.read_campaign(campaign)
    out = []
    for s in plan["seeds"]:
        p = rundir.best_file(rundir.seed_dir(campaign, condition, s), goal)
        if p.exists():
            g, spec, _, meta = rundir.read_genome(p)
            if meta.get("perfect") and spec == SPEC:
                out.append(g)
        if len(out) == limit:
            break
    return out


def study(mvg_campaign, fixed_campaign, fixed_condition, limit=20, variants=None) -> dict:
    circuits = {"textbook G1": [np.array(examples.MODULAR_G1)], "textbook G2": [np.array(examples.MODULAR_G2)],
                "MVG solutions (G1)": solutions(mvg_campaign, "mvg", "G1", limit),
                "fixed-goal solutions (G1)": solutions(fixed_campaign, fixed_condition, "G1", limit)}
    out = {}
    for v in variants or [RECORDED, *VARIANTS]:
        out[v] = {}
        for name, gs in circuits.items():
            vals = [qm_of(g, v, seed=i) for i, g in enumerate(gs)]
            out[v][name] = {k: float(np.nanmean([x[k] for x in vals])) for k in ("q", "qrand", "qmax", "qm")}
            out[v][name]["n"] = len(vals)
            print(v, name, {k: round(x, 3) for k, x in out[v][name].items()}, flush=True)
    return out


def markdown(result: dict) -> str:
    from kashtan.analysis import stats
    rows = []
    base = result.get(RECORDED) or result.get("engine (today)")
    for v, r in result.items():
        mvg, fixed = r["MVG solutions (G1)"]["qm"], r["fixed-goal solutions (G1)"]["qm"]
        row = [v, f"{r['textbook G1']['qm']:.2f}", f"{r['textbook G2']['qm']:.2f}", f"{mvg:.2f}", f"{fixed:.2f}",
               f"{mvg - fixed:.2f}", f"{r['MVG solutions (G1)']['qrand']:.3f}", f"{r['MVG solutions (G1)']['qmax']:.3f}"]
        if base:
            bm = base["MVG solutions (G1)"]["qm"]
            row.append(f"{mvg - bm:+.2f}")
        rows.append(row)
    head = ["procedure", "Qm textbook G1", "Qm textbook G2", "Qm MVG solutions (mean)", "Qm fixed-goal solutions (mean)",
            "MVG − fixed", "Qrand (MVG, mean)", "Qmax (MVG, mean)", "MVG Qm moved by"]
    return stats.table(head, rows) + ("\n\nPaper: MVG 0.54, fixed 0.12 (gap 0.42).")


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python -m kashtan.analysis.qm_calibration", description=__doc__.split("\n\n")[0])
    p.add_argument("--mvg", default="replications/data/dyn_switching")
    p.add_argument("--fixed", default="replications/data/choices_logic")
    p.add_argument("--fixed-condition", default="fixed_G1__ties=elite_first__feedback=true")
    p.add_argument("--limit", type=int, default=20)
    p.add_argument("--variants", help="names separated by semicolons (default all)")
    p.add_argument("--out", required=True)
    a = p.parse_args(argv)
    variants = a.variants.split(";") if a.variants else None
    result = study(a.mvg, a.fixed, a.fixed_condition, a.limit, variants)
    out = Path(a.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "qm_calibration.json").write_text(json.dumps(result, indent=1) + "\n")
    (out / "qm_calibration.md").write_text(markdown(result) + "\n")
    print(markdown(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
