package dev.spindle.bench.core;

import dev.spindle.bench.measure.BenchmarkParams;
import dev.spindle.bench.workload.ForkJoinFib;
import dev.spindle.bench.workload.NestedRowUpdate;
import dev.spindle.core.Scheduler;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What a named host budget costs inside one JVM that has the budget to itself: fib(n) (W5's
 * fork/join) and a nested parallel loop (outer rows, inner {@code forRange}), on a scheduler built
 * with and without {@code spindle.hostBudget} set, chosen by the {@code budget} parameter (the
 * baseline is {@code none}). The budget has as many tokens as the scheduler has workers, so any
 * difference is the tokens' bookkeeping (a lock and an unlock per idle period, a clock read per
 * task taken from a queue or a steal), not a smaller pool. {@code docs/design/host-budget.md}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@State(Scope.Benchmark)
public class HostBudgetCostBenchmark {

    /** {@code none} (the baseline) or {@code named}: a budget of this JMH fork's own. */
    @Param({"none", "named"})
    public String budget;

    /** {@code fib} (fib(27), fork/join) or {@code nested} (256 rows × 8192, inner forRange). */
    @Param({"fib", "nested"})
    public String workload;

    private Scheduler scheduler;
    private double[][] rows;

    @Setup
    public void start() {
        BenchmarkParams.requireOneOf("budget", budget, "none", "named");
        BenchmarkParams.requireOneOf("workload", workload, "fib", "nested");
        int parallelism = Runtime.getRuntime().availableProcessors();
        if (budget.equals("named")) {
            // Read when the scheduler is built; a name of this process's own, so that no other
            // JVM (or an earlier fork) shares the tokens.
            System.setProperty("spindle.hostBudget", "jmh-" + ProcessHandle.current().pid());
            System.setProperty("spindle.hostBudget.cores", Integer.toString(parallelism));
        }
        try {
            scheduler = Scheduler.builder().parallelism(parallelism).name("bench").build();
        } finally {
            System.clearProperty("spindle.hostBudget");
            System.clearProperty("spindle.hostBudget.cores");
        }
        rows = new double[256][8192];
    }

    @TearDown
    public void stop() {
        scheduler.close();
    }

    @Benchmark
    public Object run() {
        if (workload.equals("fib")) {
            return scheduler.invoke(() -> ForkJoinFib.onSpindle(scheduler, 27));
        }
        NestedRowUpdate.run(scheduler, rows, 256);
        return rows;
    }
}
