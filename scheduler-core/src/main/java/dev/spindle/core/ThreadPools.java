package dev.spindle.core;

/**
 * Every pool in this JVM, and limits for the pools that libraries start: Spindle's answer to
 * Python's threadpoolctl. An application that runs its parallel work on Spindle still has the
 * JDK's common pool, its own executors and the pools of the libraries it calls; nested, they put
 * more runnable threads on the machine than it has cores. {@link #info()} shows them all, native
 * threads included; {@link #limit(int)} sets each known library's thread count through its public
 * knob, and the returned handle puts the previous settings back.
 *
 * <pre>{@code
 * System.out.println(ThreadPools.info());          // a table: pool, threads, runnable, CPU time
 * try (PoolLimits limits = ThreadPools.limit(1)) {  // libraries single-threaded,
 *     Parallel.forRange(0, n, i -> solve(i));       // Spindle supplies the parallelism
 * }
 * }</pre>
 *
 * <p>scheduler-core depends on none of the libraries: each is reached by reflection, and one that
 * is not on the class path is skipped. Both methods need only the JDK ({@code java.management} for
 * CPU times), so the agent can call them at start-up and at exit.
 */
public final class ThreadPools {

    private ThreadPools() {
    }

    /**
     * A snapshot of the pools alive in this JVM: Spindle schedulers and their arenas, the common
     * pool, other {@code ForkJoinPool}s, {@code ThreadPoolExecutor} threads, the pools of known
     * libraries (ojAlgo, EJML, Parallel Colt, Smile, bytedeco's OpenBLAS and MKL), the JVM's own
     * threads and, on Linux, the native threads the JVM does not know (OpenBLAS, OpenMP, MKL),
     * each with its thread count, how many are runnable now and the CPU time used. Cheap enough to
     * call at exit: one {@code Thread.getAllStackTraces()}, a few small reads of
     * {@code /proc/self/task} per thread, no lock held. Taking it initializes no library class and,
     * before JDK 19, does not start the common pool.
     */
    public static PoolCensus info() {
        return CensusTaker.take(LibraryClasses.lookingIn(null));
    }

    /**
     * Limits the common pool and every known library present to {@code threads} threads, each
     * through its own knob ({@link PoolLimits} lists them), and returns the handle whose
     * {@code close()} restores the previous settings. The same as
     * {@code limits().threads(threads).apply()}.
     *
     * @throws IllegalArgumentException if {@code threads} is below 1 or above
     *     {@link PoolLimits#MAX_THREADS} (the message gives the value)
     */
    public static PoolLimits limit(int threads) {
        return limits().threads(threads).apply();
    }

    /** A builder for limits per library ({@code limits().ojAlgo(1).commonPool(2).apply()}). */
    public static PoolLimits.Builder limits() {
        return new PoolLimits.Builder();
    }
}
