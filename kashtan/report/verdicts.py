"""The "which choices decide each claim" table of replications/README.md, computed from the
campaign archives (issue 8, deliverable 6): per paper claim and per setting of the open choices,
the two conditions compared, their numbers with intervals, the test, the effect size and a
verdict by one rule.

    python -m kashtan.report.verdicts                 # rewrite the table in the README
    python -m kashtan.report.verdicts --print         # only print it

Rule: "replicates" when the test gives p < 0.05 in the paper's direction; "opposite" when
p < 0.05 the other way; "not shown" otherwise (with the direction seen). For times, the
direction is the restricted mean's; where the Kaplan-Meier medians point the other way (the
curves cross: one condition is faster in most runs but leaves more unsolved) the verdict is
"mixed". Times to solve are
compared by the log-rank test over all runs (unsolved censored at the cap) with the restricted
mean time to the cap as effect size; modularity by Mann–Whitney U with Cliff's delta; shares
(left/right splits) by Fisher's exact test with the difference in proportions.
"""
from __future__ import annotations

import argparse
from pathlib import Path

from scipy import stats as st

from kashtan import rundir, stats
from kashtan.report import netsummary

DATA = Path(__file__).resolve().parents[2] / "replications" / "data"
ALPHA = 0.05


def _verdict(p: float, paper_way: bool, no_difference: bool = False) -> str:
    if no_difference:           # the paper claims no effect: a difference either way contradicts it
        return "**replicates** (no difference found)" if p >= ALPHA else "does not replicate (a difference)"
    if p >= ALPHA:
        return f"not shown ({'paper' if paper_way else 'other'} direction)"
    return "**replicates**" if paper_way else "**opposite**"


def faster(a: list[dict], b: list[dict], names, cap: int) -> list:
    """Does ``a`` solve sooner than ``b``? Each run: solved, solved_at, generations (runs stop at
    the solution or at the generation ``cap``)."""
    p = st.logrank(stats.censored(a), stats.censored(b)).pvalue if any(r["solved"] for r in a + b) else 1.0
    ma, mb = stats.rmst(a, cap), stats.rmst(b, cap)
    # a median beyond the cap counts as the cap plus one: later than any median within it
    med_a, med_b = (cap + 1 if m is None else m for m in (stats.km_median(r)[0] for r in (a, b)))
    verdict = _verdict(p, ma < mb)
    if p < ALPHA and (med_a < med_b) != (ma < mb) and med_a != med_b:
        # the curves cross: most runs of one are faster, but it leaves more runs unsolved
        verdict = (f"mixed: {names[0] if med_a < med_b else names[1]} has the earlier median, "
                   f"{names[0] if ma < mb else names[1]} the smaller restricted mean (more runs solved)")
    return [f"{names[0]}: {stats.solved_text(a)}, KM median {stats.km_text(a)}",
            f"{names[1]}: {stats.solved_text(b)}, KM median {stats.km_text(b)}",
            f"log-rank p = {p:.2g}", f"restricted mean to {cap:,}: {ma:,.0f} vs {mb:,.0f}", verdict]


def more(a: list[float], b: list[float], names, what: str, no_difference: bool = False) -> list:
    """Is ``what`` larger in ``a`` than in ``b``? (``no_difference``: the paper says it is not.)"""
    if len(a) < 2 or len(b) < 2:
        return [f"{names[0]}: n = {len(a)}", f"{names[1]}: n = {len(b)}", "too few runs", "–", "not testable"]
    _, p, delta = stats.mann_whitney_test(a, b)
    fmt = "{:.3f} [{:.3f}–{:.3f}]"
    return [f"{names[0]}: {what} {fmt.format(*stats.bootstrap_median(a))} (n = {len(a)})",
            f"{names[1]}: {fmt.format(*stats.bootstrap_median(b))} (n = {len(b)})",
            f"Mann–Whitney p = {p:.2g}", f"Cliff's delta {delta:+.2f}", _verdict(p, delta > 0, no_difference)]


def share(a: list[bool], b: list[bool], names, what: str) -> list:
    """Is the share of ``what`` larger in ``a`` than in ``b``?"""
    ka, kb = sum(a), sum(b)
    p = st.fisher_exact([[ka, len(a) - ka], [kb, len(b) - kb]]).pvalue
    return [f"{names[0]}: {what} {ka}/{len(a)}", f"{names[1]}: {kb}/{len(b)}", f"Fisher p = {p:.2g}",
            f"difference {ka / len(a) - kb / len(b):+.0%}", _verdict(p, ka / len(a) > kb / len(b))]


def _results(name: str) -> tuple[dict, dict]:
    return rundir.results(DATA / name)


def _cap(plan: dict, *conditions) -> int:
    return min(plan["conditions"][c]["stop"]["max_generations"] for c in conditions)


def _q_at_solution(runs: list[dict]) -> list[float]:
    return [r["at_solution"]["q"] for r in runs if r["solved"] and r["at_solution"]
            and r["at_solution"].get("q") is not None]


