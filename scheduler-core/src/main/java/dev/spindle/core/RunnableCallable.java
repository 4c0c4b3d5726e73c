package dev.spindle.core;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;

/**
 * A {@link Runnable} seen as a {@link Callable} that returns a fixed result, as
 * {@code ExecutorService.submit(Runnable, T)} needs; and the way back, for
 * {@code shutdownNow()}, which hands back the user's own {@code Runnable} where there was one.
 */
final class RunnableCallable<T> implements Callable<T> {

    private final Runnable runnable;
    private final T result;

    RunnableCallable(Runnable runnable, T result) {
        this.runnable = runnable;
        this.result = result;
    }

    @Override
    public T call() {
        runnable.run();
        return result;
    }

    /** The user's Runnable, or a Runnable that calls the Callable (checked exceptions wrapped). */
    static Runnable toRunnable(Callable<?> work) {
        if (work instanceof RunnableCallable) {
            return ((RunnableCallable<?>) work).runnable;
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
