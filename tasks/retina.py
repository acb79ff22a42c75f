"""The retina task (Kashtan & Alon 2005; Clune, Mouret & Lipson 2013).

Eight pixels, a 4 x 2 retina split into a left and a right 2 x 2 half. Pattern
``p`` (0..255) sets pixel ``i`` to bit ``i`` of ``p``: pixels 0-3 are the left
half (the low nibble), pixels 4-7 the right half. A half shows an object when
at least 3 of its 4 pixels are on, or when 1-2 pixels are on and all lie in
its outer column (pixels 0 and 2 on the left, 5 and 7 on the right): 8 of the
16 patterns of each half. These are the sets in Clune et al.'s code:

>>> sorted(LEFT_OBJECTS) == sorted([15, 7, 5, 13, 1, 11, 4, 14])
True
>>> sorted(n << 4 for n in RIGHT_OBJECTS) == sorted([240, 224, 160, 176, 128, 208, 32, 112])
True
>>> int(retina_goal("L-AND-R").table.sum()), int(retina_goal("L-OR-R").table.sum())
(64, 192)
"""
from __future__ import annotations

import numpy as np

from tasks.goals import TWO_INPUT, Goal, apply_two_input, table_goal

INPUTS = tuple(f"p{i}" for i in range(8))
LEFT_OUTER = (0, 2)      # pixel indices within the left nibble
RIGHT_OUTER = (1, 3)     # within the right nibble (pixels 5 and 7)


def is_object(nibble: int, outer: tuple[int, int]) -> bool:
    on = [i for i in range(4) if (nibble >> i) & 1]
    return len(on) >= 3 or (1 <= len(on) <= 2 and all(i in outer for i in on))


LEFT_OBJECTS = frozenset(n for n in range(16) if is_object(n, LEFT_OUTER))
RIGHT_OBJECTS = frozenset(n for n in range(16) if is_object(n, RIGHT_OUTER))

PATTERNS = np.arange(256)
LEFT = np.isin(PATTERNS & 15, list(LEFT_OBJECTS))
RIGHT = np.isin(PATTERNS >> 4, list(RIGHT_OBJECTS))
# each half asked about the other half's object set (the serial tasks' second question, issue 11):
# as hard as L and R (8 of 16 patterns of the half), a different function of the same pixels
LEFT2 = np.isin(PATTERNS & 15, list(RIGHT_OBJECTS))
RIGHT2 = np.isin(PATTERNS >> 4, list(LEFT_OBJECTS))
GOALS = {"L-AND-R": "AND", "L-OR-R": "OR"}


def objects(n_inputs: int) -> dict[str, np.ndarray]:
    """Columns usable in goal expressions: for an 8-pixel retina, the left (L) and right (R)
    objects, and L2 / R2 (the left / right half shows an object of the other half's set);
    for other input counts, none."""
    return {"L": LEFT, "R": RIGHT, "L2": LEFT2, "R2": RIGHT2} if n_inputs == len(INPUTS) else {}


def retina_goal(name: str, function: str | None = None) -> Goal:
    """A goal f(left object, right object) over all 256 patterns; ``function`` names one of
    ``tasks.goals.TWO_INPUT`` (default: from ``name``, L-AND-R or L-OR-R)."""
    function = function or GOALS.get(name)
    if function not in TWO_INPUT:
        raise ValueError(f"unknown retina goal {name!r}; known: {', '.join(GOALS)}, "
                         f"or a function from {', '.join(sorted(TWO_INPUT))}")
    return table_goal(name, INPUTS, apply_two_input(TWO_INPUT[function], LEFT, RIGHT))
