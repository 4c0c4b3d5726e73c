package dev.spindle.core;

import dev.spindle.core.internal.HostBudget;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One pool's side of a host budget: the shared {@link HostBudget} and the tokens its workers
 * borrow from blocked workers ({@code docs/design/host-budget.md}, "Blocked workers").
 *
 * <p>A worker blocked in a task keeps its token. So that this can never hang the pool, a worker
 * that waits for a token may run on a blocked worker's token instead, at most one such borrower per
 * blocked token holder of this pool. Who may call: workers of this pool.
 */
final class PoolBudget {

    final HostBudget host;
    private final WorkerPool pool;
    private final AtomicInteger borrowers = new AtomicInteger();

    PoolBudget(HostBudget host, WorkerPool pool) {
        this.host = host;
        this.pool = pool;
    }

    /** A new worker's handle on the budget. */
    WorkerBudget forWorker(Worker worker) {
        return new WorkerBudget(this, worker);
    }

    boolean isStopped() {
        return pool.isStopped();
    }

    /**
     * Token holders of this pool that are blocked now: marked blocked (inside {@code managedBlock},
     * or found by the stall monitor), or waiting or blocked in a JDK wait outside Spindle's own
     * code. The second test is needed because the monitor flags a worker only while work waits in a
     * queue, and the task a token waiter holds is in no queue. Walks the regular workers; called
     * only by a worker that waits for a token, once per poll.
     */
    int blockedHolders() {
        int blocked = 0;
        for (int i = 0; i < pool.parallelism; i++) {
            Worker worker = pool.workers[i];
            if (worker != null && worker.holdsBudgetToken()
                    && (worker.isBlocked() || isWaitingOutsideSpindle(worker))) {
                blocked++;
            }
        }
        return blocked;
    }

    private static boolean isWaitingOutsideSpindle(Worker worker) {
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

    /** Takes a borrowed token if fewer workers borrow than {@code blockedHolders}. */
    boolean tryBorrow(int blockedHolders) {
        for (int now = borrowers.get(); now < blockedHolders; now = borrowers.get()) {
            if (borrowers.compareAndSet(now, now + 1)) {
                return true;
            }
        }
        return false;
    }

    void returnBorrowed() {
        borrowers.decrementAndGet();
    }

    /** Tokens borrowed now; for tests. */
    int borrowed() {
        return borrowers.get();
    }
}
