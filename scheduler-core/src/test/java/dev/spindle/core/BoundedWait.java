package dev.spindle.core;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Waits in tests that always end: a condition polled until a deadline, and a busy pause that keeps
 * a thread on its core (for tasks that must overlap without blocking their worker).
 */
final class BoundedWait {

    private BoundedWait() {
    }

    /** Polls {@code condition} until it holds or {@code timeoutMillis} pass; returns whether it held. */
    static boolean until(BooleanSupplier condition, long timeoutMillis) {
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

    /** Spins for about {@code micros} microseconds without blocking or yielding the thread. */
    static void busyFor(long micros) {
        long end = System.nanoTime() + TimeUnit.MICROSECONDS.toNanos(micros);
        while (System.nanoTime() - end < 0) {
            Thread.onSpinWait();
        }
    }
}
