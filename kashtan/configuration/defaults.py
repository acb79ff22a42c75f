"""Every key a run understands, with its default (``kashtan/configuration/config.py`` checks configs against it).

OPEN points of the papers are commented where they are chosen.
"""

DEFAULTS: dict = {
    "name": "run",
    "condition": "default",
    "description": "",
    "seeds": 10,                        # seeds 0 .. seeds-1 per condition
    "circuit": {
        "kind": "nand",                 # nand | network
        "inputs": ["X", "Y", "Z", "W"],
        "gates": 12,                    # OPEN in K&A 2005; 12 as in the 2008 follow-up
        "outputs": 1,
        "feedback": True,
        "max_steps": 0,                 # OPEN: synchronous updates for feedback circuits; 0 = number of gates
        "positions": [],                # [x, y] per input, gate and output pin, for fitness.cost;
                                        # [] = circuits.nand_costs.layout_positions, inputs placed by layout
        "layout": "paper",              # paper (X Y Z W in a row) | interleaved (X Z Y W) | shuffled
        "layout_seed": 0,
    },
    "network": {                        # circuit.kind = "network" (circuits/network.py)
        "layers": [8, 8, 4, 2, 1],
        "model": "clune",               # clune (+-1 inputs, sign) | kashtan (0/1 inputs, threshold)
        "cost": "none",                 # none | count | fixed | optimal | l1 | l2 | l1_optimal | l2_optimal (circuits/costs.py)
        "cost_on": "simplified",        # OPEN: simplified (connections into neurons with no path to the
                                        # output are free, as Clune et al.'s code) | all
        "coordinates": [],              # [x, y] per node; [] = Clune et al.'s, inputs placed by layout
        "layout": "paper",              # paper | interleaved (left/right pixels alternate) | shuffled
        "layout_seed": 0,               # the shuffled layout's order
        "patterns": 0,                  # 0 = all input patterns; N = a fixed random sample of N (K&A: 100)
        "pattern_seed": 0,
        "input_noise": 0.0,             # probability each input bit of each pattern is flipped, drawn
                                        # afresh every generation (tasks.schedules.Noisy); NAND circuits too
        "label_noise": 0.0,             # probability each target bit is flipped, likewise (NAND circuits too)
        "resample": False,              # OPEN: with patterns = N, a fresh sample every generation (true)
                                        # or one fixed sample drawn from pattern_seed (false)
        "neuron_penalty": 0.0,          # per neuron with inputs above neuron_threshold (K&A: 0.01 above 13)
        "neuron_threshold": 13,
        "diversity": False,             # add behavioural diversity as a last NSGA-II objective (OPEN in 2013)
        "solved_at": 1.0,               # fraction of right answers that counts as solving (K&A retina: 0.95)
        "init": "clune",                # initial networks: clune (uniform [0, init_connections) connections)
                                        # | kashtan (random +-1 units within the fan-in limits)
        "init_connections": 120,
        "fan_in": [3, 2],               # kashtan: most +-1 units into a hidden neuron, into an output
        "bias_range": [-2, 2],          # biases (= minus thresholds) of initial networks and redraws
    },
    "goals": {},                        # name -> expression, or list of expressions (one per output)
    "goal_defs": {},                    # named sub-expressions usable in goals, e.g. A = "X ^ Y"
    "schedule": {
        "kind": "fixed",                # fixed | mvg | rmvg | random
        "goals": [],                    # fixed: [goal]; mvg: goals to alternate
        "order": [],                    # mvg: indices into goals (default: in order)
        "period": 20,                   # E, generations per epoch
        "solve_periods": 0,             # epochs in a row that must each see a perfect circuit; 0 = schedule default
        "modules": {},                  # rmvg: shared sub-goals, e.g. {A = "X ^ Y", B = "Z ^ W"}
        "pairs": [],                    # rmvg: per output, the two modules it combines
        "template": [],                 # rmvg: per output, an expression in which F1, F2, ... are the drawn
                                        # functions of pairs 1, 2, ... (one stage of a goal drawn, issue 11)
    },
    "fitness": {
        "size_penalty": 0.2,            # per effective gate above the threshold
        "size_threshold": 11,
        "perfect_within_size": True,    # OPEN: perfect (= solved) means fitness 1, no size penalty (true),
                                        # or every row right whatever the size (false)
        "cost": "none",                 # wire cost of NAND circuits: none | count | squared | l1 | l2
                                        # (circuits/nand_costs.py); a second objective for nsga2
        "cost_on": "simplified",        # simplified (gates with no path to an output are free) | all
        "cost_weight": 0.0,             # fitness minus cost_weight x cost (elite and other single-objective selection)
    },
    "ga": {
        "population": 1000,
        "select": "elite",
        "select_args": {},              # operator arguments; {} = the operator's own defaults. OPEN
                                        # choices among them: elite's ties (elite_first | random | stable),
                                        # crossovers' pairing (random | adjacent), clune's ends (stay | reflect)
        "mutate": "rewire",
        "mutate_args": {},
        "mate": "none",
        "mate_args": {},
    },
    "stop": {
        "max_generations": 100_000,
        "when_solved": True,
        "after_solved": 0,              # with when_solved: generations to go on after the solution
    },
    "record": {
        "q": "undirected",              # undirected (Kashtan & Alon) | directed (Leicht-Newman, Clune et al.)
        "qm_every": 1,                  # Qm of the best every N generations; 0 = never
        "qm_random": 1000,              # randomised networks behind Qrand
        "qmax_steps": 1000,             # hill-climbing swaps behind Qmax, per restart
        "qmax_restarts": 2,
        "qm_null": "simple",            # OPEN: random and Qmax networks are simple once undirected (no 2-cycles),
                                        # as "Q of the network made undirected" implies; "directed" keeps only
                                        # in/out degrees (2-cycles count double), the procedure of every campaign
                                        # archived before 2026-12-06 (replications/DYNAMICS.md, section 5)
        "q_search": "full",             # Q of each generation's best: "full" search (within 0.005 of the
                                        # exact maximum, bench/q_accuracy.py) or "quick" (bisection and
                                        # refinement only, up to 0.044 low; every campaign before 2026-12-06)
        "q_restarts": 128,              # iterated-local-search rounds of the Q maximiser (Q, and Qmax's end
                                        # graph); 0 = bisection + refinement only (bench/q_accuracy.py)
        "qdist_every": 1000,            # Q of the whole population every N generations; 0 = never
        "checkpoint_every": 2000,
        "modules": {},                  # functional modules to look for in solved circuits: name -> expression
                                        # of the inputs; {} = X^Y and Z^W (Kashtan & Alon's G1/G2)
        "final_goal": "",               # the goal the final best is chosen on ("" = the last generation's);
                                        # e.g. "L-AND-R" so MVG networks compare with fixed-goal ones
    },
}
