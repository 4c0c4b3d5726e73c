package dev.spindle.spark.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * When each Spark task of a stage ran its body, and when each of its products ended: recorded by
 * {@link GemmWork} on the task's thread (in local mode the executor is this JVM), drained by the
 * harness after the stage.
 *
 * <p>Any thread may {@link #record}; {@link #drain} after the stage's job has returned (the job's
 * completion orders the tasks' records before it).
 */
final class TaskSpans {

    /** One task's body: partition, products, start and end, and each product's end ({@code System.nanoTime}). */
    record Span(int partition, int products, long startNanos, long endNanos, long[] productEndNanos) {

        long millis() {
            return (endNanos - startNanos) / 1_000_000;
        }
    }

    private static final Queue<Span> SPANS = new ConcurrentLinkedQueue<>();

    private TaskSpans() {
    }

    static void record(Span span) {
        SPANS.add(span);
    }

    static void clear() {
        SPANS.clear();
    }

    /** The spans recorded since the last drain, by start time. */
    static List<Span> drain() {
        List<Span> spans = new ArrayList<>();
        for (Span span; (span = SPANS.poll()) != null; ) {
            spans.add(span);
        }
        spans.sort(Comparator.comparingLong(Span::startNanos));
        return spans;
    }
}
