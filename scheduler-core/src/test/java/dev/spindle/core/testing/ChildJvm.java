package dev.spindle.core.testing;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a child JVM for a test and returns what it printed (standard output and error together). A
 * child still running at its timeout has its threads dumped ({@code jcmd Thread.print}) into the
 * result and is killed: a hang fails the test with the stacks, never stalls the build.
 */
public final class ChildJvm {

    private ChildJvm() {
    }

    /** The outcome of one child run. */
    public record Result(int exitCode, String output, boolean timedOut) {
        @Override
        public String toString() {
            return (timedOut ? "TIMED OUT, " : "") + "exit " + exitCode + ", output:\n" + output;
        }
    }

    /** The JDKs to test on: this one, and Temurin 25 where it is installed. */
    public static List<String> javaHomes() {
        List<String> homes = new ArrayList<>();
        homes.add(System.getProperty("java.home"));
        String jdk25 = "/usr/lib/jvm/temurin-25-jdk-amd64";
        if (new File(jdk25, "bin/java").canExecute() && !new File(jdk25).equals(new File(homes.get(0)))) {
            homes.add(jdk25);
        }
        return homes;
    }

    /** The {@code java} launcher of {@code javaHome}. */
    public static String java(String javaHome) {
        return Path.of(javaHome, "bin", "java").toString();
    }

    /** {@code main} run on this JVM's class path by the {@code java} of {@code javaHome}, with {@code args}. */
    public static List<String> mainOnThisClassPath(String javaHome, Class<?> main, String... args) {
        List<String> command = new ArrayList<>(List.of(java(javaHome), "-cp", System.getProperty("java.class.path"),
                main.getName()));
        command.addAll(List.of(args));
        return command;
    }

    /**
     * Runs {@code command} (its first element a {@code java} launcher) and waits at most
     * {@code timeoutSeconds}; {@code environment} sets variables, a null value removes one.
     */
    public static Result run(List<String> command, Map<String, String> environment, long timeoutSeconds)
            throws IOException, InterruptedException {
        Path log = Files.createTempFile("spindle-child-jvm", ".log");
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
            environment.forEach((name, value) -> {
                if (value == null) {
                    builder.environment().remove(name);
                } else {
                    builder.environment().put(name, value);
                }
            });
            Process child = builder.start();
            String dump = "";
            boolean finished;
            try {
                finished = child.waitFor(timeoutSeconds, TimeUnit.SECONDS);
                if (!finished) {
                    dump = "\n---- thread dump of the hung child (jcmd " + child.pid() + " Thread.print) ----\n"
                            + threadDump(Path.of(command.get(0)).getParent().resolve("jcmd").toString(), child.pid());
                }
            } finally {
                child.destroyForcibly();
            }
            child.waitFor(30, TimeUnit.SECONDS);
            String output = Files.readString(log, StandardCharsets.UTF_8) + dump;
            return new Result(finished ? child.exitValue() : -1, "$ " + String.join(" ", command) + "\n" + output,
                    !finished);
        } finally {
            Files.deleteIfExists(log);
        }
    }

    private static String threadDump(String jcmd, long pid) {
        try {
            Process process = new ProcessBuilder(jcmd, Long.toString(pid), "Thread.print").redirectErrorStream(true).start();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (InputStream in = process.getInputStream()) {
                in.transferTo(out);
            }
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
            return out.toString(StandardCharsets.UTF_8);
        } catch (IOException | InterruptedException e) {
            return "(no thread dump: " + e + ")";
        }
    }
}
