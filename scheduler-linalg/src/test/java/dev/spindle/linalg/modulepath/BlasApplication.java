package dev.spindle.linalg.modulepath;

import dev.spindle.linalg.Blas;

/**
 * An application of {@code Blas} run by {@code ModulePathWithoutOjAlgoTest} in a JVM of its own. It
 * lives outside {@code dev.spindle.linalg}: on the class path beside the named module, a class in one
 * of the module's packages could not be loaded.
 */
public final class BlasApplication {

    /** Prints where {@code Blas} was loaded from, whether ojAlgo is in the boot layer, and whether a product is exact. */
    public static void main(String[] args) {
        int m = 5;
        int n = 7;
        int k = 3;
        double[] a = new double[m * k];
        double[] b = new double[k * n];
        for (int i = 0; i < a.length; i++) {
            a[i] = (i % 7) - 3;
        }
        for (int i = 0; i < b.length; i++) {
            b[i] = (i % 5) - 2;
        }
        double[] c = Blas.multiply(m, n, k, a, b);
        boolean exact = true;
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double sum = 0;
                for (int p = 0; p < k; p++) {
                    sum += a[i * k + p] * b[p * n + j];
                }
                exact &= sum == c[i * n + j];
            }
        }
        System.out.println(Blas.class.getModule().getName());
        System.out.println(ModuleLayer.boot().findModule("ojalgo").isPresent());
        System.out.println(exact);
    }

    private BlasApplication() {
    }
}
