"""Every generated table of the results documents, rewritten from the archives by one command, and a
check that fails when a document differs from what the archives give (issue 22).

    python -m kashtan.report.documents            # rewrite the blocks and DYNAMICS.md (and its figures)
    python -m kashtan.report.documents --check    # change nothing; list what is stale, exit 1 if any

A generated block in a document sits between ``<!-- GENERATED:NAME -->`` and ``<!-- /GENERATED -->``;
``BLOCKS`` says which function writes it. DYNAMICS.md is generated whole. Text outside the blocks is
prose and carries no numbers of its own.
"""
from __future__ import annotations

import argparse
import contextlib
import io
import re
import sys
import tempfile
from pathlib import Path

from kashtan.analysis import adapt, initialisation, stats
from kashtan.running import rundir
from kashtan.report import dynamics_report, netsummary, program, program_tables, status, summary, verdicts

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "replications" / "data"
LOGIC = ["fixed_G1__ties=elite_first__feedback=true", "mvg__ties=elite_first__feedback=true"]
RETINA = ["fixed_sample__ties=elite_first", "mvg_sample__ties=elite_first"]


def logic() -> str:
    return summary.markdown(DATA / "choices_logic", [DATA / "logic_rmvg"], conditions=LOGIC + ["rmvg", "random"], tests=False)


def logic6() -> str:
    if not (DATA / "logic6" / rundir.CAMPAIGN).exists():
        return "Not archived yet."
    plan, found = rundir.results(DATA / "logic6")
    done = min(len(rs) for rs in found.values())
    state = ("every planned seed finished" if done == len(plan["seeds"]) else
             "the campaign grows in stages (`replications/dynamics_logic6.sh`)")
    tests = [stats.mann_whitney(f"final best's {label}", "fixed_G4", "mvg",
                                *([r["final"][k] for r in found[c] if r["final"].get(k) is not None]
                                  for c in ("fixed_G4", "mvg")))
             for k, label in (("q", "Q"), ("qm", "Qm"))]
    return (summary.markdown(DATA / "logic6", tests=False)
            + f"\n\n{len(plan['seeds'])} seeds planned per condition in this archive; {state}.\n\n" + "\n".join(tests))


def retina() -> str:
    return summary.markdown(DATA / "choices_retina", conditions=RETINA, tests=False)


def clune() -> str:
    lines = [netsummary.markdown([DATA / "clune_simplified"], pairs=[])]
    got = adapt.read(DATA / "clune_simplified", "L-OR-R")
    if got is not None:
        lines += ["", "Adaptation to L-OR-R (copies of each run's final best; `kashtan adapt --goal L-OR-R --cap "
                  f"{got['cap']}`):", "", adapt.markdown(got["results"], got["cap"]).split("\n\n")[0]]
    if (DATA / "clune_goals" / rundir.CAMPAIGN).exists():
        lines += ["", "MVG and RMVG with and without the cost (`clune_goals`):", "",
                  netsummary.markdown([DATA / "clune_goals"], pairs=[])]
    return "\n".join(lines)


# the papers' figures, drawn from archives that keep per-generation histories: (archive, figure name, caption)
FIGURES = [("dyn_factorial/paper", "paper_logic", "Kashtan & Alon's logic circuits under the paper's settings, 20 runs "
            "per condition (`dyn_factorial/paper`: fixed G1 capped at 30,000; MVG and random goals go on 2,000 "
            "generations past the solution)"),
           ("logic6", "paper_logic6", "The 6-input goals, 50 runs per condition (fixed G4; MVG G1, G4, G2, G4, G3, "
            "G4, stopped when solved)"),
           ("clune_simplified", "paper_clune", "Clune et al.'s PA and P&CC (this archive keeps no histories: networks "
            "only)")]


