/**
 * ojAlgo on Spindle: {@link dev.spindle.linalg.ojalgo.OjAlgoSpindle} limits ojAlgo to one thread
 * and supplies the parallelism from Spindle tasks instead of ojAlgo's own {@code ojAlgo-daemon}
 * pool.
 *
 * <p>ojAlgo is an optional dependency of {@code scheduler-linalg}: an application that uses this
 * package declares {@code org.ojalgo:ojalgo} itself (on the module path: {@code requires ojalgo;}).
 */
package dev.spindle.linalg.ojalgo;
