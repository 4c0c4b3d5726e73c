package dev.spindle.core;

import java.util.List;
import java.util.concurrent.ThreadPoolExecutor;

/**
 * Smile's pool: {@code smile.util.MulticoreExecutor} (Smile 1.x) starts, on first use, a fixed
 * {@code ThreadPoolExecutor} of {@code smile.threads} threads (default: all CPUs), held in a
 * private static field. Its threads are plain {@code Thread-N} threads, which the census cannot
 * tell from other such threads: the Smile row is read from the pool object and its threads are
 * also counted under their {@code ThreadPoolExecutor} name.
 *
 * <p><b>Knob</b>: the system property {@value #PROPERTY}, read once, when the pool starts.
 * Process-wide; it must be set before Smile's first parallel operation: if the pool has started,
 * the change is reported as not applied. {@code close()} restores the property (if it still holds
 * this limit's value); a pool that started meanwhile keeps the limited size.
 */
final class SmilePool extends LibraryPool {

    static final String PROPERTY = "smile.threads";
    private static final String EXECUTOR = "smile.util.MulticoreExecutor";

    SmilePool() {
        super(PoolLimits.SMILE);
    }

    @Override
    PoolLimits.Change limit(int threads, LibraryClasses classes) {
        Class<?> executor = classes.find(EXECUTOR);
        if (executor == null) {
            return absent(EXECUTOR);
        }
        int started = startedThreads(executor, classes);
        if (started > 0) {
            return PoolLimits.Change.skipped(name(), "Smile's pool already started with " + started
                    + " threads; " + PROPERTY + " is read once, at first use");
        }
        String previous = System.getProperty(PROPERTY);
        String ours = Integer.toString(threads);
        System.setProperty(PROPERTY, ours);
        return PoolLimits.Change.applied(name(), parse(previous), threads, PROPERTY + "=" + threads
                + " for Smile's pool, which has not started; close() restores the property", () -> {
                    if (ours.equals(System.getProperty(PROPERTY))) {
                        if (previous == null) {
                            System.clearProperty(PROPERTY);
                        } else {
                            System.setProperty(PROPERTY, previous);
                        }
                    }
                });
    }

    /** The size Smile's pool started with, or -1 if it has not started (or cannot be read). */
    private static int startedThreads(Class<?> executor, LibraryClasses classes) {
        if (!classes.inUse("smile.util")) {
            return -1;
        }
        try {
            return (Integer) LibraryClasses.read(executor, "nprocs");
        } catch (ReflectiveOperationException | RuntimeException | LinkageError unreadable) {
            return -1;
        }
    }

    @Override
    PoolCensus.Pool viewRow(LibraryClasses classes) {
        if (!classes.inUse("smile.util")) {
            return null;
        }
        try {
            Class<?> executor = classes.find(EXECUTOR);
            Object pool = executor == null ? null : LibraryClasses.read(executor, "threads");
            if (!(pool instanceof ThreadPoolExecutor)) {
                return null;
            }
            ThreadPoolExecutor threads = (ThreadPoolExecutor) pool;
            return new PoolCensus.Pool(PoolCensus.Kind.LIBRARY, name(), threads.getPoolSize(),
                    threads.getActiveCount(), -1, threads.getMaximumPoolSize(), true,
                    "MulticoreExecutor; its threads (Thread-N) are counted under thread pool executor",
                    List.of());
        } catch (ReflectiveOperationException | RuntimeException | LinkageError unreadable) {
            return null;
        }
    }

    private static int parse(String value) {
        try {
            return value == null ? -1 : Integer.parseInt(value.trim());
        } catch (NumberFormatException notANumber) {
            return -1;
        }
    }
}
