package dev.spindle.jcstress.broken;

import dev.spindle.jcstress.sleep.SubmitVsPark;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * {@link SubmitVsPark}, unchanged, on {@link PeekingNotifySleep}. It must fail: {@code VerdictCheck}
 * fails the build if this test passes, since a test that cannot fail proves nothing. The outcomes
 * and their grading are inherited with the test.
 */
@JCStressTest
@State
public class SubmitVsParkOnPeekingNotify extends SubmitVsPark {

    public SubmitVsParkOnPeekingNotify() {
        super(new PeekingNotifySleep(1));
    }

    @Override
    @Actor
    public void submitter() {
        super.submitter();
    }

    @Override
    @Actor
    public void worker(II_Result r) {
        super.worker(r);
    }

    @Override
    @Arbiter
    public void wasTheParkedWorkerClaimed(II_Result r) {
        super.wasTheParkedWorkerClaimed(r);
    }
}
