package dev.spindle.jcstress.deque;

import static dev.spindle.jcstress.DequeUnderTest.code;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.spindle.jcstress.DequeUnderTest;
import dev.spindle.jcstress.SpindleDeque;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * The owner's push grows the ring while a thief steals from it. The state starts with the initial
 * ring of 64 full, and not at index 0 (elements 2..65 at indices 1..64, after one steal), so the
 * owner's push of 66 copies 64 elements into a ring of 128 while the thief steals twice.
 *
 * <p>Result: r1 how many of the elements 2..66 were returned twice (by the thief and by the
 * arbiter, which takes whatever is left), r2 how many were never returned.
 */
@JCStressTest
@Description("steal() during grow: no element lost or duplicated across the copy")
@Outcome(id = "0, 0", expect = ACCEPTABLE, desc = "every element returned exactly once")
@Outcome(id = "[1-9][0-9]*, .*", expect = FORBIDDEN, desc = "DUPLICATED: an element was returned twice")
@Outcome(expect = FORBIDDEN, desc = "LOST: an element was never returned")
@State
public class GrowDuringSteal {

    static final int INITIAL_CAPACITY = 64;
    static final int LAST = INITIAL_CAPACITY + 2;

    protected final DequeUnderTest deque;
    private int stolen1;
    private int stolen2;

    public GrowDuringSteal() {
        this(new SpindleDeque());
    }

    protected GrowDuringSteal(DequeUnderTest deque) {
        this.deque = deque;
        for (int element = 1; element <= INITIAL_CAPACITY; element++) {
            deque.push(element);
        }
        deque.steal();                               // 1: top moves to 1
        deque.push(INITIAL_CAPACITY + 1);            // the ring is full again, wrapped around
    }

    @Actor
    public void owner() {
        deque.push(LAST);                            // grows
    }

    @Actor
    public void thief() {
        stolen1 = code(deque.steal());
        stolen2 = code(deque.steal());
    }

    @Arbiter
    public void account(II_Result r) {
        int[] seen = new int[LAST + 1];
        count(seen, stolen1);
        count(seen, stolen2);
        for (Object left = deque.take(); left != null; left = deque.take()) {
            count(seen, code(left));
        }
        int duplicated = 0;
        int lost = 0;
        for (int element = 2; element <= LAST; element++) {
            duplicated += seen[element] > 1 ? 1 : 0;
            lost += seen[element] == 0 ? 1 : 0;
        }
        r.r1 = duplicated;
        r.r2 = lost;
    }

    private static void count(int[] seen, int code) {
        if (code > 0 && code < seen.length) {
            seen[code]++;
        }
    }
}
