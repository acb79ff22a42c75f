"""The status table of replications/PROGRAM.md: each finding of the research program's experiments
as one comparison on the archives, judged by ``rules`` with Benjamini–Hochberg over this table.
A finding worded "does not" or "no more" is a claim of no difference and needs equivalence.
"""
from __future__ import annotations

import functools
import re
from pathlib import Path

from kashtan.running import rundir
from kashtan.analysis import stats
from kashtan.report import netsummary, rules, verdicts

DATA = verdicts.DATA

# (finding, what is measured, test, (archive, condition) a, (archive, condition) b, section heading).
# test: "sooner" (a solves sooner than b), "larger" (a's value larger), "same" (no difference)
FINDINGS = [
    ("MVG on the first stage speeds the serial task up", "generations to solve", "sooner",
     ("serial_logic", "serial_mvg_first"), ("serial_logic", "serial_fixed"), "Serial against parallel sub-tasks"),
    ("Serial MVG circuits are less modular than parallel MVG ones", "Q at solution", "larger",
     ("serial_logic", "parallel_mvg"), ("serial_logic", "serial_mvg_first"), "Serial against parallel sub-tasks"),
    ("Varying the second stage also speeds the serial task up", "generations to solve", "sooner",
     ("serial_logic_swap", "serial_mvg_swap"), ("serial_logic", "serial_fixed"), "The second stage varied fairly"),
    ("RMVG on the second stage gives more modular circuits than the fixed goal", "Q at solution", "larger",
     ("serial_logic_rmvg", "serial_rmvg_second"), ("serial_logic", "serial_fixed"), "RMVG on one stage"),
    ("RMVG on the first stage gives circuits no more modular than the fixed goal", "Q at solution", "same",
     ("serial_logic_rmvg", "serial_rmvg_first"), ("serial_logic", "serial_fixed"), "RMVG on one stage"),
    ("Retina: varying the second stage makes serial networks more modular", "final Q", "larger",
     ("serial_retina", "serial_mvg_second"), ("serial_retina", "serial_fixed"), "Serial against parallel sub-tasks on the retina"),
    ("Retina: varying the first stage does not", "final Q", "same",
     ("serial_retina", "serial_mvg_first"), ("serial_retina", "serial_fixed"), "Serial against parallel sub-tasks on the retina"),
    ("Retina: MVG on the parallel task raises Q", "final Q", "larger",
     ("serial_retina", "parallel_mvg"), ("serial_retina", "parallel_fixed"), "Serial against parallel sub-tasks on the retina"),
    ("Q at solution does not change from 12 to 24 gates", "Q at solution", "same",
     ("size_logic", "free_24"), ("size_logic", "free_12"), "Size: NAND circuits"),
    ("Q at solution does not change from 12 to 48 gates", "Q at solution", "same",
     ("size_logic", "free_48"), ("size_logic", "free_12"), "Size: NAND circuits"),
    ("With the cost, modularity grows with size (4x against 1x)", "final Q", "larger",
     ("size_retina", "pcc_4x"), ("clune_simplified", "pcc"), "Size: retina networks"),
    ("Without a cost, Q does not grow with size (4x against 1x)", "final Q", "same",
     ("size_retina", "pa_4x"), ("clune_simplified", "pa"), "Size: retina networks"),
    ("P&CC networks are more modular than PA at 8x", "final Q", "larger",
     ("size_retina_8x", "pcc_8x"), ("size_retina_8x", "pa_8x"), "Size: retina networks"),
    ("A length cost with optimally placed hidden neurons gives more modular networks than at fixed places",
     "final Q, L1 cost", "larger", ("clune_variants", "pcc_l1_optimal"), ("clune_variants", "pcc_l1"),
     "Local connection costs and input layouts"),
    ("A total cost (every connection costs 1) does not make networks more modular than PA", "final Q", "same",
     ("clune_count", "pcc_count"), ("clune_simplified", "pa"), "The total cost"),
    ("No wire cost makes NAND circuits more modular: L1 against none", "Q at solution, fixed goal", "same",
     ("local_cost_logic", "fixed_l1"), ("local_cost_logic", "fixed_none"), "Total against local wire cost"),
    ("No wire cost makes NAND circuits more modular: count against none", "Q at solution, fixed goal", "same",
     ("local_cost_logic", "fixed_count"), ("local_cost_logic", "fixed_none"), "Total against local wire cost"),
    ("MVG, not cost, raises Q on NAND circuits", "Q at solution, no cost", "larger",
     ("local_cost_logic", "mvg_none"), ("local_cost_logic", "fixed_none"), "Total against local wire cost"),
    ("Without cost, MVG raises modularity on the retina", "final Q", "larger",
     ("clune_goals", "mvg_pa"), ("clune_simplified", "pa"), "MVG and RMVG on the retina"),
    ("Without cost, RMVG does not", "final Q", "same",
     ("clune_goals", "rmvg_pa"), ("clune_simplified", "pa"), "MVG and RMVG on the retina"),
    ("With the cost, MVG adds nothing", "final Q", "same",
     ("clune_goals", "mvg_pcc"), ("clune_simplified", "pcc"), "MVG and RMVG on the retina"),
    ("With the cost, RMVG adds nothing", "final Q", "same",
     ("clune_goals", "rmvg_pcc"), ("clune_simplified", "pcc"), "MVG and RMVG on the retina"),
    ("Without a cost, noise (p = 0.1) makes networks less modular", "final Q, noiseless against p = 0.1", "larger",
     ("clune_simplified", "pa"), ("noise_retina", "pa__input_noise=0.1"), "Noisy inputs on the retina"),
    ("With the cost, noise (p = 0.1) does not change modularity", "final Q", "same",
     ("noise_retina", "pcc__input_noise=0.1"), ("clune_simplified", "pcc"), "Noisy inputs on the retina"),
]


