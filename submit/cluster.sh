#!/usr/bin/env bash
# Runs a command through spark-submit (from $SPARK_HOME/bin or PATH) on any Spark master.
#   submit/cluster.sh [spark-submit options --] <command> [options]
# e.g.
#   submit/cluster.sh --master spark://host:7077 --total-executor-cores 8 -- \
#       train --data hdfs:///data/cifar10 --model-out hdfs:///models/cifar-softmax
#   submit/cluster.sh --master yarn --deploy-mode cluster --num-executors 4 --executor-memory 6g -- train ...
#   SLC_IMAGE_DIR=/opt/spark/work-dir submit/cluster.sh --master k8s://https://api:6443 --deploy-mode cluster \
#       --conf spark.kubernetes.container.image=IMAGE -- train ...
# Spark settings: these options and SLC_SUBMIT_ARGS, then conf/spark-defaults.conf, then the installation's own
# spark-defaults.conf (e.g. spark.yarn.jars or spark.yarn.archive); YARN reads the cluster from HADOOP_CONF_DIR.
# SLC_IMAGE_DIR: the folder of a container image (submit/Dockerfile) holding the job jar and conf/; the driver and
# executors use those (local://) instead of this checkout's. Otherwise builds the job jar first when it is missing.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
jar="$root/target/spark-linear-classifier.jar"
job_conf="$root/conf"
if [ -n "${SLC_IMAGE_DIR:-}" ]; then
  # a driver pod cannot see this machine's files: the jar and the logging setup come from the image
  jar="local://$SLC_IMAGE_DIR/spark-linear-classifier.jar"
  job_conf="$SLC_IMAGE_DIR/conf"
fi

submit_args=()
if [[ " $* " == *" -- "* ]]; then
  while [ "$1" != "--" ]; do submit_args+=("$1"); shift; done
  shift
fi
if [ $# -eq 0 ]; then
  awk 'NR > 1 && !/^#/ { exit } NR > 1' "$0" >&2  # the comment block above
  exit 2
fi

if [ -n "${SPARK_HOME:-}" ] && [ -x "$SPARK_HOME/bin/spark-submit" ]; then
  submit="$SPARK_HOME/bin/spark-submit"
elif command -v spark-submit >/dev/null 2>&1; then
  submit=$(command -v spark-submit)
else
  echo "error: spark-submit not found: set SPARK_HOME or put spark-submit on PATH (or use submit/local.sh)" >&2
  exit 2
fi
if [ -z "${SLC_IMAGE_DIR:-}" ] && [ ! -f "$jar" ]; then
  echo "building $jar ..." >&2
  (cd "$root" && mvn -q -B -DskipTests package >&2)
fi

# a live progress line when stderr is a terminal (client deploy mode), log lines otherwise
tty_opt=""
if [ -t 2 ]; then tty_opt=" -Dslc.stderrIsTerminal=true"; fi
# shellcheck disable=SC2086
exec "$submit" --class org.sparklinear.cli.Main --name "spark-linear-classifier $1" \
  --properties-file "$root/conf/spark-defaults.conf" --load-spark-defaults \
  --driver-java-options "-Dlog4j.configurationFile=file:$job_conf/log4j2.properties$tty_opt" \
  "${submit_args[@]}" ${SLC_SUBMIT_ARGS:-} "$jar" "$@"
