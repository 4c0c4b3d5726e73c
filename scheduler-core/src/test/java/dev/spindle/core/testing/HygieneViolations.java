package dev.spindle.core.testing;

import dev.spindle.core.Scheduler;
import org.junit.jupiter.api.Test;

/**
 * Sample test classes that break the rules {@link ThreadHygieneExtension} enforces. Not picked up
 * by Surefire (no {@code Test} in the names); {@link ThreadHygieneExtensionTest} runs them through
 * the JUnit engine and expects them to fail.
 */
final class HygieneViolations {

    private HygieneViolations() {
    }

    /** Leaves the test thread's interrupt status set. */
    static final class LeavesInterruptSet {
        @Test
        void interruptsItself() {
            Thread.currentThread().interrupt();
        }
    }

    /** Builds a scheduler and never closes it (the caller closes it afterwards). */
    static final class LeaksAScheduler {
        static volatile Scheduler leaked;

        @Test
        void buildsAndForgets() {
            leaked = Scheduler.builder().parallelism(1).name("hygiene-sample-leak").build();
        }
    }

    /** Does everything right: a scheduler closed by try-with-resources. */
    static final class ClosesItsScheduler {
        @Test
        void buildsAndCloses() {
            try (Scheduler scheduler = Scheduler.builder().parallelism(1).name("hygiene-sample-ok").build()) {
                scheduler.invoke(() -> 42);
            }
        }
    }
}
