package dev.spindle.core;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import jdk.jfr.EventType;
import jdk.jfr.FlightRecorder;
import jdk.jfr.FlightRecorderListener;
import jdk.jfr.Recording;
import jdk.jfr.RecordingState;

/**
 * The engine's link to JDK Flight Recorder: which pools are alive, whether a recording runs, and
 * the periodic hooks that turn the workers' counters into {@link WorkerSleepEvent} and
 * {@link StealsEvent} ({@code docs/design/observability.md}).
 *
 * <p><b>Cost when no recording runs.</b> The first pool to start adds one
 * {@link FlightRecorderListener}; nothing else of JFR is touched until a recording starts. The
 * periodic hooks are added when the recorder initializes. Instant events are created only after a
 * read of {@link #recording}; task timing only after a read of {@link #timingTasks}. Both flags are
 * volatile and written only by the listener (and the periodic hooks), so the hot paths pay one
 * plain load on x86 and never allocate.
 *
 * <p>Who may call: {@link #poolStarted}/{@link #poolTerminated} any thread; the hooks run on JFR's
 * periodic thread, one at a time.
 */
final class FlightEvents {

    /** True while some recording runs: instant events check it before they allocate anything. */
    static volatile boolean recording;
    /** True while a running recording enables {@link LongTaskEvent}: tasks are timed only then. */
    static volatile boolean timingTasks;

    /** Live pools, each with the counters its last periodic events reported (periodic thread only). */
    private static final Map<WorkerPool, ReportedCounts> LIVE = new ConcurrentHashMap<>();
    private static final AtomicBoolean LISTENING = new AtomicBoolean();
    private static final AtomicBoolean HOOKED = new AtomicBoolean();

    private FlightEvents() {
    }

    /** What the periodic events of one pool last reported, so that the next ones report the change. */
    private static final class ReportedCounts {
        long parks;
        long wakeups;
        long steals;
        long executed;
    }

    /** A pool's workers started: its counters appear in periodic events from now on. */
    static void poolStarted(WorkerPool pool) {
        LIVE.put(pool, new ReportedCounts());
        if (LISTENING.compareAndSet(false, true)) {
            listen();
        }
    }

    /** A pool terminated: no more periodic events for it. */
    static void poolTerminated(WorkerPool pool) {
        LIVE.remove(pool);
    }

    /** The pools alive now (for the periodic events of the features built on them). */
    static Iterable<WorkerPool> livePools() {
        return LIVE.keySet();
    }

    /**
     * Adds the one listener. JFR may be absent or refused (a security manager, a runtime built
     * without it): then Spindle records nothing and runs as usual.
     */
    private static void listen() {
        try {
            FlightRecorder.addListener(new FlightRecorderListener() {
                @Override
                public void recorderInitialized(FlightRecorder recorder) {
                    addHooks();
                    refresh();
                }

                @Override
                public void recordingStateChanged(Recording changed) {
                    refresh();
                }
            });
        } catch (Throwable unavailable) {
            recording = false;
            timingTasks = false;
        }
    }

    private static void addHooks() {
        if (HOOKED.compareAndSet(false, true)) {
            FlightRecorder.addPeriodicEvent(WorkerSleepEvent.class, FlightEvents::reportSleep);
            FlightRecorder.addPeriodicEvent(StealsEvent.class, FlightEvents::reportSteals);
        }
    }

    /**
     * Recomputes both flags from the running recordings. Called when a recording changes state,
     * and by every periodic hook (a recording's settings can change while it runs).
     */
    static void refresh() {
        boolean running = false;
        try {
            for (Recording each : FlightRecorder.getFlightRecorder().getRecordings()) {
                if (each.getState() == RecordingState.RUNNING) {
                    running = true;
                    break;
                }
            }
            recording = running;
            timingTasks = running && EventType.getEventType(LongTaskEvent.class).isEnabled();
        } catch (Throwable unavailable) {
            recording = false;
            timingTasks = false;
        }
    }

    private static void reportSleep() {
        refresh();
        for (Map.Entry<WorkerPool, ReportedCounts> entry : LIVE.entrySet()) {
            WorkerPool pool = entry.getKey();
            ReportedCounts last = entry.getValue();
            SchedulerStats now = pool.stats();
            long parks = now.parks();
            long wakeups = now.wakeups();
            if (parks != last.parks || wakeups != last.wakeups) {
                WorkerSleepEvent event = new WorkerSleepEvent();
                event.scheduler = pool.name();
                event.parks = parks - last.parks;
                event.wakeups = wakeups - last.wakeups;
                event.totalParks = parks;
                event.activeWorkers = pool.activeWorkers();
                event.commit();
                last.parks = parks;
                last.wakeups = wakeups;
            }
        }
    }

    private static void reportSteals() {
        for (Map.Entry<WorkerPool, ReportedCounts> entry : LIVE.entrySet()) {
            WorkerPool pool = entry.getKey();
            ReportedCounts last = entry.getValue();
            SchedulerStats now = pool.stats();
            long steals = now.steals();
            long executed = now.tasksExecuted();
            if (steals != last.steals || executed != last.executed) {
                StealsEvent event = new StealsEvent();
                event.scheduler = pool.name();
                event.steals = steals - last.steals;
                event.tasksExecuted = executed - last.executed;
                event.totalSteals = steals;
                event.commit();
                last.steals = steals;
                last.executed = executed;
            }
        }
    }
}
