package dev.spindle.jcstress;

import dev.spindle.core.internal.Sleep;

/** The real {@link Sleep}, the code under test. No thread is bound, so a claim unparks nobody. */
public final class SpindleSleep implements SleepUnderTest {

    private final Sleep sleep;

    public SpindleSleep(int workers) {
        sleep = new Sleep(workers);
    }

    @Override
    public long register(int i) {
        return sleep.register(i);
    }

    @Override
    public boolean leave(int i, long ticket) {
        return sleep.leave(i, ticket);
    }

    @Override
    public void notifyWork() {
        sleep.notifyWork();
    }
}
