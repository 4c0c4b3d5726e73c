/**
 * "Your code, unchanged": an application with no Spindle import, run plain and under the agent.
 *
 * <ul>
 *   <li>{@link dev.spindle.bench.legacy.RiskJob}: the application, written with
 *       {@code newFixedThreadPool} and ojAlgo as Java code is today;</li>
 *   <li>{@link dev.spindle.bench.legacy.RiskJobRun}: runs it in one JVM and prints its measurements;</li>
 *   <li>{@link dev.spindle.bench.legacy.UnchangedCodeComparison}: runs it in child JVMs, plain and
 *       with {@code -javaagent}, and prints both side by side.</li>
 * </ul>
 */
package dev.spindle.bench.legacy;
