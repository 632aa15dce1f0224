#!/usr/bin/env bash
# Regenerate the full sequence-experiment results of docs/results.md.
#   experiments/run_full.sh OUT_DIR [DEVICE] [JOBS_MULTITASK JOBS_TRANSFER JOBS_MISSPEC]
# Defaults: results/, cpu, one job each (the three experiments then run one after another).
# With DEVICE=cuda the three run side by side, each with its own pool of worker processes.
# PYTHON (default .venv/bin/python) is read from the environment.
set -u
OUT=${1:-results}; DEVICE=${2:-cpu}; J1=${3:-1}; J2=${4:-1}; J3=${5:-1}
PY=${PYTHON:-.venv/bin/python}
mkdir -p "$OUT"
run() {  # name jobs
  "$PY" -m asen.cli.main experiment "$1" --out "$OUT/$1" --jobs "$2" --device "$DEVICE" --no-progress \
    > "$OUT/$1.log" 2>&1
  echo "$1 exit $?" >> "$OUT/$1.log"
}
if [ "$DEVICE" = cpu ]; then
  run multitask "$J1"; run transfer "$J2"; run misspecification "$J3"
else
  run misspecification "$J3" & run transfer "$J2" & run multitask "$J1" & wait
fi
