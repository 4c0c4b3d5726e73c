package dev.spindle.core.internal;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.jetbrains.kotlinx.lincheck.Actor;
import org.jetbrains.kotlinx.lincheck.Result;
import org.jetbrains.kotlinx.lincheck.ValueResult;
import org.jetbrains.kotlinx.lincheck.VoidResult;
import org.jetbrains.kotlinx.lincheck.execution.ExecutionResult;
import org.jetbrains.kotlinx.lincheck.execution.ExecutionScenario;
import org.jetbrains.kotlinx.lincheck.execution.ResultWithClock;
import org.jetbrains.kotlinx.lincheck.verifier.Verifier;

/**
 * Lincheck's linearizability check for {@link WorkStealingDequeLincheckTest}, against a sequential
 * deque in which a steal may <em>abort</em>.
 *
 * <p>Lincheck's own verifier needs a deterministic sequential specification, but an aborted steal
 * is a legal outcome that no sequential deque produces: {@code steal()} returns
 * {@link WorkStealingDeque#ABORT} when it lost a race, whether or not the deque still holds
 * elements. The specification here is the plain deque (push and take at the bottom, steal at the
 * top) plus one rule: a steal may return ABORT, with no effect, if and only if it lost a race, that
 * is, if an operation of another thread that removed an element (a take or takeIfBottom that got
 * it, or a steal that got one) overlapped it in time. So an ABORT with no competitor, a null steal
 * on a deque that was never empty while it ran, or an element returned twice or lost is not
 * linearizable, but an ABORT on a non-empty deque is, and so is one on a deque that a concurrent
 * take has just emptied.
 *
 * <p>The search: apply the operations before and after the parallel part in order (where no steal
 * may abort), and find an interleaving of the parallel part that keeps each thread's order, puts
 * every operation after those that had completed before it started (Lincheck's happens-before
 * clocks), and explains every result. Scenarios have a handful of operations, so a depth-first
 * search with a memo of dead (progress, deque) states is instant.
 */
public final class DequeLinearizabilityVerifier implements Verifier {

    /** What a test operation returns when {@code steal()} returned {@link WorkStealingDeque#ABORT}. */
    public static final String ABORTED = "ABORT";

    /** Lincheck creates verifiers reflectively with this constructor; the argument is not used. */
    public DequeLinearizabilityVerifier(Class<?> sequentialSpecification) {
    }

    @Override
    public boolean verifyResults(ExecutionScenario scenario, ExecutionResult results) {
        ArrayDeque<Integer> deque = new ArrayDeque<>();
        if (!applyInOrder(deque, scenario.getInitExecution(), results.getInitResults())) {
            return false;
        }
        Search search = new Search(scenario, results);
        return search.linearize(deque, new int[scenario.getParallelExecution().size()]);
    }

    private static final class Search {
        private final List<List<Actor>> threads;
        private final List<List<ResultWithClock>> threadResults;
        private final List<Actor> post;
        private final List<Result> postResults;
        private final Set<String> deadEnds = new HashSet<>();

        Search(ExecutionScenario scenario, ExecutionResult results) {
            this.threads = scenario.getParallelExecution();
            this.threadResults = results.getParallelResultsWithClock();
            this.post = scenario.getPostExecution();
            this.postResults = results.getPostResults();
        }

        /** Whether the rest of the parallel part, then the post part, can be explained from here. */
        boolean linearize(ArrayDeque<Integer> deque, int[] done) {
            boolean allDone = true;
            for (int t = 0; t < threads.size(); t++) {
                allDone &= done[t] == threads.get(t).size();
            }
            if (allDone) {
                return applyInOrder(new ArrayDeque<>(deque), post, postResults);
            }
            if (!deadEnds.add(Arrays.toString(done) + deque)) {
                return false;
            }
            for (int t = 0; t < threads.size(); t++) {
                int next = done[t];
                if (next == threads.get(t).size() || !everyEarlierOperationIsPlaced(t, next, done)) {
                    continue;
                }
                ArrayDeque<Integer> after = new ArrayDeque<>(deque);
                Result result = threadResults.get(t).get(next).getResult();
                if (apply(after, threads.get(t).get(next), result, lostARace(t, next))) {
                    done[t]++;
                    boolean explained = linearize(after, done);
                    done[t]--;
                    if (explained) {
                        return true;
                    }
                }
            }
            return false;
        }

        /**
         * Whether operation {@code i} of thread {@code t} overlapped, in time, an operation of another
         * thread that removed an element. Two operations overlap if neither had completed when the
         * other started.
         */
        private boolean lostARace(int t, int i) {
            int[] completedBeforeStart = threadResults.get(t).get(i).getClockOnStart().getClock();
            for (int other = 0; other < threads.size(); other++) {
                if (other == t) {
                    continue;
                }
                for (int j = completedBeforeStart[other]; j < threads.get(other).size(); j++) {
                    ResultWithClock competitor = threadResults.get(other).get(j);
                    boolean startedBeforeIEnded = competitor.getClockOnStart().getClock()[t] <= i;
                    if (startedBeforeIEnded && removedAnElement(threads.get(other).get(j), competitor.getResult())) {
                        return true;
                    }
                }
            }
            return false;
        }

        /** Whether every operation that completed before operation {@code i} of thread {@code t} started is placed. */
        private boolean everyEarlierOperationIsPlaced(int t, int i, int[] done) {
            int[] completedBeforeStart = threadResults.get(t).get(i).getClockOnStart().getClock();
            for (int other = 0; other < done.length; other++) {
                if (other != t && done[other] < completedBeforeStart[other]) {
                    return false;
                }
            }
            return true;
        }
    }

    private static boolean applyInOrder(ArrayDeque<Integer> deque, List<Actor> actors, List<Result> results) {
        for (int i = 0; i < actors.size(); i++) {
            if (!apply(deque, actors.get(i), results.get(i), false)) {
                return false;
            }
        }
        return true;
    }

    private static boolean removedAnElement(Actor actor, Result result) {
        if (!(result instanceof ValueResult)) {
            return false;
        }
        Object value = ((ValueResult) result).getValue();
        switch (actor.getMethod().getName()) {
            case "take":
                return value != null;
            case "takeIfBottom":
                return Boolean.TRUE.equals(value);
            case "steal":
                return value != null && !ABORTED.equals(value);
            default:
                return false;
        }
    }

    /**
     * The sequential specification: applies {@code actor} to {@code deque} if {@code result} is a
     * result it may have, and reports whether it is.
     *
     * @param lostARace whether a steal that returned ABORT overlapped a removal by another thread
     */
    private static boolean apply(ArrayDeque<Integer> deque, Actor actor, Result result, boolean lostARace) {
        String operation = actor.getMethod().getName();
        if (operation.equals("push")) {
            deque.addLast((Integer) actor.getArguments().get(0));
            return result == VoidResult.INSTANCE;
        }
        if (!(result instanceof ValueResult)) {
            return false;                                    // an exception, or no result at all
        }
        Object value = ((ValueResult) result).getValue();
        switch (operation) {
            case "take":
                return Objects.equals(value, deque.pollLast());
            case "takeIfBottom": {
                boolean newest = actor.getArguments().get(0).equals(deque.peekLast());
                if (newest) {
                    deque.removeLast();
                }
                return Boolean.valueOf(newest).equals(value);
            }
            case "steal":
                if (ABORTED.equals(value)) {
                    return lostARace;                        // no effect on the deque
                }
                return Objects.equals(value, deque.pollFirst());
            default:
                throw new IllegalArgumentException("no sequential specification for operation " + operation);
        }
    }
}
