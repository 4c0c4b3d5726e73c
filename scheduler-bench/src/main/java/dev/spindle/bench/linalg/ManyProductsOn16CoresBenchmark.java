package dev.spindle.bench.linalg;

import dev.spindle.bench.measure.Cores;
import org.openjdk.jmh.annotations.Fork;

/**
 * W1 as in {@link ManyProductsBenchmark}, in a JVM told it has 16 cores
 * ({@code -XX:ActiveProcessorCount=16}): the fixed pools, the common pool and ojAlgo size
 * themselves as on a 16-core machine, while the Spindle scheduler is built with the real CPU count
 * (the process's affinity mask, see {@code Cores.real()}). What it shows is what does not need a
 * bigger machine: the thread counts and context switches of over-subscription.
 */
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xms2g", "-Xmx2g",
        "-XX:ActiveProcessorCount=16"})
public class ManyProductsOn16CoresBenchmark extends ManyProductsBenchmark {
}
