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
import org.openjdk.jcstress.infra.results.IIII_Result;

/**
 * The owner's {@code take()} and a thief race for the last element. The deque holds 1 (oldest) and
 * 2; the thief steals twice, so after its first steal (1) both sides go for 2. This is where
 * {@code take()}'s full fence matters: without it the owner's store of the smaller bottom can still
 * sit in its store buffer when it reads top, and both sides take 2.
 *
 * <p>Result: r1 the owner's take, r2 and r3 the thief's steals (an element is its number, 0 empty,
 * -1 ABORT), r4 how many elements the arbiter still finds in the deque.
 */
@JCStressTest
@Description("take() vs steal() on the last element: exactly one side gets it")
@Outcome(id = "2, 1, 0, 0", expect = ACCEPTABLE, desc = "owner took 2; the thief stole 1, then found the deque empty")
@Outcome(id = "2, 1, -1, 0", expect = ACCEPTABLE, desc = "owner took 2; the thief stole 1, then lost the race for 2 (ABORT)")
@Outcome(id = "0, 1, 2, 0", expect = ACCEPTABLE, desc = "the thief stole both; the owner lost the race for 2")
@Outcome(id = "2, 1, 2, 0", expect = FORBIDDEN, desc = "TAKEN TWICE: owner and thief both got 2")
@Outcome(id = ".*, [1-9]", expect = FORBIDDEN, desc = "LOST: neither side got an element, though one was left")
@Outcome(expect = FORBIDDEN, desc = "any other result is impossible for a Chase-Lev deque")
@State
public class TakeVsStealLastElement {

    protected final DequeUnderTest deque;

    public TakeVsStealLastElement() {
        this(new SpindleDeque());
    }

    protected TakeVsStealLastElement(DequeUnderTest deque) {
        this.deque = deque;
        deque.push(1);
        deque.push(2);
    }

    @Actor
    public void owner(IIII_Result r) {
        r.r1 = code(deque.take());
    }

    @Actor
    public void thief(IIII_Result r) {
        r.r2 = code(deque.steal());
        r.r3 = code(deque.steal());
    }

    @Arbiter
    public void leftInTheDeque(IIII_Result r) {
        r.r4 = deque.drain();
    }
}
