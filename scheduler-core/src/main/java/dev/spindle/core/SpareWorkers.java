package dev.spindle.core;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.locks.LockSupport;

/**
 * Stand-ins for workers blocked in {@link Scheduler#managedBlock}: while a worker blocks, a spare
 * worker may run tasks in its place, so the pool keeps its parallelism. There are at most
 * {@code cap} spares, created on first need and reused; live worker threads therefore never exceed
 * {@code parallelism + cap} (ForkJoinPool allows 256 spares and users report thread explosions).
 * Past the cap, a blocking call still works; it just gets no stand-in.
 *
 * <p>Rule: at most {@code min(blocked, cap)} spares are active. When a blocked call returns, the
 * surplus spare retires at its next task boundary (so for the length of one task, one more thread
 * than {@code parallelism} may run tasks) and parks until it is needed again or the pool shuts
 * down. Details: {@code docs/design/blocking.md}.
 *
 * <p>Who may call: {@link #beginBlocking}/{@link #endBlocking} a worker around a blocking call;
 * {@link #stayActive} only a spare's own thread; {@link #wakeRetiredForShutdown} any thread.
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
    /** Workers inside a managed blocking call now. */
    private final AtomicInteger blocked = new AtomicInteger();
    /** Spares active now (running, looking for work, or asleep waiting for work). */
    private final AtomicInteger active = new AtomicInteger();

    SpareWorkers(WorkerPool pool, int firstIndex, int cap) {
        this.pool = pool;
        this.firstIndex = firstIndex;
        this.cap = cap;
        this.states = new AtomicIntegerArray(Math.max(cap, 1));
    }

    int cap() {
        return cap;
    }

    /** A worker is about to block: activate a spare if fewer than min(blocked, cap) are active. */
    void beginBlocking() {
        int nowBlocked = blocked.incrementAndGet();
        for (int now = active.get(); ; now = active.get()) {
            if (now >= Math.min(nowBlocked, cap)) {
                return;                                  // enough stand-ins, or the cap is reached
            }
            if (active.compareAndSet(now, now + 1)) {
                break;
            }
        }
        // We own one activation; a slot is free because active < cap. A spare that just gave back
        // its activation may still be marking itself RETIRED: spin briefly for it.
        for (int round = 0; ; round++) {
            for (int j = 0; j < cap; j++) {
                int state = states.get(j);
                if ((state == NEVER_STARTED || state == RETIRED) && states.compareAndSet(j, state, ACTIVE)) {
                    Worker spare = pool.workers[firstIndex + j];
                    if (state == NEVER_STARTED) {
                        pool.startSpare(spare);
                    } else {
                        LockSupport.unpark(spare.thread());
                    }
                    return;
                }
            }
            if (pool.isShutdown() && round > 1_000) {
                active.decrementAndGet();                // spares are exiting: no stand-in
                return;
            }
            Thread.onSpinWait();
        }
    }

    /** The blocking call returned; a surplus spare retires at its next task boundary. */
    void endBlocking() {
        blocked.decrementAndGet();
    }

    /**
     * Called by a spare at a task boundary: if it is surplus (and has nothing of its own queued),
     * it retires and parks until it is activated again. Spare's own thread only.
     *
     * @param countedActive whether the spare is counted in the pool's active workers now
     * @return false if the spare must exit (shut down while retired)
     */
    boolean stayActive(Worker spare, boolean countedActive) {
        for (int now = active.get(); ; now = active.get()) {
            if (now <= Math.min(blocked.get(), cap) || !spare.deque().isEmpty()) {
                return true;
            }
            if (active.compareAndSet(now, now - 1)) {
                break;
            }
        }
        int slot = spare.index() - firstIndex;
        states.set(slot, RETIRED);
        if (countedActive) {
            pool.workerBecameIdle();
        }
        while (states.get(slot) == RETIRED) {
            if (pool.isShutdown() && states.compareAndSet(slot, RETIRED, EXITED)) {
                return false;
            }
            LockSupport.park(this);
            Thread.interrupted();                        // an interrupt (shutdownNow) must not make park spin
        }
        if (countedActive) {
            pool.workerBecameActive();
        }
        return true;
    }


    /** Unparks every retired spare so that it sees the shutdown and exits. */
    void wakeRetiredForShutdown() {
        for (int j = 0; j < cap; j++) {
            if (states.get(j) == RETIRED) {
                LockSupport.unpark(pool.workers[firstIndex + j].thread());
            }
        }
    }
}
