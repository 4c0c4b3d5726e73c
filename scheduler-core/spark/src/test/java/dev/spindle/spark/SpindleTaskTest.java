package dev.spindle.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.core.Arena;
import dev.spindle.core.Parallel;
import dev.spindle.core.Scheduler;
import java.io.IOException;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SpindleTaskTest {

    @AfterEach
    void unbind() {
        SpindleTask.unbind();
    }

    @Test
    void unbound_runsTheBodyOnTheCallingThread() {
        Thread caller = Thread.currentThread();
        assertFalse(SpindleTask.arena().isPresent());
        assertSame(caller, SpindleTask.call(Thread::currentThread));
    }

    @Test
    void bound_runsTheBodyAndItsForksInTheArena_withinItsCap() {
        Arena arena = TaskArenas.on(Scheduler.global()).acquire(1);
        try {
            assertNull(SpindleTask.bind(arena));
            assertSame(arena, SpindleTask.arena().orElseThrow());
            long sum = SpindleTask.call(() -> Parallel.reduce(0, 100_000, 0L,
                    (lo, hi) -> {
                        long s = 0;
                        for (int i = lo; i < hi; i++) {
                            s += i;
                        }
                        return s;
                    }, Long::sum));
            assertEquals(100_000L * 99_999 / 2, sum);
            assertTrue(arena.peakConcurrency() <= 1, "peak " + arena.peakConcurrency());
        } finally {
            TaskArenas.on(Scheduler.global()).release(SpindleTask.unbind());
        }
    }

    @Test
    void exceptions_areReportedAlikeBoundOrNot() {
        IllegalStateException unchecked = new IllegalStateException("body failed");
        assertSame(unchecked, assertThrows(IllegalStateException.class, () -> SpindleTask.call(() -> {
            throw unchecked;
        })));
        IOException checked = new IOException("io");
        assertSame(checked, assertThrows(CompletionException.class, () -> SpindleTask.call(() -> {
            throw checked;
        })).getCause());

        Arena arena = TaskArenas.on(Scheduler.global()).acquire(2);
        SpindleTask.bind(arena);
        try {
            assertSame(unchecked, assertThrows(IllegalStateException.class, () -> SpindleTask.call(() -> {
                throw unchecked;
            })));
            assertSame(checked, assertThrows(CompletionException.class, () -> SpindleTask.call(() -> {
                throw checked;
            })).getCause());
        } finally {
            TaskArenas.on(Scheduler.global()).release(SpindleTask.unbind());
        }
    }

    @Test
    void nullBody_isRefused() {
        assertThrows(NullPointerException.class, () -> SpindleTask.call(null));
    }
}
