package dev.spindle.core.testing;

import java.util.Map;

/**
 * The stacks of live threads, as text for a failure message: what a test that gives up on a hang
 * prints so that the hang can be read afterwards. One thread per paragraph, its name and state,
 * then its frames.
 */
public final class ThreadStacks {

    private ThreadStacks() {
    }

    /**
     * The stacks of the live threads whose names start with one of the {@code |}-separated
     * {@code prefixes}; the empty string selects every thread.
     */
    public static String of(String prefixes) {
        return of(prefixes, Integer.MAX_VALUE);
    }

    /** As {@link #of(String)}, with at most {@code framesPerThread} frames of each stack. */
    public static String of(String prefixes, int framesPerThread) {
        StringBuilder out = new StringBuilder();
        for (Map.Entry<Thread, StackTraceElement[]> entry : Thread.getAllStackTraces().entrySet()) {
            Thread thread = entry.getKey();
            if (!named(thread, prefixes)) {
                continue;
            }
            StackTraceElement[] frames = entry.getValue();
            out.append('"').append(thread.getName()).append("\" ").append(thread.getState())
                    .append(", ").append(frames.length).append(" frames\n");
            for (int i = 0; i < Math.min(framesPerThread, frames.length); i++) {
                out.append("    at ").append(frames[i]).append('\n');
            }
        }
        return out.toString();
    }

    /** How many live threads have a name starting with {@code prefix}. */
    public static int liveThreadsNamed(String prefix) {
        int count = 0;
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (thread.isAlive() && thread.getName().startsWith(prefix)) {
                count++;
            }
        }
        return count;
    }

    private static boolean named(Thread thread, String prefixes) {
        for (String prefix : prefixes.split("\\|")) {
            if (thread.getName().startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }
}
