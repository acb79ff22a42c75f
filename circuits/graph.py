"""The graph of a NAND circuit.

Nodes are the circuit inputs and its effective gates (gates with a path to an
output); an edge runs from each source to the gate it feeds. Gates that drive
an output carry ``outputs=[j, ...]``. Junk gates are left out, as they are in
the phenotype Kashtan & Alon analyse.

>>> import numpy as np
>>> from circuits.nand import NandSpec
>>> xor = np.array([0, 1, 0, 2, 1, 2, 3, 4, 5], dtype=np.int32)
>>> g = to_graph(xor, NandSpec(2, 4), ["a", "b"])
>>> sorted(g.edges())[:3]
[('a', 'g0'), ('a', 'g1'), ('b', 'g0')]
"""
from __future__ import annotations

import networkx as nx
import numpy as np

from circuits.nand import NandSpec, effective_gates


def node_names(spec: NandSpec, input_names=None) -> list[str]:
    """Names of all nodes by index: the inputs, then ``g0``, ``g1``, ..."""
    names = list(input_names) if input_names is not None else [f"x{i}" for i in range(spec.n_inputs)]
    if len(names) != spec.n_inputs:
        raise ValueError(f"{len(names)} input names for {spec.n_inputs} inputs")
    return names + [f"g{k}" for k in range(spec.n_gates)]


def phenotype_nodes(genome: np.ndarray, spec: NandSpec) -> np.ndarray:
    """Node indices of the phenotype graph: every input, then the effective gates."""
    return np.concatenate([np.arange(spec.n_inputs), spec.n_inputs + effective_gates(genome, spec)])


def adjacency(genome: np.ndarray, spec: NandSpec) -> tuple[np.ndarray, np.ndarray]:
    """Directed 0/1 adjacency over the phenotype nodes, and those nodes' indices.

    A gate fed twice by the same source gets one edge; self-loops are kept
    (modularity ignores them).
    """
    nodes = phenotype_nodes(genome, spec)
    pos = np.full(spec.n_inputs + spec.n_gates, -1)
    pos[nodes] = np.arange(nodes.size)
    adj = np.zeros((nodes.size, nodes.size), dtype=np.int8)
    for gate_node in nodes[spec.n_inputs:]:
        k = gate_node - spec.n_inputs
        for src in genome[2 * k: 2 * k + 2]:
            adj[pos[src], pos[gate_node]] = 1
    return adj, nodes


def to_graph(genome: np.ndarray, spec: NandSpec, input_names=None) -> nx.DiGraph:
    """The circuit's phenotype as a networkx DiGraph (node attribute ``kind``: input or gate)."""
    names = node_names(spec, input_names)
    adj, nodes = adjacency(genome, spec)
    g = nx.DiGraph()
    for idx in nodes:
        g.add_node(names[idx], kind="input" if idx < spec.n_inputs else "gate")
    for j, drive in enumerate(genome[2 * spec.n_gates:]):
        g.nodes[names[drive]].setdefault("outputs", []).append(j)
    for a, b in zip(*np.nonzero(adj)):
        g.add_edge(names[nodes[a]], names[nodes[b]])
    return g
