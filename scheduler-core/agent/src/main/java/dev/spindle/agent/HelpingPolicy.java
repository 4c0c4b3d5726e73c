package dev.spindle.agent;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;

/**
 * When a wait the agent redirected ({@code CompletableFuture.join/get}, a redirected pool's
 * {@code Future.get}, a fork/join wait) may run other tasks on the waiting thread.
 *
 * <p>Helping runs an unrelated task nested inside the wait. If the waiting code holds a monitor,
 * that task could enter the same {@code synchronized} block (monitors are reentrant) while the
 * waiter is inside it — two critical sections at once on one thread, a silent wrong answer. The
 * JDK's pools never helped inside these waits on their plain threads, so legacy code was never
 * written for it. So a redirected wait helps only if its thread holds no monitor; otherwise it
 * blocks the JDK's way, and the scheduler gives the blocked worker a stand-in.
 *
 * <p>What the check cannot see: a {@code java.util.concurrent.locks} lock held across the wait
 * (listing a thread's ownable synchronizers walks the heap: milliseconds). {@code helping=off}
 * turns helping off for programs that hold such locks while they wait for pool work. The check
 * costs tens of microseconds, paid only by a wait that would otherwise wait.
 */
final class HelpingPolicy {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private HelpingPolicy() {
    }

    /** Whether the calling thread may help while it waits. Call only when about to wait. */
    static boolean mayHelp() {
        AgentOptions options = Redirects.options();
        if (options == null || !options.helping) {
            return false;
        }
        ThreadInfo self = THREADS.getThreadInfo(new long[] {Thread.currentThread().getId()}, true, false)[0];
        return self != null && self.getLockedMonitors().length == 0;
    }
}
