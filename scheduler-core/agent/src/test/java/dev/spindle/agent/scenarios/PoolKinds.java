package dev.spindle.agent.scenarios;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** Prints the class each Executors factory returns, for the option tests. */
public final class PoolKinds {

    public static void main(String[] args) throws Exception {
        ExecutorService fixed = Executors.newFixedThreadPool(2);
        System.out.println("fixed=" + fixed.getClass().getName());
        System.out.println("ran=" + fixed.submit(() -> Thread.currentThread().getName()).get());
        fixed.shutdown();
        System.out.println("DONE");
    }
}
