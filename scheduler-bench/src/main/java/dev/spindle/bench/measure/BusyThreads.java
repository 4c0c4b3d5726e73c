package dev.spindle.bench.measure;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Which threads did a piece of work, seen by the operating system rather than by the JVM, so native
 * threads count too (OpenBLAS's, which the JVM does not know): for each thread that shares the
 * calling thread's name, the share of the work's wall-clock time it spent on a CPU. Native threads
 * take the name of the thread that started them, so a library's threads started from the calling
 * thread show up under its name; the JVM's own threads (JIT, GC) have names of their own and are left
 * out.
 *
 * <p>Reads {@code /proc/self/task/<tid>/comm} and the on-CPU nanoseconds of
 * {@code /proc/self/task/<tid>/schedstat} before and after; where those cannot be read (not Linux)
 * the result is empty. Call from the thread that runs the work; not for a measured loop.
 */
public final class BusyThreads {

    private static final Path TASKS = Path.of("/proc/self/task");

    private BusyThreads() {
    }

    /**
     * Runs {@code work} on the calling thread, and returns, largest first, the share of its
     * wall-clock time that each thread named like the caller (the caller included) spent on a CPU,
     * for the threads that ran at all; empty where that cannot be read.
     */
    public static double[] during(Runnable work) {
        String name = ownName();
        Map<String, Long> before = name == null ? null : onCpuNanos(name);
        long start = System.nanoTime();
        work.run();
        long wall = Math.max(1, System.nanoTime() - start);
        Map<String, Long> after = before == null ? null : onCpuNanos(name);
        if (after == null) {
            return new double[0];
        }
        return after.entrySet().stream()
                .mapToLong(thread -> thread.getValue() - before.getOrDefault(thread.getKey(), 0L))
                .filter(ran -> ran > 0)
                .mapToDouble(ran -> (double) ran / wall)
                .map(share -> -share).sorted().map(share -> -share)
                .toArray();
    }

    /** How many of {@code shares} ({@link #during}) are at least one half: the threads that did the work. */
    public static int busy(double[] shares) {
        int busy = 0;
        for (double share : shares) {
            if (share >= 0.5) {
                busy++;
            }
        }
        return busy;
    }

    /** The calling thread's name as the OS knows it, or null where it cannot be read. */
    private static String ownName() {
        try {
            return Files.readString(Path.of("/proc/thread-self/comm")).trim();
        } catch (IOException | RuntimeException unreadable) {
            return null;
        }
    }

    /** On-CPU nanoseconds by thread id, for the threads named {@code name}; null where unreadable. */
    private static Map<String, Long> onCpuNanos(String name) {
        Map<String, Long> nanos = new HashMap<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(TASKS)) {
            for (Path task : tasks) {
                try {
                    if (!Files.readString(task.resolve("comm")).trim().equals(name)) {
                        continue;
                    }
                    String schedstat = Files.readString(task.resolve("schedstat")).trim();
                    nanos.put(task.getFileName().toString(), Long.parseLong(schedstat.split(" ")[0]));
                } catch (IOException exited) {
                    // the thread ended between the listing and the read: it did not run the work
                }
            }
        } catch (IOException | RuntimeException unreadable) {
            return null;
        }
        return nanos;
    }
}
