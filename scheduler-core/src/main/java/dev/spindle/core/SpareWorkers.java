package dev.spindle.core;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.locks.LockSupport;

/**
 * Stand-ins for blocked workers: while a worker is blocked (inside {@code managedBlock}, or found
 * blocked by the {@link StallMonitor}), a spare worker may run tasks in its place, so the pool
 * keeps its parallelism without ever running more tasks at once than that. There are at most
 * {@code cap} spares, created on first need and reused; live worker threads therefore never exceed
 * {@code parallelism + cap}. Past the cap, a blocking call still runs; it just gets no stand-in.
 *
 * <p>Rule: at most {@code min(blocked, cap)} spares are active. When a blocked worker resumes, the
 * surplus spare retires at its next task boundary (so for the length of one task, one more thread
 * than {@code parallelism} may run tasks) and parks until it is needed again or the pool has
 * finished. Details: {@code docs/design/blocking.md}.
 *
 * <p>If a spare's thread cannot be started ({@code OutOfMemoryError: unable to create native
 * thread}), the activation is rolled back: no count changes, the slot can be tried again later, and
 * the blocked call runs without a stand-in.
 *
 * <p>Who may call: {@link #beginBlocking}/{@link #endBlocking} around one blocking episode (the
 * blocked worker itself, or the stall monitor for it); {@link #stayActive} only a spare's own
 * thread; the rest any thread.
 */
final class SpareWorkers {

    private static final int NEVER_STARTED = 0;
    private static final int RETIRED = 1;
    private static final int ACTIVE = 2;
    private static final int EXITED = 3;

    private final WorkerPool pool;
    private final int firstIndex;
    private final int cap;
    private final AtomicIntegerArray states;
    /**
     * [blocked : 32 | active : 32]. Blocked: workers blocked now (in managedBlock, or detected),
     * each counted once per episode. Active: spares active now (running, looking for work, or
     * asleep waiting for work). One word, so that every decision about activating or retiring a
     * spare is a CAS on both at once: with two counters, a spare that read "nobody is blocked" could
     * retire just after a worker that blocked read "a spare is active" and took no stand-in, and
     * that worker then blocked with none (found by a back-to-back managedBlock test).
     */
    private final AtomicLong counts = new AtomicLong();
    private static final long ONE_BLOCKED = 1L << 32;
    private static final long ONE_ACTIVE = 1L;
    /** Spare threads started so far (a reactivated retired spare is not counted again). */
    private final AtomicInteger started = new AtomicInteger();

    SpareWorkers(WorkerPool pool, int firstIndex, int cap) {
        this.pool = pool;
        this.firstIndex = firstIndex;
        this.cap = cap;
        this.states = new AtomicIntegerArray(Math.max(cap, 1));
    }

    int cap() {
        return cap;
    }

    private static int blocked(long counts) {
        return (int) (counts >>> 32);
    }

    private static int active(long counts) {
        return (int) counts;
    }

    /** Whether {@code counts} has more spares active than {@code min(blocked, cap)}. */
    private boolean surplus(long counts) {
        return active(counts) > Math.min(blocked(counts), cap);
    }

    int blockedCount() {
        return blocked(counts.get());
    }

    int activeCount() {
        return active(counts.get());
    }

    int startedCount() {
        return started.get();
    }

    boolean anyBlocked() {
        return blocked(counts.get()) > 0;
    }

    /** Whether fewer spares are active than {@code min(blocked, cap)}. Any thread; a hint. */
    boolean isShort() {
        long now = counts.get();
        return active(now) < Math.min(blocked(now), cap);
    }

    /**
     * A worker is about to block (or was found blocked): activate a spare if fewer than
     * {@code min(blocked, cap)} are active.
     *
     * @return false if a stand-in was due but its thread could not be started
     */
    boolean beginBlocking() {
        counts.getAndAdd(ONE_BLOCKED);
        return topUp();
    }

