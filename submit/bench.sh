#!/usr/bin/env bash
# Benchmark: our trainer against Spark MLlib (LogisticRegression, runMiniBatchSGD) on the same cached, preprocessed
# CIFAR-10 data in one Spark session, the cost of a step split into its parts, a full pass against the machine's GEMM
# rate, a run without Spark, both step modes, local steps, and scaling; then whole commands as users run them (the
# default train, ~1,400 small images, the README's PipelineExample, a sweep). Writes OUT/bench.json and OUT/bench.md.
#   submit/bench.sh [--data PATH] [--out DIR] [--master local[2]] [--repeats 3] [--sections ...] [--local-steps 4,8,16]
#                   [--no-end-to-end] [--no-sweep] [--cluster] [--only defaults]
# --no-end-to-end leaves out the whole commands but the sweep, --no-sweep the sweep (sweep.* is then null).
# The full run (without --no-end-to-end) also writes the sizing table: the step against classes x features on
# synthetic rows (the benchmark's sizing section through submit/local.sh, its default heap; about 2 minutes),
# bench.json's key "sizing" and a section of bench.md.
# --only defaults runs the "defaults" section alone (submit/bench-defaults.sh: the defaults on a suite of data sets
# against a converged scikit-learn reference, about 5 minutes) and adds it to OUT/bench.json (key "defaults") and
# OUT/bench.md; the full run includes it.
# --cluster also measures on a network (submit/bench-cluster.sh: needs root and iproute2, about 10 more minutes) and
# adds its figures to bench.json (key "cluster") and bench.md; with the full run also the sizing table on that
# network (bench-cluster.sh --sizing, about 4 more minutes; key "clusterSizing").
# Every method runs with one BLAS thread per task (OMP_NUM_THREADS=1, as Spark's MLlib guide advises). When a native
# BLAS is installed (Debian: apt-get install libopenblas0) ours is also run with the Java BLAS, reported as javaBlas.
# Takes about 15 minutes on 2 cores. Environment: SLC_BENCH_MEMORY (JVM heap, default 14g), SLC_JAVA_OPTS (extra JVM
# options, as for submit/local.sh, which runs the whole commands).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
data="$root/../shared/data/cifar10"
out="$root/target/bench"
rest=()
cluster=false
end_to_end=true
sweep=true
only=""
common=()  # options that also apply to the Java-BLAS run
while [ $# -gt 0 ]; do
  case "$1" in
    --data) data=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --cluster) cluster=true; shift ;;
    --no-end-to-end) end_to_end=false; shift ;;
    --no-sweep) sweep=false; shift ;;
    --only) only=$2; shift 2 ;;
    --master|--partitions|--target) common+=("$1" "$2"); rest+=("$1" "$2"); shift 2 ;;
    *) rest+=("$1"); shift ;;
  esac
done
# the benchmark writes figures, models and generated data under --out: never into the data it reads
abs() { realpath -m "$1"; }
case "$(abs "$out")/" in
  "$(abs "$data")/"*) echo "bench.sh: --out $out lies inside --data $data; choose another folder" >&2; exit 2 ;;
esac
case "$(abs "$data")/" in
  "$(abs "$out")/"*) echo "bench.sh: --data $data lies inside --out $out; choose another folder" >&2; exit 2 ;;
esac
defaults_section() {  # runs the defaults section and adds it to bench.json and bench.md
  "$root/submit/bench-defaults.sh" --data "$data" --out "$out"
  python3 -c 'import json, os, sys
bench = json.load(open(sys.argv[1])) if os.path.exists(sys.argv[1]) else {}
bench["defaults"] = json.load(open(sys.argv[2]))
json.dump(bench, open(sys.argv[1], "w"), indent=2)' "$out/bench.json" "$out/defaults.json"
  cat "$out/defaults.md" >> "$out/bench.md"
}
case "$only" in
  "") ;;
  defaults) mkdir -p "$out"; defaults_section; exit 0 ;;
  *) echo "bench.sh: --only takes: defaults" >&2; exit 2 ;;
