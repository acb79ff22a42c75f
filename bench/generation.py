"""One generation of the Kashtan & Alon logic-circuit GA: kashtan versus plain DEAP.

The baseline is what a user would write from DEAP's tutorials: list individuals
made by ``creator``, a Python evaluation function called once per individual
(bit-parallel over the 16 rows with Python ints, the same feedback rule),
``tools.selBest`` for the elite, ``toolbox.clone`` and a one-gene mutation,
fitness re-evaluated only for invalidated individuals, and Q of the best circuit
from networkx (greedy modularity). Both run population 1000, elite 300, Pm 0.7,
on one core, after a warm-up that takes the populations out of the random start.

Run: ``python bench/generation.py`` (about a minute). Prints ms per generation
and the ratio.
"""
from __future__ import annotations

import os

for var in ("NUMBA_NUM_THREADS", "OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[var] = "1"

import random  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import networkx as nx  # noqa: E402
import numpy as np  # noqa: E402
from deap import base, creator, tools  # noqa: E402

from timing import seconds_per_generation  # noqa: E402
from circuits.nand import NandSpec  # noqa: E402
from evo.loop import Evolution  # noqa: E402
from evo.problem import NandProblem  # noqa: E402
from evo.toolbox import make_toolbox  # noqa: E402
from tasks.goals import logic4  # noqa: E402
from tasks.schedules import Cycle, Fixed  # noqa: E402

S, L, PM, N_IN, N_GATES = 1000, 300, 0.7, 4, 12
MASK = (1 << 16) - 1
INPUTS = [sum(1 << r for r in range(16) if (r >> i) & 1) for i in range(N_IN)]


# ---- the DEAP baseline -----------------------------------------------------

def effective(ind):
    seen, stack = set(), [ind[2 * N_GATES] - N_IN]
    while stack:
        g = stack.pop()
        if g in seen:
            continue
        seen.add(g)
        stack.extend(s - N_IN for s in ind[2 * g: 2 * g + 2] if s >= N_IN)
    return seen


def evaluate(ind, target):
    eff = effective(ind)
    val = INPUTS + [0] * N_GATES
    changed = 1
    for _ in range(N_GATES):
        new = [~(val[ind[2 * k]] & val[ind[2 * k + 1]]) & MASK for k in range(N_GATES)]
        changed = any(new[k] != val[N_IN + k] for k in eff)
        val = INPUTS + new
        if not changed:
            break
    unsettled = 0
    if changed:
        new = [~(val[ind[2 * k]] & val[ind[2 * k + 1]]) & MASK for k in range(N_GATES)]
        for k in eff:
            unsettled |= new[k] ^ val[N_IN + k]
    correct = bin(~(val[ind[2 * N_GATES]] ^ target) & MASK & ~unsettled).count("1")
    return (correct / 16 - 0.2 * max(0, len(eff) - 11),)


def mutate(ind):
    k = random.randrange(len(ind))
    ind[k] = random.randrange(N_IN, N_IN + N_GATES) if k >= 2 * N_GATES else random.randrange(N_IN + N_GATES)
    return (ind,)


def q_of_best(ind):
    g = nx.Graph()
    g.add_nodes_from(range(N_IN))
    for k in effective(ind):
        for s in ind[2 * k: 2 * k + 2]:
            if s != N_IN + k:
                g.add_edge(s, N_IN + k)
    comms = nx.community.greedy_modularity_communities(g)
    return nx.community.modularity(g, comms)


def deap_setup(seed):
    random.seed(seed)
    if not hasattr(creator, "FitnessMax"):
        creator.create("FitnessMax", base.Fitness, weights=(1.0,))
        creator.create("Individual", list, fitness=creator.FitnessMax)
    tb = base.Toolbox()
    tb.register("gene", random.randrange, N_IN + N_GATES)
    tb.register("individual", lambda: creator.Individual(
        [random.randrange(N_IN + N_GATES) for _ in range(2 * N_GATES)] + [random.randrange(N_IN, N_IN + N_GATES)]))
    tb.register("population", tools.initRepeat, list, tb.individual)
    tb.register("mutate", mutate)
    tb.register("select", tools.selBest)
    return tb


def deap_generation(tb, pop, target):
    invalid = [ind for ind in pop if not ind.fitness.valid]
    for ind in invalid:
        ind.fitness.values = evaluate(ind, target)
    random.shuffle(pop)                      # random tie-breaking, as kashtan does
    ranked = sorted(pop, key=lambda ind: ind.fitness.values[0], reverse=True)
    elite = ranked[:L]
    rest = [tb.clone(ind) for ind in ranked[L:S - L]] + [tb.clone(ind) for ind in elite]
    for ind in rest:
        if random.random() < PM:
            tb.mutate(ind)
            del ind.fitness.values
    q_of_best(ranked[0])
    return elite + rest


def time_deap(schedule, warm, timed, seed=1):
    tb = deap_setup(seed)
    pop = tb.population(n=S)
    targets = {}
    for g in range(warm + timed):
        goal = schedule.goal_at(g)
        target = targets.setdefault(goal.name, int(goal.words()[0, 0]))
        if g > 0 and schedule.goal_at(g - 1) is not goal:
            for ind in pop:
                del ind.fitness.values
        if g == warm:
            t0 = time.perf_counter()
        pop = deap_generation(tb, pop, target)
    return (time.perf_counter() - t0) / timed


# ---- kashtan ---------------------------------------------------------------

def time_kashtan(schedule, warm, timed, qm_every=0, seed=1):
    prob = NandProblem(NandSpec(N_IN, N_GATES))
    tb = make_toolbox(prob, "elite", {"elite": L}, "rewire", {"rate": PM})
    evo = Evolution(prob, schedule, tb, S, seed=seed, qm_every=qm_every)
    return seconds_per_generation(evo, warm, timed)


def main():
    fixed = Fixed(logic4("G1"))
    mvg = Cycle([logic4("G1"), logic4("G2")], 20)
    time_kashtan(fixed, 5, 5)        # compile / load the Numba cache outside the timings
    print(f"population {S}, elite {L}, Pm {PM}, {N_GATES} gates, one core\n")
    print(f"{'schedule':<10}{'DEAP baseline':>16}{'kashtan':>12}{'ratio':>9}{'kashtan + Qm':>16}")
    for name, sched in (("fixed G1", fixed), ("MVG E=20", mvg)):
        base_s = time_deap(sched, warm=100, timed=40)
        k = min(time_kashtan(sched, warm=1000, timed=2000) for _ in range(3))
        kq = time_kashtan(sched, warm=1000, timed=2000, qm_every=1)
        print(f"{name:<10}{base_s * 1e3:>13.2f} ms{k * 1e3:>9.3f} ms{base_s / k:>8.0f}x{kq * 1e3:>13.3f} ms")
    print("\nkashtan: evaluate + select + vary + Q of the best; '+ Qm' adds Qm of the best every generation"
          "\n(Qrand from 1000 randomised networks and Qmax, cached per degree sequence).")


if __name__ == "__main__":
    main()
