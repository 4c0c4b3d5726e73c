package dev.spindle.agent;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The agent's options, given after {@code =} in {@code -javaagent:scheduler-agent.jar=...}, separated
 * by commas:
 *
 * <ul>
 *   <li>{@code report}: print at exit what was redirected and which pools were seen but left alone;
 *   <li>{@code executors=off}, {@code completableFuture=off}, {@code forkJoin=off}: switch one
 *       redirection off (all are on by default);
 *   <li>{@code libraries=off}: leave the thread settings of known libraries ({@link LibraryLimits})
 *       alone;
 *   <li>{@code helping=off}: redirected waits never run other tasks while they wait
 *       ({@link HelpingPolicy});
 *   <li>{@code include=<prefix>:<prefix>...}: redirect only pools created by classes whose name
 *       starts with one of these prefixes (default: every class outside the JDK);
 *   <li>{@code exclude=<prefix>:<prefix>...}: never redirect pools created by these classes.
 * </ul>
 *
 * <p>An unknown option or value fails the JVM's start with a message that names it: an agent that
 * silently ignores a typo would leave the user believing a redirection is off (or on).
 */
final class AgentOptions {

    /** Classes of the JDK itself, never redirected: their pools are part of the platform. */
    private static final List<String> PLATFORM = List.of("java.", "javax.", "jdk.", "sun.", "com.sun.");

    final boolean report;
    final boolean executors;
    final boolean completableFuture;
    final boolean forkJoin;
    final boolean libraries;
    final boolean helping;
    final List<String> include;
    final List<String> exclude;

    private AgentOptions(boolean report, boolean executors, boolean completableFuture, boolean forkJoin,
            boolean libraries, boolean helping, List<String> include, List<String> exclude) {
        this.report = report;
        this.executors = executors;
        this.completableFuture = completableFuture;
        this.forkJoin = forkJoin;
        this.libraries = libraries;
        this.helping = helping;
        this.include = List.copyOf(include);
        this.exclude = List.copyOf(exclude);
    }

    /**
     * Parses the option string (null or empty: the defaults).
     *
     * @throws IllegalArgumentException naming the option that is not understood
     */
    static AgentOptions parse(String options) {
        boolean report = false;
        boolean executors = true;
        boolean completableFuture = true;
        boolean forkJoin = true;
        boolean libraries = true;
        boolean helping = true;
        List<String> include = new ArrayList<>();
        List<String> exclude = new ArrayList<>();
        if (options != null && !options.isBlank()) {
            for (String option : options.split(",")) {
                String trimmed = option.trim();
                int eq = trimmed.indexOf('=');
                String key = eq < 0 ? trimmed : trimmed.substring(0, eq);
                String value = eq < 0 ? null : trimmed.substring(eq + 1);
                switch (key) {
                    case "report":
                        report = value == null || onOff(key, value);
                        break;
                    case "executors":
                        executors = onOff(key, value);
                        break;
                    case "completableFuture":
                        completableFuture = onOff(key, value);
                        break;
                    case "forkJoin":
                        forkJoin = onOff(key, value);
                        break;
                    case "libraries":
                        libraries = onOff(key, value);
                        break;
                    case "helping":
                        helping = onOff(key, value);
                        break;
                    case "include":
                        include.addAll(prefixes(key, value));
                        break;
                    case "exclude":
                        exclude.addAll(prefixes(key, value));
                        break;
                    default:
                        throw new IllegalArgumentException("unknown Spindle agent option '" + trimmed
                                + "' in '" + options + "'; known: report, executors=on|off,"
                                + " completableFuture=on|off, forkJoin=on|off, libraries=on|off, helping=on|off,"
                                + " include=<prefix>:...,"
                                + " exclude=<prefix>:...");
                }
            }
        }
        return new AgentOptions(report, executors, completableFuture, forkJoin, libraries, helping, include,
                exclude);
    }

    private static boolean onOff(String key, String value) {
        String v = value == null ? "" : value.toLowerCase(Locale.ROOT);
        switch (v) {
            case "on":
            case "true":
                return true;
            case "off":
            case "false":
                return false;
            default:
                throw new IllegalArgumentException("Spindle agent option " + key + " must be on or off, was '"
                        + value + "'");
        }
    }

    private static List<String> prefixes(String key, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("Spindle agent option " + key
                    + " needs class name prefixes, e.g. " + key + "=com.example.:org.acme.");
        }
        List<String> list = new ArrayList<>();
        for (String prefix : value.split(":")) {
            if (prefix.isBlank()) {
                throw new IllegalArgumentException("Spindle agent option " + key + " has an empty prefix in '"
                        + value + "'");
            }
            list.add(prefix.trim());
        }
        return list;
    }

    /** Whether the class named {@code className} belongs to the JDK. */
    static boolean isPlatform(String className) {
        for (String prefix : PLATFORM) {
            if (className.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    /** Whether a pool created by the class named {@code caller} is redirected. */
    boolean redirects(String caller) {
        if (isPlatform(caller)) {
            return false;
        }
        for (String prefix : exclude) {
            if (caller.startsWith(prefix)) {
                return false;
            }
        }
        if (include.isEmpty()) {
            return true;
        }
        for (String prefix : include) {
            if (caller.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return "report=" + report + ", executors=" + executors + ", completableFuture=" + completableFuture
                + ", forkJoin=" + forkJoin + ", libraries=" + libraries + ", helping=" + helping + ", include=" + include + ", exclude=" + exclude;
    }
}
