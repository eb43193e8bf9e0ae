#!/usr/bin/env bash
# Benchmark on a network: a Spark standalone master, two workers (1 core each) and the driver (client mode) as four
# hosts in Linux network namespaces of their own, joined by veth pairs to a bridge in a fifth namespace, with tc on
# every host's link (netem; tbf, the rate alone, where the kernel has no netem: cluster.json says which). Trains
# CIFAR-10 with the job's own `train` command (--step-mode jobs) in the exact mode (--local-steps 1) and with local
# steps (4, 8, 12 and 16), and the exact mode once more in local[2] outside the namespaces for comparison; then the
# time to the target at step resolution (--eval-every), exact against local steps, with the benchmark's own driver on
# the cluster. Writes OUT/cluster.json and appends a section to OUT/bench.md.
#   submit/bench-cluster.sh [--data PATH] [--out DIR] [--delay 0.5ms] [--rate 1gbit] [--local-steps "4 8 12 16"]
#                           [--target 0.38] [--eval-every 4] [--executor-memory 2g] [--check]
#                           [--sizing [--sizing-shapes 10x3072,...]]
# --delay is each host's one-way delay on what it sends (a round trip between two hosts: twice that), --rate the
# bandwidth each host sends at. --check only checks the prerequisites: root, ip and tc (iproute2), python3.
# --sizing runs, instead of the trainings, the benchmark's sizing section (the step against classes x features on
# synthetic rows, no data needed) from the driver's host on the two executors: OUT/cluster-sizing.json and a section
# of OUT/bench.md; --sizing-shapes, --sizing-batches and --sizing-steps choose its points (default: all of them).
# Traffic stays between the namespaces made here (no routes out of them); on exit, also on INT/TERM, every process in
# them is stopped and the namespaces are deleted. Nothing in the root namespace changes. About 10 minutes on 2 cores.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
data="$root/../shared/data/cifar10"
out="$root/target/bench"
delay=0.5ms
rate=1gbit
local_steps="4 8 12 16"
target=0.38
executor_memory=2g
eval_every=4
check_only=false
sizing=false
sizing_args=()
usage() { sed -n '8,10p' "$0" >&2; }
while [ $# -gt 0 ]; do
  case "$1" in
    --data|--out|--delay|--rate|--local-steps|--target|--executor-memory|--eval-every)
      if [ $# -lt 2 ]; then echo "error: $1 needs a value" >&2; usage; exit 2; fi
      case "$1" in
        --data) data=$2 ;; --out) out=$2 ;; --delay) delay=$2 ;; --rate) rate=$2 ;;
        --local-steps) local_steps=$2 ;; --target) target=$2 ;; --executor-memory) executor_memory=$2 ;;
        --eval-every) eval_every=$2 ;;
      esac
      shift 2 ;;
    --check) check_only=true; shift ;;
    --sizing) sizing=true; shift ;;
    --sizing-shapes|--sizing-batches|--sizing-steps)
      if [ $# -lt 2 ]; then echo "error: $1 needs a value" >&2; usage; exit 2; fi
      sizing_args+=("$1" "$2"); shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "error: unknown option $1" >&2; usage; exit 2 ;;
  esac
done
if ! [[ "$eval_every" =~ ^[1-9][0-9]*$ ]]; then
  echo "error: --eval-every takes a whole number of steps of at least 1; got '$eval_every'" >&2
  exit 2
fi
for h in $local_steps; do
  if ! [[ "$h" =~ ^[0-9]+$ ]] || [ "$h" -lt 2 ]; then
    echo "error: --local-steps takes whole numbers of at least 2 (the exact mode, 1, always runs); got '$h'" >&2
    exit 2
  fi
done

# Prerequisites: refuse before touching anything.
if [ "$(id -u)" -ne 0 ]; then
  echo "bench-cluster: needs root (it creates network namespaces and tc qdiscs); run it with sudo" >&2
  exit 2
fi
for tool in ip tc python3; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "bench-cluster: '$tool' is missing (ip and tc come with iproute2: apt-get install iproute2)" >&2
    exit 2
  fi
done
if $check_only; then
  echo "bench-cluster: prerequisites present (root, ip, tc, python3)" >&2
  exit 0
fi
if $sizing; then
  data=/nonexistent  # the sizing section generates its rows
elif [ ! -d "$data" ]; then
  echo "bench-cluster: SKIPPED, no CIFAR-10 at $data (give it with --data)" >&2
  exit 0
else
  data=$(cd "$data" && pwd)
fi
mkdir -p "$out"
out=$(cd "$out" && pwd)
jar="$root/target/spark-linear-classifier.jar"
if [ ! -f "$jar" ] || [ ! -f "$root/target/classpath.txt" ] || [ ! -f "$root/target/jvm-options.txt" ]; then
  (cd "$root" && mvn -q -B -DskipTests package >&2)
fi

# The hosts. A /24 of our own: the namespaces have no route anywhere else, so nothing can leave them.
ns_prefix="slcbench$$"
hub="$ns_prefix-hub"
net=10.213.77
declare -A addr=([master]=$net.1 [worker1]=$net.11 [worker2]=$net.12 [driver]=$net.21)
hosts=(master worker1 worker2 driver)
work="$out/cluster"
case "$(realpath -m "$work")/" in
  "$(realpath -m "$data")/"*) echo "bench-cluster.sh: --out $out lies inside --data $data" >&2; exit 2 ;;
