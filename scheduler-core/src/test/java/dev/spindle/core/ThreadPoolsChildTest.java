package dev.spindle.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.core.testing.ChildJvm;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ForkJoinPool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link ThreadPools} in fresh child JVMs, on this JDK and on JDK 25 where it is installed: the
 * common pool's knob (a system property before JDK 19, {@code setParallelism} from 19), which
 * depends on whether the common pool has started; and the census of a JVM that loaded no native
 * code, which must find no native thread (every thread of the JVM itself is recognised). A child
 * that runs past its time has its threads dumped and is killed.
 */
@Timeout(value = 300, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ThreadPoolsChildTest {

    private static final long CHILD_SECONDS = 60;

    /** The child: one scenario, printed as {@code key=value} lines. */
    public static final class Child {
        public static void main(String[] args) throws Exception {
            System.out.println("feature=" + Runtime.version().feature());
            switch (args[0]) {
                case "census":
                    PoolCensus census = ThreadPools.info();
                    System.out.println("native=" + census.pools(PoolCensus.Kind.NATIVE).size());
                    System.out.println("jvm=" + census.pools(PoolCensus.Kind.JVM_INTERNAL).size());
                    System.out.println("visible=" + census.nativeThreadsVisible());
                    System.out.println("fresh=" + census.pools(PoolCensus.Kind.COMMON_POOL).isEmpty());
                    System.out.print(census);
                    break;
                case "commonPoolStarted":
                    ForkJoinPool.commonPool().submit(() -> 1).get();
                    limitCommonPool();
                    break;
                default:
                    limitCommonPool();
                    break;
            }
        }

        private static void limitCommonPool() {
            PoolLimits limits = ThreadPools.limits().commonPool(3).apply();
            PoolLimits.Change change = limits.change(PoolLimits.COMMON_POOL);
            System.out.println("applied=" + change.applied());
            System.out.println("before=" + change.before());
            System.out.println("detail=" + change.detail());
            System.out.println("limited=" + ForkJoinPool.commonPool().getParallelism());
            limits.close();
            System.out.println("closed=" + ForkJoinPool.commonPool().getParallelism());
            System.out.println("property=" + System.getProperty(CommonPoolKnob.PROPERTY));
        }
    }

    private static Map<String, String> runChild(String javaHome, String scenario) throws Exception {
        ChildJvm.Result result = ChildJvm.run(ChildJvm.mainOnThisClassPath(javaHome, Child.class, scenario), Map.of(),
                CHILD_SECONDS);
        String output = result.output();
        assertEquals(0, result.exitCode(), () -> scenario + " on " + javaHome + " failed: " + result);
        Map<String, String> values = new HashMap<>();
        for (String line : output.split("\\R")) {
            int equals = line.indexOf('=');
            if (equals > 0 && !line.startsWith(" ") && !line.startsWith("$ ")) {
                values.putIfAbsent(line.substring(0, equals), line.substring(equals + 1));
            }
        }
        values.put("output", output);
        return values;
    }

    @Test
    void censusOfAJvmWithoutNativeCode_findsNoNativeThread_andNeitherStartsTheCommonPool() throws Exception {
        for (String home : ChildJvm.javaHomes()) {
            Map<String, String> child = runChild(home, "census");
            String output = child.get("output");
            assertEquals("0", child.get("native"), () -> "threads of the JVM taken for native ones on " + home + ":\n" + output);
            boolean visible = Files.isDirectory(Paths.get("/proc/self/task"));
            assertEquals(String.valueOf(visible), child.get("visible"), output);
            assertEquals(visible ? "1" : "0", child.get("jvm"), output);
            assertEquals("true", child.get("fresh"), output);
        }
    }

    @Test
    void commonPoolLimit_beforeTheCommonPoolStarts_takesEffect_andCloseRestoresWhatItCan() throws Exception {
        for (String home : ChildJvm.javaHomes()) {
            Map<String, String> child = runChild(home, "commonPoolFresh");
            String output = child.get("output");
            assertEquals("true", child.get("applied"), output);
            assertEquals("3", child.get("limited"), output);
            if (Integer.parseInt(child.get("feature")) >= 19) {
                assertTrue(child.get("detail").contains("setParallelism"), output);
                assertEquals(child.get("before"), child.get("closed"), "close() sets the parallelism back:\n" + output);
            } else {
                assertTrue(child.get("detail").contains(CommonPoolKnob.PROPERTY), output);
                assertEquals("3", child.get("closed"), "before JDK 19 the common pool keeps its size:\n" + output);
            }
            assertEquals("null", child.get("property"), "close() restores the property:\n" + output);
        }
    }

    @Test
    void commonPoolLimit_afterTheCommonPoolStarted_worksFromJdk19_andSaysWhyNotBefore() throws Exception {
        for (String home : ChildJvm.javaHomes()) {
            Map<String, String> child = runChild(home, "commonPoolStarted");
            String output = child.get("output");
            if (Integer.parseInt(child.get("feature")) >= 19) {
                assertEquals("true", child.get("applied"), output);
                assertEquals("3", child.get("limited"), output);
                assertEquals(child.get("before"), child.get("closed"), output);
            } else {
                int cores = Runtime.getRuntime().availableProcessors();
                assertEquals(String.valueOf(cores - 1 == 3), child.get("applied"), output);
                if (cores - 1 != 3) {
                    assertTrue(child.get("detail").contains("cannot change"), output);
                    assertEquals(child.get("closed"), child.get("limited"), output);
                }
            }
            assertEquals("null", child.get("property"), output);
        }
    }
}
