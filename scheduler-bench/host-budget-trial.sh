#!/bin/sh
# Starts JVMS JVMs (default 4), each with parallelism equal to the cores, running fib(FIB)
# (default 30) and a nested parallel loop, first without a host budget and then all naming one;
# prints total time, peak and mean running worker threads and involuntary context switches of
# each run (docs/design/host-budget.md, "Measuring it"). Build first:
#   mvn -q -pl scheduler-bench -am package -DskipTests
# Extra JVM options for the driver (e.g. -Dspindle.hostBudget.cores=1) go in HOST_BUDGET_OPTS.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
jar="$here/target/benchmarks.jar"
[ -f "$jar" ] || { echo "no $jar: build it first (see the comment at the top of $0)" >&2; exit 2; }
exec java ${HOST_BUDGET_OPTS:-} -jar "$jar" host-budget "${1:-4}" "${2:-30}"
