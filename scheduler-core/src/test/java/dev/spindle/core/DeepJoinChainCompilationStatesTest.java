package dev.spindle.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.core.testing.ChildJvm;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * R13 of docs/design/reliability.md in every compilation state of the chain's frames: the deep join
 * chains of {@link DeepJoinChains} end with every task done and every failure saying why (never a
 * bare {@link StackOverflowError}), however big the JIT makes a level's frames. The nesting limit
 * is a frame-size budget ({@code NestingLimit}), so it is checked in the state with the largest
 * frames as well as the usual ones: C1 code with some of the level's methods left interpreted (the
 * worst measured, {@code docs/design/join.md}, "Nesting limit"), C1 alone, the interpreter, and with
 * a recording that times helped tasks. Each state runs in a child JVM ({@link DeepJoinChainChild}),
 * killed with a thread dump if it outlives its timeout. {@code -Pstress} adds C2, {@code -Xcomp} and
 * unwarmed tiered compilation, and runs every state on each installed JDK, three times.
 */
class DeepJoinChainCompilationStatesTest {

    private static final long CHILD_TIMEOUT_SECONDS = 150;

    /** A compilation state: the child's JVM flags, its warm-up rounds, and whether it records with JFR. */
    enum State {
        /**
         * C1 code, except that the methods whose interpreted frames are larger than their C1 frames
         * stay interpreted: each method at its larger frame, the worst case measured.
         */
        C1_WITH_LARGEST_FRAMES_INTERPRETED(40, false, c1(interpreted("dev.spindle.core.DeepJoinChains::lambda*",
                "dev.spindle.core.Task::join", "dev.spindle.core.Task::awaitUninterruptibly",
                "dev.spindle.core.Task::run"))),
        /**
         * The worst state on a JVM whose default thread stack is 512 KiB ({@code -Xss512k}): the
         * chains on a scheduler left at the JVM's default stack must meet a limit sized for that
         * stack, not for the usual 1 MiB.
         */
        C1_WITH_LARGEST_FRAMES_INTERPRETED_SMALL_DEFAULT_STACK(40, false,
                withFirst("-Xss512k", C1_WITH_LARGEST_FRAMES_INTERPRETED.flags)),
        /** The same, with helped tasks run through the timed path of a JFR recording. */
        C1_WITH_LARGEST_FRAMES_INTERPRETED_RECORDING(40, true, C1_WITH_LARGEST_FRAMES_INTERPRETED.flags),
        /** Everything C1-compiled before the deep chains start. */
        C1(40, false, c1(List.of())),
        INTERPRETED(0, false, List.of("-Xint")),
        /** Everything C2-compiled before the deep chains start (stress). */
        C2(40, false, List.of("-XX:-TieredCompilation", "-XX:-BackgroundCompilation")),
        /** Every method compiled before its first call (stress). */
        XCOMP(0, false, List.of("-Xcomp")),
        /** The default tiered compilation, starting cold: states change while the chains run (stress). */
        TIERED_COLD(0, false, List.of()),
        TIERED_COLD_RECORDING(0, true, List.of());

        final int warmUpRounds;
        final boolean recording;
        final List<String> flags;

        State(int warmUpRounds, boolean recording, List<String> flags) {
            this.warmUpRounds = warmUpRounds;
            this.recording = recording;
            this.flags = flags;
        }

        private static List<String> withFirst(String flag, List<String> flags) {
            List<String> all = new ArrayList<>(List.of(flag));
            all.addAll(flags);
            return all;
        }

        /** C1 only; compilations finish before the call that asked for them goes on (no background compiler). */
        private static List<String> c1(List<String> more) {
            List<String> flags = new ArrayList<>(List.of("-XX:TieredStopAtLevel=1", "-XX:-BackgroundCompilation"));
            flags.addAll(more);
            return flags;
        }

        /** Keeps {@code methods} interpreted: never compiled, never inlined into a compiled caller. */
        private static List<String> interpreted(String... methods) {
            List<String> flags = new ArrayList<>(List.of("-XX:CompileCommand=quiet"));
            for (String method : methods) {
                flags.add("-XX:CompileCommand=exclude," + method);
                flags.add("-XX:CompileCommand=dontinline," + method);
            }
            return flags;
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = State.class, names = {"C1_WITH_LARGEST_FRAMES_INTERPRETED",
            "C1_WITH_LARGEST_FRAMES_INTERPRETED_SMALL_DEFAULT_STACK",
            "C1_WITH_LARGEST_FRAMES_INTERPRETED_RECORDING", "C1", "INTERPRETED"})
    @Timeout(value = CHILD_TIMEOUT_SECONDS + 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void deepJoinChains_inThisCompilationState_endDone_failuresSayWhy_neverABareStackOverflow(State state)
            throws Exception {
        runChild(System.getProperty("java.home"), state);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(State.class)
    @Tag("stress")
    @Timeout(value = 60, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void stress_deepJoinChains_inEveryCompilationState_onEachJdk_threeTimes(State state) throws Exception {
        for (String javaHome : ChildJvm.javaHomes()) {
            for (int round = 0; round < 3; round++) {
                runChild(javaHome, state);
            }
        }
    }

    private static void runChild(String javaHome, State state) throws Exception {
        List<String> command = new ArrayList<>(List.of(ChildJvm.java(javaHome)));
        command.addAll(state.flags);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), DeepJoinChainChild.class.getName(),
                Integer.toString(state.warmUpRounds)));
        if (state.recording) {
            command.add("jfr");
        }
        ChildJvm.Result result = ChildJvm.run(command, Map.of(), CHILD_TIMEOUT_SECONDS);
        System.out.println(state + " on " + javaHome + ": " + result);
        assertFalse(result.timedOut(), result::toString);
        assertEquals(0, result.exitCode(), result::toString);
        assertTrue(result.output().contains(DeepJoinChainChild.PASSED), result::toString);
    }
}
