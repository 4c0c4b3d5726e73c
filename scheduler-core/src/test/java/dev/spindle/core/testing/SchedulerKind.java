package dev.spindle.core.testing;

import dev.spindle.core.Scheduler;

/**
 * The schedulers every algorithm test runs on: parallelism 1 (nothing ever splits), 2 (this
 * machine's cores), 4 (more workers than cores, so parts are preempted mid-way), and
 * {@link Scheduler#global()} (never closed; the hygiene checks exempt it).
 */
public enum SchedulerKind {
    ONE_WORKER(1),
    TWO_WORKERS(2),
    FOUR_WORKERS(4),
    GLOBAL(0);

    private final int parallelism;

    SchedulerKind(int parallelism) {
        this.parallelism = parallelism;
    }

    /** A new scheduler closed and checked after the test, or the global one. */
    public Scheduler make(SchedulerHygiene hygiene) {
        return parallelism == 0 ? Scheduler.global() : hygiene.newScheduler(parallelism);
    }
}
