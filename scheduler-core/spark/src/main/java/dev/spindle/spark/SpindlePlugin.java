package dev.spindle.spark;

import org.apache.spark.api.plugin.DriverPlugin;
import org.apache.spark.api.plugin.ExecutorPlugin;
import org.apache.spark.api.plugin.SparkPlugin;

/**
 * Spindle in Apache Spark: {@code --conf spark.plugins=dev.spindle.spark.SpindlePlugin}.
 *
 * <p>On each executor ({@link SpindleExecutorPlugin}) the global scheduler is sized to the
 * executor's cores, the thread knobs of known libraries are limited ({@code ThreadPools.limit}),
 * and the scheduler's statistics are registered in Spark's metrics system. Kernels called inside
 * tasks then share one pool of workers per executor: while every task slot is busy each kernel
 * runs almost serially, and when a stage ends with a few long tasks their kernels take the cores
 * the finished tasks left idle. Optionally each running task gets an arena capped at its
 * {@code TaskContext.cpus()} ({@link SpindleTask}).
 *
 * <p>On the driver ({@link SpindleDriverPlugin}) each executor's report of what it configured is
 * logged. Keys under {@code spark.spindle.*}: {@link SpindleConfig}; guide:
 * {@code docs/guides/spark.md}.
 *
 * <p>Spark creates one instance per JVM; it holds no state of its own.
 */
public final class SpindlePlugin implements SparkPlugin {

    /** Creates the plugin; Spark calls this by reflection. */
    public SpindlePlugin() {
    }

    /** A new driver part, which logs what each executor reports. */
    @Override
    public DriverPlugin driverPlugin() {
        return new SpindleDriverPlugin();
    }

    /** A new executor part, which sizes and limits this JVM's pools when the executor starts. */
    @Override
    public ExecutorPlugin executorPlugin() {
        return new SpindleExecutorPlugin();
    }
}
