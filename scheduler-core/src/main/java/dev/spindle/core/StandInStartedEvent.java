package dev.spindle.core;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * JFR event: a spare worker began to stand in for a blocked worker ({@link SpareWorkers}). The
 * stack trace shows who asked for it: a {@code managedBlock} caller, or the stall monitor.
 */
@Name("dev.spindle.StandInStarted")
@Label("Spindle Stand-in Started")
@Category({"Spindle", "Scheduler"})
@Description("A spare worker began to run tasks in place of a blocked worker")
@StackTrace(true)
final class StandInStartedEvent extends Event {

    @Label("Scheduler")
    String scheduler;

    @Label("Stand-in")
    @Description("The spare worker's thread name")
    String standIn;

    @Label("New Thread")
    @Description("True if a thread was started for it, false if a retired spare was reused")
    boolean newThread;

    @Label("Blocked Workers")
    int blockedWorkers;

    @Label("Active Stand-ins")
    int activeStandIns;
}