esac
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
  java -Xmx"${SLC_BENCH_MEMORY:-14g}" $(cat "$root/target/jvm-options.txt") ${SLC_JAVA_OPTS:-} \
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

# Whole commands as users run them (JVM start, reading and caching included), wall time.
wall() {
  local t0 t1
  t0=$(date +%s%N)
  "$@" >/dev/null 2>>"$out/commands.log"
  t1=$(date +%s%N)
  awk -v ns=$((t1 - t0)) 'BEGIN { printf "%.2f", ns / 1e9 }'
}
accuracy() {  # validation accuracy of a model, from evaluate --json
  "$root/submit/local.sh" evaluate --model "$1" --data "$2" --split validation --json 2>>"$out/commands.log" \
    | python3 -c 'import json, sys; print(json.load(sys.stdin)["accuracy"])'
}

default_train=null default_train_first=null default_acc=null digits_train=null digits_acc=null pipeline=null
pipeline_first=null images=null
if $end_to_end; then
# The default train command of the README on CIFAR-10 (the default master: every core). Run twice: the first run
# after a build also writes the class-data-sharing archive that every later start maps (submit/local.sh), so the
# second is what users see from then on; both are reported.
default_train_first=$(wall "$root/submit/local.sh" train --data "$data" --model-out "$out/e2e-default" --overwrite)
default_train=$(wall "$root/submit/local.sh" train --data "$data" --model-out "$out/e2e-default" --overwrite)
default_acc=$(accuracy "$out/e2e-default" "$data")

# About 1,400 small images: scikit-learn's 8x8 grayscale digits (1,797, of which 20% are held out), to convergence
# with the defaults alone (they choose ~400 steps of 64 and the rate). Skipped when scikit-learn cannot be imported
# or installed.
if python3 -c 'import sklearn' 2>/dev/null || python3 -m pip install --quiet scikit-learn >&2; then
  python3 - "$out/digits.libsvm" <<'PY'
import sys
from sklearn.datasets import dump_svmlight_file, load_digits
d = load_digits()
dump_svmlight_file(d.data, d.target, sys.argv[1], zero_based=False)
PY
  digits_train=$(wall "$root/submit/local.sh" train --data "$out/digits.libsvm" --model-out "$out/e2e-digits" \
    --overwrite --val-fraction 0.2)
  digits_acc=$(accuracy "$out/e2e-digits" "$out/digits.libsvm")
else
  echo "scikit-learn is missing: skipping the small-images run" >&2
fi

# The README's spark.ml PipelineExample (CrossValidator over 4 settings) on ~1,150 generated sample images (the
# issue's size; the README's own command), twice like the default train: its first run writes its own archive.
rm -rf "$out/pipeline-images"
"$root/submit/local.sh" generate-samples --out "$out/pipeline-images" --samples-per-class 230 2>>"$out/commands.log"
pipeline_first=$(SLC_MAIN_CLASS=org.sparklinear.examples.PipelineExample wall "$root/submit/local.sh" \
  "$out/pipeline-images/images" "$out/pipeline-model")
pipeline=$(SLC_MAIN_CLASS=org.sparklinear.examples.PipelineExample wall "$root/submit/local.sh" \
  "$out/pipeline-images/images" "$out/pipeline-model")
images=$(find "$out/pipeline-images/images" -type f | wc -l)
fi

# The sweep target: a 3x3 sweep against one training run with the same settings.
single=null swept=null ratio=null
if $sweep; then
  sweep_master=(--master "local[2]")
  single=$(wall "$root/submit/local.sh" train --data "$data" --model-out "$out/sweep-single" --overwrite \
    "${sweep_master[@]}")
  swept=$(wall "$root/submit/local.sh" sweep --data "$data" --model-out "$out/sweep-best" --overwrite \
    --lr 0.03,0.1,0.3 --reg 0.0001,0.001,0.01 "${sweep_master[@]}")
  ratio=$(awk -v a="$swept" -v b="$single" 'BEGIN { printf "%.2f", a / b }')
