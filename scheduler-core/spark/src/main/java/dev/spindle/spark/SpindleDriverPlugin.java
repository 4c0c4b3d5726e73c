package dev.spindle.spark;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.apache.spark.SparkContext;
import org.apache.spark.api.plugin.DriverPlugin;
import org.apache.spark.api.plugin.PluginContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The driver part of {@link SpindlePlugin}: logs the {@link ExecutorReport} each executor sends when
 * it starts, at WARN when an executor's scheduler did not get the worker count asked for (it was
 * already running), so a misconfigured cluster shows in one place. It changes nothing on the driver:
 * the driver's own Spindle, if it uses one, is sized as any JVM's.
 *
 * <p>Spark calls {@link #receive} from its RPC threads; the list of reports is thread-safe.
 */
public final class SpindleDriverPlugin implements DriverPlugin {

    private static final Logger LOG = LoggerFactory.getLogger(SpindleDriverPlugin.class);

    private final List<ExecutorReport> reports = Collections.synchronizedList(new ArrayList<>());

    /** Creates the plugin; {@link SpindlePlugin#driverPlugin()} calls this. */
    public SpindleDriverPlugin() {
    }

    /** Sends no extra configuration to the executors: each one reads {@code spark.spindle.*} itself. */
    @Override
    public Map<String, String> init(SparkContext sc, PluginContext pluginContext) {
        return Collections.emptyMap();
    }

    /**
     * Logs an {@link ExecutorReport} and keeps it; ignores any other message.
     *
     * @return null: executors send, they never ask
     */
    @Override
    public Object receive(Object message) {
        if (message instanceof ExecutorReport) {
            ExecutorReport report = (ExecutorReport) message;
            reports.add(report);
            if (report.sizedAsRequested()) {
                LOG.info("{}", report);
            } else {
                LOG.warn("{}", report);
            }
        }
        return null;
    }

    /** The reports received so far, oldest first (a copy). */
    public List<ExecutorReport> reports() {
        synchronized (reports) {
            return new ArrayList<>(reports);
        }
    }
}
