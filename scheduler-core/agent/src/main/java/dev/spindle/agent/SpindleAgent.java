package dev.spindle.agent;

import java.io.File;
import java.lang.instrument.Instrumentation;
import java.net.URISyntaxException;
import java.util.jar.JarFile;

/**
 * The agent's entry point: {@code java -javaagent:scheduler-agent.jar[=options] -jar app.jar}.
 *
 * <p>The JVM loads this class with the system class loader. The JDK classes the agent changes
 * ({@code Executors}, {@code CompletableFuture}, {@code ForkJoinTask}) are loaded by the bootstrap
 * loader and can only call classes it can see, so this class first appends the agent's own jar to
 * the bootstrap class path and then hands over to {@link AgentStart}, loaded from there. It names
 * no other class of the agent directly, so that none is loaded twice by two loaders.
 * Options: {@link AgentOptions}.
 */
public final class SpindleAgent {

    private SpindleAgent() {
    }

    /** Called by the JVM before {@code main} for {@code -javaagent}. */
    public static void premain(String options, Instrumentation instrumentation) throws Exception {
        start(options, instrumentation);
    }

    /** Called when the agent is attached to a running JVM. */
    public static void agentmain(String options, Instrumentation instrumentation) throws Exception {
        start(options, instrumentation);
    }

    private static void start(String options, Instrumentation instrumentation) throws Exception {
        File jar = agentJar();
        instrumentation.appendToBootstrapClassLoaderSearch(new JarFile(jar));
        Class<?> start = Class.forName("dev.spindle.agent.AgentStart", true, null);
        if (start.getClassLoader() != null) {
            throw new IllegalStateException("the Spindle agent's classes must load from the bootstrap"
                    + " class path, but AgentStart came from " + start.getClassLoader());
        }
        try {
            start.getMethod("start", String.class, Instrumentation.class).invoke(null, options, instrumentation);
        } catch (java.lang.reflect.InvocationTargetException failed) {
            Throwable cause = failed.getCause();
            throw cause instanceof Exception ? (Exception) cause : new IllegalStateException(cause);
        }
    }

    private static File agentJar() throws URISyntaxException {
        var source = SpindleAgent.class.getProtectionDomain().getCodeSource();
        if (source == null || source.getLocation() == null) {
            throw new IllegalStateException("cannot find the Spindle agent's jar file");
        }
        File jar = new File(source.getLocation().toURI());
        if (!jar.isFile()) {
            throw new IllegalStateException("the Spindle agent must run from its jar, found " + jar);
        }
        return jar;
    }
}
