package dev.spindle.core;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Period;
import jdk.jfr.StackTrace;

/**
 * JFR event, periodic: an arena whose tasks wait for a permit (it is at its cap and tasks are
 * queued, or tasks were deferred at the cap since the previous event). Aggregated by
 * {@link ArenaEvents}: a deferred task itself never creates an event.
 */
@Name("dev.spindle.ArenaPermitWait")
@Label("Spindle Arena Permit Wait")
@Category({"Spindle", "Arena"})
@Description("An arena at its cap with tasks waiting for a permit")
@Period("1 s")
@StackTrace(false)
final class ArenaPermitWaitEvent extends Event {

    @Label("Scheduler")
    String scheduler;

    @Label("Arena")
    String arena;

    @Label("Cap")
    @Description("The most threads that may run the arena's tasks at once")
    int maxConcurrency;

    @Label("Running")
    @Description("Threads running the arena's tasks at the moment of the event")
    int running;

    @Label("Queued")
    @Description("Tasks waiting in the arena's queue at the moment of the event")
    int queued;

    @Label("Deferred")
    @Description("Tasks a worker found the arena full for, and queued, since the previous event")
    long deferred;

    @Label("Peak Running")
    int peakConcurrency;
}
