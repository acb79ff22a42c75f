"""How close kashtan's Q maximiser comes to the exact maximum, and what it costs.

Graphs: random directed graphs of 15-25 nodes at the densities evolved circuits and networks
have (1.2-2 edges per node), and evolved graphs (every circuit and network file under the
given directories: golden test runs, campaigns). For each, the exact maximum by the integer
program (``circuits.exact_modularity``, HiGHS) and the heuristic's Q at several restart
budgets, both undirected and directed. Prints, per budget, the share of graphs within 0.005
of the exact maximum, the worst gap and the heuristic's time per graph; writes every graph's
numbers to ``--json`` as it goes.

    python bench/q_accuracy.py --random 60 --files tests/golden runs/choices_logic --json /tmp/q.json
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

from circuits import network  # noqa: E402
from circuits.exact_modularity import exact_partition  # noqa: E402
from circuits.graph import adjacency  # noqa: E402
from circuits.modularity import best_partition  # noqa: E402
from kashtan.running.rundir import read_genome  # noqa: E402


def evolved(dirs, limit):
    seen = set()
    for d in dirs:
        for path in sorted(Path(d).rglob("*.json")):
            if path.name in ("result.json", "config.json", "campaign.json") or len(seen) >= limit:
                continue
            try:
                genome, spec, _, _ = read_genome(path)
            except Exception:        # noqa: BLE001 - not a circuit file
                continue
            adj, _ = network.simplify(genome, spec) if hasattr(spec, "layers") else adjacency(genome, spec)
            key = adj.tobytes()
            if adj.shape[0] >= 6 and key not in seen:
                seen.add(key)
                yield f"evolved:{path}", adj


def random_graphs(count, seed=0):
    rng = np.random.default_rng(seed)
    for k in range(count):
        n = int(rng.integers(15, 26))
        adj = (rng.random((n, n)) < rng.uniform(1.2, 2.0) / n).astype(np.int8)
        np.fill_diagonal(adj, 0)
        yield f"random:{k}:n={n}", adj


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--random", type=int, default=40)
    ap.add_argument("--files", nargs="*", default=["tests/golden"])
    ap.add_argument("--evolved", type=int, default=200, help="at most this many evolved graphs")
    ap.add_argument("--budgets", default="0,8,32")
    ap.add_argument("--json")
    args = ap.parse_args(argv)
    budgets = [int(b) for b in args.budgets.split(",")]
    best_partition(np.ones((3, 3), np.int8))           # compile
    rows = []
    for name, adj in [*evolved(args.files, args.evolved), *random_graphs(args.random)]:
        for kind in ("undirected", "directed"):
            t0 = time.perf_counter()
            exact = exact_partition(adj, kind)[0]
            row = {"graph": name, "nodes": int(adj.shape[0]), "kind": kind, "exact": exact,
                   "exact_seconds": time.perf_counter() - t0}
            for b in budgets:
                t0 = time.perf_counter()
                row[f"q{b}"] = best_partition(adj, kind, restarts=b)[0]
                row[f"ms{b}"] = (time.perf_counter() - t0) * 1e3
            rows.append(row)
            if args.json:
                Path(args.json).write_text(json.dumps(rows))
    for group in ("evolved", "random"):
        sub = [r for r in rows if r["graph"].startswith(group) and r["nodes"] >= 15] if group == "random" else \
              [r for r in rows if r["graph"].startswith(group)]
        if not sub:
            continue
        print(f"{group}: {len(sub)} graph/kind pairs, {min(r['nodes'] for r in sub)}-{max(r['nodes'] for r in sub)} nodes")
        for b in budgets:
            gaps = np.array([r["exact"] - r[f"q{b}"] for r in sub])
            print(f"  restarts {b:3d}: within 0.005 {np.mean(gaps <= 0.005):6.1%}, exact {np.mean(gaps <= 1e-9):6.1%}, "
                  f"worst gap {gaps.max():.4f}, {np.mean([r[f'ms{b}'] for r in sub]):.2f} ms per graph")


if __name__ == "__main__":
    main()
