package dev.spindle.linalg.internal.kernel;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * JFR event: the Vector API kernel's warm-up ({@link VectorWarmUp}) answered, so from now on
 * products use that kernel, or, if it failed, keep the portable one. At most one per JVM.
 */
@Name("dev.spindle.linalg.KernelSwitch")
@Label("Spindle GEMM Kernel Switch")
@Category({"Spindle", "Linear Algebra"})
@Description("The GEMM kernel's warm-up ended: how, after how long, and whether products now use the kernel")
@StackTrace(false)
final class KernelSwitchEvent extends Event {

    @Label("Kernel")
    String kernel;

    @Label("Outcome")
    @Description("COMPILED, BUDGET_SPENT (switched without seeing C2's code), NOT_MEASURED or KERNEL_FAILED")
    String outcome;

    @Label("Products Use It")
    boolean productsUseKernel;

    @Label("Detail")
    String detail;

    @Label("Warm-up Calls")
    long warmUpCalls;

    @Label("Warm-up Milliseconds")
    long warmUpMillis;

    /** Commits one event if JFR records it; any thread, once per warm-up. */
    static void record(String kernel, WarmUpOutcome outcome, String detail, long calls, long millis) {
        KernelSwitchEvent event = new KernelSwitchEvent();
        if (!event.isEnabled()) {
            return;
        }
        event.kernel = kernel;
        event.outcome = outcome.name();
        event.productsUseKernel = outcome.usesKernel();
        event.detail = detail;
        event.warmUpCalls = calls;
        event.warmUpMillis = millis;
        event.commit();
    }
}
