package dev.spindle.core.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/**
 * Waits in tests that always end: a condition polled until a deadline, a call that must return
 * in time (Spindle's joins ignore interrupts, so a hung join could not be stopped otherwise), and
 * a busy pause that keeps a thread on its core (for tasks that must overlap without blocking).
 */
public final class BoundedWait {

    private BoundedWait() {
    }

    /** Polls {@code condition} until it holds or {@code timeoutMillis} pass; returns whether it held. */
    public static boolean until(BooleanSupplier condition, long timeoutMillis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline >= 0) {
                return condition.getAsBoolean();
            }
            Thread.onSpinWait();
            Thread.yield();
        }
        return true;
    }

    /**
     * Keeps the calling worker busy (running, not blocked) until {@code release} opens, the time is
     * up, or the thread is interrupted, and reports which, as {@code release.await} would. A task
     * that must hold its worker uses this instead of waiting: a worker blocked in a wait gets a
     * stand-in ({@code docs/design/blocking.md}), which would run the tasks the test holds back.
     *
     * @return whether {@code release} opened in time
     * @throws InterruptedException if interrupted (for example by {@code shutdownNow}) while holding
     */
    public static boolean holdBusy(java.util.concurrent.CountDownLatch release, long timeoutMillis)
            throws InterruptedException {
        boolean released = until(() -> release.getCount() == 0 || Thread.currentThread().isInterrupted(),
                timeoutMillis);
        if (Thread.interrupted()) {
            throw new InterruptedException("interrupted while holding a worker busy");
        }
        return released && release.getCount() == 0;
    }

    /** Spins for about {@code micros} microseconds without blocking or yielding the thread. */
    public static void busyFor(long micros) {
        long end = System.nanoTime() + TimeUnit.MICROSECONDS.toNanos(micros);
        while (System.nanoTime() - end < 0) {
            Thread.onSpinWait();
        }
    }

    /**
     * Runs {@code body} on a fresh daemon thread and returns its result, failing the test (with the
     * stacks of the threads named {@code stacksOf}…) if it takes longer than {@code timeoutMillis}.
     * Unchecked exceptions and errors of the body are rethrown as they are.
     */
    public static <T> T call(Callable<T> body, long timeoutMillis, String stacksOf) throws Exception {
        FutureTask<T> call = new FutureTask<>(body);
        Thread thread = new Thread(call, "bounded-call");
        thread.setDaemon(true);
        thread.start();
        try {
            return call.get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException hung) {
            return fail("did not return within " + timeoutMillis + " ms; threads:\n" + ThreadStacks.of(stacksOf + "|bounded-call"));
        } catch (ExecutionException failed) {
            Throwable cause = failed.getCause();
            if (cause instanceof Error) {
                throw (Error) cause;
            }
            throw (Exception) cause;
        }
    }
}
