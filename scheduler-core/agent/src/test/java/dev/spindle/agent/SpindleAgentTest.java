package dev.spindle.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.agent.scenarios.CompletableFutureScenario;
import dev.spindle.agent.scenarios.ExecutorsScenario;
import dev.spindle.agent.scenarios.ForkJoinScenario;
import dev.spindle.agent.scenarios.LegacyJob;
import dev.spindle.agent.scenarios.LibraryKnobsScenario;
import dev.spindle.agent.scenarios.LockedWaitScenario;
import dev.spindle.agent.scenarios.OjAlgoScenario;
import dev.spindle.agent.scenarios.PoolKinds;
import dev.spindle.agent.scenarios.StarvedPoolScenario;
import dev.spindle.agent.scenarios.ThreadFactoryScenario;
import dev.spindle.core.testing.ChildJvm;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The agent on unchanged programs, each in a child JVM started with {@code -javaagent} on every JDK
 * at hand (this one and Temurin 25): each scenario checks its own results and exits non-zero on
 * the first failed check; a child that hangs is dumped and killed ({@link AgentJvm}).
 */
class SpindleAgentTest {

    private static final List<String> NO_OPTIONS = List.of();

    private static ChildJvm.Result runScenario(String javaHome, String agentOptions, Class<?> scenario,
            String... args) throws Exception {
        return runScenario(javaHome, agentOptions, NO_OPTIONS, scenario, args);
    }

    /** Runs {@code scenario} in a child JVM and checks that it ended well (exit 0, "DONE" printed). */
    private static ChildJvm.Result runScenario(String javaHome, String agentOptions, List<String> jvmOptions,
            Class<?> scenario, String... args) throws Exception {
        ChildJvm.Result result = AgentJvm.run(javaHome, agentOptions, jvmOptions, scenario, args);
        assertEquals(0, result.exitCode(), result.toString());
        assertTrue(result.output().contains("DONE"), result.toString());
        return result;
    }

    @Test
    void executorsFactoriesRunOnSpindleKeepTheirContractAndStartNoThread() throws Exception {
        for (String home : ChildJvm.javaHomes()) {
            runScenario(home, "", ExecutorsScenario.class);
        }
    }

    @Test
    void aThreadFactoryThatOnlyConfiguresThreadsIsHonoured_oneThatWrapsTasksKeepsItsPool() throws Exception {
        for (String home : ChildJvm.javaHomes()) {
            ChildJvm.Result result = runScenario(home, "report", ThreadFactoryScenario.class);
            assertTrue(result.output().contains("wraps each task"), result.toString());
        }
    }

    @Test
    void aWaitInsideASynchronizedBlockDoesNotRunAnotherTaskOnItsThread() throws Exception {
        for (String home : ChildJvm.javaHomes()) {
            runScenario(home, "", List.of("-Dspindle.parallelism=1"), LockedWaitScenario.class);
        }
    }

    @Test
    void completableFutureStagesRunOnSpindleAndWaitsForThemHelp() throws Exception {
        for (String home : ChildJvm.javaHomes()) {
            runScenario(home, "", CompletableFutureScenario.class);
        }
    }

    @Test
    void forkJoinTasksStreamsAndParallelSortRunOnSpindleWithoutTheCommonPool() throws Exception {
        for (String home : ChildJvm.javaHomes()) {
            runScenario(home, "", ForkJoinScenario.class);
        }
    }

    @Test
    void tasksThatWaitForEachOtherBeyondTheSpareCap_getThreadsOfTheirOwn_asOnTheJdkPools() throws Exception {
        for (String home : ChildJvm.javaHomes()) {
            ChildJvm.Result result = runScenario(home, "report", List.of("-Dspindle.maxSpareWorkers=2"),
                    StarvedPoolScenario.class);
            assertTrue(result.output().contains("task started on a thread of its own"), result.toString());
        }
    }

    @Test
    void theLegacyJobGivesTheSameResultWithAndWithoutTheAgent() throws Exception {
        for (String home : ChildJvm.javaHomes()) {
            String plain = checksum(runScenario(home, null, LegacyJob.class, "4", "3"));
            String agent = checksum(runScenario(home, "", LegacyJob.class, "4", "3"));
            assertEquals(plain, agent, "the job's checksum with and without the agent on " + home);
        }
    }

    private static String checksum(ChildJvm.Result result) {
        Matcher m = Pattern.compile("checksum=(\\S+)").matcher(result.output());
        assertTrue(m.find(), result.toString());
        return m.group(1);
    }

