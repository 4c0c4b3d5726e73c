package dev.spindle.core;

import dev.spindle.core.internal.Sleep;
import dev.spindle.core.internal.SubmissionGate;
import dev.spindle.core.internal.SubmissionQueues;
import dev.spindle.core.internal.WorkStealingDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jctools.queues.MpmcUnboundedXaddArrayQueue;

/**
 * What the workers of one scheduler share: the workers themselves, the injector queue for tasks
 * submitted from outside, the sleep protocol, the submission gate, and termination.
 *
 * <p>Where a worker looks for work, in order: its own deque (LIFO), the injector (FIFO), then the
 * other workers' deques, starting at a random victim (FIFO steals).
 *
 * <p>Who may call: {@link #submitFromOutside} any thread; {@link #scanForWork} and the
 * {@code worker…} callbacks only workers; lifecycle methods any thread.
 */
final class WorkerPool {

    private static final int INJECTOR_CHUNK = 256;

    final Worker[] workers;
    final Sleep sleep;
    final SubmissionGate gate = new SubmissionGate();
    /** Never pooled chunks: a pooled xadd queue can lose a task ({@link SubmissionQueues}). */
    private final MpmcUnboundedXaddArrayQueue<Task<?>> injector = SubmissionQueues.newQueue(INJECTOR_CHUNK);

    // Idle/busy transitions are rare next to tasks, so one shared counter is cheap enough.
    private final AtomicInteger activeWorkers = new AtomicInteger();
    private final AtomicInteger peakActiveWorkers = new AtomicInteger();
    private final AtomicLong outsideSubmissions = new AtomicLong();
    private final AtomicInteger liveWorkers;
    private final CountDownLatch terminated = new CountDownLatch(1);

    /** The number of regular workers; {@link #workers} also holds the spares after them. */
    final int parallelism;
    final SpareWorkers spares;

    WorkerPool(int parallelism, int maxSpares, String name, long stackSize, boolean daemon,
               Thread.UncaughtExceptionHandler handler) {
        this.parallelism = parallelism;
        int all = parallelism + maxSpares;
        this.sleep = new Sleep(all);
        this.workers = new Worker[all];
        this.liveWorkers = new AtomicInteger(parallelism);
        for (int i = 0; i < all; i++) {
            String threadName = i < parallelism
                    ? name + "-worker-" + (i + 1)
                    : name + "-worker-spare-" + (i - parallelism + 1);
            workers[i] = new Worker(this, i, threadName, stackSize, daemon, handler);
            sleep.bind(i, workers[i].thread());
        }
        this.spares = new SpareWorkers(this, parallelism, maxSpares);
    }

    /** Starts the regular workers; spares start on first need. */
    void start() {
        for (int i = 0; i < parallelism; i++) {
            workers[i].thread().start();
        }
    }

    void startSpare(Worker spare) {
        liveWorkers.incrementAndGet();
        spare.thread().start();
    }

    // ------------------------------------------------------------------ submitting

    /**
     * Queues a task from a thread that is not a worker of this pool, and wakes a sleeper.
     *
     * @throws RejectedExecutionException after shutdown
     */
    void submitFromOutside(Task<?> task) {
        if (!gate.enter()) {
            throw new RejectedExecutionException("scheduler has been shut down");
        }
        try {
            injector.offer(task);
            outsideSubmissions.getAndIncrement();
            sleep.notifyWork();                          // Dekker with a worker going to sleep
        } finally {
            if (gate.exit()) {
                sleep.wakeAll();                         // last submitter after shutdown: let workers exit
            }
        }
    }

    /** The worker of this pool that the current thread is, or null. */
    Worker currentWorker() {
        Thread thread = Thread.currentThread();
        if (thread instanceof WorkerThread) {
            Worker worker = ((WorkerThread) thread).worker();
            if (worker.pool() == this) {
                return worker;
            }
        }
        return null;
    }

