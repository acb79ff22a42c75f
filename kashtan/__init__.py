"""kashtan: an engine for research on why modularity evolves (see README.md)."""


def _own_packages() -> None:
    """The engine's sibling packages must be its own: a ``tasks.py`` (or ``evo/``, ``circuits/``)
    in the working directory would be imported instead and fail far from the cause."""
    import importlib.util
    import os
    from pathlib import Path
    root = Path(__file__).resolve().parent.parent
    for name in ("circuits", "evo", "tasks"):
        spec = importlib.util.find_spec(name)
        origin = Path(spec.origin).resolve() if spec is not None and spec.origin else None
        if origin is None or origin.parent.parent != root:
            raise ImportError(f"kashtan: {origin or name!s} shadows kashtan's own package {name!r} "
                              f"({root / name}); rename it or run from another directory than {os.getcwd()}")


_own_packages()

from circuits import blas  # noqa: F401,E402  -- before anything loads OpenBLAS (see circuits/blas.py)
