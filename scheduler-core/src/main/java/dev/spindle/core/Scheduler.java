package dev.spindle.core;

import dev.spindle.core.internal.HostBudget;
import dev.spindle.core.internal.HostBudgetSetting;
import dev.spindle.core.internal.ParallelismSetting;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import javax.management.ObjectName;

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
 * stays blocked on them). Tasks already running may keep forking, executing and submitting
 * subtasks after {@code shutdown()} (not after {@code shutdownNow()}); those run too, before the
 * scheduler terminates, so a running task that starts a stage and waits for it still finishes. A task submitted with {@link #execute} that throws goes to its worker's uncaught
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

    /** Stand-ins allowed when the builder does not say: as many as ForkJoinPool's common pool allows. */
    static final int DEFAULT_MAX_SPARE_WORKERS = 256;

    private Scheduler(Builder builder, boolean global) {
        ParallelismSetting setting = ParallelismSetting.resolve(builder.parallelism);
        this.name = builder.name != null ? builder.name : "spindle-" + UNNAMED.incrementAndGet();
        this.global = global;
        int spares = builder.maxSpareWorkers >= 0 ? builder.maxSpareWorkers : DEFAULT_MAX_SPARE_WORKERS;
        this.pool = new WorkerPool(setting.parallelism(), spares, name, builder.workerStackSize,
                builder.daemon, builder.uncaughtExceptionHandler, builder.detectBlockedWorkers,
                builder.threadStarter, builder.hostBudget != null ? builder.hostBudget : namedHostBudget());
        pool.start();
        this.mbean = new AtomicReference<>(ReadOnlySchedulerMBean.register(this));
    }

    /**
     * The host budget named by {@code spindle.hostBudget} or {@code SPINDLE_HOST_BUDGET}, shared by
     * every scheduler of this JVM, or null (then the workers pay nothing for it).
     */
    private static HostBudget namedHostBudget() {
        HostBudgetSetting setting = HostBudgetSetting.resolve();
        return setting == null ? null : HostBudget.open(setting);
    }

    /** The name of this scheduler's JMX view until it is unregistered at shutdown; null if none. */
    private final AtomicReference<ObjectName> mbean;

    /** The global scheduler once created; null before (and after a failed creation). */
    private static volatile Scheduler globalInstance;

    /**
     * The system property that sets {@link #global()}'s {@link #maxSpareWorkers()} (default
     * {@value #DEFAULT_MAX_SPARE_WORKERS}), as {@code java.util.concurrent.ForkJoinPool.common.maximumSpares}
     * does for the common pool.
     */
    public static final String MAX_SPARE_WORKERS_PROPERTY = "spindle.maxSpareWorkers";

    private static synchronized Scheduler createGlobal() {
        Scheduler created = globalInstance;
        if (created == null) {
            Builder builder = new Builder();
            builder.name = "spindle";
            String spares = System.getProperty(MAX_SPARE_WORKERS_PROPERTY);
            if (spares != null) {
                int value;
                try {
                    value = Integer.parseInt(spares.trim());
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("system property " + MAX_SPARE_WORKERS_PROPERTY
                            + " must be an integer in [0, " + ParallelismSetting.MAX + "], was '" + spares + "'", e);
                }
                if (value < 0 || value > ParallelismSetting.MAX) {
                    throw new IllegalArgumentException("system property " + MAX_SPARE_WORKERS_PROPERTY
                            + " must be an integer in [0, " + ParallelismSetting.MAX + "], was " + value);
                }
                builder.maxSpareWorkers(value);
            }
            globalInstance = created = new Scheduler(builder, true);
        }
        return created;
    }

    /**
     * The process-wide scheduler, created on first use with daemon workers named
     * {@code spindle-worker-N}. Its parallelism comes from the system property
     * {@code spindle.parallelism}, else the environment variable {@code SPINDLE_NUM_THREADS}, else
     * {@link Runtime#availableProcessors()}; its cap on stand-ins from {@code spindle.maxSpareWorkers}
     * ({@link #MAX_SPARE_WORKERS_PROPERTY}), else {@value #DEFAULT_MAX_SPARE_WORKERS}.
     *
     * @throws IllegalArgumentException if the property or variable is set to something other
     *     than an integer in [1, 4096] (for the spare cap, [0, 4096]); the message names which one
     *     and its value. It is thrown
     *     on every call until the setting is fixed (no scheduler is created meanwhile), never
     *     turned into an {@code ExceptionInInitializerError} or {@code NoClassDefFoundError}.
     */
    public static Scheduler global() {
        Scheduler created = globalInstance;
        return created != null ? created : createGlobal();
    }

    /** A builder for a scheduler of its own (tests, isolation from the global pool). */
    public static Builder builder() {
        return new Builder();
    }

    /** The number of worker threads. */
    public int parallelism() {
        return pool.parallelism;
    }

    /**
     * The most spare workers that may stand in at once for blocked workers (found blocked, or
     * inside {@link #managedBlock}); default {@value #DEFAULT_MAX_SPARE_WORKERS}.
     */
    public int maxSpareWorkers() {
        return pool.spares.cap();
    }

    /** The name given to the builder; worker threads are named {@code <name>-worker-N}. */
    public String name() {
        return name;
    }

    /**
     * Whether the calling thread is one of this scheduler's workers (a spare standing in for a
     * blocked worker included): then {@link #fork} puts work on the caller's own deque and
     * {@link Task#join()} helps instead of blocking. Cheap: one type check and one comparison.
     */
    public boolean ownsCurrentThread() {
        return pool.currentWorker() != null;
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
        Task<T> forked = Task.of(task, worker != null ? worker.currentRegion() : null);
        if (worker != null) {
            worker.push(forked);
        } else {
            pool.submitFromOutside(forked);
        }
        return forked;
    }

    /**
     * Starts a task that is its own work, as {@link #fork(Callable)} does, without allocating
     * anything besides the task ({@link ForkableTask}). Returns {@code task}, so that
     * {@code fork(new Sub(...))} reads as a fork of a lambda does. (A separate overload, not a
     * type parameter for the subclass: a lambda would then match both forks.)
     *
     * @throws NullPointerException if {@code task} is null
     * @throws IllegalStateException if {@code task} was forked before
     * @throws RejectedExecutionException if called from outside the pool after shutdown (the task
     *     is then cancelled)
     */
    public <T> ForkableTask<T> fork(ForkableTask<T> task) {
        Objects.requireNonNull(task, "task");
        Worker worker = pool.currentWorker();
        task.markForked(worker != null ? worker.currentRegion() : null);
        if (worker != null) {
            worker.push(task);                           // publishes the task, its region included
        } else {
            try {
                pool.submitFromOutside(task);
            } catch (RejectedExecutionException shutDown) {
                task.cancel(false);                      // it will never run: a join must not wait
                throw shutDown;
            }
        }
        return task;
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
        Task<T> invoked = Task.of(task, worker != null ? worker.currentRegion() : null);
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
     * place while it blocks, up to the scheduler's {@link #maxSpareWorkers()} cap, and the worker's
     * places in the arenas it is inside are free for others meanwhile. Past the cap, or if no
     * thread can be started, the call still runs, without a stand-in. Live worker threads never
     * exceed parallelism + cap. On any other thread, or nested inside another {@code managedBlock},
     * the call simply runs.
     *
     * <p>Blocking without this method is safe too: a worker that stays blocked while work waits is
     * found by the scheduler and gets a stand-in after a short delay ({@code docs/design/blocking.md}).
     * This method saves that delay, and the detection's guesswork.
     *
     * @throws NullPointerException if {@code blocking} is null
     * @throws java.util.concurrent.CompletionException wrapping a checked exception of the call;
     *     unchecked exceptions and errors are rethrown as they are
     */
    public static <T> T managedBlock(Callable<T> blocking) {
        Objects.requireNonNull(blocking, "blocking");
        Thread thread = Thread.currentThread();
        Worker worker = thread instanceof WorkerThread ? ((WorkerThread) thread).worker() : null;
        if (worker != null && worker.inManagedBlock()) {
            worker = null;                               // nested: the outer call already counts it
        }
        ArenaCore[] lent = worker != null ? worker.beginManagedBlock() : null;
        try {
            return blocking.call();
        } catch (RuntimeException | Error unchecked) {
            throw unchecked;
        } catch (Exception checked) {
            throw new java.util.concurrent.CompletionException(checked);
        } finally {
            if (worker != null) {
                worker.endManagedBlock(lent);
            }
        }
    }

    /**
     * Waits for {@code future} and returns its value, helping as {@link Task#join()} does: on a
     * worker of any Spindle scheduler it runs other tasks while it waits, so waiting inside a task
     * for a {@link java.util.concurrent.CompletableFuture} or a {@link Future} of the same pool
     * never holds a worker idle. A {@link Task} is joined; a {@code CompletableFuture} (or any
     * {@link java.util.concurrent.CompletionStage} future) wakes the waiter when it completes;
     * another {@code Future} is polled between helped tasks. On any other thread it simply waits.
     * Interrupts do not stop the wait; the interrupt status is kept.
     *
     * @throws NullPointerException if {@code future} is null
     * @throws java.util.concurrent.CancellationException if the future was cancelled
     * @throws java.util.concurrent.CompletionException wrapping a checked exception of the
     *     future's computation; unchecked exceptions and errors are rethrown as they are
     */
    public static <T> T join(Future<T> future) {
        return ForeignWait.join(future);
    }

    /**
     * Runs {@code supplier} on this scheduler and returns a {@link CompletableFuture} of its result
     * whose async methods without an executor ({@code thenApplyAsync(fn)} and the rest) run on this
     * scheduler too, as do those of every stage that depends on it; {@code CompletableFuture}'s own
     * {@code supplyAsync(supplier)} would send them all to the common pool. A failure of the
     * supplier completes the future exceptionally, as {@code supplyAsync} does.
     *
     * @throws NullPointerException if {@code supplier} is null
     * @throws RejectedExecutionException as {@link #execute} does, after shutdown
     */
    public <T> CompletableFuture<T> supplyAsync(Supplier<T> supplier) {
        Objects.requireNonNull(supplier, "supplier");
        return new SchedulerStage<T>(this).completeAsync(supplier);
    }

    /**
     * Runs {@code action} on this scheduler and returns a {@link CompletableFuture} completed when it
     * ends; its dependents' async methods default to this scheduler, as for {@link #supplyAsync}.
     *
     * @throws NullPointerException if {@code action} is null
     * @throws RejectedExecutionException as {@link #execute} does, after shutdown
     */
    public CompletableFuture<Void> runAsync(Runnable action) {
        Objects.requireNonNull(action, "action");
        return new SchedulerStage<Void>(this).completeAsync(() -> {
            action.run();
            return null;
        });
    }

    /** A snapshot of this scheduler's counters. */
    public SchedulerStats stats() {
        return pool.stats();
    }

    /**
     * The figures of every arena built on this scheduler, in the order the workers serve their
     * queues (highest priority first). Arenas stay registered for the scheduler's lifetime, so the
     * list only grows.
     */
    public List<ArenaStats> arenaStats() {
        ArenaCore[] arenas = pool.arenas();
        List<ArenaStats> all = new ArrayList<>(arenas.length);
        for (ArenaCore arena : arenas) {
            all.add(ArenaStats.of(arena));
        }
        return all;
    }

    /**
     * The name under which this scheduler's read-only JMX view is registered with the platform
     * MBean server ({@code dev.spindle:type=Scheduler,name=<name>}, with {@code ,instance=N} added
     * when another live scheduler has the same name), or empty if it has none: after shutdown, or
     * if JMX refused it.
     */
    public java.util.Optional<ObjectName> mbeanName() {
        return java.util.Optional.ofNullable(mbean.get());
    }

    // ------------------------------------------------------------------ ExecutorService

    /**
     * Runs {@code command} in the pool. If it throws, the exception goes to the uncaught exception
     * handler of the worker that ran it; the worker carries on.
     *
     * @throws NullPointerException if {@code command} is null
     * @throws RejectedExecutionException after shutdown, from outside the pool; after
     *     {@code shutdownNow()}, from anywhere
     */
    @Override
    public void execute(Runnable command) {
        Objects.requireNonNull(command, "command");
        enqueue(new RunnableCallable<>(command, null, true));
    }

    /**
     * @throws NullPointerException if {@code task} is null
     * @throws RejectedExecutionException after shutdown, from outside the pool; after
     *     {@code shutdownNow()}, from anywhere
     */
    @Override
    public <T> Task<T> submit(Callable<T> task) {
        Objects.requireNonNull(task, "task");
        return enqueue(task);
    }

    private <T> Task<T> enqueue(Callable<T> work) {
        Worker worker = pool.currentWorker();
        if (worker != null) {
            // A running task may still submit after shutdown(), as it may fork: a task that submits
            // a stage and waits for it must finish. After shutdownNow() nothing new would run.
            if (pool.isStopped()) {
                throw new RejectedExecutionException("scheduler " + name + " has been shut down (now)");
            }
            Task<T> task = Task.of(work, worker.currentRegion());
            worker.push(task);                           // the worker runs its own deque before exiting
            return task;
        }
        Task<T> task = new Task<>(work);
        pool.submitFromOutside(task);                    // rejects after shutdown
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
            ReadOnlySchedulerMBean.unregister(mbean.getAndSet(null));
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
        List<Task<?>> neverRan = pool.shutdownNow();
        ReadOnlySchedulerMBean.unregister(mbean.getAndSet(null));
        List<Runnable> cancelled = new ArrayList<>(neverRan.size());
        for (Task<?> task : neverRan) {
            Callable<?> work = task.work();              // read before cancel() drops it
            if (work != null && task.cancel(false)) {
                cancelled.add(RunnableCallable.toRunnable(work));
            }
        }
        return cancelled;
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
        SchedulerStats stats = pool.stats();
        return "Scheduler[" + name + ", parallelism=" + parallelism() + ", " + state
                + ", active=" + stats.activeWorkers() + ", blocked=" + stats.blockedWorkers()
                + ", stand-ins=" + stats.activeSpareWorkers() + "/" + stats.maxSpareWorkers()
                + ", queued=" + stats.queuedSubmissions() + "]";
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
        private boolean detectBlockedWorkers = true;
        private WorkerPool.ThreadStarter threadStarter = Thread::start;
        private Thread.UncaughtExceptionHandler uncaughtExceptionHandler;
        private HostBudget hostBudget;

        /**
         * Worker stack size in bytes. Joins that run tasks inline nest on the worker's stack, so
         * workers get a deeper stack than the JVM default, enough for a 10,000-deep join chain in
         * every compilation state; the memory is reserved, not committed.
         */
        public static final long DEFAULT_WORKER_STACK_SIZE = 32L << 20;
        /**
         * The smallest worker stack accepted, in bytes: room for the nesting limit's reserve and
         * its smallest depth of joins, so that a deep join chain ends in the limit's clear error,
         * never in a bare {@code StackOverflowError}.
         */
        public static final long MIN_WORKER_STACK_SIZE = 512L << 10;
        /** The largest worker stack accepted, in bytes. */
        public static final long MAX_WORKER_STACK_SIZE = 1L << 30;

        private Builder() {
        }

        /**
         * The number of workers, from 1 to 4096 ({@code docs/design/configuration.md} says why 4096).
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
            this.name = requireName(name);
            return this;
        }

        /** {@code name} if it is a name a builder takes (not null, not blank); else the exception. */
        static String requireName(String name) {
            Objects.requireNonNull(name, "name");
            if (name.isBlank()) {
                throw new IllegalArgumentException("name must not be blank, was '" + name + "'");
            }
            return name;
        }

        /**
         * The most spare workers that may stand in at once for blocked workers; default
         * {@value Scheduler#DEFAULT_MAX_SPARE_WORKERS}. A spare thread starts only for a worker
         * that is really blocked while work waits, and retires when that worker resumes, so
         * the cap bounds threads, not parallelism. 0 disables stand-ins: then a pool whose
         * workers all block on work still queued in it waits forever, as a fixed thread pool
         * would.
         *
         * @throws IllegalArgumentException if negative or above 4096
         */
        public Builder maxSpareWorkers(int maxSpareWorkers) {
            if (maxSpareWorkers < 0 || maxSpareWorkers > ParallelismSetting.MAX) {
                throw new IllegalArgumentException("maxSpareWorkers must be in [0, "
                        + ParallelismSetting.MAX + "], was " + maxSpareWorkers);
            }
            this.maxSpareWorkers = maxSpareWorkers;
            return this;
        }

        /**
         * Whether the scheduler watches for workers that block inside a task without
         * {@link Scheduler#managedBlock} and gives them stand-ins (default true). With false,
         * only {@code managedBlock} gets stand-ins, and a blocked task holds its worker (and its
         * arena place) as in a fixed thread pool; no monitor thread is started.
         */
        public Builder detectBlockedWorkers(boolean detect) {
            this.detectBlockedWorkers = detect;
            return this;
        }

        /** For tests: how worker threads are started (a starter that throws simulates failures). */
        Builder threadStarter(WorkerPool.ThreadStarter starter) {
            this.threadStarter = Objects.requireNonNull(starter, "starter");
            return this;
        }

        /** For tests: the host budget to use instead of the one the system property names. */
        Builder hostBudget(HostBudget budget) {
            this.hostBudget = Objects.requireNonNull(budget, "budget");
            return this;
        }

        /** Whether workers are daemon threads (default true: an unclosed scheduler does not keep the JVM alive). */
        public Builder daemon(boolean daemon) {
            this.daemon = daemon;
            return this;
        }

        /**
         * Stack size of each worker thread in bytes, from 512 KiB to 1 GiB; 0 means the JVM
         * default. Default {@link #DEFAULT_WORKER_STACK_SIZE}. It also sets how deep joins may nest
         * on a worker ({@code docs/design/join.md}).
         *
         * @throws IllegalArgumentException if not 0 and outside [512 KiB, 1 GiB]
         */
        public Builder workerStackSize(long bytes) {
            if (bytes != 0 && (bytes < MIN_WORKER_STACK_SIZE || bytes > MAX_WORKER_STACK_SIZE)) {
                throw new IllegalArgumentException("workerStackSize must be 0 (the JVM default) or in ["
                        + MIN_WORKER_STACK_SIZE + ", " + MAX_WORKER_STACK_SIZE + "] bytes, was " + bytes);
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
