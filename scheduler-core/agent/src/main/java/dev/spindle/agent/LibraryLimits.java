package dev.spindle.agent;

import java.lang.reflect.Method;
import java.util.Map;

/**
 * The thread knobs of libraries that start pools the agent cannot take over (constructed directly,
 * as ojAlgo's {@code DaemonPoolExecutor} is), applied when the library's configuration class is
 * initialized: the library then runs single-threaded inside each task, and its parallelism comes
 * from the program's own outer level on Spindle. The knob is public API of the library, reached by
 * reflection (the agent depends on no library); a library that is absent is never loaded, and a
 * knob that fails is reported, never fatal.
 *
 * <p>The trade-off: a single large operation called outside any parallel outer level (one big
 * ojAlgo product on {@code main}) then runs on one thread. Such code belongs on
 * {@code scheduler-linalg}'s {@code Blas}, or runs with {@code libraries=off}.
 */
public final class LibraryLimits {

    /** Configuration class → the public static method that limits its threads to one. */
    static final Map<String, String> KNOBS = Map.of(
            "org.ojalgo.OjAlgoUtils", "limitThreadsTo");

    private LibraryLimits() {
    }

    /** Called once the class named in {@link #KNOBS} has been initialized. */
    public static void initialized(Class<?> configuration) {
        AgentOptions options = Redirects.options();
        String knob = KNOBS.get(configuration.getName());
        if (options == null || !options.libraries || knob == null) {
            return;
        }
        try {
            Method limit = configuration.getMethod(knob, int.class);
            limit.invoke(null, 1);
            RedirectReport.count(configuration.getName() + "." + knob + "(1): the library runs single-threaded"
                    + " inside tasks");
        } catch (ReflectiveOperationException | RuntimeException failed) {
            RedirectReport.seen(configuration.getName(), "the agent", "could not call " + knob + "(1): " + failed);
        }
    }
}
