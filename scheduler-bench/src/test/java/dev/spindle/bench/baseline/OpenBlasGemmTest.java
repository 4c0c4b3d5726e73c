package dev.spindle.bench.baseline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.bench.measure.BusyThreads;
import dev.spindle.bench.workload.GemmBatch;
import dev.spindle.linalg.SerialBlas;
import dev.spindle.linalg.Transpose;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The OpenBLAS baseline of GemmBenchmark: both ways of passing operands compute the product, the
 * thread count is set and read back, bad arguments are refused, and the busy-thread count sees the
 * calling thread.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class OpenBlasGemmTest {

    private static final int N = 96;

    @Test
    void bothOperandKinds_computeTheProduct() {
        OpenBlasLibrary library = OpenBlasLibrary.load();
        assertFalse(library.coreName().isEmpty(), "no core name");
        assertTrue(library.config().contains("OpenBLAS"), library.config());
        SplittableRandom random = new SplittableRandom(7);
        double[] a = GemmBatch.randomMatrix(random, N);
        double[] b = GemmBatch.randomMatrix(random, N);
        double[] expected = new double[N * N];
        SerialBlas.dgemm(Transpose.NO_TRANSPOSE, Transpose.NO_TRANSPOSE, N, N, N, 1.0, a, 0, N, b, 0, N, 0.0, expected,
                0, N);
        for (OpenBlasGemm.Operands operands : OpenBlasGemm.Operands.values()) {
            try (OpenBlasGemm gemm = new OpenBlasGemm(library, N, a, b, operands)) {
                gemm.multiply();
                gemm.verify(N);
                for (int i = 0; i < N; i++) {
                    for (int j = 0; j < N; j++) {
                        assertEquals(expected[i * N + j], gemm.product(i, j), 1e-9, operands + " at " + i + "," + j);
                    }
                }
            }
        }
    }

    @Test
    void threadCount_isSetAndReadBack_andBelowOneIsRefused() {
        OpenBlasLibrary library = OpenBlasLibrary.load();
        int before = library.threads();
        try {
            library.useThreads(1);
            assertEquals(1, library.threads());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> library.useThreads(0));
            assertTrue(e.getMessage().contains("threads") && e.getMessage().contains("0"), e.getMessage());
            assertEquals(1, library.threads(), "a refused count changed the setting");
        } finally {
            library.useThreads(before);
        }
    }

    @Test
    void badOperands_areRefusedWithTheirSizes() {
        OpenBlasLibrary library = OpenBlasLibrary.load();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new OpenBlasGemm(library, 4, new double[16], new double[15], OpenBlasGemm.Operands.OFF_HEAP));
        assertTrue(e.getMessage().contains("16") && e.getMessage().contains("15"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> new OpenBlasGemm(library, 0, new double[0], new double[0], OpenBlasGemm.Operands.JAVA_ARRAYS));
    }

    @Test
    void busyThreads_countsTheCallerWhileItComputes() {
        double[] shares = BusyThreads.during(() -> {
            long end = System.nanoTime() + 100_000_000L;
            double sink = 0;
            while (System.nanoTime() < end) {
                sink += Math.sqrt(sink + 1);
            }
            assertTrue(sink > 0);
        });
        if (shares.length > 0 || java.nio.file.Files.isDirectory(java.nio.file.Path.of("/proc/self/task"))) {
            assertTrue(shares.length >= 1 && shares[0] > 0, "the spinning caller was not seen: "
                    + java.util.Arrays.toString(shares));
            assertEquals(BusyThreads.busy(shares), (int) java.util.Arrays.stream(shares).filter(s -> s >= 0.5).count());
        }
    }
}
