package dev.spindle.core;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.ToIntFunction;

/**
 * What {@link ThreadPools#info()} saw: one row per pool alive in this JVM, plus rows for the
 * threads that belong to no pool (the JVM's own, native threads the JVM does not know, other
 * Java threads), so that the rows add up to every thread of the process. Immutable.
 *
 * <p>The snapshot is not atomic: threads are listed, then the operating system's tasks are read,
 * then CPU times; a thread that starts or ends meanwhile may be missing or counted in an
 * unexpected row. {@code docs/design/thread-pools.md} says how threads are classified and what the
 * census cannot see.
 */
public final class PoolCensus {

    /** What kind of pool a row describes. */
    public enum Kind {
        /** A Spindle scheduler: its workers, stand-ins and stall monitor. */
        SPINDLE_SCHEDULER,
        /** A Spindle arena: a view of its scheduler's workers (threads counted in the scheduler's row). */
        SPINDLE_ARENA,
        /** The JDK's {@code ForkJoinPool.commonPool()}. */
        COMMON_POOL,
        /** Another {@code ForkJoinPool}, found through its worker threads. */
        FORK_JOIN_POOL,
        /** Threads of a {@code ThreadPoolExecutor} (recognised by their stacks), grouped by name. */
        THREAD_POOL_EXECUTOR,
        /** A known library's pool (ojAlgo, EJML, Parallel Colt, Smile, bytedeco's OpenBLAS/MKL). */
        LIBRARY,
        /** Java threads that belong to no pool the census knows. */
        OTHER_JAVA,
        /** The JVM's own threads that are not Java threads (GC, compilers, VM thread) and the launcher. */
        JVM_INTERNAL,
        /** Operating-system threads the JVM does not know (started by native code: OpenBLAS, OpenMP, MKL). */
        NATIVE
    }

    /** One row of the census. Immutable. */
    public static final class Pool {
        private final Kind kind;
        private final String name;
        private final int threads;
        private final int runnable;
        private final long cpuNanos;
        private final int parallelism;
        private final boolean countedElsewhere;
        private final String detail;
        private final List<String> threadNames;

        Pool(Kind kind, String name, int threads, int runnable, long cpuNanos, int parallelism,
             boolean countedElsewhere, String detail, List<String> threadNames) {
            this.kind = Objects.requireNonNull(kind, "kind");
            this.name = Objects.requireNonNull(name, "name");
            this.threads = threads;
            this.runnable = runnable;
            this.cpuNanos = cpuNanos;
            this.parallelism = parallelism;
            this.countedElsewhere = countedElsewhere;
            this.detail = detail == null ? "" : detail;
            this.threadNames = List.copyOf(threadNames);
        }

        /** The kind of pool. */
        public Kind kind() {
            return kind;
        }

        /** The pool's name: a scheduler's or arena's name, a thread-name stem, a library's name. */
        public String name() {
            return name;
        }

        /** Threads of this pool alive at the snapshot (for an arena: threads running its tasks now). */
        public int threads() {
            return threads;
        }

        /**
         * Of {@link #threads()}, those runnable at the snapshot: for a Java thread,
         * {@code Thread.State.RUNNABLE} (which includes a thread inside native code, blocked on I/O
         * or not); for a native thread, the operating system's state {@code R}.
         */
        public int runnable() {
            return runnable;
        }

        /** CPU time these threads used so far, in nanoseconds; -1 if not known. */
        public long cpuNanos() {
            return cpuNanos;
        }

        /**
         * The pool's own size setting (a scheduler's or pool's parallelism, an arena's cap, a
         * library's thread count); -1 if it has none the census can read.
         */
        public int parallelism() {
            return parallelism;
        }

        /**
         * Whether this row's threads are also counted in another row, so that totals skip it: an
         * arena (its scheduler's workers), or a library pool whose threads cannot be told apart
         * from other pools' (Smile's, listed also under their {@code ThreadPoolExecutor} name; an
         * OpenBLAS/MKL row, whose threads are native).
         */
        public boolean countedElsewhere() {
            return countedElsewhere;
        }

        /** More about the pool, for people: queue lengths, spare workers, where its threads are. */
        public String detail() {
            return detail;
        }

