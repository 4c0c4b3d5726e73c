package dev.spindle.core.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Admits outside submissions until shutdown, and tells workers when the last admitted submission
 * has finished enqueueing, so that shutdown never strands an accepted task.
 *
 * <p>The state word packs {@code [SHUTDOWN bit | STOP bit | submitters in flight]}. A submitter
 * {@link #enter enters} (fails once shut down), enqueues its task, then {@link #exit exits}. A
 * worker may only exit once {@link #isDrained()} is true <em>and</em> it then finds every queue
 * empty: the exit of the last submitter happens-before that check, so its task is visible.
 *
 * <p>Who may call: any thread, every method.
 */
public final class SubmissionGate {

    private static final int SHUTDOWN = 1 << 30;
    private static final int STOP = 1 << 29;
    private static final int IN_FLIGHT_MASK = STOP - 1;

    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(SubmissionGate.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private volatile int state;

    /** Admits one submitter; false once {@link #shutdown()} has been called. */
    public boolean enter() {
        for (int s = state; ; ) {
            if ((s & SHUTDOWN) != 0) {
                return false;
            }
            if ((s & IN_FLIGHT_MASK) == IN_FLIGHT_MASK) {
                throw new IllegalStateException("too many concurrent submitters: " + IN_FLIGHT_MASK);
            }
            int witness = (int) STATE.compareAndExchange(this, s, s + 1);
            if (witness == s) {
                return true;
            }
            s = witness;
        }
    }

    /**
     * Admits a hand-over of a task that was already accepted (moving it between queues), even
     * after shutdown, so that {@code shutdownNow} waits for it like for a submitter.
     *
     * @return false if the scheduler is stopped: the caller must not enqueue (and must still
     *     {@link #exit})
     */
    public boolean enterHandOver() {
        return ((int) STATE.getAndAdd(this, 1) & STOP) == 0;
    }

    /**
     * Ends an admitted submission, after its task is in its queue.
     *
     * @return true if this was the last submitter in flight after shutdown: workers waiting to exit
     *     must be woken to re-check
     */
    public boolean exit() {
        int after = (int) STATE.getAndAdd(this, -1) - 1;
        return (after & SHUTDOWN) != 0 && (after & IN_FLIGHT_MASK) == 0;
    }

    /** Refuses further submissions. @return true if this call made the change */
    public boolean shutdown() {
        return ((int) STATE.getAndBitwiseOr(this, SHUTDOWN) & SHUTDOWN) == 0;
    }

    /** Shuts down and marks that queued tasks must not start any more. */
    public void stop() {
        STATE.getAndBitwiseOr(this, SHUTDOWN | STOP);
    }

    /** Whether submissions are refused. */
    public boolean isShutdown() {
        return (state & SHUTDOWN) != 0;
    }

    /** Whether queued tasks must be dropped rather than run ({@code shutdownNow}). */
    public boolean isStopped() {
        return (state & STOP) != 0;
    }

    /** Shut down, and no admitted submitter is still enqueueing. */
    public boolean isDrained() {
        int s = state;
        return (s & SHUTDOWN) != 0 && (s & IN_FLIGHT_MASK) == 0;
    }
}
