package dev.spindle.core;

import dev.spindle.core.internal.HostBudget;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * What a worker (regular or spare) calls when it starts and stops running tasks under a host
 * budget: it must have a share, a CPU token or one borrowed from a blocked worker, to run a task
 * ({@link #beforeRunning}) and gives it back before it parks ({@link #beforeParking}). A worker that finds no free token polls with backoff
 * ({@value #FIRST_POLL_MICROS} µs doubling to {@value #MAX_POLL_MILLIS} ms, parked in between, never
 * spinning), marked as waiting in Spindle so the stall monitor does not take it for blocked.
 *
 * <p><b>Fairness.</b> A holder that has held its token for a quantum ({@value #QUANTUM_MILLIS} ms)
 * asks, at its next task boundary, whether another JVM waits; if one does, it gives the token
 * back, pauses for two of the waiters' longest polls so a waiter can take it, and then waits like
 * any other worker.
 *
 * <p><b>No hang.</b> The waits end when the pool is stopped ({@code shutdownNow}), and a waiter may
 * borrow the share of a blocked worker of its pool ({@link PoolBudget#tryBorrow}). A borrower whose
 * lender has resumed gives the share back at its next task boundary. Details and the reasons:
 * {@code docs/design/host-budget.md}.
 *
 * <p>Who may call: everything but {@link #hasShare} only the worker's own thread.
 */
final class WorkerBudget {

    static final long QUANTUM_MILLIS = 50;
    static final long FIRST_POLL_MICROS = 100;
    static final long MAX_POLL_MILLIS = 1;
    private static final long QUANTUM_NANOS = TimeUnit.MILLISECONDS.toNanos(QUANTUM_MILLIS);
    private static final long FIRST_POLL_NANOS = TimeUnit.MICROSECONDS.toNanos(FIRST_POLL_MICROS);
    private static final long MAX_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(MAX_POLL_MILLIS);
    /** After giving a token back for fairness, this long before trying for one again. */
    private static final long COURTESY_NANOS = 2 * MAX_POLL_NANOS;

    /** {@link #token}: no token. */
    private static final int NONE = HostBudget.NONE;
    /** {@link #token}: running on a blocked worker's token. */
    private static final int BORROWED = -3;

    private final PoolBudget budget;
    private final HostBudget host;
    final Worker worker;
    /** The token index held, or NONE, BORROWED, or HostBudget.UNLIMITED. Owner only. */
    private int token = NONE;
    /**
     * Whether the owner runs on a share (a token or a borrowed one), which it lends on if it
     * blocks; read by other workers counting blocked shares.
     */
    private volatile boolean share;
    private long quantumStart;

    WorkerBudget(PoolBudget budget, Worker worker) {
        this.budget = budget;
        this.host = budget.host;
        this.worker = worker;
    }

    /** Whether this worker has a token or a borrowed share now. Any thread; a snapshot. */
    boolean hasShare() {
        return share;
    }

    /**
     * Before running a task (or returning to one from a join): take a token if none is held,
     * waiting if need be; if one has been held for a quantum while another JVM waits, give it back
     * and wait again; if a borrowed share is no longer backed by a blocked worker, give it back and
     * wait again.
     */
    void beforeRunning() {
        if (token == NONE) {
            acquire();
        } else if (token >= 0 && System.nanoTime() - quantumStart > QUANTUM_NANOS) {
            quantumStart = System.nanoTime();            // at most one probe per quantum
            yieldIfOthersWait();
        } else if (token == BORROWED && budget.borrowersExceedLenders()) {
            beforeParking();                             // the lender resumed: its token is its own
            acquire();
        }
    }

    private void yieldIfOthersWait() {
        // Waiting in Spindle's own code from here: the probe may wait for the budget's monitor and
        // the pause parks, and neither must look like a blocked task to the stall monitor (it
        // would start a stand-in) or to a token waiter (it would borrow this token).
        boolean wasWaiting = worker.isWaitingInSpindle();
        worker.setWaitingInSpindle(true);
        try {
            if (host.othersWaiting()) {
                beforeParking();
                pause(COURTESY_NANOS);
                acquire();
            }
        } finally {
            worker.setWaitingInSpindle(wasWaiting);
        }
    }

    /** Before parking (or exiting): give back the token or the borrowed one. */
    void beforeParking() {
        int held = token;
        token = NONE;
        if (held >= 0) {
            share = false;
            host.release(held);
        } else if (held == BORROWED) {
            share = false;
            budget.returnBorrowed();
        }
    }

    private void acquire() {
        int got = host.tryAcquire();
        if (got == NONE) {
            got = waitForToken();
        }
        took(got);
    }

    private void took(int got) {
        token = got;
        if (got >= 0) {
            share = true;
            quantumStart = System.nanoTime();
        } else if (got == BORROWED) {
            share = true;
        }
    }

    /** Polls until a token is free, one can be borrowed, or the pool is stopped. */
    private int waitForToken() {
        boolean wasWaiting = worker.isWaitingInSpindle();
        worker.setWaitingInSpindle(true);
        host.waiterArrived();
        try {
            // A holder must be seen blocked at two polls in a row before its token is borrowed, so
            // that a holder that only passes through a short wait (a contended lock) is left alone.
            int blockedBefore = 0;
            for (long poll = FIRST_POLL_NANOS; ; poll = Math.min(poll * 2, MAX_POLL_NANOS)) {
                if (budget.isStopped()) {
                    return NONE;                         // let the worker finish and exit
                }
                int blockedNow = budget.blockedShares();
                if (budget.tryBorrow(Math.min(blockedBefore, blockedNow))) {
                    return BORROWED;
                }
                blockedBefore = blockedNow;
                pause(poll);
                int got = host.tryAcquireWhilePolling();
                if (got != NONE) {
                    return got;
                }
                host.stillWaiting();
            }
        } finally {
            host.waiterLeft();
            worker.setWaitingInSpindle(wasWaiting);
        }
    }

    /**
     * Parks for {@code nanos}, keeping any interrupt for later: with the interrupt status set,
     * {@code parkNanos} would return at once and the wait would spin.
     */
    private static void pause(long nanos) {
        boolean interrupted = Thread.interrupted();
        long deadline = System.nanoTime() + nanos;
        for (long left = nanos; left > 0; left = deadline - System.nanoTime()) {
            LockSupport.parkNanos(left);
            if (Thread.interrupted()) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
