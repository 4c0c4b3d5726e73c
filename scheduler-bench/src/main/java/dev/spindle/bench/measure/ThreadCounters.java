package dev.spindle.bench.measure;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * JMH secondary results for the composability benchmarks: per measured iteration, the peak live
 * Java threads (absolute and above the baseline), and the voluntary and involuntary context switches
 * per operation, from {@link ThreadCensus}. The census is read at the iteration's set-up and
 * tear-down only, never inside the measured loop.
 *
 * <p>JMH adds up {@code EVENTS} counters over every measured iteration of every fork (JMH 1.37
 * aggregates them with {@code SUM}), so each iteration contributes its value times
 * {@link IterationWeight}: the reported figure is then the mean over iterations, the same with
 * {@code -i 1} as with {@code -i 5}.
 *
 * <p>The baseline is the live thread count a benchmark records with {@link #recordBaseline()} at the
 * start of its trial set-up, before it creates any pool: the JVM's and JMH's own threads. A
 * benchmark method must call {@link #operationDone()} once per operation.
 */
@AuxCounters(AuxCounters.Type.EVENTS)
@State(Scope.Thread)
public class ThreadCounters {

    private static volatile int baselineThreads = -1;

    /** Peak live Java threads during the iteration. */
    public double peakThreads;
    /** {@link #peakThreads} minus the baseline: the threads the variant added. */
    public double peakThreadsAboveBaseline;
    /** Voluntary context switches per operation, summed over all threads. */
    public double voluntarySwitchesPerOp;
    /** Involuntary context switches per operation, summed over all threads. */
    public double involuntarySwitchesPerOp;

    private ThreadCensus.Window window;
    private long operations;

    /** Records the live thread count as the baseline; call before creating the pools under test. */
    public static void recordBaseline() {
        baselineThreads = ThreadCensus.liveThreads();
    }

    /** Counts one operation (a field increment: no census I/O). */
    public void operationDone() {
        operations++;
    }

    @Setup(Level.Iteration)
    public void openWindow() {
        operations = 0;
        int baseline = baselineThreads;
        window = ThreadCensus.open(baseline >= 0 ? baseline : ThreadCensus.liveThreads());
    }

    @TearDown(Level.Iteration)
    public void closeWindow(BenchmarkParams params) {
        ThreadCensus.Census census = window.close();
        long ops = Math.max(1, operations);
        double weight = IterationWeight.of(params);
        peakThreads = census.peakThreads() * weight;
        peakThreadsAboveBaseline = census.peakThreadsAboveBaseline() * weight;
        voluntarySwitchesPerOp = (double) census.switches().voluntary() / ops * weight;
        involuntarySwitchesPerOp = (double) census.switches().involuntary() / ops * weight;
    }

}