    // ------------------------------------------------------------------ finding work

    /**
     * Looks for a task outside {@code self}'s own deque: the queues of submitted work in priority
     * order, then every other worker's deque once, starting at a random victim. Returns null if
     * none was found; then the worker's {@code lastScanAborted} flag tells whether some steal lost a race
     * (the caller must not sleep on such a scan). Worker {@code self} only.
     *
     * @param isolation if not null, only this region's tasks qualify: queues are skipped (their
     *     tasks come from outside any region) and steals take only matching tasks
     */
    Task<?> scanForWork(Worker self, Region isolation) {
        if (isolation == null) {
            Task<?> queued = pollQueues(self);
            if (queued != null) {
                self.setLastScanAborted(false);
                return queued;
            }
        }
        Worker[] all = workers;
        int n = all.length;
        boolean aborted = false;
        if (n > 1) {
            int start = self.nextRandom(n);
            for (int k = 0; k < n; k++) {
                Worker victim = all[(start + k) % n];
                if (victim == self) {
                    continue;
                }
                WorkStealingDeque<Task<?>> deque = victim.deque();
                Object stolen = deque.stealIf(isolation == null ? self.stealable() : isolation);
                if (stolen == WorkStealingDeque.ABORT) {
                    aborted = true;
                } else if (stolen != null) {
                    self.countSteal();
                    if (!deque.isEmpty()) {
                        sleep.notifyWorkIfSleepers();    // the victim has more: wake another thief
                    }
                    self.setLastScanAborted(false);
                    return (Task<?>) stolen;
                }
            }
        }
        self.setLastScanAborted(aborted);
        return null;
    }

    /**
     * Polls the queues of submitted work: arenas of priority HIGH, then the injector and NORMAL
     * arenas, then LOW arenas, skipping arenas this worker may not enter now (at their cap). One
     * scan in {@value #REVERSE_SCAN_PERIOD} goes lowest priority first, so that busy high-priority
     * arenas delay low-priority ones but never starve them.
     */
    private Task<?> pollQueues(Worker self) {
        Arena[] registered = arenas;
        if (registered.length == 0) {
            return pollInjector();
        }
        boolean lowestFirst = self.nextScanIsReversed();
        Task<?> task;
        if (!lowestFirst) {
            for (Arena arena : registered) {             // sorted HIGH, NORMAL, LOW
                if (arena.priority() != Arena.Priority.HIGH) {
                    break;
                }
                if ((task = arena.pollIfEnterable(self.index())) != null) {
                    return task;
                }
            }
            if ((task = pollInjector()) != null) {
                return task;
            }
            for (Arena arena : registered) {
                if (arena.priority() != Arena.Priority.HIGH
                        && (task = arena.pollIfEnterable(self.index())) != null) {
                    return task;
                }
            }
            return null;
        }
        boolean injectorPolled = false;
        for (int i = registered.length - 1; i >= 0; i--) {   // LOW, then injector, NORMAL, HIGH
            Arena arena = registered[i];
            if (!injectorPolled && arena.priority() != Arena.Priority.LOW) {
                injectorPolled = true;
                if ((task = pollInjector()) != null) {
                    return task;
                }
            }
            if ((task = arena.pollIfEnterable(self.index())) != null) {
                return task;
            }
        }
        return injectorPolled ? null : pollInjector();
    }

    private Task<?> pollInjector() {
        Task<?> task = injector.poll();
        if (task != null && !injector.isEmpty()) {
            sleep.notifyWorkIfSleepers();                // more is queued: pass the wake along
        }
        return task;
    }

    // ------------------------------------------------------------------ arenas

    /** One scan in this many polls the queues lowest priority first. */
    static final int REVERSE_SCAN_PERIOD = 16;

    /** Registered arenas, sorted by priority, highest first. Copy-on-write under {@code this}. */
    private volatile Arena[] arenas = new Arena[0];

