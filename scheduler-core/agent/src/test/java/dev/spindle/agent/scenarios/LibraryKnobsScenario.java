package dev.spindle.agent.scenarios;

import edu.emory.mathcs.utils.ConcurrencyUtils;
import org.bytedeco.openblas.global.openblas_nolapack;
import org.ejml.concurrency.EjmlConcurrency;
import smile.util.MulticoreExecutor;

/**
 * Prints the thread count of each library the agent limits beside ojAlgo, as the program sees it
 * at its first use of the library (EJML, Parallel Colt, Smile, OpenBLAS through bytedeco). EJML's
 * thread count lives in pabeles' {@code ConcurrencyOps}, its superclass: reading it initializes
 * that class alone, which is why the agent limits EJML there.
 */
public final class LibraryKnobsScenario {

    public static void main(String[] args) {
        System.out.println("ejml.threads=" + EjmlConcurrency.getMaxThreads());
        System.out.println("parallelcolt.threads=" + ConcurrencyUtils.getNumberOfThreads());
        System.out.println("smile.threads=" + MulticoreExecutor.getThreadPoolSize());
        double dot = openblas_nolapack.cblas_ddot(2, new double[] {1, 2}, 1, new double[] {3, 4}, 1);  // loads OpenBLAS
        // What bytedeco recorded of blas_set_num_threads: -1 while nobody has set it.
        System.out.println("openblas.threads=" + openblas_nolapack.blas_get_num_threads() + " dot=" + dot);
        System.out.println("DONE");
    }
}
