"""The leading eigenpair of a small symmetric matrix, for spectral bisection.

Recursive bisection (``circuits.modularity``) needs only the largest eigenvalue and its
eigenvector of each module's modularity matrix, and most of those matrices have 2 to 10 rows.
``np.linalg.eigh`` computes every pair and, from Numba, copies and allocates around LAPACK's
call; at those sizes that overhead and the unused pairs were most of a Qm reference's time
(bench/eigen_speed.py). This computes one pair:

1. Householder reduction to a tridiagonal matrix T (lower triangle only);
2. the largest eigenvalue of T by Sturm-count bisection to 4e-16 of the Gershgorin range, three
   independent counts per pass (quadrisection) so their divisions overlap;
3. its eigenvector by two steps of inverse iteration on T (LU with partial pivoting, as LAPACK's
   dgttrf), transformed back by the Householder reflections.

It agrees with ``eigh`` to about 1e-14 wherever the eigenvector is well defined (tests); where it
is not (a repeated leading eigenvalue, or an entry that is zero in exact arithmetic), the sign of
an entry is rounding either way, as it is in LAPACK.

``tiny`` lets the caller skip a matrix whose largest eigenvalue cannot be useful: when no
eigenvalue exceeds it (one Sturm count), the function returns ``-inf`` without a vector.

>>> import numpy as np
>>> a = np.array([[2.0, 1.0], [1.0, 2.0]])
>>> work = workspace(2)
>>> lam = leading(a, -np.inf, work)
>>> round(lam, 12), np.round(np.abs(vector(work, 2)), 6).tolist()
(3.0, [0.707107, 0.707107])
"""
from __future__ import annotations

import numba as nb
import numpy as np


@nb.njit(cache=True)
def workspace(n):
    """Scratch for ``leading`` on matrices of up to n rows: (2n + 10) rows of n."""
    return np.zeros((2 * n + 10, max(n, 1)))


@nb.njit(cache=True)
def vector(work, n):
    """The eigenvector the last ``leading`` call left in ``work``."""
    return work[2 * work.shape[1] + 4, :n]


@nb.njit(cache=True)
def _tridiagonalize(a_in, a, v, d, e, p):
    """Householder: T's diagonal into d, off-diagonal into e, reflection k's unit vector into v[k].
    Works on the lower triangle (the full square, though its loops vectorise, measured slower)."""
    n = a_in.shape[0]
    for i in range(n):
        for j in range(i + 1):
            a[i, j] = a_in[i, j]
    for k in range(n - 2):
        ss = 0.0
        for i in range(k + 1, n):
            ss += a[i, k] * a[i, k]
        x0 = a[k + 1, k]
        d[k] = a[k, k]
        if ss == 0.0:
            e[k] = 0.0
            for i in range(k + 1, n):
                v[k, i] = 0.0
            continue
        alpha = -np.sqrt(ss) if x0 >= 0 else np.sqrt(ss)
        e[k] = alpha
        inv = 1.0 / np.sqrt(ss - x0 * x0 + (x0 - alpha) * (x0 - alpha))
        for i in range(k + 2, n):
            v[k, i] = a[i, k] * inv
        v[k, k + 1] = (x0 - alpha) * inv
        # p = A22 v from the lower triangle, then w = 2 (p - (v.p) v); A22 -= v w' + w v'
        for i in range(k + 1, n):
            p[i] = 0.0
        for i in range(k + 1, n):
            vi = v[k, i]
            s = a[i, i] * vi
            for j in range(k + 1, i):
                s += a[i, j] * v[k, j]
                p[j] += a[i, j] * vi
            p[i] += s
        vp = 0.0
        for i in range(k + 1, n):
            vp += v[k, i] * p[i]
        for i in range(k + 1, n):
            p[i] = 2.0 * (p[i] - vp * v[k, i])
        for i in range(k + 1, n):
            vi = v[k, i]
            pi = p[i]
            for j in range(k + 1, i + 1):
                a[i, j] -= vi * p[j] + pi * v[k, j]
    if n >= 2:
        d[n - 2] = a[n - 2, n - 2]
        e[n - 2] = a[n - 1, n - 2]
    d[n - 1] = a[n - 1, n - 1]


@nb.njit(cache=True)
def _count_below(d, e2, n, x):
    """Eigenvalues of T below x (Sturm: negative pivots of T - x I)."""
    q = d[0] - x
    cnt = 1 if q < 0 else 0
    for i in range(1, n):
        if q == 0.0:
            q = 1e-300
        q = d[i] - x - e2[i - 1] / q
        if q < 0:
            cnt += 1
    return cnt


@nb.njit(cache=True)
def _largest(d, e2, n, lo, hi, scale, below_lo, coarse):
    """Bisect [lo, hi] (holding the largest eigenvalue; ``below_lo`` eigenvalues lie below lo), four
    parts a pass, to 4e-16 * scale, or to ``coarse`` * scale once it is the only eigenvalue above lo.
    Returns lo, hi and the count below lo."""
    while hi - lo > 4e-16 * scale and not (below_lo == n - 1 and hi - lo <= coarse * scale):
        h = 0.25 * (hi - lo)
        x1 = lo + h
        x2 = lo + 2.0 * h
        x3 = hi - h
        if not (lo < x1 < x2 < x3 < hi):
            break
        q1 = d[0] - x1
        q2 = d[0] - x2
        q3 = d[0] - x3
        c1 = 1 if q1 < 0 else 0
        c2 = 1 if q2 < 0 else 0
        c3 = 1 if q3 < 0 else 0
        for i in range(1, n):
            if q1 == 0.0:
                q1 = 1e-300
            if q2 == 0.0:
                q2 = 1e-300
            if q3 == 0.0:
                q3 = 1e-300
            q1 = d[i] - x1 - e2[i - 1] / q1
            q2 = d[i] - x2 - e2[i - 1] / q2
            q3 = d[i] - x3 - e2[i - 1] / q3
            c1 += q1 < 0
            c2 += q2 < 0
            c3 += q3 < 0
        if c3 < n:
            lo, below_lo = x3, c3
        elif c2 < n:
            lo, hi, below_lo = x2, x3, c2
        elif c1 < n:
            lo, hi, below_lo = x1, x2, c1
        else:
            hi = x1
    return lo, hi, below_lo


