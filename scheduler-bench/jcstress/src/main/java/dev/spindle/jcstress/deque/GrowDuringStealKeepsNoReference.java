package dev.spindle.jcstress.deque;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.spindle.core.internal.WorkStealingDeque;
import java.lang.reflect.Field;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.I_Result;

/**
 * {@link GrowDuringSteal}'s race, checked for the other half of the deque's contract: "the deque
 * keeps no reference to an element after it has been taken or stolen". The arbiter looks into the
 * ring (by reflection) for the two elements the thief stole.
 *
 * <p>Result: how many of the stolen elements the deque's current ring still references.
 *
 * <p>This test found a real leak (about 7 % of samples): {@code grow()} copies [t, b) with the t it
 * read before copying; a thief that won index t meanwhile cleared the slot in the ring it read,
 * the old one, and the new ring kept the element. Fixed by a Dekker pair (grow fences and clears
 * the new ring's slots below the re-read top; a thief re-reads the ring and clears its copy there);
 * this test now guards the fix.
 */
@JCStressTest
@Description("steal() during grow: the deque keeps no reference to what the thief stole")
@Outcome(id = "0", expect = ACCEPTABLE, desc = "no stolen element is referenced")
@Outcome(expect = FORBIDDEN, desc = "RETAINED: the grown ring still references a stolen element")
@State
public class GrowDuringStealKeepsNoReference {

    private static final Field ARRAY;

    static {
        try {
            ARRAY = WorkStealingDeque.class.getDeclaredField("array");
            ARRAY.setAccessible(true);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final WorkStealingDeque<Object> deque = new WorkStealingDeque<>();
    private Object stolen1;
    private Object stolen2;

    public GrowDuringStealKeepsNoReference() {
        for (int element = 1; element <= GrowDuringSteal.INITIAL_CAPACITY; element++) {
            deque.push(new Object());
        }
        deque.steal();                                          // top moves to 1
        deque.push(new Object());                               // the ring is full again, wrapped around
    }

    @Actor
    public void owner() {
        deque.push(new Object());                               // grows
    }

    @Actor
    public void thief() {
        stolen1 = deque.steal();
        stolen2 = deque.steal();
    }

    @Arbiter
    public void referencesToStolenElements(I_Result r) {
        Object[] ring;
        try {
            ring = (Object[]) ARRAY.get(deque);
        } catch (IllegalAccessException e) {
            throw new AssertionError(e);
        }
        int references = 0;
        for (Object slot : ring) {
            if (slot != null && (slot == stolen1 || slot == stolen2)) {
                references++;
            }
        }
        r.r1 = references;
    }
}
