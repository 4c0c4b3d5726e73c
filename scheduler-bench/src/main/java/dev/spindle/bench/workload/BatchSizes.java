package dev.spindle.bench.workload;

import java.util.Arrays;

/**
 * The matrix orders of a batch of products, in the order the batch lists them (W1, W3).
 *
 * <p>{@link #skewed}: many small products and one large one with {@value #LARGE_TO_SMALL_FLOPS}
 * times the flops of all the small ones together (three quarters of the batch), listed in the
 * middle of the batch. This is the shape of, for example, the blocks of a block-diagonal system
 * with one giant component: the large item is not first (a pool that takes items in order cannot
 * start it early) and not last (that would be the worst case for such a pool); the middle is where
 * a random position lands on average. The large item must hold well over half of the batch's
 * <em>time</em>, not only of its flops, or a pool of two threads balances the batch by itself:
 * small products run at a lower rate than large ones, and with equal flops the large item held
 * only about 40% of the serial time (measured; {@code docs/benchmarks.md#composability-workloads}). {@link #balancedLike} has
 * the same number of items and (to rounding) the same total flops, all equal, so the two shapes
 * differ only in the skew.
 */
public final class BatchSizes {

    /** The large item's flops over those of all the small items together, in {@link #skewed}. */
    public static final int LARGE_TO_SMALL_FLOPS = 3;

    private BatchSizes() {
    }

    /** {@code count} products of order {@code n}. */
    public static int[] uniform(int count, int n) {
        if (count < 1 || n < 1) {
            throw new IllegalArgumentException("count and n must be >= 1, was count=" + count + ", n=" + n);
        }
        int[] sizes = new int[count];
        Arrays.fill(sizes, n);
        return sizes;
    }

    /**
     * {@code smallCount} products of order {@code smallN} and one of order
     * {@code round(smallN · cbrt(3 · smallCount))} (three times the flops of all the small ones),
     * placed at index {@code smallCount / 2}.
     */
    public static int[] skewed(int smallCount, int smallN) {
        if (smallCount < 1 || smallN < 1) {
            throw new IllegalArgumentException("smallCount and smallN must be >= 1, was smallCount=" + smallCount
                    + ", smallN=" + smallN);
        }
        int[] sizes = new int[smallCount + 1];
        Arrays.fill(sizes, smallN);
        sizes[smallCount / 2] = (int) Math.round(smallN * Math.cbrt((double) LARGE_TO_SMALL_FLOPS * smallCount));
        return sizes;
    }

    /** As many products as {@link #skewed} gives, all of one order, with the same total flops (rounded). */
    public static int[] balancedLike(int smallCount, int smallN) {
        int[] skewed = skewed(smallCount, smallN);
        double flops = 0;
        for (int n : skewed) {
            flops += (double) n * n * n;
        }
        return uniform(skewed.length, (int) Math.round(Math.cbrt(flops / skewed.length)));
    }

    /** Total multiply-adds, {@code Σ n³}. */
    public static double multiplyAdds(int[] sizes) {
        double total = 0;
        for (int n : sizes) {
            total += (double) n * n * n;
        }
        return total;
    }
}
