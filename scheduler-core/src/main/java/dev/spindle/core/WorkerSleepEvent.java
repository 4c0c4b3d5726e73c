package dev.spindle.core;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Period;
import jdk.jfr.StackTrace;

/**
 * JFR event, periodic: how often a scheduler's workers went to sleep and were woken since the last
 * such event. Aggregated, never one event per park: parking is frequent on a lightly loaded pool.
 * Emitted only for schedulers whose counts changed. Written by {@link FlightEvents}.
 */
@Name("dev.spindle.WorkerSleep")
@Label("Spindle Worker Sleep")
@Category({"Spindle", "Scheduler"})
@Description("Workers of a scheduler that parked and were woken since the previous event")
@Period("1 s")
@StackTrace(false)
final class WorkerSleepEvent extends Event {

    @Label("Scheduler")
    String scheduler;

    @Label("Parks")
    @Description("Times a worker went to sleep since the previous event (idle, or in a join with nothing to help)")
    long parks;

    @Label("Wake-ups")
    @Description("Times a sleeping worker was woken for new work since the previous event")
    long wakeups;

    @Label("Total Parks")
    @Description("Parks since the scheduler started")
    long totalParks;

    @Label("Active Workers")
    @Description("Workers running a task at the moment of the event")
    int activeWorkers;
}
