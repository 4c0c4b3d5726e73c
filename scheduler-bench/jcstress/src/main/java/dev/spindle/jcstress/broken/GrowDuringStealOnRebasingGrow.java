package dev.spindle.jcstress.broken;

import dev.spindle.jcstress.deque.GrowDuringSteal;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * {@link GrowDuringSteal}, unchanged, on {@link RebasingGrowDeque}. It must fail: {@code VerdictCheck}
 * fails the build if this test passes, since a test that cannot fail proves nothing. The outcomes
 * and their grading are inherited with the test.
 */
@JCStressTest
@State
public class GrowDuringStealOnRebasingGrow extends GrowDuringSteal {

    public GrowDuringStealOnRebasingGrow() {
        super(new RebasingGrowDeque());
    }

    @Override
    @Actor
    public void owner() {
        super.owner();
    }

    @Override
    @Actor
    public void thief() {
        super.thief();
    }

    @Override
    @Arbiter
    public void account(II_Result r) {
        super.account(r);
    }
}
