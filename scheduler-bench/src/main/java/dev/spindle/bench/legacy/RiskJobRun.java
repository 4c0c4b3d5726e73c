package dev.spindle.bench.legacy;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Locale;

/**
 * Runs {@link RiskJob} in this JVM and prints one line of measurements: the time of the measured
 * run (after {@code warmUps} unmeasured ones), the checksum, and the threads the run added at its
 * peak and started. Threads named {@code spindle-*} alive before the job (the agent starts
 * Spindle's workers before {@code main}) count as added, so both runs count every thread that is
 * not the JVM's own. Arguments: poolSize positions matrixOrder warmUps.
 */
public final class RiskJobRun {

    private RiskJobRun() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            throw new IllegalArgumentException("usage: RiskJobRun poolSize positions matrixOrder warmUps, got "
                    + args.length + " arguments");
        }
        RiskJob job = new RiskJob(Integer.parseInt(args[0]), Integer.parseInt(args[1]), Integer.parseInt(args[2]));
        int warmUps = Integer.parseInt(args[3]);
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long spindleAtStart = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("spindle-")).count();
        int jvmOwn = threads.getThreadCount() - (int) spindleAtStart;
        long startedBefore = threads.getTotalStartedThreadCount() - spindleAtStart;
        threads.resetPeakThreadCount();
        for (int i = 0; i < warmUps; i++) {
            job.run();
        }
        long t0 = System.nanoTime();
        long checksum = job.run();
        double millis = (System.nanoTime() - t0) * 1e-6;
        int peakAdded = threads.getPeakThreadCount() - jvmOwn;
        long started = threads.getTotalStartedThreadCount() - startedBefore;
        System.out.printf(Locale.ROOT, "result millis=%.1f checksum=%d peakAdded=%d started=%d%n", millis, checksum,
                peakAdded, started);
    }
}
