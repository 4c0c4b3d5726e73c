package dev.spindle.bench.workload;

import dev.spindle.bench.measure.Cores;
import dev.spindle.core.Parallel;
import dev.spindle.core.Scheduler;
import dev.spindle.linalg.Blas;
import dev.spindle.linalg.SerialBlas;
import dev.spindle.linalg.Transpose;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;

/**
 * The threads of one {@link Variant}, and how it runs an outer loop of items
 * ({@link #forEachItem}) whose kernel ({@link #gemm}, {@link #gemv}) may itself be parallel.
 * {@link #open} creates every pool the variant needs, up front and with all threads started, so a
 * naive variant has its N + N² threads before the first item runs; {@link #close} shuts them down.
 *
 * <p>Pools are sized as each kind of code sizes them: the fixed pools (outer and per-thread inner)
 * by {@link Cores#visible()}, as code calling {@code availableProcessors()} does; the Spindle
 * scheduler by {@link Cores#real()}, so under {@code -XX:ActiveProcessorCount=16} it still has one
 * worker per real core. The {@code ojalgo-default} variant's kernel is ojAlgo's, which the workload
 * calls itself; here it only has its outer pool.
 *
 * <p>Thread safety: {@link #forEachItem} from one thread at a time; the kernels from the item
 * bodies it runs.
 */
public final class TwoLevelExecution implements AutoCloseable {

    private final Variant variant;
    private final int visibleCores;
    private final Scheduler spindle;
    private final ThreadPoolExecutor outerPool;
    private final List<ThreadPoolExecutor> innerPools = new ArrayList<>();
    /** The private inner pool of the outer thread running the current item (naive-nested only). */
    private final ThreadLocal<ExecutorService> ownInnerPool = new ThreadLocal<>();

    private TwoLevelExecution(Variant variant, int visibleCores, int realCores) {
        this.variant = variant;
        this.visibleCores = visibleCores;
        this.spindle = variant == Variant.INNER_ONLY || variant == Variant.SPINDLE
                ? Scheduler.builder().parallelism(realCores).name("spindle").build()
                : null;
        switch (variant) {
            case OUTER_ONLY:
            case OJALGO_DEFAULT:
                outerPool = fixedPool(visibleCores, "outer", null);
                break;
            case NAIVE_NESTED:
                for (int i = 0; i < visibleCores; i++) {
                    innerPools.add(fixedPool(visibleCores, "inner-" + i, null));
                }
                outerPool = fixedPool(visibleCores, "outer", innerPools);
                break;
            default:
                outerPool = null;
        }
    }

    /** Creates the pools of {@code variant}, sized by {@link Cores}. */
    public static TwoLevelExecution open(Variant variant) {
        return new TwoLevelExecution(variant, Cores.visible(), Cores.real());
    }

    /** Creates the pools of {@code variant} with explicit sizes (tests). */
    public static TwoLevelExecution open(Variant variant, int visibleCores, int realCores) {
        return new TwoLevelExecution(variant, visibleCores, realCores);
    }

    /** The variant this runs. */
    public Variant variant() {
        return variant;
    }

    /**
     * Runs {@code item.accept(i)} for every i in {@code [0, count)} at the variant's outer level and
     * returns when all are done: on this thread (serial, inner-only), one task per item on the fixed
     * pool (outer-only, naive-nested, ojalgo-default), a parallel stream on the common pool
     * (fjp-nested), or {@code Parallel.forRange} with grain 1 on the Spindle scheduler. The first
     * failure is rethrown.
     */
    public void forEachItem(int count, IntConsumer item) {
        switch (variant) {
            case SERIAL:
            case INNER_ONLY:
                for (int i = 0; i < count; i++) {
                    item.accept(i);
                }
                break;
            case OUTER_ONLY:
            case NAIVE_NESTED:
            case OJALGO_DEFAULT:
                BlockingFanOut.run(outerPool, count, item, "an item");
                break;
            case FJP_NESTED:
                IntStream.range(0, count).parallel().forEach(item);
                break;
            case SPINDLE:
                Parallel.forRange(spindle, 0, count, 1, (lo, hi) -> {
                    for (int i = lo; i < hi; i++) {
                        item.accept(i);
                    }
                });
                break;
            default:
                throw new IllegalStateException(variant.toString());
        }
    }

