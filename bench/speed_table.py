"""Every speed benchmark behind the README's speed table, in one run, into one log.

    python bench/speed_table.py [--peer /tmp/peer] [--out bench/results/speed-DATE.md]

Runs, one after another on this machine (so every ratio in the table comes from the same run):
``generation.py`` (logic against plain DEAP), ``peer.py`` (logic against the public replication,
only with ``--peer``: a checkout of JBQuim/Boolean-Circuit-Evolution; nothing is fetched),
``pcc.py`` (P&CC against the two DEAP baselines), ``qm_cost.py`` (Qm's share of a K&A retina
run, MVG and fixed goal, and of eight MVG seeds as configured), ``eigen_speed.py``,
``size_speed.py`` (scaling with network and circuit size), ``threads.py``, and ``kashtan
measures`` on a copy of the twenty 8x retina networks with 2 workers. Writes the machine, the
revision and each benchmark's output and wall time to a Markdown log as it goes, so an
interruption keeps what finished. About half an hour; pause campaigns first.
"""
from __future__ import annotations

import argparse
import datetime
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable


def benches(peer: str | None, tmp: Path) -> list[tuple[str, list[str]]]:
    eight = tmp / "size_retina_8x"
    runs = [("logic: kashtan against plain DEAP", [PY, "bench/generation.py"])]
    if peer:
        runs.append(("logic: kashtan against the peer replication", [PY, "bench/peer.py", "--peer", peer]))
    runs += [
        ("P&CC: kashtan against DEAP NSGA-II", [PY, "bench/pcc.py"]),
        ("Qm's share of a K&A retina run, MVG", [PY, "bench/qm_cost.py", "--condition", "mvg",
                                                 "--generations", "20000"]),
        ("Qm's share of eight K&A retina MVG seeds as configured (stop at the solution)",
         [PY, "bench/qm_cost.py", "--condition", "mvg", "--seeds", "8"]),
        ("Qm's share of a K&A retina run, fixed goal", [PY, "bench/qm_cost.py", "--condition", "fixed",
                                                        "--generations", "20000"]),
        ("the leading eigenpair against eigh", [PY, "bench/eigen_speed.py"]),
        ("scaling with network and circuit size", [PY, "bench/size_speed.py"]),
        ("threads and processes", [PY, "bench/threads.py"]),
        ("measures of the twenty 8x retina networks, 2 workers",
         [PY, "-c", "import sys; from kashtan.cli import main; sys.exit(main())", "measures", str(eight),
          "--workers", "2"]),
    ]
    return runs


def machine() -> str:
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    rev = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout
    dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT,
                           capture_output=True, text=True).stdout.strip()
    import numba
    import numpy
    return (f"- machine: {model}, {os.cpu_count()} cores, {platform.system()} {platform.release()}\n"
            f"- revision: {rev.strip()}{' (uncommitted changes)' if dirty else ''}\n"
            f"- Python {platform.python_version()}, numpy {numpy.__version__}, numba {numba.__version__}\n")


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--peer", help="a checkout of JBQuim/Boolean-Circuit-Evolution (else that bench is skipped)")
    p.add_argument("--out", type=Path, help="the log (default bench/results/speed-DATE.md)")
    a = p.parse_args(argv)
    if a.peer and not (Path(a.peer) / "EvolutionFunctions.py").is_file():
        p.error(f"--peer {a.peer}: no EvolutionFunctions.py there; clone "
                "https://github.com/JBQuim/Boolean-Circuit-Evolution first")
    today = datetime.date.today().isoformat()
    out = a.out or ROOT / "bench" / "results" / f"speed-{today}.md"
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        shutil.copytree(ROOT / "replications" / "data" / "size_retina_8x", Path(tmp) / "size_retina_8x",
                        ignore=shutil.ignore_patterns("measures*"))
        header = machine()                  # before the log is opened: a committed log is a tracked file
        with out.open("w") as log:
            log.write(f"# Speed benchmarks, {today}\n\n{header}"
                      f"- command: `python bench/speed_table.py{' --peer PATH' if a.peer else ''}`\n")
            log.flush()
            for title, cmd in benches(a.peer, Path(tmp)):
                print(f"== {title}", flush=True)
                t0 = time.perf_counter()
                run = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
                wall = time.perf_counter() - t0
                text = run.stdout + (f"\n(exit {run.returncode})\n{run.stderr[-2000:]}" if run.returncode else "")
                print(text, flush=True)
                shown = " ".join(["kashtan", *cmd[3:]] if cmd[1] == "-c" else ["python", *cmd[1:]])
                shown = shown.replace(str(tmp), "COPY")
                log.write(f"\n## {title}\n\n`{shown}`: {wall:.0f} s\n\n```\n{text.strip()}\n```\n")
                log.flush()
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
