package dev.spindle.core;

import dev.spindle.core.internal.ParallelismSetting;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A work-stealing scheduler: a fixed set of worker threads, sized to the cores, that run
 * {@link Task}s. It is meant to be the one pool of a process ({@link #global()}), shared by the
 * application and the libraries it calls, so that nested parallel code never puts more running
 * threads on the machine than there are workers.
 *
 * <p><b>Forking and joining.</b> {@link #fork} from a worker pushes the task on that worker's own
 * deque, where idle workers can steal it; from any other thread it queues the task for the pool.
 * {@link Task#join()} on a worker helps instead of blocking. At no moment do more than
 * {@link #parallelism()} threads run this scheduler's tasks ({@link SchedulerStats#peakActiveWorkers()}).
 *
 * <p><b>Idle workers</b> spin for some microseconds, then park; an idle pool uses no CPU. New work wakes one sleeping worker, never all of them.
 *
 * <p><b>Executor contract.</b> This class honours {@link ExecutorService}: after
 * {@link #shutdown()} new submissions from outside the pool are rejected and queued tasks still
 * run; {@link #shutdownNow()} returns the tasks that never started (and cancels them, so nobody
 * stays blocked on them). Tasks already running may keep forking subtasks after shutdown; those
 * run too. A task submitted with {@link #execute} that throws goes to its worker's uncaught
 * exception handler; the worker itself survives any task failure.
 *
 * <p><b>Memory visibility.</b> Actions of a thread before it submits or forks a task happen-before
 * the task runs; the task's actions happen-before a successful return from its join or get.
 *
 * <p>{@link #global()} is never shut down: its lifecycle methods have no effect, as for
 * {@code ForkJoinPool.commonPool()}.
 */
public final class Scheduler extends TaskExecutor {

    private static final AtomicInteger UNNAMED = new AtomicInteger();

    private final WorkerPool pool;
    private final String name;
    private final boolean global;

    private Scheduler(Builder builder, boolean global) {
        ParallelismSetting setting = ParallelismSetting.resolve(builder.parallelism);
        this.name = builder.name != null ? builder.name : "spindle-" + UNNAMED.incrementAndGet();
        this.global = global;
        int spares = builder.maxSpareWorkers >= 0 ? builder.maxSpareWorkers : setting.parallelism();
        this.pool = new WorkerPool(setting.parallelism(), spares, name, builder.workerStackSize,
                builder.daemon, builder.uncaughtExceptionHandler);
        pool.start();
    }

    private static final class GlobalHolder {
        static final Scheduler GLOBAL = createGlobal();

        private static Scheduler createGlobal() {
            Builder builder = new Builder();
            builder.name = "spindle";
            return new Scheduler(builder, true);
        }
    }

    /**
     * The process-wide scheduler, created on first use with daemon workers named
     * {@code spindle-worker-N}. Its parallelism comes from the system property
     * {@code spindle.parallelism}, else the environment variable {@code SPINDLE_NUM_THREADS}, else
     * {@link Runtime#availableProcessors()}.
     *
     * @throws IllegalArgumentException (on first use) if the property or variable is set to
     *     something other than a positive integer; the message names which one and its value
     */
    public static Scheduler global() {
        return GlobalHolder.GLOBAL;
    }

    /** A builder for a scheduler of its own (tests, isolation from the global pool). */
    public static Builder builder() {
        return new Builder();
    }

    /** The number of worker threads. */
    public int parallelism() {
        return pool.parallelism;
    }

    /** The most spare workers that may stand in for workers blocked in {@link #managedBlock}. */
    public int maxSpareWorkers() {
        return pool.spares.cap();
    }

    /** The name given to the builder; worker threads are named {@code <name>-worker-N}. */
    public String name() {
        return name;
    }

    // ------------------------------------------------------------------ fork / invoke

    /**
     * Starts {@code task} asynchronously. On a worker of this scheduler the task goes on that
     * worker's own deque (this is allowed even after shutdown, so running computations can
     * finish); from any other thread it is queued for the pool.
     *
     * @throws NullPointerException if {@code task} is null
     * @throws RejectedExecutionException if called from outside the pool after shutdown
     */
    public <T> Task<T> fork(Callable<T> task) {
        Objects.requireNonNull(task, "task");
        Worker worker = pool.currentWorker();
        Task<T> forked = new Task<>(task, worker != null ? worker.currentRegion() : null);
        if (worker != null) {
            worker.push(forked);
        } else {
            pool.submitFromOutside(forked);
        }
        return forked;
    }

    /**
     * Runs {@code task} in the pool and returns its result. On a worker of this scheduler the task
     * runs at once on the calling thread; from elsewhere the caller blocks until a worker has run it.
     *
     * @throws NullPointerException if {@code task} is null
     * @throws RejectedExecutionException if called from outside the pool after shutdown
     * @throws java.util.concurrent.CompletionException wrapping a checked exception of the task;
     *     unchecked exceptions and errors are rethrown as they are
     */
    public <T> T invoke(Callable<T> task) {
        Objects.requireNonNull(task, "task");
        Worker worker = pool.currentWorker();
        Task<T> invoked = new Task<>(task, worker != null ? worker.currentRegion() : null);
        if (worker != null) {
            worker.runTask(invoked);
        } else {
            pool.submitFromOutside(invoked);
        }
        return invoked.join();
    }

    WorkerPool pool() {
        return pool;
    }

    // ------------------------------------------------------------------ isolation and blocking

    /**
     * Runs {@code body} in an isolated region and returns its result: while a worker waits inside
     * the region (in a join, a loop of {@link Parallel}, a {@link TaskGroup#close()}), it runs
     * only tasks forked inside the region, never an unrelated task. So code that holds a lock or
     * thread-local state across a parallel call cannot be re-entered by another task on the same
     * thread while it waits (oneTBB's {@code this_task_arena::isolate}). Other workers may still
     * steal the region's tasks. From a thread outside the pool, the body runs in the pool and the
     * caller blocks.
     *
     * @throws NullPointerException if {@code body} is null
     * @throws java.util.concurrent.CompletionException wrapping a checked exception of the body;
     *     unchecked exceptions and errors are rethrown as they are
     */
    public <T> T isolate(Callable<T> body) {
        Objects.requireNonNull(body, "body");
        Worker worker = pool.currentWorker();
        if (worker == null) {
            // Drained by shutdownNow, this entry is returned as the body itself: run outside the
            // pool, the entry would only be rejected by the stopped scheduler.
            return invoke(DrainedWork.returning(() -> isolate(body), RunnableCallable.toRunnable(body)));
        }
        Region outer = worker.currentRegion();
        worker.setCurrentRegion(new Region(outer != null ? outer.arena : null, true));
        try {
            return body.call();
        } catch (RuntimeException | Error unchecked) {
            throw unchecked;
        } catch (Exception checked) {
            throw new java.util.concurrent.CompletionException(checked);
        } finally {
            worker.setCurrentRegion(outer);
        }
    }

    /** As {@link #isolate(Callable)}, for a body without a result. */
    public void isolate(Runnable body) {
        Objects.requireNonNull(body, "body");
        isolate(new RunnableCallable<>(body, null, false));
    }

    /**
     * Runs a call that may block (I/O, a lock, a future of another system). If the current thread
     * is a worker of any Spindle scheduler, a spare worker of that scheduler may run tasks in its
     * place while it blocks, up to the scheduler's {@link #maxSpareWorkers()} cap (default: the
     * parallelism); past the cap the call still runs, without a stand-in. Live worker threads
     * never exceed parallelism + cap. On any other thread the call simply runs.
     *
     * @throws NullPointerException if {@code blocking} is null
     * @throws java.util.concurrent.CompletionException wrapping a checked exception of the call;
     *     unchecked exceptions and errors are rethrown as they are
     */
    public static <T> T managedBlock(Callable<T> blocking) {
        Objects.requireNonNull(blocking, "blocking");
        Thread thread = Thread.currentThread();
        WorkerPool blockedPool = thread instanceof WorkerThread ? ((WorkerThread) thread).worker().pool() : null;
        if (blockedPool != null) {
            blockedPool.workerBecameIdle();
            blockedPool.spares.beginBlocking();
        }
        try {
            return blocking.call();
        } catch (RuntimeException | Error unchecked) {
            throw unchecked;
        } catch (Exception checked) {
            throw new java.util.concurrent.CompletionException(checked);
        } finally {
            if (blockedPool != null) {
                blockedPool.spares.endBlocking();
                blockedPool.workerBecameActive();
            }
        }
    }

    /** A snapshot of this scheduler's counters. */
    public SchedulerStats stats() {
        return pool.stats();
    }

    // ------------------------------------------------------------------ ExecutorService

    /**
     * Runs {@code command} in the pool. If it throws, the exception goes to the uncaught exception
     * handler of the worker that ran it; the worker carries on.
     *
     * @throws NullPointerException if {@code command} is null
     * @throws RejectedExecutionException after shutdown
     */
    @Override
    public void execute(Runnable command) {
        Objects.requireNonNull(command, "command");
        enqueue(new RunnableCallable<>(command, null, true));
    }

    /**
     * @throws NullPointerException if {@code task} is null
     * @throws RejectedExecutionException after shutdown
     */
    @Override
    public <T> Task<T> submit(Callable<T> task) {
        Objects.requireNonNull(task, "task");
        return enqueue(task);
    }

    private <T> Task<T> enqueue(Callable<T> work) {
        if (pool.isShutdown()) {
            throw new RejectedExecutionException("scheduler " + name + " has been shut down");
        }
        Worker worker = pool.currentWorker();
        if (worker != null) {
            Task<T> task = new Task<>(work, worker.currentRegion());
            worker.push(task);                           // the worker runs its own deque before exiting
            return task;
        }
        Task<T> task = new Task<>(work, null);
        pool.submitFromOutside(task);
        return task;
    }

    /**
     * Rejects new submissions from outside the pool; queued and running tasks complete, then the
     * workers exit. No effect on {@link #global()}.
     */
    @Override
    public void shutdown() {
        if (!global) {
            pool.shutdown();
        }
    }

    /**
     * Rejects new submissions and starts no queued task. Running tasks are interrupted and finish
     * (with the subtasks they fork); queued tasks are cancelled, so nobody stays blocked on them,
     * and returned: the user's {@code Runnable} where one was handed over (also through an arena's
     * executor or a {@link TaskGroup}), otherwise a {@code Runnable} that calls the
     * {@code Callable} once; for an internal part of a call that the cancellation released (a
     * forked half of a {@link Parallel} loop or join), a {@code Runnable} that does nothing. Any of
     * them may be run on any thread; none throws an internal error. No effect on {@link #global()}
     * (returns an empty list).
     */
    @Override
    public List<Runnable> shutdownNow() {
        if (global) {
            return new ArrayList<>();
        }
        return pool.shutdownNow();
    }

    @Override
    public boolean isShutdown() {
        return pool.isShutdown();
    }

    @Override
    public boolean isTerminated() {
        return pool.isTerminated();
    }

    /**
     * Waits until every worker has exited after shutdown, or the time is up.
     *
     * @return true if terminated; always false for {@link #global()}, after waiting the time
     */
    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        Objects.requireNonNull(unit, "unit");
        return pool.awaitTermination(unit.toNanos(timeout));
    }

    /**
     * Shuts down and waits for termination, as {@code ExecutorService.close()} does on Java 19+:
     * if interrupted while waiting, calls {@link #shutdownNow()}, keeps waiting, and restores the
     * interrupt status. Called from one of this scheduler's own tasks, it only shuts down (a worker
     * cannot wait for itself to exit). No effect on {@link #global()}.
     */
    @Override
    public void close() {
        if (!global) {
            super.close();
        }
    }

    @Override
    boolean calledFromOwnTask() {
        return pool.currentWorker() != null;
    }

    @Override
    public String toString() {
        String state = isTerminated() ? "terminated" : isShutdown() ? "shutting down" : "running";
        return "Scheduler[" + name + ", parallelism=" + parallelism() + ", " + state + "]";
    }

    /**
     * Configures a new {@link Scheduler}. Parallelism, when not set here, comes from the system
     * property {@code spindle.parallelism}, else the environment variable
     * {@code SPINDLE_NUM_THREADS}, else {@link Runtime#availableProcessors()}.
     */
    public static final class Builder {
        private Integer parallelism;
        private String name;
        private boolean daemon = true;
        private long workerStackSize = DEFAULT_WORKER_STACK_SIZE;
        private int maxSpareWorkers = -1;
        private Thread.UncaughtExceptionHandler uncaughtExceptionHandler;

        /**
         * Worker stack size in bytes. Joins that run tasks inline nest on the worker's stack, so
         * workers get a deeper stack than the JVM default; the memory is reserved, not committed.
         */
        public static final long DEFAULT_WORKER_STACK_SIZE = 16L << 20;

        private Builder() {
        }

        /**
         * The number of workers, from 1 to 32767.
         *
         * @throws IllegalArgumentException if out of range (the message gives the value)
         */
        public Builder parallelism(int parallelism) {
            this.parallelism = ParallelismSetting.resolve(parallelism).parallelism();
            return this;
        }

        /**
         * The scheduler's name; workers are named {@code <name>-worker-N}. Default
         * {@code spindle-<n>}.
         *
         * @throws IllegalArgumentException if blank
         * @throws NullPointerException if null
         */
        public Builder name(String name) {
            Objects.requireNonNull(name, "name");
            if (name.isBlank()) {
                throw new IllegalArgumentException("name must not be blank, was '" + name + "'");
            }
            this.name = name;
            return this;
        }

        /**
         * The most spare workers that may stand in for workers blocked in {@link #managedBlock};
         * default: the parallelism. 0 disables stand-ins.
         *
         * @throws IllegalArgumentException if negative or above 32767
         */
        public Builder maxSpareWorkers(int maxSpareWorkers) {
            if (maxSpareWorkers < 0 || maxSpareWorkers > ParallelismSetting.MAX) {
                throw new IllegalArgumentException("maxSpareWorkers must be in [0, "
                        + ParallelismSetting.MAX + "], was " + maxSpareWorkers);
            }
            this.maxSpareWorkers = maxSpareWorkers;
            return this;
        }

        /** Whether workers are daemon threads (default true: an unclosed scheduler does not keep the JVM alive). */
        public Builder daemon(boolean daemon) {
            this.daemon = daemon;
            return this;
        }

        /**
         * Stack size of each worker thread in bytes; 0 means the JVM default. Default
         * {@link #DEFAULT_WORKER_STACK_SIZE}.
         *
         * @throws IllegalArgumentException if negative
         */
        public Builder workerStackSize(long bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("workerStackSize must be >= 0, was " + bytes);
            }
            this.workerStackSize = bytes;
            return this;
        }

        /** The handler that receives failures of tasks submitted with {@code execute}; default: the thread's default. */
        public Builder uncaughtExceptionHandler(Thread.UncaughtExceptionHandler handler) {
            this.uncaughtExceptionHandler = Objects.requireNonNull(handler, "handler");
            return this;
        }

        /**
         * Creates and starts the scheduler.
         *
         * @throws IllegalArgumentException if the parallelism was not set here and the system
         *     property or environment variable holds something other than a positive integer
         */
        public Scheduler build() {
            return new Scheduler(this, false);
        }
    }
}
