"""evo."""
from circuits import blas  # noqa: F401  -- before anything loads OpenBLAS (see circuits/blas.py)
