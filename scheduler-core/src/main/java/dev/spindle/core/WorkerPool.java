package dev.spindle.core;

import dev.spindle.core.internal.HostBudget;
import dev.spindle.core.internal.Sleep;
import dev.spindle.core.internal.SubmissionGate;
import dev.spindle.core.internal.SubmissionQueues;
import dev.spindle.core.internal.WorkStealingDeque;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jctools.queues.MpmcUnboundedXaddArrayQueue;

/**
 * What the workers of one scheduler share: the workers themselves, the injector queue for tasks
 * submitted from outside, the registered arenas' queues, the sleep protocol, the submission gate,
 * the stand-ins for blocked workers, and termination.
 *
 * <p>Where a worker looks for work, in order: its own deque (LIFO), the queues (FIFO, by
 * priority), then the other workers' deques, starting at a random victim (FIFO steals). A
 * stand-in first steals from the deques of the workers it stands in for.
 *
 * <p><b>Slots.</b> {@link #workers} has a slot for every regular worker and every possible spare.
 * Regular workers exist from the start; a spare's worker is created when it is first needed. Scans
 * walk only the slots below {@link #slotsInUse()}, so unused spare slots cost nothing.
 *
 * <p>Who may call: {@link #submitFromOutside} any thread; {@link #scanForWork} and the
 * {@code worker…} callbacks only workers; lifecycle methods any thread.
 */
final class WorkerPool {

    private static final int INJECTOR_CHUNK = 256;
    /** One busy worker in the packed {@link #activity} word; the low half counts active workers. */
    private static final long BUSY = 1L << 32;
    private static final long ACTIVE = 1L;
    /**
     * The low half holds active + this bias, so that the active count may dip below zero for a
     * moment (a worker found blocked is paused by the monitor, and may finish its task before the
     * monitor resumes it) without borrowing from the busy count.
     */
    private static final long ACTIVE_BIAS = 1L << 31;
    private static final VarHandle SLOT;

    static {
        SLOT = MethodHandles.arrayElementVarHandle(Worker[].class);
    }

    /** How a worker thread is started; tests replace it to make starts fail. */
    interface ThreadStarter {
        void start(Thread thread);
    }

    /**
     * Every slot: regular workers, then spares (null until first needed). A slot is written once,
     * with a release store, before {@link #slotsInUse} covers it; readers read {@code slotsInUse}
     * first (a volatile read), so they see the whole worker.
     */
    final Worker[] workers;
    private volatile int slotsInUse;
    final Sleep sleep;
    final SubmissionGate gate = new SubmissionGate();
    /** Never pooled chunks: a pooled xadd queue can lose a task ({@link SubmissionQueues}). */
    private final MpmcUnboundedXaddArrayQueue<Task<?>> injector = SubmissionQueues.newQueue(INJECTOR_CHUNK);

    /**
     * [busy : 32 | active : 32]. Busy: workers inside a top-level task (blocked or not), which
     * decides when idle workers may exit after shutdown. Active: busy workers that are neither
     * asleep in a join nor blocked ({@link SchedulerStats#activeWorkers()}). One atomic add per
     * idle/busy transition moves both.
     */
    private final AtomicLong activity = new AtomicLong(ACTIVE_BIAS);
    private final AtomicInteger peakActiveWorkers = new AtomicInteger();
    private final AtomicLong outsideSubmissions = new AtomicLong();
    private final AtomicInteger liveWorkers = new AtomicInteger();
    private final CountDownLatch terminated = new CountDownLatch(1);

    /** The number of regular workers; {@link #workers} also holds the spares after them. */
    final int parallelism;
    final SpareWorkers spares;
    /** Null when blocked-worker detection is off. */
    final StallMonitor monitor;
    /** The deepest a worker may nest tasks on its stack by joining ({@code docs/design/join.md}). */
    final int maxNestingDepth;
    /** The host budget this pool's workers share with other JVMs, or null when none is named. */
    final PoolBudget budget;
    private final String name;
    private final long stackSize;
    private final boolean daemon;
    private final Thread.UncaughtExceptionHandler handler;
    private final ThreadStarter starter;
    /** Whether the monitor's thread started and counts in {@link #liveWorkers}; it exits last. */
    private volatile boolean monitorCounted;

