"""Per-condition summary of a campaign, beside what the paper reported."""
from __future__ import annotations

import math
from pathlib import Path

from evo.strategies import STRATEGIES
from kashtan.running import rundir
from kashtan.report import netsummary
from kashtan.analysis.analyze import has_modules, modules_of
from kashtan.running.rundir import read_campaign, results, seed_dir
from kashtan.analysis.stats import km_text, logrank, mann_whitney, mean_se, median_iqr, solved_text, switch_times, table

# circuit kind -> a further table of the campaign's final genomes
KIND_TABLES = {"network": lambda outs, conditions, tests: netsummary.markdown(outs, None if tests else [], conditions)}


def read_at_end(plan: dict) -> bool:
    """Network campaigns of multi-objective strategies (Clune et al.) are read at their end; the
    others (NAND circuits under a wire cost too) by when they solve."""
    return any(getattr(STRATEGIES.get(cfg["ga"]["select"]), "multiobjective", False)
               and cfg["circuit"]["kind"] == "network" for cfg in plan["conditions"].values())


def _switches(out, condition: str, solved: list[dict], period: int) -> str:
    times = [t for r in solved for t in switch_times(seed_dir(out, condition, r["seed"]), r["solved_at"], period)]
    if not times:
        return "–"
    done = [t for t in times if t is not None]
    return f"{median_iqr(done)} ({len(done)}/{len(times)} re-solved)" if done else f"0/{len(times)} re-solved"


def _functional(out, condition: str, cfg: dict, solved: list[dict]) -> str:
    """Solved runs whose circuit for the solving goal has a gate computing each functional module
    (``record.modules``; by default X^Y and Z^W)."""
    modules = modules_of(cfg)
    if modules is None or not solved:
        return "–"
    both = checked = 0
    for r in solved:
        path = rundir.best_file(seed_dir(out, condition, r["seed"]), (r.get("at_solution") or {}).get("goal", ""))
        if path.exists():
            genome, spec, inputs, _ = rundir.read_genome(path)
            both += has_modules(genome, spec, modules, inputs)
            checked += 1
    return f"{both}/{checked}" if checked else "–"


def rows(out, plan=None, found=None) -> list[dict]:
    """One row per condition of campaign ``out`` (``plan`` and ``found`` as ``rundir.results``)."""
    if plan is None:
        plan, found = results(out)
    paper = plan.get("paper") or {}
    table = []
    for c, res in found.items():
        cfg = plan["conditions"][c]
        solved = [r for r in res if r["solved"]]
        p = paper.get(c, {})
        period = cfg["schedule"]["period"] if cfg["schedule"]["kind"] != "fixed" else 0
        table.append({
            "condition": c,
            "finished": f"{len(res)}/{len(plan['seeds'])}",
            "cap": cfg["stop"]["max_generations"],
            "solved": solved_text(res),
            "generations": km_text(res),
            # a switching run is solved in the epoch that re-solves a goal: generations it took
            "readapt": median_iqr([r["solved_at"] % period for r in solved]) if period else "–",
            "switches": _switches(out, c, solved, period) if period else "–",
            "q_solution": mean_se([(r["at_solution"] or {}).get("q") for r in solved]),
            "qm_solution": mean_se([(r["at_solution"] or {}).get("qm") for r in solved]),
            "qm_final": mean_se([r["final"]["qm"] for r in res]),
            # networks scored on a sample of patterns: how right they are on every pattern
            "acc_solution": mean_se([(r["at_solution"] or {}).get("accuracy_all") for r in solved]),
            "acc_final": mean_se([r["final"].get("accuracy_all") for r in res]),
            "functional": _functional(out, c, cfg, solved),
            "paper_solved": p.get("solved", "–"),
            "paper_generations": p.get("generations", "–"),
            "paper_qm": p.get("qm", "–"),
        })
    return table


