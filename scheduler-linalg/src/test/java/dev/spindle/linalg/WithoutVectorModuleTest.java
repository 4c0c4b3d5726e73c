package dev.spindle.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.linalg.testing.NaiveBlas;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
        double[] expected = NaiveBlas.gemm(false, false, n, n, n, 1, a, 0, n, b, 0, n, 0, new double[n * n], 0, n, null);
        System.out.println(Blas.gemmKernel());
        System.out.println(Blas.gemmKernelReason());
        System.out.println(java.util.Arrays.equals(c, expected));
    }

    @Test
    void theLibraryFallsBackToThePortableKernel_andSaysWhy() throws IOException, InterruptedException {
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                WithoutVectorModuleTest.class.getName())
                .redirectErrorStream(false)
                .start();
        assertTrue(child.waitFor(30, TimeUnit.SECONDS), "child JVM did not finish in 30 s");
        String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(child.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, child.exitValue(), out + err);
        List<String> lines = out.lines().toList();
        assertTrue(lines.get(0).startsWith("portable-"), out);
        assertTrue(lines.get(1).contains("--add-modules jdk.incubator.vector"), out);
        assertEquals("true", lines.get(2), "integer-valued product is exact: " + out);
    }
}
