"""Archives: what later analyses need of a campaign, compact enough to commit (a few MB), and
readable as a campaign directory by every report (``kashtan archive RUN DEST``)."""
from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from kashtan.running.rundir import (BEST, CAMPAIGN, FINAL_BEST, FINAL_POPULATION, GENERATIONS, HISTORY, HISTORY_COLUMNS,
                            PACKED_POPULATION, RESULT, RunError, _no_links, generation_rows, is_finished, jobs_of,
                            read_campaign, read_generations, read_population, read_result, seed_dir)


def write_history(run_dir, dest_dir) -> None:
    """An archive's compact per-generation record (``HISTORY``) of a run's generations.csv."""
    import csv
    import gzip
    read_generations(run_dir)                  # damaged records: RunError naming the file
    tmp = Path(dest_dir) / (HISTORY + ".tmp")
    with gzip.open(tmp, "wt", compresslevel=9, encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(HISTORY_COLUMNS)
        w.writerows([r[c] for c in HISTORY_COLUMNS] for r in generation_rows(run_dir))
    os.replace(tmp, Path(dest_dir) / HISTORY)


ARCHIVED = (RESULT, FINAL_BEST, BEST)


def _atomic_copy(src: Path, dst: Path) -> None:
    import shutil
    tmp = dst.with_name(dst.name + ".tmp")
    shutil.copyfile(src, tmp)
    os.replace(tmp, dst)


def archive(out, dest) -> int:
    """Copy what later analyses need of every finished seed into ``dest``: campaign.json, and
    per seed result.json, best/, final_best.json and the final population as a compressed
    ``final_population.npz`` (genes as the smallest integer type that holds them), and the
    per-generation records as ``history.csv.gz`` (``write_history``); not checkpoints or Q
    distributions. ``dest`` reads like a campaign directory
    (summaries, figures of final genomes, new measures). Returns the seeds archived."""
    import shutil
    out, dest = Path(out), Path(dest)
    plan = read_campaign(out)
    if dest.resolve() == out.resolve() or out.resolve() in dest.resolve().parents:
        raise RunError(f"archive {dest}: choose a directory outside the campaign {out}")
    if dest.exists() and (not dest.is_dir() or (any(dest.iterdir()) and not (dest / CAMPAIGN).exists())):
        raise RunError(f"archive {dest}: exists and is not an archive (a file, or a directory without {CAMPAIGN})")
    finished = [(c, s) for c, s in jobs_of(plan) if is_finished(seed_dir(out, c, s))]
    pops = {}
    for c, s in finished:            # read and check everything before writing anything
        read_result(seed_dir(out, c, s))
        pops[c, s] = read_population(seed_dir(out, c, s), plan["conditions"][c])
    for c, s in finished:
        _no_links(seed_dir(out, c, s), [*ARCHIVED, GENERATIONS, HISTORY, FINAL_POPULATION, PACKED_POPULATION])
    for c in plan["conditions"]:
        if (dest / c).is_symlink():
            raise RunError(f"archive {dest}: {dest / c} is a symbolic link; the archive writes only inside {dest}")
    dest.mkdir(parents=True, exist_ok=True)
    _atomic_copy(out / CAMPAIGN, dest / CAMPAIGN)
    n = 0
    for c, s in finished:
        src, dst = seed_dir(out, c, s), seed_dir(dest, c, s)
        # each seed is built beside its place and moved in whole: a kill leaves the old copy or the
        # new, never a seed whose result.json is there and whose population is half written
        part = dst.with_name(dst.name + ".partial")
        shutil.rmtree(part, ignore_errors=True)
        part.mkdir(parents=True)
        for name in ARCHIVED:
            if name != RESULT and (src / name).is_dir():
                shutil.copytree(src / name, part / name)
            elif name != RESULT and (src / name).exists():
                shutil.copyfile(src / name, part / name)
        pop = pops[c, s]
        small = pop.astype(np.min_scalar_type(int(pop.min(initial=0))) if pop.min(initial=0) < 0
                           else np.min_scalar_type(int(pop.max(initial=0))))
        if np.array_equal(small, pop):
            pop = small
        np.savez_compressed(part / PACKED_POPULATION, population=pop)
        if (src / GENERATIONS).exists():
            write_history(src, part)
        elif (src / HISTORY).exists():
            shutil.copyfile(src / HISTORY, part / HISTORY)
        shutil.copyfile(src / RESULT, part / RESULT)          # last: it marks the seed finished
        old = dst.with_name(dst.name + ".old")
        shutil.rmtree(old, ignore_errors=True)
        if dst.exists():
            os.replace(dst, old)
        os.replace(part, dst)
        shutil.rmtree(old, ignore_errors=True)
        n += 1
    return n
