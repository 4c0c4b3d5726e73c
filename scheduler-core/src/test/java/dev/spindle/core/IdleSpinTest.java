package dev.spindle.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.core.testing.BoundedWait;
import dev.spindle.core.testing.SchedulerHygiene;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An idle worker's spin phase ({@code docs/design/sleep.md}, "Idle spin"): a worker that only
 * wakes for lone submissions spins less and less before it sleeps, down to its floor, and still
 * runs every submission.
 */
class IdleSpinTest {

    @RegisterExtension
    final SchedulerHygiene hygiene = new SchedulerHygiene();

    private static int index(int i) {
        return i;
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void loneSubmissions_shortenTheSpinToItsFloor() throws Exception {
        Scheduler scheduler = hygiene.newScheduler(1);
        Worker worker = scheduler.pool().workers[0];
        for (int i = 0; i < 16; i++) {
            long parks = scheduler.stats().parks();
            int expected = i;
            assertEquals(expected, scheduler.submit(() -> index(expected)).get(30, TimeUnit.SECONDS));
            // The worker parks again only after a spin phase that found nothing (the next
            // submission comes after this), and it halves the next phase before it parks.
            assertTrue(BoundedWait.until(() -> scheduler.stats().parks() > parks, 30_000),
                    "the worker did not park again within 30 s: " + scheduler.stats());
        }
        // Read after the worker's park count moved (an opaque store after the halving): the
        // worker is asleep and writes nothing now, so the value is its last.
        assertEquals(Worker.MIN_IDLE_SPIN_ROUNDS, worker.idleSpinRounds);
        // Asleep with the shortest spin, it still wakes for a submission.
        assertEquals(42, scheduler.submit(() -> 42).get(30, TimeUnit.SECONDS));
    }
}
