"""The ``kashtan`` command line."""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from circuits.io import CircuitFileError
from evo.checkpoint import CheckpointError
from kashtan.running import archives, provenance, rundir, runner
from kashtan.configuration import build, config
from kashtan.cli_help import HELP as HELP_NAMES, describe
from kashtan.report import summary
from kashtan.configuration.config import ConfigError
from kashtan.running.rundir import RunError

USER_ERRORS = (ConfigError, RunError, CheckpointError, CircuitFileError)


def parse_seeds(text: str) -> list[int]:
    """``"10"`` -> 0..9, ``"3-7"`` -> 3..7, ``"1,4,9"`` -> those."""
    if len(text) > 10_000:
        raise ConfigError("--seeds: too long")
    try:
        if "," in text:
            seeds = [int(s) for s in text.split(",")]
        elif "-" in text:
            a, b = (int(s) for s in text.split("-", 1))
            if b - a >= 1_000_000:
                raise ValueError
            seeds = list(range(a, b + 1))
        else:
            n = int(text)
            if n > 1_000_000:
                raise ValueError
            seeds = list(range(n))
    except ValueError:
        raise ConfigError(f"--seeds {text!r}: give a count (10), a range (3-7) or a list (1,4,9)") from None
    if not seeds or min(seeds) < 0 or max(seeds) >= 1_000_000 or len(seeds) > 1_000_000:
        raise ConfigError(f"--seeds {text!r} selects no valid seed (0 to 999,999)")
    return seeds


def _workers(n: int | None) -> int:
    if n is not None and n < 1:
        raise ConfigError(f"--workers must be at least 1, got {n}")
    return n or rundir.cores()


def condition_names(text: str | None, have=None, where: str = "") -> list[str] | None:
    """``--conditions A,B``: the names asked for, in order (None if the flag is absent); each
    must be non-empty and, when ``have`` is given, one of them (``where`` names what has them)."""
    if text is None:
        return None
    chosen = [c.strip() for c in text.split(",")]
    has = f"; {where} has: {', '.join(have)}" if have is not None else ""
    if not all(chosen):
        raise ConfigError(f"--conditions {text!r}: give condition names separated by commas{has}")
    for c in chosen:
        if have is not None and c not in have:
            raise ConfigError(f"unknown condition {c!r}{has}")
    return chosen


def cmd_run(args) -> int:
    raw = config.read_file(args.config)
    names = config.conditions(raw)
    names = condition_names(args.conditions, names, args.config) or names
    conds = {c: config.resolve(raw, c, args.scale, args.set) for c in names}
    first = next(iter(conds.values()))
    seeds = parse_seeds(args.seeds) if args.seeds is not None else list(range(first["seeds"]))
    print("checking the config (a first run on this machine also compiles the kernels: up to a minute)",
          flush=True)
    for cfg in conds.values():          # fail on a bad goal, operator or argument before anything is written
        # one throwaway generation compiles every kernel a run uses, here, so compile time
        # stays out of the runs' timings (workers load the compiled code from Numba's cache)
        build.evolution(cfg, seeds[0]).step()
    runner.share_cores(args.workers, args.threads, len(conds) * len(seeds))
    # a config file names its output after itself: an edited copy of a shipped config (`kashtan configs
    # NAME > mine.toml`) keeps NAME inside, and would otherwise collide with the original's runs
    stem = Path(args.config).stem if Path(args.config).is_file() else first["name"]
    out = Path(args.out or Path("runs") / (rundir.check_name("config file name", stem)
                                           + (f"_{args.scale}" if args.scale else "")))
    rundir.check_name("config name", first["name"])      # conditions: write_campaign checks them
    if out.exists() and any(out.iterdir()) and not (out / "campaign.json").exists():
        raise RunError(f"{out} is not empty and holds no campaign; choose another directory with --out")
    if (out / "campaign.json").exists():
        raise RunError(f"{out} already holds a campaign: continue it with `kashtan resume {out}`, "
                       f"or choose another directory with --out")
    plan = {"config_file": str(args.config), "scale": args.scale, "overrides": args.set,
            "created": time.strftime("%Y-%m-%d %H:%M:%S"), "provenance": provenance.record(), "seeds": seeds,
            "conditions": conds, "paper": raw.get("paper") or {}}
    if args.cluster:                     # an unreachable scheduler must not leave a campaign behind
        from kashtan.running import cluster
        cluster.probe(args.cluster)
    rundir.write_campaign(out, plan)
    print(f"campaign {out}: {len(conds)} condition(s) x {len(seeds)} seed(s)")
    return _execute(out, plan, args)


