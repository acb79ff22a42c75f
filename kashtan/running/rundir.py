"""The run directory: its layout, and everything that reads or writes its files.

A campaign directory::

    campaign.json                  every condition's resolved config, the seeds, the paper's numbers
    COND/seed_007/config.json      resolved config + seed
                  generations.csv  one row per generation (COLUMNS)
                  qdist.jsonl      {"generation": g, "q": [...]} every record.qdist_every generations: Q of
                                   every genome by the quick maximiser (bisection and refinement, no
                                   restarts: up to 0.044 below the full search, bench/q_accuracy.py)
                  checkpoint.npz   every record.checkpoint_every generations (evo.checkpoint)
                  best/GOAL.json   best genome seen per goal (circuits.io / circuits.network_io format)
                  final_best.json  the final population's best genome on the last goal (FINAL_RULE)
                  final_population.npy, result.json   when the seed ends; result.json marks it finished
                  error.txt        the traceback of a seed that crashed

Readers (summaries, figures, adaptation) go through this module and never rebuild a run.
"""
from __future__ import annotations

import csv
import json
import math
import os
import re
import time
import zipfile
import zlib
from pathlib import Path

import numpy as np

from circuits import io as circuit_io
from circuits import network_io
from kashtan.configuration.config import ConfigError, check
from kashtan.running.lock import Lock  # noqa: F401  (the campaign lock: rundir.Lock)
from kashtan.running.filechecks import (COLUMNS, MEASURED, RunError, check_campaign, check_population, check_result,
                                check_row, qdist_generation, read_json, read_text)

CAMPAIGN = "campaign.json"
CONFIG, GENERATIONS, QDIST, CHECKPOINT = "config.json", "generations.csv", "qdist.jsonl", "checkpoint.npz"
BEST, FINAL_BEST, FINAL_POPULATION, RESULT, ERROR = "best", "final_best.json", "final_population.npy", "result.json", "error.txt"
PACKED_POPULATION = "final_population.npz"       # an archive's final population (``archive``)
# an archive's per-generation record: generations.csv without generation (rows are 0, 1, ...), mean, median and
# elapsed, gzipped; lossless for what it keeps (about 5 KB for 4,000 MVG generations, 4 KB for 30,000 fixed-goal ones)
HISTORY = "history.csv.gz"
HISTORY_COLUMNS = ["goal", "best", "q", "qm", "effective", "best_perfect", "n_perfect"]
FINAL_RULE = ("highest fitness in the final population on the last generation's goal (or record.final_goal); "
              "ties broken by default_rng(seed)")
# a switching run stopped in another goal's epoch is judged on the final goal as its last epoch left it
HELD_RULE = "; from the population as the final goal's last epoch left it, the run having stopped in another's"


# ---- layout -----------------------------------------------------------------

SAFE_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.=+-]{0,199}")


def check_name(what: str, name: str) -> str:
    """A condition or campaign name used as a path component: letters, digits and ``_.=+-``,
    not starting with a dot; anything else (``../x``, ``/abs``) could write outside the run."""
    if not isinstance(name, str) or not SAFE_NAME.fullmatch(name):
        raise RunError(f"{what} {name!r} cannot name a directory (letters, digits, _ . = + -; "
                       f"not starting with . or -)")
    return name


