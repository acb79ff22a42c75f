import numpy as np
import pytest

from tasks import expr
from tasks.goals import LOGIC6_ORDER, TWO_INPUT, apply_two_input, logic4, logic6, logic_goal
from tasks.schedules import Cycle, Fixed, RandomModular, RandomTables, inputs_read


def rows(goal):
    """Rows (as input dicts) where output 0 is true."""
    out = []
    for r in range(goal.n_rows):
        if goal.table[r, 0]:
            out.append({n: (r >> i) & 1 for i, n in enumerate(goal.inputs)})
    return out


def test_g1_g2_by_hand():
    g1, g2 = logic4("G1"), logic4("G2")
    for r in range(16):
        x, y, z, w = (r >> 0) & 1, (r >> 1) & 1, (r >> 2) & 1, (r >> 3) & 1
        assert g1.table[r, 0] == bool((x ^ y) and (w ^ z))
        assert g2.table[r, 0] == bool((x ^ y) or (w ^ z))
    assert g1.table.sum() == 4 and g2.table.sum() == 12


def test_words_pack_rows_into_bits():
    g = logic4("G1")
    word = int(g.words()[0, 0])
    assert [bool((word >> r) & 1) for r in range(16)] == list(g.table[:, 0])


def test_six_input_family_by_hand():
    for name, (f1, f2, f3) in {"G1": ("|", "&", "&"), "G2": ("&", "|", "&"),
                               "G3": ("&", "&", "|"), "G4": ("&", "&", "&")}.items():
        g = logic6(name)
        assert g.n_rows == 64 and g.n_outputs == 3
        op = {"|": lambda a, b: a | b, "&": lambda a, b: a & b}
        for r in range(64):
            x, y, z, w, q, rr = ((r >> i) & 1 for i in range(6))
            a, b, c = x ^ y, z ^ w, q ^ rr
            assert list(g.table[r]) == [bool(op[f1](a, b)), bool(op[f2](a, c)), bool(op[f3](b, c))]
    assert LOGIC6_ORDER == ("G1", "G4", "G2", "G4", "G3", "G4")


@pytest.mark.parametrize("text, fn", [
    ("a AND NOT b", lambda a, b: a and not b),
    ("a nand b", lambda a, b: not (a and b)),
    ("a NOR b", lambda a, b: not (a or b)),
    ("a xnor b", lambda a, b: a == b),
    ("!(a | b) ^ 1", lambda a, b: (a or b)),
    ("a & b | a ^ b", lambda a, b: (a and b) or (a != b)),   # & binds tighter than ^ and |
])
def test_expression_operators(text, fn):
    table = expr.table(expr.parse(text), ["a", "b"])
    assert table == [bool(fn(bool(r & 1), bool(r & 2))) for r in range(4)]


@pytest.mark.parametrize("text, message", [
    ("X &", "ends too early"), ("(X | Y", r"missing '\)'"), ("X $ Y", "unexpected character"),
    ("X Y", "unexpected"), ("Q & X", "unknown input 'Q'"),
])
def test_expression_errors(text, message):
    with pytest.raises(expr.ExpressionError, match=message):
        logic_goal("g", ["X", "Y"], [text])


def test_two_input_functions_are_exactly_those_depending_on_both_arguments():
    def f(code, a, b):
        return (code >> (2 * a + b)) & 1

    both = {code for code in range(16)
            if any(f(code, 0, b) != f(code, 1, b) for b in (0, 1))
            and any(f(code, a, 0) != f(code, a, 1) for a in (0, 1))}
    assert both == set(TWO_INPUT.values())
    a = np.array([0, 0, 1, 1], bool)
    b = np.array([0, 1, 0, 1], bool)
    assert apply_two_input(TWO_INPUT["AND"], a, b).tolist() == [False, False, False, True]
    assert apply_two_input(TWO_INPUT["A_AND_NOT_B"], a, b).tolist() == [False, False, True, False]
    assert apply_two_input(TWO_INPUT["NOT_A_OR_B"], a, b).tolist() == [True, True, False, True]


