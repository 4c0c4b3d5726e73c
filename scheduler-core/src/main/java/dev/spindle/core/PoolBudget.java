package dev.spindle.core;

import dev.spindle.core.internal.HostBudget;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
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

    /**
     * How long one count of blocked shares is reused. Shorter than a waiter's first poll
     * ({@link WorkerBudget#FIRST_POLL_MICROS}), so a waiter's two polls in a row see two counts.
     */
    static final long COUNT_REUSE_MICROS = 50;
    private static final long COUNT_REUSE_NANOS = TimeUnit.MICROSECONDS.toNanos(COUNT_REUSE_MICROS);

    final HostBudget host;
    private final WorkerPool pool;
    /** Each worker's share, by worker index (regular workers, then spares). */
    private final AtomicReferenceArray<WorkerBudget> shares;
    private final AtomicInteger borrowers = new AtomicInteger();
    /** The last finished walk: when it started and what it counted. */
    private volatile Count last = new Count(System.nanoTime() - 2 * COUNT_REUSE_NANOS, 0);
    /** Walks made; for tests. */
    private final AtomicLong walks = new AtomicLong();

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
     * Workers of this pool that have a share (a token or a borrowed one) and are blocked: marked
     * blocked (inside {@code managedBlock}, or found by the stall monitor), or waiting or blocked in
     * a JDK wait outside Spindle's own code. The second test is needed because the monitor flags a
     * worker only while work waits in a queue, and the task a token waiter holds is in no queue.
     * Called by a worker that waits for a token, once per poll, and by a borrower at its task
     * boundaries.
     *
     * <p>The count is at most {@value #COUNT_REUSE_MICROS} µs old: a caller that finds the last
     * walk younger than that takes its count; an older one walks the workers again. So with every
     * worker of a large pool waiting, the walks stay about one per period instead of one per
     * waiter per poll ({@code docs/design/scaling.md}); callers that find the count old at the same
     * instant each walk, which is harmless. A count that late is within the bound's first window
     * ({@code docs/design/host-budget.md}).
     */
    int blockedShares() {
        long now = System.nanoTime();
        Count count = last;                              // volatile read: a finished walk
        if (now - count.startedAt() < COUNT_REUSE_NANOS) {
            return count.blocked();
        }
        walks.incrementAndGet();
        int blocked = 0;
        int n = Math.min(pool.slotsInUse(), shares.length());
        for (int i = 0; i < n; i++) {
            WorkerBudget share = shares.get(i);
            if (share != null && share.hasShare() && isBlocked(share.worker)) {
                blocked++;
            }
        }
        last = new Count(now, blocked);                  // a racing walker's count is as fresh
        return blocked;
    }

    /** One walk's result, published through the volatile {@code last}. */
    private record Count(long startedAt, int blocked) {
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

    /** Walks of the workers {@link #blockedShares} has made; for tests. */
    long walks() {
        return walks.get();
    }

    /** Shares borrowed now; for tests. */
    int borrowed() {
        return borrowers.get();
    }
}
