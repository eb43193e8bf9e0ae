#!/usr/bin/env bash
# Scheduled retraining, for cron, systemd timers or any scheduler:
#   submit/retrain.sh [spark-submit options --] --registry DIR --data PATH --holdout PATH [retrain options]
# With spark-submit options (and a "--") it runs through submit/cluster.sh, otherwise through submit/local.sh.
# stdout: one JSON line with the outcome. stderr: the log (also appended to $SLC_LOG_DIR/retrain.log if set).
# Exit codes: 0 promoted, 5 kept the current model, 6 registry busy (another run; retry later),
#             2 bad input (nothing written), 3 training diverged, 4 not enough memory, 1 failure.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
if [ $# -eq 0 ]; then
  sed -n '2,7p' "$0" >&2
  exit 2
fi
if [[ " $* " == *" -- "* ]]; then
  submit_args=()
  while [ "$1" != "--" ]; do submit_args+=("$1"); shift; done
  shift
  cmd=("$root/submit/cluster.sh" "${submit_args[@]}" -- retrain "$@")
else
  cmd=("$root/submit/local.sh" retrain "$@")
fi

started=$(date -u +%Y-%m-%dT%H:%M:%SZ)
set +e
if [ -n "${SLC_LOG_DIR:-}" ]; then
  mkdir -p "$SLC_LOG_DIR"
  echo "== $started retrain $*" >>"$SLC_LOG_DIR/retrain.log"
  "${cmd[@]}" 2> >(tee -a "$SLC_LOG_DIR/retrain.log" >&2)
else
  "${cmd[@]}"
fi
code=$?
set -e
case $code in
  0) meaning="promoted the new model" ;;
  5) meaning="kept the current model" ;;
  6) meaning="registry busy: another run holds it; nothing changed" ;;
  2) meaning="bad input or usage; nothing written" ;;
  3) meaning="training diverged; nothing promoted" ;;
  4) meaning="not enough memory for the data" ;;
  *) meaning="failed" ;;
esac
echo "retrain.sh: exit $code ($meaning), started $started" >&2
exit $code
