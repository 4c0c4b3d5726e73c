package dev.spindle.spark.bench;

import dev.spindle.core.Scheduler;
import dev.spindle.linalg.Blas;
import dev.spindle.linalg.SerialBlas;
import dev.spindle.linalg.Transpose;
import dev.spindle.spark.SpindleTask;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.spark.TaskContext;

/**
 * What one Spark task of {@link SkewedGemmJob} does: {@code products} products of two
 * {@code n × n} matrices, with the kernel each {@link Variant} stands for. Runs on the executor
 * (in local mode, this JVM).
 */
final class GemmWork {

    /** How the kernels inside tasks get their threads. */
    enum Variant {
        /** (a) Kernels serial inside tasks: what {@code OPENBLAS_NUM_THREADS=1} gives. */
        SERIAL("a) serial kernels"),
        /**
         * (b) Each task thread calls a kernel with a pool of its own, as many threads as the
         * executor's cores, kept for the thread's next tasks (an OpenMP team per calling thread):
         * what a threaded BLAS gives by default.
         */
        OWN_POOL("b) pool per task"),
        /** (c) The plugin: kernels on the one global Spindle, sized to the executor's cores. */
        SHARED("c) plugin, shared"),
        /** (c') The plugin with per-task caps: each task's kernels in an arena of its cpus. */
        SHARED_CAPPED("c') plugin, task caps");

        final String label;

        Variant(String label) {
            this.label = label;
        }
    }

    private GemmWork() {
    }

    /** The pools of {@link Variant#OWN_POOL}, one per task thread that ran one; closed by {@link #closeOwnPools}. */
    private static final ThreadLocal<Scheduler> OWN_POOL = new ThreadLocal<>();
    private static final Queue<Scheduler> OWN_POOLS = new ConcurrentLinkedQueue<>();

    /**
     * Runs {@code products} products of two {@code n × n} matrices and returns a checksum of the
     * last one (equal for every variant up to rounding).
     */
    static double run(Variant variant, int products, int n, int cores) {
        long start = System.nanoTime();
        long[] productEnds = new long[products];
        double[] a = new double[n * n];
        double[] b = new double[n * n];
        double[] c = new double[n * n];
        for (int i = 0; i < a.length; i++) {
            a[i] = (i % 17) / 17.0;
            b[i] = (i % 13) / 13.0;
        }
        for (int p = 0; p < products; p++) {
            multiply(variant, n, cores, a, b, c);
            productEnds[p] = System.nanoTime();
        }
        double sum = 0;
        for (double value : c) {
            sum += value;
        }
        TaskContext task = TaskContext.get();
        if (task != null) {
            TaskSpans.record(new TaskSpans.Span(task.partitionId(), products, start, System.nanoTime(), productEnds));
        }
        return sum;
    }

    private static void multiply(Variant variant, int n, int cores, double[] a, double[] b, double[] c) {
        Transpose no = Transpose.NO_TRANSPOSE;
        switch (variant) {
            case SERIAL:
                SerialBlas.dgemm(no, no, n, n, n, 1.0, a, 0, n, b, 0, n, 0.0, c, 0, n);
                break;
            case OWN_POOL:
                Blas.dgemm(ownPool(cores), no, no, n, n, n, 1.0, a, 0, n, b, 0, n, 0.0, c, 0, n);
                break;
            case SHARED:
                Blas.dgemm(Scheduler.global(), no, no, n, n, n, 1.0, a, 0, n, b, 0, n, 0.0, c, 0, n);
                break;
            case SHARED_CAPPED:
                SpindleTask.call(() -> {
                    Blas.dgemm(Scheduler.global(), no, no, n, n, n, 1.0, a, 0, n, b, 0, n, 0.0, c, 0, n);
                    return null;
                });
                break;
            default:
                throw new IllegalArgumentException("variant " + variant);
        }
    }

    private static Scheduler ownPool(int cores) {
        Scheduler pool = OWN_POOL.get();
        if (pool == null || pool.isShutdown()) {
            pool = Scheduler.builder().parallelism(cores).name("task-pool-" + OWN_POOLS.size()).build();
            OWN_POOL.set(pool);
            OWN_POOLS.add(pool);
        }
        return pool;
    }

    /** Closes every pool {@link Variant#OWN_POOL} started, waiting for their threads to end. */
    static void closeOwnPools() {
        for (Scheduler pool; (pool = OWN_POOLS.poll()) != null; ) {
            pool.close();
        }
    }
}
