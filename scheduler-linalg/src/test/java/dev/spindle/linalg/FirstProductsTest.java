package dev.spindle.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.core.Scheduler;
import dev.spindle.core.testing.ChildJvm;
import dev.spindle.linalg.internal.BlockSizes;
import dev.spindle.linalg.internal.Gemm;
import dev.spindle.linalg.internal.MatrixOperand;
import dev.spindle.linalg.internal.kernel.MicroKernel;
import dev.spindle.linalg.internal.kernel.MicroKernels;
import dev.spindle.linalg.testing.NaiveBlas;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * In the default setting a fresh JVM's first products run on the portable kernel and the later
 * ones on the Vector API kernel, once C2 has compiled it or the warm-up's switch budget has run
 * out (so the switch comes on a loaded machine too): each product on one kernel throughout
 * (its bits are those of that kernel's product), the switch made once and never back, and the
 * warm-up thread gone afterwards. Runs fresh JVMs (this one pins the kernel), on JDK 17 and 25
 * where installed, each bounded to 50 s.
 */
class FirstProductsTest {

    /**
     * Products until a few after the warm-up has answered, then which kernel each one matched (the
     * references are computed last, so the Vector API kernel is cold when the first product starts),
     * and whether the warm-up thread ended.
     */
    public static void main(String[] args) throws InterruptedException {
        // Over kc's ceiling (384), so both kernels' sums span kc blocks of their own sizes and
        // (as a rule) round apart; where they still round alike, the kernel each product reported
        // stands in for its bits.
        int n = 600;
        SplittableRandom random = new SplittableRandom(5);
        double[] a = NaiveBlas.random(random, n * n);
        double[] b = NaiveBlas.random(random, n * n);
        List<Integer> checksums = new ArrayList<>();
        List<String> reported = new ArrayList<>();
        int afterTheSwitch = 0;
        long deadline = System.nanoTime() + 40_000_000_000L;
        while (afterTheSwitch < 5 && System.nanoTime() - deadline < 0) {
            double[] c = new double[n * n];
            // the kernel this product is about to get (the switch is one-way, so the labels keep its order)
            reported.add(MicroKernels.currentProductKernel() == MicroKernels.vectorOrNull() ? "vector" : "portable");
            Blas.dgemm(Transpose.NO_TRANSPOSE, Transpose.NO_TRANSPOSE, n, n, n, 1, a, 0, n, b, 0, n, 0, c, 0, n);
            checksums.add(Arrays.hashCode(c));
            if (MicroKernels.currentProductKernel() == MicroKernels.vectorOrNull()) {
                afterTheSwitch++;
            }
        }
        int portable = Arrays.hashCode(product(MicroKernels.portable(), n, a, b));
        int vector = Arrays.hashCode(product(MicroKernels.vectorOrNull(), n, a, b));
        List<String> kernels = new ArrayList<>();
        for (int i = 0; i < checksums.size(); i++) {
            int checksum = checksums.get(i);
            String kernel = portable == vector ? (checksum == portable ? reported.get(i) : "neither")
                    : checksum == portable ? "portable" : checksum == vector ? "vector" : "neither";
            if (kernels.isEmpty() || !kernels.get(kernels.size() - 1).equals(kernel)) {
                kernels.add(kernel);
            }
        }
        long warmUpThreadGone = System.nanoTime() + 10_000_000_000L;
        while (warmUpThreadAlive() && System.nanoTime() - warmUpThreadGone < 0) {
            Thread.sleep(10);
        }
        System.out.println(String.join(",", kernels));
        System.out.println("warm-up thread alive: " + warmUpThreadAlive());
    }

    private static double[] product(MicroKernel kernel, int n, double[] a, double[] b) {
        double[] c = new double[n * n];
        try (Scheduler one = Scheduler.builder().parallelism(1).name("first-products").build()) {
            Gemm.multiply(one, kernel, BlockSizes.ofMachine(kernel), n, n, n, 1,
                    MatrixOperand.checked("A", false, a, 0, n, "n", n, "n", n),
                    MatrixOperand.checked("B", false, b, 0, n, "n", n, "n", n), 0,
                    MatrixOperand.checked("C", false, c, 0, n, "n", n, "n", n));
        }
        return c;
    }

    private static boolean warmUpThreadAlive() {
        return Thread.getAllStackTraces().keySet().stream()
                .anyMatch(thread -> thread.getName().equals("spindle-vector-kernel-warmup"));
    }

    @Test
    void theFirstProductsRunPortable_thenEveryProductRunsOnTheCompiledVectorKernel()
            throws IOException, InterruptedException {
        for (String javaHome : ChildJvm.javaHomes()) {
            List<String> command = new ArrayList<>(List.of(ChildJvm.java(javaHome), "--add-modules",
                    "jdk.incubator.vector", "-cp", System.getProperty("java.class.path"),
                    FirstProductsTest.class.getName()));
            ChildJvm.Result result = ChildJvm.run(command, Map.of(), 50);
            assertEquals(0, result.exitCode(), result::toString);
            List<String> lines = result.output().lines().skip(1).filter(line -> !line.startsWith("WARNING"))
                    .toList();
            assertEquals("portable,vector", lines.get(0), result::toString);
            assertEquals("warm-up thread alive: false", lines.get(1), result::toString);
        }
    }
}
