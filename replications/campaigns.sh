#!/usr/bin/env bash
# The campaign queue behind replications/README.md, MEASURES.md and PROGRAM.md (issues 8, 10, 11),
# in order of priority. Each step runs a campaign or resumes it, so after an interruption rerun
# the whole script: finished steps return at once. Run from the repository root, in the background:
#
#   nohup nice -n 19 bash replications/campaigns.sh >> runs/logs/queue.log 2>&1 &
#
# Archive a finished campaign with `kashtan archive runs/X replications/data/X`. When runs/ is gone
# (a new machine), a step starts from the campaign's archive, so archived seeds are not rerun.
set -u
cd "$(dirname "$0")/.."
K=.venv/bin/kashtan
seed_from_archive() {
  a=replications/data/$(basename $1)
  if [ ! -e $1 ] && [ -f $a/campaign.json ]; then mkdir -p $(dirname $1) && cp -r $a $1; fi
}
step() {   # step OUT ARGS-FOR-RUN...: run a campaign, or resume it if it exists
  out=$1; shift
  seed_from_archive $out
  if [ -f $out/campaign.json ]; then $K resume $out --workers 2 --no-progress
  else $K run "$@" --out $out --workers 2 --no-progress; fi
  echo "DONE $out"
}
grow() {   # grow OUT SEEDS ARGS-FOR-RUN...: run a campaign on SEEDS, or add SEEDS to it if it exists
  out=$1; seeds=$2; shift 2
  seed_from_archive $out
  if [ -f $out/campaign.json ]; then $K resume $out --seeds $seeds --workers 2 --no-progress
  else $K run "$@" --seeds $seeds --out $out --workers 2 --no-progress; fi
  echo "DONE $out ($seeds)"
}
grow runs/clune_simplified 0-29 clune2013_retina --conditions pa,pcc
step runs/serial_logic serial_logic --conditions parallel_fixed,parallel_mvg,serial_fixed,serial_mvg_first,serial_mvg_second --seeds 20
step runs/noise_logic noise_logic --seeds 10
step runs/logic_rmvg kashtan2005_logic --conditions rmvg,random --seeds 20
step runs/serial_logic_swap serial_logic --conditions serial_mvg_swap --seeds 20
grow runs/choices_logic 0-49 choices_logic
grow runs/logic_rmvg 0-49 kashtan2005_logic --conditions rmvg,random
# the K&A retina choices in two stages, so every condition has 30 seeds before any has 50
grow runs/choices_retina 0-29 choices_retina --set stop.max_generations=50000
step runs/clune_variants clune2013_retina --conditions mvg_pa,mvg_pcc,rmvg_pa,rmvg_pcc,pcc_l1,pcc_l2,pcc_l1_optimal,pcc_l2_optimal,pcc_interleaved,pcc_shuffled --seeds 10
step runs/serial_retina serial_retina --seeds 10
grow runs/choices_retina 0-49 choices_retina --set stop.max_generations=50000
step runs/size_logic size_logic --seeds 20
step runs/local_cost_logic local_cost_logic --seeds 10 --set stop.max_generations=50000
step runs/size_retina size_retina --conditions pa_2x,pcc_2x,pa_4x,pcc_4x --seeds 10
step runs/noise_retina noise_retina --seeds 10
echo QUEUE DONE