    synchronized void register(Arena arena) {
        Arena[] grown = java.util.Arrays.copyOf(arenas, arenas.length + 1);
        grown[grown.length - 1] = arena;
        java.util.Arrays.sort(grown, (x, y) -> y.priority().compareTo(x.priority()));
        arenas = grown;
    }

    synchronized void deregister(Arena arena) {
        Arena[] current = arenas;
        Arena[] shrunk = new Arena[Math.max(0, current.length - 1)];
        int j = 0;
        for (Arena registered : current) {
            if (registered != arena && j < shrunk.length) {
                shrunk[j++] = registered;
            }
        }
        if (j == shrunk.length) {
            arenas = shrunk;
        }
    }

    // ------------------------------------------------------------------ accounting

    void workerBecameActive() {
        int now = activeWorkers.incrementAndGet();
        for (int peak = peakActiveWorkers.get(); now > peak; peak = peakActiveWorkers.get()) {
            if (peakActiveWorkers.compareAndSet(peak, now)) {
                break;
            }
        }
    }

    void workerBecameIdle() {
        activeWorkers.decrementAndGet();
    }

    void workerExited() {
        if (liveWorkers.decrementAndGet() == 0) {
            terminated.countDown();
        }
    }

    SchedulerStats stats() {
        long executed = 0;
        long steals = 0;
        long parks = 0;
        long wakeups = 0;
        for (Worker worker : workers) {
            executed += worker.executedCount();
            steals += worker.stealCount();
            parks += worker.parkCount();
            wakeups += worker.wakeupCount();
        }
        return new SchedulerStats(parallelism, executed, steals, parks, wakeups,
                outsideSubmissions.get(), activeWorkers.get(), peakActiveWorkers.get(),
                injector.size());
    }

    // ------------------------------------------------------------------ lifecycle

    void shutdown() {
        if (gate.shutdown()) {
            sleep.wakeAll();                             // sleepers re-check and exit when drained
            spares.wakeRetiredForShutdown();
        }
    }

    /**
     * Stops: no queued task starts any more (tasks already running finish, and so do the tasks
     * they fork onto their own deques). Returns the work of the tasks that never started; each of
     * those tasks is cancelled, so that no caller stays blocked on it.
     */
    List<Runnable> shutdownNow() {
        gate.stop();
        // Submitters admitted before the stop are still putting their task in the injector; wait
        // for them (a few instructions each), or their task would be neither run nor returned.
        while (!gate.isDrained()) {
            Thread.onSpinWait();
        }
        List<Task<?>> neverRan = new ArrayList<>();
        for (Task<?> task; (task = injector.poll()) != null; ) {
            neverRan.add(task);
        }
        for (Arena arena : arenas) {
            arena.drainTo(neverRan);
        }
        for (Worker worker : workers) {
            WorkStealingDeque<Task<?>> deque = worker.deque();
            for (Object stolen = deque.steal(); stolen != null; stolen = deque.steal()) {
                if (stolen != WorkStealingDeque.ABORT) {
                    neverRan.add((Task<?>) stolen);
                }
            }
        }
        List<Runnable> cancelled = new ArrayList<>(neverRan.size());
        for (Task<?> task : neverRan) {
            java.util.concurrent.Callable<?> work = task.work();   // read before cancel() drops it
            if (work != null && task.cancel(false)) {
                cancelled.add(RunnableCallable.toRunnable(work));
            }
        }
        sleep.wakeAll();
        spares.wakeRetiredForShutdown();
        for (Worker worker : workers) {
            if (worker.thread().isAlive()) {
                worker.thread().interrupt();
            }
        }
        return cancelled;
    }

    boolean isShutdown() {
        return gate.isShutdown();
    }

    boolean isStopped() {
        return gate.isStopped();
    }

    boolean isTerminated() {
        return terminated.getCount() == 0;
    }

    boolean awaitTermination(long nanos) throws InterruptedException {
        return terminated.await(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    }
}
