package dev.spindle.agent;

import dev.spindle.core.PoolLimits;
import dev.spindle.core.ThreadPools;
import java.util.Map;

/**
 * The thread knobs of libraries that start pools the agent cannot take over (constructed directly,
 * as ojAlgo's {@code DaemonPoolExecutor} is, or native), applied through
 * {@link ThreadPools#limits()} at the moment each library configures itself: the library then runs
 * single-threaded inside each task, and its parallelism comes from the program's own outer level
 * on Spindle. A library that is absent is never loaded; a knob that cannot be used is reported,
 * never fatal. The limits last for the life of the JVM (nothing restores them).
 *
 * <p>When: at the end of the static initializer of the library's configuration class
 * ({@link #AFTER_INIT}: ojAlgo, EJML, Parallel Colt, and bytedeco's OpenBLAS and MKL, whose native
 * library is loaded by then), or at its start for Smile ({@link #BEFORE_INIT}), which reads
 * {@code smile.threads} once, in that initializer. A value the user set for {@code smile.threads}
 * on the command line is kept.
 *
 * <p>The trade-off: a single large operation called outside any parallel outer level (one big
 * ojAlgo product on {@code main}) then runs on one thread. Such code belongs on
 * {@code scheduler-linalg}'s {@code Blas}, or runs with {@code libraries=off}.
 */
public final class LibraryLimits {

    /** Configuration class → library, limited once the class is initialized. */
    static final Map<String, String> AFTER_INIT = Map.of(
            "org.ojalgo.OjAlgoUtils", PoolLimits.OJALGO,
            // EJML's pool and thread count live in its superclass, pabeles' ConcurrencyOps (shared with
            // BoofCV and DDogleg); a call such as EjmlConcurrency.getMaxThreads() initializes only that.
            "pabeles.concurrency.ConcurrencyOps", PoolLimits.EJML,
            "edu.emory.mathcs.utils.ConcurrencyUtils", PoolLimits.PARALLEL_COLT,
            "org.bytedeco.openblas.global.openblas_nolapack", PoolLimits.OPENBLAS,
            "org.bytedeco.mkl.global.mkl_rt", PoolLimits.MKL);

    /** Configuration class → library, limited before the class's initializer reads its setting. */
    static final Map<String, String> BEFORE_INIT = Map.of(
            "smile.util.MulticoreExecutor", PoolLimits.SMILE);

    private LibraryLimits() {
    }

    /** Called at the end of the static initializer of a class named in {@link #AFTER_INIT}. */
    public static void initialized(Class<?> configuration) {
        limit(configuration, AFTER_INIT.get(configuration.getName()));
    }

    /** Called at the start of the static initializer of a class named in {@link #BEFORE_INIT}. */
    public static void initializing(Class<?> configuration) {
        String library = BEFORE_INIT.get(configuration.getName());
        if (PoolLimits.SMILE.equals(library) && System.getProperty("smile.threads") != null) {
            RedirectReport.seen(configuration.getName(), "the agent",
                    "smile.threads=" + System.getProperty("smile.threads") + " was set by the application: kept");
            return;
        }
        limit(configuration, library);
    }

    private static void limit(Class<?> configuration, String library) {
        AgentOptions options = Redirects.options();
        if (options == null || !options.libraries || library == null) {
            return;
        }
        try {
            PoolLimits.Builder limits = ThreadPools.limits();
            ClassLoader loader = configuration.getClassLoader();
            if (loader != null) {
                limits.classLoader(loader);
            }
            PoolLimits.Change change = only(limits, library).apply().change(library);
            if (change != null && change.applied()) {
                RedirectReport.count(change + ": the library runs single-threaded inside tasks");
            } else {
                RedirectReport.seen(configuration.getName(), "the agent",
                        change == null ? "no knob for " + library : change.toString());
            }
        } catch (RuntimeException | LinkageError failed) {
            RedirectReport.seen(configuration.getName(), "the agent", "could not limit " + library + ": " + failed);
        }
    }

    private static PoolLimits.Builder only(PoolLimits.Builder limits, String library) {
        switch (library) {
            case PoolLimits.OJALGO: return limits.ojAlgo(1);
            case PoolLimits.EJML: return limits.ejml(1);
            case PoolLimits.PARALLEL_COLT: return limits.parallelColt(1);
            case PoolLimits.OPENBLAS: return limits.openBlas(1);
            case PoolLimits.MKL: return limits.mkl(1);
            case PoolLimits.SMILE: return limits.smile(1);
            default: throw new IllegalArgumentException("library has no knob in the agent: " + library);
        }
    }
}
