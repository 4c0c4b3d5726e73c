package dev.spindle.core;

import dev.spindle.core.internal.Sleep;
import dev.spindle.core.internal.WorkStealingDeque;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One worker: its thread, its deque, its main loop, and the helping join.
 *
 * <p>Main loop: take from the own deque; else scan (queues, then steal); else wait in
 * {@link #findOrWait}, the one wait loop: spin, then sleep through {@link Sleep} (no
 * {@code Thread.yield()} phase: see {@link #SPIN_ROUNDS}; an idle worker's spin phase shortens
 * while spinning finds nothing: see {@link #MIN_IDLE_SPIN_ROUNDS}). A worker only sleeps after a
 * scan that found nothing and lost no race (a steal that aborted means work may be there).
 *
 * <p>Join ({@link #awaitDone}): if the awaited task is still at the bottom of this worker's deque,
 * take it and run it inline (the common, fast path). Otherwise run what {@link #findOrWait} finds,
 * nested, until the awaited task completes; with nothing to run, sleep until it completes or new
 * work is announced. A helped task runs with the joiner's interrupt status put aside. Joins nest
 * at most {@link WorkerPool#maxNestingDepth} deep. Details and the reasons:
 * {@code docs/design/join.md}.
 *
 * <p>Who may call: everything here is called only by this worker's own thread, except the
 * {@code …Count()} readers, which any thread may call (they read counters the owner writes with
 * opaque stores, so a reader sees a recent value, never a torn one).
 */
final class Worker extends WorkerOwnerState {

    /**
     * Scan rounds with {@link Thread#onSpinWait()} before sleeping (some microseconds), then sleep:
     * no {@link Thread#yield()} phase, because a yield lengthened the submit-to-start tail
     * ({@code docs/design/sleep.md}, "Why no yield"). {@link #spinRounds} lowers the rounds for
     * large pools, so that one spin phase probes about {@value #SPIN_PROBES} victims.
     */
    private static final int SPIN_ROUNDS = 128;
    private static final int SPIN_PROBES = 2_048;
    /**
     * The fewest spin rounds an idle worker makes before it sleeps ({@link #idleSpinRounds}). An
     * idle worker whose last spin phase found nothing spins half as long the next time, down to
     * this; one whose spinning found work spins the full {@link #spinRounds} again. A joining
     * worker always spins the full count (the task it waits for may be about to finish).
     *
     * <p>Why: the thread that wakes a sleeper can pay for the sleeper's time awake (its
     * {@code unpark} call may last until the woken thread parks again), so every spin round an
     * idle worker makes after a lone submission can land on the submitter
     * ({@code docs/design/sleep.md}, "Where a wake-up's time goes" and "Idle spin"). Only the spin
     * length adapts; the sleep protocol is the same, so no wake-up can be lost to it.
     */
    static final int MIN_IDLE_SPIN_ROUNDS = 2;
    /** Spin rounds for a pool of this many slots; owner computes it once. */
    private final int spinRounds;
    /** {@link WorkerPool#maxNestingDepth}, kept here so the join's check reads no other object. */
    private final int maxNestingDepth;

    private static final VarHandle EXECUTED;
    private static final VarHandle STEALS;
    private static final VarHandle PARKS;
    private static final VarHandle WAKEUPS;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            EXECUTED = lookup.findVarHandle(WorkerOwnerState.class, "executed", long.class);
            STEALS = lookup.findVarHandle(WorkerOwnerState.class, "steals", long.class);
            PARKS = lookup.findVarHandle(WorkerOwnerState.class, "parks", long.class);
            WAKEUPS = lookup.findVarHandle(WorkerOwnerState.class, "wakeups", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final WorkerPool pool;
    private final int index;
    private final WorkStealingDeque<Task<?>> deque = new WorkStealingDeque<>();
    private final WorkerThread thread;
    /** A stand-in for blocked workers ({@link SpareWorkers}), not one of the regular workers. */
    private final boolean spare;
    /** Set by the stall monitor while it counts this worker as blocked; read by stand-ins. */
    private volatile boolean detectedBlocked;
    /** Set by this worker while it is inside {@code managedBlock}; read by the stall monitor. */
    private volatile boolean managedBlocking;
    /**
     * Set by this worker while it waits in Spindle's own code (asleep in the wait loop, or parked
     * as a retired spare), and cleared only by the worker itself when it runs again: a worker that
     * was woken but has not got a core yet still counts as waiting in Spindle, not as blocked.
     */
    private volatile boolean waitingInSpindle;
    /**
     * This worker's share of the host budget, or null when none is named. Spares have one too: a
     * stand-in runs on a free token or on the token of a blocked worker, like any other worker
     * ({@code docs/design/host-budget.md}, "The bound").
     */
    private final WorkerBudget budget;

    /**
     * What this worker may steal when not isolated: any task, except one of an arena it may not
     * enter now. A thief that stole such a task could only forward it to the arena's queue, where
     * a permit holder waiting in an isolated region would never look for it.
     */
    private final java.util.function.Predicate<Task<?>> stealable = this::mayRun;

    // The owner-written fields (current region and group, counters, steal state) are in
    // WorkerOwnerState, padded away from other workers' (and other objects').

    Worker(WorkerPool pool, int index, String name, long stackSize, boolean daemon,
           Thread.UncaughtExceptionHandler handler) {
        this.pool = pool;
        this.index = index;
        this.randomState = 0x9E3779B9 * (index + 1);
        this.thread = new WorkerThread(this, name, stackSize, daemon, handler);
        this.spare = index >= pool.parallelism;
        this.budget = pool.budget != null ? pool.budget.forWorker(this) : null;
        // A scan probes at most STEAL_PROBES victims (WorkerPool.scanForWork), however large the pool.
        this.spinRounds = spinRounds(Math.min(pool.parallelism, WorkerPool.STEAL_PROBES));
        this.idleSpinRounds = spinRounds;
        this.maxNestingDepth = pool.maxNestingDepth;
    }

    static int spinRounds(int workers) {
        return Math.max(2, Math.min(SPIN_ROUNDS, SPIN_PROBES / Math.max(1, workers)));
    }

    WorkerPool pool() {
        return pool;
    }

    WorkStealingDeque<Task<?>> deque() {
        return deque;
    }

    WorkerThread thread() {
        return thread;
    }

    // ------------------------------------------------------------------ forking

    /** Pushes a task forked by this worker, and wakes a sleeper if one is idle. */
    void push(Task<?> task) {
        deque.push(task);
        pool.sleep.notifyPushed();
    }

    int index() {
        return index;
    }

    java.util.function.Predicate<Task<?>> stealable() {
        return stealable;
    }

    private boolean mayRun(Task<?> task) {
        Region region = task.region();
        return region == null || region.arena == null || region.arena.mayEnter(index);
    }

    boolean isSpare() {
        return spare;
    }

    /** Whether this worker is blocked now (detected, or inside managedBlock). Any thread. */
    boolean isBlocked() {
        return detectedBlocked || managedBlocking;
    }

    boolean inManagedBlock() {
        return managedBlocking;
    }

    boolean isWaitingInSpindle() {
        return waitingInSpindle;
    }

    void setWaitingInSpindle(boolean waiting) {
        waitingInSpindle = waiting;
    }

    void setDetectedBlocked(boolean blocked) {
        detectedBlocked = blocked;
    }



    Region currentRegion() {
        return currentRegion;
    }

    void setCurrentRegion(Region region) {
        currentRegion = region;
    }

    /**
     * The value a feature attached to the task this worker runs now ({@link #setTaskContext}), or
     * null: a value attached by a task further down the stack does not belong to this one. Owner
     * only.
     */
    Object taskContext() {
        return taskContextDepth == depth ? taskContext : null;
    }

    /** What {@link #taskContext} holds for whichever task, for saving and restoring. Owner only. */
    Object savedTaskContext() {
        return taskContext;
    }

    int savedTaskContextDepth() {
        return taskContextDepth;
    }

    /** Attaches {@code context} to the task at {@code atDepth} (the current one, or a restore). */
    void setTaskContext(Object context, int atDepth) {
        taskContext = context;
        taskContextDepth = atDepth;
    }

    int depth() {
        return depth;
    }

    /**
     * Runs a task this worker took, inside the task's region. A task of an arena first enters the
     * arena (free if this worker is already inside it, else one of the arena's permits); if the
     * arena is at its cap, the task is handed to the arena's queue instead, to run when a permit
     * frees up.
     */
    void runTask(Task<?> task) {
        Region region = task.region();
        int outerDepth = depth;
        boolean ran;
        if (region == currentRegion) {
            // The common case: a child of the running task (or no region on either side). This
            // worker is already inside the region's arena (whoever set currentRegion entered it,
            // or the scheduler is stopped, see runWithoutPermit), so nothing is entered or left:
            // the fork/join fast path pays only the depth.
            depth = outerDepth + 1;
            try {
                ran = task.run(this);
            } finally {
                depth = outerDepth;
            }
        } else {
            ArenaCore arena = region != null ? region.arena : null;
            if (arena != null && !arena.enter(index)) {
                arena.forward(task, this);
                return;
            }
            Region outerRegion = currentRegion;
            currentRegion = region;
            depth = outerDepth + 1;
            try {
                ran = task.run(this);
            } finally {
                currentRegion = outerRegion;
                depth = outerDepth;
                if (arena != null) {
                    arena.exit(index);
                }
            }
        }
        if (ran) {
            countExecuted();
        }
    }

    // ------------------------------------------------------------------ main loop

    void runLoop() {
        try {
            for (Task<?> task; (task = findOrWait(null, 0L, false)) != null; ) {
                pool.workerBecameBusy();
                do {
                    runTopLevel(task);
                    task = nextTopLevel();
                } while (task != null);
                pool.workerBecameIdle();
            }
        } finally {
            if (budget != null) {
                budget.beforeParking();                  // give the token back on exit
            }
            if (spare) {
                pool.spares.exited(this);
            }
            pool.workerExited();
        }
    }

    /** The next task to run without waiting: own deque, then a scan; none for a surplus spare. */
    private Task<?> nextTopLevel() {
        if (spare && pool.spares.isSurplus(this)) {
            return null;                                 // retire at this task boundary
        }
        Task<?> task = deque.take();
        if (task == null && !pool.isStopped()) {
            task = pool.scanForWork(this, null, false);
        }
        if (task != null && budget != null) {
            budget.beforeRunning();                      // a task boundary: the fairness check
        }
        return task;
    }

    /** Runs a task of a capped arena past its cap; only when the scheduler is stopped. */
    void runWithoutPermit(Task<?> task) {
        Region outerRegion = currentRegion;
        int outerDepth = depth;
        currentRegion = task.region();
        depth = outerDepth + 1;
        boolean ran;
        try {
            ran = task.run(this);
        } finally {
            currentRegion = outerRegion;
            depth = outerDepth;
        }
        if (ran) {
            countExecuted();
        }
    }

    private void runTopLevel(Task<?> task) {
        Thread.interrupted();                            // a task never inherits an old interrupt
        if (FlightEvents.timingTasks) {                  // one volatile load; false unless recorded
            runTimed(task, false);
        } else {
            runTask(task);
        }
    }

    /**
     * Runs a task and reports it as a {@link LongTaskEvent} if it ran for at least the event's
     * threshold. Only while a recording enables that event: it allocates the event.
     */
    private void runTimed(Task<?> task, boolean helped) {
        Class<?> work = task.workClass();                // read before the run drops it
        LongTaskEvent event = new LongTaskEvent();
        event.begin();
        try {
            runTask(task);
        } finally {
            event.end();
            if (event.shouldCommit()) {
                event.scheduler = pool.name();
                event.taskClass = work != null ? work.getName() : null;
                event.helped = helped;
                event.commit();
            }
        }
    }

    /**
     * The one wait loop, for an idle worker and for a join alike (TBB's {@code
     * receive_or_steal_task} with its waiters): look for a task (own deque, queues, steals); with
     * none, spin, then sleep through {@link Sleep}; return the first task found, or null when the
     * stop rule holds. The caller runs what it gets: at top level when idle, nested when joining.
     *
     * <p>The stop rule is given by the arguments. Idle ({@code awaited == null}): the pool has
     * finished (shut down, every submission queued, no worker busy) and a scan found nothing, or
     * this spare retires for good. Joining: {@code awaited} is done, the deadline passed, or (if
     * {@code interruptible}) the thread is interrupted (the caller tells which).
     *
     * <p>Sleeping is where the pool knows a worker waits: a worker registered with {@link Sleep}
     * is never taken for blocked by the {@link StallMonitor}, and a joiner asleep here does not
     * count as active.
     *
     * @param deadline a {@link System#nanoTime()} value, or 0 for none (joining only)
     */
    private Task<?> findOrWait(Task<?> awaited, long deadline, boolean interruptible) {
        boolean joining = awaited != null;
        Sleep sleep = pool.sleep;
        // True when a notifier claimed this worker for new work and it has not scanned since: if
        // it stops now, it must pass the announcement on (docs/design/sleep.md).
        boolean owesScan = false;
        int round = 0;
        for (;;) {
            if (joining) {
                if (awaited.isDone() || (deadline != 0L && deadline - System.nanoTime() <= 0L)
                        || (interruptible && Thread.currentThread().isInterrupted())) {
                    break;
                }
            } else if (spare && pool.spares.isSurplus(this)) {
                if (owesScan) {
                    sleep.notifyWork();                  // claimed for work we will not look for
                    owesScan = false;
                }
                if (!pool.spares.stayActive(this)) {
                    break;                               // retired, then the pool finished
                }
            }
            // Read "finished" before scanning: the last submitter's exit and the last busy
            // worker's exit happen-before that read, so if the scan then finds nothing, nothing
            // will be queued or pushed any more.
            boolean finished = !joining && pool.isFinished();
            Task<?> task = findWork(finished);           // only a sweep of all may let it exit
            owesScan = false;
            if (task != null) {
                if (!joining && round > 0) {
                    idleSpinRounds = spinRounds;         // spinning found work: spin fully again
                }
                if (budget != null) {
                    budget.beforeRunning();              // may wait for a token (it never parks holding one)
                }
                return task;
            }
            if (lastScanAborted) {
                continue;                                // lost a race: work may be there
            }
            if (finished) {
                break;
            }
            if (round++ < (joining ? spinRounds : idleSpinRounds)) {
                Thread.onSpinWait();
                continue;
            }
            if (!joining) {
                // A spin phase that found nothing: the next one is half as long (MIN_IDLE_SPIN_ROUNDS).
                idleSpinRounds = Math.max(MIN_IDLE_SPIN_ROUNDS, idleSpinRounds >>> 1);
            }
            // Nothing to do: sleep until new work is announced (a notifier claims us) or, when
            // joining, the awaited task completes (its completion unparks the waiter we enqueue).
            Task.Waiter waiter = null;
            if (joining && (waiter = awaited.enqueueWaiter()) == null) {
                break;                                   // completed meanwhile
            }
            long ticket = sleep.register(index);
            finished = !joining && pool.isFinished();
            task = findWork(true);                       // the re-check of the sleep protocol: all deques
            if (task != null || lastScanAborted || finished || (joining && awaited.isDone())) {
                owesScan = sleep.leave(index, ticket);   // claimed during the re-check?
                if (waiter != null) {
                    awaited.removeWaiter(waiter);
                }
                if (task != null) {
                    if (budget != null) {
                        budget.beforeRunning();
                    }
                    return task;
                }
                if (finished && !lastScanAborted) {
                    break;
                }
                round = 0;
                continue;
            }
            countPark();
            waitingInSpindle = true;
            if (budget != null) {
                budget.beforeParking();                  // a parked worker never holds a token
            }
            if (joining) {
                pool.workerPaused();
                owesScan = sleep.park(index, ticket, awaited::isDone, deadline, interruptible);
                pool.workerResumed();
                awaited.removeWaiter(waiter);
            } else {
                owesScan = sleep.park(index, ticket, NEVER, 0L, false);
            }
            waitingInSpindle = false;
            if (owesScan) {
                countWakeup();
            }
            round = 0;
        }
        if (owesScan) {
            sleep.notifyWork();                          // woken for work we will not look for
        }
        if (joining && budget != null) {
            budget.beforeRunning();                      // back to the joining task's code
        }
        return null;
    }

    private static final java.util.function.BooleanSupplier NEVER = () -> false;

    /**
     * Own deque, then (unless stopped) queues and steals: from every other worker if
     * {@code sweepAll}, else from a few ({@link WorkerPool#scanForWork}). Sets
     * {@link #lastScanAborted}. Inside an isolated region only that region's tasks qualify.
     */
    private Task<?> findWork(boolean sweepAll) {
        Region region = currentRegion;
        if (region != null && region.isolated) {
            Task<?> own = deque.takeIf(region);
            if (own != null) {
                lastScanAborted = false;
                return own;
            }
            return pool.scanForWork(this, region, sweepAll);
        }
        Task<?> task = deque.take();
        if (task != null) {
            lastScanAborted = false;
            return task;
        }
        if (pool.isStopped()) {
            lastScanAborted = false;
            return null;
        }
        return pool.scanForWork(this, null, sweepAll);
    }

    // ------------------------------------------------------------------ join

    /**
     * Waits, helping, until {@code awaited} completes or the deadline passes.
     *
     * @param deadline a {@link System#nanoTime()} value, or 0 for none
     * @param interruptible whether an interrupt ends the wait ({@code get}) or is kept for later
     *     ({@code join})
     * @return false if the wait ended because the thread was interrupted (the interrupt status is
     *     then cleared, as {@code InterruptedException} requires); true otherwise
     * @throws IllegalStateException if the task joins itself, or if this worker is already
     *     {@link WorkerPool#maxNestingDepth} tasks deep and the awaited task is not done (running
     *     more tasks on this stack could overflow it)
     */
    boolean awaitDone(Task<?> awaited, long deadline, boolean interruptible) {
        if (depth >= maxNestingDepth) {
            throw new IllegalStateException("join nested " + depth + " tasks deep on "
                    + thread.getName() + ", the limit for its " + stackDescription()
                    + "; the awaited task is not done. A join chain this deep would overflow the"
                    + " stack: make the recursion shallower, or give workers a larger stack"
                    + " (Scheduler.Builder.workerStackSize)");
        }
        if (deque.takeIfBottom(awaited)) {
            // The fast path: still ours, run it inline. It is this task's own child, so it runs as
            // plain recursion would, with the joiner's interrupt status as it is.
            runTask(awaited);
            if (awaited.isDone()) {
                return true;
            }
            // Not done: its arena was at its cap, so it was forwarded to the arena's queue. Help
            // until a worker inside the arena runs it.
        } else if (awaited.region() == Region.UNFORKED) {
            throw awaited.joinedBeforeFork();            // nobody will ever run it
        } else if (awaited.isRunBy(this)) {
            // The awaited task runs beneath us on this very stack: the task itself, or one this
            // worker was running when it helped with the caller. It cannot finish before we return.
            // (Checked only when the fast path fails: a running task is on no deque.)
            throw new IllegalStateException("a task waits for a task that runs beneath it on the same"
                    + " thread (itself, or a task this worker was running when it took the waiting"
                    + " one while helping): it can never complete; " + awaited);
        }
        for (Task<?> task; (task = findOrWait(awaited, deadline, interruptible)) != null; ) {
            runNested(task);
        }
        return !(interruptible && !awaited.isDone() && Thread.interrupted());
    }

    private String stackDescription() {
        long size = pool.stackSizeBytes();
        return size == 0 ? "JVM default stack size" : (size >> 10) + " KiB stack";
    }

    /**
     * Runs a task that a join helps with (not the awaited task itself). The joiner's interrupt
     * status is put aside while it runs and given back afterwards, and an interrupt the helped
     * task leaves behind is cleared: an interrupt stays with the task it was meant for.
     */
    private void runNested(Task<?> task) {
        // isInterrupted() is a plain field read; the common case (no interrupt) pays two of them.
        boolean joinerInterrupted = thread.isInterrupted();
        if (joinerInterrupted) {
            Thread.interrupted();
        }
        if (FlightEvents.timingTasks) {
            runTimed(task, true);
        } else {
            runTask(task);
        }
        if (joinerInterrupted) {
            thread.interrupt();
        } else if (thread.isInterrupted() && !pool.isStopped()) {
            Thread.interrupted();                        // the nested task's own, not the joiner's
        }
    }

    /**
     * The join's fast path alone: if {@code task} is the newest task on this worker's own deque,
     * takes it back and runs it here. Never runs any other task. Owner only.
     *
     * @return whether the task was taken back (it is then done, or forwarded to its arena's queue
     *     if the arena is at its cap); false at the nesting limit
     */
    boolean tryRunInline(Task<?> task) {
        if (depth >= maxNestingDepth || !deque.takeIfBottom(task)) {
            return false;
        }
        runTask(task);
        return true;
    }

    /**
     * Runs one task that can be found without waiting, nested, as a join would. For waits that
     * cannot sleep on a task (a foreign future without a completion callback). Owner only.
     *
     * @return whether a task ran (false also at the nesting limit)
     */
    boolean helpOnce() {
        if (depth >= maxNestingDepth) {
            return false;
        }
        Task<?> task = findWork(false);
        if (task == null) {
            return false;
        }
        runNested(task);
        return true;
    }

    /**
     * Marks this worker as blocked inside {@code managedBlock}: lends its arena permits, counts it
     * as paused, and asks for a stand-in. Owner only; not nested (the caller checks).
     *
     * @return the lent permits, for {@link #endManagedBlock}
     */
    ArenaCore[] beginManagedBlock() {
        managedBlocking = true;
        ArenaCore[] lent = ArenaCore.lendAll(pool.arenas(), index);
        pool.workerPaused();
        pool.spares.beginBlocking();                     // false: no stand-in could start; block anyway
        return lent;
    }

    /** Ends what {@link #beginManagedBlock} began. Owner only. */
    void endManagedBlock(ArenaCore[] lent) {
        pool.spares.endBlocking();
        pool.workerResumed();
        ArenaCore.takeBackAll(lent);
        managedBlocking = false;
    }

    // ------------------------------------------------------------------ bookkeeping

    /** A pseudo-random victim index in [0, bound); xorshift, owner only. */
    int nextRandom(int bound) {
        int x = randomState;
        x ^= x << 13;
        x ^= x >>> 17;
        x ^= x << 5;
        randomState = x;
        return (x & Integer.MAX_VALUE) % bound;
    }

    /** True once every {@link WorkerPool#REVERSE_SCAN_PERIOD} calls; owner only. */
    boolean nextScanIsReversed() {
        return ++scans % WorkerPool.REVERSE_SCAN_PERIOD == 0;
    }


    void setLastScanAborted(boolean aborted) {
        lastScanAborted = aborted;
    }

    void countSteal() {
        STEALS.setOpaque(this, steals + 1);
    }

    private void countExecuted() {
        EXECUTED.setOpaque(this, executed + 1);
    }

    private void countPark() {
        PARKS.setOpaque(this, parks + 1);
    }

    private void countWakeup() {
        WAKEUPS.setOpaque(this, wakeups + 1);
    }

    long executedCount() {
        return (long) EXECUTED.getOpaque(this);
    }

    long stealCount() {
        return (long) STEALS.getOpaque(this);
    }

    long parkCount() {
        return (long) PARKS.getOpaque(this);
    }

    long wakeupCount() {
        return (long) WAKEUPS.getOpaque(this);
    }
}
