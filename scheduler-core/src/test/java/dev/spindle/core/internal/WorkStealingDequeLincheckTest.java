package dev.spindle.core.internal;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.jetbrains.kotlinx.lincheck.Actor;
import org.jetbrains.kotlinx.lincheck.LinChecker;
import org.jetbrains.kotlinx.lincheck.LincheckAssertionError;
import org.jetbrains.kotlinx.lincheck.Options;
import org.jetbrains.kotlinx.lincheck.annotations.Operation;
import org.jetbrains.kotlinx.lincheck.annotations.Param;
import org.jetbrains.kotlinx.lincheck.execution.ExecutionScenario;
import org.jetbrains.kotlinx.lincheck.paramgen.IntGen;
import org.jetbrains.kotlinx.lincheck.strategy.IncorrectResultsFailure;
import org.jetbrains.kotlinx.lincheck.strategy.managed.modelchecking.ModelCheckingOptions;
import org.jetbrains.kotlinx.lincheck.strategy.stress.StressOptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * R3 of {@code reliability.md}: {@link WorkStealingDeque} is linearizable, checked by Lincheck.
 *
 * <p>The owner's operations ({@code push}, {@code take}, {@code takeIfBottom}) share one
 * non-parallel group, so Lincheck runs them all on one thread, as the scheduler does; {@code steal}
 * runs on any thread. The results are checked by {@link DequeLinearizabilityVerifier}, whose
 * sequential deque allows a steal to abort exactly when it lost a race: when it overlapped a
 * removal by another thread, whether or not the deque is empty.
 *
 * <p>Two modes. Model checking explores thread switches at every shared access of small scenarios,
 * under sequential consistency: it checks the algorithm, not the fences (that is jcstress's job,
 * {@code scheduler-bench/jcstress}). Stress runs the same scenarios on real threads. The default
 * build runs short forms of both (11 to 41 s for the three tests on 2 busy cores);
 * {@code mvn -Pstress} runs the long forms.
 * {@link #modelChecking_catchesATakeThatDoesNotRaceForTheLastElement} proves that the check can
 * fail, on {@link UncontestedLastTakeDeque}.
 */
class WorkStealingDequeLincheckTest {

    /** Element values are 1..3: small enough for a steal and a take to collide on the same value. */
    public abstract static class DequeOperations {

        abstract void pushElement(Integer element);

        abstract Integer takeElement();

        abstract boolean takeElementIfBottom(Integer expected);

        abstract Object stealElement();

        @Operation(nonParallelGroup = "owner")
        public void push(@Param(gen = IntGen.class, conf = "1:3") int element) {
            pushElement(element);                     // boxed in the Integer cache: takeIfBottom compares identity
        }

        @Operation(nonParallelGroup = "owner")
        public Integer take() {
            return takeElement();
        }

        @Operation(nonParallelGroup = "owner")
        public boolean takeIfBottom(@Param(gen = IntGen.class, conf = "1:3") int expected) {
            return takeElementIfBottom(expected);
        }

        @Operation
        public Object steal() {
            Object stolen = stealElement();
            return stolen == WorkStealingDeque.ABORT ? DequeLinearizabilityVerifier.ABORTED : stolen;
        }
    }

    /** The deque under test. */
    public static final class OnWorkStealingDeque extends DequeOperations {
        private final WorkStealingDeque<Integer> deque = new WorkStealingDeque<>();

        @Override
        void pushElement(Integer element) {
            deque.push(element);
        }

        @Override
        Integer takeElement() {
            return deque.take();
        }

        @Override
        boolean takeElementIfBottom(Integer expected) {
            return deque.takeIfBottom(expected);
        }

        @Override
        Object stealElement() {
            return deque.steal();
        }
    }

    /** The broken copy, which the check must reject. */
    public static final class OnUncontestedLastTakeDeque extends DequeOperations {
        private final UncontestedLastTakeDeque<Integer> deque = new UncontestedLastTakeDeque<>();

        @Override
        void pushElement(Integer element) {
            deque.push(element);
        }

        @Override
        Integer takeElement() {
            return deque.take();
        }

        @Override
        boolean takeElementIfBottom(Integer expected) {
            return deque.takeIfBottom(expected);
        }

        @Override
        Object stealElement() {
            return deque.steal();
        }
    }

    private static ModelCheckingOptions modelChecking(int iterations, int invocations) {
        return shape(new ModelCheckingOptions())
                .iterations(iterations)
                .invocationsPerIteration(invocations);
    }

    private static StressOptions stress(int iterations, int invocations) {
        return shape(new StressOptions())
                .iterations(iterations)
                .invocationsPerIteration(invocations);
    }

    /**
     * Random scenarios of one owner and two thieves, two operations each, three before (to fill)
     * and three after (to drain), after the races that matter, written out so that every run
     * explores them whatever the random scenarios turn out to be.
     */
    private static <O extends Options<O, ?>> O shape(O options) {
        options.threads(3)
                .actorsPerThread(2)
                .actorsBefore(3)
                .actorsAfter(3)
                .verifier(DequeLinearizabilityVerifier.class);
        // The owner's take and a thief race for the last element.
        options.addCustomScenario(scenario(List.of(push(1)), List.of(List.of(take()), List.of(steal())), drain()));
        // The same race on the element left after a thief stole the other (where take()'s fence matters).
        options.addCustomScenario(scenario(List.of(push(1), push(2)), List.of(List.of(take()), List.of(steal(), steal())), drain()));
        // The join fast path and a thief race for the last element.
        options.addCustomScenario(scenario(List.of(push(1)), List.of(List.of(takeIfBottom(1)), List.of(steal())), drain()));
        // Two thieves race for one element while the owner pushes another.
        options.addCustomScenario(scenario(List.of(push(1)), List.of(List.of(push(2)), List.of(steal()), List.of(steal())), drain()));
        return options;
    }

    private static ExecutionScenario scenario(List<Actor> before, List<List<Actor>> parallel, List<Actor> after) {
        return new ExecutionScenario(before, parallel, after, null);
    }

    private static List<Actor> drain() {
        return List.of(take(), take());
    }

    private static Actor push(int element) {
        return actor("push", element);
    }

    private static Actor take() {
        return actor("take");
    }

    private static Actor takeIfBottom(int expected) {
        return actor("takeIfBottom", expected);
    }

    private static Actor steal() {
        return actor("steal");
    }

    private static Actor actor(String operation, int... arguments) {
        for (Method method : DequeOperations.class.getMethods()) {
            if (method.getName().equals(operation) && method.getParameterCount() == arguments.length) {
                return new Actor(method, Arrays.stream(arguments).boxed().collect(Collectors.toList()));
            }
        }
        throw new IllegalArgumentException("no operation " + operation + " with " + arguments.length + " arguments");
    }

    // Sizes, measured on 2 cores shared with other builds: the three default tests take 11 to 41 s
    // (the first also pays Lincheck's start-up); the -Pstress long forms 204 s (model checking,
    // 27,000 invocations) and 47 s (stress, 500,000 invocations).
    private static final int DEFAULT_ITERATIONS = 5;
    private static final int DEFAULT_MODEL_CHECKING_INVOCATIONS = 50;
    private static final int DEFAULT_STRESS_ITERATIONS = 10;
    private static final int DEFAULT_STRESS_INVOCATIONS = 1_000;
    private static final int LONG_ITERATIONS = 50;
    private static final int LONG_MODEL_CHECKING_INVOCATIONS = 500;
    private static final int LONG_STRESS_INVOCATIONS = 10_000;

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void modelChecking_dequeIsLinearizable_withAbortingSteals() {
        LinChecker.check(OnWorkStealingDeque.class,
                modelChecking(DEFAULT_ITERATIONS, DEFAULT_MODEL_CHECKING_INVOCATIONS));
    }

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void stressMode_dequeIsLinearizable_withAbortingSteals() {
        LinChecker.check(OnWorkStealingDeque.class, stress(DEFAULT_STRESS_ITERATIONS, DEFAULT_STRESS_INVOCATIONS));
    }

    /** The same check as the default model checking, on the broken copy: it must report wrong results. */
    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void modelChecking_catchesATakeThatDoesNotRaceForTheLastElement() {
        LincheckAssertionError error = assertThrows(LincheckAssertionError.class,
                () -> LinChecker.check(OnUncontestedLastTakeDeque.class,
                        modelChecking(DEFAULT_ITERATIONS, DEFAULT_MODEL_CHECKING_INVOCATIONS)
                                .minimizeFailedScenario(false)));
        assertInstanceOf(IncorrectResultsFailure.class, error.getFailure(), error::getMessage);
    }

    @Test
    @Tag("stress")
    @Timeout(value = 30, unit = TimeUnit.MINUTES)
    void stress_modelChecking_dequeIsLinearizable_withAbortingSteals_longForm() {
        LinChecker.check(OnWorkStealingDeque.class, modelChecking(LONG_ITERATIONS, LONG_MODEL_CHECKING_INVOCATIONS));
    }

    @Test
    @Tag("stress")
    @Timeout(value = 30, unit = TimeUnit.MINUTES)
    void stress_stressMode_dequeIsLinearizable_withAbortingSteals_longForm() {
        LinChecker.check(OnWorkStealingDeque.class, stress(LONG_ITERATIONS, LONG_STRESS_INVOCATIONS));
    }
}
