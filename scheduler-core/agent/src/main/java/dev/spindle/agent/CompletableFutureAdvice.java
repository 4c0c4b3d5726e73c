package dev.spindle.agent;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import net.bytebuddy.asm.Advice;

/**
 * Advice woven into {@code java.util.concurrent.CompletableFuture}: async stages without an
 * executor run on Spindle. {@code defaultExecutor()} covers the instance methods
 * ({@code thenApplyAsync(fn)}, {@code completeAsync(supplier)}, ...); the two static factories read
 * the JDK's pool directly, so they are redirected one by one. A subclass that overrides
 * {@code defaultExecutor()} keeps its own choice.
 */
final class CompletableFutureAdvice {

    private CompletableFutureAdvice() {
    }

    /** {@code defaultExecutor()}. */
    static final class DefaultExecutor {
        @Advice.OnMethodExit
        static void exit(@Advice.Return(readOnly = false) Executor returned) {
            returned = Redirects.completableFutureExecutor(returned);
        }
    }

    /** {@code supplyAsync(Supplier)}. */
    static final class SupplyAsync {
        @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
        static CompletableFuture<?> enter(@Advice.Argument(0) Supplier<?> supplier) {
            return Redirects.supplyAsync(supplier);
        }

        @Advice.OnMethodExit
        static void exit(@Advice.Enter CompletableFuture<?> redirected,
                @Advice.Return(readOnly = false) CompletableFuture<?> returned) {
            if (redirected != null) {
                returned = redirected;
            }
        }
    }

    /** {@code runAsync(Runnable)}. */
    static final class RunAsync {
        @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
        static CompletableFuture<?> enter(@Advice.Argument(0) Runnable runnable) {
            return Redirects.runAsync(runnable);
        }

        @Advice.OnMethodExit
        static void exit(@Advice.Enter CompletableFuture<?> redirected,
                @Advice.Return(readOnly = false) CompletableFuture<?> returned) {
            if (redirected != null) {
                returned = redirected;
            }
        }
    }

    /** {@code join()} and {@code get()}: on a Spindle worker, wait helping; then the JDK finds it done. */
    static final class Await {
        @Advice.OnMethodEnter
        static void enter(@Advice.This CompletableFuture<?> self) {
            Redirects.awaitCompletableFuture(self);
        }
    }
}
