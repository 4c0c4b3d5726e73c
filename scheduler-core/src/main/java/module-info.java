/**
 * Spindle's scheduler: one shared work-stealing pool for the process, with fork/join that helps
 * instead of blocking. Start at {@link dev.spindle.core.Scheduler}.
 */
module dev.spindle.core {
    requires org.jctools.core;
    // ThreadPools.info(): CPU time per thread (ThreadMXBean); each scheduler's read-only MBean.
    requires java.management;
    // Flight Recorder events (docs/design/observability.md); nothing is recorded unless a recording runs.
    requires jdk.jfr;

    exports dev.spindle.core;
}
