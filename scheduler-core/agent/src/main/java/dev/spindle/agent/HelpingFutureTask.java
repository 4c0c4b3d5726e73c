package dev.spindle.agent;

import dev.spindle.core.Scheduler;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * The future a {@link RedirectedThreadPoolExecutor} hands out for {@code submit}: a
 * {@link FutureTask} whose untimed {@link #get()} called on a Spindle worker waits helping
 * ({@link Scheduler#join(java.util.concurrent.Future)}), as a task of an outer pool that waits for a
 * task of an inner pool does all the time, unless it holds a monitor ({@link HelpingPolicy}). The
 * wait ignores interrupts, as {@code join} does, and keeps the interrupt status. {@code get(timeout)} and every other thread wait the JDK's way.
 */
final class HelpingFutureTask<V> extends FutureTask<V> {

    /** Completed by {@link #done()}: the callback {@code Scheduler.join} wakes on. */
    private final CompletableFuture<Void> finished = new CompletableFuture<>();

    HelpingFutureTask(Callable<V> callable) {
        super(callable);
    }

    HelpingFutureTask(Runnable runnable, V result) {
        super(runnable, result);
    }

    @Override
    protected void done() {
        finished.complete(null);
    }

    @Override
    public V get() throws InterruptedException, ExecutionException {
        if (!isDone() && Scheduler.global().ownsCurrentThread() && HelpingPolicy.mayHelp()) {
            Scheduler.join(finished);
        }
        return super.get();
    }
}
