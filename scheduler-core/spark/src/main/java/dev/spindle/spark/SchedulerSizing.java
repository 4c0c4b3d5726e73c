package dev.spindle.spark;

import dev.spindle.core.Scheduler;

/**
 * What sizing the global scheduler to an executor's cores achieved.
 *
 * <p>{@link Scheduler#global()} takes its worker count once, when it is created, from the system
 * property {@value #PARALLELISM_PROPERTY}; a running scheduler is never resized. {@link #global(int)}
 * therefore sets that property for the moment it creates the global scheduler and then puts the
 * property back as it was. If something in the JVM used Spindle before the executor started (in
 * local mode: the driver's own code), the scheduler already runs with the count it was created
 * with; the result says so ({@link #asRequested()} false) and the plugin warns.
 *
 * @param requested the worker count asked for
 * @param parallelism the global scheduler's worker count afterwards
 */
public record SchedulerSizing(int requested, int parallelism) {

    /** The property {@link Scheduler#global()} reads its parallelism from. */
    public static final String PARALLELISM_PROPERTY = "spindle.parallelism";

    /**
     * Creates the global scheduler with {@code workers} workers unless it is running already, and
     * says which happened. The system property {@value #PARALLELISM_PROPERTY} is the same before
     * and after the call. Serialized with other calls of this method (not with other code that
     * sets the property).
     *
     * @throws IllegalArgumentException if {@code workers} is not in [1, {@value SpindleConfig#MAX}]
     */
    public static synchronized SchedulerSizing global(int workers) {
        if (workers < 1 || workers > SpindleConfig.MAX) {
            throw new IllegalArgumentException("workers must be in [1, " + SpindleConfig.MAX + "], was " + workers);
        }
        String previous = System.getProperty(PARALLELISM_PROPERTY);
        Scheduler global;
        System.setProperty(PARALLELISM_PROPERTY, Integer.toString(workers));
        try {
            // Read after the property is set: if this call creates the scheduler, it reads the value
            // above; if another thread created it meanwhile, it read it too or ran before the set.
            global = Scheduler.global();
        } finally {
            if (previous == null) {
                System.clearProperty(PARALLELISM_PROPERTY);
            } else {
                System.setProperty(PARALLELISM_PROPERTY, previous);
            }
        }
        return new SchedulerSizing(workers, global.parallelism());
    }

    /**
     * True if the global scheduler has the requested worker count (whether this call created it or
     * it was created earlier with the same count).
     */
    public boolean asRequested() {
        return parallelism == requested;
    }
}
