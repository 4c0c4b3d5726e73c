/**
 * ojAlgo on Spindle: {@link dev.spindle.linalg.ojalgo.OjAlgoSpindle} limits ojAlgo to one thread
 * and supplies the parallelism from Spindle tasks instead of ojAlgo's own {@code ojAlgo-daemon}
 * pool.
 */
package dev.spindle.linalg.ojalgo;
