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

    /** The test classes, and ojAlgo (a library a scenario uses), nothing of Spindle: the agent brings it. */
    private static String childClassPath() {
        String testClasses = System.getProperty("spindle.test.classes");
        if (testClasses == null) {
            throw new IllegalStateException("spindle.test.classes must name the test classes (run through mvn verify)");
        }
        try {
            String ojAlgo = Path.of(org.ojalgo.OjAlgoUtils.class.getProtectionDomain().getCodeSource().getLocation()
                    .toURI()).toString();
            return testClasses + File.pathSeparator + ojAlgo;
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