HEADERS = [("condition", "condition"), ("finished", "seeds done"), ("cap", "generation cap"),
           ("solved", "solved (95 % CI)"),
           ("generations", "generations to solve, Kaplan–Meier median [95 % CI] (all runs, unsolved censored at the cap)"),
           ("readapt", "generations from the last goal switch to the solution, median [IQR]"),
           ("switches", "switches after the solution: generations to re-solve, median [IQR]"),
           ("q_solution", "Q at solution, mean ± s.e."), ("qm_solution", "Qm at solution, mean ± s.e."), ("qm_final", "Qm of final best, mean ± s.e."),
           ("acc_solution", "right on all patterns at solution, mean ± s.e."),
           ("acc_final", "final best right on all patterns, mean ± s.e."),
           ("functional", "best circuit of the solving goal has a gate for each functional module (default X⊕Y, Z⊕W)"),
           ("paper_solved", "paper: solved"), ("paper_generations", "paper: generations"), ("paper_qm", "paper: Qm")]


# the terminal's table: the columns a reader looks at first, with short headers (``--wide``: all of them)
COMPACT = [("condition", "condition"), ("finished", "seeds"), ("solved", "solved (95 % CI)"),
           ("generations", "to solve, KM median [95 % CI]"), ("q_solution", "Q at solution"),
           ("qm_solution", "Qm at solution"), ("paper_generations", "paper: generations"), ("paper_qm", "paper: Qm")]


def parse_pairs(texts) -> list[tuple[str, str]] | None:
    """``["A:B", ...]`` (``--compare``) as condition pairs; None when none are given."""
    pairs = [tuple(t.split(":")) for t in texts]
    if any(len(p) != 2 for p in pairs):
        raise ValueError(f"--compare takes A:B, two condition names, got {' '.join(texts)}")
    return pairs or None


def _at_solution(found, condition, key):
    """The recorded values at solution; Qm is NaN where a circuit is too small to rewire."""
    return [r["at_solution"][key] for r in found.get(condition, [])
            if r["solved"] and r["at_solution"] and r["at_solution"].get(key) is not None
            and not math.isnan(r["at_solution"][key])]


def markdown(out, more=(), pairs=None, conditions=None, tests: bool = True, compact: bool = False) -> str:
    """The table of campaign ``out`` and of any ``more`` campaigns (their conditions as further
    rows; only ``conditions`` if given), then tests between the ``pairs`` of conditions (default:
    the first against each other): log-rank on generations to solve over all runs, Mann–Whitney
    on Q and Qm at solution (uncorrected; ``tests=False`` leaves them out). Campaigns read at their end (NSGA-II) get netsummary's table instead."""
    plan = read_campaign(out)
    if read_at_end(plan):
        return netsummary.markdown([out, *more], pairs if tests else [], conditions)
    body, found, caps = [], {}, {}
    for d in [out, *more]:
        p, f = results(d)
        if conditions is not None:
            f = {c: v for c, v in f.items() if c in conditions}
        caps.update({c: cfg["stop"]["max_generations"] for c, cfg in p["conditions"].items()})
        if set(f) & set(found):
            raise ValueError(f"condition {sorted(set(f) & set(found))[0]!r} appears in more than one campaign directory")
        found.update(f)
        body += rows(d, p, f)
    missing = [c for c in conditions or () if c not in found]
    if missing:
        raise ValueError(f"no condition {missing[0]!r} in these campaigns")
    headers = COMPACT if compact else HEADERS
    lines = [table([h for _, h in headers], [[r[k] for k, _ in headers] for r in body])]
    for pair in pairs or ():
        for c in pair:
            if c not in found:
                raise ValueError(f"unknown condition {c!r} to compare; the campaigns have: {', '.join(found)}")
    conds = list(found)
    found_tests = []
    for a, b in (pairs or [(conds[0], c) for c in conds[1:]]) if tests else ():
        if found[a] and found[b]:
            found_tests.append(logrank(a, b, found[a], found[b], min(caps[a], caps[b])))
        for key, label in (("q", "Q at solution"), ("qm", "Qm at solution")):
            x, y = _at_solution(found, a, key), _at_solution(found, b, key)
            if len(x) > 1 and len(y) > 1:
                found_tests.append(mann_whitney(label, a, b, x, y))
    if tests and found_tests:
        lines += [""] + found_tests
    for kind in dict.fromkeys(cfg["circuit"]["kind"] for cfg in plan["conditions"].values()):
        if kind in KIND_TABLES:
            lines += ["", "Best network of each run's final population, analysed as Clune et al. do:", "",
                      KIND_TABLES[kind]([out, *more], conditions, tests)]
    return "\n".join(lines)


def write(out) -> Path:
    path = Path(out) / "summary.md"
    path.write_text(markdown(out) + "\n")
    return path
