package dev.spindle.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.core.testing.BoundedWait;
import dev.spindle.core.testing.SchedulerHygiene;
import dev.spindle.core.testing.ThreadStacks;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * R16 of docs/design/reliability.md: a task that a worker runs while it helps inside another
 * task's join is a task of its own. It never inherits the joiner's interrupt status, its
 * {@link TaskGroup} (so the joiner's group cannot cancel it) or its isolation region, and the
 * joiner gets its own state back when the helped task returns.
 *
 * <p>Every case forces the helping on two workers: the other worker is busy with a slow task
 * (spinning, not blocked) that the joiner waits for, so the only thread that can run the tasks
 * queued meanwhile is the joiner's. Each case checks that this really happened (a precondition
 * failure says so) before it checks the leak.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class HelpingLeakTest {

    @RegisterExtension
    final SchedulerHygiene hygiene = new SchedulerHygiene();

    private static final int HELPED_TASKS = 20;
    private static final long WAIT_MILLIS = 10_000;

    /** A task that spins on its worker until released, so that worker cannot help anyone. */
    private static final class Slow {
        final AtomicBoolean release = new AtomicBoolean();
        final AtomicReference<Thread> thread = new AtomicReference<>();

        Void run() {
            thread.set(Thread.currentThread());
            BoundedWait.until(release::get, 3 * WAIT_MILLIS);
            return null;
        }

        boolean awaitStarted() {
            return BoundedWait.until(() -> thread.get() != null, WAIT_MILLIS);
        }
    }

    private static void precondition(boolean holds, String what) {
        assertTrue(holds, () -> "test setup did not force helping: " + what + "; threads:\n" + ThreadStacks.of(""));
    }

    // ------------------------------------------------------------------ (a) interrupt

    /** What the joiner waits in. */
    enum JoinVia {
        /** {@code Task.join()} on a task submitted from outside. */
        TASK_JOIN,
        /** {@code TaskGroup.close()} on a group whose member runs on the other worker. */
        GROUP_CLOSE
    }

    @ParameterizedTest(name = "joiner waits in {0}")
    @EnumSource(JoinVia.class)
    void aTaskRunInsideAnInterruptedJoinersWait_startsWithoutTheInterrupt_andTheJoinerStillHasItAfterwards(
            JoinVia via) throws Exception {
        Scheduler scheduler = hygiene.newScheduler(2);
        Slow slow = new Slow();
        AtomicReference<Thread> joinerThread = new AtomicReference<>();
        AtomicBoolean joining = new AtomicBoolean();
        try {
            Task<Void> slowTask = null;
            if (via == JoinVia.TASK_JOIN) {
                slowTask = scheduler.submit(slow::run);
                precondition(slow.awaitStarted(), "the slow task never started");
            }
            Task<Void> awaited = slowTask;
            Task<Boolean> joiner = scheduler.submit(() -> {
                joinerThread.set(Thread.currentThread());
                if (via == JoinVia.TASK_JOIN) {
                    Thread.currentThread().interrupt();
                    joining.set(true);
                    awaited.join();
                } else {
                    try (TaskGroup group = TaskGroup.open(scheduler)) {
                        group.spawn(slow::run);          // stolen by the idle other worker
                        slow.awaitStarted();
                        Thread.currentThread().interrupt();
                        joining.set(true);
                    }                                    // close() waits for the member: helps
                }
                return Thread.interrupted();             // still set after the wait? (cleared here)
            });
            precondition(BoundedWait.until(joining::get, WAIT_MILLIS), "the joiner never reached its wait");

            AtomicInteger sawInterrupt = new AtomicInteger();
            AtomicInteger done = new AtomicInteger();
            Set<Thread> ranOn = ConcurrentHashMap.newKeySet();
            List<Task<Void>> helped = new ArrayList<>();
            for (int i = 0; i < HELPED_TASKS; i++) {
                helped.add(scheduler.submit(() -> {
                    if (Thread.currentThread().isInterrupted()) {
                        sawInterrupt.incrementAndGet();
                    }
                    ranOn.add(Thread.currentThread());
                    done.incrementAndGet();
                    return null;
                }));
            }
            boolean ranWhileJoining = BoundedWait.until(() -> done.get() == HELPED_TASKS, WAIT_MILLIS);
            slow.release.set(true);
            boolean interruptedAfterJoin = BoundedWait.call(joiner::get, WAIT_MILLIS, scheduler.name());
            for (Task<Void> task : helped) {
                BoundedWait.call(task::get, WAIT_MILLIS, scheduler.name());
            }

            precondition(ranWhileJoining, "only " + done.get() + " of " + HELPED_TASKS
                    + " queued tasks ran while the joiner waited");
            assertNotSame(joinerThread.get(), slow.thread.get(), "test setup: the slow task ran on the joiner's thread");
            assertEquals(Set.of(joinerThread.get()), ranOn, "test setup: the queued tasks must run inside the join");
            assertEquals(0, sawInterrupt.get(), () -> sawInterrupt.get() + " of " + HELPED_TASKS
                    + " tasks run inside the joiner's " + via + " started with the joiner's interrupt status set");
            assertTrue(interruptedAfterJoin, () -> "the joiner's interrupt status was lost across its " + via
                    + " (join keeps it: reliability.md behaviour 3)");
        } finally {
            slow.release.set(true);
        }
    }

    // ------------------------------------------------------------------ (b) task group

    /** When the member's group is cancelled, relative to the helped task opening its own group. */
    enum CancelWhen { BEFORE_THE_HELPED_TASK_OPENS_ITS_GROUP, AFTER_IT_OPENED_ITS_GROUP }

    @ParameterizedTest(name = "member's group cancelled {0}")
    @EnumSource(CancelWhen.class)
    void aGroupOpenedByATaskRunInsideAMembersJoin_isNotTheMembersChild_soCancellingTheMembersGroupLeavesItWhole(
            CancelWhen when) throws Exception {
        Scheduler scheduler = hygiene.newScheduler(2);
        Slow slow = new Slow();
        AtomicReference<Thread> memberThread = new AtomicReference<>();
        AtomicReference<Thread> helpedThread = new AtomicReference<>();
        AtomicBoolean memberJoining = new AtomicBoolean();
        AtomicBoolean innerOpened = new AtomicBoolean();
        AtomicBoolean outerCancelled = new AtomicBoolean();
        AtomicInteger innerRan = new AtomicInteger();
        AtomicReference<Boolean> innerCancelled = new AtomicReference<>();
        int half = 50;
        try {
            Task<Void> slowTask = scheduler.submit(slow::run);
            precondition(slow.awaitStarted(), "the slow task never started");
            TaskGroup outer = TaskGroup.open(scheduler);
            outer.spawn(() -> {
                memberThread.set(Thread.currentThread());
                memberJoining.set(true);
                slowTask.join();                         // helps: runs the task submitted below
            });
            precondition(BoundedWait.until(memberJoining::get, WAIT_MILLIS), "the member never started");
            if (when == CancelWhen.BEFORE_THE_HELPED_TASK_OPENS_ITS_GROUP) {
                outer.cancel();
                outerCancelled.set(true);
            }

            Task<Void> helped = scheduler.submit(() -> {
                helpedThread.set(Thread.currentThread());
                try (TaskGroup inner = TaskGroup.open(scheduler)) {
                    for (int i = 0; i < half; i++) {
                        inner.spawn(innerRan::incrementAndGet);
                    }
                    innerOpened.set(true);
                    BoundedWait.until(outerCancelled::get, WAIT_MILLIS);
                    for (int i = 0; i < half; i++) {
                        inner.spawn(innerRan::incrementAndGet);
                    }
                    innerCancelled.set(inner.isCancelled());
                }
                return null;
            });
            precondition(BoundedWait.until(innerOpened::get, WAIT_MILLIS), "the helped task never opened its group");
            if (when == CancelWhen.AFTER_IT_OPENED_ITS_GROUP) {
                outer.cancel();
                outerCancelled.set(true);
            }
            BoundedWait.call(helped::get, WAIT_MILLIS, scheduler.name());
            slow.release.set(true);
            BoundedWait.call(() -> {
                outer.close();
                return null;
            }, WAIT_MILLIS, scheduler.name());

            assertNotSame(memberThread.get(), slow.thread.get(), "test setup: the slow task ran on the member's thread");
            assertSame(memberThread.get(), helpedThread.get(),
                    "test setup: the helped task must run inside the member's join, on its thread");
            assertFalse(innerCancelled.get(), "the group opened by a task run inside a member's join was cancelled"
                    + " with the member's group: it was made that group's child");
            assertEquals(2 * half, innerRan.get(), "members of the helped task's own group that ran");
        } finally {
            slow.release.set(true);
        }
    }

    // ------------------------------------------------------------------ (c) isolation region

    /**
     * IsolationTest covers a worker waiting inside an isolated region (it runs only the region's
     * tasks) and the region's end after its body throws. Missing there: a task that does not
     * belong to the region but is run by a join inside it is not isolated itself, and helped
     * tasks that open and leave regions of their own give the joiner its region back.
     */
    @Test
    void aTaskForkedBeforeAnIsolatedRegion_runByAJoinInsideIt_isNotIsolated_soItsOwnJoinHelpsWithUnrelatedTasks()
            throws Exception {
        Scheduler scheduler = hygiene.newScheduler(2);
        Slow slow = new Slow();
        AtomicReference<Thread> forkedThread = new AtomicReference<>();
        AtomicBoolean forkedWaiting = new AtomicBoolean();
        AtomicInteger ranInsideItsJoin = new AtomicInteger();
        try {
            Task<Void> slowTask = scheduler.submit(slow::run);
            precondition(slow.awaitStarted(), "the slow task never started");
            Task<String> outer = scheduler.submit(() -> {
                Task<String> forked = scheduler.fork(() -> {   // no region: forked outside isolate
                    forkedThread.set(Thread.currentThread());
                    forkedWaiting.set(true);
                    slowTask.join();
                    forkedWaiting.set(false);
                    return "forked";
                });
                return scheduler.isolate(() -> forked.join());  // still on this deque: run inline
            });
            precondition(BoundedWait.until(forkedWaiting::get, WAIT_MILLIS), "the forked task never reached its join");

            List<Task<Void>> unrelated = new ArrayList<>();
            for (int i = 0; i < HELPED_TASKS; i++) {
                unrelated.add(scheduler.submit(() -> {
                    if (Thread.currentThread() == forkedThread.get() && forkedWaiting.get()) {
                        ranInsideItsJoin.incrementAndGet();
                    }
                    return null;
                }));
            }
            boolean helped = BoundedWait.until(() -> ranInsideItsJoin.get() == HELPED_TASKS, WAIT_MILLIS);
            slow.release.set(true);
            assertEquals("forked", BoundedWait.call(outer::get, WAIT_MILLIS, scheduler.name()));
            for (Task<Void> task : unrelated) {
                BoundedWait.call(task::get, WAIT_MILLIS, scheduler.name());
            }

            assertNotSame(forkedThread.get(), slow.thread.get(), "test setup: the slow task ran on the forked task's thread");
            assertTrue(helped, () -> "only " + ranInsideItsJoin.get() + " of " + HELPED_TASKS + " unrelated tasks"
                    + " ran inside the join of a task that belongs to no region, while it was the only free thread:"
                    + " it inherited the isolation of the join that ran it inline");
        } finally {
            slow.release.set(true);
        }
    }

    @Test
    void afterHelpingWithTasksThatIsolateAndThrow_aJoinerInsideAnIsolatedRegionIsStillIsolated() throws Exception {
        Scheduler scheduler = hygiene.newScheduler(2);
        Slow slow = new Slow();
        AtomicReference<Thread> joinerThread = new AtomicReference<>();
        AtomicBoolean joinerWaiting = new AtomicBoolean();
        AtomicInteger helpersDone = new AtomicInteger();
        AtomicInteger helpersOnJoiner = new AtomicInteger();
        AtomicInteger unrelatedInsideTheWait = new AtomicInteger();
        int helpers = 10;
        try {
            Task<Object> outer = scheduler.submit(() -> scheduler.isolate(() -> {
                joinerThread.set(Thread.currentThread());
                Task<Void> slowInRegion = scheduler.fork(slow::run);   // stolen by the idle other worker
                slow.awaitStarted();
                for (int i = 0; i < helpers; i++) {
                    scheduler.fork(() -> {               // the region's own tasks: the joiner runs them
                        if (Thread.currentThread() == joinerThread.get()) {
                            helpersOnJoiner.incrementAndGet();
                        }
                        try {
                            scheduler.isolate(() -> {
                                scheduler.fork(() -> 1).join();
                                throw new IllegalStateException("the isolated body of a helped task fails");
                            });
                        } catch (IllegalStateException expected) {
                            // its region must end here, and the joiner's come back
                        }
                        helpersDone.incrementAndGet();
                        return null;
                    });
                }
                joinerWaiting.set(true);
                try {
                    slowInRegion.join();
                } finally {
                    joinerWaiting.set(false);
                }
                return null;
            }));
            precondition(BoundedWait.until(() -> helpersDone.get() == helpers, WAIT_MILLIS),
                    "the joiner did not run the region's tasks while it waited");

            List<Task<Void>> unrelated = new ArrayList<>();
            for (int i = 0; i < HELPED_TASKS; i++) {
                unrelated.add(scheduler.submit(() -> {
                    if (Thread.currentThread() == joinerThread.get() && joinerWaiting.get()) {
                        unrelatedInsideTheWait.incrementAndGet();
                    }
                    return null;
                }));
            }
            Thread.sleep(300);                           // ample time for the joiner to take them, if it would
            int leaked = unrelatedInsideTheWait.get();
            slow.release.set(true);
            BoundedWait.call(outer::get, WAIT_MILLIS, scheduler.name());
            for (Task<Void> task : unrelated) {
                BoundedWait.call(task::get, WAIT_MILLIS, scheduler.name());
            }

            assertNotSame(joinerThread.get(), slow.thread.get(), "test setup: the slow task ran on the joiner's thread");
            assertEquals(helpers, helpersOnJoiner.get(), "test setup: the region's tasks must run inside the join");
            assertEquals(0, leaked, () -> leaked + " unrelated tasks ran inside an isolated join after the tasks it"
                    + " helped with had opened and left isolated regions of their own: the joiner's region was not restored");
        } finally {
            slow.release.set(true);
        }
    }
}
