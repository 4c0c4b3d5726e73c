package dev.spindle.linalg.internal.kernel;

import java.lang.management.ManagementFactory;
import java.util.function.LongSupplier;

/**
 * The calling thread's allocation counter, where the JVM keeps one: HotSpot's
 * {@code com.sun.management.ThreadMXBean#getCurrentThreadAllocatedBytes()}, reached through the
 * optional {@code jdk.management} module. {@link VectorWarmUp} uses it to tell boxed vectors
 * (the Vector API kernel not yet compiled) from intrinsified ones.
 *
 * <p>Any thread; the counter it returns reads the thread that calls it.
 */
final class ThreadAllocation {

    private ThreadAllocation() {
    }

    /**
     * A supplier of the calling thread's allocated bytes, or {@code null} when the JVM has no such
     * counter, has it switched off, or lacks the {@code jdk.management} module.
     */
    static LongSupplier counterOrNull() {
        try {
            java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            if (!(threads instanceof com.sun.management.ThreadMXBean)) {
                return null;
            }
            com.sun.management.ThreadMXBean hotSpot = (com.sun.management.ThreadMXBean) threads;
            if (!hotSpot.isThreadAllocatedMemorySupported() || !hotSpot.isThreadAllocatedMemoryEnabled()
                    || hotSpot.getCurrentThreadAllocatedBytes() < 0) {
                return null;
            }
            return hotSpot::getCurrentThreadAllocatedBytes;
        } catch (RuntimeException | LinkageError unavailable) {
            return null;
        }
    }
}