    WorkerPool(int parallelism, int maxSpares, String name, long stackSize, boolean daemon,
               Thread.UncaughtExceptionHandler handler, boolean detectBlocking, ThreadStarter starter,
               HostBudget hostBudget) {
        this.parallelism = parallelism;
        this.budget = hostBudget != null ? new PoolBudget(hostBudget, this, parallelism + maxSpares) : null;
        this.name = name;
        this.stackSize = stackSize;
        this.daemon = daemon;
        this.handler = handler;
        this.starter = starter;
        this.maxNestingDepth = NestingLimit.forStackSize(stackSize);
        int all = parallelism + maxSpares;
        this.sleep = new Sleep(all);
        this.workers = new Worker[all];
        for (int i = 0; i < parallelism; i++) {
            createWorker(i);
        }
        this.slotsInUse = parallelism;
        this.spares = new SpareWorkers(this, parallelism, maxSpares);
        this.monitor = detectBlocking ? new StallMonitor(this, name + "-monitor", daemon) : null;
    }

    private Worker createWorker(int index) {
        String threadName = index < parallelism
                ? name + "-worker-" + (index + 1)
                : name + "-worker-spare-" + (index - parallelism + 1);
        Worker worker = new Worker(this, index, threadName, stackSize, daemon, handler);
        sleep.bind(index, worker.thread());
        SLOT.setRelease(workers, index, worker);
        return worker;
    }

    /** The scheduler's name, which its threads' names start with. */
    String name() {
        return name;
    }

    /** The stall monitor's thread, or null when blocked-worker detection is off. */
    Thread monitorThread() {
        return monitor != null ? monitor.thread() : null;
    }

    /** Slots [0, n) may hold a worker (a null one is a spare not created yet). Any thread. */
    int slotsInUse() {
        return slotsInUse;
    }

