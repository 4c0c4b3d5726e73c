package dev.spindle.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.core.testing.ChildJvm;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link Blas#awaitGemmKernel}: in a fresh JVM with the Vector API and the default setting, it
 * starts the warm-up itself (no product has run) and returns once products get the kernel they
 * keep; bad arguments are refused with their names. The fresh JVM is bounded to 60 s.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class AwaitGemmKernelTest {

    /** Entry point of the child JVM: waits without running a product, then prints what it got. */
    public static void main(String[] args) throws InterruptedException {
        System.out.println("awaited " + Blas.awaitGemmKernel(50, TimeUnit.SECONDS));
        System.out.println("reason " + Blas.gemmKernelReason());
    }

    @Test
    void inAFreshJvm_itStartsTheWarmUp_andReturnsTheKernelProductsKeep() throws IOException, InterruptedException {
        List<String> command = List.of(ChildJvm.java(System.getProperty("java.home")), "--add-modules",
                "jdk.incubator.vector", "-cp", System.getProperty("java.class.path"), AwaitGemmKernelTest.class.getName());
        ChildJvm.Result result = ChildJvm.run(command, Map.of(), 60);
        assertEquals(0, result.exitCode(), result::toString);
        String reason = result.output().lines().filter(line -> line.startsWith("reason ")).findFirst().orElse("");
        String awaited = result.output().lines().filter(line -> line.startsWith("awaited ")).findFirst().orElse("");
        // The warm-up has answered (compiled, or its 10 s budget spent), and the product kernel
        // returned is the one the reason says products use.
        assertTrue(reason.contains("; warm-up ") && !reason.contains("warm-up running"), result::toString);
        String kernel = awaited.substring("awaited ".length());
        assertTrue(reason.endsWith("products use " + kernel), result::toString);
    }

    @Test
    void badArguments_areRefusedWithTheirNames() {
        IllegalArgumentException negative = assertThrows(IllegalArgumentException.class,
                () -> Blas.awaitGemmKernel(-1, TimeUnit.SECONDS));
        assertTrue(negative.getMessage().contains("timeout") && negative.getMessage().contains("-1"),
                negative.getMessage());
        NullPointerException noUnit = assertThrows(NullPointerException.class, () -> Blas.awaitGemmKernel(1, null));
        assertTrue(String.valueOf(noUnit.getMessage()).contains("unit"), String.valueOf(noUnit.getMessage()));
    }

    @Test
    void inThisJvm_itReturnsTheKernelAProductGetsNow() throws InterruptedException {
        String awaited = Blas.awaitGemmKernel(60, TimeUnit.SECONDS);
        assertTrue(Blas.gemmKernelReason().endsWith("products use " + awaited) || awaited.equals(Blas.gemmKernel()),
                awaited + " / " + Blas.gemmKernelReason());
    }
}
