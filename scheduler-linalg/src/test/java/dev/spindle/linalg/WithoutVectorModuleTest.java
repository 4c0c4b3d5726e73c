package dev.spindle.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.core.testing.ChildJvm;
import dev.spindle.linalg.testing.NaiveBlas;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Without {@code --add-modules jdk.incubator.vector} the library still works, on the portable
 * kernel, and says so. Runs a fresh JVM (this one has the module), bounded to 30 s.
 */
class WithoutVectorModuleTest {

    /** Entry point of the child JVM: prints the kernel, its reason, and a product's checksum. */
    public static void main(String[] args) {
        int n = 67;
        double[] a = new double[n * n];
        double[] b = new double[n * n];
        for (int i = 0; i < n * n; i++) {
            a[i] = (i % 7) - 3;
            b[i] = (i % 5) - 2;
        }
        double[] c = Blas.multiply(n, n, n, a, b);
        double[] expected = NaiveBlas.product(n, n, n, a, b, null);
        System.out.println(Blas.gemmKernel());
        System.out.println(Blas.gemmKernelReason());
        System.out.println(java.util.Arrays.equals(c, expected));
    }

    @Test
    void theLibraryFallsBackToThePortableKernel_andSaysWhy() throws IOException, InterruptedException {
        ChildJvm.Result result = ChildJvm.run(
                ChildJvm.mainOnThisClassPath(System.getProperty("java.home"), WithoutVectorModuleTest.class), Map.of(), 30);
        assertEquals(0, result.exitCode(), result::toString);
        String out = result.output();
        // After the command line; without the JVM's own warnings (JDK 24+ warns when JCTools calls
        // sun.misc.Unsafe), which come before the child's first line.
        List<String> lines = out.lines().skip(1).filter(line -> !line.startsWith("WARNING: ")).toList();
        assertTrue(lines.get(0).startsWith("portable-"), out);
        assertTrue(lines.get(1).contains("--add-modules jdk.incubator.vector"), out);
        assertEquals("true", lines.get(2), "integer-valued product is exact: " + out);
    }
}
