package dev.spindle.core;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Threshold;

/**
 * JFR event with a duration: a task that ran on a worker for at least the event's
 * {@code threshold} setting (default 20 ms; set it per recording, e.g.
 * {@code jcmd <pid> JFR.start dev.spindle.LongTask#threshold=5ms} or
 * {@code Recording.enable("dev.spindle.LongTask").withThreshold(...)}).
 *
 * <p>Timed are the tasks a worker takes when idle (submitted, or stolen) and the tasks it runs while
 * helping in a join; a child a join takes back from its own deque runs inside its parent's time.
 * Tasks are timed only while a recording enables this event ({@link FlightEvents#timingTasks}).
 * The event is committed on the worker after the task, so its stack trace would show the worker's
 * loop, not the task: it carries the task's class instead.
 */
@Name("dev.spindle.LongTask")
@Label("Spindle Long Task")
@Category({"Spindle", "Scheduler"})
@Description("A task that ran on a worker for at least the threshold")
@Threshold("20 ms")
@StackTrace(false)
final class LongTaskEvent extends Event {

    @Label("Scheduler")
    String scheduler;

    @Label("Task Class")
    @Description("The class of the task's Callable (a Spindle wrapper for a submitted Runnable)")
    String taskClass;

    @Label("Helped")
    @Description("True if a worker ran it while waiting in a join, false if it ran at top level")
    boolean helped;
}
