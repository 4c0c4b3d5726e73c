package dev.spindle.bench.pools;

import cern.colt.matrix.tdouble.impl.DenseDoubleMatrix2D;
import dev.spindle.core.Arena;
import dev.spindle.core.Parallel;
import dev.spindle.core.PoolLimits;
import dev.spindle.core.Scheduler;
import dev.spindle.core.ThreadPools;
import edu.emory.mathcs.utils.ConcurrencyUtils;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;
import org.bytedeco.openblas.global.openblas_nolapack;
import org.ejml.concurrency.EjmlConcurrency;
import org.ojalgo.concurrent.DaemonPoolExecutor;
import smile.util.MulticoreExecutor;

/**
 * The program behind the census tables in {@code docs/guides/replacing-commonpool.md}: starts one
 * pool of every kind the census knows, prints {@link ThreadPools#info()}, applies
 * {@link ThreadPools#limit(int)}, prints what each knob did and the census again, then closes the
 * limits. Run from the test class path of scheduler-bench (the libraries are test-scope there):
 *
 * <pre>
 * mvn -o -q -pl scheduler-bench -am test-compile
 * mvn -o -q -pl scheduler-bench dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt
 * CP=scheduler-bench/target/test-classes:scheduler-bench/target/classes:scheduler-core/target/classes
 * CP=$CP:scheduler-linalg/target/classes:$(cat /tmp/cp.txt)
 * java -cp $CP dev.spindle.bench.pools.ThreadPoolsTour
 * </pre>
 * (the module directories' classes first: the class path Maven prints names the installed
 * snapshots of scheduler-core and scheduler-linalg, which may be older).
 */
public final class ThreadPoolsTour {

    private ThreadPoolsTour() {
    }

    public static void main(String[] args) throws Exception {
        // Smile reads smile.threads once, when its pool starts: limit it before its first use.
        PoolLimits smileFirst = ThreadPools.limits().smile(2).apply();

        Scheduler.global().invoke(() -> 1);
        Arena arena = Arena.builder().maxConcurrency(1).name("reports").build();
        arena.execute(() -> 1);
        double sum = IntStream.range(0, 1 << 20).parallel().mapToDouble(Math::sqrt).sum();
        ForkJoinPool own = new ForkJoinPool(2);
        own.submit(() -> sum).get();
        ExecutorService fixed = Executors.newFixedThreadPool(2);
        fixed.submit(() -> 1).get();
        DaemonPoolExecutor.invoke(() -> 1).get();                     // ojAlgo's daemon pool
        EjmlConcurrency.loopFor(0, 1024, i -> Math.sqrt(i));          // EJML's ForkJoinPool
        new DenseDoubleMatrix2D(400, 400).assign(1.0);               // Parallel Colt's pool
        List<Callable<Integer>> tasks = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            tasks.add(() -> 1);
        }
        MulticoreExecutor.run(tasks);                                 // Smile's pool
        Thread loader = new Thread(() -> openblas_nolapack.blas_set_num_threads(4), "openblas-loader");
        loader.start();                                               // OpenBLAS starts native threads
        loader.join();
        Parallel.forRange(0, 1000, i -> Math.sqrt(i));

        System.out.println("== census before the limit");
        System.out.println(ThreadPools.info());
        try (PoolLimits limits = ThreadPools.limit(1)) {
            System.out.println("== ThreadPools.limit(1)");
            System.out.println(limits);
            System.out.println();
            System.out.println("== census under the limit");
            System.out.println(ThreadPools.info());
        }
        smileFirst.close();
        System.out.println("== after close(): common pool " + ForkJoinPool.getCommonPoolParallelism()
                + ", EJML " + EjmlConcurrency.getMaxThreads() + ", Parallel Colt "
                + ConcurrencyUtils.getNumberOfThreads() + ", OpenBLAS " + openblas_nolapack.blas_get_num_threads()
                + ", ojAlgo " + org.ojalgo.OjAlgoUtils.ENVIRONMENT.threads);
        fixed.shutdown();
        own.shutdown();
    }
}
