package dev.spindle.bench.demo;

import java.util.Arrays;

/**
 * The measured run times of one variant in one workload, in milliseconds, with the figures the
 * table and the chart show: the median and the spread (minimum and maximum). Immutable.
 */
public final class RunTimes {

    private final double[] sorted;

    /**
     * The given runs (any order; copied).
     *
     * @throws IllegalArgumentException if {@code millis} is empty or holds a value that is not a
     *     finite, non-negative number (named, with its index)
     */
    public RunTimes(double... millis) {
        if (millis.length == 0) {
            throw new IllegalArgumentException("millis must hold at least one run, was empty");
        }
        for (int i = 0; i < millis.length; i++) {
            if (!(millis[i] >= 0) || Double.isInfinite(millis[i])) {
                throw new IllegalArgumentException("millis[" + i + "] must be a finite time >= 0, was " + millis[i]);
            }
        }
        sorted = millis.clone();
        Arrays.sort(sorted);
    }

    /** How many runs. */
    public int count() {
        return sorted.length;
    }

    /** The fastest run. */
    public double min() {
        return sorted[0];
    }

    /** The middle run, or the mean of the two middle runs of an even count. */
    public double median() {
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    /** The slowest run. */
    public double max() {
        return sorted[sorted.length - 1];
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT, "%.1f [%.1f, %.1f] ms over %d runs", median(), min(), max(), count());
    }
}
