"""Labels for the joint values of columns of small integers (node values in -1..1, one column per
input pattern), the Numba kernels behind ``circuits.information.exchange``: dense labels in the
order of each column's base-3 code, and the (block, label) pairs that occur. Both replace sorts of
every column (the least-exchange search labels columns thousands of times)."""
from __future__ import annotations

import numba as nb
import numpy as np


@nb.njit(cache=True)
def groups(keys):
    """Equal ``keys`` (uint64) share a group: the group of each key (numbered by first appearance),
    the index where each group first appears, and how many groups. One pass with a hash table."""
    n = keys.size
    bits = 1
    while (1 << bits) < 2 * n:
        bits += 1
    mask = np.uint64((1 << bits) - 1)
    table = np.full(1 << bits, -1, np.int64)
    first = np.empty(n, np.int64)
    ids = np.empty(n, np.int64)
    k = 0
    for p in range(n):
        h = (keys[p] * np.uint64(0x9E3779B97F4A7C15)) >> np.uint64(64 - bits)
        while table[h] >= 0 and keys[first[table[h]]] != keys[p]:
            h = (h + np.uint64(1)) & mask
        if table[h] < 0:
            table[h] = k
            first[k] = p
            k += 1
        ids[p] = table[h]
    return ids, first[:k], k


@nb.njit(cache=True)
def rank(codes):
    """Dense ranks of ``codes`` (``np.unique(codes, return_inverse=True)[1]``) and how many distinct:
    distinct codes found by hashing and only they sorted (the least-exchange search sorted columns
    thousands of times)."""
    ids, first, k = groups(codes.view(np.uint64))
    rank = np.empty(k, np.int64)
    rank[np.argsort(codes[first])] = np.arange(k)
    return rank[ids], k


@nb.njit(cache=True)
def column_labels(rows):
    """One label per column naming its joint value (node values lie in -1..1), dense, ordered by
    the base-3 code with row 0 least significant; past 39 rows (3**39 < 2**63) by blocks of 39
    rows, earlier blocks more significant."""
    r, n = rows.shape
    labels = np.zeros(n, np.int64)
    k = 1
    for start in range(0, max(r, 1), 39):
        codes = np.zeros(n, np.int64)
        mult = 1
        for i in range(start, min(start + 39, r)):
            for p in range(n):
                codes[p] += (rows[i, p] + 1) * mult
            mult *= 3
        part, k_part = rank(codes)
        # the first block's labels are its ranks already: combine (a second hash pass) only after it
        labels, k = (part, k_part) if start == 0 else rank(labels * k_part + part)
    return labels, k


@nb.njit(cache=True)
def block_pairs(c, n_col):
    """``np.unique(block * width + c, return_inverse=True)`` where block i is columns i*n_col to
    (i+1)*n_col and ``c`` < width: each block's distinct labels sorted, not every column."""
    n = c.size
    pairs = np.empty(n, np.int64)
    where = np.empty(n, np.int64)
    width = c.max() + 1
    seen = np.full(width, -1, np.int64)      # the block a label was last seen in
    pair = np.empty(width, np.int64)         # its pair number in that block
    found = np.empty(n_col, np.int64)
    m = 0
    for b in range(n // n_col):
        d = 0
        for j in range(b * n_col, (b + 1) * n_col):
            if seen[c[j]] != b:
                seen[c[j]] = b
                found[d] = c[j]
                d += 1
        labels = np.sort(found[:d])
        for i in range(d):
            pair[labels[i]] = m + i
            pairs[m + i] = b * width + labels[i]
        for j in range(b * n_col, (b + 1) * n_col):
            where[j] = pair[c[j]]
        m += d
    return pairs[:m], where