fi
printf '{"singleTrainSeconds": %s, "sweep3x3Seconds": %s, "ratio": %s, "target": 2.0}\n' "$single" "$swept" \
  "$ratio" > "$out/sweep.json"

python3 - "$out/bench.json" "$default_train" "$default_acc" "$digits_train" "$digits_acc" "$pipeline" "$images" \
  "$out/sweep.json" "$default_train_first" "$pipeline_first" <<'PY'
import json, sys
path, default_train, default_acc, digits_train, digits_acc, pipeline, images, sweep, default_first, pipeline_first \
    = sys.argv[1:]
r = json.load(open(path))
r["endToEnd"] = {"defaultTrainSeconds": json.loads(default_train), "defaultTrainValidationAccuracy": json.loads(default_acc),
                 "defaultTrainFirstRunSeconds": json.loads(default_first),
                 "smallImagesTrainSeconds": json.loads(digits_train), "smallImagesValidationAccuracy": json.loads(digits_acc),
                 "smallImages": "scikit-learn digits, 8x8 grayscale, 1797 images, 20% validation, the defaults"}
r["pipelineExample"] = {"seconds": json.loads(pipeline), "images": json.loads(images),
                        "firstRunSeconds": json.loads(pipeline_first)}
r["sweep"] = json.load(open(sweep))
json.dump(r, open(path, "w"), indent=2)
PY
cat >> "$out/bench.md" <<MD

## Whole commands (wall time, JVM start included)

| command | seconds | validation accuracy |
| --- | --- | --- |
| default \`train\` on CIFAR-10 (first run after a build: $default_train_first s) | $default_train | $default_acc |
| \`train\` on ~1,400 small images (digits, the defaults) | $digits_train | $digits_acc |
| README \`PipelineExample\` on $images generated images (first run after a build: $pipeline_first s) | $pipeline | |
| 3x3 sweep (lr 0.03,0.1,0.3 x reg 0.0001,0.001,0.01) against one run: $single s (target at most 2x) | $swept ($ratio x) | |
MD
merge_json() {  # merge_json FILE: adds FILE's keys to bench.json
  python3 -c 'import json, sys
bench = json.load(open(sys.argv[1]))
bench.update(json.load(open(sys.argv[2])))
json.dump(bench, open(sys.argv[1], "w"), indent=2)' "$out/bench.json" "$1"
}
if $end_to_end; then
  defaults_section
  # the sizing table, as the README's command makes it (data-free: generated rows)
  rm -rf "$out/sizing"
  SLC_MAIN_CLASS=org.sparklinear.bench.Benchmark "$root/submit/local.sh" --out "$out/sizing" --sections sizing \
    2>>"$out/commands.log"
  python3 -c 'import json, sys
json.dump({"sizing": json.load(open(sys.argv[1]))["sizing"]}, open(sys.argv[2], "w"))' "$out/sizing/bench.json" \
    "$out/sizing/sizing.json"
  merge_json "$out/sizing/sizing.json"
  sed -n '/^## Sizing/,$p' "$out/sizing/bench.md" | sed '1s/^/\n/' >> "$out/bench.md"
fi
if $cluster; then
  rm -f "$out/cluster.json"
  "$root/submit/bench-cluster.sh" --data "$data" --out "$out"
  if [ -f "$out/cluster.json" ]; then  # absent when the data is: the script said it skipped
    merge_json "$out/cluster.json"
  fi
  if $end_to_end; then
    rm -f "$out/cluster-sizing.json"
    "$root/submit/bench-cluster.sh" --sizing --out "$out"
    merge_json "$out/cluster-sizing.json"
  fi
fi
cat "$out/bench.md"
