package dev.spindle.core;

import java.util.concurrent.Callable;

/**
 * A task of an arena whose work hears when each run has ended, once the task's outcome is set: an executor
 * that counts its tasks out this way terminates only when every one of its futures is done
 * ({@link ArenaExecutorService}).
 *
 * <p>A subclass rather than a check in {@link Task#run}: a plain task's {@link Task#afterRun} is
 * empty, and while no listened task exists the JIT compiles the call to nothing.
 */
final class ListenedTask<T> extends TaskInRegion<T> {

    /** Work that must hear when its run has ended. */
    interface RunListener {
        /**
         * Called once per run, by the thread that ran the work, after the task completed (or after
         * a cancel that won during the run dropped its result).
         */
        void runEnded();
    }

    private final RunListener listener;

    ListenedTask(Callable<? extends T> callable, Region region, RunListener listener) {
        super(callable, region);
        this.listener = listener;
    }

    @Override
    void afterRun() {
        listener.runEnded();
    }
}
