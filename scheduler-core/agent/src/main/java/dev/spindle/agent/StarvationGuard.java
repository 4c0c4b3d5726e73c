package dev.spindle.agent;

import dev.spindle.core.Scheduler;
import dev.spindle.core.SchedulerStats;
import java.util.Iterator;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * What keeps a redirected pool as live as the JDK pool it replaces. The JDK gives each task of a
 * {@code newCachedThreadPool} (and each of the {@code n} of a {@code newFixedThreadPool(n)}) a thread
 * of its own; on Spindle a task starts when a worker is free, and blocked workers get stand-ins only
 * up to {@link Scheduler#maxSpareWorkers()}. A program whose tasks all wait for each other (300 at a
 * barrier) would then wait forever where the JDK pool finishes. So: a task that has waited
 * {@link #GRACE_NANOS} for a worker while every spare is in use is started on a thread of its own,
 * made by its pool's {@code ThreadFactory}, as the JDK pool would have done. Which of the two starts
 * it is decided by one CAS ({@link Claim#claim}); the other does nothing.
 *
 * <p>One daemon thread, {@code spindle-agent-guard}, started with the first guarded task; it looks
 * every {@link #PERIOD_NANOS} while tasks are waiting and parks when none is.
 */
final class StarvationGuard {

    static final long GRACE_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
    static final long PERIOD_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

    /** A queued start that either Spindle or the guard performs, once. */
    interface Claim {
        /** True for exactly one caller. */
        boolean claim();

        boolean claimed();

        long queuedAtNanos();

        /** Runs the task on a thread of its own (the guard won the claim). */
        void startOnOwnThread();
    }

    private static final ConcurrentLinkedQueue<Claim> WAITING = new ConcurrentLinkedQueue<>();
    private static volatile Thread guard;

    private StarvationGuard() {
    }

    /** Watches {@code claim} until Spindle or the guard starts it. Any thread. */
    static void watch(Claim claim) {
        WAITING.add(claim);
        Thread current = guard;
        if (current == null) {
            synchronized (StarvationGuard.class) {
                current = guard;
                if (current == null) {
                    current = new Thread(StarvationGuard::loop, "spindle-agent-guard");
                    current.setDaemon(true);
                    current.start();
                    guard = current;
                }
            }
        }
        LockSupport.unpark(current);
    }

    private static void loop() {
        while (true) {
            if (WAITING.isEmpty()) {
                LockSupport.park(StarvationGuard.class);
                continue;
            }
            LockSupport.parkNanos(StarvationGuard.class, PERIOD_NANOS);
            check();
        }
    }

    private static void check() {
        long now = System.nanoTime();
        boolean exhausted = false;
        boolean statsRead = false;
        for (Iterator<Claim> it = WAITING.iterator(); it.hasNext(); ) {
            Claim claim = it.next();
            if (claim.claimed()) {
                it.remove();                             // Spindle started it
                continue;
            }
            if (now - claim.queuedAtNanos() < GRACE_NANOS) {
                continue;
            }
            if (!statsRead) {
                SchedulerStats stats = Scheduler.global().stats();
                exhausted = stats.activeSpareWorkers() >= stats.maxSpareWorkers();
                statsRead = true;
            }
            if (exhausted && claim.claim()) {
                it.remove();
                RedirectReport.count("task started on a thread of its own (every spare worker in use)");
                claim.startOnOwnThread();
            }
        }
    }
}
