/**
 * BLAS-style kernels whose parallelism comes only from the Spindle scheduler. The kernels and the
 * export of {@code dev.spindle.linalg} arrive with the linear-algebra work.
 */
module dev.spindle.linalg {
    requires transitive dev.spindle.core;
}
