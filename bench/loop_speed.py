"""Milliseconds per generation of the whole loop, this checkout against another revision.

Three paper-scale configs (Kashtan & Alon logic MVG, K&A retina MVG, Clune P&CC), each
built from its replication config, run ``--warm`` generations out of the random start and
then timed over ``--timed`` generations, on one core. Each (revision, config) runs in its
own process, interleaved and repeated (``--repeats``), and the fastest repeat counts, so
the ratio is measured in one run on one machine.

    python bench/loop_speed.py --against /tmp/base     # a worktree of the older revision
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONFIGS = {
    "logic MVG (S=1000)": ("kashtan2005_logic.toml", "mvg", ["record.qm_every=0", "record.qdist_every=0"]),
    "K&A retina MVG (S=600)": ("kashtan2005_retina.toml", "mvg", ["record.qm_every=0", "record.qdist_every=0"]),
    "Clune P&CC (S=1000)": ("clune2013_retina.toml", "pcc", ["record.qm_every=0", "record.qdist_every=0"]),
}

CHILD = r"""
import json, sys, time
sys.path.insert(0, sys.argv[1])
try:
    from kashtan.configuration import build, config
except ImportError:                       # a revision before kashtan/ was split by concern
    from kashtan import build, config
path, cond, over, warm, timed = json.loads(sys.argv[2])
cfg = config.resolve(config.read_file(path), cond, overrides=over)
cfg["stop"]["when_solved"] = False
evo = build.evolution(cfg, 0)
for _ in range(warm):
    evo.step()
t0 = time.perf_counter()
for _ in range(timed):
    evo.step()
print((time.perf_counter() - t0) / timed)
"""


def measure(root: Path, name: str, warm: int, timed: int, extra=()) -> float:
    path, cond, over = CONFIGS[name]
    over = [*over, *extra]
    env = {**os.environ, **{v: "1" for v in ("NUMBA_NUM_THREADS", "OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS")}}
    args = json.dumps([str(ROOT / "replications" / path), cond, over, warm, timed])
    out = subprocess.run([sys.executable, "-c", CHILD, str(root), args], env=env, cwd=root,
                         capture_output=True, text=True, check=True)
    return float(out.stdout.strip().splitlines()[-1])


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--against", required=True, help="checkout of the revision to compare with")
    ap.add_argument("--warm", type=int, default=1000)
    ap.add_argument("--timed", type=int, default=1000)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--only", help="a word of the configs to time (e.g. Clune)")
    ap.add_argument("--other-set", action="append", default=[], metavar="KEY=VALUE",
                    help="config overrides for the other side only (--against . compares two settings)")
    args = ap.parse_args(argv)
    names = [n for n in CONFIGS if not args.only or args.only in n]
    roots = {"this": ROOT, "other": Path(args.against).resolve()}
    for root in roots.values():                       # compile / fill the Numba caches
        for name in names:
            measure(root, name, 2, 2)
    best = {(r, n): float("inf") for r in roots for n in names}
    for _ in range(args.repeats):
        for name in names:
            for r, root in roots.items():
                extra = args.other_set if r == "other" else ()
                best[r, name] = min(best[r, name], measure(root, name, args.warm, args.timed, extra))
    print(f"ms per generation, generations {args.warm}-{args.warm + args.timed}, fastest of {args.repeats}")
    print(f"{'config':28s} {'this':>8s} {'other':>8s} {'this/other':>10s}")
    for name in names:
        a, b = best["this", name] * 1e3, best["other", name] * 1e3
        print(f"{name:28s} {a:8.3f} {b:8.3f} {a / b:10.3f}")


if __name__ == "__main__":
    main()