def test_fixed_and_cycle_schedules():
    g1, g2 = logic4("G1"), logic4("G2")
    assert Fixed(g1).goal_at(12345) is g1
    s = Cycle([g1, g2], period=20)
    assert [s.goal_at(g).name for g in (0, 19, 20, 39, 40)] == ["G1", "G1", "G2", "G2", "G1"]
    six = Cycle([logic6(n) for n in ("G1", "G2", "G3", "G4")], 20, [0, 3, 1, 3, 2, 3])
    assert [six.goal_at(20 * k).name for k in range(7)] == ["G1", "G4", "G2", "G4", "G3", "G4", "G1"]
    assert six.solve_periods == 6
    with pytest.raises(ValueError, match="order"):
        Cycle([g1, g2], 20, [0, 2])


def test_rmvg_draws_modular_goals_reproducibly():
    s = RandomModular(["X", "Y", "Z", "W"], {"A": "X ^ Y", "B": "Z ^ W"}, [["A", "B"]], period=20, seed=7)
    names = set()
    for epoch in range(60):
        goal = s.goal_at(20 * epoch)
        f = goal.name.split("(")[0]
        assert f in TWO_INPUT
        ref = logic_goal("ref", ["X", "Y", "Z", "W"], ["A"], {"A": "X ^ Y"}).table[:, 0]
        ref_b = logic_goal("ref", ["X", "Y", "Z", "W"], ["B"], {"B": "Z ^ W"}).table[:, 0]
        assert (goal.table[:, 0] == apply_two_input(TWO_INPUT[f], ref, ref_b)).all()
        names.add(f)
        again = RandomModular(["X", "Y", "Z", "W"], {"A": "X ^ Y", "B": "Z ^ W"}, [["A", "B"]], 20, seed=7)
        assert again.goal_at(20 * epoch + 5).same_targets(goal)
    assert len(names) >= 8    # 60 draws from 10 functions


def test_rmvg_template_draws_one_stage_of_a_serial_goal():
    """Second stage drawn: S = if X xor Y then f1(Z, W) else f2(Z, W), checked row by row."""
    s = RandomModular(["X", "Y", "Z", "W"], {"A": "Z", "B": "W"}, [["A", "B"], ["A", "B"]], 20, seed=5,
                      template=["((X ^ Y) & F1) | (~(X ^ Y) & F2)"])
    seen = set()
    for epoch in range(40):
        goal = s.goal_at(20 * epoch)
        f1, f2 = (part.split("(")[0] for part in goal.name.split(";"))
        seen.add((f1, f2))
        assert goal.table.shape == (16, 1)
        for r in range(16):
            x, y, z, w = ((r >> i) & 1 for i in range(4))
            f = TWO_INPUT[f1] if x ^ y else TWO_INPUT[f2]
            assert goal.table[r, 0] == bool((f >> (2 * z + w)) & 1), (goal.name, r)
    assert len(seen) > 30       # 40 draws from 100 pairs
    assert all(f1 != f2 for f1, f2 in seen)     # equal branches would ignore X and Y: drawn again
    with pytest.raises(ValueError, match="also input or module names"):
        RandomModular(["X", "Y", "Z", "W"], {"F1": "Z", "B": "W"}, [["F1", "B"]], 20, seed=5, template=["F1"])


def test_what_a_goal_reads():
    four = ["X", "Y", "Z", "W"]
    assert inputs_read(logic_goal("x", four, ["X ^ Y"]).table) == {0, 1}
    assert inputs_read(logic_goal("w", four, ["W | (Z & ~Z)"]).table) == {3}
    drawn_first = RandomModular(four, {"A": "X", "B": "Y"}, [["A", "B"]], 20, 0, template=["F1"])
    drawn_second = RandomModular(four, {"A": "Z", "B": "W"}, [["A", "B"], ["A", "B"]], 20, 0,
                                 template=["((X ^ Y) & F1) | (~(X ^ Y) & F2)"])
    assert drawn_first.needed == {0, 1} and drawn_second.needed == {0, 1, 2, 3}


