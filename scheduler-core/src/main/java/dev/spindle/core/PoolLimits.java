package dev.spindle.core;

import dev.spindle.core.internal.ParallelismSetting;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Thread limits applied to the JDK's common pool and to known libraries through each one's public
 * knob, and the handle that puts the previous settings back: {@link ThreadPools#limit(int)} or
 * {@link ThreadPools#limits()}. Use it with try-with-resources:
 *
 * <pre>{@code
 * try (PoolLimits limits = ThreadPools.limit(1)) {
 *     ... // ojAlgo, EJML, OpenBLAS ... run single-threaded; Spindle supplies the parallelism
 * }
 * }</pre>
 *
 * <p>Every knob is process-wide: a limit is seen by every thread of the JVM, not only by the
 * caller. A library that is not on the class path is skipped, never an error; {@link #changes()}
 * says, per library, what was changed or why not. What each knob changes, and when it must be
 * called, is in {@code docs/guides/replacing-commonpool.md}:
 *
 * <ul>
 *   <li>{@value #COMMON_POOL}: {@code ForkJoinPool.setParallelism} on JDK 19+; on JDK 17 and 18
 *       the system property {@code java.util.concurrent.ForkJoinPool.common.parallelism}, which
 *       counts only if the common pool has not started yet (otherwise the change reports it as
 *       not applied);</li>
 *   <li>{@value #OJALGO}: {@code OjAlgoUtils.limitThreadsTo} (it only lowers);</li>
 *   <li>{@value #EJML}: {@code EjmlConcurrency.setMaxThreads};</li>
 *   <li>{@value #OPENBLAS}: bytedeco's {@code blas_set_num_threads}, only once the native
 *       library is loaded (loading it starts its threads, so the application decides when);</li>
 *   <li>{@value #MKL}: bytedeco's {@code MKL_Set_Num_Threads}, likewise;</li>
 *   <li>{@value #SMILE}: the system property {@code smile.threads}, read once when Smile's pool
 *       starts (reported as not applied if it already did);</li>
 *   <li>{@value #PARALLEL_COLT}: {@code ConcurrencyUtils.setNumberOfThreads}.</li>
 * </ul>
 *
 * <p><b>Restoring.</b> {@link #close()} undoes the applied changes in reverse order, each only if
 * the setting still holds the value this handle set (a setting someone changed since is left
 * alone). Close nested limits in reverse order, as try-with-resources
 * does. Applying and closing are serialized across the JVM; both may be called from any thread.
 */
public final class PoolLimits implements AutoCloseable {

    /** The name of the JDK's common pool in {@link Change#library()}. */
    public static final String COMMON_POOL = "common pool";
    /** ojAlgo ({@code org.ojalgo}). */
    public static final String OJALGO = "ojAlgo";
    /** EJML ({@code org.ejml}). */
    public static final String EJML = "EJML";
    /** OpenBLAS (or MKL behind it) through bytedeco's {@code org.bytedeco.openblas}. */
    public static final String OPENBLAS = "OpenBLAS";
    /** Intel MKL through bytedeco's {@code org.bytedeco.mkl}. */
    public static final String MKL = "MKL";
    /** Smile ({@code smile.util.MulticoreExecutor}). */
    public static final String SMILE = "Smile";
    /** Parallel Colt ({@code edu.emory.mathcs.utils.ConcurrencyUtils}). */
    public static final String PARALLEL_COLT = "Parallel Colt";

    /**
     * The largest count a limit accepts, Spindle's own largest parallelism: a larger one is a
     * mistake, and some knobs would try to start that many threads (OpenBLAS) or throw (EJML).
     */
    public static final int MAX_THREADS = ParallelismSetting.MAX;

    /** Serializes every apply and close in the JVM: the knobs are process-wide. */
    private static final Object KNOBS = new Object();

    private final List<Change> changes;
    /** Written under {@link #KNOBS}; volatile for {@link #toString()}. */
    private volatile boolean closed;

    private PoolLimits(List<Change> changes) {
        this.changes = Collections.unmodifiableList(changes);
    }

    /** What was done for each library asked for, in the order applied. */
    public List<Change> changes() {
        return changes;
    }

    /** The change for {@code library} (one of this class's names), or null if it was not asked for. */
    public Change change(String library) {
        Objects.requireNonNull(library, "library");
        for (Change change : changes) {
            if (change.library.equals(library)) {
                return change;
            }
        }
        return null;
    }

    /**
     * Puts back what this handle changed, newest first, where the setting still holds the value it
     * set (see the class comment). Idempotent. Every applied change is tried even if one fails.
     *
     * @throws IllegalStateException if a library failed to take its previous setting back; the
     *     library's exceptions are attached (the first as cause, the rest suppressed)
     */
    @Override
    public void close() {
        IllegalStateException failure = null;
        synchronized (KNOBS) {
            if (closed) {
                return;
            }
            closed = true;
            for (int i = changes.size() - 1; i >= 0; i--) {
                Change change = changes.get(i);
                try {
                    change.restore();
                } catch (ReflectiveOperationException | RuntimeException | Error restoreFailed) {
                    Throwable cause = LibraryClasses.cause(restoreFailed);
                    if (failure == null) {
                        failure = new IllegalStateException("could not restore the thread setting of "
                                + change.library + " (" + change.detail + "): " + cause, cause);
                    } else {
                        failure.addSuppressed(cause);
                    }
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** One line per library: what was set, from what, or why nothing was. */
    @Override
    public String toString() {
        StringBuilder out = new StringBuilder("PoolLimits").append(closed ? " (closed)" : "").append(':');
        for (Change change : changes) {
            out.append(System.lineSeparator()).append("  ").append(change);
        }
        return out.toString();
    }

    /**
     * What a limit did to one library: applied (from {@link #before()} to {@link #after()}) or
     * skipped, with the reason in {@link #detail()}. Immutable, except that {@code close()} runs
     * its restore once.
     */
    public static final class Change {

        /** How a change is undone; null for a change that was not applied. */
        interface Restore {
            void run() throws ReflectiveOperationException;
        }

        private final String library;
        private final boolean applied;
        private final int before;
        private final int after;
        private final String detail;
        private final Restore restore;

        private Change(String library, boolean applied, int before, int after, String detail, Restore restore) {
            this.library = library;
            this.applied = applied;
            this.before = before;
            this.after = after;
            this.detail = detail;
            this.restore = restore;
        }

        static Change applied(String library, int before, int after, String detail, Restore restore) {
            return new Change(library, true, before, after, detail, Objects.requireNonNull(restore, "restore"));
        }

        static Change skipped(String library, String why) {
            return new Change(library, false, -1, -1, why, null);
        }

        private void restore() throws ReflectiveOperationException {
            if (restore != null) {
                restore.run();
            }
        }

        /** The library's name: one of {@link PoolLimits#COMMON_POOL}, {@link PoolLimits#OJALGO}, ... */
        public String library() {
            return library;
        }

        /** Whether the library's setting was changed. */
        public boolean applied() {
            return applied;
        }

        /** The library's thread setting before the change; -1 if skipped or not known. */
        public int before() {
            return before;
        }

        /** The library's thread setting right after the change, read back; -1 if skipped. */
        public int after() {
            return after;
        }

        /** What was changed and how {@code close()} undoes it, or why nothing was changed. */
        public String detail() {
            return detail;
        }

        @Override
        public String toString() {
            return library + ": " + (applied ? (before < 0 ? "?" : Integer.toString(before)) + " -> " + after
                    : "not changed") + " (" + detail + ")";
        }
    }

    /**
     * Chooses the limits to apply: per library, or {@link #threads(int)} for every one not set by
     * its own method. Not thread-safe; {@link #apply()} may be called more than once, each call
     * returning its own handle.
     */
    public static final class Builder {
        private final Map<String, Integer> perLibrary = new LinkedHashMap<>();
        private int everyOther;
        private ClassLoader classLoader;

        Builder() {
        }

        /**
         * The same thread count for the common pool and every library not set by its own method.
         *
         * @throws IllegalArgumentException if {@code threads} is below 1 or above {@link #MAX_THREADS}
         */
        public Builder threads(int threads) {
            this.everyOther = checked("threads", threads);
            return this;
        }

        /** The common pool's parallelism. @throws IllegalArgumentException if below 1 or above {@link #MAX_THREADS} */
        public Builder commonPool(int parallelism) {
            return set(COMMON_POOL, parallelism);
        }

        /** ojAlgo's threads. @throws IllegalArgumentException if below 1 or above {@link #MAX_THREADS} */
        public Builder ojAlgo(int threads) {
            return set(OJALGO, threads);
        }

        /** EJML's threads. @throws IllegalArgumentException if below 1 or above {@link #MAX_THREADS} */
        public Builder ejml(int threads) {
            return set(EJML, threads);
        }

        /** OpenBLAS's threads (bytedeco). @throws IllegalArgumentException if below 1 or above {@link #MAX_THREADS} */
        public Builder openBlas(int threads) {
            return set(OPENBLAS, threads);
        }

        /** MKL's threads (bytedeco). @throws IllegalArgumentException if below 1 or above {@link #MAX_THREADS} */
        public Builder mkl(int threads) {
            return set(MKL, threads);
        }

        /** Smile's threads. @throws IllegalArgumentException if below 1 or above {@link #MAX_THREADS} */
        public Builder smile(int threads) {
            return set(SMILE, threads);
        }

        /** Parallel Colt's threads. @throws IllegalArgumentException if below 1 or above {@link #MAX_THREADS} */
        public Builder parallelColt(int threads) {
            return set(PARALLEL_COLT, threads);
        }

        /**
         * Where to look for the libraries first (for example the loader of a library class that was
         * just initialized); then the context class loader, the system class loader and
         * scheduler-core's own.
         */
        public Builder classLoader(ClassLoader loader) {
            this.classLoader = Objects.requireNonNull(loader, "loader");
            return this;
        }

        private Builder set(String library, int threads) {
            perLibrary.put(library, checked(library + " threads", threads));
            return this;
        }

        private static int checked(String what, int threads) {
            if (threads < 1 || threads > MAX_THREADS) {
                throw new IllegalArgumentException(what + " must be in [1, " + MAX_THREADS + "], was " + threads);
            }
            return threads;
        }

        /**
         * Applies the chosen limits, library by library in the order of {@link PoolLimits}'s list,
         * and returns the handle that restores them. A library that is absent, or whose knob
         * cannot be used now, is skipped and says why in its {@link Change}. With nothing chosen,
         * nothing is changed.
         */
        public PoolLimits apply() {
            return apply(LibraryPool.ALL);
        }

        /** {@link #apply()} over the given pools, in their order (tests pass their own). */
        PoolLimits apply(List<LibraryPool> pools) {
            LibraryClasses classes = LibraryClasses.lookingIn(classLoader);
            List<Change> changes = new ArrayList<>();
            synchronized (KNOBS) {
                for (LibraryPool library : pools) {
                    Integer threads = perLibrary.get(library.name());
                    if (threads == null && everyOther > 0) {
                        threads = everyOther;
                    }
                    if (threads == null) {
                        continue;
                    }
                    try {
                        changes.add(library.limit(threads, classes));
                    } catch (RuntimeException | Error unexpected) {
                        // A knob threw something no library is known to throw: leave nothing half applied.
                        PoolLimits partial = new PoolLimits(changes);
                        try {
                            partial.close();
                        } catch (IllegalStateException rollbackFailed) {
                            unexpected.addSuppressed(rollbackFailed);
                        }
                        throw unexpected;
                    }
                }
            }
            return new PoolLimits(changes);
        }
    }
}
