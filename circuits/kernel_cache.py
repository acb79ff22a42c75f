"""Numba's on-disk cache, in a directory named by the kernels' sources.

Numba drops a cached function when its own file changes, not when a function it calls from
another file does: after ``circuits/eigen.py`` changed, ``qm._references`` (whose file had not)
kept running the old solver from its cache, and golden records were written from it (session 25;
an edit under a running campaign broke a cache the same way on 2026-11-23). Here the cache lives
in ``.numba_cache/<hash of every source file in circuits/ and evo/>``, so any edit starts a fresh
one; the newest ``KEEP`` directories are kept. A ``NUMBA_CACHE_DIR`` you set is left alone, and an
unwritable checkout falls back to Numba's default (beside the sources).
"""
from __future__ import annotations

import hashlib
import os
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("circuits", "evo")
KEEP = 3


def sources_hash(root: Path = ROOT) -> str:
    h = hashlib.sha256()
    for pkg in PACKAGES:
        for f in sorted((root / pkg).glob("*.py")):
            h.update(f"{pkg}/{f.name}\0".encode())
            h.update(f.read_bytes())
    return h.hexdigest()[:16]


def _prune(base: Path, current: Path) -> None:
    old = sorted((d for d in base.iterdir() if d.is_dir() and d != current), key=lambda d: d.stat().st_mtime)
    for d in old[: max(0, len(old) - (KEEP - 1))]:
        shutil.rmtree(d, ignore_errors=True)


def keyed_directory(root: Path = ROOT) -> Path:
    """This source state's cache directory, made and marked newest; older ones beyond KEEP go."""
    path = root / ".numba_cache" / sources_hash(root)
    path.mkdir(parents=True, exist_ok=True)
    os.utime(path)
    _prune(path.parent, path)
    return path


def use_keyed_cache(root: Path = ROOT) -> str | None:
    """Point Numba's cache at this source state's directory; return it (None: Numba's default)."""
    if "NUMBA_CACHE_DIR" in os.environ:
        return os.environ["NUMBA_CACHE_DIR"]
    try:
        path = str(keyed_directory(root))
    except OSError:
        return None
    os.environ["NUMBA_CACHE_DIR"] = path              # read when numba loads, and by worker processes
    config = sys.modules.get("numba.core.config")
    if config is not None:                            # numba loaded first: its config is already read
        config.CACHE_DIR = path
    return path


CACHE_DIR = use_keyed_cache()
