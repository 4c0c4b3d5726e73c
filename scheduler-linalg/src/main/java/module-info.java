/**
 * BLAS-style kernels whose parallelism comes only from the Spindle scheduler, and an adapter that
 * runs ojAlgo single-threaded under Spindle's parallelism. Start at {@link dev.spindle.linalg.Blas}.
 *
 * <p>The Vector API is optional: {@code requires static}, so the module resolves without it, and
 * the GEMM micro-kernel that uses it is loaded only when the JVM was started with
 * {@code --add-modules jdk.incubator.vector}.
 */
module dev.spindle.linalg {
    requires transitive dev.spindle.core;
    requires static jdk.incubator.vector;
    requires static jdk.management;     // HotSpotDiagnosticMXBean: does Math.fma use the FMA instruction? G1's region size?
    requires java.management;
    requires transitive ojalgo;

    exports dev.spindle.linalg;
    exports dev.spindle.linalg.ojalgo;
}
