package dev.spindle.core;

import java.util.concurrent.Callable;

/**
 * A task that belongs to an arena or an isolated region ({@link Region}). A subclass rather than a
 * field of every {@link Task}: most tasks belong to the scheduler's default region, and without
 * the field a task is 24 bytes instead of 32 ({@code docs/design/join.md}, "What the fast path
 * pays"). Create through {@link Task#of}.
 */
sealed class TaskInRegion<T> extends Task<T> permits ListenedTask, ForkableTask {

    /**
     * Read through {@link Task#region()}. Final but for a {@link ForkableTask}, whose fork sets it
     * before the push or submission that publishes the task.
     */
    Region region;

    TaskInRegion(Callable<? extends T> work, Region region) {
        super(work);
        this.region = region;
    }

    /** A task that is its own work, of no region until it is forked. */
    TaskInRegion() {
        super();
        this.region = Region.UNFORKED;
    }
}