def cores() -> int:
    """The cores this process may use (its CPU affinity: taskset, cgroups, SLURM), not the machine's."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def _no_links(run_dir: Path, names) -> None:
    """Refuse a seed directory whose files (or best/ entries) are symbolic links: following one
    would read or write outside the directories named on the command line."""
    run_dir = Path(run_dir)
    items = [run_dir / n for n in names] + (list((run_dir / BEST).iterdir()) if (run_dir / BEST).is_dir() else [])
    for p in [run_dir, *items]:
        if p.is_symlink():
            raise RunError(f"{p} is a symbolic link; kashtan reads and writes only real files in a run directory")


def seed_dir(out, condition: str, seed: int) -> Path:
    return Path(out) / check_name("condition", condition) / f"seed_{seed:03d}"


def is_finished(run_dir) -> bool:
    return (Path(run_dir) / RESULT).exists()


def write_campaign(out, plan: dict) -> None:
    out = Path(out)
    for c in plan["conditions"]:
        check_name("condition", c)
    out.mkdir(parents=True, exist_ok=True)
    _replace(out / CAMPAIGN, json.dumps(plan, indent=1) + "\n")


def read_raw_campaign(out) -> dict:
    """campaign.json as written (conditions not re-checked), for rewriting it; its shape checked."""
    path = Path(out) / CAMPAIGN
    if not path.exists():
        raise RunError(f"{out}: not a campaign directory (no {CAMPAIGN})")
    plan = check_campaign(read_json(path, "campaign"), path)
    for c in plan["conditions"]:
        check_name("condition", c)
    return plan


# record keys whose default changed: a stored config without the key ran the old behaviour
LEGACY = {"qm_null": "directed", "q_search": "quick"}


def with_legacy(cfg):
    """A stored config (campaign.json's conditions, a seed's config.json) with every key of
    ``LEGACY`` it lacks set to what it ran, so reading or resuming it keeps that behaviour."""
    if isinstance(cfg, dict) and isinstance(cfg.get("record"), dict):
        for key, old in LEGACY.items():
            cfg["record"].setdefault(key, old)
    return cfg


def read_campaign(out) -> dict:
    """The campaign plan, each condition's config checked (keys added since take their defaults,
    except those whose default changed: ``with_legacy``)."""
    plan = read_raw_campaign(out)
    for cfg in plan["conditions"].values():
        with_legacy(cfg)
    try:
        plan["conditions"] = {c: check(cfg) for c, cfg in plan["conditions"].items()}
    except ConfigError as e:
        raise RunError(f"{Path(out) / CAMPAIGN}: {e}") from None
    except RecursionError:
        raise RunError(f"{Path(out) / CAMPAIGN}: a config nested too deeply") from None
    return plan


def jobs_of(plan: dict) -> list[tuple[str, int]]:
    """Seed by seed across conditions, so a campaign stopped early has every condition alike."""
    return [(c, s) for s in plan["seeds"] for c in plan["conditions"]]


def unfinished(out, plan: dict) -> list[tuple[str, int]]:
    """The (condition, seed) jobs without a result yet, in run order."""
    return [(c, s) for c, s in jobs_of(plan) if not is_finished(seed_dir(out, c, s))]


def read_result(run_dir) -> dict:
    """A seed's result.json, checked for the fields the reports read; RunError naming the file."""
    path = Path(run_dir) / RESULT
    return check_result(read_json(path, "result"), path, run_dir)


def results(out) -> tuple[dict, dict[str, list[dict]]]:
    """The campaign plan and, per condition, the results of its finished seeds."""
    plan = read_campaign(out)
    found = {c: [read_result(seed_dir(out, c, s)) for s in plan["seeds"] if is_finished(seed_dir(out, c, s))]
             for c in plan["conditions"]}
    return plan, found


# ---- writing a seed ---------------------------------------------------------

def _json_default(x):
    if isinstance(x, np.generic):
        return x.item()
    raise TypeError(f"cannot write {type(x).__name__} to JSON")


def write_result(run_dir, result: dict) -> None:
    """Write result.json last and atomically: it marks the seed finished."""
    done = Path(run_dir) / RESULT
    tmp = done.with_suffix(".tmp")
    tmp.write_text(json.dumps(result, indent=1, default=_json_default) + "\n")
    os.replace(tmp, done)


def best_file(run_dir, goal: str) -> Path:
    safe = re.sub(r"[^A-Za-z0-9_.-]+", "_", goal)[:80].lstrip(".")
    if safe != goal:            # "A B" and "A_B" must not share a file
        safe += "-" + format(zlib.crc32(goal.encode()), "08x")
    return Path(run_dir) / BEST / (safe + ".json")


def final_index(fitness: np.ndarray, seed: int) -> int:
    """The final best genome's row (FINAL_RULE). Not by fewest connections or gates: that
    would select for sparseness, i.e. for the modularity being measured."""
    top = np.flatnonzero(fitness == fitness.max())
    return int(np.random.default_rng(seed).choice(top))


def read_genome(path) -> tuple[np.ndarray, object, list[str], dict]:
    """``(genome, spec, input names, meta)`` of a saved circuit or network file."""
    data = circuit_io.read_json(path)
    if isinstance(data, dict) and data.get("format") == network_io.FORMAT:
        return network_io.from_dict(data, str(path))
    return circuit_io.from_dict(data, str(path))


