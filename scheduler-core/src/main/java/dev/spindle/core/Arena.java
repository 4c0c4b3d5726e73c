package dev.spindle.core;

import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A capped, prioritised share of a scheduler's workers — the same workers, never threads of its
 * own (oneTBB's {@code task_arena}).
 *
 * <p><b>Cap.</b> At most {@link #maxConcurrency()} threads run this arena's tasks at any moment.
 * A thread that blocks inside one of the arena's tasks (on a future, a latch, a lock) does not
 * count while it is blocked, so the work it waits for can start even when the arena is full (a
 * {@code newFixedThreadPool(n)} would deadlock there); when it resumes it counts again, and until
 * the tasks that started meanwhile end, one more thread than the cap may run
 * ({@code docs/design/blocking.md}).
 * A thread counts once however deep it is inside the arena's tasks (a task that joins and helps
 * with more of the arena's tasks is still one thread). Tasks forked inside the arena belong to it.
 * A cap above the scheduler's parallelism is allowed and then never binds.
 *
 * <p><b>Priority.</b> When workers are scarce, queued tasks of {@link Priority#HIGH} arenas start
 * before the scheduler's own submissions and {@link Priority#NORMAL} arenas, which start before
 * {@link Priority#LOW} ones; one scan in sixteen goes lowest first, so low priority is delayed,
 * never starved. Priority orders the start of submitted tasks; subtasks they fork are stolen in
 * the usual way.
 *
 * <p>{@link #asExecutorService()} is the drop-in for {@code Executors.newFixedThreadPool(n)}:
 * application code keeps its executor idiom and no thread is created.
 *
 * <p>Thread-safe; every method may be called from any thread. An arena stays registered with its
 * scheduler for the scheduler's lifetime, so make one per subsystem, not one per request.
 */
public final class Arena {

    /** Which arena's queued tasks start first when workers are scarce. */
    public enum Priority {
        /** Served after everything else (but one scan in sixteen serves it first). */
        LOW,
        /** The scheduler's own submissions have this priority. */
        NORMAL,
        /** Served before everything else. */
        HIGH
    }

    private static final AtomicInteger UNNAMED = new AtomicInteger();

    private final Scheduler scheduler;
    private final Priority priority;
    private final ArenaCore core;
    private volatile ArenaExecutorService executor;

    private Arena(Builder builder) {
        this.scheduler = builder.scheduler != null ? builder.scheduler : Scheduler.global();
        this.priority = builder.priority;
        WorkerPool pool = scheduler.pool();
        int cap = builder.maxConcurrency != 0 ? builder.maxConcurrency : scheduler.parallelism();
        String name = builder.name != null ? builder.name : "arena-" + UNNAMED.incrementAndGet();
        this.core = new ArenaCore(pool, cap, corePriority(priority), name);
        pool.register(core);
        ArenaEvents.arenaBuilt();
    }

    private static int corePriority(Priority priority) {
        switch (priority) {
            case LOW: return ArenaCore.LOW;
            case HIGH: return ArenaCore.HIGH;
            default: return ArenaCore.NORMAL;
        }
    }

    /** The public priority of the engine's queue priority {@code core}. */
    static Priority priorityOf(int core) {
        switch (core) {
            case ArenaCore.LOW: return Priority.LOW;
            case ArenaCore.HIGH: return Priority.HIGH;
            default: return Priority.NORMAL;
        }
    }

    /** A builder; defaults: {@link Scheduler#global()}, cap = its parallelism, {@link Priority#NORMAL}. */
    public static Builder builder() {
        return new Builder();
    }

    /** The most threads that run this arena's tasks at once. */
    public int maxConcurrency() {
        return core.maxConcurrency();
    }

    /** This arena's priority. */
    public Priority priority() {
        return priority;
    }

    /** This arena's name. */
    public String name() {
        return core.name();
    }

    /** The scheduler whose workers run this arena's tasks. */
    public Scheduler scheduler() {
        return scheduler;
    }

    /**
     * The most threads that ran this arena's tasks at once so far. At most the cap, except that a
     * thread which blocked (and lent its place to another) counts again when it resumes, so the
     * peak can pass the cap by the threads that resumed while the arena was full
     * ({@code docs/design/blocking.md}).
     */
    public int peakConcurrency() {
        return core.peakConcurrency();
    }

    /** This arena's figures now: cap, threads running its tasks, tasks queued, peak, deferred. */
    public ArenaStats stats() {
        return ArenaStats.of(core);
    }

    /**
     * The figures of the arena behind {@code executor}, if it is an arena's
     * {@link #asExecutorService()}: code handed only the executor can still see how full its
     * arena is. The arena itself is not reachable this way, so an executor that was shut down
     * gives no door to submit more.
     *
     * @return the arena's figures, or empty if {@code executor} is not an arena's executor
     * @throws NullPointerException if {@code executor} is null
     */
    public static java.util.Optional<ArenaStats> statsOf(ExecutorService executor) {
        Objects.requireNonNull(executor, "executor");
        if (executor instanceof ArenaExecutorService) {
            return java.util.Optional.of(((ArenaExecutorService) executor).arena().stats());
        }
        return java.util.Optional.empty();
    }

    /**
     * Runs {@code task} in the arena and returns its result. On a worker that may enter the arena
     * now, the task runs on the calling thread; otherwise it is queued and the caller waits (a
     * worker helps while it waits, a thread outside the pool blocks).
     *
     * @throws NullPointerException if {@code task} is null
     * @throws RejectedExecutionException if the scheduler has been shut down (from outside the pool)
     * @throws java.util.concurrent.CompletionException wrapping a checked exception of the task;
     *     unchecked exceptions and errors are rethrown as they are
     */
    public <T> T execute(Callable<T> task) {
        Objects.requireNonNull(task, "task");
        Task<T> inArena = Task.of(task, core.region);
        Worker worker = scheduler.pool().currentWorker();
        if (worker != null) {
            worker.runTask(inArena);                     // runs now, or is queued if at the cap
        } else {
            submitFromOutside(inArena);
        }
        return inArena.join();
    }

    /**
     * This arena as an {@link ExecutorService}: "a thread pool of {@code maxConcurrency()}" that
     * creates no threads. It honours the whole {@code ExecutorService} contract with a lifecycle of
     * its own: shutting it down stops only submissions through it. Every call returns the same
     * instance.
     */
    public ExecutorService asExecutorService() {
        ArenaExecutorService current = executor;
        if (current == null) {
            synchronized (this) {
                current = executor;
                if (current == null) {
                    executor = current = new ArenaExecutorService(this);
                }
            }
        }
        return current;
    }

    // ------------------------------------------------------------------ for the executor

    Region region() {
        return core.region;
    }

    WorkerPool pool() {
        return scheduler.pool();
    }

    /** Queues a task of this arena from any thread, through the scheduler's submission gate. */
    void submitFromOutside(Task<?> task) {
        core.submitFromOutside(task, scheduler.name());
    }

    @Override
    public String toString() {
        return "Arena[" + core.name() + ", maxConcurrency=" + core.maxConcurrency() + ", " + priority
                + ", running=" + core.insideCount() + ", queued=" + core.queuedCount() + "]";
    }

    /** Configures an {@link Arena}. */
    public static final class Builder {
        private Scheduler scheduler;
        private int maxConcurrency;
        private Priority priority = Priority.NORMAL;
        private String name;

        private Builder() {
        }

        /** The scheduler whose workers run the arena's tasks; default {@link Scheduler#global()}. */
        public Builder scheduler(Scheduler scheduler) {
            this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
            return this;
        }

        /**
         * The most threads that may run the arena's tasks at once; default the scheduler's
         * parallelism.
         *
         * @throws IllegalArgumentException if below 1 (the message gives the value)
         */
        public Builder maxConcurrency(int maxConcurrency) {
            if (maxConcurrency < 1) {
                throw new IllegalArgumentException("maxConcurrency must be >= 1, was " + maxConcurrency);
            }
            this.maxConcurrency = maxConcurrency;
            return this;
        }

        /** The arena's priority; default {@link Priority#NORMAL}. */
        public Builder priority(Priority priority) {
            this.priority = Objects.requireNonNull(priority, "priority");
            return this;
        }

        /** The arena's name, for messages and {@code toString}. */
        public Builder name(String name) {
            this.name = Scheduler.Builder.requireName(name);
            return this;
        }

        /** Creates the arena and registers it with its scheduler. */
        public Arena build() {
            return new Arena(this);
        }
    }
}
