import numpy as np
import pytest
from deap import base, creator, tools

from evo import nsga

if not hasattr(creator, "FitnessMO2"):
    creator.create("FitnessMO2", base.Fitness, weights=(1.0, 1.0))
    creator.create("IndMO2", list, fitness=creator.FitnessMO2)
    creator.create("FitnessMO3", base.Fitness, weights=(1.0, 1.0, 1.0))
    creator.create("IndMO3", list, fitness=creator.FitnessMO3)


def deap_fronts(obj):
    cls = creator.IndMO2 if obj.shape[1] == 2 else creator.IndMO3
    inds = []
    for i, row in enumerate(obj):
        ind = cls([i])
        ind.fitness.values = tuple(row)
        inds.append(ind)
    rank = np.empty(len(inds), np.int64)
    for r, front in enumerate(tools.sortNondominated(inds, len(inds))):
        for ind in front:
            rank[ind[0]] = r
    return rank


def random_objectives(rng, n, k, levels=6):
    """Discrete values, so ties happen often."""
    return rng.integers(0, levels, size=(n, k)).astype(float)


@pytest.mark.parametrize("k", [2, 3])
def test_pairwise_matches_deap_when_every_objective_counts(k):
    rng = np.random.default_rng(k)
    for _ in range(30):
        obj = random_objectives(rng, int(rng.integers(2, 60)), k)
        assert np.array_equal(nsga.pairwise_ranks(obj, np.ones(k), rng), deap_fronts(obj))


def test_fast_two_objective_matches_deap_at_p_one():
    rng = np.random.default_rng(5)
    for _ in range(50):
        obj = random_objectives(rng, int(rng.integers(2, 200)), 2, levels=int(rng.integers(2, 30)))
        assert np.array_equal(nsga.two_objective_ranks(obj, 1.0, rng), deap_fronts(obj))


def test_p_zero_ranks_by_performance_alone():
    rng = np.random.default_rng(2)
    obj = random_objectives(rng, 100, 2)
    levels = np.unique(-obj[:, 0], return_inverse=True)[1]
    assert np.array_equal(nsga.two_objective_ranks(obj, 0.0, rng), levels)
    assert np.array_equal(nsga.pairwise_ranks(obj, [1.0, 0.0], rng), levels)


@pytest.mark.parametrize("p", [0.25, 0.6])
def test_fast_path_has_the_pairwise_distribution(p):
    rng = np.random.default_rng(11)
    obj = random_objectives(rng, 12, 2, levels=4)
    reps = 4000
    fast = np.mean([nsga.two_objective_ranks(obj, p, rng) for _ in range(reps)], axis=0)
    slow = np.mean([nsga.pairwise_ranks(obj, [1.0, p], rng) for _ in range(reps)], axis=0)
    assert np.abs(fast - slow).max() < 0.08
    assert not np.allclose(fast, np.round(fast))          # genuinely random for 0 < p < 1


def test_crowding_matches_deap():
    rng = np.random.default_rng(3)
    obj = rng.random((40, 2))
    rank = deap_fronts(obj)
    ours = nsga.crowding(obj, rank)
    inds = []
    for i, row in enumerate(obj):
        ind = creator.IndMO2([i])
        ind.fitness.values = tuple(row)
        inds.append(ind)
    for front in tools.sortNondominated(inds, len(inds)):
        tools.emo.assignCrowdingDist(front)
        for ind in front:
            assert ours[ind[0]] == pytest.approx(ind.fitness.crowding_dist)


def test_survivors_fill_fronts_in_order_and_tournament_prefers_better():
    rng = np.random.default_rng(4)
    rank = np.array([2, 0, 1, 0, 1, 2, 0])
    crowd = np.array([1.0, np.inf, 0.5, 0.2, 2.0, 0.1, 0.3])
    kept = nsga.survivors(rank, crowd, 4, rng)
    assert set(kept[:3]) == {1, 3, 6} and kept[3] == 4
    winners = nsga.tournament(rank, crowd, 5000, rng)
    assert np.mean(rank[winners]) < np.mean(rank)


def test_single_objective_fronts_are_levels():
    rng = np.random.default_rng(6)
    obj = random_objectives(rng, 50, 1)
    assert np.array_equal(nsga.ranks(obj, [1.0], rng), nsga.pairwise_ranks(obj, [1.0], rng))


def test_bad_probabilities():
    rng = np.random.default_rng(0)
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        nsga.ranks(np.zeros((3, 2)), [1.0, 1.5], rng)
    with pytest.raises(ValueError, match="2 dominance probabilities for 3"):
        nsga.ranks(np.zeros((3, 3)), [1.0, 0.5], rng)


