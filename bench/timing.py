"""Shared by the benchmarks: seconds per generation of an evolution, after a warm-up."""
import time


def seconds_per_generation(evo, warm: int, timed: int) -> float:
    for _ in range(warm):
        evo.step()
    t0 = time.perf_counter()
    for _ in range(timed):
        evo.step()
    return (time.perf_counter() - t0) / timed
