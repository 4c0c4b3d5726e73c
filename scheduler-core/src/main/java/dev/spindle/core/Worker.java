package dev.spindle.core;

import dev.spindle.core.internal.Sleep;
import dev.spindle.core.internal.WorkStealingDeque;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One worker: its thread, its deque, its main loop, and the helping join.
 *
 * <p>Main loop: take from the own deque; else scan (injector, then steal); else go idle: spin,
 * then yield, then sleep through {@link Sleep}. A worker only sleeps after a scan that found
 * nothing and lost no race (a steal that aborted means work may be there).
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
final class Worker {

    /** Scan rounds with {@link Thread#onSpinWait()} before yielding; a few microseconds in all. */
    private static final int SPIN_ROUNDS = 64;
    /** Scan rounds with {@link Thread#yield()} before sleeping. */
    private static final int YIELD_ROUNDS = 8;

    private static final VarHandle EXECUTED;
    private static final VarHandle STEALS;
    private static final VarHandle PARKS;
    private static final VarHandle WAKEUPS;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            EXECUTED = lookup.findVarHandle(Worker.class, "executed", long.class);
            STEALS = lookup.findVarHandle(Worker.class, "steals", long.class);
            PARKS = lookup.findVarHandle(Worker.class, "parks", long.class);
            WAKEUPS = lookup.findVarHandle(Worker.class, "wakeups", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final WorkerPool pool;
    private final int index;
    private final WorkStealingDeque<Task<?>> deque = new WorkStealingDeque<>();
    private final WorkerThread thread;

    private int randomState;
    private boolean lastScanAborted;

    // Owner-written counters (opaque stores), read by stats().
    private long executed;
    private long steals;
    private long parks;
    private long wakeups;

    Worker(WorkerPool pool, int index, String name, long stackSize, boolean daemon,
           Thread.UncaughtExceptionHandler handler) {
        this.pool = pool;
        this.index = index;
        this.randomState = 0x9E3779B9 * (index + 1);
        this.thread = new WorkerThread(this, name, stackSize, daemon, handler);
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
        pool.sleep.notifyWorkIfSleepers();
    }

    // ------------------------------------------------------------------ main loop

    void runLoop() {
        try {
            Task<?> task = idle();
            while (task != null) {
                runTopLevel(task);
                task = deque.take();
                if (task == null && !pool.isStopped()) {
                    task = pool.scanForWork(this);
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

    private void runTopLevel(Task<?> task) {
        Thread.interrupted();                            // a task never inherits an old interrupt
        task.run();
        countExecuted();
    }

    /**
     * Looks for work while idle: spins, yields, then sleeps. Returns a task (the worker is then
     * counted active again), or null when the worker should exit (shut down and nothing left).
     */
    private Task<?> idle() {
        Sleep sleep = pool.sleep;
        for (int round = 0; ; round++) {
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
            if (round < SPIN_ROUNDS + YIELD_ROUNDS) {
                Thread.yield();
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
            if (sleep.park(index, ticket, () -> false, 0L)) {
                countWakeup();
            }
            round = 0;
        }
    }

    /** Own deque, then (unless stopped) injector and steals. Sets {@link #lastScanAborted}. */
    private Task<?> findWork() {
        Task<?> task = deque.take();
        if (task != null) {
            lastScanAborted = false;
            return task;
        }
        if (pool.isStopped()) {
            lastScanAborted = false;
            return null;
        }
        return pool.scanForWork(this);
    }

    // ------------------------------------------------------------------ join

    /**
     * Waits, helping, until {@code awaited} completes or the deadline passes.
     *
     * @param deadline a {@link System#nanoTime()} value, or 0 for none
     */
    void awaitDone(Task<?> awaited, long deadline) {
        if (deque.takeIfBottom(awaited)) {
            runNested(awaited);                          // the fast path: still ours, run it inline
            return;
        }
        Sleep sleep = pool.sleep;
        // True when a notifier claimed this worker for new work and the worker has not scanned
        // since: if it returns now, it must pass the announcement on (docs/design/sleep.md).
        boolean owesScan = false;
        int round = 0;
        while (!awaited.isDone()) {
            if (deadline != 0L && deadline - System.nanoTime() <= 0L) {
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
            if (round < SPIN_ROUNDS + YIELD_ROUNDS) {
                Thread.yield();
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
            owesScan = sleep.park(index, ticket, awaited::isDone, deadline);
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
    }

    private void runNested(Task<?> task) {
        task.run();
        countExecuted();
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

    boolean lastScanAborted() {
        return lastScanAborted;
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
