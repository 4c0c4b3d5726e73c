package dev.spindle.core.testing;

import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.function.Executable;

/**
 * A parallel loop's body that fails in its first block, but only once a block of the upper half
 * runs (so on another worker), and counts every call: the shape that checks that a loop rethrows
 * the body's failure as is and that no block starts after the call returned
 * ({@code docs/design/loops.md}: "no part of the loop outlives the call").
 */
public final class FirstBlockFailure {

    /** What the first block throws. */
    public final IllegalStateException boom;
    private final long n;
    private final long busyMicros;
    private final LongAdder calls = new LongAdder();
    private final AtomicBoolean upperHalfRunning = new AtomicBoolean();

    /**
     * @param n the loop's length in positions (elements or block starts, counted from 0)
     * @param busyMicros how long every other block keeps its worker busy
     */
    public FirstBlockFailure(String message, long n, long busyMicros) {
        this.boom = new IllegalStateException(message);
        this.n = n;
        this.busyMicros = busyMicros;
    }

    /** The body at {@code position} (0 to n - 1): position 0 throws {@link #boom}, the rest are busy. */
    public void visit(long position) {
        calls.increment();
        if (position >= n / 2) {
            upperHalfRunning.set(true);
        }
        if (position == 0) {
            BoundedWait.until(upperHalfRunning::get, 10_000);
            throw boom;
        }
        BoundedWait.busyFor(busyMicros);
    }

    /**
     * Runs {@code loop}, which must throw {@link #boom} itself as a {@code thrownAs}, and checks
     * that a block of the upper half ran meanwhile and that no call started in the
     * {@link AfterReturn#WATCH_MILLIS} after the loop returned.
     */
    public void assertRethrown_andNothingStartsAfterwards(Class<? extends Throwable> thrownAs, Executable loop,
                                                          String calledWhat) throws InterruptedException {
        Throwable thrown = assertThrows(thrownAs, loop);
        AfterReturn.assertNoMoreCalls(calls::sum, calledWhat + " started after the loop had thrown and returned");

        assertSame(boom, thrown);
        assertTrue(upperHalfRunning.get(), "the scenario needs a block of the upper half running on another worker");
    }
}
