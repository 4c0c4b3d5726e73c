/**
 * BLAS-style kernels whose parallelism comes only from the Spindle scheduler, and an adapter that
 * runs ojAlgo single-threaded under Spindle's parallelism. Start at {@link dev.spindle.linalg.Blas}.
 *
 * <p>The Vector API is optional: {@code requires static}, so the module resolves without it, and
 * the GEMM micro-kernel that uses it is loaded only when the JVM was started with
 * {@code --add-modules jdk.incubator.vector}.
 *
 * <p>ojAlgo is optional too: only {@link dev.spindle.linalg.ojalgo} uses it, so {@code Blas} and the
 * rest of the module resolve and run without it. An application that uses the adapter depends on
 * ojAlgo itself (it calls ojAlgo), and so puts it on the path. Why this and not an artifact of its
 * own: {@code docs/design/packaging.md}.
 */
module dev.spindle.linalg {
    requires transitive dev.spindle.core;
    requires static jdk.incubator.vector;
    requires static jdk.management;     // HotSpotDiagnosticMXBean: does Math.fma use the FMA instruction? G1's region size?
    requires java.management;
    requires jdk.jfr;                   // KernelSwitchEvent: how the GEMM kernel's warm-up ended
    // Only the adapter (dev.spindle.linalg.ojalgo) uses ojAlgo: not needed at run time (static), and
    // read by whoever reads this module when it is there (transitive: the adapter takes its types).
    requires static transitive ojalgo;

    exports dev.spindle.linalg;
    exports dev.spindle.linalg.ojalgo;
}