def _mvg_against_fixed(plan, found, mvg: str, fixed: str, setting: str, paper: str, reached: str) -> list[list]:
    """The two claims of Kashtan & Alon for one setting: MVG ``reached`` sooner, and more modular."""
    a, b = found[mvg], found[fixed]
    return [[f"K&A {paper[0]}: MVG {reached} sooner than the fixed goal ({paper[1]})", setting,
             *faster(a, b, ("MVG", "fixed"), _cap(plan, mvg, fixed))],
            [f"K&A {paper[0]}: MVG {paper[3]} are more modular ({paper[2]})", setting,
             *more(_q_at_solution(a), _q_at_solution(b), ("MVG", "fixed"), "Q at solution")]]


def logic_rows() -> list[list]:
    plan, found = _results("choices_logic")
    paper = ("logic", "1,400 vs 9,000", "Qm 0.54 vs 0.12", "circuits")
    rows = []
    for ties in ("elite_first", "random", "stable"):
        for fb in ("true", "false"):
            tag = f"__ties={ties}__feedback={fb}"
            setting = f"ties {ties.replace('_', '-')}, feedback {'on' if fb == 'true' else 'off'}"
            rows += _mvg_against_fixed(plan, found, f"mvg{tag}", f"fixed_G1{tag}", setting, paper, "solves G1")
    _, goals = _results("logic_rmvg")
    fixed = found["fixed_G1__ties=elite_first__feedback=true"]
    rows.append(["K&A logic: varying goals that keep the sub-tasks (RMVG) give modular circuits, random goals do not",
                 "defaults (ties elite-first, feedback on)", *more(_q_at_solution(goals["rmvg"]), _q_at_solution(goals["random"]),
                                                        ("RMVG", "random"), "Q at solution")])
    rows.append(["K&A logic: random goals give circuits no more modular than the fixed goal", "defaults",
                 *more(_q_at_solution(goals["random"]), _q_at_solution(fixed), ("random", "fixed"), "Q at solution",
                       no_difference=True)])
    return rows


def retina_rows() -> list[list]:
    plan, found = _results("choices_retina")
    paper = ("retina", "2,800 vs 21,000", "Qm 0.35 vs 0.15", "networks")
    rows = []
    for scoring, text in (("sample", "one fixed sample of 100 patterns"), ("resampled", "100 patterns drawn anew each generation"),
                          ("all", "all 256 patterns")):
        for ties in ("elite_first", "random"):
            tag = f"_{scoring}__ties={ties}"
            rows += _mvg_against_fixed(plan, found, f"mvg{tag}", f"fixed{tag}", f"{text}, ties {ties.replace('_', '-')}",
                                       paper, "reaches 95 %")
    return rows


def clune_rows() -> list[list]:
    _, found = netsummary.collect([DATA / "clune_simplified"])
    cap = _cap(rundir.read_campaign(DATA / "clune_simplified"), "pa", "pcc")
    pa, pcc = found["pa"], found["pcc"]
    setting = "cost on the simplified network (Clune et al.'s code)"
    timed = netsummary.first_perfect_times
    return [["Clune: P&CC networks are more modular than PA", setting,
             *more([r["q"] for r in pcc], [r["q"] for r in pa], ("P&CC", "PA"), "final Q")],
            ["Clune: P&CC networks are perfect in fewer generations", setting, *faster(timed(pcc), timed(pa), ("P&CC", "PA"), cap)],
            ["Clune: more P&CC networks split into left and right modules", setting,
             *share([r["split"] for r in pcc], [r["split"] for r in pa], ("P&CC", "PA"), "first bisection L/R")]]


HEADER = ["paper claim", "setting", "paper's condition", "against", "test", "effect size", "verdict"]


def markdown() -> str:
    rows = logic_rows() + retina_rows() + clune_rows()
    seeds = {name: len(rundir.read_campaign(DATA / name)["seeds"]) for name in
             ("choices_logic", "logic_rmvg", "choices_retina", "clune_simplified")}
    done = {name: min(len(v) for v in _results(name)[1].values()) for name in seeds}
    note = ", ".join(f"`{n}` {done[n]} of {seeds[n]} seeds" for n in seeds)
    return (stats.table(HEADER, rows) + f"\n\nFrom the archives in `replications/data/` ({note}; the fewest finished "
            "seeds of any condition), by `python -m kashtan.report.verdicts`. Rule: p < 0.05 in the paper's direction "
            "replicates, p < 0.05 the other way is opposite, else not shown; times whose medians and restricted "
            "means point different ways (crossing curves) are mixed.")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--print", action="store_true", help="print the table, leave the README alone")
    args = ap.parse_args(argv)
    block = markdown()
    if args.print:
        print(block)
        return
    readme = DATA.parent / "README.md"
    text = readme.read_text()
    start, end = "<!-- VERDICTS -->", "<!-- /VERDICTS -->"
    if start not in text:
        raise SystemExit(f"replications/README.md has no {start} marker")
    head, rest = text.split(start, 1)
    readme.write_text(f"{head}{start}\n{block}\n{end}{rest.split(end, 1)[1]}")
    print(block)


if __name__ == "__main__":
    main()
