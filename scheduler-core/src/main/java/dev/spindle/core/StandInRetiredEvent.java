package dev.spindle.core;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * JFR event: a spare worker stopped standing in (the worker it replaced resumed) and parks until it
 * is needed again ({@link SpareWorkers}).
 */
@Name("dev.spindle.StandInRetired")
@Label("Spindle Stand-in Retired")
@Category({"Spindle", "Scheduler"})
@Description("A spare worker stopped running tasks because fewer workers are blocked")
@StackTrace(false)
final class StandInRetiredEvent extends Event {

    @Label("Scheduler")
    String scheduler;

    @Label("Stand-in")
    @Description("The spare worker's thread name")
    String standIn;

    @Label("Blocked Workers")
    int blockedWorkers;

    @Label("Active Stand-ins")
    int activeStandIns;
}
