"""Which code made a campaign: the engine's version and git commit (with a dirty flag) and the
versions of the libraries its numbers depend on. Written into campaign.json and archives, so a
table's campaigns can be traced to the engine that made them."""
from __future__ import annotations

import platform
import subprocess
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

LIBRARIES = ("numpy", "numba", "scipy", "deap", "networkx")


def _git(*args) -> str | None:
    root = Path(__file__).resolve().parents[2]
    try:
        done = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip() if done.returncode == 0 else None


def record() -> dict:
    """``{"kashtan", "commit", "dirty", "python", <library>: version}``; commit and dirty are None
    outside a git checkout (an installed wheel). Dirty counts tracked files changed, not new ones."""
    def v(name):
        try:
            return version(name)
        except PackageNotFoundError:
            return None
    commit = _git("rev-parse", "HEAD")
    status = _git("status", "--porcelain", "--untracked-files=no") if commit else None
    return {"kashtan": v("kashtan"), "commit": commit, "dirty": None if status is None else bool(status),
            "python": platform.python_version(), **{lib: v(lib) for lib in LIBRARIES}}