    /**
     * Activates a spare if fewer than {@code min(blocked, cap)} are active: after
     * {@link #beginBlocking}, or again later if starting a thread failed then.
     *
     * @return false if a stand-in was due but its thread could not be started
     */
    boolean topUp() {
        for (long now = counts.get(); ; now = counts.get()) {
            if (active(now) >= Math.min(blocked(now), cap)) {
                return true;                             // enough stand-ins, or the cap is reached
            }
            if (counts.compareAndSet(now, now + ONE_ACTIVE)) {
                break;
            }
        }
        // We own one activation; a slot is free because active < cap. A spare that just gave back
        // its activation may still be marking itself RETIRED: spin briefly for it.
        for (int round = 0; ; round++) {
            for (int j = 0; j < cap; j++) {
                int state = states.get(j);
                if ((state == NEVER_STARTED || state == RETIRED) && states.compareAndSet(j, state, ACTIVE)) {
                    if (state == RETIRED) {
                        LockSupport.unpark(pool.workers[firstIndex + j].thread());
                        if (FlightEvents.recording) {
                            reportStarted(firstIndex + j, false);
                        }
                        return true;
                    }
                    try {
                        pool.startSpare(firstIndex + j);
                        started.incrementAndGet();
                        if (FlightEvents.recording) {
                            reportStarted(firstIndex + j, true);
                        }
                        return true;
                    } catch (Throwable cannotStart) {
                        // Roll back: the slot is free again (with a fresh, unstarted thread), and
                        // the activation is given back. The caller blocks without a stand-in.
                        pool.discardSpare(firstIndex + j);
                        states.set(j, NEVER_STARTED);
                        counts.getAndAdd(-ONE_ACTIVE);
                        return false;
                    }
                }
            }
            if (pool.isFinished()) {
                counts.getAndAdd(-ONE_ACTIVE);           // spares are exiting: no stand-in
                return true;
            }
            // No slot is free yet: a spare gave back its activation and has not marked its slot
            // RETIRED. It will, as soon as it runs; giving up here instead would leave a blocked
            // worker without the stand-in it is owed (a hang, seen on two busy cores).
            if (round < 64) {
                Thread.onSpinWait();
            } else {
                Thread.yield();
            }
        }
    }

    /** The blocked worker resumed; a surplus spare retires at its next task boundary. */
    void endBlocking() {
        if (surplus(counts.addAndGet(-ONE_BLOCKED))) {
            // A surplus spare that sleeps in the wait loop would stay counted active until new
            // work woke it: wake one, so that it retires now.
            for (int j = 0; j < cap; j++) {
                if (states.get(j) == ACTIVE) {
                    Worker spare = pool.workers[firstIndex + j];
                    if (spare != null && spare.isWaitingInSpindle() && pool.sleep.wake(spare.index())) {
                        return;
                    }
                }
            }
        }
    }

    /** Whether spare {@code spare} should stop taking tasks (more spares are active than needed). */
    boolean isSurplus(Worker spare) {
        return surplus(counts.get()) && spare.deque().isEmpty();
    }

    /**
     * Called by an idle spare before it looks for work: if it is surplus (and has nothing of its
     * own queued), it retires and parks until it is activated again. Spare's own thread only.
     *
     * @return false if the spare must exit (the pool has finished while it was retired)
     */
    boolean stayActive(Worker spare) {
        for (long now = counts.get(); ; now = counts.get()) {
            if (!surplus(now) || !spare.deque().isEmpty()) {
                return true;
            }
            if (counts.compareAndSet(now, now - ONE_ACTIVE)) {
                break;
            }
        }
        int slot = spare.index() - firstIndex;
        if (FlightEvents.recording) {
            reportRetired(spare);
        }
        if (pool.budget != null) {
            pool.budget.spareRetiring(spare);            // a retired spare keeps no share of the host budget
        }
        spare.setWaitingInSpindle(true);
        states.set(slot, RETIRED);
        try {
            while (states.get(slot) == RETIRED) {
                if (pool.isFinished() && states.compareAndSet(slot, RETIRED, EXITED)) {
                    return false;
                }
                LockSupport.park(this);
                Thread.interrupted();                    // an interrupt (shutdownNow) must not make park spin
            }
            return true;
        } finally {
            spare.setWaitingInSpindle(false);
        }
    }

    private void reportStarted(int index, boolean newThread) {
        StandInStartedEvent event = new StandInStartedEvent();
        if (event.isEnabled()) {
            long now = counts.get();
            event.scheduler = pool.name();
            event.standIn = pool.workers[index].thread().getName();
            event.newThread = newThread;
            event.blockedWorkers = blocked(now);
            event.activeStandIns = active(now);
            event.commit();
        }
    }

    private void reportRetired(Worker spare) {
        StandInRetiredEvent event = new StandInRetiredEvent();
        if (event.isEnabled()) {
            long now = counts.get();
            event.scheduler = pool.name();
            event.standIn = spare.thread().getName();
            event.blockedWorkers = blocked(now);
            event.activeStandIns = active(now);
            event.commit();
        }
    }

    /** Spare {@code spare}'s thread ends; if it was still active, it is counted out. Its own thread. */
    void exited(Worker spare) {
        int slot = spare.index() - firstIndex;
        if (states.getAndSet(slot, EXITED) == ACTIVE) {
            counts.getAndAdd(-ONE_ACTIVE);
        }
    }

    /** Unparks every retired spare so that it re-checks whether the pool has finished. */
    void wakeRetiredForExit() {
        for (int j = 0; j < cap; j++) {
            if (states.get(j) == RETIRED) {
                LockSupport.unpark(pool.workers[firstIndex + j].thread());
            }
        }
    }
}
