"""circuits."""
from circuits import blas  # noqa: F401  -- before anything loads OpenBLAS (see circuits/blas.py)
from circuits import kernel_cache  # noqa: F401  -- before numba caches a kernel (see circuits/kernel_cache.py)