@nb.njit(cache=True)
def _rayleigh(d, e, n, y):
    r = d[n - 1] * y[n - 1] * y[n - 1]
    for i in range(n - 1):
        r += y[i] * (d[i] * y[i] + 2.0 * e[i] * y[i + 1])
    return r


@nb.njit(cache=True)
def _inverse_iteration(d, e, n, shift, y, diag, du, du2, dl, steps):
    """``steps`` solves of (T - shift I) y_new = y, each normalised; T is scaled to about 1."""
    for _ in range(steps):
        for i in range(n):
            diag[i] = d[i] - shift
            du2[i] = 0.0
        for i in range(n - 1):
            du[i] = e[i]
            dl[i] = e[i]
        for i in range(n - 1):
            if abs(diag[i]) >= abs(dl[i]):
                if diag[i] == 0.0:
                    diag[i] = 1e-30               # then dl[i] = 0 too: f = 0
                f = dl[i] / diag[i]
                diag[i + 1] -= f * du[i]
                y[i + 1] -= f * y[i]
            else:
                f = diag[i] / dl[i]
                diag[i] = dl[i]
                tmp = diag[i + 1]
                diag[i + 1] = du[i] - f * tmp
                du[i] = tmp
                if i < n - 2:
                    du2[i] = du[i + 1]
                    du[i + 1] = -f * du[i + 1]
                t = y[i]
                y[i] = y[i + 1]
                y[i + 1] = t - f * y[i + 1]
        if diag[n - 1] == 0.0:
            diag[n - 1] = 1e-30
        y[n - 1] = y[n - 1] / diag[n - 1]
        if n >= 2:
            y[n - 2] = (y[n - 2] - du[n - 2] * y[n - 1]) / diag[n - 2]
        for i in range(n - 3, -1, -1):
            y[i] = (y[i] - du[i] * y[i + 1] - du2[i] * y[i + 2]) / diag[i]
        norm = 0.0
        for i in range(n):
            norm += y[i] * y[i]
        norm = 1.0 / np.sqrt(norm)
        for i in range(n):
            y[i] *= norm


@nb.njit(cache=True)
def _start(y, n):
    for i in range(n):
        y[i] = 1.0 + 0.1 * ((i * 7919) % 13)      # a fixed, irregular start


@nb.njit(cache=True)
def leading(a_in, tiny, work):
    """Largest eigenvalue of the symmetric matrix ``a_in`` (n rows, n <= the workspace's), its unit
    eigenvector left in ``vector(work, n)``; ``-inf`` and no vector when no eigenvalue exceeds ``tiny``."""
    n = a_in.shape[0]
    m = work.shape[1]
    a = work[:m]
    v = work[m:2 * m]
    d, e, p, e2, y, diag, du, du2, ds, es = work[2 * m], work[2 * m + 1], work[2 * m + 2], work[2 * m + 3], \
        work[2 * m + 4], work[2 * m + 5], work[2 * m + 6], work[2 * m + 7], work[2 * m + 8], work[2 * m + 9]
    _tridiagonalize(a_in, a, v, d, e, p)
    lo, hi = np.inf, -np.inf
    for i in range(n):
        r = (abs(e[i - 1]) if i > 0 else 0.0) + (abs(e[i]) if i < n - 1 else 0.0)
        lo = min(lo, d[i] - r)
        hi = max(hi, d[i] + r)
    scale = max(abs(lo), abs(hi), 1e-300)
    for i in range(n - 1):
        e2[i] = e[i] * e[i]
    below_lo = 0
    if tiny >= lo:
        below_lo = _count_below(d, e2, n, tiny)
        if below_lo == n:
            return -np.inf
        lo = tiny
    lo, hi, below_lo = _largest(d, e2, n, lo, hi, scale, below_lo, 1e-3)
    for i in range(n):
        ds[i] = d[i] / scale                      # T / scale: no overflow in the near-singular solves
        es[i] = e[i] / scale
    lam = -np.inf
    if below_lo == n - 1:
        # Rayleigh-quotient iteration from the isolated top: cubic, so a few solves reach rounding;
        # kept only if it converged above lo (below lo it found another eigenvalue)
        _start(y, n)
        sigma = hi / scale
        for _ in range(6):
            _inverse_iteration(ds, es, n, sigma, y, diag, du, du2, p, 1)
            rho = _rayleigh(ds, es, n, y)
            if abs(rho - sigma) <= 1e-13:
                lam = rho * scale
                break
            sigma = rho
        if lam <= lo:
            lam = -np.inf
    if lam == -np.inf:
        lo, hi, below_lo = _largest(d, e2, n, lo, hi, scale, below_lo, 0.0)
        _start(y, n)
        _inverse_iteration(ds, es, n, hi / scale + 1e-14, y, diag, du, du2, p, 2)
        lam = hi
    for k in range(n - 3, -1, -1):
        s = 0.0
        for i in range(k + 1, n):
            s += v[k, i] * y[i]
        s *= 2.0
        for i in range(k + 1, n):
            y[i] -= s * v[k, i]
    return lam
