"""Modularity and information propagation of random networks at initialisation (issue 10, item 4;
experiments.md item 5: "scarce channels or scarce modules?").

For several initialisers of the 8-8-4-2-1 retina network this samples random networks and
measures, per network: Q of the simplified network (Leicht-Newman directed, as Clune et al.)
and its module count; and, for each input and each later layer, the information the input sends
to that layer (``circuits.information.exchange``; inputs are independent and uniform, so
clamping one to its marginal equals observing it: the value is the mutual information of the
input with the layer's joint state). "Scarce channels": information dies out with depth, few
inputs reach the output. "Scarce modules": everything reaches everything.

    python -m kashtan.analysis.initialisation [--networks 200]       # prints the table
"""
from __future__ import annotations

import argparse

import numpy as np

from circuits import information, network
from circuits.modularity import best_partition
from circuits.network import NetSpec
from circuits.network_init import WEIGHTS, kashtan_networks, random_networks


def density_networks(spec: NetSpec, size: int, rng, p: float, weights=WEIGHTS, bias_range=(-2, 2)) -> np.ndarray:
    """Each possible connection present with probability ``p``, weight uniform from ``weights``."""
    pop = np.zeros((size, spec.length), np.int8)
    present = rng.random((size, spec.n_connections)) < p
    pop[:, : spec.n_connections] = np.where(present, rng.choice(np.asarray(weights, np.int8), present.shape), 0)
    pop[:, spec.n_connections:] = rng.integers(bias_range[0], bias_range[1] + 1, (size, spec.n_neurons))
    return pop


def gaussian_networks(spec: NetSpec, size: int, rng, sigma: float, p: float = 0.5) -> np.ndarray:
    """Connections present with probability ``p``; weights round(N(0, sigma)) (zeros re-drawn as
    +-1), clipped to +-8; biases round(N(0, sigma))."""
    pop = np.zeros((size, spec.length), np.int8)
    w = np.clip(np.rint(rng.normal(0, sigma, (size, spec.n_connections))), -8, 8)
    w = np.where(w == 0, rng.choice([-1, 1], w.shape), w)
    pop[:, : spec.n_connections] = np.where(rng.random(w.shape) < p, w, 0)
    pop[:, spec.n_connections:] = np.clip(np.rint(rng.normal(0, sigma, (size, spec.n_neurons))), -8, 8)
    return pop


INITIALISERS = {
    "clune (uniform 0-119 connections)": (NetSpec(), lambda s, n, r: random_networks(s, n, r)),
    "density 0.1": (NetSpec(), lambda s, n, r: density_networks(s, n, r, 0.1)),
    "density 0.25": (NetSpec(), lambda s, n, r: density_networks(s, n, r, 0.25)),
    "density 0.5": (NetSpec(), lambda s, n, r: density_networks(s, n, r, 0.5)),
    "density 1.0": (NetSpec(), lambda s, n, r: density_networks(s, n, r, 1.0)),
    "gaussian sigma 1, density 0.5": (NetSpec(), lambda s, n, r: gaussian_networks(s, n, r, 1.0)),
    "gaussian sigma 3, density 0.5": (NetSpec(), lambda s, n, r: gaussian_networks(s, n, r, 3.0)),
    "kashtan (fan-in 3/2, 0/1 neurons)": (NetSpec(model="kashtan"), lambda s, n, r: kashtan_networks(s, n, r)),
}


def layer_nodes(spec: NetSpec) -> list[list[int]]:
    starts = np.concatenate([[0], np.cumsum(spec.layers)])
    return [list(range(starts[i], starts[i + 1])) for i in range(len(spec.layers))]


def network_measures(genome, spec: NetSpec) -> dict:
    adj, nodes = network.simplify(genome, spec)
    if adj.sum():
        q, labels = best_partition(adj, "directed", restarts=16)
        modules = int(np.unique(labels).size)
    else:
        q, modules = float("nan"), 0
    run = information.network_runner(genome, spec)
    layers = layer_nodes(spec)
    info = np.array([[information.exchange(run, [i], layer) for layer in layers[1:]] for i in layers[0]])
    return {"q": q, "modules": modules, "info": info}


def study(networks: int = 200, seed: int = 0) -> dict[str, list[dict]]:
    rng = np.random.default_rng(seed)
    out = {}
    for name, (spec, make) in INITIALISERS.items():
        out[name] = [network_measures(g, spec) for g in make(spec, networks, rng)]
    return out


def markdown(results: dict[str, list[dict]]) -> str:
    head = ("| initialiser | networks | with a path to the output | Q, median [IQR] (those) | modules, median (those) "
            "| bits from one input to layer 1 / 2 / 3 / output (mean) | inputs reaching the output (> 0.01 bit) |")
    lines = [head, "|---|---|---|---|---|---|---|"]
    for name, rows in results.items():
        q = np.array([r["q"] for r in rows])
        q = q[~np.isnan(q)]
        info = np.stack([r["info"] for r in rows])                    # (networks, inputs, layers)
        reach = (info[:, :, -1] > 0.01).mean()
        qtext = f"{np.median(q):.2f} [{np.percentile(q, 25):.2f}–{np.percentile(q, 75):.2f}]" if q.size else "–"
        modules = [r["modules"] for r in rows if r["modules"]]
        lines.append(f"| {name} | {len(rows)} | {q.size / len(rows):.0%} | {qtext} | "
                     f"{np.median(modules) if modules else 0:.0f} | "
                     + " / ".join(f"{v:.3f}" for v in info.mean(axis=(0, 1))) + f" | {reach:.0%} |")
    return "\n".join(lines)


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--networks", type=int, default=200)
    p.add_argument("--seed", type=int, default=0)
    a = p.parse_args(argv)
    print(markdown(study(a.networks, a.seed)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
