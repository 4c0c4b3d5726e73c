package dev.spindle.core;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Period;
import jdk.jfr.StackTrace;

/**
 * JFR event, periodic: tasks a scheduler's workers stole from each other, and tasks they ran, since
 * the last such event. Aggregated from the workers' counters by {@link FlightEvents}: a steal
 * itself never creates an event. Emitted only for schedulers whose counts changed.
 */
@Name("dev.spindle.Steals")
@Label("Spindle Steals")
@Category({"Spindle", "Scheduler"})
@Description("Tasks stolen between a scheduler's workers, and tasks run, since the previous event")
@Period("1 s")
@StackTrace(false)
final class StealsEvent extends Event {

    @Label("Scheduler")
    String scheduler;

    @Label("Steals")
    @Description("Tasks a worker took from another worker's deque since the previous event")
    long steals;

    @Label("Tasks Executed")
    @Description("Tasks run since the previous event")
    long tasksExecuted;

    @Label("Total Steals")
    @Description("Steals since the scheduler started")
    long totalSteals;
}
