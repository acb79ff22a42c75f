"""Every Kashtan & Alon logic claim, measured for one setting of the open choices: the table that
says whether any setting reproduces them all at once (issue 21).

A setting is a campaign with conditions ``fixed_G1``, ``mvg`` and ``random`` run with
``stop.after_solved`` (``replications/dynamics_logic.sh``), plus optionally a decay directory
(``kashtan dynamics decay``) and the mutational distances (computed here, cached in the campaign
as ``distance.csv``). The paper's values: fixed G1 36/50 solved within 1e5, median 9,000; MVG
1,400; Qm 0.54 against 0.12; each switch re-solved in about 5 generations; G1 and G2 solutions
two connections apart; modularity lost within tens of generations under a fixed goal; random
goals non-modular.
"""
from __future__ import annotations

import math
from pathlib import Path

import numpy as np

from kashtan.analysis import distance, dynamics, stats
from kashtan.running import rundir

PAPER = {"fixed-goal time": "9,000 (36/50 by 1e5)", "MVG time": "1,400", "Qm, MVG − fixed": "0.42 (0.54 − 0.12)",
         "switches re-solved within 5 generations": "about all", "MVG G1 solutions within 2 changes of G2": "typical",
         "best's Q halfway to fixed within 1,000": "within tens", "Q, random − fixed": "≈ 0 (non-modular)"}


def _results(out, condition):
    try:
        _, res = rundir.results(out)
    except rundir.RunError:
        return []
    return res.get(condition, [])


def _km(rs):
    return stats.km_text(rs) if rs else "–"


def _at(rs, key):
    return [r["at_solution"][key] for r in rs if r.get("solved") and r.get("at_solution")
            and r["at_solution"].get(key) is not None and not math.isnan(r["at_solution"][key])]


def _gap(a, b, fmt=".2f") -> tuple[str, float | None, float | None]:
    """Difference of means with its 95 % bootstrap interval, Cliff's delta and the Mann-Whitney p."""
    if len(a) < 2 or len(b) < 2:
        return "–", None, None
    diff = np.mean(a) - np.mean(b)
    rng = np.random.default_rng(0)
    a, b = np.asarray(a), np.asarray(b)
    boots = [rng.choice(a, a.size).mean() - rng.choice(b, b.size).mean() for _ in range(4000)]
    lo, hi = np.percentile(boots, 2.5), np.percentile(boots, 97.5)
    _, p, delta = stats.mann_whitney_test(a, b)
    return f"{diff:{fmt}} [{lo:{fmt}}–{hi:{fmt}}], δ {delta:+.2f}, p {p:.1g}", float(lo), float(hi)


# what counts as reproducing each claim (fixed before any result was seen; the paper's numbers above)
CRITERIA = {
    "fixed-goal time": "the paper's 9,000 inside our Kaplan–Meier 95 % interval",
    "MVG time": "the paper's 1,400 inside our Kaplan–Meier 95 % interval",
    "Qm, MVG − fixed": "the paper's 0.42 inside our 95 % interval",
    "switches re-solved within 5 generations": "at least half of the switches after the solution",
    "MVG G1 solutions within 2 changes of G2": "at least half of the MVG G1 solutions",
    "best's Q halfway to fixed within 1,000": "in at least half of the populations",
    "Q, random − fixed": "equivalent: the 95 % interval of the difference within ±0.05",
}


def _km_holds(rs, value) -> bool | None:
    if not rs:
        return None
    med, lo, hi = stats.km_median(rs)
    cap = max(r["generations"] for r in rs)
    lo = 0 if lo is None and med is not None else lo
    return lo is not None and lo <= value <= (hi if hi is not None else float("inf")) and (lo <= cap)


def distances(out, max_changes: int = 2, workers: int = 1) -> list[dict]:
    """MVG solutions' distances to the other goal, read from ``distance.csv`` or computed."""
    path = Path(out) / "distance.csv"
    if path.exists():
        return distance.read_csv(path)
    rows = distance.campaign(out, ["mvg"], max_changes, workers)
    distance.write_csv(path, rows)
    return rows


def row(out, decay_dir=None, level: float = 0.34, workers: int = 1) -> dict:
    """The claims of one setting (keys of ``PAPER``): ``(text with its 95 % interval, reproduced?)``,
    reproduced judged by ``CRITERIA`` (None where not measured)."""
    fixed, mvg, rand = (_results(out, c) for c in ("fixed_G1", "mvg", "random"))
    r = {}
    if fixed:
        r["fixed-goal time"] = (f"{_km(fixed)}; {stats.solved_text(fixed)} by {max(x['generations'] for x in fixed):,}",
                                _km_holds(fixed, 9000))
    if mvg:
        r["MVG time"] = (_km(mvg), _km_holds(mvg, 1400))
    text, lo, hi = _gap(_at(mvg, "qm"), _at(fixed, "qm"))
    r["Qm, MVG − fixed"] = (text, None if lo is None else lo <= 0.42 <= hi)
    plan = rundir.read_campaign(out)
    if "mvg" in plan["conditions"]:
        runs = dynamics.campaign_switches(out, "mvg")
        share = dynamics._share(runs, 5) if runs else math.nan
        if not math.isnan(share):           # NaN: no run solved, so no switch after a solution
            sw = dynamics.switching_row(runs, int(plan["conditions"]["mvg"]["schedule"]["period"]))
            r["switches re-solved within 5 generations"] = (
                f"{sw['share re-solved within 5 generations']} (within the epoch {sw['share re-solved within the epoch']})",
                share >= 0.5)
        d = [x for x in distances(out, workers=workers) if x["from"] == "G1"]
        k = sum(x["changes"] is not None and x["changes"] <= 2 for x in d)
        if d:
            r["MVG G1 solutions within 2 changes of G2"] = (f"{k}/{len(d)}", k >= len(d) / 2)
    if decay_dir and Path(decay_dir).exists():
        s = dynamics.decay_summary(decay_dir, level)
        if s["runs"]:
            done = int(s["best_q"]["halfway"].split("/")[0])
            r["best's Q halfway to fixed within 1,000"] = (
                f"{s['best_q']['halfway']} (population median {s['q_median']['halfway']})", done >= s["runs"] / 2)
    text, lo, hi = _gap(_at(rand, "q"), _at(fixed, "q"), ".3f")
    r["Q, random − fixed"] = (text, None if lo is None else (-0.05 <= lo and hi <= 0.05))
    return r


def markdown(rows: dict[str, dict]) -> str:
    """One row per setting: each claim's value (✓ reproduced, ✗ not, by ``CRITERIA``) and the count."""
    head = ["setting", *PAPER, "claims reproduced"]
    body = [["reported by Kashtan & Alon", *PAPER.values(), "–"]]
    for name, r in rows.items():
        cells, k, n = [], 0, 0
        for claim in PAPER:
            text, ok = r.get(claim, ("–", None))
            cells.append(text + ("" if ok is None else " ✓" if ok else " ✗"))
            k, n = k + bool(ok), n + (ok is not None)
        body.append([name, *cells, f"{k}/{n}"])
    return stats.table(head, body)


def everything(rows: dict[str, dict]) -> list[str]:
    """The settings that reproduce every claim they were measured on (all seven)."""
    return [name for name, r in rows.items()
            if len(r) == len(PAPER) and all(ok for _, ok in r.values())]
