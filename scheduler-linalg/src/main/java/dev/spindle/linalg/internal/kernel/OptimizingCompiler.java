package dev.spindle.linalg.internal.kernel;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.VMOption;
import java.lang.management.ManagementFactory;

/**
 * Whether this JVM runs C2, the compiler that turns the Vector API into vector instructions. C1 and
 * the interpreter run every vector as an object: the Vector API kernel there is many times slower
 * than the portable kernel and never gets faster, so {@code auto} does not wait for it
 * ({@link MicroKernels}).
 *
 * <p>Read from HotSpot's flags through the optional {@code jdk.management} module: {@code -Xint}
 * ({@code UseCompiler} off), {@code -XX:TieredStopAtLevel} below 4 with tiered compilation. Where
 * the flags cannot be read (another JVM, the module absent) C2 is taken to be there, the answer
 * that changes nothing. Any thread; the answer does not change while the JVM runs.
 */
final class OptimizingCompiler {

    private OptimizingCompiler() {
    }

    /** Why C2 does not run in this JVM, naming the flag; {@code null} when it runs (or cannot be told). */
    static String absentBecause() {
        try {
            HotSpotDiagnosticMXBean flags = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            if (flags == null) {
                return null;
            }
            if (!Boolean.parseBoolean(flags.getVMOption("UseCompiler").getValue())) {
                return "the JVM compiles nothing (-Xint or -XX:-UseCompiler)";
            }
            VMOption tiered = flags.getVMOption("TieredCompilation");
            int stopAt = Integer.parseInt(flags.getVMOption("TieredStopAtLevel").getValue());
            if (Boolean.parseBoolean(tiered.getValue()) && stopAt < 4) {
                return "C2 is off (-XX:TieredStopAtLevel=" + stopAt + ")";
            }
            return null;
        } catch (RuntimeException | LinkageError unknown) {
            return null;
        }
    }
}