@functools.cache
def networks(archive: str) -> dict[str, list[dict]]:
    """Per condition, netsummary's stats of an archive's final networks (read once per process)."""
    return netsummary.collect([DATA / archive])[1]


@functools.cache
def circuits(archive: str) -> tuple[dict, dict]:
    """``rundir.results`` of an archive (read once per process)."""
    return rundir.results(DATA / archive)


def _is_network(archive: str) -> bool:
    plan = rundir.read_campaign(DATA / archive)
    return next(iter(plan["conditions"].values()))["circuit"]["kind"] == "network"


def _values(where: tuple[str, str], measured: str) -> list[float]:
    archive, cond = where
    if _is_network(archive):
        return [r["q"] for r in networks(archive)[cond]]
    return verdicts.at_solution(circuits(archive)[1][cond], "q")


def measure(test: str, measured: str, a: tuple[str, str], b: tuple[str, str]) -> rules.Result | None:
    if not all((DATA / w[0] / rundir.CAMPAIGN).exists() for w in (a, b)):
        return None
    if test == "sooner":
        (plan, found), (plan_b, found_b) = circuits(a[0]), circuits(b[0])
        cap = min(verdicts.cap(plan, a[1]), verdicts.cap(plan_b, b[1]))
        return rules.sooner(found[a[1]], found_b[b[1]], cap)
    what = "Q" if "Q" in measured else measured
    return rules.larger(_values(a, measured), _values(b, measured), what, no_difference=test == "same", fmt=".3f")


def anchor(heading_start: str, document: Path = DATA.parent / "PROGRAM.md") -> str:
    """GitHub's anchor of the first heading of ``document`` that starts with ``heading_start``."""
    for line in document.read_text().splitlines():
        if line.startswith("#") and line.lstrip("#").strip().startswith(heading_start):
            text = line.lstrip("#").strip().lower()
            return "#" + re.sub(r"[^\w\- ]", "", text).replace(" ", "-")
    raise ValueError(f"PROGRAM.md has no heading starting {heading_start!r}")


@functools.cache
def results() -> tuple[rules.Result | None, ...]:
    found = [measure(test, measured, a, b) for _, measured, test, a, b, _ in FINDINGS]
    rules.correct(found)
    return tuple(found)


def table() -> str:
    body = []
    for (finding, measured, test, a, b, section), r in zip(FINDINGS, results()):
        against = f"`{a[1]}` ({a[0]}) against `{b[1]}` ({b[0]})"
        body.append([finding, f"{measured}: {against}", "not archived" if r is None else r.ours + (f"; {r.note}" if r.note else ""),
                     "–" if r is None else r.test, "–" if r is None or r.q is None else f"{r.q:.2g}",
                     f"**{_wording(rules.verdict(r), test)}**", f"[→]({anchor(section)})"])
    tested = sum(r is not None and r.p is not None for r in results())
    return (stats.table(["finding", "what is measured", "ours (95 % intervals)", "test", "q", "status", "more"], body)
            + f"\n\nq: Benjamini–Hochberg over the {tested} tests of this table. *shown*: q < 0.05 in the finding's "
            "direction; *against*: q < 0.05 the other way; *no difference shown*: the 90 % interval of Cliff's δ "
            f"inside ±{rules.MARGIN} (a finding of no difference needs this); *no effect (bounded)*: the same "
            "for a finding of a difference; *a difference*: a finding of no "
            "difference meets one at q < 0.05; *not shown (suggestive)*: p < 0.05 but q ≥ 0.05; *not shown*: "
            "neither. The sections below are the narrative of each experiment as it was run; where their wording "
            "is stronger than this table, this table is the current status.")


def _wording(verdict: str, test: str) -> str:
    """Findings are the program's own, not a paper's: say shown / not shown rather than replicates."""
    if test == "same":
        return {"replicates": "no difference shown", "does not replicate": "a difference", "inconclusive": "not shown",
                "not tested": "not archived"}[verdict]
    return {"replicates": "shown", "direction only": "shown", "opposite": "against", "inconclusive": "not shown",
            "inconclusive (suggestive)": "not shown (suggestive)", "does not replicate": "no effect (bounded)",
            "not tested": "not archived"}[verdict]
