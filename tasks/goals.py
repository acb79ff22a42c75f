"""Goals: named inputs, and the target truth table of each output.

A goal is a table, one row per input combination; row ``r`` gives input ``i``
the value of bit ``i`` of ``r``. Goals know nothing about what will solve them.

>>> g = logic_goal("G1", ["X", "Y", "Z", "W"], ["(X ^ Y) & (W ^ Z)"])
>>> g.n_rows, int(g.table[:, 0].sum())
(16, 4)
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from tasks import expr


@dataclass(frozen=True, eq=False)
class Goal:
    name: str
    inputs: tuple[str, ...]
    table: np.ndarray = field(repr=False)          # bool, (n_rows, n_outputs)
    outputs: tuple[str, ...] = ()                 # how each output was defined, for people
    rows: np.ndarray | None = field(default=None, repr=False)   # the rows asked; None = all
    # noise (tasks.schedules.Noisy): per row asked, the input pattern actually shown, and which
    # of its target bits are flipped; None = none
    seen: np.ndarray | None = field(default=None, repr=False)
    flips: np.ndarray | None = field(default=None, repr=False)

    def sample(self, rows) -> "Goal":
        """The same goal asked on ``rows`` only (a sample of the input patterns)."""
        return Goal(self.name, self.inputs, self.table, self.outputs, np.asarray(rows))

    def noisy(self, seen, flips) -> "Goal":
        """The same goal (on the same rows) with ``seen[i]`` shown in place of the i-th row asked
        and the target bits in ``flips`` (rows asked x outputs) inverted."""
        return Goal(self.name, self.inputs, self.table, self.outputs, self.rows, np.asarray(seen), np.asarray(flips))

    def asks_as(self, other: "Goal") -> bool:
        """The same task as ``other``: the same truth table on the same inputs, whatever the name,
        the rows sampled or the noise (an RMVG epoch drawing AND(L,R) asks what L-AND-R asks)."""
        return (self.name == other.name or
                (self.inputs == other.inputs and self.table.shape == other.table.shape
                 and bool(np.array_equal(self.table, other.table))))

    @property
    def n_inputs(self) -> int:
        return len(self.inputs)

    @property
    def n_rows(self) -> int:
        return self.table.shape[0]

    @property
    def n_outputs(self) -> int:
        return self.table.shape[1]

    def words(self) -> np.ndarray:
        """Targets as uint64 bit-vectors, shape (n_outputs, ceil(n_rows / 64)); bit r%64 of word r//64 is row r."""
        n_words = (self.n_rows + 63) // 64
        out = np.zeros((self.n_outputs, n_words), dtype=np.uint64)
        for j in range(self.n_outputs):
            for r in np.flatnonzero(self.table[:, j]):
                out[j, r // 64] |= np.uint64(1) << np.uint64(r % 64)
        return out

    def same_targets(self, other: "Goal") -> bool:
        """Whether both ask the same thing: targets, rows asked, and noise."""
        def same(a, b):
            return (a is None and b is None) or (a is not None and b is not None and np.array_equal(a, b))
        return (self.inputs == other.inputs and np.array_equal(self.table, other.table) and same(self.rows, other.rows)
                and same(self.seen, other.seen) and same(self.flips, other.flips))


def logic_goal(name: str, inputs, outputs, defs: dict[str, str] | None = None,
               values: dict[str, np.ndarray] | None = None) -> Goal:
    """A goal whose outputs are Boolean expressions of ``inputs``.

    ``defs`` names sub-expressions usable in the outputs (``{"A": "X ^ Y"}``); ``values``
    names precomputed columns, one bool per row (the retina's ``L`` and ``R``).
    """
    inputs = tuple(inputs)
    if len(set(inputs)) != len(inputs):
        raise expr.ExpressionError(f"goal {name!r}: input names repeat: {list(inputs)}")
    for text in [*outputs, *(defs or {}).values()]:
        if not isinstance(text, str):
            raise expr.ExpressionError(f"goal {name!r}: {text!r} is not an expression")
        if len(text) > MAX_EXPRESSION:
            raise expr.ExpressionError(f"goal {name!r}: an expression of {len(text):,} characters "
                                       f"(at most {MAX_EXPRESSION:,})")
    try:
        return _logic_goal(name, inputs, outputs, defs, values)
    except RecursionError:
        raise expr.ExpressionError(f"goal {name!r}: expression nested too deeply") from None


MAX_EXPRESSION = 10_000


def _logic_goal(name, inputs, outputs, defs, values) -> Goal:
    rows = 1 << len(inputs)
    mask = (1 << rows) - 1
    env = dict(zip(inputs, expr.input_vectors(len(inputs))))
    for key, column in (values or {}).items():
        env[key] = sum(1 << int(r) for r in np.flatnonzero(column))
    for key, text in (defs or {}).items():
        env[key] = expr.evaluate(expr.parse(text), env, mask)
    cols = []
    for text in outputs:
        vec = expr.evaluate(expr.parse(text), env, mask)
        cols.append([(vec >> r) & 1 for r in range(rows)])
    table = np.array(cols, dtype=bool).T.reshape(rows, len(cols))
    return Goal(name, inputs, table, tuple(outputs))


def table_goal(name: str, inputs, table: np.ndarray) -> Goal:
    table = np.asarray(table, dtype=bool)
    if table.ndim == 1:
        table = table[:, None]
    if table.shape[0] != 1 << len(inputs):
        raise ValueError(f"goal {name!r}: a table over {len(inputs)} inputs needs {1 << len(inputs)} rows")
    return Goal(name, tuple(inputs), table, ())


# The 16 two-input Boolean functions as 4-bit tables: bit (2a + b) is f(a, b).
# "Non-trivial" ones depend on both arguments: constants and the four that
# copy or negate a single argument are excluded, leaving 10.
TWO_INPUT = {
    "AND": 0b1000, "OR": 0b1110, "XOR": 0b0110, "NAND": 0b0111, "NOR": 0b0001,
    "XNOR": 0b1001, "A_AND_NOT_B": 0b0100, "NOT_A_AND_B": 0b0010,
    "A_OR_NOT_B": 0b1101, "NOT_A_OR_B": 0b1011,
}


def apply_two_input(code: int, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Apply the two-input function with 4-bit table ``code`` to bool arrays."""
    idx = 2 * a.astype(np.int64) + b.astype(np.int64)
    return ((code >> idx) & 1).astype(bool)


# Kashtan & Alon 2005 goal families.
LOGIC4_INPUTS = ("X", "Y", "Z", "W")
LOGIC4_GOALS = {
    "G1": "(X ^ Y) & (W ^ Z)",
    "G2": "(X ^ Y) | (W ^ Z)",
}
LOGIC6_INPUTS = ("X", "Y", "Z", "W", "Q", "R")
LOGIC6_DEFS = {"A": "X ^ Y", "B": "Z ^ W", "C": "Q ^ R"}
LOGIC6_GOALS = {
    "G1": ["A | B", "A & C", "B & C"],
    "G2": ["A & B", "A | C", "B & C"],
    "G3": ["A & B", "A & C", "B | C"],
    "G4": ["A & B", "A & C", "B & C"],
}
LOGIC6_ORDER = ("G1", "G4", "G2", "G4", "G3", "G4")


def logic4(name: str) -> Goal:
    return logic_goal(name, LOGIC4_INPUTS, [LOGIC4_GOALS[name]])


def logic6(name: str) -> Goal:
    return logic_goal(name, LOGIC6_INPUTS, LOGIC6_GOALS[name], LOGIC6_DEFS)