    /** {@code C = A·B}, all n × n row-major, with the variant's kernel. */
    public void gemm(int n, double[] a, double[] b, double[] c) {
        switch (variant) {
            case SERIAL:
            case OUTER_ONLY:
                SerialBlas.dgemm(Transpose.NO_TRANSPOSE, Transpose.NO_TRANSPOSE, n, n, n, 1.0, a, 0, n, b, 0, n,
                        0.0, c, 0, n);
                break;
            case INNER_ONLY:
            case SPINDLE:
                Blas.dgemm(spindle, Transpose.NO_TRANSPOSE, Transpose.NO_TRANSPOSE, n, n, n, 1.0, a, 0, n, b, 0,
                        n, 0.0, c, 0, n);
                break;
            case NAIVE_NESTED:
                RowBands.gemm(ownInnerPool.get(), visibleCores, n, a, b, c);
                break;
            case FJP_NESTED:
                RowBands.gemm(ForkJoinPool.commonPool(), visibleCores, n, a, b, c);
                break;
            default:
                throw new UnsupportedOperationException(variant.id() + " has no double[] GEMM kernel");
        }
    }

    /** {@code y = A·x}, A n × n row-major, with the variant's kernel. */
    public void gemv(int n, double[] a, double[] x, double[] y) {
        switch (variant) {
            case SERIAL:
            case OUTER_ONLY:
                SerialBlas.dgemv(Transpose.NO_TRANSPOSE, n, n, 1.0, a, 0, n, x, 0, 1, 0.0, y, 0, 1);
                break;
            case INNER_ONLY:
            case SPINDLE:
                Blas.dgemv(spindle, Transpose.NO_TRANSPOSE, n, n, 1.0, a, 0, n, x, 0, 1, 0.0, y, 0, 1);
                break;
            case NAIVE_NESTED:
                RowBands.gemv(ownInnerPool.get(), visibleCores, n, a, x, y);
                break;
            case FJP_NESTED:
                RowBands.gemv(ForkJoinPool.commonPool(), visibleCores, n, a, x, y);
                break;
            default:
                throw new UnsupportedOperationException(variant.id() + " has no GEMV kernel");
        }
    }

    /**
     * Shuts every pool down and waits for its threads to finish. Every pool is shut down even if
     * an earlier one fails to terminate; the first failure is thrown at the end, later ones added
     * as suppressed.
     *
     * @throws IllegalStateException if a pool did not terminate within 30 s, or the wait was
     *     interrupted (the interrupt status is then set again)
     */
    @Override
    public void close() {
        List<ExecutorService> pools = new ArrayList<>();
        if (outerPool != null) {
            pools.add(outerPool);
        }
        pools.addAll(innerPools);
        if (spindle != null) {
            pools.add(spindle);
        }
        for (ExecutorService pool : pools) {
            pool.shutdown();
        }
        RuntimeException failure = null;
        boolean interrupted = false;
        for (ExecutorService pool : pools) {
            try {
                if (!pool.awaitTermination(30, TimeUnit.SECONDS)) {
                    failure = addTo(failure, new IllegalStateException(pool + " did not terminate in 30 s"));
                }
            } catch (InterruptedException e) {
                interrupted = true;
                failure = addTo(failure, new IllegalStateException("interrupted while closing " + pool, e));
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (failure != null) {
            throw failure;
        }
    }

    private static RuntimeException addTo(RuntimeException first, RuntimeException next) {
        if (first == null) {
            return next;
        }
        first.addSuppressed(next);
        return first;
    }

    /**
     * A started fixed pool of {@code size} daemon threads named {@code <role>-<i>}. With
     * {@code ownPools}, thread i of this pool has pool i of that list as its own inner pool.
     */
    private ThreadPoolExecutor fixedPool(int size, String role, List<ThreadPoolExecutor> ownPools) {
        AtomicInteger next = new AtomicInteger();
        ThreadFactory factory = runnable -> {
            int index = next.getAndIncrement();
            Runnable body = ownPools == null ? runnable : () -> {
                ownInnerPool.set(ownPools.get(index % ownPools.size()));
                runnable.run();
            };
            Thread thread = new Thread(body, role + "-" + index);
            thread.setDaemon(true);
            return thread;
        };
        ThreadPoolExecutor pool = (ThreadPoolExecutor) Executors.newFixedThreadPool(size, factory);
        pool.prestartAllCoreThreads();
        return pool;
    }
}
