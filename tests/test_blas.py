"""circuits.blas pins OpenBLAS's AVX2 kernels before numpy loads, and leaves a user's choice."""
import os
import subprocess
import sys

from circuits import blas

PROBE = ("import sys, os, kashtan; "
         "print(os.environ.get('OPENBLAS_CORETYPE'), 'numpy' in sys.modules)")


def fresh(env_extra=None):
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_CORETYPE"}
    env.update(env_extra or {})
    out = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, env=env, check=True)
    return out.stdout.split()


def test_pinned_before_numpy_loads():
    value, numpy_loaded = fresh()
    assert value == ("Haswell" if blas._has_avx2() else "None")
    # kashtan's import pins the kernels and loads nothing that brings OpenBLAS with it
    assert numpy_loaded == "False"


def test_a_users_choice_stands():
    assert fresh({"OPENBLAS_CORETYPE": "Zen"})[0] == "Zen"