def cmd_resume(args) -> int:
    out = Path(args.run_dir)
    plan = rundir.read_campaign(out)
    here = provenance.record()
    last = ((plan.get("resumed") or [None])[-1] or plan.get("provenance") or {})
    if (here["commit"], here["dirty"]) != (last.get("commit"), last.get("dirty")):
        with rundir.Lock(out):                          # a resume by other code is on record
            raw = rundir.read_raw_campaign(out)
            raw["resumed"] = (raw.get("resumed") or []) + [dict(here, at=time.strftime("%Y-%m-%d %H:%M:%S"))]
            rundir.write_campaign(out, raw)
    if args.seeds is not None:
        added = [s for s in parse_seeds(args.seeds) if s not in plan["seeds"]]
        if added:
            for cfg in plan["conditions"].values():     # the same start-up checks as `run`
                build.evolution(cfg, added[0])
            with rundir.Lock(out):                      # no other writer while campaign.json changes
                raw = rundir.read_raw_campaign(out)
                raw["seeds"] = plan["seeds"] = plan["seeds"] + added
                rundir.write_campaign(out, raw)
            print(f"added seed(s) {', '.join(map(str, added))}")
    print(f"resuming {out}")
    return _execute(out, plan, args)


def _execute(out: Path, plan: dict, args) -> int:
    try:
        if args.cluster:
            from kashtan.running import cluster
            print(f"seeds as tasks on the Dask scheduler at {args.cluster}", flush=True)
            with rundir.Lock(out):
                failures = cluster.run_campaign(out, plan, args.cluster)
        else:
            workers, threads = runner.share_cores(args.workers, args.threads, len(rundir.unfinished(out, plan)))
            print(f"{workers} worker process(es) x {threads} thread(s)")
            with rundir.Lock(out), runner.stopping():
                # a bar only on a terminal: redirected to a log it would write two updates a second
                failures = runner.run_campaign(out, plan, workers, not args.no_progress and sys.stderr.isatty(),
                                               threads)
    except (KeyboardInterrupt, runner.Stopped) as e:
        import signal
        code = 143 if isinstance(e, runner.Stopped) and e.args and e.args[0] == signal.SIGTERM else 130
        print(f"\ninterrupted: finished seeds and checkpoints are kept; continue with `kashtan resume {out}`",
              file=sys.stderr)
        return code
    table = summary.markdown(out)
    summary.write(out)
    print(table)
    print(f"\nresults in {out} (summary.md, per seed: generations.csv, result.json, best/)")
    for line in failures:
        print(f"kashtan: error: {line}", file=sys.stderr)
    return 1 if failures else 0


def cmd_summarize(args) -> int:
    first, *more = args.run_dir
    for out in args.run_dir:
        runner.backfill(out)
    try:
        pairs = summary.parse_pairs(args.compare)
        # a terminal gets the narrow table; a file or pipe (and --wide) every column
        compact = sys.stdout.isatty() and not args.wide
        print(summary.markdown(first, more, pairs, condition_names(args.conditions), compact=compact))
    except ValueError as e:
        raise ConfigError(str(e)) from None
    if not more and not pairs and args.conditions is None:
        summary.write(first)
    return 0


def cmd_analyze(args) -> int:
    from kashtan.analysis import analyze
    if not 1 <= args.random <= 1_000_000:
        raise ConfigError(f"--random must be between 1 and 1,000,000, got {args.random}")
    print(analyze.report(args.file, args.goal, n_random=args.random, more=args.measures))
    return 0


def cmd_adapt(args) -> int:
    from kashtan.analysis import adapt
    if not 1 <= args.cap <= 10**9:
        raise ConfigError(f"--cap must be 1 to 1,000,000,000 generations, got {args.cap}")
    runner.backfill(args.run_dir)
    results = adapt.run(args.run_dir, args.goal, args.cap, _workers(args.workers))
    print(adapt.markdown(results, args.cap))
    print(f"\nresults in {Path(args.run_dir) / f'adaptation_{args.goal}.json'}")
    return 0


def cmd_measures(args) -> int:
    from kashtan.analysis import campaign_measures
    if args.figures:
        _formats(args)          # a bad --format fails before minutes of measuring
    rows = []
    for out in args.run_dir:
        rows += campaign_measures.collect(out, _workers(args.workers), args.reuse,
                                          log=lambda text: print(text, file=sys.stderr, flush=True))
        print(f"per-seed measures in {Path(out) / 'measures.csv'}")
    chosen = condition_names(args.conditions, list(dict.fromkeys(r["condition"] for r in rows)), "the campaigns")
    if chosen is not None:
        rows = [r for c in chosen for r in rows if r["condition"] == c]      # in the order asked
    pairs = [tuple(p.split(":", 1)) for p in args.compare]
    conds = {r["condition"] for r in rows}
    for a, b in pairs:
        if a not in conds or b not in conds:
            raise ConfigError(f"--compare {a}:{b}: conditions are {', '.join(sorted(conds))}")
    print(campaign_measures.markdown(rows, pairs or None))
    if args.figures:
        from kashtan.report import figures, measure_figures
        figures.OUTPUT.update(formats=_formats(args), dpi=args.dpi)
        name = args.name or Path(args.run_dir[0]).resolve().name
        for path in measure_figures.make(rows, Path(args.figures), name):
            print(path)
    return 0


