#!/usr/bin/env bash
# Benchmark: our trainer against Spark MLlib (LogisticRegression, runMiniBatchSGD) on the same cached, preprocessed
# CIFAR-10 data in one Spark session, the cost of a step split into its parts, a full pass against the machine's GEMM
# rate, a run without Spark, and scaling. Writes OUT/bench.json and OUT/bench.md.
#   submit/bench.sh [--data PATH] [--out DIR] [--master local[2]] [--repeats 3] [--sections ...] [--cluster]
# --cluster also measures on a network (submit/bench-cluster.sh: needs root and iproute2, about 9 more minutes) and
# adds its figures to bench.json (key "cluster") and bench.md.
# Every method runs with one BLAS thread per task (OMP_NUM_THREADS=1, as Spark's MLlib guide advises). When a native
# BLAS is installed (Debian: apt-get install libopenblas0) ours is also run with the Java BLAS, reported as javaBlas.
# Takes about 15 minutes on 2 cores. Environment: SLC_BENCH_MEMORY (JVM heap, default 14g).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
data="$root/../shared/data/cifar10"
out="$root/target/bench"
rest=()
cluster=false
common=()  # options that also apply to the Java-BLAS run
while [ $# -gt 0 ]; do
  case "$1" in
    --data) data=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --cluster) cluster=true; shift ;;
    --master|--partitions|--target) common+=("$1" "$2"); rest+=("$1" "$2"); shift 2 ;;
    *) rest+=("$1"); shift ;;
  esac
done
if $cluster; then
  "$root/submit/bench-cluster.sh" --check  # refuses (exit 2) now rather than after the rest of the benchmark
fi
jar="$root/target/spark-linear-classifier.jar"
if [ ! -f "$jar" ] || [ ! -f "$root/target/classpath.txt" ] || [ ! -f "$root/target/jvm-options.txt" ]; then
  (cd "$root" && mvn -q -B -DskipTests package >&2)
fi
export SPARK_LOCAL_IP="${SPARK_LOCAL_IP:-127.0.0.1}" OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1
bench() {
  # shellcheck disable=SC2046
  java -Xmx"${SLC_BENCH_MEMORY:-14g}" $(cat "$root/target/jvm-options.txt") \
    -Dlog4j.configurationFile="$root/conf/log4j2.properties" "$@"
}
cp="$jar:$(cat "$root/target/classpath.txt")"
mkdir -p "$out"
include=()
if ldconfig -p 2>/dev/null | grep 'libblas\.so\.3' >/dev/null; then
  echo "native BLAS found: measuring ours with the Java BLAS first" >&2
  bench -Dslc.blas=java -cp "$cp" org.sparklinear.bench.Benchmark --data "$data" --out "$out/java-blas" \
    --sections ours,profile --repeats 2 "${common[@]}"
  include=(--include "$out/java-blas/bench.json")
fi
bench -cp "$cp" org.sparklinear.bench.Benchmark --data "$data" --out "$out" "${include[@]}" "${rest[@]}"

# The sweep target: a 3x3 sweep against one training run with the same settings, each a whole command as users
# run it (JVM start, reading and caching included), wall time.
wall() {
  local t0 t1
  t0=$(date +%s%N)
  "$@" >/dev/null 2>>"$out/sweep.log"
  t1=$(date +%s%N)
  awk -v ns=$((t1 - t0)) 'BEGIN { printf "%.2f", ns / 1e9 }'
}
sweep_master=(--master "local[2]")
single=$(wall "$root/submit/local.sh" train --data "$data" --model-out "$out/sweep-single" --overwrite \
  "${sweep_master[@]}")
swept=$(wall "$root/submit/local.sh" sweep --data "$data" --model-out "$out/sweep-best" --overwrite \
  --lr 0.03,0.1,0.3 --reg 0.0001,0.001,0.01 "${sweep_master[@]}")
ratio=$(awk -v a="$swept" -v b="$single" 'BEGIN { printf "%.2f", a / b }')
printf '{"singleTrainSeconds": %s, "sweep3x3Seconds": %s, "ratio": %s, "target": 2.0}\n' "$single" "$swept" \
  "$ratio" > "$out/sweep.json"
printf '\n## Sweep\n\nA 3x3 sweep (lr 0.03,0.1,0.3 x reg 0.0001,0.001,0.01) took %s s; one training run with the same'\
' settings %s s: %sx (target at most 2x).\n' "$swept" "$single" "$ratio" >> "$out/bench.md"
if $cluster; then
  rm -f "$out/cluster.json"
  "$root/submit/bench-cluster.sh" --data "$data" --out "$out"
  if [ -f "$out/cluster.json" ]; then  # absent when the data is: the script said it skipped
    python3 -c 'import json, sys
bench = json.load(open(sys.argv[1]))
bench.update(json.load(open(sys.argv[2])))
json.dump(bench, open(sys.argv[1], "w"), indent=2)' "$out/bench.json" "$out/cluster.json"
  fi
fi
cat "$out/bench.md"
