package dev.spindle.agent.scenarios;

import java.util.Set;
import java.util.TreeSet;

/** What a scenario asserts: a failed check prints FAIL and ends the child JVM with status 3. */
final class Check {

    private Check() {
    }

    static void that(boolean condition, String what) {
        if (!condition) {
            System.out.println("FAIL " + what);
            System.out.flush();
            Runtime.getRuntime().halt(3);
        }
        System.out.println("OK " + what);
    }

    /** Names of the live threads that are not Spindle's and were not alive in {@code before}. */
    static Set<String> foreignThreadsSince(Set<Thread> before) {
        Set<String> names = new TreeSet<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (!before.contains(t) && !t.getName().startsWith("spindle-")) {
                names.add(t.getName());
            }
        }
        return names;
    }

    static Set<Thread> liveThreads() {
        return Thread.getAllStackTraces().keySet();
    }
}
