package dev.spindle.agent;

import java.util.Collection;
import java.util.concurrent.ForkJoinTask;
import net.bytebuddy.asm.Advice;

/**
 * Advice woven into {@code java.util.concurrent.ForkJoinTask}: see {@link ForkJoinRedirect}. Only
 * public methods are woven, whose signatures are the same from JDK 17 to 25; the JDK's internals
 * (its queues and wait loops) differ between versions and are left alone. A timed
 * {@code get(timeout)} is not woven: it waits the JDK's way, and the scheduler treats the waiting
 * worker as blocked.
 */
final class ForkJoinTaskAdvice {

    private ForkJoinTaskAdvice() {
    }

    /** {@code fork()}. */
    static final class Fork {
        @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
        static boolean enter(@Advice.This ForkJoinTask<?> self) {
            return ForkJoinRedirect.fork(self);
        }

        @Advice.OnMethodExit
        static void exit(@Advice.Enter boolean forked, @Advice.This ForkJoinTask<?> self,
                @Advice.Return(readOnly = false) ForkJoinTask<?> returned) {
            if (forked) {
                returned = self;
            }
        }
    }

    /** {@code join()}, {@code get()}, {@code quietlyJoin()}: help first, then the JDK finds it done. */
    static final class Await {
        @Advice.OnMethodEnter
        static void enter(@Advice.This ForkJoinTask<?> self) {
            ForkJoinRedirect.awaitDone(self);
        }
    }

    /** {@code invoke()}, {@code quietlyInvoke()}: run here and help, then the JDK finds it done. */
    static final class Invoke {
        @Advice.OnMethodEnter
        static void enter(@Advice.This ForkJoinTask<?> self) {
            ForkJoinRedirect.invoke(self);
        }
    }

    /** {@code invokeAll(ForkJoinTask, ForkJoinTask)}. */
    static final class InvokeTwo {
        @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
        static boolean enter(@Advice.Argument(0) ForkJoinTask<?> first, @Advice.Argument(1) ForkJoinTask<?> second) {
            return ForkJoinRedirect.invokeAll(new ForkJoinTask<?>[] {first, second});
        }
    }

    /** {@code invokeAll(ForkJoinTask...)}. */
    static final class InvokeArray {
        @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
        static boolean enter(@Advice.Argument(0) ForkJoinTask<?>[] tasks) {
            return ForkJoinRedirect.invokeAll(tasks);
        }
    }

    /** {@code invokeAll(Collection)}: returns its argument, as the JDK method does. */
    static final class InvokeCollection {
        @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
        static boolean enter(@Advice.Argument(0) Collection<? extends ForkJoinTask<?>> tasks) {
            return ForkJoinRedirect.invokeAll(tasks);
        }

        @Advice.OnMethodExit
        @SuppressWarnings({"rawtypes", "unchecked"})
        static void exit(@Advice.Enter boolean handled, @Advice.Argument(0) Collection tasks,
                @Advice.Return(readOnly = false) Collection returned) {
            if (handled) {
                returned = tasks;
            }
        }
    }
}