def test_non_finite_objectives_are_refused():
    obj = np.array([[1.0, 0.0], [0.5, np.nan], [0.2, -1.0]])
    with pytest.raises(ValueError, match=r"objective\(s\) \[1\]"):
        nsga.ranks(obj, [1.0, 0.25], np.random.default_rng(0))


def _exact_fronts(obj, probs):
    """The distribution of fronts under the documented rule, worked out by enumerating every
    draw: one draw per pair; peel fronts (no dominator left), and when a peel would free nobody
    (a cycle), those left with the fewest dominators left."""
    import itertools
    from collections import Counter
    k, n = len(probs), len(obj)
    pairs = list(itertools.combinations(range(n), 2))
    out = Counter()
    for counted in itertools.product([False, True], repeat=k * len(pairs)):
        w, dom = 1.0, set()
        for p, (i, j) in enumerate(pairs):
            use = counted[k * p: k * p + k]
            for t, c in enumerate(use):
                w *= probs[t] if c else 1 - probs[t]
            ib = any(c and obj[i][t] > obj[j][t] for t, c in enumerate(use))
            jb = any(c and obj[i][t] < obj[j][t] for t, c in enumerate(use))
            if ib and not jb:
                dom.add((i, j))
            if jb and not ib:
                dom.add((j, i))
        if not w:
            continue
        rest, f, r = list(range(n)), 0, [-1] * n
        while rest:
            count = {i: sum((j, i) in dom for j in rest) for i in rest}
            free = [i for i in rest if count[i] == min(count.values())]
            for i in free:
                r[i] = f
            rest, f = [i for i in rest if i not in free], f + 1
        out[tuple(r)] += w
    return out


def test_probabilistic_fronts_match_exhaustive_enumeration_of_the_draws():
    from collections import Counter

    import numpy as np

    from evo import nsga
    for obj, probs in (([[3, 0], [1, 5], [3, 1]], (0.5, 0.5)),          # the cycle case
                       ([[1, 2, 0], [0, 1, 2], [2, 0, 1]], (0.7, 0.7, 0.7)),
                       ([[1, 1], [2, 0], [0, 2]], (1.0, 0.25))):
        exact = _exact_fronts(obj, probs)
        rng = np.random.default_rng(1)
        draws = 20_000
        seen = Counter(tuple(nsga.pairwise_ranks(np.array(obj, float), probs, rng).tolist())
                       for _ in range(draws))
        assert all(min(r) == 0 for r in seen)                 # every individual has a front
        assert set(seen) <= set(exact), (obj, set(seen) - set(exact))
        for ranks, p in exact.items():
            assert abs(seen[ranks] / draws - p) < 4 * (p * (1 - p) / draws) ** 0.5 + 1e-3, (obj, ranks)


def test_probabilistic_selection_still_selects():
    # the symptom: with cycles left unranked, 98-99.9 % of 300 had no front and the
    # survivors' mean performance was the population's
    import numpy as np

    from evo import nsga
    rng = np.random.default_rng(0)
    obj = rng.random((300, 2))
    r = nsga.ranks(obj, (0.9, 0.5), rng)
    keep = nsga.survivors(r, nsga.crowding(obj, r), 150, rng)
    assert r.min() == 0 and obj[keep, 0].mean() > obj[:, 0].mean() + 0.1


def test_survivor_and_front_orders_equal_their_lexsort_definitions():
    """The kernels' orders against numpy's lexsort: survivors (front, then falling crowding, then the
    permutation's order) and the sweep order of the two-objective sort (falling f, falling g, row),
    with ties, infinite crowding and -0.0 beside 0.0."""
    from evo.kernels import by_falling_fitness
    rng = np.random.default_rng(7)
    for t in range(200):
        size = int(rng.integers(1, 400))
        rank = rng.integers(0, int(rng.integers(1, 12)), size)
        crowd = rng.choice([0.0, 0.5, 1.0, np.inf, 0.25], size) if t % 2 else rng.random(size)
        n = int(rng.integers(0, size + 1))
        perm = np.random.default_rng(t).permutation(size)
        want = perm[np.lexsort((-crowd[perm], rank[perm]))][:n]
        assert np.array_equal(nsga.survivors(rank, crowd, n, np.random.default_rng(t)), want)
        f = rng.integers(0, 5, size) / 4
        g = rng.choice([0.0, -0.0, -1.5, -2.0, -0.25], size) if t % 2 else -rng.random(size)
        assert np.array_equal(by_falling_fitness(f, np.argsort(-g, kind="mergesort")), np.lexsort((-g, -f)))
