"""Circuit kinds: the config's ``circuit.kind`` names a problem class here.

Each entry is ``(problem class, settings class)``; a new genome kind adds one line.
"""
from evo.net_problem import NetworkProblem, NetworkSettings
from evo.problem import NandProblem, NandSettings

KINDS = {
    "nand": (NandProblem, NandSettings),
    "network": (NetworkProblem, NetworkSettings),
}
