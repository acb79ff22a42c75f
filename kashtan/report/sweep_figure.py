"""A figure of a sweep: the final best's accuracy, size, Q and Qm against one number per condition.

    python -m kashtan.report.sweep_figure replications/data/clune_simplified replications/data/noise_retina \\
        --x network.input_noise --out figures/noise_retina_sweep.png
    python -m kashtan.report.sweep_figure replications/data/size_logic --x parameters --log-x \\
        --out figures/size_logic_sweep.png

Each condition gives one point per panel: the median over its seeds of result.json's "final"
values (accuracy on all clean rows or patterns, effective gates or connections, Q, Qm), with
a 95 % bootstrap interval. ``--x`` is a dotted key of the condition's config (its value must be
a number) or ``parameters`` (the genome's length). Conditions with and without a cost
(size_census.has_cost) are drawn as two lines.
"""
import argparse
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from kashtan.configuration import build  # noqa: E402
from kashtan.running import rundir  # noqa: E402
from kashtan.analysis import stats  # noqa: E402
from kashtan.report.size_census import has_cost

PANELS = (("accuracy_all", "right on all clean inputs"), ("effective", "size (effective gates / connections)"),
          ("q", "Q"), ("qm", "Qm"))


def x_of(cfg: dict, key: str) -> float:
    if key == "parameters":
        return float(build.problem(cfg).spec.length)
    value = cfg
    for part in key.split("."):
        if not isinstance(value, dict) or part not in value:
            raise SystemExit(f"--x {key}: the config has no key {part!r}")
        value = value[part]
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise SystemExit(f"--x {key}: {value!r} is not a number")
    return float(value)


def points(outs, key: str) -> dict[bool, list[tuple[float, dict]]]:
    """Per cost (False, True): (x, {measure: (median, low, high)}) for each condition, by x."""
    lines: dict[bool, list] = {False: [], True: []}
    for out in outs:
        plan, found = rundir.results(out)
        for c, results in found.items():
            if not results:
                continue
            cfg = plan["conditions"][c]
            meds = {}
            for k, _ in PANELS:
                v = stats.finite([r["final"].get(k) for r in results])
                meds[k] = stats.bootstrap_median(v) if v.size >= 2 else (v[0], v[0], v[0]) if v.size else None
            lines[has_cost(cfg)].append((x_of(cfg, key), meds))
    return {cost: sorted(pts, key=lambda p: p[0]) for cost, pts in lines.items() if pts}


def draw(outs, key: str, dest, log_x: bool = False) -> Path:
    lines = points(outs, key)
    fig, axes = plt.subplots(1, len(PANELS), figsize=(4 * len(PANELS), 3.4))
    for ax, (k, label) in zip(axes, PANELS):
        for cost, pts in lines.items():
            xs = [x for x, m in pts if m[k] is not None]
            med, lo, hi = (np.array([m[k][i] for _, m in pts if m[k] is not None]) for i in range(3))
            ax.errorbar(xs, med, yerr=[med - lo, hi - med], marker="o", capsize=3,
                        label="with cost" if cost else "without cost")
        ax.set_xlabel(key)
        ax.set_title(label, fontsize=9)
        if log_x:
            ax.set_xscale("log")
        ticks = sorted({x for pts in lines.values() for x, _ in pts})
        ax.set_xticks(ticks, [f"{t:g}" for t in ticks])
        ax.minorticks_off()
    axes[0].legend(fontsize=8)
    fig.tight_layout()
    dest = Path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(dest, dpi=150)
    plt.close(fig)
    return dest


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("campaigns", nargs="+")
    ap.add_argument("--x", required=True, help="a dotted config key, or 'parameters'")
    ap.add_argument("--out", required=True)
    ap.add_argument("--log-x", action="store_true")
    a = ap.parse_args(argv)
    print(draw(a.campaigns, a.x, a.out, a.log_x))


if __name__ == "__main__":
    main()