        /** The names of this row's threads (empty where they are not known one by one). */
        public List<String> threadNames() {
            return threadNames;
        }

        @Override
        public String toString() {
            return kind + " " + name + ": threads=" + threads + ", runnable=" + runnable
                    + ", cpu=" + (cpuNanos < 0 ? "?" : cpuNanos / 1_000_000 + " ms")
                    + (parallelism < 0 ? "" : ", parallelism=" + parallelism)
                    + (countedElsewhere ? " (counted elsewhere)" : "")
                    + (detail.isEmpty() ? "" : ", " + detail);
        }
    }

    private final List<Pool> pools;
    private final boolean nativeThreadsVisible;
    private final int availableProcessors;

    PoolCensus(List<Pool> pools, boolean nativeThreadsVisible, int availableProcessors) {
        this.pools = Collections.unmodifiableList(new ArrayList<>(pools));
        this.nativeThreadsVisible = nativeThreadsVisible;
        this.availableProcessors = availableProcessors;
    }

    /** Every row, Spindle's first, then the JDK's pools, libraries, other threads, native threads. */
    public List<Pool> pools() {
        return pools;
    }

    /** The rows of one kind, in the order of {@link #pools()}. */
    public List<Pool> pools(Kind kind) {
        Objects.requireNonNull(kind, "kind");
        List<Pool> matching = new ArrayList<>();
        for (Pool pool : pools) {
            if (pool.kind == kind) {
                matching.add(pool);
            }
        }
        return matching;
    }

    /**
     * Threads of the process at the snapshot: the rows' threads, each counted once. Without
     * {@link #nativeThreadsVisible()}, only the Java threads.
     */
    public int totalThreads() {
        return sumOverRowsCountedHere(pool -> pool.threads);
    }

    /** Of {@link #totalThreads()}, those runnable at the snapshot. */
    public int runnableThreads() {
        return sumOverRowsCountedHere(pool -> pool.runnable);
    }

    /** The sum of {@code count} over the rows whose threads are not counted in another row. */
    private int sumOverRowsCountedHere(ToIntFunction<Pool> count) {
        int total = 0;
        for (Pool pool : pools) {
            if (!pool.countedElsewhere) {
                total += count.applyAsInt(pool);
            }
        }
        return total;
    }

    /**
     * Whether the operating system showed this process's threads (Linux {@code /proc/self/task}),
     * so that the {@link Kind#NATIVE} and {@link Kind#JVM_INTERNAL} rows are there at all.
     */
    public boolean nativeThreadsVisible() {
        return nativeThreadsVisible;
    }

    /** {@link Runtime#availableProcessors()} at the snapshot. */
    public int availableProcessors() {
        return availableProcessors;
    }

    /** The census as a table, one row per pool, with totals; arenas indented under their scheduler. */
    @Override
    public String toString() {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "Thread pools: %d threads, %d runnable, %d CPUs%s%n",
                totalThreads(), runnableThreads(), availableProcessors,
                nativeThreadsVisible ? "" : " (native threads not visible on this system)"));
        String format = "%-22s %-30s %7s %8s %9s %11s  %s%n";
        out.append(String.format(Locale.ROOT, format, "kind", "name", "threads", "runnable", "cpu ms",
                "parallelism", "detail"));
        for (Pool pool : pools) {
            String kind = pool.kind == Kind.SPINDLE_ARENA ? "  arena" : label(pool.kind);
            out.append(String.format(Locale.ROOT, format, kind, clip(pool.name, 30),
                    pool.countedElsewhere ? "(" + pool.threads + ")" : Integer.toString(pool.threads),
                    pool.countedElsewhere ? "(" + pool.runnable + ")" : Integer.toString(pool.runnable),
                    pool.cpuNanos < 0 ? "-" : String.format(Locale.ROOT, "%.1f", pool.cpuNanos / 1e6),
                    pool.parallelism < 0 ? "-" : Integer.toString(pool.parallelism), pool.detail));
        }
        return out.toString();
    }

    private static String label(Kind kind) {
        return kind.name().toLowerCase(Locale.ROOT).replace('_', ' ');
    }

    private static String clip(String text, int width) {
        return text.length() <= width ? text : text.substring(0, width - 1) + "…";
    }
}
