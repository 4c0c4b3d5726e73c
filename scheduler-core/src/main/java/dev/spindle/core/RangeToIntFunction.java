package dev.spindle.core;

/**
 * The map step of a parallel reduction to {@code int}: the partial result of the indices
 * {@code [lo, hi)}, without boxing.
 */
@FunctionalInterface
public interface RangeToIntFunction {
    /**
     * Computes the partial result of the indices {@code lo} (inclusive) to {@code hi} (exclusive).
     *
     * @param lo the first index
     * @param hi one past the last index; {@code hi > lo}
     * @return the partial result
     */
    int applyAsInt(int lo, int hi);
}
