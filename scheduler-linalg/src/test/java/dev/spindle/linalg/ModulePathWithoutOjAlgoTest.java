package dev.spindle.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import dev.spindle.linalg.modulepath.BlasApplication;
import org.jctools.queues.MpmcUnboundedXaddArrayQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * ojAlgo is optional ({@code requires static ojalgo}): a JVM whose module path holds only
 * {@code dev.spindle.linalg}, {@code dev.spindle.core} and JCTools resolves the module and runs
 * {@code Blas} ({@link BlasApplication}). Before, it failed at start-up with {@code FindException:
 * Module ojalgo not found}. The child JVM gets 60 s; past that its threads are dumped and it is killed.
 */
class ModulePathWithoutOjAlgoTest {

    private static final long CHILD_TIMEOUT_SECONDS = 60;

    @Test
    @Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void blasRunsOnTheModulePath_withoutOjAlgo() throws Exception {
        String modulePath = String.join(File.pathSeparator, locationOf(Blas.class), locationOf(dev.spindle.core.Scheduler.class),
                locationOf(MpmcUnboundedXaddArrayQueue.class));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = List.of(java, "--module-path", modulePath, "--add-modules", "dev.spindle.linalg",
                "-cp", locationOf(BlasApplication.class), BlasApplication.class.getName());
        String output = run(command);

        List<String> lines = output.lines().filter(line -> !line.startsWith("WARNING:")).toList();
        assertEquals(List.of("dev.spindle.linalg", "false", "true"), lines,
                "named module, no ojAlgo in the boot layer, exact product:\n$ " + String.join(" ", command) + "\n" + output);
    }

    /** Runs the command; on timeout dumps the child's threads, kills it and fails with the dump. */
    private static String run(List<String> command) throws IOException, InterruptedException {
        Path log = Files.createTempFile("spindle-module-path-child", ".log");
        try {
            Process child = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            try {
                if (!child.waitFor(CHILD_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                    String dump = threadDump(child.pid());
                    throw new AssertionError("child JVM did not finish in " + CHILD_TIMEOUT_SECONDS + " s:\n"
                            + Files.readString(log, StandardCharsets.UTF_8) + "\n---- jcmd Thread.print ----\n" + dump);
                }
            } finally {
                child.destroyForcibly();
                child.waitFor(30, TimeUnit.SECONDS);
            }
            String output = Files.readString(log, StandardCharsets.UTF_8);
            assertEquals(0, child.exitValue(), output);
            assertFalse(output.isBlank(), "the child printed nothing");
            return output;
        } finally {
            Files.deleteIfExists(log);
        }
    }

    private static String threadDump(long pid) throws IOException, InterruptedException {
        String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        Process dump = new ProcessBuilder(jcmd, Long.toString(pid), "Thread.print").redirectErrorStream(true).start();
        try {
            return new String(dump.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } finally {
            dump.destroyForcibly();
        }
    }

    private static String locationOf(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
