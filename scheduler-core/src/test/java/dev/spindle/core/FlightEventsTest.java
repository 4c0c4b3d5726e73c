package dev.spindle.core;

import dev.spindle.core.testing.BoundedWait;
import dev.spindle.core.testing.ForkedFibonacci;
import dev.spindle.core.testing.SchedulerHygiene;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Spindle's JFR events ({@code docs/design/observability.md}), recorded and read back with
 * {@code jdk.jfr.consumer}: each event appears for the scheduler that caused it, with figures that
 * match what happened, and nothing is timed once no recording runs.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class FlightEventsTest {

    @RegisterExtension
    final SchedulerHygiene hygiene = new SchedulerHygiene();

    private static final Duration PERIOD = Duration.ofMillis(50);
    /** How long an awaited event may take to be written (a hard bound for a busy machine). */
    private static final long WRITTEN_WITHIN_MILLIS = 30_000;

    /**
     * Runs {@code body} inside a recording that enables every Spindle event, waits until the
     * events recorded so far for {@code scheduler} are {@code complete}, and returns the events of
     * the whole recording.
     *
     * <p>Why wait on a condition rather than pause: the periodic events are written by JFR's own
     * thread, and a worker counts a task, or a stand-in reports its retirement, just after the
     * moment the test can observe; a fixed pause before stopping lost the last periodic events or
     * the last instant event whenever the machine was busy.
     */
    private static List<RecordedEvent> record(String scheduler, Duration longTaskThreshold, Body body,
                                              Predicate<List<RecordedEvent>> complete) throws Exception {
        Path file = Files.createTempFile("spindle-events", ".jfr");
        try {
            try (Recording recording = new Recording()) {
                recording.enable("dev.spindle.WorkerSleep").withPeriod(PERIOD);
                recording.enable("dev.spindle.Steals").withPeriod(PERIOD);
                recording.enable("dev.spindle.ArenaPermitWait").withPeriod(PERIOD);
                recording.enable("dev.spindle.StandInStarted");
                recording.enable("dev.spindle.StandInRetired");
                recording.enable("dev.spindle.BlockedWorkerDetected");
                recording.enable("dev.spindle.LongTask").withThreshold(longTaskThreshold);
                recording.start();
                assertTrue(FlightEvents.recording, "a running recording must turn the events on");
                assertTrue(FlightEvents.timingTasks, "a recording that enables LongTask must turn timing on");
                Recorded recorded = new Recorded(recording, file, scheduler);
                body.run(recorded);
                recorded.await("the events the test checks", complete);
                recording.stop();
                recording.dump(file);
            }
            assertFalse(FlightEvents.recording, "no recording runs: instant events must be off");
            assertFalse(FlightEvents.timingTasks, "no recording runs: tasks must not be timed");
            return readEvents(file, scheduler);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static List<RecordedEvent> readEvents(Path file, String scheduler) throws IOException {
        return RecordingFile.readAllEvents(file).stream()
                .filter(e -> e.getEventType().getName().startsWith("dev.spindle."))
                .filter(e -> scheduler.equals(e.getString("scheduler")))
                .collect(Collectors.toList());
    }

    /** The running recording, as a body sees it: it can wait until some events have been written. */
    static final class Recorded {
        private final Recording recording;
        private final Path file;
        private final String scheduler;

        Recorded(Recording recording, Path file, String scheduler) {
            this.recording = recording;
            this.file = file;
            this.scheduler = scheduler;
        }

        /**
         * Waits until the scheduler's events recorded so far satisfy {@code written}, failing after
         * {@link #WRITTEN_WITHIN_MILLIS}. A running recording can be dumped: each poll reads all of it.
         */
        void await(String what, Predicate<List<RecordedEvent>> written) throws Exception {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WRITTEN_WITHIN_MILLIS);
            while (true) {
                recording.dump(file);
                List<RecordedEvent> sofar = readEvents(file, scheduler);
                if (written.test(sofar)) {
                    return;
                }
                assertTrue(System.nanoTime() - deadline < 0, () -> what + " were not recorded within "
                        + WRITTEN_WITHIN_MILLIS + " ms; recorded: " + sofar);
                Thread.sleep(PERIOD.toMillis());
            }
        }
    }

    private static final class SleepsEightyMillis implements java.util.concurrent.Callable<Void> {
        @Override
        public Void call() throws InterruptedException {
            Thread.sleep(80);
            return null;
        }
    }

    private static final class ReturnsAtOnce implements java.util.concurrent.Callable<Integer> {
        @Override
        public Integer call() {
            return 1;
        }
    }

    interface Body {
        void run(Recorded recorded) throws Exception;
    }

    private static List<RecordedEvent> named(List<RecordedEvent> events, String name) {
        return events.stream().filter(e -> e.getEventType().getName().equals(name)).collect(Collectors.toList());
    }

    private static long sum(List<RecordedEvent> events, String field) {
        return events.stream().mapToLong(e -> e.getLong(field)).sum();
    }

    @Test
    void forkJoinAndIdleness_areRecordedAsAggregatedStealsAndSleep_andALongTaskWithItsClass() throws Exception {
        Scheduler scheduler = hygiene.newScheduler(2);
        List<RecordedEvent> events = record(scheduler.name(), Duration.ofMillis(40), recorded -> {
            assertEquals(6765L, scheduler.invoke(() -> ForkedFibonacci.of(scheduler, 20)));
            scheduler.submit(new SleepsEightyMillis()).get(10, TimeUnit.SECONDS);
            scheduler.submit(new ReturnsAtOnce()).get(10, TimeUnit.SECONDS);   // under the threshold
            Thread.sleep(3 * PERIOD.toMillis());                   // idle: workers park
        }, sofar -> {
            // The periodic events have caught up with the counters (a worker counts a task after
            // its future completes), and the long task's event (written after the task) is in.
            SchedulerStats now = scheduler.stats();
            List<RecordedEvent> steals = named(sofar, "dev.spindle.Steals");
            return now.parks() > 0 && now.parks() == sum(named(sofar, "dev.spindle.WorkerSleep"), "parks")
                    && now.steals() == sum(steals, "steals") && now.tasksExecuted() == sum(steals, "tasksExecuted")
                    && named(sofar, "dev.spindle.LongTask").stream()
                            .anyMatch(e -> SleepsEightyMillis.class.getName().equals(e.getString("taskClass")));
        });
        SchedulerStats stats = scheduler.stats();
        List<RecordedEvent> steals = named(events, "dev.spindle.Steals");
        List<RecordedEvent> sleep = named(events, "dev.spindle.WorkerSleep");
        assertFalse(steals.isEmpty(), () -> "no Steals event: " + events);
        assertEquals(stats.steals(), sum(steals, "steals"), () -> "steal counts do not add up: " + steals);
        assertEquals(stats.tasksExecuted(), sum(steals, "tasksExecuted"), () -> steals.toString());
        assertTrue(steals.size() < 100, () -> "steals must be aggregated per period, got " + steals.size());
        assertFalse(sleep.isEmpty(), () -> "no WorkerSleep event: " + events);
        assertEquals(stats.parks(), sum(sleep, "parks"), () -> "park counts do not add up: " + sleep);
        // (fib's tasks may pass the threshold too on a loaded machine; they are not checked.)
        List<RecordedEvent> longTasks = named(events, "dev.spindle.LongTask");
        assertTrue(longTasks.stream().allMatch(e -> e.getDuration().toMillis() >= 40), longTasks::toString);
        assertTrue(longTasks.stream().noneMatch(e -> e.getString("taskClass").equals(ReturnsAtOnce.class.getName())),
                () -> "a task under the threshold was reported: " + longTasks);
        List<RecordedEvent> sleeper = longTasks.stream()
                .filter(e -> e.getString("taskClass").equals(SleepsEightyMillis.class.getName()))
                .collect(Collectors.toList());
        assertEquals(1, sleeper.size(), () -> "the 80 ms task passes the 40 ms threshold once: " + longTasks);
        assertTrue(sleeper.get(0).getDuration().toMillis() >= 80, sleeper::toString);
        assertFalse(sleeper.get(0).getBoolean("helped"), sleeper::toString);
    }

    @Test
    void aWorkerBlockedWhileWorkWaits_isRecordedWithItsStandInStartingAndRetiring() throws Exception {
        Scheduler scheduler = hygiene.newScheduler(1);
        CountDownLatch blocked = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<RecordedEvent> events = record(scheduler.name(), Duration.ofSeconds(10), recorded -> {
            Future<Boolean> blocker = scheduler.submit(() -> {
                blocked.countDown();
                return release.await(20, TimeUnit.SECONDS);   // blocked without managedBlock
            });
            assertTrue(blocked.await(10, TimeUnit.SECONDS));
            assertEquals(7, scheduler.submit(() -> 7).get(10, TimeUnit.SECONDS));   // runs on a stand-in
            release.countDown();
            assertTrue(blocker.get(10, TimeUnit.SECONDS));
            assertTrue(BoundedWait.until(() -> scheduler.stats().activeSpareWorkers() == 0, 10_000),
                    scheduler::toString);
        }, sofar -> !named(sofar, "dev.spindle.BlockedWorkerDetected").isEmpty()   // the stand-in reports
                && !named(sofar, "dev.spindle.StandInStarted").isEmpty()           // its retirement just
                && !named(sofar, "dev.spindle.StandInRetired").isEmpty());         // after the count drops
        List<RecordedEvent> detected = named(events, "dev.spindle.BlockedWorkerDetected");
        assertEquals(1, detected.size(), () -> events.toString());
        RecordedEvent detection = detected.get(0);
        assertEquals(scheduler.name() + "-worker-1", detection.getString("worker"));
        assertEquals("TIMED_WAITING", detection.getString("threadState"), detection::toString);   // a timed await
        assertTrue(detection.getString("blocker").contains("CountDownLatch"), detection::toString);
        List<RecordedEvent> started = named(events, "dev.spindle.StandInStarted");
        List<RecordedEvent> retired = named(events, "dev.spindle.StandInRetired");
        assertEquals(1, started.size(), () -> events.toString());
        assertTrue(started.get(0).getString("standIn").startsWith(scheduler.name() + "-worker-spare-"));
        assertEquals(1, started.get(0).getInt("blockedWorkers"));
        assertEquals(1, retired.size(), () -> events.toString());
        assertEquals(started.get(0).getString("standIn"), retired.get(0).getString("standIn"));
        assertEquals(0, retired.get(0).getInt("blockedWorkers"));
    }

    @Test
    void anArenaAtItsCap_isRecordedWithTheTasksWaitingForAPermit() throws Exception {
        Scheduler scheduler = hygiene.newScheduler(2);
        Arena arena = Arena.builder().scheduler(scheduler).maxConcurrency(1).name("capped").build();
        ExecutorService executor = arena.asExecutorService();
        AtomicBoolean stop = new AtomicBoolean();
        List<RecordedEvent> events = record(scheduler.name(), Duration.ofSeconds(10), recorded -> {
            CountDownLatch holding = new CountDownLatch(1);
            Future<?> holder = executor.submit(() -> {   // holds the one permit, running (not blocked)
                holding.countDown();
                while (!stop.get()) {
                    Thread.onSpinWait();
                }
            });
            assertTrue(holding.await(10, TimeUnit.SECONDS));
            Future<Integer> queued = executor.submit(() -> 1);
            Future<Integer> deferred = scheduler.submit(() -> arena.execute(() -> 2));  // a worker finds it full
            // Hold the permit until a worker has passed the task over and a periodic event has seen
            // the arena full with a task queued (a fixed pause missed both on a busy machine).
            assertTrue(BoundedWait.until(() -> arena.stats().tasksDeferred() >= 1, 10_000),
                    () -> "no worker passed the task over at the cap: " + arena.stats());
            recorded.await("an ArenaPermitWait event of the full arena", sofar -> isFullArenaWait(sofar));
            stop.set(true);
            holder.get(10, TimeUnit.SECONDS);
            assertEquals(1, queued.get(10, TimeUnit.SECONDS));
            assertEquals(2, deferred.get(10, TimeUnit.SECONDS));
        }, sofar -> sum(named(sofar, "dev.spindle.ArenaPermitWait"), "deferred") == arena.stats().tasksDeferred());
        stop.set(true);
        List<RecordedEvent> waits = named(events, "dev.spindle.ArenaPermitWait");
        assertFalse(waits.isEmpty(), () -> "no ArenaPermitWait event: " + events);
        assertTrue(waits.stream().allMatch(e -> "capped".equals(e.getString("arena"))), waits::toString);
        assertTrue(isFullArenaWait(waits), waits::toString);
        // The deferred task was passed over at least once; a second time when, as the permit freed,
        // two workers each took a queued task (ArenaStats.tasksDeferred). The events add up to the
        // arena's own count, whatever it is.
        long deferrals = arena.stats().tasksDeferred();
        assertTrue(deferrals >= 1, () -> arena.stats().toString());
        assertEquals(deferrals, sum(waits, "deferred"), waits::toString);
    }

    /** Whether some ArenaPermitWait event saw the cap-1 arena running one task with one or more queued. */
    private static boolean isFullArenaWait(List<RecordedEvent> events) {
        return named(events, "dev.spindle.ArenaPermitWait").stream().anyMatch(e -> e.getInt("queued") >= 1
                && e.getInt("running") == 1 && e.getInt("maxConcurrency") == 1);
    }
}
