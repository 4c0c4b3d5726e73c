package dev.spindle.core;

import dev.spindle.core.internal.Sleep;
import dev.spindle.core.internal.WorkStealingDeque;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One worker: its thread, its deque, its main loop, and the helping join.
 *
 * <p>Main loop: take from the own deque; else scan (injector, then steal); else go idle: spin,
 * then sleep through {@link Sleep} (no {@code Thread.yield()} phase: see {@link #SPIN_ROUNDS}).
 * A worker only sleeps after a scan that found nothing and lost no race (a steal that aborted
 * means work may be there).
 *
 * <p>Join ({@link #awaitDone}): if the awaited task is still at the bottom of this worker's deque,
 * take it and run it inline (the common, fast path). Otherwise run other tasks (own deque, then
 * scan) until the awaited task completes; with nothing to run, sleep until it completes or new
 * work is announced. Details and the reasons: {@code docs/design/join.md}.
 *
 * <p>Who may call: everything here is called only by this worker's own thread, except the
 * {@code …Count()} readers, which any thread may call (they read counters the owner writes with
 * opaque stores, so a reader sees a recent value, never a torn one).
 */
final class Worker extends WorkerOwnerState {

    /**
     * Scan rounds with {@link Thread#onSpinWait()} before sleeping; some microseconds in all. There
     * is no {@link Thread#yield()} phase between spinning and sleeping (the brief has spin, yield,
     * park): on this Linux VM the yields made a worker that had just run a task for an outside
     * thread share that thread's core when it was next woken. Such co-located wake-ups were
     * 1.3–2.1 % of submissions with the yields and 0.05–0.6 % without, against 0.1–1.5 % for a bare
     * parked thread and ForkJoinPool in the same runs; with the yields about 95 % of them waited a
     * millisecond or more behind the spinning submitter, which was Spindle's submit-to-start p99 of
     * about 1.9 ms ({@code docs/design/sleep.md}, "Why no yield"). 128 rounds instead of 64 keep the
     * window before parking from shrinking by the yields' share.
     */
    private static final int SPIN_ROUNDS = 128;

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

    Region currentRegion() {
        return currentRegion;
    }

    void setCurrentRegion(Region region) {
        currentRegion = region;
    }

    /**
     * Runs a task this worker took, inside the task's region. A task of an arena first enters the
     * arena (free if this worker is already inside it, else one of the arena's permits); if the
     * arena is at its cap, the task is handed to the arena's queue instead, to run when a permit
     * frees up.
     */
    void runTask(Task<?> task) {
        Region region = task.region();
        Arena arena = region != null ? region.arena : null;
        if (arena != null && !arena.enter(index)) {
            arena.forward(task, this);
            return;
        }
        Region outer = currentRegion;
        currentRegion = region;
        boolean ran;
        try {
            ran = task.run();
        } finally {
            currentRegion = outer;
            if (arena != null) {
                arena.exit(index);
            }
        }
        if (ran) {
            countExecuted();
        }
    }

    // ------------------------------------------------------------------ main loop

    void runLoop() {
        try {
            Task<?> task = idle();
            while (task != null) {
                runTopLevel(task);
                if (spare && !pool.spares.stayActive(this, true)) {
                    break;                               // retired, then shut down
                }
                task = deque.take();
                if (task == null && !pool.isStopped()) {
                    task = pool.scanForWork(this, null);
                }
                if (task == null) {
                    pool.workerBecameIdle();
                    task = idle();
                }
            }
        } finally {
            pool.workerExited();
        }
    }

    /** Runs a task of a capped arena past its cap; only when the scheduler is stopped. */
    void runWithoutPermit(Task<?> task) {
        Region outer = currentRegion;
        currentRegion = task.region();
        boolean ran;
        try {
            ran = task.run();
        } finally {
            currentRegion = outer;
        }
        if (ran) {
            countExecuted();
        }
    }

    private void runTopLevel(Task<?> task) {
        Thread.interrupted();                            // a task never inherits an old interrupt
        runTask(task);
    }

    /**
     * Looks for work while idle: spins, then sleeps. Returns a task (the worker is then
     * counted active again), or null when the worker should exit (shut down and nothing left).
     */
    private Task<?> idle() {
        Sleep sleep = pool.sleep;
        for (int round = 0; ; round++) {
            if (spare && !pool.spares.stayActive(this, false)) {
                return null;                             // retired, then shut down
            }
            // Read "drained" before scanning: the last submitter's exit happens-before that read,
            // so if the scan then finds nothing, nothing will be queued from outside any more.
            boolean drained = pool.gate.isDrained();
            Task<?> task = findWork();
            if (task != null) {
                pool.workerBecameActive();
                return task;
            }
            if (lastScanAborted) {
                continue;                                // lost a race: work may be there
            }
            if (drained) {
                return null;
            }
            if (round < SPIN_ROUNDS) {
                Thread.onSpinWait();
                continue;
            }
            long ticket = sleep.register(index);
            drained = pool.gate.isDrained();
            task = findWork();                           // the re-check of the sleep protocol
            if (task != null || lastScanAborted || drained) {
                sleep.leave(index, ticket);
                if (task != null) {
                    pool.workerBecameActive();
                    return task;
                }
                if (drained && !lastScanAborted) {
                    return null;
                }
                continue;
            }
            countPark();
            if (sleep.park(index, ticket, () -> false, 0L, false)) {
                countWakeup();
            }
            round = 0;
        }
    }

    /**
     * Own deque, then (unless stopped) queues and steals. Sets {@link #lastScanAborted}. Inside an
     * isolated region only that region's tasks qualify.
     */
    private Task<?> findWork() {
        Region region = currentRegion;
        if (region != null && region.isolated) {
            Task<?> own = deque.takeIf(region);
            if (own != null) {
                lastScanAborted = false;
                return own;
            }
            return pool.scanForWork(this, region);
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
        return pool.scanForWork(this, null);
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
     */
    boolean awaitDone(Task<?> awaited, long deadline, boolean interruptible) {
        if (deque.takeIfBottom(awaited)) {
            runNested(awaited);                          // the fast path: still ours, run it inline
            if (awaited.isDone()) {
                return true;
            }
            // Not done: its arena was at its cap, so it was forwarded to the arena's queue. Help
            // until a worker inside the arena runs it.
        }
        Sleep sleep = pool.sleep;
        // True when a notifier claimed this worker for new work and the worker has not scanned
        // since: if it returns now, it must pass the announcement on (docs/design/sleep.md).
        boolean owesScan = false;
        boolean interrupted = false;
        int round = 0;
        while (!awaited.isDone()) {
            if (deadline != 0L && deadline - System.nanoTime() <= 0L) {
                break;
            }
            if (interruptible && Thread.interrupted()) {
                interrupted = true;
                break;
            }
            Task<?> task = findWork();
            owesScan = false;
            if (task != null) {
                runNested(task);
                round = 0;
                continue;
            }
            if (lastScanAborted) {
                continue;
            }
            if (round++ < SPIN_ROUNDS) {
                Thread.onSpinWait();
                continue;
            }
            // Nothing to help with: sleep until the awaited task completes (its completion unparks
            // the waiter we enqueue) or new work is announced (a notifier claims us).
            Task.Waiter waiter = awaited.enqueueWaiter();
            if (waiter == null) {
                break;                                   // completed meanwhile
            }
            long ticket = sleep.register(index);
            task = findWork();
            if (task != null || lastScanAborted || awaited.isDone()) {
                owesScan = sleep.leave(index, ticket);   // claimed during the re-check?
                awaited.removeWaiter(waiter);
                if (task != null) {
                    runNested(task);
                }
                round = 0;
                continue;
            }
            countPark();
            pool.workerBecameIdle();
            owesScan = sleep.park(index, ticket, awaited::isDone, deadline, interruptible);
            pool.workerBecameActive();
            awaited.removeWaiter(waiter);
            if (owesScan) {
                countWakeup();
            }
            round = 0;
        }
        if (owesScan) {
            sleep.notifyWork();                          // woken for work we will not look for
        }
        return !interrupted;
    }

    private void runNested(Task<?> task) {
        runTask(task);
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

    TaskGroup currentGroup() {
        return currentGroup;
    }

    void setCurrentGroup(TaskGroup group) {
        currentGroup = group;
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
