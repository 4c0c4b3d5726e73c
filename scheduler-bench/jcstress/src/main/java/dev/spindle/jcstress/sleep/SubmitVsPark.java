package dev.spindle.jcstress.sleep;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.spindle.jcstress.SleepUnderTest;
import dev.spindle.jcstress.SpindleSleep;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * The submit-versus-park handshake of {@code docs/design/sleep.md}, with one worker. The submitter
 * makes a task visible (a release store, as the injector's offer ends) and calls
 * {@code notifyWork()}; the worker registers, re-checks the queue, and either leaves (it saw the
 * task) or decides to park. The actor does not really park: the arbiter, which runs after both
 * actors, asks whether the notifier's claim reached the worker. A worker that decided to park and
 * was not claimed would sleep forever with a task queued: the lost wake-up of JDK-8078490.
 *
 * <p>Result: r1 1 if the worker's re-check saw the task, 0 if it decided to park; r2 1 if the
 * notifier claimed the worker, else 0.
 */
@JCStressTest
@Description("submit vs park: a worker never parks unclaimed while a submitted task is visible")
@Outcome(id = {"1, 0", "1, 1"}, expect = ACCEPTABLE, desc = "the worker's re-check saw the task and it stayed awake")
@Outcome(id = "0, 1", expect = ACCEPTABLE, desc = "the worker decided to park, and the notifier's claim reached it")
@Outcome(id = "0, 0", expect = FORBIDDEN, desc = "LOST WAKE-UP: the worker parked unclaimed while the task was queued")
@State
public class SubmitVsPark {

    private static final int WORKER = 0;
    private static final VarHandle QUEUED;

    static {
        try {
            QUEUED = MethodHandles.lookup().findVarHandle(SubmitVsPark.class, "queued", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    protected final SleepUnderTest sleep;
    /** The queue, reduced to whether it holds the task. */
    private boolean queued;
    private long ticket;

    public SubmitVsPark() {
        this(new SpindleSleep(1));
    }

    protected SubmitVsPark(SleepUnderTest sleep) {
        this.sleep = sleep;
    }

    @Actor
    public void submitter() {
        QUEUED.setRelease(this, true);               // the task becomes visible in its queue
        sleep.notifyWork();
    }

    @Actor
    public void worker(II_Result r) {
        long t = sleep.register(WORKER);
        if ((boolean) QUEUED.getAcquire(this)) {     // the re-check of every queue
            r.r1 = 1;
            r.r2 = sleep.leave(WORKER, t) ? 1 : 0;
        } else {
            r.r1 = 0;                                // would park now
            ticket = t;
        }
    }

    @Arbiter
    public void wasTheParkedWorkerClaimed(II_Result r) {
        if (r.r1 == 0) {
            r.r2 = sleep.leave(WORKER, ticket) ? 1 : 0;
        }
    }
}
