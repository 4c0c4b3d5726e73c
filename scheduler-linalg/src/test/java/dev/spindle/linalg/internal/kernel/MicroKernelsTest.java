package dev.spindle.linalg.internal.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.core.testing.ChildJvm;
import dev.spindle.linalg.Blas;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Kernel selection, and the kernels' two entry points against each other. */
class MicroKernelsTest {

    /** The child of the test without C2: the kernel {@code auto} selects, and why. */
    public static void main(String[] args) {
        System.out.println("kernel " + Blas.gemmKernel());
        System.out.println("reason " + Blas.gemmKernelReason());
    }

    @Test
    void withoutC2_autoSelectsThePortableKernel_andSaysWhy() throws IOException, InterruptedException {
        for (String flag : List.of("-XX:TieredStopAtLevel=1", "-Xint")) {
            List<String> command = List.of(ChildJvm.java(System.getProperty("java.home")), flag, "--add-modules",
                    "jdk.incubator.vector", "-cp", System.getProperty("java.class.path"), MicroKernelsTest.class.getName());
            ChildJvm.Result result = ChildJvm.run(command, Map.of(), 25);
            assertEquals(0, result.exitCode(), result::toString);
            assertTrue(result.output().lines().anyMatch(line -> line.startsWith("kernel portable-")), result::toString);
            assertTrue(result.output().lines().anyMatch(line -> line.startsWith("reason ") && line.contains(
                    flag.equals("-Xint") ? "compiles nothing" : "TieredStopAtLevel=1")), result::toString);
        }
    }

    @Test
    void withTheModulePresent_theVectorKernelIsSelected_andBlasSaysSo() {
        assertNotNull(MicroKernels.vectorOrNull(), MicroKernels.vectorUnavailableReason());
        assertSame(MicroKernels.vectorOrNull(), MicroKernels.selected());
        assertTrue(Blas.gemmKernel().startsWith("vector-"), Blas.gemmKernel());
        assertTrue(Blas.gemmKernelReason().contains("jdk.incubator.vector"), Blas.gemmKernelReason());
        assertTrue(MicroKernels.portable().name().matches("portable-(fma-)?4x6"), MicroKernels.portable().name());
        assertTrue(MicroKernels.portableOtherVariant().name().matches("portable-(fma-)?4x6"));
    }

    @Test
    void multiplySet_writesTheSameBitsAsMultiplyAddOnZeros_andNeverReadsC() {
        java.util.SplittableRandom random = new java.util.SplittableRandom(7);
        for (MicroKernel kernel : new MicroKernel[] {MicroKernels.selected(), MicroKernels.portable(),
                MicroKernels.portableOtherVariant()}) {
            int mr = kernel.mr();
            int nr = kernel.nr();
            int kc = 37;
            int ldc = nr + 5;
            double[] a = new double[kc * mr];
            double[] b = new double[kc * nr];
            for (int i = 0; i < a.length; i++) {
                a[i] = random.nextDouble() - 0.5;
            }
            for (int i = 0; i < b.length; i++) {
                b[i] = random.nextDouble() - 0.5;
            }
            double[] added = new double[mr * ldc];
            kernel.multiplyAdd(kc, a, 0, b, 0, added, 0, ldc);
            double[] set = new double[mr * ldc];
            java.util.Arrays.fill(set, Double.NaN);
            kernel.multiplySet(kc, a, 0, b, 0, set, 0, ldc);
            for (int i = 0; i < mr; i++) {
                for (int j = 0; j < ldc; j++) {
                    int at = i * ldc + j;
                    if (j < nr) {
                        assertEquals(Double.doubleToLongBits(added[at]), Double.doubleToLongBits(set[at]),
                                kernel.name() + " C[" + i + "][" + j + "]");
                    } else {
                        assertTrue(Double.isNaN(set[at]), kernel.name() + " wrote outside the block");
                    }
                }
            }
        }
    }
}
