#!/usr/bin/env bash
# Archive the finished seeds of every campaign under runs/ into replications/data/, finished or
# not, so a later session (whose runs/ may be gone) resumes the queue where this one stopped:
# replications/campaigns.sh starts a step from its archive. Run from the repository root.
set -u
cd "$(dirname "$0")/.."
for d in runs/*/; do
  name=$(basename "$d")
  [ -f "$d/campaign.json" ] || continue
  .venv/bin/kashtan archive "$d" "replications/data/$name" | sed "s|^|$name: |"
done
du -sh replications/data