def cmd_archive(args) -> int:
    runner.backfill(args.run_dir)
    n = archives.archive(args.run_dir, args.dest)
    print(f"archived {n} finished seed(s) of {args.run_dir} in {args.dest}")
    return 0


def cmd_configs(args) -> int:
    from kashtan.configuration import shipped
    if args.name is None:
        for name, desc in shipped.describe():
            print(f"{name:22s} {desc}")
        return 0
    path = shipped.find(args.name)
    if path is None:
        raise ConfigError(f"no shipped config {args.name!r}; shipped: {', '.join(shipped.names())}")
    sys.stdout.write(path.read_text(encoding="utf-8"))
    return 0


def _formats(args) -> tuple[str, ...]:
    """The checked --format list (and --dpi) of a command that draws figures."""
    if args.name is not None:
        rundir.check_name("figure name", args.name)
    formats = tuple(f.strip() for f in args.format.split(","))
    if not formats or any(f not in ("png", "pdf", "svg") for f in formats):
        raise ConfigError(f"--format {args.format!r}: a comma-separated list of png, pdf, svg")
    if not 30 <= args.dpi <= 1200:
        raise ConfigError(f"--dpi must be between 30 and 1200, got {args.dpi}")
    return formats


def cmd_figures(args) -> int:
    from kashtan.report import figures
    formats = _formats(args)
    runner.backfill(args.run_dir)
    conditions = condition_names(args.conditions or None)
    seeds = parse_seeds(args.seeds) if args.seeds is not None else None
    for path in figures.make_all(args.run_dir, Path(args.out), args.name, conditions, seeds, formats, args.dpi):
        print(path)
    return 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="kashtan", description="Evolve NAND circuits and networks; measure modularity.")
    from importlib.metadata import PackageNotFoundError, version
    try:
        v = version("kashtan")
    except PackageNotFoundError:
        v = "unknown (not installed)"
    p.add_argument("--version", action="version", version=f"kashtan {v}")
    sub = p.add_subparsers(dest="command", required=True)

    r = sub.add_parser("run", help="run a config's conditions over many seeds", **describe("run"))
    r.add_argument("config", help="TOML config file, or the name of a shipped one (`kashtan configs` lists them)")
    r.add_argument("--scale", help="apply the config's [scale.NAME] overrides (e.g. quick)")
    r.add_argument("--conditions", help="comma-separated conditions to run (default: all)")
    r.add_argument("--seeds", help="count (10), range (3-7) or list (1,4,9); default: the config's 'seeds'")
    r.add_argument("--workers", type=int, help="parallel processes, one seed each (default: all cores)")
    r.add_argument("--threads", type=int, help="Numba threads scoring each seed's population "
                   "(default: the cores left over when there are fewer seeds than cores)")
    r.add_argument("--out", help="campaign directory (default: runs/NAME[_SCALE])")
    r.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                   help="override any config key, e.g. --set ga.population=200 (repeatable)")
    r.add_argument("--no-progress", action="store_true", help="no progress bar")
    r.add_argument("--cluster", metavar="ADDRESS", help="run the seeds on a running Dask scheduler "
                   "(tcp://host:8786) instead of local processes; see kashtan/running/cluster.py")
    r.set_defaults(func=cmd_run)

    s = sub.add_parser("resume", help="continue an interrupted campaign from its checkpoints, or add seeds", **describe("resume"))
    s.add_argument("run_dir", help="the campaign directory")
    s.add_argument("--seeds", help="also run these seeds (count, range or list), added to the campaign")
    s.add_argument("--workers", type=int, help="parallel processes, one seed each (default: all cores)")
    s.add_argument("--threads", type=int, help="Numba threads scoring each seed's population")
    s.add_argument("--no-progress", action="store_true", help="no progress bar")
    s.add_argument("--cluster", metavar="ADDRESS", help="continue on a running Dask scheduler")
    s.set_defaults(func=cmd_resume)

    m = sub.add_parser("summarize", help="per-condition table of a campaign beside the paper's numbers", **describe("summarize"))
    m.add_argument("run_dir", nargs="+", help="a campaign; more campaigns add their conditions to one table")
    m.add_argument("--compare", action="append", default=[], metavar="A:B",
                   help="Mann-Whitney test of conditions A and B (repeatable; default: the first against each other)")
    m.add_argument("--conditions", help="comma-separated conditions to show (logic campaigns; default: all)")
    m.add_argument("--wide", action="store_true", help="every column in the terminal too (a file or pipe gets them all)")
    m.set_defaults(func=cmd_summarize)

    a = sub.add_parser("analyze", help="fitness on each goal, Q, Qm and modules of a saved circuit", **describe("analyze"))
    a.add_argument("file", help="a best-genome JSON file (a seed's best/GOAL.json or final_best.json)")
    a.add_argument("--goal", action="append", default=[], metavar="NAME=EXPR", help="also score this goal")
    a.add_argument("--random", type=int, default=1000, help="randomised networks behind Qrand (default 1000)")
    a.add_argument("--measures", action="store_true", help="also broadness (single mutations, random walks, "
                   "the relaxed Jacobian's spectrum) and information flow (least-exchange split), on the first goal")
    a.set_defaults(func=cmd_analyze)

    d = sub.add_parser("adapt", help="adaptation test: copies of each run's best network evolve toward a new goal", **describe("adapt"))
    d.add_argument("run_dir", help="a finished network campaign or archive")
    d.add_argument("--goal", required=True, help="the new goal, one of the campaign's goals (e.g. L-OR-R)")
    d.add_argument("--cap", type=int, default=5000, help="generations before giving up (default 5000)")
    d.add_argument("--workers", type=int, help="parallel processes (default 1)")
    d.set_defaults(func=cmd_adapt)

    e = sub.add_parser("measures", help="broadness and information-flow modularity of every run's final best, "
                       "by condition", **describe("measures"))
    e.add_argument("run_dir", nargs="+", help="campaign or archive directories")
    e.add_argument("--compare", action="append", default=[], metavar="A:B", help="test conditions A and B (repeatable)")
    e.add_argument("--workers", type=int, help="parallel processes (default 1)")
    e.add_argument("--reuse", action="store_true", help="keep the rows measures.csv already has (a finished or interrupted "
                   "earlier call) and measure only the rest")
    e.add_argument("--conditions", help="comma-separated conditions to report and draw, in this order (default: all)")
    e.add_argument("--figures", metavar="DIR", help="also draw degradation curves, Jacobian spectra and measure "
                   "scatter plots into DIR")
    e.add_argument("--name", help="figure file prefix (default: the first campaign directory's name)")
    e.add_argument("--format", default="png", help="png, pdf, svg or several, comma-separated (default png)")
    e.add_argument("--dpi", type=int, default=200, help="resolution of PNG files (default 200)")
    e.set_defaults(func=cmd_measures)

    v = sub.add_parser("archive", help="copy a campaign's compact artefacts (results, best genomes, final "
                       "populations) to a directory that can be committed and summarised", **describe("archive"))
    v.add_argument("run_dir", help="the campaign directory")
    v.add_argument("dest", help="where the archive goes (e.g. replications/data/NAME)")
    v.set_defaults(func=cmd_archive)

    c = sub.add_parser("configs", help="list the replication configs shipped with kashtan, or print one "
                       "(kashtan configs NAME > mine.toml to edit a copy); `run NAME` runs one", **describe("configs"))
    c.add_argument("name", nargs="?", help="a config to print (default: list them)")
    c.set_defaults(func=cmd_configs)

    f = sub.add_parser("figures", help="regenerate the figures of a campaign", **describe("figures"))
    f.add_argument("run_dir", help="a campaign or archive directory")
    f.add_argument("--out", default="figures", help="directory for the figures (default figures)")
    f.add_argument("--name", help="file name prefix (default: the config's name)")
    f.add_argument("--conditions", help="comma-separated conditions to draw (default: all)")
    f.add_argument("--seeds", help="seeds to draw (count, range or list; default: all)")
    f.add_argument("--format", default="png", help="png, pdf, svg or several, comma-separated (default png)")
    f.add_argument("--dpi", type=int, default=200, help="resolution of PNG files (default 200)")
    f.set_defaults(func=cmd_figures)

    from kashtan import cli_dynamics
    cli_dynamics.add_parser(sub)
    return p


def main(argv=None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except USER_ERRORS as e:
        print(f"kashtan: error: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("\nkashtan: interrupted; what was finished is kept", file=sys.stderr)
        return 130
    except OSError as e:               # the machine: disk full, read-only, not a directory, a name too long
        print(f"kashtan: error: {runner.os_error(e)} (finished seeds are kept)", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
