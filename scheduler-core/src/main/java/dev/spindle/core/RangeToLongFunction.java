package dev.spindle.core;

/**
 * The map step of a parallel reduction to {@code long}: the partial result of the indices
 * {@code [lo, hi)}, without boxing.
 */
@FunctionalInterface
public interface RangeToLongFunction {
    /**
     * Computes the partial result of the indices {@code lo} (inclusive) to {@code hi} (exclusive).
     *
     * @param lo the first index
     * @param hi one past the last index; {@code hi > lo}
     * @return the partial result
     */
    long applyAsLong(int lo, int hi);
}
