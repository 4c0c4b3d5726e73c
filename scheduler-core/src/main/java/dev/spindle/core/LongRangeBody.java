package dev.spindle.core;

/**
 * The body of a parallel loop over a {@code long} range: called with consecutive sub-ranges
 * {@code [lo, hi)}.
 */
@FunctionalInterface
public interface LongRangeBody {
    /**
     * Processes the indices {@code lo} (inclusive) to {@code hi} (exclusive).
     *
     * @param lo the first index
     * @param hi one past the last index; {@code hi > lo}
     */
    void run(long lo, long hi);
}
