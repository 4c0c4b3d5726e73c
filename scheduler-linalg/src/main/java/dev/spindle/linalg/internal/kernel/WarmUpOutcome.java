package dev.spindle.linalg.internal.kernel;

/**
 * How the Vector API kernel's warm-up ({@link VectorWarmUp}) ended, and so whether products use
 * that kernel.
 */
enum WarmUpOutcome {

    /**
     * The kernel's loop allocated nothing (calls on deep blocks no more than on shallow ones):
     * C2's code runs. Products use the kernel.
     */
    COMPILED(true),

    /**
     * The switch budget ran out before the kernel's loop stopped allocating. Products use the
     * kernel anyway: it computes the same products, and it is slow only until C2 compiles it, where staying on
     * the portable kernel would be slow for good.
     */
    BUDGET_SPENT(true),

    /** The JVM cannot count a thread's allocations, or the warm-up thread did not start: no wait. */
    NOT_MEASURED(true),

    /** The kernel threw in the warm-up: products keep the portable kernel. */
    KERNEL_FAILED(false);

    private final boolean usesKernel;

    WarmUpOutcome(boolean usesKernel) {
        this.usesKernel = usesKernel;
    }

    /** Whether products use the warmed-up kernel after this outcome. */
    boolean usesKernel() {
        return usesKernel;
    }
}
