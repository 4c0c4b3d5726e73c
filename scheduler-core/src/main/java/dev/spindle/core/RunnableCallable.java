package dev.spindle.core;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;

/**
 * A {@link Runnable} seen as a {@link Callable} that returns a fixed result, as
 * {@code ExecutorService.submit(Runnable, T)} needs; and the way back, for
 * {@code shutdownNow()}, which hands back the user's own {@code Runnable} where there was one.
 */
final class RunnableCallable<T> implements Callable<T>, DrainedWork {

    private final Runnable runnable;
    private final T result;
    /** True for {@code execute(Runnable)}: a failure also goes to the thread's uncaught handler. */
    private final boolean reportsUncaught;

    RunnableCallable(Runnable runnable, T result, boolean reportsUncaught) {
        this.runnable = runnable;
        this.result = result;
        this.reportsUncaught = reportsUncaught;
    }

    /** Whether a failure of {@code work} should also reach the uncaught-exception handler. */
    static boolean reportsUncaught(Callable<?> work) {
        return work instanceof RunnableCallable && ((RunnableCallable<?>) work).reportsUncaught;
    }

    @Override
    public T call() {
        runnable.run();
        return result;
    }

    /** Hands a task's failure to the current thread's uncaught-exception handler. */
    static void reportUncaught(Throwable failure) {
        Thread thread = Thread.currentThread();
        try {
            thread.getUncaughtExceptionHandler().uncaughtException(thread, failure);
        } catch (Throwable ignored) {
            // The handler failed too; the failure is still recorded in the task.
        }
    }

    /** The user's own {@code Runnable}. */
    @Override
    public Runnable whenDrained() {
        return runnable;
    }

    /**
     * What {@code shutdownNow()} returns for a task's work: what a Spindle wrapper says
     * ({@link DrainedWork}: the user's {@code Runnable}, or a no-op for an internal part), or a
     * {@code Runnable} that calls the user's {@code Callable} once (checked exceptions wrapped).
     */
    static Runnable toRunnable(Callable<?> work) {
        if (work instanceof DrainedWork) {
            return ((DrainedWork) work).whenDrained();
        }
        return () -> {
            try {
                work.call();
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Exception e) {
                throw new CompletionException(e);
            }
        };
    }
}