esac
case "$(realpath -m "$data")/" in
  "$(realpath -m "$work")/"*) echo "bench-cluster.sh: --data $data lies inside $work" >&2; exit 2 ;;
esac
# an earlier run's folder is replaced; anything else of that name is not ours to delete
if [ -e "$work" ] && [ ! -f "$work/.slc-bench-cluster" ] && [ -n "$(ls -A "$work" 2>/dev/null)" ]; then
  echo "bench-cluster.sh: $work exists and is not a folder this benchmark wrote; move it or choose another --out" >&2
  exit 2
fi
rm -rf "$work"
mkdir -p "$work/logs"
touch "$work/.slc-bench-cluster"
namespaces=()
local_pid=""
qdisc=netem  # tbf (rate only) when the kernel has no netem

stop_pids() {  # TERM, up to 20 s for the JVMs' shutdown hooks, then KILL
  [ $# -gt 0 ] || return 0
  kill "$@" 2>/dev/null || true
  for _ in $(seq 40); do
    kill -0 "$@" 2>/dev/null || return 0
    sleep 0.5
  done
  kill -9 "$@" 2>/dev/null || true
}
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  set +e
  [ -n "$local_pid" ] && stop_pids "$local_pid"
  local pids=()
  for ns in "${namespaces[@]}"; do
    # shellcheck disable=SC2207
    pids+=($(ip netns pids "$ns" 2>/dev/null))
  done
  stop_pids "${pids[@]}"
  for ns in "${namespaces[@]}"; do ip netns del "$ns" 2>/dev/null; done  # takes its veth ends with it
  echo "bench-cluster: cleaned up (namespaces ${namespaces[*]:-none} deleted)" >&2
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

ip netns add "$hub"
namespaces+=("$hub")
ip -n "$hub" link add br0 type bridge
ip -n "$hub" link set br0 up
for h in "${hosts[@]}"; do
  ns="$ns_prefix-$h"
  ip netns add "$ns"
  namespaces+=("$ns")
  ip -n "$ns" link set lo up
  # both ends made inside our namespaces: the root namespace never sees them
  ip -n "$hub" link add "v$h" type veth peer name eth0 netns "$ns"
  ip -n "$hub" link set "v$h" master br0 up
  ip -n "$ns" addr add "${addr[$h]}/24" dev eth0
  ip -n "$ns" link set eth0 up
  # what this host sends: delayed and rate-limited (a large queue: the limit is the rate, not drops)
  if [ "$qdisc" = netem ] && ! err=$(tc -n "$ns" qdisc add dev eth0 root netem delay "$delay" rate "$rate" \
      limit 100000 2>&1); then
    if [[ "$err" != *"qdisc kind is unknown"* ]]; then
      echo "bench-cluster: tc refused netem delay $delay rate $rate: $err" >&2
      exit 2
    fi
    qdisc=tbf
    echo "bench-cluster: WARNING: this kernel has no netem qdisc (CONFIG_NET_SCH_NETEM): the links get the rate" \
      "limit (tbf) but NO added delay; cluster.json records that" >&2
  fi
  if [ "$qdisc" = tbf ]; then
    tc -n "$ns" qdisc add dev eth0 root tbf rate "$rate" burst 128kb latency 100ms
  fi
done
applied_delay=$delay
if [ "$qdisc" = tbf ]; then applied_delay=0; fi
echo "bench-cluster: hosts ${addr[master]} (master) ${addr[worker1]} ${addr[worker2]} (workers)" \
  "${addr[driver]} (driver); on each link: $qdisc, delay $applied_delay, rate $rate" >&2

# A Spark home made of the jars Maven resolved: workers launch executors from its jars/, the driver submits with
# Spark's own SparkSubmit class (as the cluster tests do; Maven Central has no Spark distribution).
home="$work/spark-home"
mkdir -p "$home/jars" "$home/bin"
tr ':' '\n' < "$root/target/classpath.txt" | while read -r j; do ln -sf "$j" "$home/jars/"; done
jvm_options=$(cat "$root/target/jvm-options.txt")
cat > "$home/bin/spark-submit" <<EOF
#!/usr/bin/env bash
exec java $jvm_options -Dlog4j.configurationFile=file:$root/conf/log4j2.properties -cp "$home/jars/*" \\
  org.apache.spark.deploy.SparkSubmit "\$@"
EOF
chmod +x "$home/bin/spark-submit"

on_host() {  # on_host HOST LOG COMMAND...: runs COMMAND in HOST's namespace, in the background, bound to its address
  local h=$1 log=$2
  shift 2
  ip netns exec "$ns_prefix-$h" env SPARK_HOME="$home" SPARK_SCALA_VERSION=2.13 SPARK_LOCAL_IP="${addr[$h]}" \
    OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 "$@" > "$work/logs/$log" 2>&1 &
}
wait_for_log() {  # wait_for_log LOG TEXT COUNT
  for _ in $(seq 600); do
    local n
    n=$(grep -c -F "$2" "$work/logs/$1" 2>/dev/null || true)
    if [ "${n:-0}" -ge "$3" ]; then return 0; fi
    sleep 0.2
  done
  echo "bench-cluster: $1 did not log '$2' in 120 s:" >&2
  tail -20 "$work/logs/$1" >&2
  exit 1
}
# shellcheck disable=SC2206
daemon=(java -Xmx512m $jvm_options -Dspark.master.rest.enabled=false -cp "$home/jars/*")
master_url="spark://${addr[master]}:7077"
on_host master master.log "${daemon[@]}" org.apache.spark.deploy.master.Master --host "${addr[master]}" \
  --port 7077 --webui-port 8080
wait_for_log master.log "I have been elected leader" 1
for w in worker1 worker2; do
  # memory: the executor's heap below (half of CIFAR-10 cached, ~310 MB of floats, plus headroom) and overhead
  on_host "$w" "$w.log" "${daemon[@]}" org.apache.spark.deploy.worker.Worker --host "${addr[$w]}" --port 7078 \
    --webui-port 8081 --cores 1 --memory 3g --work-dir "$work/$w" "$master_url"
done
wait_for_log master.log "Registering worker" 2

# The benchmark's own driver (org.sparklinear.bench.Benchmark) on the cluster, from the driver's host: local mode's
# default heap (submit/local.sh), Spark's settings as system properties (its SparkConf reads them), the job jar
# shipped to the executors. bench_on_cluster NAME BENCHMARK-ARGS...: writes $work/NAME/bench.json.
bench_on_cluster() {
  local name=$1
  shift
  # shellcheck disable=SC2086
  on_host driver "$name.log" timeout 3600 java -Xmx6g $jvm_options \
    -Dlog4j.configurationFile="$root/conf/log4j2.properties" -Dspark.jars="$jar" \
    -Dspark.executor.memory="$executor_memory" -Dspark.executor.cores=1 -Dspark.cores.max=2 \
    -Dspark.driver.host="${addr[driver]}" -Dspark.driver.bindAddress="${addr[driver]}" \
    -Dspark.executor.extraJavaOptions=--add-modules=jdk.incubator.vector \
    -cp "$jar:$(cat "$root/target/classpath.txt")" org.sparklinear.bench.Benchmark --master "$master_url" \
    --out "$work/$name" "$@"
  if ! wait $!; then
    echo "bench-cluster: the $name run failed; its log, $work/logs/$name.log, ends:" >&2
    tail -30 "$work/logs/$name.log" >&2
    exit 1
  fi
}

if $sizing; then
  echo "bench-cluster: the sizing section on $master_url ..." >&2
  bench_on_cluster sizing --sections sizing ${sizing_args[@]+"${sizing_args[@]}"}
  python3 -c 'import json, sys
bench, out, qdisc, delay, rate = sys.argv[1:]
sizing = json.load(open(bench))["sizing"]
sizing["network"] = {"hosts": "master, 2 workers (1 core, 1 executor each), driver: a network namespace each",
                     "qdisc": qdisc, "delay": delay, "rate": rate}
json.dump({"clusterSizing": sizing}, open(out, "w"), indent=2)' "$work/sizing/bench.json" "$out/cluster-sizing.json" \
    "$qdisc" "$applied_delay" "$rate"
  {
    echo
    echo "## Sizing on a network: standalone cluster in network namespaces ($rate, delay $applied_delay, $qdisc)"
    sed -n '/^## Sizing/,$p' "$work/sizing/bench.md" | tail -n +2
  } >> "$out/bench.md"
  echo "bench-cluster: wrote $out/cluster-sizing.json and a section of $out/bench.md" >&2
  exit 0
fi

train_args=(train --data "$data" --overwrite --step-mode jobs --log-every 1)
seconds_since() { awk -v ns=$(($(date +%s%N) - $1)) 'BEGIN { printf "%.2f", ns / 1e9 }'; }
# The executors get the Vector API module as local mode's JVM has it: the Java BLAS computes at the same speed there.
on_cluster() {  # on_cluster NAME H: one training run submitted from the driver's namespace
  local t0
  t0=$(date +%s%N)
  echo "bench-cluster: $1 (--local-steps $2) on $master_url ..." >&2
  on_host driver "$1.log" timeout 3600 "$root/submit/cluster.sh" --master "$master_url" \
    --executor-memory "$executor_memory" --executor-cores 1 --total-executor-cores 2 \
    --conf spark.driver.host="${addr[driver]}" --conf spark.driver.bindAddress="${addr[driver]}" \
    --conf spark.executor.extraJavaOptions=--add-modules=jdk.incubator.vector -- \
    "${train_args[@]}" --model-out "$work/model-$1" --local-steps "$2" --metrics-file "$work/$1.metrics.jsonl"
  if ! wait $!; then
    echo "bench-cluster: the $1 run failed; its log, $work/logs/$1.log, ends:" >&2
    tail -30 "$work/logs/$1.log" >&2
    exit 1
  fi
  seconds_since "$t0" > "$work/$1.wall"
}
on_cluster exact 1
for h in $local_steps; do on_cluster "H$h" "$h"; done

# The time to the target at step resolution, as the benchmark measures it in local mode: its localsteps section on the
# cluster (jobs mode, the defaults at the loss's base learning rate, no search), the validation accuracy every
# --eval-every steps (or at the first round that passes a multiple) with the clock stopped meanwhile; median of 3.
echo "bench-cluster: time to $target at step resolution, exact and --local-steps ${local_steps// /, } ..." >&2
bench_on_cluster steps --data "$data" --sections localsteps --local-steps "1,${local_steps// /,}" --partitions 2 \
  --target "$target" --eval-every "$eval_every"

# The same exact-mode run in one process, outside the namespaces (loopback).
echo "bench-cluster: exact (--local-steps 1) in local[2] ..." >&2
t0=$(date +%s%N)
OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 "$root/submit/local.sh" "${train_args[@]}" --master "local[2]" \
  --model-out "$work/model-local" --local-steps 1 --metrics-file "$work/local.metrics.jsonl" \
  > "$work/logs/local.log" 2>&1 &
local_pid=$!
wait "$local_pid" || { echo "bench-cluster: the local[2] run failed, see $work/logs/local.log" >&2; exit 1; }
local_pid=""
seconds_since "$t0" > "$work/local.wall"

python3 - "$work" "$out" "$target" "$applied_delay" "$delay" "$rate" "$qdisc" "$local_steps" "$eval_every" <<'EOF'
import json, math, statistics, sys
work, out, target, delay, requested_delay, rate, qdisc, local_steps, eval_every = sys.argv[1:]
target = float(target)

def summary(name):
    """Per step (round) time, training time, accuracy and time to the target from a run's metrics file."""
    lines = [json.loads(l) for l in open(f"{work}/{name}.metrics.jsonl") if l.strip()]
    steps = [l for l in lines if l["type"] == "step"]
    epochs = [l for l in lines if l["type"] == "epoch"]
    # a step line per step (round): the gaps inside an epoch, so that validation and the epoch's start are left out
    gaps = [b["seconds"] - a["seconds"] for a, b in zip(steps, steps[1:]) if a["epoch"] == b["epoch"]]
    elapsed, to_target, target_epoch = 0.0, None, None
    for e in epochs:  # epochSeconds: the epoch's steps and its validation pass
        elapsed += e["epochSeconds"]
        if to_target is None and (e["validationAccuracy"] or 0) >= target:
            to_target, target_epoch = elapsed, e["epoch"]
    return {
        "rounds": len(steps),
        "stepsPerRound": round(steps[-1]["step"] / len(steps), 2),
        "millisPerRound": round(1000 * statistics.median(gaps), 1),
        "trainingSeconds": round(elapsed, 2),
        "accuracy": epochs[-1]["validationAccuracy"],
        "epochs": len(epochs),
        "secondsToTarget": None if to_target is None else round(to_target, 2),
        "targetEpoch": target_epoch,
        "epochSecondsMedian": round(statistics.median(e["epochSeconds"] for e in epochs), 2),
        "wallSeconds": float(open(f"{work}/{name}.wall").read()),
    }

exact = summary("exact")
exact["stepMillis"] = exact.pop("millisPerRound")
local = summary("local")
local["stepMillis"] = local.pop("millisPerRound")
H = {}
for h in local_steps.split():
    r = summary(f"H{h}")
    r["roundMillis"] = r.pop("millisPerRound")
    if r["secondsToTarget"] and exact["secondsToTarget"]:
        r["speedupToTargetVsExact"] = round(exact["secondsToTarget"] / r["secondsToTarget"], 2)
    H[f"H{h}"] = r
# the step-resolution runs: the benchmark's localsteps section, H1 being the exact mode; a run that missed the target
# has NaN there, which Jackson writes as the string "NaN"
def missing(t):
    return t is None or isinstance(t, str) or math.isnan(t)

fine = json.load(open(f"{work}/steps/bench.json"))["localSteps"]
steps = {}
for k, r in fine.items():
    if not k.startswith("H"):
        continue
    reached = not missing(r["secondsToTarget"])
    steps[k] = {"secondsToTarget": r["secondsToTarget"] if reached else None,
                "secondsToTargetRuns": r["secondsToTargetRuns"],
                "stepsToTarget": r["stepsToTarget"] if reached else None,
                "accuracyAfterBudget": r["accuracyAfterBudget"], "budgetSeconds": r["budgetSeconds"],
                "millisPerRound": r.get("roundMillis", r.get("stepMillis"))}
for k, r in steps.items():
    if k != "H1" and r["secondsToTarget"] and steps["H1"]["secondsToTarget"]:
        r["speedupToTargetVsExact"] = round(steps["H1"]["secondsToTarget"] / r["secondsToTarget"], 2)
    if k in H:  # the train runs' H list may differ from the benchmark's
        H[k]["stepResolution"] = r
exact["stepResolution"] = steps["H1"]
cluster = {
    "network": {"hosts": "master, 2 workers (1 core, 1 executor each), driver (client mode): a network namespace each",
                "delay": delay, "requestedDelay": requested_delay, "rate": rate, "qdisc": qdisc,
                "meaning": "on every host's link: the one-way delay and the rate of what it sends (a round trip:"
                           " twice the delay)" + ("" if qdisc == "netem" else "; this kernel has no netem, so no"
                                                  " delay was added: tbf limits the rate only")},
    "target": target,
    "targetResolution": "the train runs validate once per epoch: their secondsToTarget are at the end of the first"
                        " epoch at or above the target, including its validation pass and, in the exact mode, the"
                        " learning-rate search (local steps train at the base rate);"
                        " each run's stepResolution is the benchmark's: the defaults at the loss's base learning rate"
                        f" (no search), the validation accuracy every {eval_every} steps (or at the first round past"
                        " a multiple) with the clock stopped meanwhile, median of 3 runs",
    "exact": exact, "localSteps": H, "localMode": local,
}
json.dump({"cluster": cluster}, open(f"{out}/cluster.json", "w"), indent=2)

def row(label, r, per):
    t = "not reached" if r["secondsToTarget"] is None else f"{r['secondsToTarget']:.1f} s (epoch {r['targetEpoch']})"
    return (f"| {label} | {r[per]:.1f} ms | {r['trainingSeconds']:.1f} s | {r['accuracy']:.4f} | {t} "
            f"| {r['wallSeconds']:.1f} s |\n")
md = [f"\n## On a network: standalone cluster in network namespaces\n\n"
      f"A master, two workers (1 core, one executor each) and the driver (client mode, `--step-mode jobs`) as four "
      f"hosts in network namespaces on a bridge, each sending at {rate} with a delay of {delay} ({qdisc}; a round "
      f"trip is twice the delay)"
      + ("" if qdisc == "netem" else f": this kernel has no netem qdisc, so the {requested_delay} delay asked for "
                                     "could not be added")
      + ". Default `train` settings (10 epochs, batch 1024, 2 partitions); validation once per epoch, so "
      f"the time to {target} is at an epoch's end (resolution: one epoch, its validation pass included).\n\n",
      "| run | per step / round | training | validation accuracy | to " + str(target) + " | whole command |\n",
      "| --- | --- | --- | --- | --- | --- |\n",
      row("cluster, exact (`--local-steps 1`), per step", exact, "stepMillis")]
md += [row(f"cluster, `--local-steps {k[1:]}`, per round of {k[1:]} steps", r, "roundMillis") for k, r in H.items()]
md.append(row("local[2], exact, per step", local, "stepMillis"))
md.append(f"\nAt step resolution (the benchmark's own driver on the same cluster, `jobs` mode, the defaults at the "
          f"loss's base learning rate without the search, validation every {eval_every} steps with the clock "
          "stopped; median of 3 runs to the target, accuracy after the full 10 epochs of the first):\n\n"
          f"| run | per step / round | steps to {target} | time to {target} (runs) | against exact | accuracy after 10 "
          "epochs |\n| --- | --- | --- | --- | --- | --- |\n")
for k, r in steps.items():
    label = "exact (`--local-steps 1`)" if k == "H1" else f"`--local-steps {k[1:]}`"
    runs = ", ".join("-" if missing(t) else f"{t:.2f}" for t in r["secondsToTargetRuns"])
    speedup = (f"**{r['speedupToTargetVsExact']:.2f}×**" if "speedupToTargetVsExact" in r
               else "" if k == "H1" else "-")
    to_target = "not reached" if r["secondsToTarget"] is None else f"{r['secondsToTarget']:.2f} s ({runs})"
    md.append(f"| {label} | {r['millisPerRound']:.1f} ms | {r['stepsToTarget'] or '-'} | {to_target} | {speedup} "
              f"| {r['accuracyAfterBudget']:.4f} |\n")
open(f"{out}/bench.md", "a").write("".join(md))
print("".join(md))
EOF
