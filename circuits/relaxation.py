"""A network's continuous relaxation and the singular values of its output Jacobian.

The integer networks (``circuits.network``) compute sign(sum) (clune) or step(sum) (kashtan).
Relaxed, a neuron computes ``tanh(beta * s)`` (clune) or ``sigmoid(beta * s)`` (kashtan), ``s``
its weighted input sum plus bias; as ``beta`` grows this approaches the integer network.
``jacobian`` gives d(output)/d(parameter) for every input pattern (rows) and every possible
weight and bias (columns, genome order). At a solution, directions in the near-null space
of this matrix change no output to first order: their number measures how broad the optimum
is (``spectrum``).
"""
from __future__ import annotations

import numpy as np

from circuits.network import NetSpec, input_patterns


def _activation(model: str, beta: float, s: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Value and derivative (with respect to ``s``)."""
    if model == "clune":
        a = np.tanh(beta * s)
        return a, beta * (1.0 - a * a)
    a = 0.5 * (1.0 + np.tanh(0.5 * beta * s))
    return a, beta * a * (1.0 - a)


def _layers(genome: np.ndarray, spec: NetSpec) -> tuple[list[np.ndarray], list[np.ndarray], list]:
    """Per layer transition: weight matrix (dst x src), bias vector, and the genome indices of both."""
    src, dst = spec.connections()
    starts = np.concatenate([[0], np.cumsum(spec.layers)])
    ws, bs, index = [], [], []
    g = np.asarray(genome, dtype=float)
    for lay in range(len(spec.layers) - 1):
        n_src, n_dst = spec.layers[lay], spec.layers[lay + 1]
        w_idx = np.full((n_dst, n_src), -1)
        for k in np.flatnonzero((dst >= starts[lay + 1]) & (dst < starts[lay + 2])):
            w_idx[dst[k] - starts[lay + 1], src[k] - starts[lay]] = k
        b_idx = spec.n_connections + np.arange(starts[lay + 1], starts[lay + 2]) - spec.n_inputs
        ws.append(g[w_idx])
        bs.append(g[b_idx])
        index.append((w_idx, b_idx))
    return ws, bs, index


def relaxed_outputs(genome: np.ndarray, spec: NetSpec, beta: float = 20.0, inputs=None) -> np.ndarray:
    """Relaxed outputs, shape (n_outputs, n_patterns); inputs default to every pattern."""
    a = (input_patterns(spec) if inputs is None else inputs).astype(float)
    ws, bs, _ = _layers(genome, spec)
    for w, b in zip(ws, bs):
        a = _activation(spec.model, beta, w @ a + b[:, None])[0]
    return a


def jacobian(genome: np.ndarray, spec: NetSpec, beta: float = 20.0, inputs=None) -> np.ndarray:
    """d(output j on pattern p) / d(gene k) for every possible connection and bias, shape
    (n_outputs * n_patterns, genome length); rows ordered output by output."""
    a = (input_patterns(spec) if inputs is None else inputs).astype(float)
    ws, bs, index = _layers(genome, spec)
    acts, slopes = [a], []
    for w, b in zip(ws, bs):
        a, d = _activation(spec.model, beta, w @ a + b[:, None])
        acts.append(a)
        slopes.append(d)
    n_pat, n_out = a.shape[1], spec.n_outputs
    jac = np.zeros((n_out, n_pat, spec.length))
    for j in range(n_out):
        # back-propagate d(output j)/d(sum) layer by layer, for every pattern at once
        delta = np.zeros_like(acts[-1])
        delta[j] = slopes[-1][j]
        for lay in range(len(ws) - 1, -1, -1):
            w_idx, b_idx = index[lay]
            grads_w = delta[:, None, :] * acts[lay][None, :, :]           # (dst, src, pattern)
            jac[j][:, w_idx.ravel()] = grads_w.reshape(-1, n_pat).T
            jac[j][:, b_idx] = delta.T
            if lay:
                delta = (ws[lay].T @ delta) * slopes[lay - 1]
    return jac.reshape(n_out * n_pat, spec.length)


def spectrum(genome: np.ndarray, spec: NetSpec, beta: float = 20.0, tol: float = 1e-6) -> dict:
    """Singular values of the Jacobian (descending), its numerical rank at ``tol`` (relative to
    the largest), and the number of near-null directions: parameters minus rank."""
    s = np.linalg.svd(jacobian(genome, spec, beta), compute_uv=False)
    rank = int((s > tol * s[0]).sum()) if s.size and s[0] > 0 else 0
    return {"singular_values": s, "rank": rank, "null_directions": spec.length - rank, "beta": beta}
