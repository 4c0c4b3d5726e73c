package dev.spindle.core;

/**
 * A snapshot of one arena's figures ({@link Arena#stats()}, {@link Arena#statsOf},
 * {@link Scheduler#arenaStats()}). Each figure is read separately while the arena runs, so the
 * snapshot is not atomic as a whole; on a quiet arena it is exact. {@link #running()} and
 * {@link #queued()} say how things are now; the others only grow.
 */
public final class ArenaStats {

    private final String name;
    private final Arena.Priority priority;
    private final int maxConcurrency;
    private final int running;
    private final int queued;
    private final int peakConcurrency;
    private final long tasksDeferred;

    private ArenaStats(String name, Arena.Priority priority, int maxConcurrency, int running, int queued,
                       int peakConcurrency, long tasksDeferred) {
        this.name = name;
        this.priority = priority;
        this.maxConcurrency = maxConcurrency;
        this.running = running;
        this.queued = queued;
        this.peakConcurrency = peakConcurrency;
        this.tasksDeferred = tasksDeferred;
    }

    /** The figures of the engine's arena {@code core} now. */
    static ArenaStats of(ArenaCore core) {
        return new ArenaStats(core.name(), Arena.priorityOf(core.priority()), core.maxConcurrency(),
                Math.max(0, core.insideCount()), core.queuedCount(), core.peakConcurrency(),
                core.deferredCount());
    }

    /** The arena's name. */
    public String name() {
        return name;
    }

    /** The arena's priority. */
    public Arena.Priority priority() {
        return priority;
    }

    /** The arena's cap: the most threads that run its tasks at once. */
    public int maxConcurrency() {
        return maxConcurrency;
    }

    /**
     * Threads running the arena's tasks now (each counts once however deep it is inside them; one
     * that is blocked does not count: it lent its place).
     */
    public int running() {
        return running;
    }

    /** Tasks waiting in the arena's queue now: submitted and not started, or waiting for a permit. */
    public int queued() {
        return queued;
    }

    /** The most threads that ran the arena's tasks at once so far ({@link Arena#peakConcurrency()}). */
    public int peakConcurrency() {
        return peakConcurrency;
    }

    /**
     * Times so far that a worker was about to run a task (forked, invoked or executed inside the
     * pool, or just taken from the arena's queue) but found the arena at its cap, and queued the
     * task to wait for a permit. A task counts again each time it is passed over: when a permit
     * frees, two workers may each take a queued task, and the one that then finds no permit
     * queues its task again. Tasks submitted from outside the pool go through the queue first
     * and are not counted for that ({@link #queued()} shows them).
     */
    public long tasksDeferred() {
        return tasksDeferred;
    }

    @Override
    public String toString() {
        return "ArenaStats[" + name + ", " + priority + ", running=" + running + "/" + maxConcurrency
                + ", queued=" + queued + ", peak=" + peakConcurrency + ", tasksDeferred=" + tasksDeferred + "]";
    }
}
