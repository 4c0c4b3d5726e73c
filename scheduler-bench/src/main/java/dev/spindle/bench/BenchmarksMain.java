package dev.spindle.bench;

import dev.spindle.bench.demo.Demo;

/**
 * The main class of {@code benchmarks.jar}: {@code demo} as the first argument runs the
 * composability demo ({@link Demo}) with the remaining arguments; {@code host-budget} runs JVMs
 * with and without a shared host budget ({@code HostBudgetTrial}); anything else goes to JMH's own
 * main, unchanged, so every JMH command line works on this jar as before.
 */
public final class BenchmarksMain {

    private BenchmarksMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("demo")) {
            String[] rest = new String[args.length - 1];
            System.arraycopy(args, 1, rest, 0, rest.length);
            System.exit(Demo.run(rest, System.out, System.err));
        }
        if (args.length > 0 && args[0].equals("host-budget")) {
            String[] rest = new String[args.length - 1];
            System.arraycopy(args, 1, rest, 0, rest.length);
            System.exit(dev.spindle.bench.core.HostBudgetTrial.run(rest, System.out));
        }
        org.openjdk.jmh.Main.main(args);
    }
}
