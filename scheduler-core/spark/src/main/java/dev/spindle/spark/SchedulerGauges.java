package dev.spindle.spark;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import dev.spindle.core.Scheduler;
import dev.spindle.core.SchedulerStats;
import java.util.Objects;
import java.util.function.Function;

/**
 * Spindle's statistics as Dropwizard gauges in the plugin's metric registry, so that Spark's
 * metrics system publishes them to its sinks (JMX, Prometheus, CSV, ...) under
 * {@code <app>.<executor>.plugin.dev.spindle.spark.SpindlePlugin.<name>}. Each gauge reads a fresh
 * {@link Scheduler#stats()} snapshot when a sink polls it; nothing runs between polls.
 */
final class SchedulerGauges {

    private SchedulerGauges() {
    }

    /** The gauge names, one per {@link SchedulerStats} counter. */
    static final String[] NAMES = {
        "parallelism", "tasksExecuted", "steals", "parks", "wakeups", "outsideSubmissions",
        "activeWorkers", "peakActiveWorkers", "queuedSubmissions", "blockedWorkers",
        "activeSpareWorkers", "spareThreadsStarted", "maxSpareWorkers", "blockedWorkerDetections",
    };

    /**
     * Registers one gauge per {@link SchedulerStats} counter of {@code scheduler} in
     * {@code registry} (names: {@link #NAMES}).
     *
     * @throws IllegalArgumentException if the registry already holds one of the names
     */
    static void register(MetricRegistry registry, Scheduler scheduler) {
        Objects.requireNonNull(registry, "registry");
        Objects.requireNonNull(scheduler, "scheduler");
        gauge(registry, scheduler, "parallelism", SchedulerStats::parallelism);
        gauge(registry, scheduler, "tasksExecuted", SchedulerStats::tasksExecuted);
        gauge(registry, scheduler, "steals", SchedulerStats::steals);
        gauge(registry, scheduler, "parks", SchedulerStats::parks);
        gauge(registry, scheduler, "wakeups", SchedulerStats::wakeups);
        gauge(registry, scheduler, "outsideSubmissions", SchedulerStats::outsideSubmissions);
        gauge(registry, scheduler, "activeWorkers", SchedulerStats::activeWorkers);
        gauge(registry, scheduler, "peakActiveWorkers", SchedulerStats::peakActiveWorkers);
        gauge(registry, scheduler, "queuedSubmissions", SchedulerStats::queuedSubmissions);
        gauge(registry, scheduler, "blockedWorkers", SchedulerStats::blockedWorkers);
        gauge(registry, scheduler, "activeSpareWorkers", SchedulerStats::activeSpareWorkers);
        gauge(registry, scheduler, "spareThreadsStarted", SchedulerStats::spareThreadsStarted);
        gauge(registry, scheduler, "maxSpareWorkers", SchedulerStats::maxSpareWorkers);
        gauge(registry, scheduler, "blockedWorkerDetections", SchedulerStats::blockedWorkerDetections);
    }

    private static <T extends Number> void gauge(MetricRegistry registry, Scheduler scheduler, String name,
                                                 Function<SchedulerStats, T> counter) {
        registry.register(name, (Gauge<T>) () -> counter.apply(scheduler.stats()));
    }
}
