package dev.spindle.core;

/**
 * A snapshot of a scheduler's counters. Each counter is read separately while the pool runs, so
 * the snapshot is not atomic as a whole; on a quiet pool it is exact. Counters only grow, except
 * {@link #activeWorkers()} and {@link #queuedSubmissions()}.
 */
public final class SchedulerStats {

    private final int parallelism;
    private final long tasksExecuted;
    private final long steals;
    private final long parks;
    private final long wakeups;
    private final long outsideSubmissions;
    private final int activeWorkers;
    private final int peakActiveWorkers;
    private final int queuedSubmissions;

    SchedulerStats(int parallelism, long tasksExecuted, long steals, long parks, long wakeups,
                   long outsideSubmissions, int activeWorkers, int peakActiveWorkers,
                   int queuedSubmissions) {
        this.parallelism = parallelism;
        this.tasksExecuted = tasksExecuted;
        this.steals = steals;
        this.parks = parks;
        this.wakeups = wakeups;
        this.outsideSubmissions = outsideSubmissions;
        this.activeWorkers = activeWorkers;
        this.peakActiveWorkers = peakActiveWorkers;
        this.queuedSubmissions = queuedSubmissions;
    }

    /** The number of workers. */
    public int parallelism() {
        return parallelism;
    }

    /** Tasks run by the workers (completed or failed; a task cancelled before it started is not counted). */
    public long tasksExecuted() {
        return tasksExecuted;
    }

    /** Tasks a worker took from another worker's deque. */
    public long steals() {
        return steals;
    }

    /** Times a worker went to sleep (idle, or in a join with nothing to help with). */
    public long parks() {
        return parks;
    }

    /** Times a sleeping worker was woken because new work was announced. */
    public long wakeups() {
        return wakeups;
    }

    /** Tasks submitted from threads that are not workers of this scheduler. */
    public long outsideSubmissions() {
        return outsideSubmissions;
    }

    /** Workers running tasks (or looking for work in a busy phase) at the moment of the snapshot. */
    public int activeWorkers() {
        return activeWorkers;
    }

    /**
     * The most workers that were active at once since the scheduler started. Never more than
     * {@link #parallelism()}: only workers run tasks, and a thread outside the pool that waits on a
     * task blocks rather than runs one.
     */
    public int peakActiveWorkers() {
        return peakActiveWorkers;
    }

    /** Outside submissions waiting in the injector queue at the moment of the snapshot. */
    public int queuedSubmissions() {
        return queuedSubmissions;
    }

    @Override
    public String toString() {
        return "SchedulerStats[parallelism=" + parallelism
                + ", tasksExecuted=" + tasksExecuted
                + ", steals=" + steals
                + ", parks=" + parks
                + ", wakeups=" + wakeups
                + ", outsideSubmissions=" + outsideSubmissions
                + ", activeWorkers=" + activeWorkers
                + ", peakActiveWorkers=" + peakActiveWorkers
                + ", queuedSubmissions=" + queuedSubmissions + "]";
    }
}
