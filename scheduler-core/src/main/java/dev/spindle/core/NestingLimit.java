package dev.spindle.core;

/**
 * How many tasks may run nested on one worker's stack (through joins that run the awaited task
 * inline or help with other tasks), derived from the stack size. A join past the limit throws
 * instead of running one more task on the stack, so a join chain too deep for the stack fails
 * every task of it with a message that says why, instead of overflowing the stack part-way through
 * a task's completion and leaving tasks pending forever (oneTBB checks the remaining stack before
 * it steals, for the same reason).
 *
 * <p>The limit allows {@value #BYTES_PER_LEVEL} bytes per level after {@value #RESERVED_BYTES}
 * bytes for the thread's own frames, the JVM's guard zones and the exception thrown at the limit.
 * A level's frames differ with how far each method on it is compiled, and the worst case is not a
 * pure state: C1-compiled code with a few of the level's methods still interpreted (each method at
 * its larger size) took {@value #MEASURED_BYTES_PER_LEVEL} bytes for a minimal task, against
 * about 1,000 interpreted and 300 under C2. The budget keeps about 800 bytes per level above that
 * for the tasks' own code between two joins. The measurement: {@code docs/design/join.md},
 * "Nesting limit".
 */
final class NestingLimit {

    static final int MEASURED_BYTES_PER_LEVEL = 1_760;
    static final int BYTES_PER_LEVEL = 2_560;
    static final long RESERVED_BYTES = 256L << 10;
    /** What HotSpot gives a thread when no stack size is asked for, on 64-bit Linux, macOS and Windows. */
    static final long JVM_DEFAULT_STACK = 1L << 20;
    /** Never below this, however small the stack: a scheduler must allow ordinary recursion. */
    static final int MIN_DEPTH = 64;

    private NestingLimit() {
    }

    static int forStackSize(long stackSizeBytes) {
        long stack = stackSizeBytes > 0 ? stackSizeBytes : JVM_DEFAULT_STACK;
        long depth = (stack - RESERVED_BYTES) / BYTES_PER_LEVEL;
        return (int) Math.max(MIN_DEPTH, Math.min(Integer.MAX_VALUE, depth));
    }
}
