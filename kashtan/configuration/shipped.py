"""The replication configs installed with the package, found by name.

``replications/*.toml`` is installed as the package ``kashtan.configs`` (pyproject.toml maps it),
so ``kashtan run clune2013_retina`` works from any directory and from a wheel, not only from a
clone. A path that exists always wins over a shipped name, so a researcher's edited copy is
never shadowed.

>>> "kashtan2005_logic" in names()
True
>>> find("kashtan2005_logic.toml").name
'kashtan2005_logic.toml'
"""
from __future__ import annotations

import tomllib
from importlib import resources
from pathlib import Path


def _root():
    try:
        return resources.files("kashtan.configs")
    except ModuleNotFoundError:     # a source tree used without installing
        return Path(__file__).resolve().parents[2] / "replications"


def names() -> list[str]:
    """Names of the shipped configs, sorted."""
    root = _root()
    return sorted(p.name[:-5] for p in root.iterdir() if p.name.endswith(".toml"))


def find(name: str):
    """The shipped config called ``name`` (``.toml`` optional), or None; a name with a path is never looked up."""
    if "/" in name or "\\" in name:
        return None
    stem = name[:-5] if name.endswith(".toml") else name
    if stem not in names():
        return None
    return _root() / f"{stem}.toml"


def describe() -> list[tuple[str, str]]:
    """(name, description) of each shipped config."""
    out = []
    for n in names():
        try:
            desc = tomllib.loads(find(n).read_text(encoding="utf-8")).get("description", "")
        except (OSError, tomllib.TOMLDecodeError):
            desc = "(unreadable)"
        out.append((n, str(desc)))
    return out
