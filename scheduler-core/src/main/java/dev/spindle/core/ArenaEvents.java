package dev.spindle.core;

import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import jdk.jfr.FlightRecorder;
import jdk.jfr.FlightRecorderListener;

/**
 * The arena layer's JFR events: {@link ArenaPermitWaitEvent}, written periodically for every arena
 * of every live scheduler whose tasks wait for a permit. The engine knows nothing of it: this
 * class reads the engine's arenas through {@link FlightEvents#livePools()} and
 * {@link WorkerPool#arenas()}, calling down.
 *
 * <p><b>Cost when no recording runs.</b> The first arena built adds one listener; the periodic hook
 * is added when the recorder initializes. Deferring a task counts one atomic increment, whether or
 * not anything records ({@link ArenaCore#deferredCount()}).
 */
final class ArenaEvents {

    private static final AtomicBoolean LISTENING = new AtomicBoolean();
    private static final AtomicBoolean HOOKED = new AtomicBoolean();
    /** Deferred counts last reported, per arena; only JFR's periodic thread touches it. */
    private static final Map<ArenaCore, Long> REPORTED = new WeakHashMap<>();

    private ArenaEvents() {
    }

    /** An arena was built: make sure the periodic event is hooked once JFR initializes. */
    static void arenaBuilt() {
        if (LISTENING.compareAndSet(false, true)) {
            try {
                FlightRecorder.addListener(new FlightRecorderListener() {
                    @Override
                    public void recorderInitialized(FlightRecorder recorder) {
                        if (HOOKED.compareAndSet(false, true)) {
                            FlightRecorder.addPeriodicEvent(ArenaPermitWaitEvent.class, ArenaEvents::report);
                        }
                    }
                });
            } catch (Throwable unavailable) {
                // No JFR (refused, or absent from the runtime): arenas work, nothing is recorded.
            }
        }
    }

    private static void report() {
        synchronized (REPORTED) {
            for (WorkerPool pool : FlightEvents.livePools()) {
                for (ArenaCore arena : pool.arenas()) {
                    long deferred = arena.deferredCount();
                    Long last = REPORTED.put(arena, deferred);
                    long sinceLast = deferred - (last != null ? last : 0L);
                    int running = arena.insideCount();
                    int queued = arena.queuedCount();
                    if (sinceLast > 0 || (queued > 0 && running >= arena.maxConcurrency())) {
                        ArenaPermitWaitEvent event = new ArenaPermitWaitEvent();
                        event.scheduler = pool.name();
                        event.arena = arena.name();
                        event.maxConcurrency = arena.maxConcurrency();
                        event.running = running;
                        event.queued = queued;
                        event.deferred = sinceLast;
                        event.peakConcurrency = arena.peakConcurrency();
                        event.commit();
                    }
                }
            }
        }
    }
}
