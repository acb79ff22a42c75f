"""What a seed writes to its run directory, as it goes.

``generations.csv``  one row per generation (COLUMNS)
``qdist.jsonl``      {"generation": g, "q": [...]} every ``record.qdist_every`` generations
``checkpoint.npz``   every ``record.checkpoint_every`` generations (see evo.checkpoint)
``config.json``      the resolved config and seed
``best/GOAL.json``   best circuit per goal (circuits.io format)
``final_population.npy``, ``result.json``  when the seed ends; result.json marks it finished
"""
from __future__ import annotations

import csv
import json
import math
import time
from pathlib import Path

COLUMNS = ["generation", "goal", "best", "mean", "median", "q", "qm", "effective",
           "best_perfect", "n_perfect", "elapsed"]


def _fmt(v):
    if isinstance(v, float):
        return "" if math.isnan(v) else f"{v:.6g}"
    if isinstance(v, bool):
        return int(v)
    return v


class Recorder:
    """Appends generation rows and Q distributions, flushing at most every ``flush_seconds``."""

    def __init__(self, run_dir: Path, flush_seconds: float = 2.0):
        self.dir = Path(run_dir)
        self.flush_seconds = flush_seconds
        self._rows: list[list] = []
        self._qdist: list[str] = []
        self._last = time.monotonic()
        path = self.dir / "generations.csv"
        if not path.exists():
            path.write_text(",".join(COLUMNS) + "\n")

    def row(self, row: dict) -> None:
        self._rows.append([_fmt(row[c]) for c in COLUMNS])
        if time.monotonic() - self._last > self.flush_seconds:
            self.flush()

    def qdist(self, generation: int, qs: list[float]) -> None:
        self._qdist.append(json.dumps({"generation": generation, "q": [round(q, 4) for q in qs]}))

    def flush(self) -> None:
        if self._rows:
            with open(self.dir / "generations.csv", "a", newline="") as f:
                csv.writer(f).writerows(self._rows)
            self._rows.clear()
        if self._qdist:
            with open(self.dir / "qdist.jsonl", "a") as f:
                f.write("\n".join(self._qdist) + "\n")
            self._qdist.clear()
        self._last = time.monotonic()

    def truncate(self, generation: int) -> None:
        """Drop what was written for generations >= ``generation`` (after the checkpoint a resume starts from)."""
        path = self.dir / "generations.csv"
        lines = path.read_text().splitlines(keepends=True)
        keep = [lines[0]] + [ln for ln in lines[1:] if ln.strip() and int(ln.split(",", 1)[0]) < generation]
        path.write_text("".join(keep))
        qpath = self.dir / "qdist.jsonl"
        if qpath.exists():
            rows = [ln for ln in qpath.read_text().splitlines() if ln.strip()]
            kept = [ln for ln in rows if json.loads(ln)["generation"] < generation]
            qpath.write_text("".join(ln + "\n" for ln in kept))


def read_generations(run_dir: Path) -> dict[str, list]:
    """Columns of a seed's generations.csv (numbers as floats, NaN for blanks)."""
    with open(Path(run_dir) / "generations.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    out: dict[str, list] = {c: [] for c in COLUMNS}
    for r in rows:
        for c in COLUMNS:
            v = r[c]
            out[c].append(v if c == "goal" else (float(v) if v != "" else float("nan")))
    return out