def figures_block(dest: Path) -> str:
    """Draw ``FIGURES`` into ``dest``; the markdown that shows them (linked as ../figures/NAME)."""
    from kashtan.report import figures
    lines = []
    for archive, name, caption in FIGURES:
        if not (DATA / archive / rundir.CAMPAIGN).exists():
            continue
        with contextlib.redirect_stderr(io.StringIO()):         # "no curves" notes: the caption says so
            made = figures.make_all(DATA / archive, dest, name)
        lines += [f"{caption}:", "", *(f"![{p.stem}](../figures/{p.name})" for p in made), ""]
    return "\n".join(lines)


def measures(archives: list[str], conditions=None, pairs=None) -> str:
    return program_tables.measures(ROOT, archives, conditions, pairs)


SETTINGS = [f"__ties={t}__feedback={f}" for t in ("elite_first", "stable", "random") for f in ("true", "false")]
MEASURE_LOGIC = ([f"{k}{s}" for s in SETTINGS for k in ("fixed_G1", "mvg")],
                 [(f"fixed_G1{s}", f"mvg{s}") for s in SETTINGS])
EF = SETTINGS[0]
MEASURE_RMVG = ([f"fixed_G1{EF}", f"mvg{EF}", "rmvg", "random"],
                [(f"fixed_G1{EF}", "rmvg"), (f"fixed_G1{EF}", "random"), ("rmvg", "random"), (f"mvg{EF}", "rmvg")])
MEASURE_RETINA = ([f"{k}_{s}" for s in ("sample__ties=elite_first", "resampled__ties=elite_first",
                                         "all__ties=elite_first", "sample__ties=random") for k in ("fixed", "mvg")],
                  [(f"mvg_{s}", f"fixed_{s}") for s in ("sample__ties=elite_first", "resampled__ties=elite_first",
                                                       "all__ties=elite_first", "sample__ties=random")])


# (document, block) -> the function that writes it
BLOCKS = {
    ("replications/README.md", "status"): status.table,
    ("replications/README.md", "logic"): logic,
    ("replications/README.md", "logic6"): logic6,
    ("replications/README.md", "retina"): retina,
    ("replications/README.md", "clune"): clune,
    ("replications/README.md", "choices"): verdicts.markdown,
    ("replications/PROGRAM.md", "status"): program.table,
    **{("replications/PROGRAM.md", name): (lambda name=name: program_tables.table(name, ROOT))
       for name in program_tables.TABLES},
    **{("replications/PROGRAM.md", name): make for name, make in program_tables.more(ROOT).items()},
    ("replications/MEASURES.md", "clune"): lambda: measures(["clune_simplified"]),
    ("replications/MEASURES.md", "logic"): lambda: measures(["choices_logic"], *MEASURE_LOGIC),
    ("replications/MEASURES.md", "logic_rmvg"): lambda: measures(["logic_rmvg", "choices_logic"], *MEASURE_RMVG),
    ("replications/MEASURES.md", "retina"): lambda: measures(["choices_retina"], *MEASURE_RETINA),
    ("replications/MEASURES.md", "initialisation"): lambda: initialisation.markdown(initialisation.study(500, 0)),
    ("README.md", "status"): status.short,
    ("README.md", "mechanism"): status.mechanism,
}
WHOLE = {"replications/DYNAMICS.md": dynamics_report.render}
DOCUMENTS = sorted({doc for doc, _ in BLOCKS} | set(WHOLE))
PATTERN = r"(<!-- GENERATED:{name} -->\n)(.*?)(<!-- /GENERATED -->)"


def fill(text: str, name: str, block: str, where: str = "") -> str:
    pattern = re.compile(PATTERN.format(name=re.escape(name)), re.S)
    if not pattern.search(text):
        raise ValueError(f"{where or 'the document'} has no <!-- GENERATED:{name} --> block")
    return pattern.sub(lambda m: m.group(1) + block.rstrip("\n") + "\n" + m.group(3), text, count=1)


def generate(root: Path = ROOT, figures: Path | None = None) -> dict[str, str]:
    """Every generated document's new text, by path relative to ``root``. ``figures``: where
    DYNAMICS.md's figures are drawn (default ``root/figures``)."""
    texts = {}
    for (doc, name), make in BLOCKS.items():
        texts.setdefault(doc, (root / doc).read_text())
        texts[doc] = fill(texts[doc], name, make(), doc)
    doc = "replications/README.md"
    texts[doc] = fill(texts[doc], "figures", figures_block(figures or root / "figures"), doc)
    for doc, make in WHOLE.items():
        texts[doc] = make(figures or root / "figures")
    return texts


