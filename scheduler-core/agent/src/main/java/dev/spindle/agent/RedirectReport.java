package dev.spindle.agent;

import java.io.PrintStream;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the agent redirected and which pools it saw but left alone, counted as it happens and
 * printed at exit with the {@code report} option. Any thread; counting is a {@code LongAdder}
 * increment on a map entry (pools are created rarely; forks count without a per-call string).
 */
final class RedirectReport {

    private static final ConcurrentHashMap<String, LongAdder> REDIRECTED = new ConcurrentHashMap<>();
    private static final ConcurrentHashMap<String, LongAdder> SEEN = new ConcurrentHashMap<>();

    private RedirectReport() {
    }

    /** A pool of {@code kind} created by {@code caller} now runs on Spindle. */
    static void redirected(String kind, String caller) {
        count(kind + " from " + caller);
    }

    /** An event counted under {@code what}. */
    static void count(String what) {
        REDIRECTED.computeIfAbsent(what, k -> new LongAdder()).increment();
    }

    /** A pool the agent saw and did not take over, and why. */
    static void seen(String kind, String caller, String why) {
        SEEN.computeIfAbsent(kind + " from " + caller + " (" + why + ")", k -> new LongAdder()).increment();
    }

    /** The counts so far, for tests and the report. */
    static Map<String, Long> redirectedCounts() {
        Map<String, Long> counts = snapshot(REDIRECTED);
        ForkJoinRedirect.report(counts);
        return counts;
    }

    static Map<String, Long> seenCounts() {
        return snapshot(SEEN);
    }

    private static Map<String, Long> snapshot(ConcurrentHashMap<String, LongAdder> counts) {
        Map<String, Long> sorted = new TreeMap<>();
        counts.forEach((k, v) -> sorted.put(k, v.sum()));
        return sorted;
    }

    /** Prints the report: redirected, then seen and left alone. */
    static void print(PrintStream out, AgentOptions options) {
        StringBuilder text = new StringBuilder();
        text.append("[spindle-agent] report (").append(options).append(")\n");
        text.append("[spindle-agent] redirected to Spindle:\n");
        appendCounts(text, redirectedCounts());
        text.append("[spindle-agent] seen, not taken over:\n");
        appendCounts(text, seenCounts());
        text.append("[spindle-agent] the pools alive at exit (ThreadPools.info()):\n");
        try {
            text.append(dev.spindle.core.ThreadPools.info()).append('\n');
        } catch (RuntimeException | Error censusFailed) {
            text.append("[spindle-agent]   (no census: ").append(censusFailed).append(")\n");
        }
        out.print(text);
        out.flush();
    }

    private static void appendCounts(StringBuilder text, Map<String, Long> counts) {
        if (counts.isEmpty()) {
            text.append("[spindle-agent]   (none)\n");
        }
        counts.forEach((what, n) -> text.append("[spindle-agent]   ").append(String.format("%8d  ", n))
                .append(what).append('\n'));
    }
}
