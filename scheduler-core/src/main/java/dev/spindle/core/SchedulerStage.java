package dev.spindle.core;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * The {@link CompletableFuture} {@link Scheduler#supplyAsync} and {@link Scheduler#runAsync} return:
 * its async methods without an executor ({@code thenApplyAsync(fn)}, {@code thenAcceptAsync(fn)},
 * {@code completeAsync(supplier)}, ...) run on the scheduler that made it instead of the common
 * pool, and so do those of every stage that depends on it ({@link #newIncompleteFuture}). Nothing
 * else differs from {@code CompletableFuture}.
 */
final class SchedulerStage<T> extends CompletableFuture<T> {

    private final Executor executor;

    SchedulerStage(Executor executor) {
        this.executor = executor;
    }

    @Override
    public Executor defaultExecutor() {
        return executor;
    }

    @Override
    public <U> CompletableFuture<U> newIncompleteFuture() {
        return new SchedulerStage<>(executor);
    }

    @Override
    public String toString() {
        return "SchedulerStage[" + executor + "] " + super.toString();
    }
}
