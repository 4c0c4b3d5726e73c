package dev.spindle.core;

/**
 * A snapshot of a scheduler's counters. Each counter is read separately while the pool runs, so
 * the snapshot is not atomic as a whole; on a quiet pool it is exact. Counters only grow, except
 * {@link #activeWorkers()}, {@link #blockedWorkers()}, {@link #activeSpareWorkers()} and
 * {@link #queuedSubmissions()}, which say how things are now.
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
    private final int blockedWorkers;
    private final int activeSpareWorkers;
    private final int spareThreadsStarted;
    private final int maxSpareWorkers;
    private final long blockedWorkerDetections;

    SchedulerStats(int parallelism, long tasksExecuted, long steals, long parks, long wakeups,
                   long outsideSubmissions, int activeWorkers, int peakActiveWorkers,
                   int queuedSubmissions, int blockedWorkers, int activeSpareWorkers,
                   int spareThreadsStarted, int maxSpareWorkers, long blockedWorkerDetections) {
        this.parallelism = parallelism;
        this.tasksExecuted = tasksExecuted;
        this.steals = steals;
        this.parks = parks;
        this.wakeups = wakeups;
        this.outsideSubmissions = outsideSubmissions;
        this.activeWorkers = Math.max(0, activeWorkers);
        this.peakActiveWorkers = peakActiveWorkers;
        this.queuedSubmissions = queuedSubmissions;
        this.blockedWorkers = blockedWorkers;
        this.activeSpareWorkers = activeSpareWorkers;
        this.spareThreadsStarted = spareThreadsStarted;
        this.maxSpareWorkers = maxSpareWorkers;
        this.blockedWorkerDetections = blockedWorkerDetections;
    }

    /** The number of regular workers. */
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

    /**
     * Tasks submitted from threads that are not workers of this scheduler, directly or through an
     * arena ({@code Arena.execute}, an arena's executor).
     */
    public long outsideSubmissions() {
        return outsideSubmissions;
    }

    /**
     * Workers (stand-ins included) inside a task and running now: not idle, not asleep in a join,
     * not blocked. A worker that blocks without {@code managedBlock} still counts until the
     * scheduler notices it (within a few milliseconds). Never negative.
     */
    public int activeWorkers() {
        return activeWorkers;
    }

    /**
     * The most workers that were active at once since the scheduler started. At most
     * {@link #parallelism()}, with one exception: when a blocked worker resumes, the stand-in that
     * ran in its place finishes the task it is running before it retires, so for that long one
     * more worker per resumed worker may be active ({@code docs/design/blocking.md}).
     */
    public int peakActiveWorkers() {
        return peakActiveWorkers;
    }

    /** Outside submissions waiting in the injector queue at the moment of the snapshot. */
    public int queuedSubmissions() {
        return queuedSubmissions;
    }

    /** Workers blocked now: inside {@code managedBlock}, or found blocked by the scheduler. */
    public int blockedWorkers() {
        return blockedWorkers;
    }

    /** Spare workers standing in for blocked workers now (at most {@link #maxSpareWorkers()}). */
    public int activeSpareWorkers() {
        return activeSpareWorkers;
    }

    /** Spare worker threads started so far (a retired spare that is reused is not counted again). */
    public int spareThreadsStarted() {
        return spareThreadsStarted;
    }

    /** The most spare workers that may stand in at once. */
    public int maxSpareWorkers() {
        return maxSpareWorkers;
    }

    /** Times the scheduler found a worker blocked outside {@code managedBlock} while work waited. */
    public long blockedWorkerDetections() {
        return blockedWorkerDetections;
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
                + ", queuedSubmissions=" + queuedSubmissions
                + ", blockedWorkers=" + blockedWorkers
                + ", activeSpareWorkers=" + activeSpareWorkers + "/" + maxSpareWorkers
                + ", spareThreadsStarted=" + spareThreadsStarted
                + ", blockedWorkerDetections=" + blockedWorkerDetections + "]";
    }
}