def read_population(run_dir, cfg: dict) -> np.ndarray:
    """A seed's final_population.npy, or an archive's final_population.npz (so an archive can be
    grown and archived again), checked against its config (``filechecks.check_population``)."""
    path = Path(run_dir) / FINAL_POPULATION
    packed = Path(run_dir) / PACKED_POPULATION
    if not path.exists() and packed.exists():
        path = packed
    try:
        if path is packed:
            with np.load(path, allow_pickle=False) as z:
                pop = z["population"]
            if pop.dtype.kind in "iu":       # archives keep the smallest type; widen for arithmetic
                pop = pop.astype(np.int64)
        else:
            pop = np.load(path, allow_pickle=False)
    except (OSError, ValueError, EOFError, KeyError, zipfile.BadZipFile) as e:
        raise RunError(f"{path}: damaged population file ({type(e).__name__}: {str(e)[:160]})") from None
    return check_population(pop, cfg, path)


def read_final_best(run_dir) -> tuple[np.ndarray, object, list[str], dict]:
    path = Path(run_dir) / FINAL_BEST
    if not path.exists():
        raise RunError(f"{run_dir}: no {FINAL_BEST} (a campaign from before it existed: "
                       f"`kashtan summarize` writes it)")
    return read_genome(path)


# ---- generation records -----------------------------------------------------

def _fmt(v):
    if isinstance(v, float):
        return "" if math.isnan(v) else f"{v:.6g}"
    if isinstance(v, bool):
        return int(v)
    return v


class Recorder:
    """Appends generation rows and Q distributions, flushing at most every ``flush_seconds``."""

    def __init__(self, run_dir, flush_seconds: float = 2.0):
        self.dir = Path(run_dir)
        self.flush_seconds = flush_seconds
        self._rows: list[list] = []
        self._qdist: list[str] = []
        self._last = time.monotonic()
        path = self.dir / GENERATIONS
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
            with open(self.dir / GENERATIONS, "a", newline="") as f:
                csv.writer(f).writerows(self._rows)
            self._rows.clear()
        if self._qdist:
            with open(self.dir / QDIST, "a") as f:
                f.write("\n".join(self._qdist) + "\n")
            self._qdist.clear()
        self._last = time.monotonic()

    def truncate(self, generation: int, goals=None) -> None:
        """Drop what was written for generations >= ``generation`` (after the checkpoint a resume
        starts from). Records that are not what this module writes stop the resume (RunError)
        rather than being rewritten: they may be the only copy of finished work."""
        path = self.dir / GENERATIONS
        lines = path.read_text().splitlines(keepends=True)
        if len(lines) > 1 and not lines[-1].endswith("\n"):
            lines.pop()                   # a row torn by a kill or a full disk: written after the checkpoint
            _replace(path, "".join(lines))
        read_generations(self.dir, goals)             # damaged records: RunError naming the file
        keep = [lines[0]] + [ln for ln in lines[1:] if int(ln.split(",", 1)[0]) < generation]
        if len(keep) - 1 < generation:
            raise RunError(f"{path}: records end at generation {len(keep) - 2}, before the checkpoint's "
                           f"generation {generation}")
        _replace(path, "".join(keep))
        qpath = self.dir / QDIST
        if qpath.exists():
            rows = [ln for ln in read_text(qpath, "Q distribution").splitlines() if ln.strip()]
            try:
                kept = [ln for ln in rows if qdist_generation(ln) < generation]
            except (ValueError, TypeError, KeyError, RecursionError) as e:
                raise RunError(f"{qpath}: damaged Q distribution records ({type(e).__name__}: {str(e)[:120]})") from None
            _replace(qpath, "".join(ln + "\n" for ln in kept))


