package dev.spindle.core.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.function.LongSupplier;

/**
 * The check that no part of a call outlives it ({@code docs/design/loops.md}: "no part of the loop
 * outlives the call"): a counter of the call's body, operator or comparator calls stands still for
 * 200 ms after the call returned or threw.
 */
public final class AfterReturn {

    /** How long the counter is watched. */
    public static final long WATCH_MILLIS = 200;

    private AfterReturn() {
    }

    /**
     * Reads {@code calls} now, then again after {@link #WATCH_MILLIS}; fails with {@code what} if
     * it moved. Call it as soon as the call under test has returned.
     */
    public static void assertNoMoreCalls(LongSupplier calls, String what) throws InterruptedException {
        long atReturn = calls.getAsLong();
        Thread.sleep(WATCH_MILLIS);
        assertEquals(atReturn, calls.getAsLong(), what);
    }
}
