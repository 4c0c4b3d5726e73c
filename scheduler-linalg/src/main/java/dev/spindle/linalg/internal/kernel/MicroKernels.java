package dev.spindle.linalg.internal.kernel;

import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Which micro-kernel GEMM uses, decided once per JVM (see {@code docs/design/gemm.md}).
 *
 * <p>The Vector API kernel is selected when the {@code jdk.incubator.vector} module is in the boot
 * layer (the JVM was started with {@code --add-modules jdk.incubator.vector}) and its class loads;
 * otherwise the portable kernel. The system property {@code spindle.linalg.kernel} may force
 * {@code portable}, or ask for {@code vector} (which falls back, with the reason in
 * {@link #selectionReason()}, when the module is absent). The Vector API class is only ever named
 * reflectively, so without the module it is never loaded.
 *
 * <p>Each product asks {@link #forProduct()} once and uses that kernel throughout. With the
 * default setting ({@code auto}) that is the portable kernel until C2 has compiled the Vector API
 * kernel ({@link VectorWarmUp}, started by the second product, about a second), and the
 * selected kernel after that: a cold Vector API kernel is three to five times slower than the cold
 * portable one. The wait is bounded: after {@link VectorWarmUp#SWITCH_AFTER_NANOS} of warm-up the
 * products switch to the Vector API kernel even if its compiled code was not seen, and
 * {@link #selectionReason()} says so. Only a Vector API kernel that throws keeps the portable one;
 * and in a JVM without C2 ({@link OptimizingCompiler}: {@code -Xint}, {@code -XX:TieredStopAtLevel}
 * below 4), where the Vector API kernel would never be compiled, {@code auto} selects the portable
 * kernel from the start.
 * So in {@code auto} the first products of a JVM may round differently from the later ones; with
 * {@code vector} or {@code portable} every product uses that kernel, cold or not.
 *
 * <p>Any other value of the property is a configuration error, reported as an
 * {@link IllegalArgumentException} naming the property and its value by {@link #selected()} and
 * {@link #selectionReason()}, on every call. The class itself always initialises: a class
 * initialiser that threw would report the error once, as an {@code ExceptionInInitializerError},
 * and then only as a {@code NoClassDefFoundError} without the message, and would take down code
 * that never needs the GEMM kernel (level-1 and level-2 BLAS, the portable kernel).
 *
 * <p>Any thread; the choice is made in the class initialiser and never changes, and
 * {@link #forProduct()} changes once at most, from the portable to the selected kernel.
 */
public final class MicroKernels {

    /** System property: {@code auto} (default), {@code portable} or {@code vector}. */
    public static final String KERNEL_PROPERTY = "spindle.linalg.kernel";

    private static final String VECTOR_MODULE = "jdk.incubator.vector";
    private static final String VECTOR_KERNEL_CLASS = "dev.spindle.linalg.internal.kernel.VectorMicroKernel";

    private static final boolean CPU_HAS_FMA = cpuHasFma();
    private static final MicroKernel PORTABLE = new PortableMicroKernel(CPU_HAS_FMA);
    private static final MicroKernel PORTABLE_OTHER = new PortableMicroKernel(!CPU_HAS_FMA);
    private static final MicroKernel VECTOR;
    private static final String VECTOR_UNAVAILABLE_BECAUSE;
    /** Why C2 does not run, or {@code null}: read before {@link #SELECTION}, which depends on it. */
    private static final String NO_C2_BECAUSE = OptimizingCompiler.absentBecause();
    private static final Selection SELECTION;

    static {
        MicroKernel vector = null;
        String why = null;
        if (ModuleLayer.boot().findModule(VECTOR_MODULE).isEmpty()) {
            why = "module " + VECTOR_MODULE + " is not in the boot layer (start the JVM with --add-modules "
                    + VECTOR_MODULE + ")";
        } else {
            try {
                vector = (MicroKernel) Class.forName(VECTOR_KERNEL_CLASS).getDeclaredConstructor().newInstance();
            } catch (ReflectiveOperationException | LinkageError | ClassCastException failure) {
                why = "the Vector API kernel did not load: " + failure;
            }
        }
        VECTOR = vector;
        VECTOR_UNAVAILABLE_BECAUSE = why;
        SELECTION = resolve(System.getProperty(KERNEL_PROPERTY));
    }

    private MicroKernels() {
    }

    /**
     * The kernel GEMM uses once it is warm (see {@link #forProduct()}).
     *
     * @throws IllegalArgumentException on every call if {@code spindle.linalg.kernel} is set to
     *     something other than {@code auto}, {@code portable} or {@code vector}; the message names
     *     the property and its value
     */
    public static MicroKernel selected() {
        return SELECTION.kernel();
    }

    /**
     * The kernel for a product that starts now: {@link #selected()}, except that with the default
     * setting the portable kernel stands in until the Vector API kernel's warm-up has answered (it
     * is compiled, or the switch budget ran out). The second call starts that warm-up; no call
     * blocks. A product asks once and keeps the answer.
     *
     * @throws IllegalArgumentException as {@link #selected()} does
     */
    public static MicroKernel forProduct() {
        return SELECTION.kernelForProduct();
    }

    /**
     * The kernel a product starting now would get, without counting as one (so it starts no
     * warm-up): for reports and benchmarks.
     *
     * @throws IllegalArgumentException as {@link #selected()} does
     */
    public static MicroKernel currentProductKernel() {
        return SELECTION.currentProductKernel();
    }

    /**
     * Waits, at most {@code timeoutNanos}, until the kernel that products get is settled: with the
     * default setting, starts the Vector API kernel's warm-up if it has not started and waits for
     * its answer; otherwise returns at once. Polls the warm-up's outcome every millisecond (the
     * warm-up publishes it with one volatile write); takes no lock.
     *
     * @return the kernel a product starting now gets (the portable one if the wait timed out)
     * @throws InterruptedException if the calling thread is interrupted while it waits
     * @throws IllegalArgumentException as {@link #selected()} does
     */
    public static MicroKernel awaitProductKernel(long timeoutNanos) throws InterruptedException {
        SELECTION.kernel();
        VectorWarmUp warmUp = SELECTION.warmUp();
        if (warmUp != null) {
            warmUp.startIfCold();
            long deadline = System.nanoTime() + timeoutNanos;
            while (warmUp.outcome() == null && deadline - System.nanoTime() > 0) {
                if (Thread.interrupted()) {
                    throw new InterruptedException("interrupted while waiting for the GEMM kernel's warm-up");
                }
                LockSupport.parkNanos(1_000_000L);
            }
        }
        return SELECTION.currentProductKernel();
    }

    /**
     * Why {@link #selected()} is what it is, in one sentence; with the default setting, also where
     * the warm-up stands (running, or how and after how long it ended, and so which kernel products
     * get).
     *
     * @throws IllegalArgumentException as {@link #selected()} does
     */
    public static String selectionReason() {
        return SELECTION.reason();
    }

    /**
     * What a value of {@code spindle.linalg.kernel} selects ({@code null} when the property is
     * not set). Never throws: a bad value gives a selection whose every use throws. Package-private
     * so that tests can try values without starting a JVM.
     */
    static Selection resolve(String propertyValue) {
        String wanted = propertyValue == null ? "auto" : propertyValue.trim().toLowerCase(Locale.ROOT);
        switch (wanted) {
            case "portable":
                return new Selection(PORTABLE, KERNEL_PROPERTY + "=portable", null);
            case "vector":
                return VECTOR != null
                        ? new Selection(VECTOR, KERNEL_PROPERTY + "=vector and " + VECTOR_MODULE
                                + " is present (every product uses it, compiled or not)", null)
                        : new Selection(PORTABLE, VECTOR_UNAVAILABLE_BECAUSE, null);
            case "auto":
            case "":
                if (VECTOR != null && NO_C2_BECAUSE != null) {
                    return new Selection(PORTABLE, VECTOR_MODULE + " is present, but " + NO_C2_BECAUSE
                            + ", and without C2 the Vector API kernel stays slower than " + PORTABLE.name()
                            + " (" + KERNEL_PROPERTY + "=vector uses it anyway)", null);
                }
                return VECTOR != null
                        ? new Selection(VECTOR, VECTOR_MODULE + " is present (products use " + PORTABLE.name()
                                + " until the Vector API kernel is compiled, at most "
                                + TimeUnit.NANOSECONDS.toSeconds(VectorWarmUp.SWITCH_AFTER_NANOS)
                                + " s into its warm-up)", VectorWarmUpHolder.WARM_UP)
                        : new Selection(PORTABLE, VECTOR_UNAVAILABLE_BECAUSE, null);
            default:
                return new Selection(null, "system property " + KERNEL_PROPERTY
                        + " must be auto, portable or vector, was '" + propertyValue + "'", null);
        }
    }

    /**
     * A resolved setting: a kernel and why it was chosen, or, without a kernel, what is wrong; and
     * the warm-up the kernel waits for before products use it, if any.
     */
    static final class Selection {
        private final MicroKernel kernel;
        private final String reasonOrError;
        private final VectorWarmUp warmUp;

        private Selection(MicroKernel kernel, String reasonOrError, VectorWarmUp warmUp) {
            this.kernel = kernel;
            this.reasonOrError = reasonOrError;
            this.warmUp = warmUp;
        }

        /** The kernel; a fresh exception per call for a bad setting, so it shows the caller. */
        MicroKernel kernel() {
            if (kernel == null) {
                throw new IllegalArgumentException(reasonOrError);
            }
            return kernel;
        }

        /** The kernel, or the portable one while the kernel's warm-up has not answered. */
        MicroKernel kernelForProduct() {
            MicroKernel chosen = kernel();
            return warmUp == null || warmUp.isReady() ? chosen : PORTABLE;
        }

        /** As {@link #kernelForProduct()}, but starts nothing. */
        MicroKernel currentProductKernel() {
            MicroKernel chosen = kernel();
            return warmUp == null || warmUp.isReadyWithoutAsking() ? chosen : PORTABLE;
        }

        String reason() {
            MicroKernel chosen = kernel();
            if (warmUp == null) {
                return reasonOrError;
            }
            WarmUpOutcome outcome = warmUp.outcome();
            if (outcome == null) {
                return reasonOrError + "; warm-up running, products use " + PORTABLE.name();
            }
            return reasonOrError + "; warm-up " + outcome + " after " + warmUp.elapsedMillis() + " ms and "
                    + warmUp.calls() + " calls (" + warmUp.detail() + "), products use "
                    + (outcome.usesKernel() ? chosen : PORTABLE).name();
        }

        /** The warm-up the kernel waits for, or {@code null} when products get the kernel at once. */
        VectorWarmUp warmUp() {
            return warmUp;
        }
    }

    /** The one warm-up of the Vector API kernel, created only when a selection needs it. */
    private static final class VectorWarmUpHolder {
        static final VectorWarmUp WARM_UP = VectorWarmUp.of(VECTOR);
    }

    /** The portable kernel, always available. */
    public static MicroKernel portable() {
        return PORTABLE;
    }

    /**
     * The portable kernel this JVM does not use: without FMA when the CPU has it, with FMA when it
     * has not (slow, but correct). For tests.
     */
    public static MicroKernel portableOtherVariant() {
        return PORTABLE_OTHER;
    }

    /**
     * Whether HotSpot uses the FMA instruction for {@link Math#fma} ({@code UseFMA}). Asked through
     * the {@code jdk.management} module; if that is absent or the JVM is not HotSpot, {@code false},
     * the safe answer (a multiply and an add are never slow).
     */
    private static boolean cpuHasFma() {
        try {
            return Boolean.parseBoolean(java.lang.management.ManagementFactory
                    .getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class)
                    .getVMOption("UseFMA").getValue());
        } catch (RuntimeException | LinkageError unknown) {
            return false;
        }
    }

    /** The Vector API kernel, or {@code null} when the module is absent. */
    public static MicroKernel vectorOrNull() {
        return VECTOR;
    }

    /** Why the Vector API kernel is unavailable, or {@code null} when it is available. */
    public static String vectorUnavailableReason() {
        return VECTOR_UNAVAILABLE_BECAUSE;
    }
}
