"""Regenerate a campaign's results table in replications/README.md (finished or running).

    python replications/write_readme.py runs/kashtan2005_logic
    python replications/write_readme.py runs/clune2013_retina
    python replications/write_readme.py runs/clune2013_retina runs/clune2013_retina_rest \
        --marker clune2013_retina_rest --compare pa:pcc_p010 --compare pcc:mvg_pcc

Replaces the text between ``<!-- RESULTS:<marker> -->`` (default: the campaign's name) and
``<!-- /RESULTS -->`` with ``kashtan summarize``'s table and tests (for the ``--compare`` pairs
if given).
"""
import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from kashtan import rundir, runner, summary  # noqa: E402


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
    plan = rundir.read_campaign(run_dir)
    block = summary.markdown(run_dir, more, pairs)
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
