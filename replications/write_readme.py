"""Regenerate the results table in replications/README.md from a finished (or running) campaign.

    python replications/write_readme.py runs/kashtan2005_logic

Replaces the text between the RESULTS markers with the summary table and a
Mann-Whitney U test of Q and Qm at solution between the first two conditions.
"""
import json
import sys
from pathlib import Path

from scipy.stats import mannwhitneyu

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from kashtan import summary  # noqa: E402


def values(found, condition, key):
    return [r["at_solution"][key] for r in found.get(condition, [])
            if r["solved"] and r["at_solution"] and r["at_solution"].get(key) is not None]


def main(run_dir):
    plan, found = summary.results(run_dir)
    conds = list(plan["conditions"])
    lines = [summary.markdown(run_dir), ""]
    for a in conds[:1]:
        for b in conds[1:]:
            for key in ("q", "qm"):
                x, y = values(found, a, key), values(found, b, key)
                if len(x) > 1 and len(y) > 1:
                    u, p = mannwhitneyu(x, y, alternative="two-sided")
                    lines.append(f"- {key.upper() if key == 'q' else 'Qm'} at solution, {a} vs {b}: "
                                 f"Mann–Whitney U = {u:.0f}, p = {p:.2g} (n = {len(x)}, {len(y)})")
    block = "\n".join(lines)
    readme = Path(__file__).with_name("README.md")
    text = readme.read_text()
    start, end = "<!-- RESULTS:kashtan2005_logic -->", "<!-- /RESULTS -->"
    head, rest = text.split(start, 1)
    _, tail = rest.split(end, 1)
    readme.write_text(f"{head}{start}\n{block}\n{end}{tail}")
    print(block)


if __name__ == "__main__":
    main(sys.argv[1])
