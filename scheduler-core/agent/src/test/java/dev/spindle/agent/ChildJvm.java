package dev.spindle.agent;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a scenario's {@code main} in a child JVM, with or without the packaged agent, and returns
 * what it printed. A child that runs past its timeout has its threads dumped ({@code jcmd
 * Thread.print}) into the result and is killed: a hang fails the test with the stacks, never
 * stalls the build.
 */
final class ChildJvm {

    static final long TIMEOUT_SECONDS = 90;

    /** The JDKs to test on: this one, and Temurin 25 where it is installed. */
    static List<String> javaHomes() {
        List<String> homes = new ArrayList<>();
        homes.add(System.getProperty("java.home"));
        String jdk25 = "/usr/lib/jvm/temurin-25-jdk-amd64";
        if (new File(jdk25, "bin/java").canExecute() && !new File(jdk25).equals(new File(homes.get(0)))) {
            homes.add(jdk25);
        }
        return homes;
    }

    static String agentJar() {
        String jar = System.getProperty("spindle.agent.jar");
        if (jar == null || !new File(jar).isFile()) {
            throw new IllegalStateException("spindle.agent.jar must name the packaged agent jar (run through"
                    + " mvn verify), was " + jar);
        }
        return jar;
    }

    /** The outcome of one child run. */
    static final class Result {
        final int exitCode;
        final String output;
        final boolean timedOut;

        Result(int exitCode, String output, boolean timedOut) {
            this.exitCode = exitCode;
            this.output = output;
            this.timedOut = timedOut;
        }

        @Override
        public String toString() {
            return (timedOut ? "TIMED OUT, " : "") + "exit " + exitCode + ", output:\n" + output;
        }
    }

    /**
     * Runs {@code mainClass} from the test classes on {@code javaHome}.
     *
     * @param agentOptions null for no agent, "" for the agent with its defaults
     */
    static Result run(String javaHome, String agentOptions, List<String> jvmOptions, Class<?> mainClass,
            String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(javaHome, "bin", "java").toString());
        command.addAll(jvmOptions);
        if (agentOptions != null) {
            command.add("-javaagent:" + agentJar() + (agentOptions.isEmpty() ? "" : "=" + agentOptions));
        }
        command.add("-cp");
        command.add(childClassPath());
        command.add(mainClass.getName());
        command.addAll(List.of(args));
        Path log = Files.createTempFile("spindle-agent-child", ".log");
        try {
            Process child = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            boolean finished = child.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            String dump = "";
            if (!finished) {
                dump = "\n---- thread dump of the hung child (jcmd " + child.pid() + " Thread.print) ----\n"
                        + threadDump(javaHome, child.pid());
                child.destroyForcibly();
                child.waitFor(30, TimeUnit.SECONDS);
            }
            String output = Files.readString(log, StandardCharsets.UTF_8) + dump;
            return new Result(finished ? child.exitValue() : -1, "$ " + String.join(" ", command) + "\n" + output,
                    !finished);
        } finally {
            Files.deleteIfExists(log);
        }
    }

    /** The test classes, and ojAlgo (a library a scenario uses), nothing of Spindle: the agent brings it. */
    /**
     * The test classes and the test class path's library jars (ojAlgo, EJML, OpenBLAS, …), without
     * Spindle's own jars and what the agent jar shades: under the agent those come from the agent
     * jar on the boot class path only.
     */
    private static String childClassPath() {
        String testClasses = System.getProperty("spindle.test.classes");
        if (testClasses == null) {
            throw new IllegalStateException("spindle.test.classes must name the test classes (run through mvn verify)");
        }
        List<String> entries = new ArrayList<>();
        entries.add(testClasses);
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path path = Path.of(entry);
            String name = path.getFileName() == null ? "" : path.getFileName().toString();
            boolean core = name.startsWith("scheduler-") || name.startsWith("jctools-")
                    || name.startsWith("byte-buddy-");
            if (!core && !entry.equals(testClasses) && entry.endsWith(".jar")) {
                entries.add(entry);
            }
        }
        return String.join(File.pathSeparator, entries);
    }

    private static String threadDump(String javaHome, long pid) {
        try {
            Process jcmd = new ProcessBuilder(Path.of(javaHome, "bin", "jcmd").toString(), Long.toString(pid),
                    "Thread.print").redirectErrorStream(true).start();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (InputStream in = jcmd.getInputStream()) {
                in.transferTo(out);
            }
            if (!jcmd.waitFor(30, TimeUnit.SECONDS)) {
                jcmd.destroyForcibly();
            }
            return out.toString(StandardCharsets.UTF_8);
        } catch (IOException | InterruptedException e) {
            return "(no thread dump: " + e + ")";
        }
    }

    private ChildJvm() {
    }
}
