"""circuits.kernel_cache: Numba's cache directory follows the kernels' sources."""
import os
import subprocess
import sys
import time

from circuits import kernel_cache

PROBE = "import circuits, numba; print(numba.config.CACHE_DIR)"


def tree(root, eigen="x = 1\n"):
    for pkg, name, text in [("circuits", "eigen.py", eigen), ("circuits", "qm.py", "y = 2\n"), ("evo", "loop.py", "")]:
        (root / pkg).mkdir(exist_ok=True)
        (root / pkg / name).write_text(text)
    return root


def test_an_edit_in_any_kernel_file_names_another_cache(tmp_path):
    a = kernel_cache.sources_hash(tree(tmp_path))
    assert kernel_cache.sources_hash(tmp_path) == a
    (tmp_path / "circuits" / "eigen.py").write_text("x = 2\n")     # qm.py unchanged: the stale case
    b = kernel_cache.sources_hash(tmp_path)
    (tmp_path / "evo" / "loop.py").write_text("z = 3\n")
    assert len({a, b, kernel_cache.sources_hash(tmp_path)}) == 3


def test_only_the_newest_directories_are_kept(tmp_path):
    tree(tmp_path)
    made = []
    for i in range(kernel_cache.KEEP + 2):
        (tmp_path / "circuits" / "eigen.py").write_text(f"x = {i}\n")
        made.append(str(kernel_cache.keyed_directory(tmp_path)))
        time.sleep(0.01)
    left = sorted(str(d) for d in (tmp_path / ".numba_cache").iterdir())
    assert left == sorted(made[-kernel_cache.KEEP:])


def test_numba_uses_it_and_a_users_choice_stands(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "NUMBA_CACHE_DIR"}
    out = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, env=env, check=True)
    assert out.stdout.strip() == str(kernel_cache.ROOT / ".numba_cache" / kernel_cache.sources_hash())
    env["NUMBA_CACHE_DIR"] = str(tmp_path)
    out = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, env=env, check=True)
    assert out.stdout.strip() == str(tmp_path)