def test_random_tables_are_not_constant_and_change():
    s = RandomTables(["X", "Y", "Z", "W"], 1, period=20, seed=3)
    tables = [s.goal_at(20 * k).table[:, 0] for k in range(30)]
    assert all(0 < t.sum() < 16 for t in tables)
    assert len({t.tobytes() for t in tables}) > 25


def test_drawn_schedules_keep_one_goal_object_per_epoch():
    # the NSGA-II loop asks for generation g, then g - 1: at a switch that must not rebuild the
    # new epoch's goal (a new object makes the loop rescore the whole population)
    from tasks.schedules import RandomTables
    s = RandomTables(["X", "Y"], 1, period=5, seed=3)
    for g in range(1, 30):
        now = s.goal_at(g)
        s.goal_at(g - 1)
        assert s.goal_at(g) is now
    assert s.goal_at(7).same_targets(RandomTables(["X", "Y"], 1, period=5, seed=3).goal_at(7))


def test_noisy_schedule_flips_inputs_and_labels_at_the_rates_asked():
    import numpy as np
    from tasks.goals import logic_goal
    from tasks.schedules import Fixed, Noisy
    goal = logic_goal("X", [f"x{i}" for i in range(8)], ["x0"])
    sched = Noisy(Fixed(goal), 0.1, 0.05, seed=3)
    g = sched.goal_at(7)
    rows = np.arange(256)
    flipped_bits = np.unpackbits((g.seen ^ rows).astype(np.uint8)[:, None], axis=1).mean()
    assert abs(flipped_bits - 0.1) < 0.03 and abs(g.flips.mean() - 0.05) < 0.03
    assert sched.goal_at(7) is g and not g.same_targets(sched.goal_at(8))        # fresh every generation
    again = Noisy(Fixed(goal), 0.1, 0.05, seed=3).goal_at(7)
    assert np.array_equal(again.seen, g.seen) and np.array_equal(again.flips, g.flips)   # reproducible
    assert Noisy(Fixed(goal), 0.0, 0.0, seed=3).goal_at(7).same_targets(goal.noisy(rows, np.zeros((256, 1), bool)))


def test_a_noisy_network_run_sees_its_noise():
    import numpy as np
    from kashtan.configuration import build, config
    raw = config.read_file("tests/data/tiny_net.toml")
    cfg = config.resolve(raw, "pa", overrides=["network.label_noise=0.5"])
    evo = build.evolution(cfg, 0)
    goal = evo.schedule.goal_at(0)
    target, inputs = evo.problem.targets(goal)
    clean = goal.table.T
    # half the labels flipped: about half the targets differ from the clean table
    assert 0.4 < (target != clean).mean() < 0.6


def test_serial_goals_compute_what_their_comments_say():
    from kashtan.configuration import build, config
    cfg = config.resolve(config.read_file("replications/serial_logic.toml"), "serial_fixed")
    goals = build.goals(cfg)
    for r in range(16):
        x, y, z, w = (r >> 0) & 1, (r >> 1) & 1, (r >> 2) & 1, (r >> 3) & 1
        assert goals["S1"].table[r, 0] == bool((z & w) if x ^ y else (z | w))
        assert goals["S1a"].table[r, 0] == bool((z & w) if x & y else (z | w))
        assert goals["S1b"].table[r, 0] == bool((z ^ w) if x ^ y else 1 - (z ^ w))


def test_an_rmvg_epoch_asks_what_the_named_goal_asks():
    from tasks.retina import INPUTS, LEFT, RIGHT, retina_goal
    s = RandomModular(INPUTS, {"L": LEFT, "R": RIGHT}, [["L", "R"]], period=20, seed=3)
    named = {"AND": retina_goal("L-AND-R"), "OR": retina_goal("L-OR-R")}
    seen = set()
    for epoch in range(200):
        g = s.goal_at(epoch * 20)
        f = g.name.split("(")[0]
        for k, goal in named.items():
            assert g.asks_as(goal) == (f == k)      # by the table, though the names differ
        seen.add(f)
    assert {"AND", "OR"} <= seen
    sampled = named["AND"].sample([0, 5, 9])
    assert sampled.asks_as(named["AND"]) and not sampled.asks_as(named["OR"])
