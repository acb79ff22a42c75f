"""Hand-wired NAND circuits for Kashtan & Alon's goals, worked out by hand: yardsticks for Q and
Qm, starting points for the decay experiment and known answers for the mutational distance.

Nodes: inputs X, Y, Z, W are 0-3, gate k is node 4 + k; a genome is 12 gates' input pairs, then
the output's gate (``circuits.nand``). G1 = (X xor Y) and (W xor Z), G2 = (X xor Y) or (W xor Z).

>>> import numpy as np
>>> from circuits.nand import NandSpec, simulate
>>> out, _ = simulate(np.array(SWITCH_READY_G2, np.int32), NandSpec(4, 12))
>>> [int(out[0]) >> r & 1 for r in range(16)] == [((r ^ r >> 1) & 1) | ((r >> 2 ^ r >> 3) & 1) for r in range(16)]
True
"""
X, Y, Z, W = 0, 1, 2, 3


def gate(k: int) -> int:
    """Node index of gate k in a 4-input circuit."""
    return 4 + k


_XORS = [X, Y, X, gate(0), Y, gate(0), gate(1), gate(2),        # g0-g3: X xor Y (4-NAND XOR)
         Z, W, Z, gate(4), W, gate(4), gate(5), gate(6)]        # g4-g7: Z xor W

# Two XORs feeding an AND (g8 = NAND, g9 = NOT g8); g10, g11 unused: 10 effective gates.
MODULAR_G1 = _XORS + [gate(3), gate(7), gate(8), gate(8), X, X, X, X, gate(9)]
# Two XORs, each inverted by a NAND with itself (g8, g9), then a NAND (g10) = OR: 11 effective gates.
MODULAR_G2 = _XORS + [gate(3), gate(3), gate(7), gate(7), gate(8), gate(9), X, X, gate(10)]
# K&A's two-connection switch: G1 as MODULAR_G1 but with the two inverters G2 needs already
# built and unused (g10 = NOT g3, g11 = NOT g7); rewiring g9's two inputs to g10 and g11 gives G2.
SWITCH_READY_G1 = _XORS + [gate(3), gate(7), gate(8), gate(8), gate(3), gate(3), gate(7), gate(7), gate(9)]
SWITCH_READY_G2 = _XORS + [gate(3), gate(7), gate(10), gate(11), gate(3), gate(3), gate(7), gate(7), gate(9)]
