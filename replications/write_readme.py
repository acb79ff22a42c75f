"""Regenerate a campaign's results table in replications/README.md (finished or running).

    python replications/write_readme.py runs/kashtan2005_logic
    python replications/write_readme.py runs/clune2013_retina
    python replications/write_readme.py runs/clune2013_retina runs/clune2013_retina_rest \
        --marker clune2013_retina_rest --compare pa:pcc_p010 --compare pcc:mvg_pcc

Replaces the text between ``<!-- RESULTS:<marker> -->`` (default: the campaign's name) and
``<!-- /RESULTS -->`` with ``kashtan summarize``'s table; for campaigns read at solution it
adds Mann-Whitney U tests of Q and Qm at solution between the first condition and each other
(NSGA-II summaries carry their own, for the ``--compare`` pairs if given).
"""
import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from kashtan import rundir, runner, stats, summary  # noqa: E402


def values(found, condition, key):
    return [r["at_solution"][key] for r in found.get(condition, [])
            if r["solved"] and r["at_solution"] and r["at_solution"].get(key) is not None]


def main(argv=None):
    ap = argparse.ArgumentParser(description="refresh a results table in replications/README.md")
    ap.add_argument("run_dir", nargs="+")
    ap.add_argument("--marker", help="the README block to replace (default: the campaign's name)")
    ap.add_argument("--compare", action="append", default=[], metavar="A:B")
    args = ap.parse_args(argv)
    run_dir, *more = args.run_dir
    pairs = summary.parse_pairs(args.compare)
    for d in args.run_dir:
        runner.backfill(d)
    plan, found = rundir.results(run_dir)
    conds = list(plan["conditions"])
    lines = [summary.markdown(run_dir, more, pairs), ""]
    for a in conds[:0] if summary.read_at_end(plan) else conds[:1]:
        for b in conds[1:]:
            for key in ("q", "qm"):
                x, y = values(found, a, key), values(found, b, key)
                if len(x) > 1 and len(y) > 1:
                    lines.append(stats.mann_whitney(f"{'Q' if key == 'q' else 'Qm'} at solution", a, b, x, y))
    block = "\n".join(lines)
    readme = Path(__file__).with_name("README.md")
    text = readme.read_text()
    name = args.marker or next(iter(plan["conditions"].values()))["name"]
    start, end = f"<!-- RESULTS:{name} -->", "<!-- /RESULTS -->"
    if start not in text:
        raise SystemExit(f"replications/README.md has no {start} marker")
    head, rest = text.split(start, 1)
    _, tail = rest.split(end, 1)
    readme.write_text(f"{head}{start}\n{block}\n{end}{tail}")
    print(block)


if __name__ == "__main__":
    main()
