package dev.spindle.jcstress.deque;

import static dev.spindle.jcstress.DequeUnderTest.code;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.spindle.jcstress.DequeUnderTest;
import dev.spindle.jcstress.SpindleDeque;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

/**
 * Two thieves race for one element; only the CAS on top decides. Result: r1 and r2 the two steals
 * (1 the element, 0 empty, -1 ABORT), r3 how many elements the arbiter still finds in the deque.
 */
@JCStressTest
@Description("steal() vs steal(): one element is stolen once")
@Outcome(id = {"1, 0, 0", "0, 1, 0"}, expect = ACCEPTABLE, desc = "one thief stole it; the other came after and found the deque empty")
@Outcome(id = {"1, -1, 0", "-1, 1, 0"}, expect = ACCEPTABLE, desc = "one thief stole it; the other lost the CAS (ABORT)")
@Outcome(id = "1, 1, 0", expect = FORBIDDEN, desc = "STOLEN TWICE: both thieves got the element")
@Outcome(expect = FORBIDDEN, desc = "the element was lost, or a thief saw what no thief can see")
@State
public class StealVsSteal {

    protected final DequeUnderTest deque;

    public StealVsSteal() {
        this(new SpindleDeque());
    }

    protected StealVsSteal(DequeUnderTest deque) {
        this.deque = deque;
        deque.push(1);
    }

    @Actor
    public void thief1(III_Result r) {
        r.r1 = code(deque.steal());
    }

    @Actor
    public void thief2(III_Result r) {
        r.r2 = code(deque.steal());
    }

    @Arbiter
    public void leftInTheDeque(III_Result r) {
        r.r3 = deque.drain();
    }
}
