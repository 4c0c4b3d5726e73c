package dev.spindle.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.core.testing.ChildJvm;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * R17 of docs/reliability.md: a bad global setting ({@code -Dspindle.parallelism=abc},
 * {@code SPINDLE_NUM_THREADS=0}, a value above the limit) makes {@link Scheduler#global()} throw the
 * documented {@link IllegalArgumentException}, naming the source, on every call, never an
 * {@code ExceptionInInitializerError} once and a {@code NoClassDefFoundError} after. Each case runs
 * in a child JVM (the global scheduler is created once per JVM), killed if it outlives its time.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class GlobalConfigurationTest {

    /** The child: calls global() three times and prints what each call threw. */
    public static final class Probe {
        public static void main(String[] args) {
            for (int call = 1; call <= 3; call++) {
                try {
                    Scheduler global = Scheduler.global();
                    System.out.println("call " + call + " ok "
                            + (args.length > 0 ? global.maxSpareWorkers() : global.parallelism()));
                } catch (Throwable thrown) {
                    System.out.println("call " + call + " threw " + thrown.getClass().getName() + ": "
                            + thrown.getMessage());
                }
            }
        }
    }

    private static List<String> runChild(String property, String environment) throws Exception {
        return runChild(property, environment, null);
    }

    /** With {@code spares} non-null: sets {@code spindle.maxSpareWorkers} and prints the cap. */
    private static List<String> runChild(String property, String variable, String spares) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(ChildJvm.java(System.getProperty("java.home")));
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        if (property != null) {
            command.add("-Dspindle.parallelism=" + property);
        }
        if (spares != null) {
            command.add("-D" + Scheduler.MAX_SPARE_WORKERS_PROPERTY + "=" + spares);
        }
        command.add(Probe.class.getName());
        if (spares != null) {
            command.add("spares");
        }
        Map<String, String> environment = new HashMap<>();
        environment.put("SPINDLE_NUM_THREADS", variable);
        ChildJvm.Result result = ChildJvm.run(command, environment, 60);
        assertFalse(result.timedOut(), result::toString);
        List<String> calls = new ArrayList<>();
        for (String line : result.output().split("\\R")) {
            if (line.startsWith("call ")) {
                calls.add(line);
            }
        }
        assertEquals(3, calls.size(), result::toString);
        return calls;
    }

    private static void assertEveryCallThrowsIllegalArgumentNaming(List<String> calls, String source, String value) {
        for (String call : calls) {
            assertTrue(call.contains("threw java.lang.IllegalArgumentException"), call);
            assertTrue(call.contains(source), () -> call + " does not name " + source);
            assertTrue(call.contains(value), () -> call + " does not name the value " + value);
        }
    }

    @Test
    void propertyThatIsNotANumber_everyCallThrowsIllegalArgumentNamingIt() throws Exception {
        assertEveryCallThrowsIllegalArgumentNaming(runChild("abc", null), "spindle.parallelism", "abc");
    }

    @Test
    void environmentVariableZero_everyCallThrowsIllegalArgumentNamingIt() throws Exception {
        assertEveryCallThrowsIllegalArgumentNaming(runChild(null, "0"), "SPINDLE_NUM_THREADS", "0");
    }

    @Test
    void valueAboveTheLimit_everyCallThrowsIllegalArgumentNamingIt() throws Exception {
        assertEveryCallThrowsIllegalArgumentNaming(runChild("100000", null), "spindle.parallelism", "100000");
    }

    @Test
    void maxSpareWorkersProperty_isUsed_andABadOneIsRefusedOnEveryCall() throws Exception {
        for (String call : runChild(null, null, "7")) {
            assertEquals(call.substring(0, 7) + "ok 7", call);
        }
        assertEveryCallThrowsIllegalArgumentNaming(runChild(null, null, "-1"), "spindle.maxSpareWorkers", "-1");
        assertEveryCallThrowsIllegalArgumentNaming(runChild(null, null, "many"), "spindle.maxSpareWorkers", "many");
    }

    @Test
    void aGoodValue_isUsed() throws Exception {
        for (String call : runChild("3", null)) {
            assertEquals(call.substring(0, 7) + "ok 3", call);
        }
    }

    @Test
    void absurdParallelismFromTheBuilder_isRefusedWithTheLimitInTheMessage() {
        IllegalArgumentException refused = org.junit.jupiter.api.Assertions.assertThrows(
                IllegalArgumentException.class, () -> Scheduler.builder().parallelism(100_000));
        assertTrue(refused.getMessage().contains("4096") && refused.getMessage().contains("100000"),
                refused.getMessage());
    }

    @Test
    void workerStackSizeOutOfRange_isRefusedNamingTheValue() throws IOException {
        for (long bytes : new long[] {-1, 1, Long.MAX_VALUE}) {
            IllegalArgumentException refused = org.junit.jupiter.api.Assertions.assertThrows(
                    IllegalArgumentException.class, () -> Scheduler.builder().workerStackSize(bytes));
            assertTrue(refused.getMessage().contains("workerStackSize") && refused.getMessage().contains(Long.toString(bytes)),
                    refused.getMessage());
        }
    }
}