# a decimal with two or more places, or a number in e-notation (p-values, medians, rhos)
NUMBER = re.compile(r"(?<![\w.])(\d+\.\d{2,}|\d(?:\.\d+)?e-0?\d+)(?![\w])")
# prose numbers that are not read from an archive: (document, number) -> why
NOT_FROM_ARCHIVES = {
    ("replications/MEASURES.md", "0.311"): "bits an AND track receives, worked by hand in a test",
    ("replications/MEASURES.md", "2.69"): "a benchmark's seconds before a change (bench/measures_speed.py)",
    ("replications/MEASURES.md", "1.57"): "a benchmark's seconds before a change (bench/measures_speed.py)",
    ("replications/MEASURES.md", "3.03"): "a benchmark's median seconds (bench/measures_speed.py on size_retina_8x)",
    ("replications/MEASURES.md", "1e-6"): "the singular-value threshold of the Jacobian's rank",
    ("replications/MEASURES.md", "1e-12"): "the least-exchange search's tie threshold (information.TIE)",
}


def _matches(token: str, values: set[float]) -> bool:
    """Whether a number printed in prose equals one of ``values`` at the prose's precision."""
    v = float(token)
    if "e" in token:
        digits = len(token.split("e")[0].replace(".", "")) - 1
        return any(f"{g:.{digits}e}" == f"{v:.{digits}e}" for g in values)
    places = len(token.split(".")[1])
    return any(abs(round(g, places) - v) < 10 ** -(places + 3) for g in values)


def unsourced_numbers(texts: dict[str, str], docs=("replications/PROGRAM.md", "replications/MEASURES.md")) -> list[str]:
    """Numbers in the prose of ``docs`` (outside generated blocks and code) that no generated block
    or DYNAMICS.md holds at the prose's precision, and that ``NOT_FROM_ARCHIVES`` does not explain:
    a typed number that went stale, or one whose analysis is not generated."""
    generated = "".join(texts[d] for d in WHOLE) + "".join(
        m.group(2) for t in texts.values() for m in re.finditer(PATTERN.format(name=r"[\w-]+"), t, re.S))
    values = {float(m.group(1)) for m in NUMBER.finditer(generated.replace(",", ""))}
    found = []
    for doc in docs:
        prose = re.sub(PATTERN.format(name=r"[\w-]+"), "", texts[doc], flags=re.S)
        prose = re.sub(r"```.*?```", "", prose, flags=re.S)
        for line in prose.splitlines():
            for m in NUMBER.finditer(line):
                if (doc, m.group(1)) not in NOT_FROM_ARCHIVES and not _matches(m.group(1), values):
                    found.append(f"{doc}: {m.group(1)} in \"{line.strip()[:100]}\"")
    return found


def stale(root: Path = ROOT) -> list[str]:
    """The documents whose text differs from what the archives give (figures drawn to a temporary folder)."""
    with tempfile.TemporaryDirectory() as tmp:
        texts = generate(root, Path(tmp))
    return [doc for doc, text in texts.items() if (root / doc).read_text() != text]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m kashtan.report.documents", description=__doc__.split("\n\n")[0])
    ap.add_argument("--check", action="store_true", help="change nothing; exit 1 if a document is stale")
    args = ap.parse_args(argv)
    if args.check:
        found = stale()
        for doc in found:
            print(f"stale: {doc} (regenerate with `python -m kashtan.report.documents`)")
        loose = unsourced_numbers({doc: (ROOT / doc).read_text() for doc in DOCUMENTS})
        for line in loose:
            print(f"unsourced: {line}")
        return 1 if found or loose else 0
    for doc, text in generate().items():
        (ROOT / doc).write_text(text)
        print(f"wrote {doc}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
