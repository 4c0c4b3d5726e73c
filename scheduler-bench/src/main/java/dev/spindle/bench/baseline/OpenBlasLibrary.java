package dev.spindle.bench.baseline;

import org.bytedeco.javacpp.Loader;
import org.bytedeco.openblas.global.openblas_full;

/**
 * OpenBLAS as a Java user gets it from bytedeco ({@code org.bytedeco:openblas}): loaded once per
 * JVM, with the core it chose and its thread count.
 *
 * <p>bytedeco ships OpenBLAS built with {@code DYNAMIC_ARCH}: every x86-64 kernel is in the library
 * and one is picked when it loads, from the CPU's identity or, if set, from the environment variable
 * {@code OPENBLAS_CORETYPE} (read by OpenBLAS itself, so only the environment the JVM was started
 * with counts; Java cannot change its own). {@link #coreName()} says which one it took.
 *
 * <p>The thread count is process-wide: {@link #useThreads(int)} sets it for every later call, from
 * any thread. Callers in one JVM that want different counts must not overlap.
 */
public final class OpenBlasLibrary {

    /** The environment variable OpenBLAS reads at load to force a core (e.g. {@code SkylakeX}). */
    public static final String CORE_TYPE_VARIABLE = "OPENBLAS_CORETYPE";

    private static OpenBlasLibrary loaded;

    private final String coreName;
    private final String config;

    private OpenBlasLibrary(String coreName, String config) {
        this.coreName = coreName;
        this.config = config;
    }

    /**
     * Loads OpenBLAS's native library (once per JVM) and returns its handle.
     *
     * @throws IllegalStateException naming the platform and the cause if the classes or the native
     *     library for this platform cannot be loaded: a benchmark that cannot reach OpenBLAS fails
     *     rather than measuring nothing
     */
    public static synchronized OpenBlasLibrary load() {
        if (loaded == null) {
            String platform = System.getProperty("os.name") + "/" + System.getProperty("os.arch");
            try {
                Loader.load(openblas_full.class);
                loaded = new OpenBlasLibrary(openblas_full.openblas_get_corename().getString().trim(),
                        openblas_full.openblas_get_config().getString().trim());
            } catch (LinkageError | RuntimeException e) {
                throw new IllegalStateException("OpenBLAS (org.bytedeco:openblas) cannot be loaded on " + platform
                        + ": " + e + ". The native jar for this platform (classifier "
                        + "linux-x86_64 etc.) must be on the class path.", e);
            }
        }
        return loaded;
    }

    /** The kernel family OpenBLAS picked at load ({@code openblas_get_corename}), e.g. {@code Cooperlake}. */
    public String coreName() {
        return coreName;
    }

    /** OpenBLAS's build description ({@code openblas_get_config}): version, build options, core. */
    public String config() {
        return config;
    }

    /** {@code OPENBLAS_CORETYPE} as this JVM was started with it, or {@code "unset"}. */
    public static String coreTypeRequested() {
        String value = System.getenv(CORE_TYPE_VARIABLE);
        return value == null ? "unset" : value;
    }

    /**
     * Sets OpenBLAS's thread count for every later call ({@code openblas_set_num_threads}) and
     * checks that OpenBLAS reports it back.
     *
     * @throws IllegalArgumentException if {@code threads} is below 1
     * @throws IllegalStateException if OpenBLAS reports another count afterwards (it caps the count
     *     at the number it was built for)
     */
    public void useThreads(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, was " + threads);
        }
        openblas_full.openblas_set_num_threads(threads);
        int now = threads();
        if (now != threads) {
            throw new IllegalStateException("openblas_set_num_threads(" + threads + ") left OpenBLAS at " + now
                    + " threads");
        }
    }

    /** The thread count OpenBLAS will use for the next call ({@code openblas_get_num_threads}). */
    public int threads() {
        return openblas_full.openblas_get_num_threads();
    }
}
