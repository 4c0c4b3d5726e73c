package dev.spindle.bench.workload;

/**
 * W4: loops that memory bandwidth, not cores, limits — fill an array, copy it, and the dot product
 * of two long vectors. The arrays are cut into {@code chunks} equal ranges that are the items of a
 * {@link TwoLevelExecution}'s outer level (serial, outer-only, fjp-nested and spindle make sense
 * here; there is no inner level). The point is honesty: parallel variants should reach the
 * bandwidth ceiling and no further, and Spindle should reach it too.
 *
 * <p>The dot product sums each chunk's partial sum in chunk order, so its result does not depend
 * on the variant. Not thread-safe: one operation at a time.
 */
public final class MemoryBoundKernels {

    private final double[] x;
    private final double[] y;
    private final double[] partialSums;
    private final int chunks;

    /** Two arrays of {@code length} doubles, cut into {@code chunks} ranges. */
    public MemoryBoundKernels(int length, int chunks) {
        if (length < 1 || chunks < 1 || chunks > length) {
            throw new IllegalArgumentException("need 1 <= chunks <= length, was length=" + length
                    + ", chunks=" + chunks);
        }
        this.x = new double[length];
        this.y = new double[length];
        this.chunks = chunks;
        this.partialSums = new double[chunks];
        for (int i = 0; i < length; i++) {
            x[i] = (i % 7) * 0.25;
            y[i] = 1.0;
        }
    }

    private int lo(int chunk) {
        return (int) ((long) x.length * chunk / chunks);
    }

    /** {@code y[i] = value} for every i. */
    public void fill(TwoLevelExecution execution, double value) {
        execution.forEachItem(chunks, chunk -> java.util.Arrays.fill(y, lo(chunk), lo(chunk + 1), value));
    }

    /** {@code y[i] = x[i]} for every i. */
    public void copy(TwoLevelExecution execution) {
        execution.forEachItem(chunks, chunk -> System.arraycopy(x, lo(chunk), y, lo(chunk), lo(chunk + 1) - lo(chunk)));
    }

    /** {@code xᵀy}. */
    public double dot(TwoLevelExecution execution) {
        execution.forEachItem(chunks, chunk -> {
            double s0 = 0;
            double s1 = 0;
            double s2 = 0;
            double s3 = 0;
            int i = lo(chunk);
            int end = lo(chunk + 1);
            for (; i + 3 < end; i += 4) {
                s0 += x[i] * y[i];
                s1 += x[i + 1] * y[i + 1];
                s2 += x[i + 2] * y[i + 2];
                s3 += x[i + 3] * y[i + 3];
            }
            for (; i < end; i++) {
                s0 += x[i] * y[i];
            }
            partialSums[chunk] = (s0 + s1) + (s2 + s3);
        });
        double sum = 0;
        for (double s : partialSums) {
            sum += s;
        }
        return sum;
    }

    /** Bytes one {@link #fill} writes. */
    public long fillBytes() {
        return 8L * y.length;
    }

    /** Bytes one {@link #copy} or {@link #dot} moves (two arrays). */
    public long twoArrayBytes() {
        return 16L * x.length;
    }
}
