"""Boolean expressions of named inputs.

Grammar (lowest to highest precedence)::

    expr   := xor (('|' | 'OR' | 'NOR') xor)*
    xor    := and (('^' | 'XOR' | 'XNOR') and)*
    and    := unary (('&' | 'AND' | 'NAND') unary)*
    unary  := ('~' | '!' | 'NOT') unary | NAME | '0' | '1' | '(' expr ')'

Keywords are case-insensitive. ``NAND``, ``NOR`` and ``XNOR`` are the negated
binary operators. Expressions are evaluated on Python integers used as
bit-vectors, so one call computes every row of a truth table at once.

>>> table(parse("X XOR y"), ["X", "y"])
[False, True, True, False]
"""
from __future__ import annotations

import re
from dataclasses import dataclass

_TOKEN = re.compile(r"\s*(?:([A-Za-z_][A-Za-z0-9_]*)|([01])|(.))")
_KEYWORDS = {"AND": "&", "OR": "|", "XOR": "^", "NOT": "~", "NAND": "nand",
             "NOR": "nor", "XNOR": "xnor"}
_SYMBOLS = {"&": "&", "|": "|", "^": "^", "~": "~", "!": "~", "(": "(", ")": ")"}


class ExpressionError(ValueError):
    """A goal expression that cannot be parsed or names an unknown input."""


@dataclass(frozen=True)
class Node:
    op: str                     # 'var', 'const', '~', '&', '|', '^', 'nand', 'nor', 'xnor'
    args: tuple = ()
    name: str = ""
    value: int = 0


def _tokens(text: str) -> list[tuple[str, str]]:
    out = []
    pos = 0
    text = text.rstrip()
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None:
            break
        name, const, sym = m.groups()
        if name is not None:
            up = name.upper()
            out.append(("op", _KEYWORDS[up]) if up in _KEYWORDS else ("name", name))
        elif const is not None:
            out.append(("const", const))
        elif sym in _SYMBOLS:
            out.append(("op", _SYMBOLS[sym]))
        else:
            raise ExpressionError(f"unexpected character {sym!r} in expression {text!r}")
        pos = m.end()
    return out


def parse(text: str) -> Node:
    """Parse a Boolean expression into a tree of :class:`Node`."""
    toks = _tokens(text)
    pos = 0

    def peek():
        return toks[pos] if pos < len(toks) else (None, None)

    def binary(sub, ops):
        nonlocal pos
        left = sub()
        while peek()[0] == "op" and peek()[1] in ops:
            op = peek()[1]
            pos += 1
            left = Node(op, (left, sub()))
        return left

    def unary():
        nonlocal pos
        kind, val = peek()
        if kind is None:
            raise ExpressionError(f"expression {text!r} ends too early")
        pos += 1
        if kind == "name":
            return Node("var", name=val)
        if kind == "const":
            return Node("const", value=int(val))
        if val == "~":
            return Node("~", (unary(),))
        if val == "(":
            inner = expr()
            if peek() != ("op", ")"):
                raise ExpressionError(f"missing ')' in expression {text!r}")
            pos += 1
            return inner
        raise ExpressionError(f"unexpected {val!r} in expression {text!r}")

    def conj():
        return binary(unary, ("&", "nand"))

    def xor():
        return binary(conj, ("^", "xnor"))

    def expr():
        return binary(xor, ("|", "nor"))

    tree = expr()
    if pos != len(toks):
        raise ExpressionError(f"unexpected {toks[pos][1]!r} in expression {text!r}")
    return tree


def evaluate(node: Node, env: dict[str, int], mask: int) -> int:
    """Evaluate on bit-vectors: ``env`` maps names to ints, ``mask`` has one bit per row."""
    op = node.op
    if op == "var":
        try:
            return env[node.name]
        except KeyError:
            raise ExpressionError(f"unknown input {node.name!r}; known: {', '.join(env)}") from None
    if op == "const":
        return mask if node.value else 0
    vals = [evaluate(a, env, mask) for a in node.args]
    if op == "~":
        return ~vals[0] & mask
    a, b = vals
    result = {"&": a & b, "|": a | b, "^": a ^ b,
              "nand": ~(a & b), "nor": ~(a | b), "xnor": ~(a ^ b)}[op]
    return result & mask


def input_vectors(n_inputs: int) -> list[int]:
    """Bit-vector of each input over all 2**n rows: input i is bit i of the row index."""
    rows = 1 << n_inputs
    return [sum(1 << r for r in range(rows) if (r >> i) & 1) for i in range(n_inputs)]


def table(node: Node, inputs: list[str]) -> list[bool]:
    """Truth table of ``node`` over ``inputs``, row r giving input i the value of bit i of r."""
    rows = 1 << len(inputs)
    vec = evaluate(node, dict(zip(inputs, input_vectors(len(inputs)))), (1 << rows) - 1)
    return [bool((vec >> r) & 1) for r in range(rows)]
