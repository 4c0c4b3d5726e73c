package dev.spindle.spark;

import dev.spindle.core.Arena;
import dev.spindle.core.PoolLimits;
import dev.spindle.core.Scheduler;
import dev.spindle.core.ThreadPools;
import java.io.IOException;
import java.net.InetAddress;
import java.util.Map;
import java.util.StringJoiner;
import org.apache.spark.TaskContext;
import org.apache.spark.TaskFailedReason;
import org.apache.spark.api.plugin.ExecutorPlugin;
import org.apache.spark.api.plugin.PluginContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The executor part of {@link SpindlePlugin}. When the executor starts ({@link #init}) it
 *
 * <ol>
 *   <li>sizes {@link Scheduler#global()} to {@code spark.spindle.parallelism}, else to the
 *       executor's cores ({@link ExecutorCores}); if the global scheduler was already running with
 *       another count it stays so, and the plugin warns ({@link SchedulerSizing});</li>
 *   <li>limits every known library pool to {@code spark.spindle.libraryThreads} threads (default 1)
 *       through {@link ThreadPools#limit}, so that libraries add no threads of their own;</li>
 *   <li>registers the scheduler's statistics as gauges in the plugin's metric registry;</li>
 *   <li>sends an {@link ExecutorReport} to the driver.</li>
 * </ol>
 *
 * <p>With {@code spark.spindle.taskCaps=true} each task gets an arena capped at its
 * {@code TaskContext.cpus()} for as long as it runs ({@link SpindleTask}).
 *
 * <p>At executor shutdown ({@link #shutdown}) the library limits are put back and per-task caps
 * stop; the global scheduler keeps running (it is the JVM's, never shut down), so code that runs
 * after the executor stops, or a second Spark context in the same JVM, still has it.
 *
 * <p>Spark calls {@link #init} and {@link #shutdown} once each, and the task callbacks on each
 * task's own thread; a callback that throws is logged by Spark and does not fail the task.
 */
public final class SpindleExecutorPlugin implements ExecutorPlugin {

    private static final Logger LOG = LoggerFactory.getLogger(SpindleExecutorPlugin.class);

    /** Set by init, read by task threads: Spark starts tasks only after init returns. */
    private volatile TaskArenas taskArenas;
    private volatile PoolLimits limits;
    private volatile ExecutorReport report;

    /** Creates the plugin; {@link SpindlePlugin#executorPlugin()} calls this. */
    public SpindleExecutorPlugin() {
    }

    /**
     * Sizes, limits, registers metrics and reports, as the class comment says.
     *
     * @throws IllegalArgumentException if a {@code spark.spindle.*} key or the executor's core
     *     setting is invalid (the message names it); the executor then fails to start
     */
    @Override
    public void init(PluginContext ctx, Map<String, String> extraConf) {
        SpindleConfig config = SpindleConfig.from(key -> ctx.conf().get(key, null));
        String host = hostName(ctx);
        int requested;
        String source;
        if (config.parallelism() > 0) {
            requested = config.parallelism();
            source = SpindleConfig.PARALLELISM;
        } else {
            ExecutorCores cores = ExecutorCores.resolve(key -> ctx.conf().get(key, null),
                    Runtime.getRuntime().availableProcessors());
            requested = cores.cores();
            source = cores.cores() + " cores (" + cores.source() + ")";
        }
        SchedulerSizing sizing = SchedulerSizing.global(requested);
        Scheduler scheduler = Scheduler.global();
        PoolLimits applied = null;
        if (config.libraryThreads() > 0) {
            try {
                applied = ThreadPools.limit(config.libraryThreads());
            } catch (RuntimeException knobFailed) {
                // A library's knob threw (ThreadPools rolled the others back): the executor still
                // runs, with the libraries as they were, and says so.
                LOG.warn("Spindle could not limit the library pools: {}", knobFailed.toString());
            }
        }
        try {
            SchedulerGauges.register(ctx.metricRegistry(), scheduler);
        } catch (RuntimeException | Error registryFailed) {
            if (applied != null) {
                applied.close();                         // the executor will not start: leave nothing changed
            }
            throw registryFailed;
        }
        limits = applied;
        taskArenas = config.taskCaps() ? TaskArenas.on(scheduler) : null;

        ExecutorReport made = new ExecutorReport(ctx.executorID(), host, source, requested,
                sizing.parallelism(), describe(applied), config.taskCaps());
        report = made;
        if (made.sizedAsRequested()) {
            LOG.info("{}", made);
        } else {
            LOG.warn("{}", made);
        }
        try {
            ctx.send(made);
        } catch (IOException | RuntimeException unsent) {
            LOG.warn("Spindle could not send its report to the driver: {}", unsent.toString());
        }
    }

    /**
     * The executor's host, for the report. {@code PluginContext.hostname()} is the host of the
     * executor's RPC address, which an executor in a JVM of its own does not have (its RPC
     * environment is a client's): there Spark 4.2 throws a {@code NullPointerException}, which
     * failed every executor of a {@code local-cluster} master and would fail those of any real
     * cluster. Then the local host's name, or {@code "unknown host"}.
     */
    static String hostName(PluginContext ctx) {
        try {
            String host = ctx.hostname();
            if (host != null) {
                return host;
            }
        } catch (RuntimeException noRpcAddress) {
            // fall through: an executor outside the driver's JVM
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException | RuntimeException unresolved) {
            return "unknown host";
        }
    }

    /**
     * With per-task caps on, binds an arena capped at the task's {@code cpus} to this thread. An
     * arena still bound from a task that ended without a callback (Spark skips them when the
     * executor is stopping) is given back first.
     */
    @Override
    public void onTaskStart() {
        TaskArenas arenas = taskArenas;
        if (arenas == null) {
            return;
        }
        TaskContext context = TaskContext.get();
        if (context == null) {
            return;
        }
        Arena stale = SpindleTask.bind(arenas.acquire(context.cpus()));
        if (stale != null) {
            arenas.release(stale);
        }
    }

    /** Gives back this task's arena, if it has one. */
    @Override
    public void onTaskSucceeded() {
        releaseTaskArena();
    }

    /** Gives back this task's arena, if it has one (failed and killed tasks alike). */
    @Override
    public void onTaskFailed(TaskFailedReason failureReason) {
        releaseTaskArena();
    }

    /**
     * Puts the library limits back (where nobody changed them since) and stops binding arenas to
     * tasks. The global scheduler keeps running. Idempotent.
     */
    @Override
    public void shutdown() {
        taskArenas = null;
        PoolLimits applied = limits;
        limits = null;
        if (applied != null) {
            try {
                applied.close();
            } catch (IllegalStateException notRestored) {
                LOG.warn("Spindle could not restore every library's thread setting: {}", notRestored.toString());
            }
        }
    }

    /** What this plugin configured, or null before {@link #init}. */
    public ExecutorReport report() {
        return report;
    }

    private void releaseTaskArena() {
        Arena bound = SpindleTask.unbind();
        if (bound != null) {
            // Released to the pool the arena came from, even after shutdown() cleared the field.
            TaskArenas.on(bound.scheduler()).release(bound);
        }
    }

    private static String describe(PoolLimits applied) {
        if (applied == null) {
            return "none";
        }
        StringJoiner out = new StringJoiner(", ");
        for (PoolLimits.Change change : applied.changes()) {
            if (change.applied()) {
                out.add(change.library() + " " + (change.before() < 0 ? "default" : change.before())
                        + " -> " + change.after());
            }
        }
        return out.length() == 0 ? "no known library present" : out.toString();
    }
}
