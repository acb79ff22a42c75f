import numpy as np
import pytest

from tasks.retina import LEFT_OBJECTS, RIGHT_OBJECTS, retina_goal


def test_object_sets_match_clune_code():
    assert LEFT_OBJECTS == {15, 7, 5, 13, 1, 11, 4, 14}
    assert {n << 4 for n in RIGHT_OBJECTS} == {240, 224, 160, 176, 128, 208, 32, 112}


def test_right_set_mirrors_left():
    # mirroring the retina left-right swaps columns: left pixel (row r, column c) <-> right (r, 1 - c)
    def mirror(n):   # nibble bits 0,1 = row 0 columns 0,1; bits 2,3 = row 1
        return ((n & 1) << 1) | ((n & 2) >> 1) | ((n & 4) << 1) | ((n & 8) >> 1)
    assert {mirror(n) for n in LEFT_OBJECTS} == set(RIGHT_OBJECTS)


def test_goals_by_hand():
    and_, or_ = retina_goal("L-AND-R"), retina_goal("L-OR-R")
    assert and_.n_rows == 256 and and_.words().shape == (1, 4)
    for p in (0x00, 0xF0, 0x0F, 0xFF, 0x51, 0x23):
        left, right = (p & 15) in LEFT_OBJECTS, (p >> 4) in RIGHT_OBJECTS
        assert and_.table[p, 0] == (left and right) and or_.table[p, 0] == (left or right)
    assert and_.table.sum() == 64 and or_.table.sum() == 192
    with pytest.raises(ValueError, match="unknown retina goal"):
        retina_goal("L-XOR-Q")
    assert retina_goal("x", "XOR").table.sum() == 2 * 8 * 8


def test_rmvg_over_left_and_right_objects():
    from tasks import retina
    from tasks.goals import TWO_INPUT, apply_two_input
    from tasks.schedules import RandomModular
    s = RandomModular(retina.INPUTS, {"L": retina.LEFT, "R": retina.RIGHT}, [["L", "R"]], period=20, seed=1)
    for epoch in range(20):
        goal = s.goal_at(20 * epoch)
        f = goal.name.split("(")[0]
        assert (goal.table[:, 0] == apply_two_input(TWO_INPUT[f], retina.LEFT, retina.RIGHT)).all()
    with pytest.raises(ValueError, match="rows"):
        RandomModular(retina.INPUTS, {"L": retina.LEFT[:10], "R": retina.RIGHT}, [["L", "R"]], 20, 1)


def test_resampled_patterns_change_every_generation_and_repeat_with_the_seed():
    from kashtan.configuration import build, config
    raw = config.read_file("replications/kashtan2005_retina.toml")
    cfg = config.resolve(raw, "mvg", overrides=["network.resample=true", "ga.population=40",
                                                "ga.select_args={elite=10}"])
    sched = build.schedule(cfg, seed=3)
    a, b = sched.goal_at(5), sched.goal_at(6)
    assert a.rows.size == b.rows.size == 100 and not np.array_equal(a.rows, b.rows)
    assert np.array_equal(build.schedule(cfg, seed=3).goal_at(5).rows, a.rows)
    assert not np.array_equal(build.schedule(cfg, seed=4).goal_at(5).rows, a.rows)
    assert sched.goal_at(25).name == "L-OR-R" and sched.epoch(25) == 1
    # the population is scored on that generation's sample: best fitness is a multiple of 1/100
    evo = build.evolution(cfg, seed=3)
    rows = [evo.step() for _ in range(5)]
    assert all(abs(r["best"] * 100 - round(r["best"] * 100)) < 1e-9 for r in rows)
    prob = build.problem(cfg)
    assert prob.rows is None                     # no fixed sample when resampling


def test_serial_retina_goals_compute_what_their_comments_say():
    """L2 / R2: a half showing the other half's object type (8 of 16 patterns each, by hand from
    the object lists); S = if L then R else R2, and its first- and second-stage variants."""
    from kashtan.configuration import build, config
    from tasks import retina
    left_objects, right_objects = {15, 7, 5, 13, 1, 11, 4, 14}, {15, 14, 10, 11, 8, 13, 2, 7}
    goals = build.goals(config.resolve(config.read_file("replications/serial_retina.toml"), "serial_fixed"))
    for p in range(256):
        lo, hi = p & 15, p >> 4
        L, R = lo in left_objects, hi in right_objects
        L2, R2 = lo in right_objects, hi in left_objects
        assert (retina.LEFT2[p], retina.RIGHT2[p]) == (L2, R2)
        assert goals["S"].table[p, 0] == (R if L else R2)
        assert goals["Sa"].table[p, 0] == (R if L2 else R2)
        assert goals["Sc"].table[p, 0] == (R2 if L else R)
