package dev.spindle.core;

import dev.spindle.core.internal.SubmissionQueues;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.jctools.queues.MpmcUnboundedXaddArrayQueue;

/**
 * A capped, prioritised share of a scheduler's workers — the same workers, never threads of its
 * own (oneTBB's {@code task_arena}).
 *
 * <p><b>Cap.</b> At most {@link #maxConcurrency()} threads run this arena's tasks at any moment.
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

    private static final int HOLD_STRIDE = 16;           // ints per worker: one cache line each
    private static final VarHandle HOLD = MethodHandles.arrayElementVarHandle(int[].class);
    private static final AtomicInteger UNNAMED = new AtomicInteger();

    private final Scheduler scheduler;
    private final WorkerPool pool;
    private final int maxConcurrency;
    private final Priority priority;
    private final String name;
    private final Region region = new Region(this, false);
    /** Never pooled chunks: a pooled xadd queue can lose a task ({@link SubmissionQueues}). */
    private final MpmcUnboundedXaddArrayQueue<Task<?>> queue = SubmissionQueues.newQueue(64);
    /** Threads inside the arena now: each holds one permit. */
    private final AtomicInteger inside = new AtomicInteger();
    private final AtomicInteger peakInside = new AtomicInteger();
    /**
     * Per worker, how deep it is inside this arena; each worker writes only its own entry. The
     * 0 -> 1 store is volatile and comes before the permit CAS, so a thread that finds the arena
     * full (after that CAS) also sees who holds a permit: {@link #forward} wakes those holders.
     */
    private final int[] holdDepth;
    private volatile ArenaExecutorService executor;

    private Arena(Builder builder) {
        this.scheduler = builder.scheduler != null ? builder.scheduler : Scheduler.global();
        this.pool = scheduler.pool();
        this.maxConcurrency = builder.maxConcurrency != 0 ? builder.maxConcurrency : scheduler.parallelism();
        this.priority = builder.priority;
        this.name = builder.name != null ? builder.name : "arena-" + UNNAMED.incrementAndGet();
        this.holdDepth = new int[pool.workers.length * HOLD_STRIDE];
        pool.register(this);
    }

    /** A builder; defaults: {@link Scheduler#global()}, cap = its parallelism, {@link Priority#NORMAL}. */
    public static Builder builder() {
        return new Builder();
    }

    /** The most threads that run this arena's tasks at once. */
    public int maxConcurrency() {
        return maxConcurrency;
    }

    /** This arena's priority. */
    public Priority priority() {
        return priority;
    }

    /** This arena's name. */
    public String name() {
        return name;
    }

    /** The scheduler whose workers run this arena's tasks. */
    public Scheduler scheduler() {
        return scheduler;
    }

    /** The most threads that were inside this arena at once so far; never above the cap. */
    public int peakConcurrency() {
        return peakInside.get();
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
        Task<T> inArena = new Task<>(task, region);
        Worker worker = pool.currentWorker();
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

    // ------------------------------------------------------------------ scheduler side

    Region region() {
        return region;
    }

    WorkerPool pool() {
        return pool;
    }

    /** Queues a task of this arena from any thread, through the scheduler's submission gate. */
    void submitFromOutside(Task<?> task) {
        if (!pool.gate.enter()) {
            throw new RejectedExecutionException("scheduler " + scheduler.name() + " has been shut down");
        }
        try {
            queue.offer(task);
            pool.sleep.notifyWork();
        } finally {
            if (pool.gate.exit()) {
                pool.sleep.wakeAll();
            }
        }
    }

    /**
     * Takes worker {@code index} into the arena: free if it is already inside, else one permit.
     * Worker {@code index} only.
     *
     * @return false if the arena is at its cap
     */
    boolean enter(int index) {
        int slot = index * HOLD_STRIDE;
        int depth = holdDepth[slot];
        if (depth > 0) {
            holdDepth[slot] = depth + 1;                 // already inside: no permit, no fence
            return true;
        }
        HOLD.setVolatile(holdDepth, slot, 1);            // announce before taking the permit
        if (!tryAcquirePermit()) {
            HOLD.setVolatile(holdDepth, slot, 0);
            return false;
        }
        return true;
    }

    /** Leaves one level; the outermost exit returns the permit. Worker {@code index} only. */
    void exit(int index) {
        int slot = index * HOLD_STRIDE;
        int depth = holdDepth[slot] - 1;
        if (depth > 0) {
            holdDepth[slot] = depth;
            return;
        }
        HOLD.setVolatile(holdDepth, slot, 0);
        inside.decrementAndGet();                        // atomic: Dekker with a sleeper's re-check
        if (!queue.isEmpty()) {
            pool.sleep.notifyWorkIfSleepers();           // a permit is free for what waits here
        }
    }

    /**
     * Hands a task this worker may not run now (the arena is at its cap) to the arena's queue,
     * where it starts when a permit frees. If the scheduler is stopped, the task runs without a
     * permit instead, so that it is neither lost after {@code shutdownNow}'s drain nor run twice.
     * Worker {@code index} only.
     */
    void forward(Task<?> task, Worker worker) {
        boolean queued = false;
        try {
            if (pool.gate.enterHandOver()) {
                queue.offer(task);
                queued = true;
            }
        } finally {
            if (pool.gate.exit()) {
                pool.sleep.wakeAll();
            }
        }
        if (queued) {
            // Only a thread inside the arena may take the task now, and each of them may be asleep
            // in a join (nothing else to help with): wake those. The offer (an atomic add on the
            // queue's index) comes before these reads, and a holder registers as a sleeper before
            // it re-checks the queues, so either it sees the task or we see it asleep.
            for (int i = 0; i < pool.workers.length; i++) {
                if ((int) HOLD.getVolatile(holdDepth, i * HOLD_STRIDE) > 0) {
                    pool.sleep.wake(i);
                }
            }
            pool.sleep.notifyWorkIfSleepers();
        } else {
            worker.runWithoutPermit(task);
        }
    }

    /**
     * Whether worker {@code index} may enter now (it is inside, or a permit is free). A hint: the
     * permit may be gone a moment later, and then {@link #enter} fails and the task is forwarded.
     * Worker {@code index} only.
     */
    boolean mayEnter(int index) {
        return holdDepth[index * HOLD_STRIDE] > 0 || inside.get() < maxConcurrency;
    }

    /** A queued task, if worker {@code index} may enter the arena now. Worker {@code index} only. */
    Task<?> pollIfEnterable(int index) {
        if (queue.isEmpty() || (holdDepth[index * HOLD_STRIDE] == 0 && inside.get() >= maxConcurrency)) {
            // owner-only read of its own entry: plain is exact
            return null;
        }
        return queue.poll();
    }

    /** Moves every queued task to {@code into} (for {@code shutdownNow}). */
    void drainTo(List<Task<?>> into) {
        for (Task<?> task; (task = queue.poll()) != null; ) {
            into.add(task);
        }
    }

    private boolean tryAcquirePermit() {
        for (int now = inside.get(); now < maxConcurrency; now = inside.get()) {
            if (inside.compareAndSet(now, now + 1)) {
                for (int peak = peakInside.get(); now + 1 > peak; peak = peakInside.get()) {
                    if (peakInside.compareAndSet(peak, now + 1)) {
                        break;
                    }
                }
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return "Arena[" + name + ", maxConcurrency=" + maxConcurrency + ", " + priority
                + ", inside=" + inside.get() + ", queued=" + queue.size() + "]";
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
            Objects.requireNonNull(name, "name");
            if (name.isBlank()) {
                throw new IllegalArgumentException("name must not be blank, was '" + name + "'");
            }
            this.name = name;
            return this;
        }

        /** Creates the arena and registers it with its scheduler. */
        public Arena build() {
            return new Arena(this);
        }
    }
}
