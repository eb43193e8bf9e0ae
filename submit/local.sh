#!/usr/bin/env bash
# Runs a command with Spark embedded in local mode: no Spark installation needed, only a JDK and Maven.
#   submit/local.sh <command> [options]        e.g. submit/local.sh train --data data-samples/cifar --model-out m
# Builds the project first when the jar is missing. Environment:
#   SLC_DRIVER_MEMORY  heap of the single JVM that is driver and executors (default 6g)
#   SLC_JAVA_OPTS      extra JVM options
#   SLC_MAIN_CLASS     another main class of the jar, e.g. org.sparklinear.examples.PipelineExample
#   SLC_CDS            false turns off the class-data-sharing archive below (default true)
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
# Class data sharing: a JVM start maps the classes an earlier run of the same jar and class path loaded from an
# archive instead of loading and verifying them again (Spark loads about 10,000): about 3 s less per command here.
# The first train run after a build writes the archive when it exits (about 9 s more, once): a training loads what
# the other commands load too, where a first --help or export would leave most of Spark out. Another main class
# (SLC_MAIN_CLASS, e.g. the spark.ml example, which loads Spark SQL and ML besides) has an archive of its own, written
# by its first run. The archive only speeds up starts, so the JVM's notes about it are off; its other warnings go to
# stderr, keeping stdout for results.
classpath="$jar:$(cat "$root/target/classpath.txt")"
jvm_opts=(-Xlog:disable -Xlog:all=warning,cds+dynamic=off,cds=off:stderr)
archive_tmp=""
# A main class's name is part of the archive's path (and of the old archives removed): one that is not a Java class
# name gets no archive.
java_name='^([A-Za-z_$][A-Za-z0-9_$]*[.])*[A-Za-z_$][A-Za-z0-9_$]*$'
if [ "${SLC_CDS:-true}" = true ] && { [ -z "${SLC_MAIN_CLASS:-}" ] || [[ "$SLC_MAIN_CLASS" =~ $java_name ]]; }; then
  archive="$root/target/cds/${SLC_MAIN_CLASS:+$SLC_MAIN_CLASS-}$(stat -c %Y-%s "$jar")-$(printf '%s' "$classpath" \
    | cksum | cut -d' ' -f1).jsa"
  if [ -s "$archive" ]; then
    jvm_opts+=(-XX:SharedArchiveFile="$archive")
  elif { [ -n "${SLC_MAIN_CLASS:-}" ] || { [ "${1:-}" = train ] && [[ " $* " != *" --help "* ]]; }; } \
      && mkdir -p "$root/target/cds" 2>/dev/null && [ -w "$root/target/cds" ]; then
    archive_tmp="$archive.$$.tmp"
    jvm_opts+=(-XX:ArchiveClassesAtExit="$archive_tmp")
  fi
fi
# shellcheck disable=SC2046
set -- java -Xmx"${SLC_DRIVER_MEMORY:-6g}" $(cat "$root/target/jvm-options.txt") "${jvm_opts[@]}" \
  ${hadoop_opts[@]+"${hadoop_opts[@]}"} ${SLC_JAVA_OPTS:-} $tty_opt \
  -Dlog4j.configurationFile="$root/conf/log4j2.properties" \
  -cp "$classpath" "${SLC_MAIN_CLASS:-org.sparklinear.cli.Main}" "$@"
if [ -z "$archive_tmp" ]; then
  exec "$@"
fi
# Writing the archive: the JVM runs as a child so that its archive is published whole (a rename) when it exits;
# signals are passed on to it.
"$@" <&0 &
child=$!
trap 'kill -TERM "$child" 2>/dev/null' TERM INT HUP
status=0
while true; do
  wait "$child" && status=0 || status=$?
  kill -0 "$child" 2>/dev/null || break  # wait returned for a signal, not the child's exit
done
# a run that failed (a usage error, bad input) may have loaded too little of Spark to be worth keeping
if [ "$status" = 0 ] && [ -s "$archive_tmp" ]; then
  mv -f "$archive_tmp" "$archive"
  # the archives of earlier builds of the jar (70-180 MB each) are never read again
  for old in "$root/target/cds/${SLC_MAIN_CLASS:+$SLC_MAIN_CLASS-}"[0-9]*.jsa; do
    if [ "$old" != "$archive" ]; then rm -f "$old"; fi
  done
else
  rm -f "$archive_tmp"
fi
exit "$status"
