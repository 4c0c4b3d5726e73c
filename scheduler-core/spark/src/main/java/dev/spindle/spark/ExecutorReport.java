package dev.spindle.spark;

import java.io.Serializable;
import java.util.Objects;

/**
 * What one executor's plugin configured, sent to the driver when the executor starts and logged
 * there ({@link SpindleDriverPlugin}).
 *
 * @param executorId Spark's executor id ({@code driver} in local mode)
 * @param host the executor's host
 * @param source where the requested worker count came from (a key, or the executor's cores and
 *     their source)
 * @param requested the worker count the plugin asked for
 * @param parallelism the global scheduler's worker count after sizing
 * @param libraryLimits one line per library limited, or {@code "none"}
 * @param taskCaps whether per-task arenas are on
 */
public record ExecutorReport(String executorId, String host, String source, int requested, int parallelism,
                             String libraryLimits, boolean taskCaps) implements Serializable {

    private static final long serialVersionUID = 1L;

    /**
     * Checks the values.
     *
     * @throws NullPointerException if a string is null
     */
    public ExecutorReport {
        Objects.requireNonNull(executorId, "executorId");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(libraryLimits, "libraryLimits");
    }

    /** True if the global scheduler got the worker count the plugin asked for. */
    public boolean sizedAsRequested() {
        return parallelism == requested;
    }

    /** One line: executor, workers (and what was asked if it differs), limits, caps. */
    @Override
    public String toString() {
        return "executor " + executorId + " on " + host + ": Spindle global scheduler has " + parallelism
                + " workers" + (sizedAsRequested() ? "" : " (asked for " + requested
                + ": it was already running; see docs/guides/spark.md)")
                + ", for " + source + "; library limits: " + libraryLimits
                + "; per-task caps " + (taskCaps ? "on" : "off");
    }
}
