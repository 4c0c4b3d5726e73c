package dev.spindle.bench.measure;

import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * Turns JMH's sum of an {@code @AuxCounters(EVENTS)} counter into a mean. JMH 1.37 aggregates such
 * counters with {@code SUM} over every measured iteration of every fork, which is right for counts
 * of events but wrong for a figure that is already per iteration (a peak, a rate per operation).
 * A counter that reports its per-iteration value times {@link #of} sums to the mean instead.
 *
 * <p>This is not a method of the counter classes themselves: JMH reads every public method of an
 * {@code @AuxCounters} class that returns a number as a counter.
 */
public final class IterationWeight {

    private IterationWeight() {
    }

    /** {@code 1 / (measured iterations × forks)}, forks counted as at least one. */
    public static double of(BenchmarkParams params) {
        return 1.0 / ((double) Math.max(1, params.getMeasurement().getCount()) * Math.max(1, params.getForks()));
    }
}
