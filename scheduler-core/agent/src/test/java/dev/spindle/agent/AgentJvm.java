package dev.spindle.agent;

import dev.spindle.core.testing.ChildJvm;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs a scenario's {@code main} in a child JVM ({@link ChildJvm}: a hung child is dumped and
 * killed), with or without the packaged agent, on the test classes and ojAlgo: nothing of Spindle
 * is on its class path, the agent brings it.
 */
final class AgentJvm {

    static final long TIMEOUT_SECONDS = 90;

    private AgentJvm() {
    }

    static String agentJar() {
        String jar = System.getProperty("spindle.agent.jar");
        if (jar == null || !new File(jar).isFile()) {
            throw new IllegalStateException("spindle.agent.jar must name the packaged agent jar (run through"
                    + " mvn verify), was " + jar);
        }
        return jar;
    }

    /**
     * Runs {@code mainClass} from the test classes on {@code javaHome}.
     *
     * @param agentOptions null for no agent, "" for the agent with its defaults
     */
    static ChildJvm.Result run(String javaHome, String agentOptions, List<String> jvmOptions, Class<?> mainClass,
            String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(ChildJvm.java(javaHome));
        command.addAll(jvmOptions);
        if (agentOptions != null) {
            command.add("-javaagent:" + agentJar() + (agentOptions.isEmpty() ? "" : "=" + agentOptions));
        }
        command.add("-cp");
        command.add(childClassPath());
        command.add(mainClass.getName());
        command.addAll(List.of(args));
        return ChildJvm.run(command, Map.of(), TIMEOUT_SECONDS);
    }

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
            boolean spindle = name.startsWith("scheduler-") || name.startsWith("jctools-")
                    || name.startsWith("byte-buddy-");
            if (!spindle && !entry.equals(testClasses) && entry.endsWith(".jar")) {
                entries.add(entry);
            }
        }
        return String.join(File.pathSeparator, entries);
    }
}
