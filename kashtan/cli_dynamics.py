"""``kashtan dynamics``: Kashtan & Alon's MVG mechanism from the command line (switching after the
solution, decay under a fixed goal, mutational distance); kept apart from ``kashtan.cli`` so each
stays small."""
from __future__ import annotations

from pathlib import Path

from kashtan.running import rundir
from kashtan.cli import _workers, condition_names, parse_seeds
from kashtan.configuration.config import ConfigError


def cmd_dynamics(args) -> int:
    """Kashtan & Alon's mechanism: switching after the solution, decay, mutational distance."""
    import json

    from kashtan.analysis import distance, dynamics, stats
    out = Path(args.run_dir)
    plan = rundir.read_campaign(out)
    conds = condition_names(args.conditions, list(plan["conditions"]), str(out)) or list(plan["conditions"])
    if args.measure == "switching":
        rows = []
        for c in conds:
            cfg = plan["conditions"][c]
            if "period" not in cfg["schedule"] or cfg["schedule"]["kind"] == "fixed":
                continue
            runs = dynamics.campaign_switches(out, c)
            if runs:
                rows.append({"condition": c, **dynamics.switching_row(runs, int(cfg["schedule"]["period"]))})
        if not rows:
            raise ConfigError(f"{out}: no finished switching condition with per-generation records")
        print(stats.table(list(rows[0]), [list(r.values()) for r in rows]))
    elif args.measure == "distance":
        if not 1 <= args.changes <= 4:
            raise ConfigError(f"--changes must be 1 to 4, got {args.changes}")
        rows = distance.campaign(out, conds, args.changes, _workers(args.workers), args.final)
        path = out / ("distance_final.csv" if args.final else "distance.csv")
        distance.write_csv(path, rows)
        print(distance.markdown(rows))
        print(f"\nper solution in {path}")
    else:
        if len(conds) != 1:
            raise ConfigError("decay: name one --conditions (whose solutions and settings to use)")
        if not 1 <= args.generations <= 1_000_000:
            raise ConfigError(f"--generations must be 1 to 1,000,000, got {args.generations}")
        dest = Path(args.dest or out / f"decay_{conds[0]}")
        start, seeds = None, None
        if args.start:
            from circuits import examples
            if not hasattr(examples, args.start):
                raise ConfigError(f"--start {args.start!r}: one of MODULAR_G1, MODULAR_G2, SWITCH_READY_G1, "
                                  "SWITCH_READY_G2")
            start, seeds = getattr(examples, args.start), parse_seeds(args.seeds or "20")
        elif args.seeds:
            seeds = parse_seeds(args.seeds)
        dynamics.decay_campaign(out, conds[0], dest, args.goal, args.generations, _workers(args.workers),
                                start, seeds, args.set)
        summary = dynamics.decay_summary(dest, args.level)
        (dest / "summary.json").write_text(json.dumps(summary, indent=1) + "\n")
        print(json.dumps(summary, indent=1))
    return 0


def add_parser(sub) -> None:
    y = sub.add_parser("dynamics", help="Kashtan & Alon's MVG mechanism: switching after the solution, decay of Q "
                       "under a fixed goal, mutational distance between G1 and G2 solutions",
                       description="switching: per switching condition of a campaign run with stop.after_solved, "
                       "the share of goal switches re-solved within the epoch and the generations to re-solve. "
                       "distance: for every G1 and G2 solution, the fewest gene changes to a perfect circuit for the "
                       "other goal (exhaustive). decay: copies of each run's solution (or --start) evolved under a "
                       "fixed goal with the condition's settings.",
                       epilog="example: kashtan dynamics switching replications/data/dyn_switching")
    y.add_argument("measure", choices=["switching", "decay", "distance"], help="what to measure")
    y.add_argument("run_dir", help="campaign or archive directory")
    y.add_argument("--conditions", help="comma-separated conditions (default: all; decay: exactly one)")
    y.add_argument("--changes", type=int, default=3, help="distance: search up to this many changes (default 3)")
    y.add_argument("--final", action="store_true", help="distance: from each run's final best (when perfect) "
                   "instead of the first best solution of each goal")
    y.add_argument("--goal", default="G1", help="decay: the fixed goal (default G1)")
    y.add_argument("--generations", type=int, default=1000, help="decay: generations (default 1000)")
    y.add_argument("--start", help="decay: start from this hand-wired circuit of circuits.examples instead of "
                   "each run's solution (e.g. MODULAR_G1)")
    y.add_argument("--seeds", help="decay: seeds (with --start: how many populations; default 20)")
    y.add_argument("--level", type=float, default=0.34, help="decay: the fixed-goal Q that 'halfway' is measured "
                   "to (default 0.34, fixed-G1 solutions under the paper's settings)")
    y.add_argument("--set", action="append", default=[], metavar="KEY=VALUE", help="decay: change a setting")
    y.add_argument("--dest", help="decay: output directory (default RUN_DIR/decay_CONDITION)")
    y.add_argument("--workers", type=int, help="parallel processes (default 1)")
    y.set_defaults(func=cmd_dynamics)
