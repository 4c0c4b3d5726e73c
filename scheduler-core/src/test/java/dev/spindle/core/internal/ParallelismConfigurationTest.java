package dev.spindle.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.core.Scheduler;
import dev.spindle.core.testing.SchedulerHygiene;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Where a scheduler's parallelism comes from (R1/R7 of {@code reliability.md}): the builder, else
 * the system property {@code spindle.parallelism}, else the environment variable
 * {@code SPINDLE_NUM_THREADS}, else the processor count. A bad value is an error that names its
 * source and the value; it never silently falls through to the next source.
 *
 * <p>Goes through the {@link ParallelismSetting#resolve(Integer, Function, Function, int)} seam,
 * so no test touches the real system properties or environment.
 */
class ParallelismConfigurationTest {

    @RegisterExtension
    final SchedulerHygiene hygiene = new SchedulerHygiene();

    private static final String PROPERTY_SOURCE = "system property spindle.parallelism";
    private static final String ENVIRONMENT_SOURCE = "environment variable SPINDLE_NUM_THREADS";

    private static Function<String, String> none() {
        return key -> null;
    }

    private static Function<String, String> only(String key, String value) {
        return Map.of(key, value)::get;
    }

    private static Function<String, String> property(String value) {
        return only(ParallelismSetting.PROPERTY, value);
    }

    private static Function<String, String> environment(String value) {
        return only(ParallelismSetting.ENVIRONMENT, value);
    }

    // ------------------------------------------------------------------ precedence

    @Test
    void builderValue_winsOverPropertyEnvironmentAndProcessors() {
        ParallelismSetting setting = ParallelismSetting.resolve(3, property("5"), environment("7"), 11);
        assertEquals(3, setting.parallelism());
        assertEquals("builder", setting.source());
    }

    @Test
    void builderValue_winsEvenWhenThePropertyAndVariableAreMalformed() {
        // The lower-priority sources are not consulted at all once the builder set a value.
        ParallelismSetting setting = ParallelismSetting.resolve(2, property("abc"), environment("-1"), 11);
        assertEquals(2, setting.parallelism());
    }

    @Test
    void systemProperty_winsOverEnvironmentAndProcessors() {
        ParallelismSetting setting = ParallelismSetting.resolve(null, property("5"), environment("7"), 11);
        assertEquals(5, setting.parallelism());
        assertEquals(PROPERTY_SOURCE, setting.source());
    }

    @Test
    void environmentVariable_winsOverProcessors() {
        ParallelismSetting setting = ParallelismSetting.resolve(null, none(), environment("7"), 11);
        assertEquals(7, setting.parallelism());
        assertEquals(ENVIRONMENT_SOURCE, setting.source());
    }

    @Test
    void processors_areUsedWhenNothingElseIsSet() {
        ParallelismSetting setting = ParallelismSetting.resolve(null, none(), none(), 11);
        assertEquals(11, setting.parallelism());
        assertEquals("Runtime.availableProcessors()", setting.source());
    }

    @Test
    void oneProcessor_givesParallelismOne_notZero() {
        // JDK-8274349 shape: the common pool once derived parallelism 0 on a one-CPU machine.
        assertEquals(1, ParallelismSetting.resolve(null, none(), none(), 1).parallelism());
    }

    @Test
    void surroundingWhitespace_isAccepted() {
        assertEquals(4, ParallelismSetting.resolve(null, property(" 4 "), none(), 11).parallelism());
        assertEquals(6, ParallelismSetting.resolve(null, none(), environment("6\n"), 11).parallelism());
    }

    @Test
    void largestAllowedValue_isAccepted() {
        String max = Integer.toString(ParallelismSetting.MAX);
        assertEquals(ParallelismSetting.MAX,
                ParallelismSetting.resolve(null, property(max), none(), 11).parallelism());
    }

    // ------------------------------------------------------------------ bad values

    @ParameterizedTest
    @ValueSource(strings = {"abc", "0", "-2", "", "99999", "2.5", "2147483648"})
    void badSystemProperty_isRejectedNamingThePropertyAndTheValue(String bad) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ParallelismSetting.resolve(null, property(bad), environment("3"), 11));
        assertNamesSourceAndValue(e, PROPERTY_SOURCE, bad);
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "0", "-2", "", "99999", "2.5", "2147483648"})
    void badEnvironmentVariable_isRejectedNamingTheVariableAndTheValue(String bad) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ParallelismSetting.resolve(null, none(), environment(bad), 11));
        assertNamesSourceAndValue(e, ENVIRONMENT_SOURCE, bad);
    }

    @Test
    void badSystemProperty_doesNotFallBackToAGoodEnvironmentVariableOrProcessors() {
        // A typo in the property must not quietly give the environment's or the machine's count.
        assertThrows(IllegalArgumentException.class,
                () -> ParallelismSetting.resolve(null, property("four"), environment("4"), 4));
    }

    @Test
    void badEnvironmentVariable_doesNotFallBackToProcessors() {
        assertThrows(IllegalArgumentException.class,
                () -> ParallelismSetting.resolve(null, none(), environment("four"), 4));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, -2, ParallelismSetting.MAX + 1, Integer.MIN_VALUE})
    void badBuilderValue_isRejectedNamingTheValue(int bad) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ParallelismSetting.resolve(bad, none(), none(), 11));
        assertMentionsNumber(e.getMessage(), bad);
        IllegalArgumentException fromBuilder = assertThrows(IllegalArgumentException.class,
                () -> Scheduler.builder().parallelism(bad));
        assertMentionsNumber(fromBuilder.getMessage(), bad);
    }

    @Test
    void builtScheduler_hasTheBuilderParallelism() {
        Scheduler scheduler = hygiene.newScheduler(3);
        assertEquals(3, scheduler.parallelism());
        assertEquals(3, scheduler.stats().parallelism());
    }

    // ------------------------------------------------------------------ helpers

    private static void assertNamesSourceAndValue(IllegalArgumentException e, String source, String value) {
        String message = e.getMessage();
        assertTrue(message != null && message.contains(source),
                () -> "message should name '" + source + "': " + message);
        // Quoted or not, the offending text must be visible; for "" the quotes are the evidence.
        String shown = value.isEmpty() ? "''" : value;
        assertTrue(message.contains(shown), () -> "message should show the value '" + value + "': " + message);
    }

    static void assertMentionsNumber(String message, long value) {
        assertTrue(message != null
                        && message.matches("(?s).*(?<![\\d-])" + java.util.regex.Pattern.quote(Long.toString(value)) + "(?!\\d).*"),
                () -> "message should give the value " + value + ": " + message);
    }
}
