package dev.spindle.core;

import dev.spindle.core.internal.HostBudget;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * One pool's side of a host budget: the shared {@link HostBudget}, each worker's share of it, and
 * the shares its workers borrow from blocked workers ({@code docs/design/host-budget.md}, "The
 * bound").
 *
 * <p>Every thread that runs a task of this pool, regular worker or stand-in, runs on a share: a
 * token of the host, or a borrowed share. A worker blocked in a task keeps its share. So that this
 * can never hang the pool, a worker that waits for a token may borrow instead, while fewer workers
 * borrow than there are blocked workers that have a share (a blocked borrower lends on what it
 * borrowed). Hence the workers that run tasks and are not blocked never outnumber the tokens this
 * pool holds. Who may call: workers of this pool (and the pool, when it creates them).
 */
final class PoolBudget {

    final HostBudget host;
    private final WorkerPool pool;
    /** Each worker's share, by worker index (regular workers, then spares). */
    private final AtomicReferenceArray<WorkerBudget> shares;
    private final AtomicInteger borrowers = new AtomicInteger();

    /** @param slots how many workers the pool may have, spares included */
    PoolBudget(HostBudget host, WorkerPool pool, int slots) {
        this.host = host;
        this.pool = pool;
        this.shares = new AtomicReferenceArray<>(slots);
    }

    /** A new worker's handle on the budget (a spare that is created again replaces its old one). */
    WorkerBudget forWorker(Worker worker) {
        WorkerBudget share = new WorkerBudget(this, worker);
        shares.set(worker.index(), share);
        return share;
    }

    boolean isStopped() {
        return pool.isStopped();
    }

    /**
     * Workers of this pool that have a share (a token or a borrowed one) and are blocked now: marked
     * blocked (inside {@code managedBlock}, or found by the stall monitor), or waiting or blocked in
     * a JDK wait outside Spindle's own code. The second test is needed because the monitor flags a
     * worker only while work waits in a queue, and the task a token waiter holds is in no queue.
     * Walks the workers and spares in use; called by a worker that waits for a token, once per
     * poll, and by a borrower at its task boundaries.
     */
    int blockedShares() {
        int blocked = 0;
        int n = Math.min(pool.slotsInUse(), shares.length());
        for (int i = 0; i < n; i++) {
            WorkerBudget share = shares.get(i);
            if (share != null && share.hasShare() && isBlocked(share.worker)) {
                blocked++;
            }
        }
        return blocked;
    }

    private static boolean isBlocked(Worker worker) {
        if (worker.isBlocked()) {
            return true;
        }
        if (worker.isWaitingInSpindle()) {
            return false;
        }
        switch (worker.thread().getState()) {
            case WAITING: case TIMED_WAITING: case BLOCKED:
                return true;
            default:
                return false;
        }
    }

    /** Takes a borrowed share if fewer workers borrow than {@code blockedShares}. */
    boolean tryBorrow(int blockedShares) {
        for (int now = borrowers.get(); now < blockedShares; now = borrowers.get()) {
            if (borrowers.compareAndSet(now, now + 1)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether more workers borrow than there are blocked shares to borrow from: a lender has
     * resumed, and a borrower must give its share back at its next task boundary. A borrower asks.
     */
    boolean borrowersExceedLenders() {
        return borrowers.get() > blockedShares();
    }

    void returnBorrowed() {
        borrowers.decrementAndGet();
    }

    /**
     * A spare retires (it parks until it is activated again): it gives back its token or borrowed
     * share first, since a retired spare runs nothing. The spare's own thread.
     */
    void spareRetiring(Worker spare) {
        WorkerBudget share = shares.get(spare.index());
        if (share != null) {
            share.beforeParking();
        }
    }

    /** Shares borrowed now; for tests. */
    int borrowed() {
        return borrowers.get();
    }
}
