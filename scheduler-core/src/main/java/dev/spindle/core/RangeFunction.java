package dev.spindle.core;

/**
 * The map step of a parallel reduction: the partial result of the indices {@code [lo, hi)}.
 *
 * @param <R> the type of the partial result
 */
@FunctionalInterface
public interface RangeFunction<R> {
    /**
     * Computes the partial result of the indices {@code lo} (inclusive) to {@code hi} (exclusive).
     *
     * @param lo the first index
     * @param hi one past the last index; {@code hi > lo}
     * @return the partial result
     */
    R apply(int lo, int hi);
}
