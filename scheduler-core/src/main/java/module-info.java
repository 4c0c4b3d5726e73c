/**
 * Spindle's scheduler: one shared work-stealing pool for the process, with fork/join that helps
 * instead of blocking. Start at {@link dev.spindle.core.Scheduler}.
 */
module dev.spindle.core {
    requires org.jctools.core;
    // ThreadPools.info(): CPU time per thread (ThreadMXBean).
    requires java.management;

    exports dev.spindle.core;
}