def _replace(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` atomically: a kill leaves the old file or the new, never a torn one."""
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text)
    os.replace(tmp, path)


def _history_rows(path: Path):
    """generations.csv's rows (dicts) from an archive's history.csv.gz (mean, median NaN; elapsed 0)."""
    import gzip
    with gzip.open(path, "rt", newline="", encoding="utf-8") as f:
        rows = csv.reader(f)
        if next(rows, None) != HISTORY_COLUMNS:
            raise ValueError(f"the header is not {','.join(HISTORY_COLUMNS)}")
        for i, r in enumerate(rows):
            if len(r) != len(HISTORY_COLUMNS):
                raise ValueError(f"row {i + 1} has {len(r)} fields, not {len(HISTORY_COLUMNS)}")
            yield dict(zip(HISTORY_COLUMNS, r), generation=str(i), mean="nan", median="nan", elapsed="0")


def has_records(run_dir) -> bool:
    """Whether a seed keeps per-generation records (a run's generations.csv or an archive's history)."""
    return (Path(run_dir) / GENERATIONS).exists() or (Path(run_dir) / HISTORY).exists()


def generation_rows(run_dir, header: bool = True):
    """A seed's per-generation records as dicts of strings, from generations.csv (whose header must
    be ``COLUMNS`` when ``header``) or, in an archive, history.csv.gz."""
    path = Path(run_dir) / GENERATIONS
    if not path.exists() and (Path(run_dir) / HISTORY).exists():
        yield from _history_rows(Path(run_dir) / HISTORY)
        return
    with open(path, newline="", encoding="utf-8") as f:
        rows = csv.reader(f)
        names = next(rows, None)
        if header and names != COLUMNS:
            raise ValueError(f"the header is not {','.join(COLUMNS)}")
        for i, r in enumerate(rows):
            if len(r) != len(names or ()):
                raise ValueError(f"row {i + 1} has {len(r)} fields, not {len(names or ())}")
            yield dict(zip(names, r))


def read_generations(run_dir, goals=None) -> dict[str, list]:
    """Columns of a seed's generations.csv (numbers as floats, NaN for blanks in Q and Qm), or of
    an archive's history.csv.gz (mean and median NaN, elapsed 0); with ``goals``, every row's goal
    must be one of them."""
    path = Path(run_dir) / GENERATIONS
    if not path.exists() and (Path(run_dir) / HISTORY).exists():
        path = Path(run_dir) / HISTORY
    out: dict[str, list] = {c: [] for c in COLUMNS}
    try:
        for i, r in enumerate(generation_rows(run_dir)):
            for c in COLUMNS:
                v = r[c]
                out[c].append(v if c == "goal" else float(v) if v != "" or c not in MEASURED else math.nan)
            row = {c: out[c][-1] for c in COLUMNS}
            if path.name == HISTORY:
                row.update(mean=0.0, median=0.0)
            check_row(i, row, goals)
    except (OSError, EOFError, KeyError, TypeError, ValueError, csv.Error) as e:
        raise RunError(f"{path}: unreadable generation records ({type(e).__name__}: {str(e)[:200]})") from None
    return out


def epochs(run_dir, period: int, first: int = 0, switches_only: bool = False) -> list[tuple[int | None, bool]]:
    """Per epoch from generation ``first`` (an epoch start) on: generations from its start to
    its first perfect genome (None if none), and whether the run covered the whole epoch.
    ``switches_only`` leaves out epochs asking the goal the epoch before asked (an RMVG draw
    repeats the previous one 1 time in 10): no switch happened there. Reads only the columns
    it needs, so it stays fast over many long runs."""
    found: dict[int, int | None] = {}
    rows_in: dict[int, int] = {}
    repeats: set[int] = set()
    last_goal = None                    # the goal of the generation before, for switches_only
    path = Path(run_dir) / GENERATIONS
    if not has_records(run_dir):       # an archive from before history.csv.gz keeps no records
        return []
    try:
        for r in generation_rows(run_dir, header=False):
            g = int(r["generation"])
            goal = r["goal"] if switches_only else None
            if g >= first:
                e = (g - first) // period
                if switches_only and e not in rows_in and g == first + e * period and goal == last_goal:
                    repeats.add(e)
                rows_in[e] = rows_in.get(e, 0) + 1
                if found.get(e) is None:
                    found[e] = g - first - e * period if int(r["n_perfect"]) > 0 else None
            last_goal = goal
    except (OSError, EOFError, KeyError, TypeError, ValueError, csv.Error) as e:
        raise RunError(f"{path}: unreadable generation records ({type(e).__name__}: {e})") from None
    return [(found[e], rows_in[e] == period) for e in sorted(found) if e not in repeats]
