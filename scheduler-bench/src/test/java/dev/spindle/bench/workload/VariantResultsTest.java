package dev.spindle.bench.workload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.bench.measure.ThreadCensus;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Every variant of every workload computes what the serial variant computes, on tiny sizes. */
class VariantResultsTest {

    /** Small enough to be quick, large enough that the parallel kernels split. */
    private static final int[] SIZES = {100, 33, 160, 7, 130};

    @Test
    void gemmBatch_everyVariant_matchesSerial() {
        GemmBatch batch = new GemmBatch(SIZES, 3);
        double[][] expected = run(batch, Variant.SERIAL);
        for (Variant variant : Variant.values()) {
            double[][] actual = run(batch, variant);
            for (int i = 0; i < SIZES.length; i++) {
                int n = SIZES[i];
                double tolerance = 1e-12 * n;
                for (int e = 0; e < n * n; e++) {
                    assertEquals(expected[i][e], actual[i][e], tolerance, variant.id() + " product " + i + " element " + e);
                }
            }
        }
    }

    private static double[][] run(GemmBatch batch, Variant variant) {
        try (TwoLevelExecution execution = TwoLevelExecution.open(variant, 2, 2)) {
            batch.run(execution);
        }
        double[][] products = new double[SIZES.length][];
        for (int i = 0; i < SIZES.length; i++) {
            products[i] = batch.product(i, variant);
        }
        return products;
    }

    @Test
    void powerMethodBatch_everyVariant_matchesSerial() {
        PowerMethodBatch batch = new PowerMethodBatch(5, 200, 4);
        double[] expected = eigen(batch, Variant.SERIAL);
        int[] iterations = batch.iterations();
        for (int i = 0; i < iterations.length; i++) {
            assertTrue(iterations[i] < PowerMethodBatch.MAX_ITERATIONS, "converged: " + iterations[i]);
        }
        for (Variant variant : EnumSet.complementOf(EnumSet.of(Variant.OJALGO_DEFAULT))) {
            double[] actual = eigen(batch, variant);
            for (int i = 0; i < expected.length; i++) {
                assertEquals(expected[i], actual[i], 1e-9 * Math.abs(expected[i]), variant.id() + " matrix " + i);
            }
        }
    }

    @Test
    void powerMethodBatch_agreesWithTheLibrarysPowerMethod() {
        PowerMethodBatch batch = new PowerMethodBatch(1, 64, 5);
        double ours = eigen(batch, Variant.SERIAL)[0];
        double theirs = dev.spindle.linalg.PowerMethod.largestEigenvalue(batch.matrix(0), 64).value();
        assertEquals(theirs, ours, 1e-8 * Math.abs(theirs));
    }

    private static double[] eigen(PowerMethodBatch batch, Variant variant) {
        try (TwoLevelExecution execution = TwoLevelExecution.open(variant, 2, 2)) {
            batch.run(execution);
        }
        return batch.eigenvalues();
    }

    @Test
    void memoryBoundKernels_singleLevelVariants_matchSerial() {
        MemoryBoundKernels kernels = new MemoryBoundKernels(100_003, 64);
        Set<Variant> variants = EnumSet.of(Variant.SERIAL, Variant.OUTER_ONLY, Variant.FJP_NESTED, Variant.SPINDLE);
        double expected;
        try (TwoLevelExecution serial = TwoLevelExecution.open(Variant.SERIAL, 2, 2)) {
            expected = kernels.dot(serial);
        }
        for (Variant variant : variants) {
            try (TwoLevelExecution execution = TwoLevelExecution.open(variant, 2, 2)) {
                kernels.copy(execution);                  // y = x
                double xx = kernels.dot(execution);
                kernels.fill(execution, 1.0);             // back to the initial y
                assertEquals(expected, kernels.dot(execution), 0.0, variant.id());
                assertTrue(xx > expected, variant.id());  // x·x > x·1 since x has entries above 1
            }
        }
    }

    @Test
    void naiveNested_hasNPlusNSquaredThreads_fromTheStart() {
        int before = ThreadCensus.liveThreads();
        try (TwoLevelExecution execution = TwoLevelExecution.open(Variant.NAIVE_NESTED, 3, 2)) {
            assertTrue(ThreadCensus.liveThreads() - before >= 3 + 9, "threads: " + (ThreadCensus.liveThreads() - before));
        }
    }

    @Test
    void batchSizes_skewedHasOneLargeItemInTheMiddle_andBalancedTheSameFlops() {
        int[] skewed = BatchSizes.skewed(48, 128);
        assertEquals(49, skewed.length);
        assertEquals(Math.round(128 * Math.cbrt(3 * 48)), skewed[24]);
        double large = Math.pow(skewed[24], 3);
        assertTrue(Math.abs(large / (BatchSizes.multiplyAdds(skewed) - large) - 3) < 0.03,
                "the large item has three times the flops of the small ones");
        int[] balanced = BatchSizes.balancedLike(48, 128);
        assertEquals(49, balanced.length);
        double ratio = BatchSizes.multiplyAdds(balanced) / BatchSizes.multiplyAdds(skewed);
        assertTrue(Math.abs(ratio - 1) < 0.03, "flops ratio " + ratio);
    }
}
