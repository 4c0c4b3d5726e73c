/**
 * Not exported: the GEMM micro-kernels, apart from the driver that calls them (the driver depends
 * on this package, never the reverse).
 *
 * <ul>
 *   <li>{@link dev.spindle.linalg.internal.kernel.MicroKernel}: the contract, an {@code mr × nr}
 *       block of C from packed slivers of A and B, with its determinism guarantee;</li>
 *   <li>{@link dev.spindle.linalg.internal.kernel.PortableMicroKernel}: plain Java, 4 × 6 scalar
 *       accumulators;</li>
 *   <li>{@link dev.spindle.linalg.internal.kernel.VectorMicroKernel}: the Vector API kernel,
 *       compiled against {@code jdk.incubator.vector} and loaded, by name, only when that module
 *       is in the boot layer;</li>
 *   <li>{@link dev.spindle.linalg.internal.kernel.MicroKernels}: the choice between them, once per
 *       JVM, and the kernel each product gets;</li>
 *   <li>{@link dev.spindle.linalg.internal.kernel.VectorWarmUp}: the portable kernel stands in
 *       until C2 has compiled the Vector API kernel, which
 *       {@link dev.spindle.linalg.internal.kernel.ThreadAllocation} (the thread's allocation
 *       counter) tells, or until the switch budget runs out;
 *       {@link dev.spindle.linalg.internal.kernel.WarmUpOutcome} is how it ended, and
 *       {@link dev.spindle.linalg.internal.kernel.KernelSwitchEvent} records that in JFR;
 *       {@link dev.spindle.linalg.internal.kernel.OptimizingCompiler} tells a JVM without C2,
 *       where there is nothing to wait for.</li>
 * </ul>
 *
 * Design: {@code docs/design/gemm.md}, "Micro-kernels".
 */
package dev.spindle.linalg.internal.kernel;
