"""Which open choices decide each claim: Kashtan & Alon's timing and modularity claims measured
under every setting of the open choices (``choices_logic``, ``choices_retina``), judged by
``rules`` with Benjamini–Hochberg over this table (its family), and Clune et al.'s main comparison.

    python -m kashtan.report.verdicts          # print the table
"""
from __future__ import annotations

import functools
from pathlib import Path

from kashtan.running import rundir
from kashtan.analysis import stats
from kashtan.report import rules

DATA = Path(__file__).resolve().parents[2] / "replications" / "data"
LOGIC = {"paper": ((1400, 9000), (0.54, 0.12)), "default": "ties elite-first, feedback on"}
RETINA = {"paper": ((2800, 21000), (0.35, 0.15)), "default": "one fixed sample of 100 patterns, ties elite-first"}


def cap(plan: dict, *conditions) -> int:
    return min(plan["conditions"][c]["stop"]["max_generations"] for c in conditions)


def at_solution(runs: list[dict], key: str) -> list[float]:
    return [r["at_solution"][key] for r in runs if r["solved"] and r.get("at_solution")
            and r["at_solution"].get(key) is not None]


def pair(plan, found, mvg: str, fixed: str, paper) -> tuple[rules.Result, rules.Result]:
    """MVG against the fixed goal: sooner (paper's medians), and higher Qm at solution (paper's means)."""
    a, b = found[mvg], found[fixed]
    return (rules.sooner(a, b, cap(plan, mvg, fixed), paper=paper[0]),
            rules.larger(at_solution(a, "qm"), at_solution(b, "qm"), "Qm at solution", paper=paper[1]))


def logic_settings() -> dict[str, tuple[str, str]]:
    """Setting text -> (MVG condition, fixed condition) in ``choices_logic``."""
    out = {}
    for ties in ("elite_first", "random", "stable"):
        for fb in ("true", "false"):
            tag = f"__ties={ties}__feedback={fb}"
            out[f"ties {ties.replace('_', '-')}, feedback {'on' if fb == 'true' else 'off'}"] = (f"mvg{tag}", f"fixed_G1{tag}")
    return out


def retina_settings() -> dict[str, tuple[str, str]]:
    out = {}
    for scoring, text in (("sample", "one fixed sample of 100 patterns"), ("resampled", "100 patterns drawn anew each generation"),
                          ("all", "all 256 patterns")):
        for ties in ("elite_first", "random"):
            out[f"{text}, ties {ties.replace('_', '-')}"] = (f"mvg_{scoring}__ties={ties}", f"fixed_{scoring}__ties={ties}")
    return out


CLAIMS = {"logic": ("K&A logic: MVG solves sooner (1,400 vs 9,000)", "K&A logic: MVG circuits have higher Qm (0.54 vs 0.12)"),
          "retina": ("K&A retina: MVG reaches 95 % sooner (2,800 vs 21,000)", "K&A retina: MVG networks have higher Qm (0.35 vs 0.15)")}


@functools.cache
def rows(data: Path = DATA) -> tuple[tuple[str, str, rules.Result], ...]:
    """(claim, setting, result) for every claim and setting, corrected over the whole table."""
    out = []
    for name, settings, paper in (("logic", logic_settings(), LOGIC["paper"]), ("retina", retina_settings(), RETINA["paper"])):
        plan, found = rundir.results(data / f"choices_{name}")
        for setting, (mvg, fixed) in settings.items():
            for claim, r in zip(CLAIMS[name], pair(plan, found, mvg, fixed, paper)):
                out.append((claim, setting, r))
    rules.correct([r for *_, r in out])
    return tuple(out)


def flips(claim: str, default: str, data: Path = DATA) -> str:
    """The settings under which ``claim`` gets another verdict than under ``default``."""
    found = {s: rules.verdict(r) for c, s, r in rows(data) if c == claim}
    base = found[default]
    other = [f"{s} ({v})" for s, v in found.items() if v != base]
    return "; ".join(other) if other else "none of the settings tried"


def markdown(data: Path = DATA) -> str:
    body = [[c, s, r.ours, r.test + (f"; {r.note}" if r.note else ""), "–" if r.q is None else f"{r.q:.2g}",
             f"**{rules.verdict(r)}**"]
            for c, s, r in rows(data)]
    return (stats.table(["paper claim", "setting", "ours (95 % intervals)", "test", "q (BH, this table)", "verdict"], body)
            + "\n\nTimes: Kaplan–Meier medians over all runs (unsolved censored at the cap), compared by the restricted "
            "mean time to the cap (permutation test); Qm at solution: means with 95 % bootstrap intervals, Mann–Whitney "
            "and Cliff's δ. Verdict rules: `kashtan/report/rules.py` (\"replicates\" also needs the paper's values inside "
            "our intervals).")


if __name__ == "__main__":
    print(markdown())
