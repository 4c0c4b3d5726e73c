package dev.spindle.bench.measure;

/**
 * Context switches summed over threads: voluntary (the thread blocked or parked) and involuntary
 * (the OS took the core away: the sign of more runnable threads than cores).
 */
public record ContextSwitches(long voluntary, long involuntary) {

    /** Zero switches: what {@link ThreadCensus#contextSwitches()} returns where /proc is absent. */
    public static final ContextSwitches NONE = new ContextSwitches(0, 0);

    /** This reading minus an earlier one. */
    public ContextSwitches minus(ContextSwitches earlier) {
        return new ContextSwitches(voluntary - earlier.voluntary, involuntary - earlier.involuntary);
    }

    /** This reading plus another (switches of two windows, summed). */
    public ContextSwitches plus(ContextSwitches other) {
        return new ContextSwitches(voluntary + other.voluntary, involuntary + other.involuntary);
    }

    /** Voluntary plus involuntary. */
    public long total() {
        return voluntary + involuntary;
    }
}
