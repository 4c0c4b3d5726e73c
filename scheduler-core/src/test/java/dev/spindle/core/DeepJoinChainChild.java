package dev.spindle.core;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import jdk.jfr.Recording;

/**
 * The main of the child JVMs of {@link DeepJoinChainCompilationStatesTest}: runs the deep join
 * chains of {@link DeepJoinChains} in whatever compilation state the child's JVM flags put their
 * frames in, and exits 0 after printing {@value #PASSED} if every check held, 1 otherwise.
 *
 * <p>Arguments: the warm-up rounds (short chains run first at parallelism 1 and 2, so that the
 * compiler has compiled what the flags let it before the deep chains run; 0 for none), then optionally {@code jfr}: record
 * with {@code dev.spindle.LongTask} enabled, so that helped tasks run through the timed path.
 *
 * <p>Each chain runs at parallelism 1 and 2, on the default worker stack and on the JVM's default
 * stack, and is a few times as deep as that stack's nesting limit, so it meets the limit at depth
 * several times over.
 */
final class DeepJoinChainChild {

    static final String PASSED = "DEEP-JOIN-CHAINS-PASSED";
    private static final int WARM_UP_DEPTH = 100;

    private DeepJoinChainChild() {
    }

    public static void main(String[] args) {
        try {
            int warmUpRounds = Integer.parseInt(args[0]);
            boolean jfr = args.length > 1 && args[1].equals("jfr");
            Recording recording = jfr ? startRecording() : null;
            for (int parallelism = 1; parallelism <= 2; parallelism++) {
                warmUp(parallelism, warmUpRounds);
            }
            for (long stack : new long[] {Scheduler.Builder.DEFAULT_WORKER_STACK_SIZE, 0}) {
                for (int parallelism = 1; parallelism <= 2; parallelism++) {
                    runChains(stack, parallelism);
                }
            }
            if (recording != null) {
                recording.close();
            }
            System.out.println(PASSED);
            System.exit(0);
        } catch (Throwable failure) {
            failure.printStackTrace(System.out);
            System.exit(1);
        }
    }

    private static Recording startRecording() {
        Recording recording = new Recording();
        recording.enable("dev.spindle.LongTask").withThreshold(Duration.ofMillis(20));
        recording.start();
        FlightEvents.refresh();
        if (!FlightEvents.timingTasks) {
            throw new AssertionError("a recording with dev.spindle.LongTask enabled is running, yet tasks are not timed");
        }
        return recording;
    }

    /** Short chains, so that the code of the deep ones is compiled as far as the flags allow. */
    private static void warmUp(int parallelism, int rounds) throws Exception {
        Scheduler scheduler = Scheduler.builder().parallelism(parallelism).name("deep-chain-warm-up-p" + parallelism)
                .build();
        try {
            for (int round = 0; round < rounds; round++) {
                DeepJoinChains.forkChain(scheduler, WARM_UP_DEPTH);
                DeepJoinChains.outsideChain(scheduler, WARM_UP_DEPTH);
            }
        } finally {
            close(scheduler);
        }
    }

    private static void runChains(long stack, int parallelism) throws Exception {
        int limit = NestingLimit.forStackSize(stack);
        String name = "deep-chain-child-p" + parallelism + "-" + (stack == 0 ? "jvm-default" : (stack >> 10) + "k");
        Scheduler scheduler = Scheduler.builder().parallelism(parallelism).workerStackSize(stack).name(name).build();
        try {
            long start = System.nanoTime();
            String fork = DeepJoinChains.forkChain(scheduler, 3 * limit + 7);
            String outside = DeepJoinChains.outsideChain(scheduler, 2 * limit + 7);
            System.out.printf("%s (limit %d): fork chain %s; outside chain %s; %d ms%n", name, limit, fork, outside,
                    (System.nanoTime() - start) / 1_000_000);
        } finally {
            close(scheduler);
        }
    }

    private static void close(Scheduler scheduler) throws InterruptedException {
        scheduler.shutdownNow();
        if (!scheduler.awaitTermination(30, TimeUnit.SECONDS)) {
            throw new AssertionError(scheduler.name() + " did not terminate within 30 s after shutdownNow");
        }
    }
}
