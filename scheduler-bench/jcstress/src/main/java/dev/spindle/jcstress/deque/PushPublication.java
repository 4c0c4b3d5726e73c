package dev.spindle.jcstress.deque;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.spindle.jcstress.DequeUnderTest;
import dev.spindle.jcstress.SpindleDeque;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

/**
 * The owner builds a task (plain, non-final fields) and pushes it while a thief steals. A thief that
 * gets the task must see it fully built: push's release store of bottom publishes the slot and
 * everything written before it. With no other thread racing, a steal cannot abort either.
 *
 * <p>Result: r1 1 if the thief got the task, 0 if it found the deque empty, -1 if it aborted;
 * r2 and r3 the task's two fields as the thief read them (0 when it got nothing).
 */
@JCStressTest
@Description("push() publishes the task: a thief that steals it sees its fields")
@Outcome(id = "0, 0, 0", expect = ACCEPTABLE, desc = "the thief came first and found the deque empty")
@Outcome(id = "1, 42, 43", expect = ACCEPTABLE, desc = "the thief stole a fully built task")
@Outcome(id = "-1, 0, 0", expect = FORBIDDEN, desc = "UNPUBLISHED SLOT: the thief saw the new bottom but not the element in its slot")
@Outcome(expect = FORBIDDEN, desc = "HALF-BUILT TASK: the thief stole a task whose fields it could not see")
@State
public class PushPublication {

    /** A task as the scheduler sees one: written by the owner before push, with plain fields. */
    public static final class Task {
        int first;
        int second;
    }

    protected final DequeUnderTest deque;

    public PushPublication() {
        this(new SpindleDeque());
    }

    protected PushPublication(DequeUnderTest deque) {
        this.deque = deque;
    }

    @Actor
    public void owner() {
        Task task = new Task();
        task.first = 42;
        task.second = 43;
        deque.push(task);
    }

    @Actor
    public void thief(III_Result r) {
        Object stolen = deque.steal();
        if (stolen instanceof Task) {
            Task task = (Task) stolen;
            r.r1 = 1;
            r.r2 = task.first;
            r.r3 = task.second;
        } else {
            r.r1 = stolen == null ? DequeUnderTest.EMPTY : DequeUnderTest.ABORT;
        }
    }
}