    /**
     * Starts the regular workers (and the stall monitor). If a thread cannot be started, the ones
     * already started are shut down and waited for, and the failure is rethrown: a failed build
     * leaves no thread behind.
     */
    void start() {
        try {
            for (int i = 0; i < parallelism; i++) {
                startThread(workers[i].thread());
            }
            if (monitor != null) {
                startThread(monitor.thread());           // counted live: termination waits for it too
                monitorCounted = true;
            }
            FlightEvents.poolStarted(this);
        } catch (Throwable failure) {
            shutdown();
            if (liveWorkers.get() == 0) {
                terminated.countDown();
            }
            boolean interrupted = false;
            try {
                while (true) {
                    try {
                        if (!terminated.await(30, TimeUnit.SECONDS)) {
                            failure.addSuppressed(new IllegalStateException(
                                    "workers started before the failure did not exit within 30 s"));
                        }
                        break;
                    } catch (InterruptedException e) {
                        interrupted = true;
                    }
                }
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
            throw failure;
        }
    }

    private void startThread(Thread thread) {
        liveWorkers.incrementAndGet();
        try {
            starter.start(thread);
        } catch (Throwable failure) {
            liveWorkers.decrementAndGet();
            throw failure;
        }
    }

    /**
     * Creates (on first use) and starts spare slot {@code index}'s thread.
     *
     * @throws Throwable whatever starting the thread threw ({@code OutOfMemoryError: unable to
     *     create native thread}); nothing is left counted then
     */
    void startSpare(int index) {
        Worker spare = workers[index];
        if (spare == null) {
            spare = createWorker(index);
            synchronized (this) {
                if (slotsInUse <= index) {
                    slotsInUse = index + 1;
                }
            }
        }
        startThread(spare.thread());
    }

    /** Recreates a spare slot whose thread could not start (a Thread cannot be started twice). */
    void discardSpare(int index) {
        Worker failed = workers[index];
        if (failed != null && failed.thread().getState() == Thread.State.NEW) {
            createWorker(index);
        }
    }

    // ------------------------------------------------------------------ submitting

    /**
     * Queues a task from a thread that is not a worker of this pool, and wakes a sleeper.
     *
     * @throws RejectedExecutionException after shutdown
     */
    void submitFromOutside(Task<?> task) {
        if (!gate.enter()) {
            throw new RejectedExecutionException("scheduler " + name + " has been shut down");
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

    void countOutsideSubmission() {
        outsideSubmissions.getAndIncrement();
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
     * Slots one scan probes for a victim unless the caller asks for a sweep of all: the cost of a
     * scan, and the time between two looks at the queues (and, joining, at the awaited task), stay
     * the same however many workers there are ({@code docs/design/scaling.md}). Pools of up to this
     * many slots are swept whole every time.
     */
    static final int STEAL_PROBES = 8;

    /**
     * Looks for a task outside {@code self}'s own deque: for a stand-in, the deques of blocked
     * workers first; then the queues of submitted work in priority order, then other workers'
     * deques, starting at a random slot: every other worker's once if {@code sweepAll}, else the
     * {@value #STEAL_PROBES} slots from that start. Returns null if none was found; then the
     * worker's {@code lastScanAborted} flag tells whether some steal lost a race (the caller must
     * not sleep on such a scan). Worker {@code self} only.
     *
     * <p>Only a sweep of all may decide that there is nothing to do: the re-check of the sleep
     * protocol, after the worker has registered as a sleeper, must see every deque
     * ({@code docs/design/sleep.md}), and so must the check that lets an idle worker exit.
     *
     * @param isolation if not null, only this region's tasks qualify: queues are skipped (their
     *     tasks come from outside any region) and steals take only matching tasks
     * @param sweepAll whether to try every other worker's deque, not only {@value #STEAL_PROBES}
     */
    Task<?> scanForWork(Worker self, Region isolation, boolean sweepAll) {
        int n = slotsInUse;
        boolean aborted = false;
        java.util.function.Predicate<Task<?>> accept = isolation == null ? self.stealable() : isolation;
        if (self.isSpare() && spares.anyBlocked()) {
            // A stand-in helps the work its blocked workers left behind before anything else: that
            // is most likely what they wait for (ForkJoinPool's helpAsyncBlocker does the same).
            for (int k = 0; k < n; k++) {
                Worker victim = workers[k];
                if (victim != null && victim != self && victim.isBlocked()) {
                    Object stolen = victim.deque().stealIf(accept);
                    if (stolen == WorkStealingDeque.ABORT) {
                        aborted = true;
                    } else if (stolen != null) {
                        self.countSteal();
                        self.setLastScanAborted(false);
                        return (Task<?>) stolen;
                    }
                }
            }
        }
        if (isolation == null) {
            Task<?> queued = pollQueues(self);
            if (queued != null) {
                self.setLastScanAborted(false);
                return queued;
            }
        }
        if (n > 1) {
            int start = self.nextRandom(n);
            int probes = sweepAll ? n : Math.min(n, STEAL_PROBES);
            for (int k = 0; k < probes; k++) {
                Worker victim = workers[(start + k) % n];
                if (victim == self || victim == null) {
                    continue;
                }
                WorkStealingDeque<Task<?>> deque = victim.deque();
                Object stolen = deque.stealIf(accept);
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
        ArenaCore[] registered = arenas;
        if (registered.length == 0) {
            return pollInjector();
        }
        boolean lowestFirst = self.nextScanIsReversed();
        Task<?> task;
        if (!lowestFirst) {
            for (ArenaCore arena : registered) {         // sorted HIGH, NORMAL, LOW
                if (arena.priority() != ArenaCore.HIGH) {
                    break;
                }
                if ((task = arena.pollIfEnterable(self.index())) != null) {
                    return task;
                }
            }
            if ((task = pollInjector()) != null) {
                return task;
            }
            for (ArenaCore arena : registered) {
                if (arena.priority() != ArenaCore.HIGH
                        && (task = arena.pollIfEnterable(self.index())) != null) {
                    return task;
                }
            }
            return null;
        }
        boolean injectorPolled = false;
        for (int i = registered.length - 1; i >= 0; i--) {   // LOW, then injector, NORMAL, HIGH
            ArenaCore arena = registered[i];
            if (!injectorPolled && arena.priority() != ArenaCore.LOW) {
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

    /**
     * Whether any task waits anywhere: in the injector, an arena queue or a worker's deque. A
     * racy snapshot, for the stall monitor. Any thread.
     */
    boolean anyWorkWaiting() {
        if (!injector.isEmpty()) {
            return true;
        }
        for (ArenaCore arena : arenas) {
            if (arena.hasQueued()) {
                return true;
            }
        }
        int n = slotsInUse;
        for (int k = 0; k < n; k++) {
            Worker worker = workers[k];
            if (worker != null && !worker.deque().isEmpty()) {
                return true;
            }
        }
        return false;
    }

    // ------------------------------------------------------------------ arenas

    /** One scan in this many polls the queues lowest priority first. */
    static final int REVERSE_SCAN_PERIOD = 16;

    /** Registered arenas, sorted by priority, highest first. Copy-on-write under {@code this}. */
    private volatile ArenaCore[] arenas = new ArenaCore[0];

    synchronized void register(ArenaCore arena) {
        ArenaCore[] grown = java.util.Arrays.copyOf(arenas, arenas.length + 1);
        grown[grown.length - 1] = arena;
        java.util.Arrays.sort(grown, (x, y) -> Integer.compare(y.priority(), x.priority()));
        arenas = grown;
    }

    ArenaCore[] arenas() {
        return arenas;
    }

    // ------------------------------------------------------------------ accounting

    /** A worker took a top-level task (it is busy and active). */
    void workerBecameBusy() {
        long now = activity.addAndGet(BUSY + ACTIVE);
        raisePeak(active(now));
        if (monitor != null && (int) (now >>> 32) == 1) {
            monitor.poolBecameBusy();                    // one volatile read unless it is dormant
        }
    }

    /** A worker finished its top-level task and looks for work again. */
    void workerBecameIdle() {
        long now = activity.addAndGet(-(BUSY + ACTIVE));
        if ((now >>> 32) == 0 && gate.isDrained()) {
            sleep.wakeAll();                             // after shutdown: the last busy worker lets the others exit
            spares.wakeRetiredForExit();
        }
    }

    /** A busy worker stops running tasks for a while (asleep in a join, or blocked). */
    void workerPaused() {
        activity.addAndGet(-ACTIVE);
    }

    /** A paused worker runs tasks again. */
    void workerResumed() {
        raisePeak(active(activity.addAndGet(ACTIVE)));
    }

    private static int active(long activity) {
        return (int) ((activity & 0xFFFF_FFFFL) - ACTIVE_BIAS);
    }

    private void raisePeak(int now) {
        for (int peak = peakActiveWorkers.get(); now > peak; peak = peakActiveWorkers.get()) {
            if (peakActiveWorkers.compareAndSet(peak, now)) {
                break;
            }
        }
    }

    /** Workers running tasks now ({@link SchedulerStats#activeWorkers()}); never negative. */
    int activeWorkers() {
        return Math.max(0, active(activity.get()));
    }

    int busyWorkers() {
        return (int) (activity.get() >>> 32);
    }

    /**
     * Shut down, every admitted submission queued, and no worker busy: nothing can create work any
     * more, so a worker that then finds every queue empty may exit.
     */
    boolean isFinished() {
        return gate.isDrained() && (activity.get() >>> 32) == 0;
    }

    /**
     * A worker's (or the monitor's) thread ends. The monitor outlives every worker: when only it is
     * left, it is told to give back what it holds and exit, and its exit terminates the pool.
     */
    void workerExited() {
        int left = liveWorkers.decrementAndGet();
        if (left == 0) {
            FlightEvents.poolTerminated(this);
            terminated.countDown();
        } else if (left == 1 && monitorCounted && monitor.isRunning()) {
            monitor.poolTerminated();
        }
    }

    SchedulerStats stats() {
        long executed = 0;
        long steals = 0;
        long parks = 0;
        long wakeups = 0;
        int n = slotsInUse;
        for (int k = 0; k < n; k++) {
            Worker worker = workers[k];
            if (worker != null) {
                executed += worker.executedCount();
                steals += worker.stealCount();
                parks += worker.parkCount();
                wakeups += worker.wakeupCount();
            }
        }
        return new SchedulerStats(parallelism, executed, steals, parks, wakeups,
                outsideSubmissions.get(), active(activity.get()), peakActiveWorkers.get(),
                injector.size(), spares.blockedCount(), spares.activeCount(), spares.startedCount(),
                spares.cap(), monitor != null ? monitor.detections() : 0L);
    }

    // ------------------------------------------------------------------ lifecycle

    void shutdown() {
        if (gate.shutdown()) {
            sleep.wakeAll();                             // sleepers re-check and exit when finished
            spares.wakeRetiredForExit();
        }
    }

    /**
     * Stops: no queued task starts any more (tasks already running finish, and so do the tasks
     * they fork onto their own deques). Returns the tasks that never started, each cancelled, so
     * that no caller stays blocked on it.
     */
    List<Task<?>> shutdownNow() {
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
        for (ArenaCore arena : arenas) {
            arena.drainTo(neverRan);
        }
        int n = slotsInUse;
        for (int k = 0; k < n; k++) {
            Worker worker = workers[k];
            if (worker == null) {
                continue;
            }
            WorkStealingDeque<Task<?>> deque = worker.deque();
            for (Object stolen = deque.steal(); stolen != null; stolen = deque.steal()) {
                if (stolen != WorkStealingDeque.ABORT) {
                    neverRan.add((Task<?>) stolen);
                }
            }
        }
        sleep.wakeAll();
        spares.wakeRetiredForExit();
        for (int k = 0; k < n; k++) {
            Worker worker = workers[k];
            if (worker != null && worker.thread().isAlive()) {
                worker.thread().interrupt();
            }
        }
        return neverRan;
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
        return terminated.await(nanos, TimeUnit.NANOSECONDS);
    }

    /** The worker stack size asked for, in bytes (0: the JVM default). */
    long stackSizeBytes() {
        return stackSize;
    }
}
