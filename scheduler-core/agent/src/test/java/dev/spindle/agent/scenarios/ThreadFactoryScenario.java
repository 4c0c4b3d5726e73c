package dev.spindle.agent.scenarios;

import java.net.URL;
import java.net.URLClassLoader;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Pools made with a ThreadFactory under the agent: a factory that only configures its threads is
 * redirected, and what its threads would give a task (its uncaught-exception handler, its context
 * class loader) the task still gets; a factory that wraps each task (a thread-local set up per
 * thread) keeps its own threads, so the task still finds its thread-local.
 */
public final class ThreadFactoryScenario {

    private static final ThreadLocal<String> PER_THREAD = new ThreadLocal<>();

    public static void main(String[] args) throws Exception {
        AtomicReference<Throwable> handled = new AtomicReference<>();
        CountDownLatch reported = new CountDownLatch(1);
        ClassLoader special = new URLClassLoader(new URL[0], ThreadFactoryScenario.class.getClassLoader());
        ThreadFactory configuring = runnable -> {
            Thread thread = new Thread(runnable, "configured");
            thread.setDaemon(true);
            thread.setContextClassLoader(special);
            thread.setUncaughtExceptionHandler((t, e) -> {
                handled.set(e);
                reported.countDown();
            });
            return thread;
        };
        ExecutorService configured = Executors.newFixedThreadPool(2, configuring);
        Check.that(configured.getClass().getName().contains("Redirected"),
                "a pool whose factory only configures threads is redirected: " + configured);
        ClassLoader seen = configured.submit(() -> Thread.currentThread().getContextClassLoader()).get();
        Check.that(seen == special, "its tasks run with the factory's context class loader");
        configured.execute(() -> {
            throw new IllegalStateException("to the factory's handler");
        });
        Check.that(reported.await(30, TimeUnit.SECONDS)
                && "to the factory's handler".equals(handled.get().getMessage()),
                "an exception from execute reaches the handler the factory set");
        configured.shutdown();

        ThreadFactory wrapping = runnable -> {
            Thread thread = new Thread(() -> {
                PER_THREAD.set("set up by the factory");
                runnable.run();
            }, "wrapped");
            thread.setDaemon(true);
            return thread;
        };
        ExecutorService wrapped = Executors.newFixedThreadPool(2, wrapping);
        Check.that(!wrapped.getClass().getName().contains("Redirected"),
                "a pool whose factory wraps each task keeps its threads: " + wrapped);
        String found = wrapped.submit(PER_THREAD::get).get();
        Check.that("set up by the factory".equals(found), "its tasks find the thread-local the factory set");
        wrapped.shutdown();
        Check.that(configured.awaitTermination(30, TimeUnit.SECONDS) && wrapped.awaitTermination(30, TimeUnit.SECONDS),
                "both pools terminate");
        System.out.println("DONE");
    }
}
