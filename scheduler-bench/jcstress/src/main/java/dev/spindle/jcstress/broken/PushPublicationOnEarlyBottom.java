package dev.spindle.jcstress.broken;

import dev.spindle.jcstress.deque.PushPublication;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

/**
 * {@link PushPublication}, unchanged, on {@link EarlyBottomPushDeque}. It must fail: {@code VerdictCheck}
 * fails the build if this test passes, since a test that cannot fail proves nothing. The outcomes
 * and their grading are inherited with the test.
 */
@JCStressTest
@State
public class PushPublicationOnEarlyBottom extends PushPublication {

    public PushPublicationOnEarlyBottom() {
        super(new EarlyBottomPushDeque());
    }

    @Override
    @Actor
    public void owner() {
        super.owner();
    }

    @Override
    @Actor
    public void thief(III_Result r) {
        super.thief(r);
    }
}
