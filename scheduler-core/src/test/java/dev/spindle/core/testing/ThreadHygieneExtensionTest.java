package dev.spindle.core.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;
import org.junit.platform.testkit.engine.Events;

/** {@link ThreadHygieneExtension} fails the tests that break its rules, and only those. */
class ThreadHygieneExtensionTest {

    @Test
    void aTestThatLeavesItsInterruptStatusSet_fails() {
        Events tests = run(HygieneViolations.LeavesInterruptSet.class).testEvents();

        assertEquals(1, tests.failed().count());
        assertTrue(failureMessages(tests).get(0).contains("interrupt status set"), failureMessages(tests)::toString);
        assertTrue(!Thread.currentThread().isInterrupted(), "the sample's interrupt leaked into this test");
    }

    @Test
    void aClassThatLeavesASchedulerOpen_fails() {
        Events containers;
        try {
            containers = run(HygieneViolations.LeaksAScheduler.class).containerEvents();
        } finally {
            HygieneViolations.LeaksAScheduler.leaked.close();
        }

        assertEquals(1, containers.failed().count());
        assertTrue(failureMessages(containers).get(0).contains("hygiene-sample-leak-worker-1"),
                failureMessages(containers)::toString);
    }

    @Test
    void aClassThatClosesItsScheduler_passes() {
        var results = run(HygieneViolations.ClosesItsScheduler.class);

        assertEquals(1, results.testEvents().succeeded().count());
        assertEquals(0, results.testEvents().failed().count());
        assertEquals(0, results.containerEvents().failed().count());
    }

    private static org.junit.platform.testkit.engine.EngineExecutionResults run(Class<?> sample) {
        return EngineTestKit.engine("junit-jupiter")
                .configurationParameter("junit.jupiter.extensions.autodetection.enabled", "true")
                .selectors(selectClass(sample))
                .execute();
    }

    private static List<String> failureMessages(Events events) {
        return events.failed().stream()
                .map(Event::getPayload)
                .map(payload -> payload.map(Object::toString).orElse(""))
                .collect(Collectors.toList());
    }
}
