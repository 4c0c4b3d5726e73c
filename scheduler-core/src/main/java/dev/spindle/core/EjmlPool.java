package dev.spindle.core;

import java.util.concurrent.ForkJoinPool;

/**
 * EJML's pool: a {@code ForkJoinPool} held in a private static field of
 * {@code pabeles.concurrency.ConcurrencyOps} (EJML's base class {@code EjmlConcurrency}); its
 * threads are plain {@code ForkJoinPool-N-worker-M} threads, told apart by their pool.
 *
 * <p><b>Knob</b>: {@code EjmlConcurrency.setMaxThreads(n)} replaces that pool with a new
 * {@code ForkJoinPool(n)} and sets {@code EjmlConcurrency.USE_CONCURRENT} to {@code n > 1}.
 * Process-wide, effective from the next operation, callable at any time. The replaced pool is not
 * shut down by EJML: its idle threads exit after {@code ForkJoinPool}'s keep-alive (60 s).
 * {@code close()} calls {@code setMaxThreads} with the previous count (one more new pool) and puts
 * {@code USE_CONCURRENT} back, if EJML's count is still the one this limit set.
 */
final class EjmlPool extends LibraryPool {

    private static final String CONCURRENCY = "org.ejml.concurrency.EjmlConcurrency";
    private static final String OPS = "pabeles.concurrency.ConcurrencyOps";

    EjmlPool() {
        super(PoolLimits.EJML);
    }

    @Override
    PoolLimits.Change limit(int threads, LibraryClasses classes) {
        return changeThrough(classes, CONCURRENCY, "EjmlConcurrency.setMaxThreads", ejml -> {
            int before = maxThreads(ejml);
            Object useConcurrent = LibraryClasses.read(ejml, "USE_CONCURRENT");
            LibraryClasses.call(ejml, "setMaxThreads", new Class<?>[] {int.class}, threads);
            int after = maxThreads(ejml);
            return PoolLimits.Change.applied(name(), before, after, "EjmlConcurrency.setMaxThreads(" + threads
                    + ") (a new ForkJoinPool); close() sets " + before + " back the same way", () -> {
                        if (maxThreads(ejml) == after) {
                            LibraryClasses.call(ejml, "setMaxThreads", new Class<?>[] {int.class}, before);
                            LibraryClasses.write(ejml, "USE_CONCURRENT", useConcurrent);
                        }
                    });
        });
    }

    private static int maxThreads(Class<?> ejml) throws ReflectiveOperationException {
        return (Integer) LibraryClasses.call(ejml, "getMaxThreads", new Class<?>[0]);
    }

    @Override
    boolean ownsForkJoinPool(ForkJoinPool pool, LibraryClasses classes) {
        if (!classes.inUse("pabeles.concurrency")) {
            return false;
        }
        try {
            Class<?> ops = classes.find(OPS);
            return ops != null && LibraryClasses.read(ops, "pool") == pool;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError unreadable) {
            return false;                                // a module that does not open the package: an unnamed pool
        }
    }

    @Override
    int configuredThreads(LibraryClasses classes) {
        return settingOf(classes, "org.ejml.concurrency", CONCURRENCY, EjmlPool::maxThreads);
    }
}
