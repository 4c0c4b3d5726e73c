package dev.spindle.core;

import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * {@link Scheduler#join(Future)}: a helping wait for futures that are not Spindle tasks. A
 * {@code CompletableFuture} is bridged to a promise task, so the waiter helps and sleeps exactly as
 * a join does and is woken by the future's completion; any other {@code Future} has no completion
 * callback, so the waiter helps with one task at a time and otherwise parks for a growing pause
 * (up to {@link #MAX_POLL_NANOS}) between looks. Either way the exceptions are those of
 * {@link Task#join()}.
 *
 * <p>Any thread.
 */
final class ForeignWait {

    static final long MIN_POLL_NANOS = TimeUnit.MICROSECONDS.toNanos(50);
    static final long MAX_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    /** Looks (each a help attempt and an {@code onSpinWait}) before the first park of a poll. */
    static final int SPINS_BEFORE_PARKING = 64;

    private ForeignWait() {
    }

    @SuppressWarnings("unchecked")
    static <T> T join(Future<T> future) {
        Objects.requireNonNull(future, "future");
        if (future instanceof Task) {
            return ((Task<T>) future).join();
        }
        Thread thread = Thread.currentThread();
        Worker worker = thread instanceof WorkerThread ? ((WorkerThread) thread).worker() : null;
        if (future instanceof CompletableFuture) {
            CompletableFuture<T> stage = (CompletableFuture<T>) future;
            if (worker == null || stage.isDone()) {
                return joinStage(stage);
            }
            Task<T> promise = Task.promise();
            stage.whenComplete((value, failure) -> {
                if (failure == null) {
                    promise.complete(value);
                } else {
                    promise.completeExceptionally(unwrap(failure));
                }
            });
            return promise.join();
        }
        if (worker != null) {
            long pause = MIN_POLL_NANOS;
            int spins = SPINS_BEFORE_PARKING;
            while (!future.isDone()) {
                if (worker.helpOnce()) {
                    pause = MIN_POLL_NANOS;
                    spins = SPINS_BEFORE_PARKING;
                } else if (spins > 0) {
                    // A future that a thief is about to complete is usually done within
                    // microseconds: look again a few times before paying for a park and its wake-up.
                    spins--;
                    Thread.onSpinWait();
                } else {
                    // A pause between looks, not a block: this worker comes back within
                    // MAX_POLL_NANOS to help, so the stall monitor must not count it as blocked
                    // and start a stand-in for it.
                    worker.setWaitingInSpindle(true);
                    try {
                        LockSupport.parkNanos(future, pause);
                    } finally {
                        worker.setWaitingInSpindle(false);
                    }
                    pause = Math.min(pause * 2, MAX_POLL_NANOS);
                }
            }
        }
        return getUninterruptibly(future);
    }

    private static <T> T joinStage(CompletableFuture<T> stage) {
        try {
            return stage.join();
        } catch (CompletionException wrapped) {
            throw rethrow(unwrap(wrapped));
        }
    }

    private static <T> T getUninterruptibly(Future<T> future) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return future.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException failed) {
                    throw rethrow(failed.getCause());
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static Throwable unwrap(Throwable failure) {
        if ((failure instanceof CompletionException || failure instanceof ExecutionException)
                && failure.getCause() != null) {
            return failure.getCause();
        }
        return failure;
    }

    /** Throws as {@link Task#join()} would for a task that failed with {@code failure}. */
    private static RuntimeException rethrow(Throwable failure) {
        if (failure instanceof RuntimeException) {
            throw (RuntimeException) failure;
        }
        if (failure instanceof Error) {
            throw (Error) failure;
        }
        if (failure instanceof CancellationException) {
            throw (CancellationException) failure;
        }
        throw new CompletionException(failure);
    }
}
