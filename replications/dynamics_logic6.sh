#!/usr/bin/env bash
# Issue 21 item 4: Kashtan & Alon's 6-input, 3-output goals at the paper's scale (S = 2000, L = 500,
# 26 gates, cap 1e5): fixed G4 against MVG (G1, G4, G2, G4, G3, G4, ...). In stages, so every
# condition has 10 seeds before any has 50; resumable, and a later session starts from the archive
# (replications/save_progress.sh archives finished seeds). Run in the background:
#
#   nohup nice -n 5 bash replications/dynamics_logic6.sh >> runs/logs/logic6.log 2>&1 &
set -u
cd "$(dirname "$0")/.."
K=.venv/bin/kashtan
out=runs/logic6
a=replications/data/logic6
if [ ! -e $out ] && [ -f $a/campaign.json ]; then mkdir -p runs && cp -r $a $out; fi
for seeds in 0-9 0-19 0-49; do
  if [ -f $out/campaign.json ]; then $K resume $out --seeds $seeds --workers ${WORKERS:-2} --no-progress
  else $K run kashtan2005_logic6 --conditions fixed_G4,mvg --seeds $seeds --out $out --workers ${WORKERS:-2} --no-progress; fi
  $K archive $out $a
  echo "DONE logic6 $seeds $(date +%T)"
done
