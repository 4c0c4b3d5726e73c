package dev.spindle.bench.workload;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * How a two-level computation (an outer loop over items, a kernel per item that may itself be
 * parallel) is run: the baselines a Java user writes today and Spindle. The {@link #id()} is the
 * JMH {@code @Param} value and the demo's name for the variant. N is the core count the JVM reports
 * ({@link Runtime#availableProcessors()}), which is what the naive variants size their pools by.
 */
public enum Variant {
    /** One thread, serial kernel. */
    SERIAL("serial", "one thread, serial kernel"),
    /** The outer loop on the calling thread; the kernel parallel on Spindle. */
    INNER_ONLY("inner-only", "serial outer loop, kernel parallel on Spindle"),
    /** A fixed pool of N threads, one item per task; serial kernel. */
    OUTER_ONLY("outer-only", "fixed pool of N threads, serial kernel"),
    /** A fixed pool of N; each of its threads runs the kernel in parallel on its own pool of N. */
    NAIVE_NESTED("naive-nested", "fixed pool of N, each thread's kernel on its own pool of N (N + N\u00b2 threads)"),
    /** A fixed pool of N calling ojAlgo with ojAlgo's own threading on. */
    OJALGO_DEFAULT("ojalgo-default", "fixed pool of N calling ojAlgo with its own threading"),
    /** The ForkJoinPool common pool at both levels. */
    FJP_NESTED("fjp-nested", "ForkJoinPool common pool at both levels"),
    /** Spindle at both levels: outer {@code Parallel.forRange}, inner {@code Blas} on the same scheduler. */
    SPINDLE("spindle", "Spindle at both levels, one scheduler");

    private final String id;
    private final String description;

    Variant(String id, String description) {
        this.id = id;
        this.description = description;
    }

    /** The name used by JMH parameters, the demo and the docs, e.g. {@code naive-nested}. */
    public String id() {
        return id;
    }

    /** One line saying what runs where. */
    public String description() {
        return description;
    }

    /** Whether this variant runs one level only (the variants the composed ones must match or beat). */
    public boolean isSingleLevel() {
        return this == INNER_ONLY || this == OUTER_ONLY;
    }

    /**
     * The variant with this id.
     *
     * @throws IllegalArgumentException naming the value and the valid ids, if none matches
     */
    public static Variant fromId(String id) {
        for (Variant variant : values()) {
            if (variant.id.equals(id)) {
                return variant;
            }
        }
        throw new IllegalArgumentException("unknown variant '" + id + "'; valid: "
                + Arrays.stream(values()).map(Variant::id).collect(Collectors.joining(", ")));
    }

    /**
     * The name prefix of the threads of the JVM-wide pool this variant runs on, which outlives
     * the variant (idle threads linger for up to a minute), or null if it makes all its threads
     * itself.
     */
    public String sharedPoolThreadPrefix() {
        switch (this) {
            case FJP_NESTED:
                return "ForkJoinPool.commonPool-";
            case OJALGO_DEFAULT:
                return "ojAlgo-daemon";
            default:
                return null;
        }
    }
}
