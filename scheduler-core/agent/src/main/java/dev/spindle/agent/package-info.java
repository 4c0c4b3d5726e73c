/**
 * The zero-code agent ({@code java -javaagent:scheduler-agent.jar}): an unchanged application's
 * executors, default async {@code CompletableFuture} stages and fork/join tasks run on Spindle.
 * Its classes are public only because the woven JDK code calls them from the bootstrap class
 * loader; none is an API for applications.
 *
 * <ul>
 *   <li>{@link dev.spindle.agent.SpindleAgent}: the entry point ({@code premain}/{@code agentmain});
 *       puts the agent's jar on the bootstrap class path and hands over to
 *       {@link dev.spindle.agent.AgentStart}, which reads the options and weaves the JDK;</li>
 *   <li>{@link dev.spindle.agent.Redirects}: what the woven code calls — Spindle-backed pools,
 *       async stages, the pools seen;</li>
 *   <li>{@link dev.spindle.agent.ForkJoinRedirect}: fork/join tasks run on Spindle;</li>
 *   <li>{@link dev.spindle.agent.LibraryLimits}: known libraries' thread knobs, applied when the
 *       library initializes.</li>
 * </ul>
 *
 * <p>Design: {@code docs/design/agent.md} of the source repository.
 */
package dev.spindle.agent;
