package dev.spindle.core;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/**
 * JFR event: the {@link StallMonitor} found a worker blocked outside {@code managedBlock} while
 * work waited, and counted it as blocked (it lends its arena permits and may get a stand-in). The
 * event is written on the monitor's thread, so it carries the blocked thread's name, state and
 * blocker instead of a stack trace; JFR's own {@code jdk.ThreadPark} and
 * {@code jdk.JavaMonitorEnter} events on that thread show where it waits.
 */
@Name("dev.spindle.BlockedWorkerDetected")
@Label("Spindle Blocked Worker Detected")
@Category({"Spindle", "Scheduler"})
@Description("A worker blocked inside a task without managedBlock while work waited")
@StackTrace(false)
final class BlockedWorkerEvent extends Event {

    @Label("Scheduler")
    String scheduler;

    @Label("Worker")
    @Description("The blocked worker's thread name")
    String worker;

    @Label("Thread State")
    String threadState;

    @Label("Blocker")
    @Description("The class of the object the thread parks on (LockSupport.getBlocker), if any")
    String blocker;

    @Label("Blocked For")
    @Description("How long the worker had been seen blocked before it was counted")
    @Timespan(Timespan.NANOSECONDS)
    long blockedFor;
}
