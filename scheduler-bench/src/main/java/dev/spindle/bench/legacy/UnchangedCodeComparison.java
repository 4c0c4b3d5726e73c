package dev.spindle.bench.legacy;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * "Your code, unchanged": {@link RiskJob} run in child JVMs, plain and under
 * {@code -javaagent:scheduler-agent.jar}, alternately, and printed side by side: median time of the
 * measured runs, threads added at the peak and threads started (the most seen in any run), and
 * whether the checksums agree. A child that runs past {@link #TIMEOUT_SECONDS} is killed and the
 * comparison fails.
 *
 * <p>The agent jar: {@code -Dspindle.agent.jar=PATH}, else
 * {@code scheduler-core/agent/target/scheduler-agent-<version>.jar} under the working directory
 * (the repository root, where the README's commands run).
 */
public final class UnchangedCodeComparison {

    static final long TIMEOUT_SECONDS = 300;
    private static final Pattern RESULT =
            Pattern.compile("result millis=(\\S+) checksum=(\\S+) peakAdded=(\\d+) started=(\\d+)");

    private final Path agentJar;
    private final List<String> jvmOptions;

    /**
     * @param agentJar the packaged agent
     * @param jvmOptions options for both children (e.g. {@code -XX:ActiveProcessorCount=8})
     */
    public UnchangedCodeComparison(Path agentJar, List<String> jvmOptions) {
        this.agentJar = agentJar;
        this.jvmOptions = List.copyOf(jvmOptions);
    }

    /** The agent jar as the class comment says, or null if it is not built. */
    public static Path findAgentJar() {
        String configured = System.getProperty("spindle.agent.jar");
        if (configured != null) {
            return Files.isRegularFile(Path.of(configured)) ? Path.of(configured) : null;
        }
        Path dir = Path.of("scheduler-core", "agent", "target");
        if (!Files.isDirectory(dir)) {
            return null;
        }
        File[] jars = dir.toFile().listFiles((d, name) -> name.startsWith("scheduler-agent-") && name.endsWith(".jar")
                && !name.contains("sources") && !name.contains("javadoc"));
        return jars == null || jars.length == 0 ? null : jars[0].toPath();
    }

    /** One side's figures. */
    public static final class Side {
        public final String name;
        public final double medianMillis;
        public final int peakAdded;
        public final long started;
        public final String checksum;

        Side(String name, double medianMillis, int peakAdded, long started, String checksum) {
            this.name = name;
            this.medianMillis = medianMillis;
            this.peakAdded = peakAdded;
            this.started = started;
            this.checksum = checksum;
        }
    }

    /**
     * Runs {@code rounds} rounds, each plain then agent, of the job with the given sizes; returns
     * {plain, agent}.
     *
     * @throws IllegalStateException if a child fails, hangs or the checksums differ
     */
    public Side[] compare(int poolSize, int positions, int matrixOrder, int warmUps, int rounds, PrintStream out)
            throws IOException, InterruptedException {
        double[][] millis = new double[2][rounds];
        int[] peak = new int[2];
        long[] started = new long[2];
        String[] checksum = new String[2];
        for (int round = 0; round < rounds; round++) {
            out.printf(Locale.ROOT, "  [unchanged] round %d of %d:", round + 1, rounds);
            for (int side = 0; side < 2; side++) {
                out.print(side == 0 ? " plain" : " agent");
                out.flush();
                Matcher m = runChild(side == 1, poolSize, positions, matrixOrder, warmUps);
                millis[side][round] = Double.parseDouble(m.group(1));
                if (checksum[side] != null && !checksum[side].equals(m.group(2))) {
                    throw new IllegalStateException("the job's checksum changed between runs: " + checksum[side]
                            + " then " + m.group(2));
                }
                checksum[side] = m.group(2);
                peak[side] = Math.max(peak[side], Integer.parseInt(m.group(3)));
                started[side] = Math.max(started[side], Long.parseLong(m.group(4)));
            }
            out.println();
        }
        if (!checksum[0].equals(checksum[1])) {
            throw new IllegalStateException("the agent changed the job's result: " + checksum[0] + " plain, "
                    + checksum[1] + " under the agent");
        }
        return new Side[] {
            new Side("plain", median(millis[0]), peak[0], started[0], checksum[0]),
            new Side("agent", median(millis[1]), peak[1], started[1], checksum[1])
        };
    }

    private Matcher runChild(boolean withAgent, int poolSize, int positions, int matrixOrder, int warmUps)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        if (withAgent) {
            command.add("-javaagent:" + agentJar);
        }
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(RiskJobRun.class.getName());
        command.addAll(Arrays.asList(Integer.toString(poolSize), Integer.toString(positions),
                Integer.toString(matrixOrder), Integer.toString(warmUps)));
        Path log = Files.createTempFile("spindle-unchanged", ".log");
        try {
            Process child = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!child.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                child.destroyForcibly();
                child.waitFor(30, TimeUnit.SECONDS);
                throw new IllegalStateException("the job did not finish in " + TIMEOUT_SECONDS + " s: "
                        + String.join(" ", command));
            }
            String output = Files.readString(log, StandardCharsets.UTF_8);
            Matcher m = RESULT.matcher(output);
            if (child.exitValue() != 0 || !m.find()) {
                throw new IllegalStateException("the job failed (exit " + child.exitValue() + "): "
                        + String.join(" ", command) + "\n" + output);
            }
            return m;
        } finally {
            Files.deleteIfExists(log);
        }
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    /** The table the demo and {@link #main} print. */
    public static String format(Side[] sides) {
        StringBuilder text = new StringBuilder();
        text.append(String.format(Locale.ROOT, "  %-8s %12s %16s %16s  %s%n", "run", "time (ms)",
                "threads at peak", "threads started", "checksum"));
        for (Side side : sides) {
            text.append(String.format(Locale.ROOT, "  %-8s %12.1f %16d %16d  %s%n", side.name, side.medianMillis,
                    side.peakAdded, side.started, side.checksum));
        }
        text.append(String.format(Locale.ROOT, "  agent/plain time: %.2f%n", sides[1].medianMillis / sides[0].medianMillis));
        return text.toString();
    }

    /**
     * Stand-alone: {@code java -cp benchmarks.jar dev.spindle.bench.legacy.UnchangedCodeComparison
     * poolSize positions matrixOrder warmUps rounds [jvm options...]}.
     */
    public static void main(String[] args) throws Exception {
        if (args.length < 5) {
            System.err.println("usage: UnchangedCodeComparison poolSize positions matrixOrder warmUps rounds"
                    + " [child JVM options...]");
            System.exit(2);
        }
        Path jar = findAgentJar();
        if (jar == null) {
            System.err.println("the agent jar is not built: mvn -q -pl scheduler-core/agent -am package -DskipTests"
                    + " (or give -Dspindle.agent.jar=PATH)");
            System.exit(2);
        }
        List<String> jvm = Arrays.asList(args).subList(5, args.length);
        UnchangedCodeComparison comparison = new UnchangedCodeComparison(jar, jvm);
        Side[] sides = comparison.compare(Integer.parseInt(args[0]), Integer.parseInt(args[1]),
                Integer.parseInt(args[2]), Integer.parseInt(args[3]), Integer.parseInt(args[4]), System.out);
        System.out.printf(Locale.ROOT, "Child JVMs: %s %s; agent %s%n", Runtime.version(), jvm, jar);
        System.out.print(format(sides));
    }
}
