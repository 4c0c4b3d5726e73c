package dev.spindle.core;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Finds workers that block inside a task without saying so (on a {@code CompletableFuture}, a
 * {@code Future}, a latch, a lock, a sleep) while work waits, and gives each a stand-in (a spare
 * worker) until it resumes: the .NET thread pool's starvation detection and Go's {@code sysmon},
 * for a work-stealing pool. {@code managedBlock} is the explicit, cheaper form of the same thing.
 *
 * <p><b>Blocked</b> means: the worker's thread is {@code WAITING}, {@code TIMED_WAITING} or
 * {@code BLOCKED}; it is not waiting in Spindle's own code (asleep in the wait loop, or a retired
 * spare: the worker marks that itself, and clears the mark only when it runs again, so a worker
 * woken but not yet on a core is not mistaken for blocked), and not inside {@code managedBlock}
 * (already compensated); and it stayed so, without running another task, for at least
 * {@link #CONFIRM_NANOS} over two checks or more — or {@link #CONTENDED_CONFIRM_NANOS} when the
 * thread is {@code BLOCKED}. That state means entering a monitor or waiting for a class another
 * thread initialises; the holder is almost always running and done soon (class loading at start-up
 * holds workers for tens of milliseconds), so a stand-in would only add a thread competing for the
 * same cores. A holder that itself waits for queued work still ends in a stand-in, later. A
 * worker parked by Spindle itself is
 * never blocked. A blocked worker gets a stand-in only while some task waits somewhere (a queue or
 * a deque); then it also lends the permits of the arenas it is inside ({@link ArenaCore#lend}).
 * It counts as blocked until a check finds it running (or asleep in Spindle) again; then the
 * stand-in retires at its next task boundary and the permits are taken back.
 *
 * <p><b>Cost.</b> One daemon thread per scheduler. While some worker is busy it checks every
 * {@link #MIN_PERIOD_NANOS} after a suspicious check and backs off to {@link #MAX_PERIOD_NANOS}
 * while nothing looks blocked; a check reads each worker's thread state and a few flags (no lock,
 * no allocation). When the pool has been idle for {@link #DORMANT_AFTER_NANOS} it parks until a
 * worker becomes busy again. Reaction time is therefore at most about one maximum period plus
 * {@link #CONFIRM_NANOS} plus one minimum period ({@code docs/design/blocking.md} has the measured
 * figures).
 *
 * <p>Who may call: the monitor's own thread runs everything except {@link #poolBecameBusy},
 * {@link #poolTerminated} and {@link #detections} (any thread).
 */
final class StallMonitor implements Runnable {

    static final long MIN_PERIOD_NANOS = TimeUnit.MICROSECONDS.toNanos(500);
    static final long MAX_PERIOD_NANOS = TimeUnit.MILLISECONDS.toNanos(4);
    static final long CONFIRM_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    static final long CONTENDED_CONFIRM_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    static final long DORMANT_AFTER_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

    private final WorkerPool pool;
    private final Thread thread;
    /** True while the monitor parks with no timeout; a worker that becomes busy unparks it. */
    private volatile boolean dormant;
    private volatile boolean terminated;
    private final AtomicLong detections = new AtomicLong();

    // Monitor-thread state, per slot: the executed count at the last check that found the worker
    // blocked (-1: not suspect) and when it was first seen so, whether it is flagged, and the
    // arenas whose permits it lent.
    private final long[] suspectStamp;
    private final long[] suspectSince;
    private final boolean[] flagged;
    private final ArenaCore[][] lent;

    StallMonitor(WorkerPool pool, String name, boolean daemon) {
        this.pool = pool;
        int slots = pool.workers.length;
        this.suspectStamp = new long[slots];
        this.suspectSince = new long[slots];
        java.util.Arrays.fill(suspectStamp, -1L);
        this.flagged = new boolean[slots];
        this.lent = new ArenaCore[slots][];
        this.thread = new Thread(null, this, name, 256L << 10);
        thread.setDaemon(daemon);
    }

    Thread thread() {
        return thread;
    }

    long detections() {
        return detections.get();
    }

    /**
     * Called when the first worker of an idle pool becomes busy: one volatile read, and an unpark
     * only if the monitor is dormant. Dekker with {@link #sleepWhileIdle}: the worker's atomic add
     * on the busy count comes before this read; the monitor writes {@code dormant} before it reads
     * the busy count, so one of the two sees the other.
     */
    void poolBecameBusy() {
        if (dormant) {
            dormant = false;
            LockSupport.unpark(thread);
        }
    }

    /** Every worker has exited: give back what is lent, then exit. Any thread. */
    void poolTerminated() {
        terminated = true;
        LockSupport.unpark(thread);
    }

    boolean isRunning() {
        return !terminated;
    }

    @Override
    public void run() {
        long period = MIN_PERIOD_NANOS;
        long idleSince = 0L;
        while (!terminated) {
            boolean anyFlagged;
            try {
                anyFlagged = check();
            } catch (Throwable unexpected) {
                // A failed check (an OutOfMemoryError while lending, say) must not end the monitor:
                // the pool's termination waits for it. Try again at the next period.
                anyFlagged = true;
            }
            if (pool.busyWorkers() == 0 && !anyFlagged) {
                long now = System.nanoTime();
                if (idleSince == 0L) {
                    idleSince = now;
                } else if (now - idleSince >= DORMANT_AFTER_NANOS) {
                    sleepWhileIdle();
                    idleSince = 0L;
                    period = MIN_PERIOD_NANOS;
                    continue;
                }
            } else {
                idleSince = 0L;
            }
            // After a suspicious check, look again soon (confirming takes CONFIRM_NANOS); otherwise
            // back off, so a healthy busy pool is checked rarely.
            period = anySuspect || standInsShort ? MIN_PERIOD_NANOS : Math.min(period * 2, MAX_PERIOD_NANOS);
            LockSupport.parkNanos(this, period);
        }
        // Every worker has exited: give back whatever is still lent, then count the monitor out
        // (its exit is the pool's termination).
        try {
            int n = pool.slotsInUse();
            for (int k = 0; k < n; k++) {
                if (flagged[k]) {
                    unflag(k);
                }
            }
        } finally {
            pool.workerExited();
        }
    }

    private boolean anySuspect;
    /** A stand-in was due but its thread could not be started: try again at the next check. */
    private boolean standInsShort;

    private void sleepWhileIdle() {
        dormant = true;
        while (dormant && !terminated && pool.busyWorkers() == 0) {
            LockSupport.park(this);
        }
        dormant = false;
    }

    /** One pass over the workers. @return whether any worker is flagged as blocked now */
    private boolean check() {
        if (standInsShort || pool.spares.isShort()) {
            // A stand-in could not start before (no thread), or one is owed for another reason:
            // the monitor is the safety net that keeps min(blocked, cap) spares active.
            standInsShort = !pool.spares.topUp();
        }
        anySuspect = false;
        boolean anyFlagged = false;
        boolean workWaiting = false;
        boolean workChecked = false;
        int n = pool.slotsInUse();
        for (int k = 0; k < n; k++) {
            Worker worker = pool.workers[k];
            if (worker == null) {
                continue;
            }
            Thread.State state = blockedState(worker);
            boolean blockedNow = state != null;
            if (flagged[k]) {
                if (blockedNow) {
                    anyFlagged = true;
                } else {
                    unflag(k);
                }
                continue;
            }
            if (!blockedNow) {
                suspectStamp[k] = -1L;
                continue;
            }
            long stamp = worker.executedCount();
            long now = System.nanoTime();
            if (suspectStamp[k] != stamp) {
                suspectStamp[k] = stamp;                 // first sight: confirm later
                suspectSince[k] = now;
                anySuspect = true;
                continue;
            }
            if (now - suspectSince[k] < (state == Thread.State.BLOCKED ? CONTENDED_CONFIRM_NANOS : CONFIRM_NANOS)) {
                anySuspect = true;
                continue;
            }
            if (!workChecked) {
                workWaiting = pool.anyWorkWaiting();
                workChecked = true;
            }
            if (workWaiting) {
                if (FlightEvents.recording) {
                    // Before flag(): once a stand-in runs, the worker may resume and its state change.
                    reportDetected(worker, now - suspectSince[k]);
                }
                flag(k, worker);
                anyFlagged = true;
            } else {
                anySuspect = true;                       // blocked, nothing waits yet: keep watching
            }
        }
        return anyFlagged;
    }

    /** @return the worker's thread state if it is blocked outside Spindle, else null */
    private static Thread.State blockedState(Worker worker) {
        if (worker.inManagedBlock() || worker.isWaitingInSpindle()) {
            return null;
        }
        Thread.State state = worker.thread().getState();
        switch (state) {
            case WAITING: case TIMED_WAITING: case BLOCKED:
                return state;
            default:
                return null;
        }
    }

    private void flag(int k, Worker worker) {
        flagged[k] = true;
        suspectStamp[k] = -1L;
        detections.incrementAndGet();
        lent[k] = ArenaCore.lendAll(pool.arenas(), k);
        worker.setDetectedBlocked(true);
        pool.workerPaused();
        if (!pool.spares.beginBlocking()) {
            standInsShort = true;                        // no thread could be started: retry later
        }
    }

    private void reportDetected(Worker worker, long blockedFor) {
        BlockedWorkerEvent event = new BlockedWorkerEvent();
        if (event.isEnabled()) {
            Thread thread = worker.thread();
            Object blocker = LockSupport.getBlocker(thread);
            event.scheduler = pool.name();
            event.worker = thread.getName();
            event.threadState = thread.getState().name();
            event.blocker = blocker != null ? blocker.getClass().getName() : null;
            event.blockedFor = blockedFor;
            event.commit();
        }
    }

    private void unflag(int k) {
        Worker worker = pool.workers[k];
        flagged[k] = false;
        worker.setDetectedBlocked(false);
        pool.spares.endBlocking();
        pool.workerResumed();
        ArenaCore.takeBackAll(lent[k]);
        lent[k] = null;
    }
}
