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
 * bytes for the thread's own frames and the JVM's guard zones: the measured worst case of a
 * fork/join level ({@value #MEASURED_BYTES_PER_LEVEL} bytes, interpreted) with room left for what
 * the tasks' own code puts between two joins. The measurement: {@code docs/design/join.md},
 * "Nesting limit".
 */
final class NestingLimit {

    static final int MEASURED_BYTES_PER_LEVEL = 1_100;
    static final int BYTES_PER_LEVEL = 1_536;
    static final long RESERVED_BYTES = 128L << 10;
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
