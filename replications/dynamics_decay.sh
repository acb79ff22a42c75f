#!/usr/bin/env bash
# Issue 21: decay of modularity under a fixed goal. Populations of 1,000 identical copies of
# (a) the textbook modular G1 circuit and (b) each MVG run's first G1 solution, evolved 1,000
# generations under fixed G1 with the paper's settings and with random tie-breaking; then the
# same from each factorial setting's MVG solutions with that setting. Resumable (finished
# populations are kept). Run after dynamics_logic.sh has made runs/dyn_factorial:
#
#   nohup nice -n 5 bash replications/dynamics_decay.sh >> runs/logs/dyn_decay.log 2>&1 &
set -u
cd "$(dirname "$0")/.."
K=.venv/bin/kashtan
W=${WORKERS:-1}
SRC=runs/dyn_switching
[ -f $SRC/campaign.json ] || SRC=replications/data/dyn_switching
d() { $K dynamics decay "$@" --workers $W > /dev/null && echo "DONE ${@: -1} $(date +%T)"; }
d $SRC --conditions mvg --start MODULAR_G1 --seeds 20 --dest runs/dyn_decay/textbook_paper
d $SRC --conditions mvg --start MODULAR_G1 --seeds 20 --set ga.select_args.ties=random --dest runs/dyn_decay/textbook_ties_random
d $SRC --conditions mvg --dest runs/dyn_decay/mvg_paper
d $SRC --conditions mvg --set ga.select_args.ties=random --dest runs/dyn_decay/mvg_ties_random
for s in peer add_delete crossover elite_100 gates_16 no_penalty gates_26 gate_rewire epoch_10 epoch_50; do
  [ -f runs/dyn_factorial/$s/campaign.json ] && d runs/dyn_factorial/$s --conditions mvg --dest runs/dyn_decay/factorial_$s
done
