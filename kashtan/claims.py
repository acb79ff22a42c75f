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

import csv
import math
from pathlib import Path

import numpy as np

from kashtan import distance, dynamics, rundir, stats

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


def _gap(a, b, fmt=".2f"):
    if len(a) < 2 or len(b) < 2:
        return "–"
    diff = np.mean(a) - np.mean(b)
    rng = np.random.default_rng(0)
    a, b = np.asarray(a), np.asarray(b)
    boots = [rng.choice(a, a.size).mean() - rng.choice(b, b.size).mean() for _ in range(4000)]
    _, p, delta = stats.mann_whitney_test(a, b)
    return (f"{diff:{fmt}} [{np.percentile(boots, 2.5):{fmt}}–{np.percentile(boots, 97.5):{fmt}}], "
            f"δ {delta:+.2f}, p {p:.1g}")


def distances(out, max_changes: int = 2, workers: int = 1) -> list[dict]:
    """MVG solutions' distances to the other goal, read from ``distance.csv`` or computed."""
    path = Path(out) / "distance.csv"
    if path.exists():
        return distance.read_csv(path)
    rows = distance.campaign(out, ["mvg"], max_changes, workers)
    with open(path, "w", newline="") as f:
        w = csv.DictWriter(f, distance.FIELDS)
        w.writeheader()
        w.writerows(rows)
    return rows


def row(out, decay_dir=None, level: float = 0.34, workers: int = 1) -> dict:
    """The claims of one setting (keys of ``PAPER``), each with its 95 % interval."""
    fixed, mvg, rand = (_results(out, c) for c in ("fixed_G1", "mvg", "random"))
    r = {"fixed-goal time": (f"{_km(fixed)}; {stats.solved_text(fixed)} by {max(x['generations'] for x in fixed):,}"
                             if fixed else "–"),
         "MVG time": _km(mvg),
         "Qm, MVG − fixed": _gap(_at(mvg, "qm"), _at(fixed, "qm"))}
    plan = rundir.read_campaign(out)
    if "mvg" in plan["conditions"]:
        runs = dynamics.campaign_switches(out, "mvg")
        sw = dynamics.switching_row(runs, int(plan["conditions"]["mvg"]["schedule"]["period"])) if runs else {}
        r["switches re-solved within 5 generations"] = (
            f"{sw['share re-solved within 5 generations']} (within the epoch {sw['share re-solved within the epoch']})"
            if sw else "–")
        d = [x for x in distances(out, workers=workers) if x["from"] == "G1"]
        k = sum(x["changes"] is not None and x["changes"] <= 2 for x in d)
        r["MVG G1 solutions within 2 changes of G2"] = f"{k}/{len(d)}" if d else "–"
    if decay_dir and Path(decay_dir).exists():
        s = dynamics.decay_summary(decay_dir, level)
        if s["runs"]:
            r["best's Q halfway to fixed within 1,000"] = (f"{s['best_q']['halfway']} (population median "
                                                           f"{s['q_median']['halfway']})")
    r["Q, random − fixed"] = _gap(_at(rand, "q"), _at(fixed, "q"), ".3f")
    return r


def markdown(rows: dict[str, dict]) -> str:
    head = ["setting", *PAPER]
    body = [["paper", *PAPER.values()]] + [[name, *(r.get(k, "–") for k in PAPER)] for name, r in rows.items()]
    return stats.table(head, body)
