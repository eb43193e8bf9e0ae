#!/usr/bin/env bash
# The benchmark's "defaults" section: data sets of different sizes and shapes, built here (CIFAR-10 subsets of 500 to
# 10,000 images tested on 2,000 others, a grey 16x16 variant, scikit-learn's 8x8 digits, the project's samples tested
# on a second draw of them), each trained by `train` with the defaults only, softmax and hinge, and compared with a
# converged L2 multinomial logistic regression on the same split (scikit-learn, lbfgs, C=1, standardised features).
# Writes OUT/defaults.json and OUT/defaults.md; bench.sh adds them to bench.json (key "defaults") and bench.md.
#   submit/bench-defaults.sh [--data CIFAR_DIR] [--out DIR]      (or: submit/bench.sh --only defaults)
# Needs numpy and scikit-learn (and Pillow for the samples), installed from the local Python index when missing;
# without them the section says so and writes no figures. About 5 minutes on 2 cores.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
data="$root/../shared/data/cifar10"
out="$root/target/bench"
while [ $# -gt 0 ]; do
  case "$1" in
    --data) data=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    *) echo "bench-defaults.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
suite="$out/defaults-suite"
# the suite's folder is rebuilt from scratch: never when the data lies in it
case "$(realpath -m "$data")/" in
  "$(realpath -m "$suite")/"*) echo "bench-defaults.sh: --data $data lies inside $suite; choose another --out" >&2; exit 2 ;;
esac
mkdir -p "$out"
rm -rf "$suite"
mkdir -p "$suite"
log="$out/defaults.log"
: > "$log"

if ! python3 -c 'import numpy, sklearn, PIL' 2>/dev/null \
    && ! python3 -m pip install --quiet numpy scikit-learn pillow >&2 2>>"$log"; then
  echo "numpy, scikit-learn or Pillow is missing and cannot be installed: no defaults section" >&2
  printf '{"skipped": "numpy, scikit-learn or Pillow is missing and could not be installed"}\n' > "$out/defaults.json"
  printf '\n## Defaults against a converged reference\n\nSkipped: numpy, scikit-learn or Pillow is missing.\n' \
    > "$out/defaults.md"
  exit 0
fi

# the data sets: name, train, test, description (tab-separated)
python3 "$root/submit/defaults-suite.py" build "$data" "$suite" > "$suite/sets.tsv"
if [ ! -d "$data" ]; then
  echo "no CIFAR-10 at $data: the suite has no CIFAR-10 subsets" >&2
fi
"$root/submit/local.sh" generate-samples --out "$suite/samples-test" --seed 7 >/dev/null 2>>"$log"
printf 'samples\t%s\t%s\t%s\n' "$root/data-samples/images" "$suite/samples-test/images" \
  "the project's samples: 300 images of 5 synthetic classes, RGB 32x32 (PNG folders)" >> "$suite/sets.tsv"

seconds() {  # wall time of a command, JVM start included
  local t0 t1
  t0=$(date +%s%N)
  "$@" >/dev/null 2>>"$log"
  t1=$(date +%s%N)
  awk -v ns=$((t1 - t0)) 'BEGIN { printf "%.2f", ns / 1e9 }'
}
accuracy() {  # test accuracy of model $1 on $2
  "$root/submit/local.sh" evaluate --model "$1" --data "$2" --json 2>>"$log" \
    | python3 -c 'import json, sys; print("%.4f" % json.load(sys.stdin)["accuracy"])'
}

results="$suite/results.tsv"
: > "$results"
while IFS=$'\t' read -r name train test what; do
  echo "defaults: $name ($what)" >&2
  reference=$(python3 "$root/submit/defaults-suite.py" reference "$train" "$test" 2>>"$log")
  for loss in softmax hinge; do
    model="$suite/models/$name-$loss"
    wall=$(seconds "$root/submit/local.sh" train --data "$train" --model-out "$model" --overwrite --loss "$loss")
    acc=$(accuracy "$model" "$test")
    lr=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["trainingConfiguration"]["lr"])' \
      "$model/metadata.json")
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$what" "$loss" "$acc" "$reference" "$wall" "$lr" >> "$results"
  done
done < "$suite/sets.tsv"

python3 - "$results" "$out/defaults.json" "$out/defaults.md" <<'PY'
import json, sys
results, json_path, md_path = sys.argv[1:]
sets = {}
for line in open(results):
    name, what, loss, acc, ref, wall, lr = line.rstrip("\n").split("\t")
    s = sets.setdefault(name, {"name": name, "data": what, "referenceAccuracy": float(ref)})
    s[loss] = {"accuracy": float(acc), "gap": round(float(acc) - float(ref), 4), "trainSeconds": float(wall),
               "chosenLearningRate": float(lr)}
report = {"reference": "scikit-learn LogisticRegression (multinomial, L2, C=1, lbfgs to convergence) on"
                       " standardised features, fitted on the same training split",
          "ours": "train with the defaults only (no option but --loss), wall time with JVM start",
          "target": "every set within 1 point of the reference (gap >= -0.01)",
          "sets": list(sets.values())}
report["worstGap"] = min(s[l]["gap"] for s in report["sets"] for l in ("softmax", "hinge"))
json.dump(report, open(json_path, "w"), indent=2)
with open(md_path, "w") as md:
    md.write("\n## Defaults against a converged reference\n\n"
             "`train` with the defaults only against scikit-learn's converged L2 multinomial logistic regression on"
             " the same split (test accuracy; gap = ours - reference; our wall time with JVM start).\n\n"
             "| data | reference | softmax | gap | s | hinge | gap | s |\n| --- | --- | --- | --- | --- | --- | --- | --- |\n")
    for s in report["sets"]:
        md.write("| %s | %.4f | %.4f | %+.4f | %.1f | %.4f | %+.4f | %.1f |\n" % (
            s["data"], s["referenceAccuracy"], s["softmax"]["accuracy"], s["softmax"]["gap"],
            s["softmax"]["trainSeconds"], s["hinge"]["accuracy"], s["hinge"]["gap"], s["hinge"]["trainSeconds"]))
PY
cat "$out/defaults.md"
