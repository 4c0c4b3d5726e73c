#!/usr/bin/env bash
# Scaling sweep: fib (every call a task, Spindle and ForkJoinPool), the nested batches W1-W3
# (Spindle and a fixed pool over the items) and one GEMM (n = 1024) at 1, 2, 4, ... workers up to
# the CPUs this machine has, then scaling.md (times, speedups, Spindle over its baseline) and
# scaling.png (speedup against workers) in the output directory.
#
# Build first:  mvn -q -pl scheduler-bench -am package -DskipTests
# Usage:        scheduler-bench/scaling/scaling.sh [--workers "1 2 4"] [--max N] [--out DIR]
#   --workers   the worker counts to measure (default: powers of two up to --max, and --max)
#   --max       the largest count (default: nproc)
#   --out       where the CSV files, the JMH log and the report go (default: scaling/out)
# Environment:  JAVA (default: java), JMH_TIMING (default: -f 1 -wi 3 -i 5 -w 1 -r 1) and
#               FIB_TIMING (default: -f 1 -wi 6 -i 5 -w 1 -r 1: fib's first ~4 s run slow),
#               GEMM_IMPL (default: spindle-vector, a GemmBenchmark impl).
#
# Cost: each worker count is 9 JMH forks (fib x 2 schedulers, W1/W2/W3 x 2 variants, GEMM), each
# 1-2 s of JVM start and set-up plus 8 s (fib 11 s) of 1-s iterations: about 95 s per count, so
# 1..16 (5 counts) takes about 8 minutes, 1..64 (7 counts) about 11, 1..128 (8 counts) about 13.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
jar="$here/../target/benchmarks.jar"
java=${JAVA:-java}
timing=${JMH_TIMING:--f 1 -wi 3 -i 5 -w 1 -r 1}
fib_timing=${FIB_TIMING:--f 1 -wi 6 -i 5 -w 1 -r 1}
gemm_impl=${GEMM_IMPL:-spindle-vector}
max=$(nproc)
workers=""
out="$here/out"

while [ $# -gt 0 ]; do
  case "$1" in
    --workers) workers=${2:?--workers needs a list, e.g. \"1 2 4\"}; shift 2 ;;
    --max) max=${2:?--max needs a number}; shift 2 ;;
    --out) out=${2:?--out needs a directory}; shift 2 ;;
    -h|--help) sed -n '2,18p' "$0"; exit 0 ;;
    *) echo "unknown argument '$1' (try --help)" >&2; exit 2 ;;
  esac
done

case "$max" in
  ''|*[!0-9]*|0) echo "--max must be a positive whole number, was '$max'" >&2; exit 2 ;;
esac
if [ -z "$workers" ]; then
  p=1
  while [ "$p" -lt "$max" ]; do workers="$workers $p"; p=$((p * 2)); done
  workers="$workers $max"
fi
list=""
count=0
for p in $workers; do
  case "$p" in
    ''|*[!0-9]*|0) echo "worker counts must be positive whole numbers, was '$p' in '$workers'" >&2; exit 2 ;;
  esac
  list="${list:+$list,}$p"
  count=$((count + 1))
done
[ -f "$jar" ] || { echo "no $jar: build it first (see the top of $0)" >&2; exit 2; }

mkdir -p "$out"
log="$out/jmh.log"
: > "$log"
commit=$(git -C "$here" describe --always --dirty 2>/dev/null || echo unknown)
echo "scaling sweep at workers $list ($count counts, about $((count * 95 / 60 + 1)) min); log: $log"

# JMH writes the CSV from its own JVM: a locale with a decimal comma would break the file.
jmh() {
  local name=$1 times=$2; shift 2
  echo "  $(date -u +%H:%M:%S) $name: $times"
  "$java" -Duser.language=en -Duser.country=US -jar "$jar" "$@" $times \
      -rf csv -rff "$out/$name.csv" >> "$log" 2>&1 \
    || { echo "JMH failed for $name; the end of $log:" >&2; tail -n 30 "$log" >&2; exit 1; }
}

jmh fib "$fib_timing" '\.ForkJoinFibBenchmark\.fib$' -p scheduler=spindle,forkjoinpool -p n=30 -p parallelism="$list"
jmh batches "$timing" '\.BatchScalingBenchmark\.batch$' -p workload=w1,w2,w3-skewed -p variant=spindle,outer-only \
    -p workers="$list"
jmh gemm "$timing" '\.GemmBenchmark\.multiply$' -p impl="$gemm_impl" -p n=1024 -p workers="$list"

"$java" -cp "$jar" dev.spindle.bench.measure.ScalingReport --out "$out" --commit "$commit" \
    --command "scheduler-bench/scaling/scaling.sh --workers \"${workers# }\"  # JMH fib: $fib_timing; others: $timing" \
    "$out/fib.csv" "$out/batches.csv" "$out/gemm.csv"
echo "wrote $out/scaling.md and $out/scaling.png"
