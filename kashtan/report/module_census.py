"""Which functional modules the solved circuits of a logic campaign contain, module by module.

    python -m kashtan.report.module_census runs/serial_logic "X^Y=X ^ Y" "Z&W=Z & W" "Z|W=Z | W" "Z^W=Z ^ W"

For every condition: solved runs, and for each module the solved runs whose circuit for the
solving goal has a gate computing it (or its negation) on every row (kashtan.analysis.analyze
.functional_modules), plus medians of the effective gates and of the wiring on the condition's
own layout (circuits.nand_costs: wires of gates with a path to the output, their L1 and squared
lengths), which a wire cost should shrink. Modules are given as NAME=EXPRESSION of the circuit
inputs.
"""
import argparse
from pathlib import Path

import numpy as np
from scipy.stats import fisher_exact

from circuits import nand, nand_costs
from kashtan.running import rundir
from kashtan.analysis import stats
from kashtan.analysis.analyze import functional_modules


def census(outs, modules: dict[str, str], conditions=None, pairs=()) -> str:
    """The table for campaign ``outs`` (one or a list, read as one); ``conditions``: only these, in
    order; then, for each pair of conditions and module, Fisher's exact test of the solved runs
    holding it (uncorrected)."""
    runs = {}
    for out in [outs] if isinstance(outs, (str, Path)) else outs:
        plan, found = rundir.results(out)
        runs.update({c: (out, plan, rs) for c, rs in found.items()})
    header = ["condition", "solved"] + [f"has {m}" for m in modules] + [
        "all of them", "effective gates, median", "wires / L1 length / squared length, medians"]
    body, held = [], {}
    for c in conditions or runs:
        out, plan, results = runs[c]
        solved = [r for r in results if r["solved"]]
        counts, every, sizes, wiring = dict.fromkeys(modules, 0), 0, [], []
        circuit = plan["conditions"][c]["circuit"]
        for r in solved:
            path = rundir.best_file(rundir.seed_dir(out, c, r["seed"]), (r.get("at_solution") or {}).get("goal", ""))
            genome, spec, inputs, _ = rundir.read_genome(path)
            has = functional_modules(genome, spec, modules, inputs)
            for m in has:
                counts[m] += 1
            every += len(has) == len(modules)
            sizes.append(nand.effective_gates(genome, spec).size)
            xy = nand_costs.layout_positions(spec, circuit["layout"], circuit["layout_seed"])
            wiring.append([nand_costs.costs(genome[None], spec, k, xy=xy)[0] for k in ("count", "l1", "squared")])
        n = len(solved)
        held[c] = (counts, n)
        body.append([c, f"{n}/{len(results)}"] + [f"{counts[m]}/{n}" for m in modules] + [f"{every}/{n}",
                     f"{np.median(sizes):.0f}" if sizes else "–",
                     " / ".join(f"{v:.1f}" for v in np.median(wiring, axis=0)) if wiring else "–"])
    tests = []
    for a, b in pairs:
        for m in modules:
            (ka, na), (kb, nb) = (held[a][0][m], held[a][1]), (held[b][0][m], held[b][1])
            p = fisher_exact([[ka, na - ka], [kb, nb - kb]]).pvalue
            tests.append(f"- has {m}, {a} vs {b}: {ka}/{na} vs {kb}/{nb}, Fisher's exact p = {p:.2g}")
    return "\n\n".join([stats.table(header, body)] + (["\n".join(tests)] if tests else []))


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("run_dir")
    ap.add_argument("modules", nargs="+", metavar="NAME=EXPRESSION")
    a = ap.parse_args(argv)
    modules = dict(m.split("=", 1) for m in a.modules)
    print(census(a.run_dir, modules))


if __name__ == "__main__":
    main()
