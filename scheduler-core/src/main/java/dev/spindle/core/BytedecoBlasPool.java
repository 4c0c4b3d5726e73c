package dev.spindle.core;

import java.util.List;
import java.util.Map;

/**
 * A native BLAS loaded through bytedeco's JavaCPP presets: OpenBLAS ({@code org.bytedeco.openblas},
 * which may also front MKL when started with {@code -Dorg.bytedeco.openblas.load=mkl_rt}) or MKL
 * ({@code org.bytedeco.mkl}). Their threads are native: the census shows them as
 * {@link PoolCensus.Kind#NATIVE} rows (named after the Java thread that loaded the library), and
 * this row only gives the library's thread setting.
 *
 * <p><b>Knob</b>, applied only once the native library is loaded (loading it starts its threads,
 * so when is the application's decision, as threadpoolctl does for Python):
 * <ul>
 *   <li>OpenBLAS: bytedeco's {@code blas_set_num_threads(n)} (which calls
 *       {@code openblas_set_num_threads}, or MKL's setter when MKL is behind it). Process-wide, any
 *       time, from the next call; threads OpenBLAS already started stay, idle. bytedeco cannot
 *       read OpenBLAS's own count: before the first {@code blas_set_num_threads}, the previous
 *       value is taken to be OpenBLAS's start-up default ({@code OPENBLAS_NUM_THREADS},
 *       {@code GOTO_NUM_THREADS}, {@code OMP_NUM_THREADS}, else the CPUs), which is what
 *       {@code close()} sets back.</li>
 *   <li>MKL: {@code mkl_rt.MKL_Set_Num_Threads(n)}; {@code close()} sets back what
 *       {@code MKL_Get_Max_Threads()} returned before. Not tested against the real library here
 *       (the MKL presets are not a dependency of any module).</li>
 * </ul>
 */
final class BytedecoBlasPool extends LibraryPool {

    private static final String LOADER = "org.bytedeco.javacpp.Loader";
    private static final String OPENBLAS_PRESETS = "org.bytedeco.openblas.presets.openblas_nolapack";
    private static final String MKL_GLOBAL = "org.bytedeco.mkl.global.mkl_rt";

    private final boolean mkl;

    BytedecoBlasPool(String name) {
        super(name);
        this.mkl = PoolLimits.MKL.equals(name);
    }

    private String knobClass() {
        return mkl ? MKL_GLOBAL : OPENBLAS_PRESETS;
    }

    private String setter() {
        return mkl ? "MKL_Set_Num_Threads" : "blas_set_num_threads";
    }

    @Override
    PoolLimits.Change limit(int threads, LibraryClasses classes) {
        return changeThrough(classes, knobClass(), setter(), knob -> {
            if (!loaded(classes)) {
                return PoolLimits.Change.skipped(name(), "the native library is not loaded yet; loading it starts its"
                        + " threads, so limit it after the application has loaded it");
            }
            int before = current(knob);
            if (before < 1) {
                before = startupDefault();
            }
            LibraryClasses.call(knob, setter(), new Class<?>[] {int.class}, threads);
            int after = current(knob);
            int previous = before;
            return PoolLimits.Change.applied(name(), before, after, setter() + "(" + threads + "); close() sets "
                    + previous + " back", () -> {
                        if (current(knob) == after) {
                            LibraryClasses.call(knob, setter(), new Class<?>[] {int.class}, previous);
                        }
                    });
        });
    }

    /** The library's thread setting as bytedeco reports it; below 1 when bytedeco does not know it. */
    private int current(Class<?> knob) throws ReflectiveOperationException {
        String getter = mkl ? "MKL_Get_Max_Threads" : "blas_get_num_threads";
        return (Integer) LibraryClasses.call(knob, getter, new Class<?>[0]);
    }

    /** OpenBLAS's own start-up default, computed the way OpenBLAS does. */
    private static int startupDefault() {
        for (String variable : List.of("OPENBLAS_NUM_THREADS", "GOTO_NUM_THREADS", "OMP_NUM_THREADS")) {
            String value = System.getenv(variable);
            try {
                if (value != null && Integer.parseInt(value.trim()) > 0) {
                    return Integer.parseInt(value.trim());
                }
            } catch (NumberFormatException ignored) {
                // OpenBLAS ignores a value that is not a number too
            }
        }
        return Runtime.getRuntime().availableProcessors();
    }

    /** Whether JavaCPP has loaded this library's JNI bridge (and so the library) in this JVM. */
    private boolean loaded(LibraryClasses classes) {
        if (!classes.inUse("org.bytedeco.javacpp")) {
            return false;
        }
        try {
            Class<?> loader = classes.find(LOADER);
            Object libraries = loader == null ? null : LibraryClasses.call(loader, "getLoadedLibraries", new Class<?>[0]);
            if (libraries instanceof Map) {
                String bridge = mkl ? "jnimkl_rt" : "jniopenblas";
                for (Object key : ((Map<?, ?>) libraries).keySet()) {
                    if (String.valueOf(key).startsWith(bridge)) {
                        return true;
                    }
                }
            }
            return false;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError unreadable) {
            return false;
        }
    }

    @Override
    PoolCensus.Pool viewRow(LibraryClasses classes) {
        if (!loaded(classes)) {
            return null;
        }
        int setting = -1;
        try {
            Class<?> knob = classes.find(knobClass());
            setting = knob == null ? -1 : current(knob);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError unreadable) {
            // the row still says that the library is loaded
        }
        return new PoolCensus.Pool(PoolCensus.Kind.LIBRARY, name() + " (bytedeco)", 0, 0, -1,
                setting < 1 ? -1 : setting, true, "loaded; its threads are native: see the native rows", List.of());
    }
}
