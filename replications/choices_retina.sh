#!/usr/bin/env bash
# Refresh the choices_retina table in replications/README.md from a campaign directory
# (default runs/choices_retina): per scoring and tie rule, MVG against the fixed goal (the
# paper's claim), then the tie rules against each other, then the scorings against the paper's
# (one fixed sample).
set -euo pipefail
dir=${1:-runs/choices_retina}
pairs=()
for s in sample resampled all; do
  for t in elite_first random; do
    pairs+=(--compare "fixed_${s}__ties=${t}:mvg_${s}__ties=${t}")
  done
  for g in fixed mvg; do
    pairs+=(--compare "${g}_${s}__ties=elite_first:${g}_${s}__ties=random")
  done
done
for g in fixed mvg; do
  for s in resampled all; do
    pairs+=(--compare "${g}_sample__ties=elite_first:${g}_${s}__ties=elite_first")
  done
done
"${PYTHON:-.venv/bin/python}" "$(dirname "$0")/write_readme.py" "$dir" --marker choices_retina "${pairs[@]}"
