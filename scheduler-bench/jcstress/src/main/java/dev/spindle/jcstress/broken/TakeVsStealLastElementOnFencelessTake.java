package dev.spindle.jcstress.broken;

import dev.spindle.jcstress.deque.TakeVsStealLastElement;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIII_Result;

/**
 * {@link TakeVsStealLastElement}, unchanged, on {@link FencelessTakeDeque}. It must fail: {@code VerdictCheck}
 * fails the build if this test passes, since a test that cannot fail proves nothing. The outcomes
 * and their grading are inherited with the test.
 */
@JCStressTest
@State
public class TakeVsStealLastElementOnFencelessTake extends TakeVsStealLastElement {

    public TakeVsStealLastElementOnFencelessTake() {
        super(new FencelessTakeDeque());
    }

    @Override
    @Actor
    public void owner(IIII_Result r) {
        super.owner(r);
    }

    @Override
    @Actor
    public void thief(IIII_Result r) {
        super.thief(r);
    }

    @Override
    @Arbiter
    public void leftInTheDeque(IIII_Result r) {
        super.leftInTheDeque(r);
    }
}
