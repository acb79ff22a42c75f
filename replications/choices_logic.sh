#!/usr/bin/env bash
# Refresh the choices_logic table in replications/README.md from a campaign directory
# (default runs/choices_logic): per tie rule and feedback setting, MVG against the fixed goal
# (the paper's claim), then the tie rules against each other for each schedule.
set -euo pipefail
dir=${1:-runs/choices_logic}
pairs=()
for fb in true false; do
  for t in elite_first random stable; do
    pairs+=(--compare "fixed_G1__ties=${t}__feedback=${fb}:mvg__ties=${t}__feedback=${fb}")
  done
  for s in fixed_G1 mvg; do
    pairs+=(--compare "${s}__ties=elite_first__feedback=${fb}:${s}__ties=random__feedback=${fb}")
    pairs+=(--compare "${s}__ties=elite_first__feedback=${fb}:${s}__ties=stable__feedback=${fb}")
  done
done
"${PYTHON:-.venv/bin/python}" "$(dirname "$0")/write_readme.py" "$dir" --marker choices_logic "${pairs[@]}"
