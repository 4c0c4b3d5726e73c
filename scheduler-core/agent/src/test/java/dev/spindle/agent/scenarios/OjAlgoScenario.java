package dev.spindle.agent.scenarios;

import org.ojalgo.OjAlgoUtils;

/** Prints ojAlgo's thread count as the program sees it, for the library-limit tests. */
public final class OjAlgoScenario {

    public static void main(String[] args) {
        System.out.println("ojalgo.threads=" + OjAlgoUtils.ENVIRONMENT.threads);
        System.out.println("DONE");
    }
}
