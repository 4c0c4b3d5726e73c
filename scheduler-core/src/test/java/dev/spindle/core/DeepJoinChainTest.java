package dev.spindle.core;

import dev.spindle.core.testing.SchedulerHygiene;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * R13 of docs/design/reliability.md: helping depth. A join that helps runs other tasks on the
 * joiner's stack, so a long chain of joins can nest as deep as the chain. Whatever the engine
 * does about it (bound the depth, block instead of helping, or fail), afterwards every task has
 * ended in one of its three states (normal, exceptional, cancelled; none pending), a failure says
 * why (never a bare {@link StackOverflowError} without a message), and the pool still runs work.
 *
 * <p>The default build runs {@value #DEFAULT_OUTSIDE_CHAIN} outside-submitted tasks and a
 * {@value #DEFAULT_FORK_CHAIN}-deep fork chain; {@code -Pstress} adds the full sizes,
 * {@value #STRESS_OUTSIDE_CHAIN} and {@value #STRESS_FORK_CHAIN}. The chains and their checks are
 * {@link DeepJoinChains}; {@link DeepJoinChainCompilationStatesTest} runs them with the frames in
 * each compilation state, the largest included.
 */
@Timeout(value = 90, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class DeepJoinChainTest {

    @RegisterExtension
    final SchedulerHygiene hygiene = new SchedulerHygiene();

    private static final int DEFAULT_OUTSIDE_CHAIN = 50_000;
    private static final int STRESS_OUTSIDE_CHAIN = 200_000;
    private static final int DEFAULT_FORK_CHAIN = 200_000;
    private static final int STRESS_FORK_CHAIN = 1_000_000;

    // ------------------------------------------------------------------ (a) outside-submitted chain

    @ParameterizedTest(name = "parallelism {0}")
    @ValueSource(ints = {1, 2})
    void outsideSubmittedTasks_eachJoiningTheNext_allEndDone_aFailureSaysWhy_andThePoolStillRuns(int parallelism)
            throws Exception {
        System.out.println(DeepJoinChains.outsideChain(hygiene.newScheduler(parallelism), DEFAULT_OUTSIDE_CHAIN));
    }

    @ParameterizedTest(name = "parallelism {0}")
    @ValueSource(ints = {1, 2})
    @Tag("stress")
    @Timeout(value = 10, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void stress_200kOutsideSubmittedTasks_eachJoiningTheNext_allEndDone_aFailureSaysWhy_andThePoolStillRuns(
            int parallelism) throws Exception {
        System.out.println(DeepJoinChains.outsideChain(hygiene.newScheduler(parallelism), STRESS_OUTSIDE_CHAIN));
    }

    // ------------------------------------------------------------------ (b) fork chain

    @ParameterizedTest(name = "parallelism {0}")
    @ValueSource(ints = {1, 2})
    void forkChain_eachForkingAndJoiningTheNext_completesOrSaysWhy_leavesNoTaskPending_andThePoolStillRuns(
            int parallelism) throws Exception {
        System.out.println(DeepJoinChains.forkChain(hygiene.newScheduler(parallelism), DEFAULT_FORK_CHAIN));
    }

    @ParameterizedTest(name = "parallelism {0}")
    @ValueSource(ints = {1, 2})
    @Tag("stress")
    @Timeout(value = 10, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void stress_millionDeepForkChain_completesOrSaysWhy_leavesNoTaskPending_andThePoolStillRuns(int parallelism)
            throws Exception {
        System.out.println(DeepJoinChains.forkChain(hygiene.newScheduler(parallelism), STRESS_FORK_CHAIN));
    }
}
