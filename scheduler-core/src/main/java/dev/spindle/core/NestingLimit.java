package dev.spindle.core;

import java.lang.management.ManagementFactory;
import javax.management.JMException;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;

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
    /**
     * What HotSpot gives a thread when no stack size is asked for and {@code -Xss} says nothing, on
     * 64-bit Linux, macOS and Windows; assumed when the JVM's own setting cannot be read.
     */
    static final long USUAL_JVM_DEFAULT_STACK = 1L << 20;
    /** Never below this, however small the stack: a scheduler must allow ordinary recursion. */
    static final int MIN_DEPTH = 64;

    private NestingLimit() {
    }

    static int forStackSize(long stackSizeBytes) {
        long stack = stackSizeBytes > 0 ? stackSizeBytes : JvmDefaultStack.BYTES;
        long depth = (stack - RESERVED_BYTES) / BYTES_PER_LEVEL;
        return (int) Math.max(MIN_DEPTH, Math.min(Integer.MAX_VALUE, depth));
    }

    /**
     * The stack the JVM gives a thread that asks for none: its {@code ThreadStackSize} option (what
     * {@code -Xss} sets), read once, when a pool left at the JVM's default stack first needs it.
     * Read through the platform MBean server, so that only {@code java.management} is needed; a JVM
     * without the HotSpot diagnostic bean, or a setting of 0 (the operating system's default), gives
     * {@link #USUAL_JVM_DEFAULT_STACK}.
     */
    private static final class JvmDefaultStack {

        static final long BYTES = read();

        private JvmDefaultStack() {
        }

        private static long read() {
            try {
                Object option = ManagementFactory.getPlatformMBeanServer().invoke(
                        new ObjectName("com.sun.management:type=HotSpotDiagnostic"), "getVMOption",
                        new Object[] {"ThreadStackSize"}, new String[] {String.class.getName()});
                long kib = Long.parseLong(String.valueOf(((CompositeData) option).get("value")));
                return kib > 0 ? kib << 10 : USUAL_JVM_DEFAULT_STACK;
            } catch (JMException | RuntimeException | LinkageError unreadable) {
                return USUAL_JVM_DEFAULT_STACK;
            }
        }
    }
}
