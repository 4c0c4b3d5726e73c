package dev.spindle.bench.measure;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Two core counts that differ when the JVM is told to see more cores than it has
 * ({@code -XX:ActiveProcessorCount=16}): {@link #visible()} is what the JVM reports and what naive
 * pools are sized by; {@link #real()} is the CPUs this process may run on, read from the
 * {@code Cpus_allowed_list} line of {@code /proc/self/status} (the affinity mask, which that flag
 * does not change). Spindle's scheduler in the benchmarks is sized by {@link #real()}.
 */
public final class Cores {

    private Cores() {
    }

    /** {@link Runtime#availableProcessors()}: what the JVM reports, honouring ActiveProcessorCount. */
    public static int visible() {
        return Runtime.getRuntime().availableProcessors();
    }

    /**
     * The cores this process really has. Without {@code -XX:ActiveProcessorCount} that is
     * {@link #visible()}, which also honours a container's CPU quota (an affinity mask does not:
     * under {@code docker --cpus=2} on an 8-CPU host the mask still lists 8). With the flag, it is
     * the number of CPUs in the affinity mask, or {@link #visible()} when that cannot be read (not
     * Linux). Never below 1.
     */
    public static int real() {
        boolean told = ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .anyMatch(argument -> argument.startsWith("-XX:ActiveProcessorCount="));
        if (!told) {
            return visible();
        }
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Cpus_allowed_list:")) {
                    return Math.max(1, countCpuList(line.substring(line.indexOf(':') + 1).trim()));
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or an unexpected format: fall through
        }
        return visible();
    }

    /** The number of CPUs in a list such as {@code 0-3,8,10-11}. */
    static int countCpuList(String list) {
        int count = 0;
        for (String part : List.of(list.split(","))) {
            String range = part.trim();
            if (range.isEmpty()) {
                continue;
            }
            int dash = range.indexOf('-');
            if (dash < 0) {
                Integer.parseInt(range);
                count++;
            } else {
                count += Integer.parseInt(range.substring(dash + 1)) - Integer.parseInt(range.substring(0, dash)) + 1;
            }
        }
        return count;
    }
}
