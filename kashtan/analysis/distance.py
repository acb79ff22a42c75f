"""Mutational distance between NAND circuits and goals: the fewest gene changes (connections
rewired) that turn a circuit into a perfect one for another goal, by exhaustive search.

Kashtan & Alon report that an MVG population's G1 and G2 solutions "differ by two connections".
A gene here is one connection (a gate input or an output's driver); a change sets it to any other
source its bounds allow, so ``k`` changes reach ``C(length, k) * (options - 1) ** k`` circuits
(25 genes of 16 sources: 375 at k = 1, 67,500 at 2, 7.8 million at 3). Every one of them is
scored, so "not within k" is exact.

>>> import numpy as np
>>> from circuits.nand import NandSpec
>>> from tasks.goals import logic_goal
>>> spec = NandSpec(2, 5)
>>> # XOR of A and B (gates 0-3), gate 4 unused; the output reads gate 3
>>> xor = np.array([0, 1, 0, 2, 1, 2, 3, 4, 0, 0, 5], dtype=np.int32)
>>> nxor = logic_goal("XNOR", ["A", "B"], ["~(A ^ B)"])
>>> found = nearest(xor, spec, nxor.words()[:, 0], max_changes=2)
>>> found.changes, len(found.solutions) > 0
(2, True)
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass, field

import numpy as np

from circuits import nand

_BATCH = 1 << 16


@dataclass
class Nearest:
    """``changes``: the fewest gene changes to a perfect circuit (None: more than ``searched``);
    ``solutions``: each as a tuple of (gene, new source) pairs, at most ``keep`` of them;
    ``count``: how many circuits at that distance are perfect; ``within_size``: how many of those
    also have at most ``size_threshold`` effective gates (no size penalty)."""
    changes: int | None
    searched: int
    count: int = 0
    within_size: int = 0
    solutions: list = field(default_factory=list)


def _perfect(pop, spec, targets, size_threshold):
    correct, effective = nand.evaluate(pop, spec, targets)
    ok = correct == spec.n_rows * spec.n_outputs
    return ok, ok & (effective <= size_threshold)


def nearest(genome: np.ndarray, spec: nand.NandSpec, targets: np.ndarray, max_changes: int = 3,
            size_threshold: int | None = None, keep: int = 20) -> Nearest:
    """The fewest changes of ``genome`` that give a circuit right on every row of ``targets``
    (one uint64 word per output), searching 0, 1, ... ``max_changes`` changes exhaustively.
    ``size_threshold``: also count solutions with at most that many effective gates."""
    genome = np.asarray(genome, dtype=nand.GENOME_DTYPE)
    spec.check(genome)
    targets = np.ascontiguousarray(targets, dtype=np.uint64).reshape(spec.n_outputs)
    limit = spec.n_gates if size_threshold is None else size_threshold
    ok, small = _perfect(genome[None], spec, targets, limit)
    if ok[0]:
        return Nearest(0, 0, 1, int(small[0]), [()])
    lo, hi = spec.bounds()
    # per gene, the sources other than the current one
    options = [np.array([s for s in range(lo[k], hi[k]) if s != genome[k]], dtype=nand.GENOME_DTYPE)
               for k in range(spec.length)]
    for k in range(1, max_changes + 1):
        found = Nearest(None, k)
        for genes in itertools.combinations(range(spec.length), k):
            grids = np.meshgrid(*[options[g] for g in genes], indexing="ij")
            values = np.stack([g.ravel() for g in grids], axis=1)
            for start in range(0, len(values), _BATCH):
                chunk = values[start:start + _BATCH]
                pop = np.repeat(genome[None], len(chunk), axis=0)
                pop[:, list(genes)] = chunk
                ok, small = _perfect(pop, spec, targets, limit)
                hits = np.flatnonzero(ok)
                found.count += hits.size
                found.within_size += int(small.sum())
                for h in hits[: max(0, keep - len(found.solutions))]:
                    found.solutions.append(tuple((int(g), int(v)) for g, v in zip(genes, chunk[h])))
        if found.count:
            found.changes = k
            return found
    return Nearest(None, max_changes)


def describe(change: tuple, spec: nand.NandSpec, names: list[str]) -> str:
    """One change set in words: ``g5.in1 <- g9, out0 <- g10``."""
    parts = []
    for gene, source in change:
        where = (f"g{gene // 2}.in{gene % 2}" if gene < 2 * spec.n_gates
                 else f"out{gene - 2 * spec.n_gates}")
        parts.append(f"{where} <- {names[source]}")
    return ", ".join(parts)


def role(change: tuple, genome: np.ndarray, spec: nand.NandSpec) -> str:
    """Where a change set acts: ``output`` if it touches an output's driver or the gate driving
    an output, ``unused`` if every changed gene belongs to a gate outside the output's cone
    (before the change), else ``inside``."""
    cone = set(nand.effective_gates(genome, spec).tolist())
    drivers = {int(s) - spec.n_inputs for s in genome[2 * spec.n_gates:]}
    gates = [g // 2 for g, _ in change if g < 2 * spec.n_gates]
    if len(gates) < len(change) or any(g in drivers for g in gates):
        return "output"
    if all(g not in cone for g in gates):
        return "unused"
    return "inside"


def _job(args):
    genome, spec, targets, max_changes, threshold = args
    return nearest(genome, spec, targets, max_changes, threshold, keep=50)


def campaign(out, conditions, max_changes: int = 3, workers: int = 1, final: bool = False) -> list[dict]:
    """For every finished run of ``conditions`` (NAND campaigns with goals G1 and G2), and for each
    goal whose best circuit (``best/GOAL.json``: the first of the best found) is perfect: the
    fewest changes to a perfect circuit for the other goal, how many such circuits (and within
    the size threshold), and where the closest changes act (``role``: output, inside the
    circuit, unused gates). ``final``: the final population's best instead (``final_best.json``,
    when perfect on its goal): a switching population late in the run."""
    import multiprocessing as mp
    from concurrent.futures import ProcessPoolExecutor

    from kashtan.configuration import build
    from kashtan.running import rundir
    plan = rundir.read_campaign(out)
    rows, jobs = [], []
    for c in conditions:
        cfg = plan["conditions"][c]
        goals = build.goals(cfg)
        if not {"G1", "G2"} <= set(goals):
            raise rundir.RunError(f"{out}: condition {c!r} has no goals G1 and G2")
        threshold = cfg["fitness"]["size_threshold"] if cfg["fitness"]["size_penalty"] else None
        for s in plan["seeds"]:
            d = rundir.seed_dir(out, c, s)
            if not rundir.is_finished(d):
                continue
            for goal, other in (("G1", "G2"), ("G2", "G1")):
                path = d / rundir.FINAL_BEST if final else rundir.best_file(d, goal)
                if not path.exists():
                    continue
                genome, spec, _, meta = rundir.read_genome(path)
                if not meta.get("perfect") or meta.get("goal") != goal:
                    continue
                rows.append({"condition": c, "seed": s, "from": goal, "to": other, "genome": genome, "spec": spec})
                jobs.append((genome, spec, goals[other].words()[:, 0].copy(), max_changes, threshold))
    if workers > 1 and len(jobs) > 1:
        with ProcessPoolExecutor(workers, mp_context=mp.get_context("spawn")) as pool:
            found = list(pool.map(_job, jobs, chunksize=4))
    else:
        found = [_job(j) for j in jobs]
    for r, f in zip(rows, found):
        roles = sorted({role(ch, r["genome"], r["spec"]) for ch in f.solutions})
        r.update(changes=f.changes, searched=f.searched, count=f.count, within_size=f.within_size,
                 roles="+".join(roles), effective=int(nand.effective_gates(r["genome"], r["spec"]).size))
        del r["genome"], r["spec"]
    return rows


FIELDS = ["condition", "seed", "from", "to", "effective", "changes", "searched", "count", "within_size", "roles"]


def markdown(rows: list[dict]) -> str:
    """Per condition and direction: how many solutions lie 1, 2, 3 or more changes from a perfect
    circuit for the other goal (share within 2 with a Wilson interval), and where the changes act."""
    from scipy import stats as st

    from kashtan.analysis import stats
    body = []
    for key in dict.fromkeys((r["condition"], r["from"], r["to"]) for r in rows):
        rs = [r for r in rows if (r["condition"], r["from"], r["to"]) == key]
        searched = max(r["searched"] for r in rs)
        counts = {k: sum(r["changes"] == k for r in rs) for k in range(1, searched + 1)}
        beyond = sum(r["changes"] is None for r in rs)
        k2 = sum(r["changes"] is not None and r["changes"] <= 2 for r in rs)
        ci = st.binomtest(k2, len(rs)).proportion_ci(method="wilson")
        roles = {}
        for r in rs:
            if r["changes"] is not None and r["changes"] <= 2:
                roles[r["roles"]] = roles.get(r["roles"], 0) + 1
        body.append([key[0], f"{key[1]} → {key[2]}", len(rs),
                     ", ".join(f"{counts[k]}" for k in counts) + f", {beyond}",
                     f"{k2}/{len(rs)} ({ci.low:.0%}–{ci.high:.0%})",
                     ", ".join(f"{k or '–'} {v}" for k, v in sorted(roles.items(), key=lambda kv: -kv[1])) or "–"])
    head = ["condition", "solution → goal", "solutions",
            f"fewest changes to a perfect circuit: 1, …, {searched}, more (runs)",
            "within 2 changes (95 % CI)", "where the closest changes act (within 2)"]
    return stats.table(head, body)


def write_csv(path, rows: list[dict]) -> None:
    """Rows of ``campaign`` as a CSV of ``FIELDS`` (``read_csv`` reads it back)."""
    import csv
    with open(path, "w", newline="") as f:
        w = csv.DictWriter(f, FIELDS)
        w.writeheader()
        w.writerows(rows)


def read_csv(path) -> list[dict]:
    """Rows written by ``kashtan dynamics distance`` (``FIELDS``), numbers as numbers."""
    import csv
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    for r in rows:
        r["changes"] = None if r["changes"] in ("", "None") else int(r["changes"])
        for k in ("seed", "effective", "searched", "count", "within_size"):
            r[k] = int(r[k])
    return rows
