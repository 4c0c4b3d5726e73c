package dev.spindle.core;

/**
 * The fields a {@link Worker} writes while it runs tasks (its current region on every task, its
 * task counter, its steal state), on cache lines of their own.
 *
 * <p>Why: every task writes {@code currentRegion} and {@code depth} twice and {@code executed}
 * once, and a worker placed next to another by the collector must not share those lines (the
 * false sharing it caused is measured in {@code docs/design/join.md}, "Worker layout"). HotSpot lays
 * out a superclass's fields before its subclass's, so the hierarchy below puts 64 bytes of padding
 * before and after these fields. ({@code @Contended} would say this directly, but is not available
 * to library code.)
 *
 * <p>Who may call: the fields are the owning worker's; see {@link Worker} for the few that other
 * threads read, and how.
 */
abstract class WorkerOwnerState extends WorkerOwnerFields {
    // 64 bytes after the owner's fields; the worker's read-only fields come after these.
    @SuppressWarnings("unused") long q1, q2, q3, q4, q5, q6, q7, q8;
}

/** 64 bytes before a worker's owner fields (see {@link WorkerOwnerState}). */
abstract class WorkerPaddingBefore {
    @SuppressWarnings("unused") long p1, p2, p3, p4, p5, p6, p7, p8;
}

/** A worker's owner-written fields (see {@link WorkerOwnerState}); written by the owner only. */
abstract class WorkerOwnerFields extends WorkerPaddingBefore {
    int randomState;
    int scans;
    /**
     * Spin rounds an idle worker makes before it sleeps, adapted by the owner ({@code Worker},
     * "idle spin"): back to the full count when spinning found work, halved when it did not.
     */
    int idleSpinRounds;
    boolean lastScanAborted;
    /** How many tasks are running nested on this worker's stack now. */
    int depth;
    /**
     * A value a feature attaches to the task running at {@link #taskContextDepth} (a task group's
     * member sets its group); it belongs to no other task, so a task run deeper, while helping,
     * never sees it. Written only when a feature sets it, never per task.
     */
    Object taskContext;
    int taskContextDepth;
    /** The region of the innermost task (or isolated block) this worker is in. */
    Region currentRegion;
    // Counters, written with opaque stores, read by stats() from any thread.
    long executed;
    long steals;
    long parks;
    long wakeups;
}
