package dev.spindle.core;

import java.util.concurrent.Callable;

/**
 * A task that belongs to an arena or an isolated region ({@link Region}). A subclass rather than a
 * field of every {@link Task}: most tasks belong to the scheduler's default region, and without
 * the field a task is 24 bytes instead of 32 ({@code docs/design/join.md}, "What the fast path
 * pays"). Create through {@link Task#of}.
 */
sealed class TaskInRegion<T> extends Task<T> permits ListenedTask {

    private final Region region;

    TaskInRegion(Callable<? extends T> work, Region region) {
        super(work);
        this.region = region;
    }

    @Override
    final Region region() {
        return region;
    }
}
