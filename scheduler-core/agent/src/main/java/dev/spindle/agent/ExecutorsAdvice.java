package dev.spindle.agent;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadFactory;
import net.bytebuddy.asm.Advice;

/**
 * Advice woven into {@code java.util.concurrent.Executors}' factories: each asks {@link Redirects}
 * for a Spindle-backed pool and returns it instead of running the JDK method; a null answer lets the
 * JDK method run. The code of these methods is copied into the JDK's, so it may only name public
 * types the bootstrap class loader sees.
 */
final class ExecutorsAdvice {

    private ExecutorsAdvice() {
    }

    /** {@code newFixedThreadPool(int[, ThreadFactory])}. */
    static final class FixedThreadPool {
        @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
        static ExecutorService enter(@Advice.AllArguments Object[] arguments) {
            return Redirects.fixedThreadPool((Integer) arguments[0],
                    arguments.length > 1 ? (ThreadFactory) arguments[1] : null);
        }

        @Advice.OnMethodExit
        static void exit(@Advice.Enter ExecutorService redirected,
                @Advice.Return(readOnly = false) ExecutorService returned) {
            if (redirected != null) {
                returned = redirected;
            }
        }
    }

    /** {@code newCachedThreadPool([ThreadFactory])}. */
    static final class CachedThreadPool {
        @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
        static ExecutorService enter(@Advice.AllArguments Object[] arguments) {
            return Redirects.cachedThreadPool(arguments.length > 0 ? (ThreadFactory) arguments[0] : null);
        }

        @Advice.OnMethodExit
        static void exit(@Advice.Enter ExecutorService redirected,
                @Advice.Return(readOnly = false) ExecutorService returned) {
            if (redirected != null) {
                returned = redirected;
            }
        }
    }

    /** {@code newSingleThreadExecutor([ThreadFactory])}. */
    static final class SingleThreadExecutor {
        @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
        static ExecutorService enter(@Advice.AllArguments Object[] arguments) {
            return Redirects.singleThreadExecutor(arguments.length > 0 ? (ThreadFactory) arguments[0] : null);
        }

        @Advice.OnMethodExit
        static void exit(@Advice.Enter ExecutorService redirected,
                @Advice.Return(readOnly = false) ExecutorService returned) {
            if (redirected != null) {
                returned = redirected;
            }
        }
    }

    /** {@code newWorkStealingPool([int])}. */
    static final class WorkStealingPool {
        @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
        static ExecutorService enter(@Advice.AllArguments Object[] arguments) {
            return arguments.length > 0 ? Redirects.workStealingPool((Integer) arguments[0])
                    : Redirects.workStealingPool();
        }

        @Advice.OnMethodExit
        static void exit(@Advice.Enter ExecutorService redirected,
                @Advice.Return(readOnly = false) ExecutorService returned) {
            if (redirected != null) {
                returned = redirected;
            }
        }
    }
}
