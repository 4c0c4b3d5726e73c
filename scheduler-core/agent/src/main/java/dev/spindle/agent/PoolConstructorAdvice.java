package dev.spindle.agent;

import net.bytebuddy.asm.Advice;

/**
 * Advice woven into the constructors of {@code ThreadPoolExecutor} and {@code ForkJoinPool}: a pool
 * constructed directly keeps its threads (its class is the caller's contract: it may be subclassed,
 * configured, its threads named), so the agent only reports it.
 */
final class PoolConstructorAdvice {

    private PoolConstructorAdvice() {
    }

    @Advice.OnMethodExit
    static void exit(@Advice.This Object pool) {
        Redirects.constructed(pool);
    }
}
