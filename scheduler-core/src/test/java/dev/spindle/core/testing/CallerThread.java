package dev.spindle.core.testing;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * A thread outside any pool that makes one blocking call (a join, a get, a close) and records how
 * it ended: the value, or what it threw, and whether its interrupt status was set afterwards.
 * Tests use it to put a caller in a blocked state, act on it, then check how it was released.
 * Daemon, so that a test that fails with a caller still blocked does not keep the JVM alive.
 *
 * @param <T> the type of the call's result
 */
public final class CallerThread<T> extends Thread {

    private final Callable<T> call;
    private volatile T value;
    private volatile Throwable thrown;
    private volatile boolean interruptedAfterwards;
    private volatile long elapsedNanos;

    private CallerThread(String name, Callable<T> call) {
        super(name);
        this.call = call;
        setDaemon(true);
    }

    /** Starts a caller thread that makes {@code call}. */
    public static <T> CallerThread<T> start(String name, Callable<T> call) {
        CallerThread<T> caller = new CallerThread<>(name, call);
        caller.start();
        return caller;
    }

    @Override
    public void run() {
        long start = System.nanoTime();
        try {
            value = call.call();
        } catch (Throwable t) {
            thrown = t;
        }
        elapsedNanos = System.nanoTime() - start;
        interruptedAfterwards = Thread.currentThread().isInterrupted();
    }

    /** Waits (bounded) until the caller is parked or waiting, i.e. blocked in its call. */
    public CallerThread<T> awaitBlocked() throws InterruptedException {
        awaitBlocked(this);
        return this;
    }

    /** Waits (bounded) until {@code thread} is in WAITING or TIMED_WAITING. */
    public static void awaitBlocked(Thread thread) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        for (;;) {
            State state = thread.getState();
            if (state == State.WAITING || state == State.TIMED_WAITING) {
                return;
            }
            if (state == State.TERMINATED) {
                fail(thread.getName() + " ended instead of blocking");
            }
            if (System.nanoTime() - deadline > 0) {
                fail(thread.getName() + " did not block within 10 s; state " + state);
            }
            Thread.sleep(1);
        }
    }

    /** Waits (bounded) for the call to end; fails if it is still blocked after {@code seconds}. */
    public CallerThread<T> awaitFinished(long seconds) throws InterruptedException {
        join(TimeUnit.SECONDS.toMillis(seconds));
        assertFalse(isAlive(), () -> getName() + " was still blocked after " + seconds + " s");
        return this;
    }

    /** The value the call returned; fails if it threw. */
    public T value() {
        Throwable t = thrown;
        if (t != null) {
            throw new AssertionError(getName() + " threw instead of returning", t);
        }
        return value;
    }

    /** What the call threw; fails if it returned normally. */
    public Throwable thrown() {
        Throwable t = thrown;
        assertTrue(t != null, () -> getName() + " returned " + value + " instead of throwing");
        return t;
    }

    public boolean interruptedAfterwards() {
        return interruptedAfterwards;
    }

    public long elapsedNanos() {
        return elapsedNanos;
    }
}
