package dev.spindle.jcstress.broken;

import dev.spindle.jcstress.deque.StealVsSteal;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

/**
 * {@link StealVsSteal}, unchanged, on {@link PlainClaimStealDeque}. It must fail: {@code VerdictCheck}
 * fails the build if this test passes, since a test that cannot fail proves nothing. The outcomes
 * and their grading are inherited with the test.
 */
@JCStressTest
@State
public class StealVsStealOnPlainClaim extends StealVsSteal {

    public StealVsStealOnPlainClaim() {
        super(new PlainClaimStealDeque());
    }

    @Override
    @Actor
    public void thief1(III_Result r) {
        super.thief1(r);
    }

    @Override
    @Actor
    public void thief2(III_Result r) {
        super.thief2(r);
    }

    @Override
    @Arbiter
    public void leftInTheDeque(III_Result r) {
        super.leftInTheDeque(r);
    }
}
