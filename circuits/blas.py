"""The same linear-algebra kernels on every x86-64 machine, so a seed gives the same records.

OpenBLAS (inside numpy's and scipy's wheels) picks its kernels by CPU when it loads. Its
AVX-512 kernels round eigenvectors differently in the last bits from its AVX2 ones, and the
spectral split behind Q breaks ties on those bits: the same run recorded other Q values on an
AVX-512 machine than on an AVX2 one (tests/golden caught it). Importing this module before
numpy or scipy load OpenBLAS pins its AVX2 ("Haswell") kernels wherever the CPU has AVX2,
unless ``OPENBLAS_CORETYPE`` is already set. ``circuits`` and ``kashtan`` import it first; a
program that imports numpy before them keeps numpy's own choice.

Since 2026-12-06 Q's splits come from ``circuits.eigen`` (compiled by Numba, no LAPACK), so Q no
longer depends on it; Clune et al.'s first bisection (``modularity.first_bisection``) and the
normalised cut's Fiedler vector (``partitions``) still call numpy's LAPACK.
"""
from __future__ import annotations

import os


def _has_avx2() -> bool:
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("flags"):
                    return " avx2" in line and " fma" in line
    except OSError:
        pass
    return False


def pin_kernels() -> str | None:
    """Set ``OPENBLAS_CORETYPE=Haswell`` where it applies; return the value in force."""
    if "OPENBLAS_CORETYPE" not in os.environ and _has_avx2():
        os.environ["OPENBLAS_CORETYPE"] = "Haswell"
    return os.environ.get("OPENBLAS_CORETYPE")


PINNED = pin_kernels()
