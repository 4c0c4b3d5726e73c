package dev.spindle.core;

/**
 * Parallel Colt's pool: {@code edu.emory.mathcs.utils.ConcurrencyUtils} runs its work on an
 * {@code Executors.newCachedThreadPool} whose threads ({@code pool-N-thread-M}, daemon) carry the
 * library's own uncaught-exception handler, {@code ConcurrencyUtils$CustomExceptionHandler}: that is
 * how the census tells them from other {@code pool-N} threads. JTransforms ships a class of the
 * same name and shape, and is covered too.
 *
 * <p><b>Knob</b>: {@code ConcurrencyUtils.setNumberOfThreads(n)}: how many parts each later
 * operation is split into (the pool itself has no maximum). Process-wide, effective from the next
 * operation, callable at any time; idle pool threads exit after 60 s. {@code close()} sets the
 * previous count back if the count is still the one this limit set.
 */
final class ParallelColtPool extends LibraryPool {

    private static final String UTILS = "edu.emory.mathcs.utils.ConcurrencyUtils";
    private static final String HANDLER = UTILS + "$CustomExceptionHandler";

    ParallelColtPool() {
        super(PoolLimits.PARALLEL_COLT);
    }

    @Override
    PoolLimits.Change limit(int threads, LibraryClasses classes) {
        return changeThrough(classes, UTILS, "ConcurrencyUtils.setNumberOfThreads", utils -> {
            int before = numberOfThreads(utils);
            LibraryClasses.call(utils, "setNumberOfThreads", new Class<?>[] {int.class}, threads);
            int after = numberOfThreads(utils);
            return PoolLimits.Change.applied(name(), before, after, "ConcurrencyUtils.setNumberOfThreads("
                    + threads + "); close() sets " + before + " back", () -> {
                        if (numberOfThreads(utils) == after) {
                            LibraryClasses.call(utils, "setNumberOfThreads", new Class<?>[] {int.class}, before);
                        }
                    });
        });
    }

    private static int numberOfThreads(Class<?> utils) throws ReflectiveOperationException {
        return (Integer) LibraryClasses.call(utils, "getNumberOfThreads", new Class<?>[0]);
    }

    @Override
    boolean ownsThread(Thread thread) {
        Thread.UncaughtExceptionHandler handler = thread.getUncaughtExceptionHandler();
        return handler != null && handler.getClass().getName().equals(HANDLER);
    }

    @Override
    int configuredThreads(LibraryClasses classes) {
        return settingOf(classes, "edu.emory.mathcs.utils", UTILS, ParallelColtPool::numberOfThreads);
    }
}
