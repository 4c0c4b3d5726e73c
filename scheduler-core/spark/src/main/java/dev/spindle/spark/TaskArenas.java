package dev.spindle.spark;

import dev.spindle.core.Arena;
import dev.spindle.core.Scheduler;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The arenas that cap running Spark tasks, reused from task to task.
 *
 * <p>An arena stays registered with its scheduler for the scheduler's lifetime, so one arena per
 * task would grow without bound. Instead a task borrows a free arena whose cap is its
 * {@code cpus} and gives it back when it ends; at most as many arenas exist per cap as tasks
 * with that cap ever ran at once on the executor. The pool is per scheduler and outlives
 * the plugin instance, so a second Spark context in the same JVM reuses the arenas of the first.
 *
 * <p>Thread-safe: tasks start and end on many threads at once.
 */
final class TaskArenas {

    private static final ConcurrentHashMap<Scheduler, TaskArenas> BY_SCHEDULER = new ConcurrentHashMap<>();

    private final Scheduler scheduler;
    private final ConcurrentHashMap<Integer, Queue<Arena>> free = new ConcurrentHashMap<>();
    private final AtomicInteger created = new AtomicInteger();

    private TaskArenas(Scheduler scheduler) {
        this.scheduler = scheduler;
    }

    /** The pool of arenas on {@code scheduler}, the same instance for every call with it. */
    static TaskArenas on(Scheduler scheduler) {
        Objects.requireNonNull(scheduler, "scheduler");
        return BY_SCHEDULER.computeIfAbsent(scheduler, TaskArenas::new);
    }

    /**
     * A free arena capped at {@code cpus} workers, new if none is free. The caller owns it until
     * {@link #release}.
     *
     * @throws IllegalArgumentException if {@code cpus} is below 1
     */
    Arena acquire(int cpus) {
        if (cpus < 1) {
            throw new IllegalArgumentException("cpus must be at least 1, was " + cpus);
        }
        Arena arena = freeArenas(cpus).poll();
        if (arena == null) {
            arena = Arena.builder()
                    .scheduler(scheduler)
                    .maxConcurrency(cpus)
                    .name("spark-task-" + cpus + "cpu-" + created.incrementAndGet())
                    .build();
        }
        return arena;
    }

    /** Gives back an arena from {@link #acquire}; the caller must not use it afterwards. */
    void release(Arena arena) {
        Objects.requireNonNull(arena, "arena");
        freeArenas(arena.maxConcurrency()).offer(arena);
    }

    /** How many arenas this pool has created, for tests and the executor's report. */
    int created() {
        return created.get();
    }

    /** How many of them are free now (all of them when no task holds one). */
    int idle() {
        int idle = 0;
        for (Queue<Arena> arenas : free.values()) {
            idle += arenas.size();
        }
        return idle;
    }

    private Queue<Arena> freeArenas(int cpus) {
        return free.computeIfAbsent(cpus, c -> new ConcurrentLinkedQueue<>());
    }
}
