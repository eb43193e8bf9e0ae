#!/usr/bin/env bash
# Runs a command with Spark embedded in local mode: no Spark installation needed, only a JDK and Maven.
#   submit/local.sh <command> [options]        e.g. submit/local.sh train --data data-samples/cifar --model-out m
# Builds the project first when the jar is missing. Environment:
#   SLC_DRIVER_MEMORY  heap of the single JVM that is driver and executors (default 6g)
#   SLC_JAVA_OPTS      extra JVM options
#   SLC_MAIN_CLASS     another main class of the jar, e.g. org.sparklinear.examples.PipelineExample
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
jar="$root/target/spark-linear-classifier.jar"
if [ ! -f "$jar" ] || [ ! -f "$root/target/classpath.txt" ] || [ ! -f "$root/target/jvm-options.txt" ]; then
  echo "building $jar (first run) ..." >&2
  (cd "$root" && mvn -q -B -DskipTests package >&2)
fi
export SPARK_LOCAL_IP="${SPARK_LOCAL_IP:-127.0.0.1}"
# one native BLAS thread per task: Spark's tasks already use every core
export OMP_NUM_THREADS="${OMP_NUM_THREADS:-1}" OPENBLAS_NUM_THREADS="${OPENBLAS_NUM_THREADS:-1}"
# the spark.hadoop.* settings of conf/spark-defaults.conf (an S3 endpoint, ...) hold in local mode too, where no
# spark-submit reads that file: as system properties, which every SparkConf picks up
hadoop_opts=()
while read -r key value; do
  case "$key" in spark.hadoop.*) hadoop_opts+=("-D$key=$value") ;; esac
done < "$root/conf/spark-defaults.conf"
# a live progress line when stderr is a terminal, log lines otherwise
tty_opt=""
if [ -t 2 ]; then tty_opt="-Dslc.stderrIsTerminal=true"; fi
# shellcheck disable=SC2046
exec java -Xmx"${SLC_DRIVER_MEMORY:-6g}" $(cat "$root/target/jvm-options.txt") ${hadoop_opts[@]+"${hadoop_opts[@]}"} ${SLC_JAVA_OPTS:-} $tty_opt \
  -Dlog4j.configurationFile="$root/conf/log4j2.properties" \
  -cp "$jar:$(cat "$root/target/classpath.txt")" "${SLC_MAIN_CLASS:-org.sparklinear.cli.Main}" "$@"