    @Test
    void eachRedirectionCanBeSwitchedOff() throws Exception {
        String home = ChildJvm.javaHomes().get(0);
        ChildJvm.Result on = runScenario(home, "", PoolKinds.class);
        assertTrue(on.output().contains("fixed=dev.spindle.agent.RedirectedThreadPoolExecutor"), on.toString());
        assertTrue(on.output().contains("ran=spindle-worker"), on.toString());
        ChildJvm.Result off = runScenario(home, "executors=off", PoolKinds.class);
        assertTrue(off.output().contains("fixed=java.util.concurrent.ThreadPoolExecutor"), off.toString());
        assertTrue(off.output().contains("ran=pool-"), off.toString());
    }

    @Test
    void ojAlgoIsLimitedToOneThreadWhenItInitializes_unlessLibrariesIsOff() throws Exception {
        String home = ChildJvm.javaHomes().get(0);
        List<String> fourCores = List.of("-XX:ActiveProcessorCount=4");
        ChildJvm.Result plain = AgentJvm.run(home, null, fourCores, OjAlgoScenario.class);
        assertTrue(plain.output().contains("ojalgo.threads=4"), plain.toString());
        ChildJvm.Result limited = AgentJvm.run(home, "report", fourCores, OjAlgoScenario.class);
        assertTrue(limited.output().contains("ojalgo.threads=1"), limited.toString());
        assertTrue(limited.output().contains("ojAlgo: 4 -> 1"), limited.toString());
        ChildJvm.Result off = AgentJvm.run(home, "libraries=off", fourCores, OjAlgoScenario.class);
        assertTrue(off.output().contains("ojalgo.threads=4"), off.toString());
    }

    @Test
    void ejmlParallelColtSmileAndOpenBlasAreLimitedWhenTheyConfigureThemselves_unlessLibrariesIsOff()
            throws Exception {
        String home = ChildJvm.javaHomes().get(0);
        List<String> fourCores = List.of("-XX:ActiveProcessorCount=4");
        String[] libraries = {"ejml", "parallelcolt", "smile", "openblas"};
        ChildJvm.Result plain = AgentJvm.run(home, null, fourCores, LibraryKnobsScenario.class);
        for (String library : libraries) {
            assertTrue(!plain.output().contains(library + ".threads=1"), "without the agent " + library
                    + " runs more than one thread here, or the test shows nothing:\n" + plain);
        }
        ChildJvm.Result limited = AgentJvm.run(home, "report", fourCores, LibraryKnobsScenario.class);
        for (String library : libraries) {
            assertTrue(limited.output().contains(library + ".threads=1"), limited.toString());
        }
        for (String reported : new String[] {"EJML: ", "Parallel Colt: ", "Smile: ", "OpenBLAS: "}) {
            assertTrue(limited.output().contains(reported), "the report does not name " + reported + limited);
        }
        ChildJvm.Result off = AgentJvm.run(home, "libraries=off", fourCores, LibraryKnobsScenario.class);
        for (String library : libraries) {
            assertTrue(!off.output().contains(library + ".threads=1"), off.toString());
        }
        ChildJvm.Result userChoice = AgentJvm.run(home, "report", List.of("-XX:ActiveProcessorCount=4",
                "-Dsmile.threads=3"), LibraryKnobsScenario.class);
        assertTrue(userChoice.output().contains("smile.threads=3"), "a smile.threads the user set is kept:\n"
                + userChoice);
    }

    @Test
    void excludedCallersKeepTheirPoolsAndTheReportSaysSo() throws Exception {
        String home = ChildJvm.javaHomes().get(0);
        ChildJvm.Result excluded = runScenario(home, "report,exclude=dev.spindle.agent.scenarios.", PoolKinds.class);
        assertTrue(excluded.output().contains("fixed=java.util.concurrent.ThreadPoolExecutor"), excluded.toString());
        assertTrue(excluded.output().contains("newFixedThreadPool(2) from dev.spindle.agent.scenarios.PoolKinds"
                + " (excluded by the agent's options)"), excluded.toString());
        ChildJvm.Result report = runScenario(home, "report", PoolKinds.class);
        assertTrue(report.output().contains("[spindle-agent] redirected to Spindle:"), report.toString());
        assertTrue(report.output().contains("1  newFixedThreadPool(2) from dev.spindle.agent.scenarios.PoolKinds"),
                report.toString());
    }

    @Test
    void aMistypedOptionStopsTheJvmWithAMessageThatNamesIt() throws Exception {
        String home = ChildJvm.javaHomes().get(0);
        ChildJvm.Result bad = AgentJvm.run(home, "reprot", NO_OPTIONS, PoolKinds.class);
        assertNotEquals(0, bad.exitCode(), bad.toString());
        assertTrue(bad.output().contains("unknown Spindle agent option 'reprot'"), bad.toString());
        ChildJvm.Result badValue = AgentJvm.run(home, "forkJoin=maybe", NO_OPTIONS, PoolKinds.class);
        assertNotEquals(0, badValue.exitCode(), badValue.toString());
        assertTrue(badValue.output().contains("forkJoin must be on or off, was 'maybe'"), badValue.toString());
    }
}
