package dev.spindle.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The deque's contract: LIFO for the owner, FIFO for thieves, and every pushed element handed
 * out by exactly one successful take or steal, also while thieves race the owner and each other.
 */
class WorkStealingDequeTest {

    private static final boolean STRESS = Boolean.getBoolean("spindle.stress");
    /** Thieves in the stress tests; with the owner that is four threads on this 2-core machine. */
    private static final int THIEVES = 3;

    // ------------------------------------------------------------------ one thread

    @Nested
    class SingleThreaded {

        @Test
        void take_returnsTheNewestElementFirst() {
            WorkStealingDeque<Integer> deque = new WorkStealingDeque<>();
            for (int i = 0; i < 10; i++) {
                deque.push(i);
            }
            for (int i = 9; i >= 0; i--) {
                assertEquals(i, deque.take());
            }
            assertNull(deque.take());
        }

        @Test
        void steal_returnsTheOldestElementFirst() {
            WorkStealingDeque<Integer> deque = new WorkStealingDeque<>();
            for (int i = 0; i < 10; i++) {
                deque.push(i);
            }
            for (int i = 0; i < 10; i++) {
                assertEquals(i, deque.steal());
            }
            assertNull(deque.steal());
        }

        @Test
        void takeAndSteal_meetInTheMiddleWithoutLosingOrRepeating() {
            WorkStealingDeque<Integer> deque = new WorkStealingDeque<>();
            for (int i = 0; i < 6; i++) {
                deque.push(i);
            }
            assertEquals(0, deque.steal());
            assertEquals(5, deque.take());
            assertEquals(1, deque.steal());
            assertEquals(4, deque.take());
            assertEquals(2, deque.steal());
            assertEquals(3, deque.take());          // the last element, via the CAS path
            assertNull(deque.take());
            assertNull(deque.steal());
        }

        @Test
        void emptyDeque_takeAndStealReturnNull() {
            WorkStealingDeque<String> deque = new WorkStealingDeque<>();
            assertNull(deque.take());
            assertNull(deque.steal());
            assertNull(deque.take());                // an empty take must restore bottom
            deque.push("a");
            assertEquals("a", deque.take());
            assertNull(deque.take());
            assertNull(deque.steal());
            deque.push("b");
            assertEquals("b", deque.steal());
            assertNull(deque.steal());
            assertNull(deque.take());
        }

        @Test
        void steal_neverReturnsAbortWithoutARace() {
            WorkStealingDeque<Integer> deque = new WorkStealingDeque<>();
            for (int i = 0; i < 200; i++) {
                deque.push(i);
                deque.push(-i - 1);
                assertNotSame(WorkStealingDeque.ABORT, deque.steal());
                assertNotSame(WorkStealingDeque.ABORT, deque.take());
            }
        }

        @Test
        void push_null_throwsNullPointerException() {
            WorkStealingDeque<Object> deque = new WorkStealingDeque<>();
            assertThrows(NullPointerException.class, () -> deque.push(null));
            assertTrue(deque.isEmpty(), "a rejected null must not occupy a slot");
            assertEquals(0, deque.size());
            assertNull(deque.take());
        }

        @Test
        void growth_keepsEveryElementInOrderForTheOwner() {
            WorkStealingDeque<Integer> deque = new WorkStealingDeque<>();
            int n = 64 * 40 + 7;                     // several doublings past the initial 64 slots
            for (int i = 0; i < n; i++) {
                deque.push(i);
            }
            assertEquals(n, deque.size());
            for (int i = n - 1; i >= 0; i--) {
                assertEquals(i, deque.take());
            }
            assertNull(deque.take());
            assertTrue(deque.isEmpty());
        }

        @Test
        void growth_keepsEveryElementInOrderForThieves() {
            WorkStealingDeque<Integer> deque = new WorkStealingDeque<>();
            int n = 64 * 40 + 7;
            for (int i = 0; i < n; i++) {
                deque.push(i);
            }
            for (int i = 0; i < n; i++) {
                assertEquals(i, deque.steal());
            }
            assertNull(deque.steal());
        }

        @Test
        void growth_ofAWrappedRing_keepsEveryElementAndOrder() {
            // Move top away from slot 0 first, so that the live range wraps around the ring when
            // it grows: the copy must follow the indices, not the array positions.
            WorkStealingDeque<Integer> deque = new WorkStealingDeque<>();
            int next = 0;
            for (int round = 0; round < 5; round++) {
                for (int i = 0; i < 50; i++) {
                    deque.push(next++);
                }
                for (int i = 0; i < 45; i++) {
                    deque.steal();
                }
            }
            int oldest = next - deque.size();
            assertEquals(25, deque.size());
            for (int i = 0; i < 1000; i++) {         // grows 64 -> 128 -> ... -> 1024 while wrapped
                deque.push(next++);
            }
            assertEquals(next - oldest, deque.size());
            for (int i = 0; i < 10; i++) {
                assertEquals(oldest + i, deque.steal());
            }
            for (int i = next - 1; i >= oldest + 10; i--) {
                assertEquals(i, deque.take());
            }
            assertNull(deque.take());
            assertNull(deque.steal());
        }

        @Test
        void mixedOperations_matchASequentialModel() {
            WorkStealingDeque<Integer> deque = new WorkStealingDeque<>();
            java.util.ArrayDeque<Integer> model = new java.util.ArrayDeque<>();
            SplittableRandom random = new SplittableRandom(42);
            int next = 0;
            for (int step = 0; step < 200_000; step++) {
                int op = random.nextInt(10);
                if (op < 5) {
                    Integer e = next++;
                    deque.push(e);
                    model.addLast(e);
                } else if (op < 8) {
                    assertEquals(model.pollLast(), deque.take(), "take at step " + step);
                } else {
                    assertEquals(model.pollFirst(), deque.steal(), "steal at step " + step);
                }
                assertEquals(model.size(), deque.size(), "size at step " + step);
                assertEquals(model.isEmpty(), deque.isEmpty(), "isEmpty at step " + step);
            }
        }

        @Test
        void takeIfBottom_takesTheNewestElementWhenItIsTheExpectedOne() {
            WorkStealingDeque<String> deque = new WorkStealingDeque<>();
            String a = new String("a");
            String b = new String("b");
            deque.push(a);
            deque.push(b);
            assertTrue(deque.takeIfBottom(b));
            assertEquals(1, deque.size());
            assertSame(a, deque.take());
            assertTrue(deque.isEmpty());
        }

        @Test
        void takeIfBottom_leavesTheDequeAloneWhenTheExpectedElementIsNotAtTheBottom() {
            WorkStealingDeque<String> deque = new WorkStealingDeque<>();
            String a = new String("a");
            String b = new String("b");
            deque.push(a);
            deque.push(b);
            assertFalse(deque.takeIfBottom(a), "a is there, but not at the bottom");
            assertFalse(deque.takeIfBottom(new String("b")), "equal is not the same element");
            assertFalse(deque.takeIfBottom("never pushed"));
            assertEquals(2, deque.size());
            assertSame(b, deque.take());
            assertSame(a, deque.take());
        }

        @Test
        void takeIfBottom_takesTheLastElement() {
            WorkStealingDeque<String> deque = new WorkStealingDeque<>();
            String a = new String("a");
            deque.push(a);
            assertTrue(deque.takeIfBottom(a));
            assertTrue(deque.isEmpty());
            assertNull(deque.take());
            assertNull(deque.steal());
        }

        @Test
        void takeIfBottom_onAnEmptyDeque_returnsFalseAndLeavesItUsable() {
            WorkStealingDeque<String> deque = new WorkStealingDeque<>();
            assertFalse(deque.takeIfBottom("x"));
            String a = new String("a");
            deque.push(a);
            assertSame(a, deque.take());
            // The slot below bottom still held "a" before the take cleared it; an empty deque
            // must not hand it out again.
            assertFalse(deque.takeIfBottom(a));
            assertNull(deque.take());
            assertEquals(0, deque.size());
            deque.push("c");
            assertEquals(1, deque.size());
            assertEquals("c", deque.steal());
        }

        @Test
        void takeIfBottom_afterTheElementWasStolen_returnsFalse() {
            WorkStealingDeque<String> deque = new WorkStealingDeque<>();
            String a = new String("a");
            deque.push(a);
            assertSame(a, deque.steal());
            assertFalse(deque.takeIfBottom(a), "a was stolen: taking it again would run it twice");
            assertTrue(deque.isEmpty());
            assertNull(deque.take());
        }

        @Test
        void sizeAndIsEmpty_followPushesTakesAndSteals() {
            WorkStealingDeque<Integer> deque = new WorkStealingDeque<>();
            assertTrue(deque.isEmpty());
            assertEquals(0, deque.size());
            for (int i = 1; i <= 100; i++) {
                deque.push(i);
                assertEquals(i, deque.size());
                assertFalse(deque.isEmpty());
            }
            deque.steal();
            assertEquals(99, deque.size());
            deque.take();
            assertEquals(98, deque.size());
            while (deque.take() != null) {
                // drain
            }
            assertEquals(0, deque.size());
            assertTrue(deque.isEmpty());
            assertNull(deque.take());
            assertEquals(0, deque.size(), "a take on an empty deque must not make size negative or stale");
        }
    }

    // ------------------------------------------------------------------ owner against thieves

    /**
     * Counts how many times each element came out. Elements are the Integers 0..n-1; anything else
     * (ABORT included) coming out as an element is recorded as a stray.
     */
    private static final class Ledger {
        final AtomicIntegerArray times;
        final AtomicLong strays = new AtomicLong();
        final AtomicReference<String> firstProblem = new AtomicReference<>();

        Ledger(int n) {
            times = new AtomicIntegerArray(n);
        }

        void record(Object out, String by) {
            if (!(out instanceof Integer)) {
                strays.incrementAndGet();
                firstProblem.compareAndSet(null, by + " returned a non-element: " + out);
                return;
            }
            int e = (Integer) out;
            if (e < 0 || e >= times.length()) {
                strays.incrementAndGet();
                firstProblem.compareAndSet(null, by + " returned an out-of-range element " + e);
                return;
            }
            int now = times.incrementAndGet(e);
            if (now > 1) {
                firstProblem.compareAndSet(null, by + " returned element " + e + " again (" + now + " times in all)");
            }
        }

        void assertEveryElementExactlyOnce(int pushed) {
            assertNull(firstProblem.get(), firstProblem::get);
            assertEquals(0, strays.get(), "strays");
            int missing = 0;
            int firstMissing = -1;
            for (int i = 0; i < pushed; i++) {
                int t = times.get(i);
                if (t != 1) {
                    if (t == 0 && firstMissing < 0) {
                        firstMissing = i;
                    }
                    missing++;
                }
            }
            if (missing > 0) {
                fail(missing + " of " + pushed + " elements did not come out exactly once; first lost: " + firstMissing);
            }
        }
    }

    /** Runs {@code THIEVES} thieves against whatever deque {@code current} holds until {@code done}. */
    private static final class Thieves {
        final List<Thread> threads = new ArrayList<>();
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final AtomicLong stolen = new AtomicLong();
        final AtomicLong aborts = new AtomicLong();
        volatile boolean done;

        Thieves(AtomicReference<WorkStealingDeque<Integer>> current, Ledger ledger, CountDownLatch ready) {
            for (int k = 0; k < THIEVES; k++) {
                String name = "thief-" + k;
                Thread thread = new Thread(() -> {
                    long mine = 0;
                    long myAborts = 0;
                    try {
                        ready.countDown();
                        while (true) {
                            boolean finished = done;     // read before the last look, so nothing is left behind
                            WorkStealingDeque<Integer> deque = current.get();
                            Object out = deque.steal();
                            if (out == WorkStealingDeque.ABORT) {
                                myAborts++;
                            } else if (out != null) {
                                ledger.record(out, name);
                                mine++;
                            } else if (finished) {
                                return;
                            }
                        }
                    } catch (Throwable t) {
                        failure.compareAndSet(null, t);
                    } finally {
                        stolen.addAndGet(mine);
                        aborts.addAndGet(myAborts);
                    }
                }, name);
                thread.setDaemon(true);
                threads.add(thread);
            }
        }

        void start() {
            threads.forEach(Thread::start);
        }

        void finish() throws InterruptedException {
            done = true;
            for (Thread thread : threads) {
                thread.join(TimeUnit.SECONDS.toMillis(20));
                assertFalse(thread.isAlive(), thread.getName() + " did not stop");
            }
            if (failure.get() != null) {
                throw new AssertionError("a thief failed", failure.get());
            }
        }
    }

    /**
     * Owner and thieves on one deque: the owner runs {@code ownerWork} (which pushes elements
     * 0..n-1 and takes some), then drains what is left; every element must come out once.
     */
    private static void raceOwnerAgainstThieves(int n, java.util.function.BiConsumer<WorkStealingDeque<Integer>, Ledger> ownerWork)
            throws InterruptedException {
        WorkStealingDeque<Integer> deque = new WorkStealingDeque<>();
        AtomicReference<WorkStealingDeque<Integer>> current = new AtomicReference<>(deque);
        Ledger ledger = new Ledger(n);
        CountDownLatch ready = new CountDownLatch(THIEVES);
        Thieves thieves = new Thieves(current, ledger, ready);
        thieves.start();
        assertTrue(ready.await(10, TimeUnit.SECONDS));
        try {
            ownerWork.accept(deque, ledger);
            for (Integer e; (e = deque.take()) != null; ) {
                ledger.record(e, "owner");
            }
        } finally {
            thieves.finish();
        }
        ledger.assertEveryElementExactlyOnce(n);
        assertTrue(deque.isEmpty());
        assertNull(deque.steal());
        assertTrue(thieves.stolen.get() > 0, "the thieves never stole: the test did not race anything");
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void concurrentTakesAndSteals_returnEveryElementExactlyOnce() throws InterruptedException {
        int n = STRESS ? 20_000_000 : 2_000_000;
        raceOwnerAgainstThieves(n, (deque, ledger) -> {
            SplittableRandom random = new SplittableRandom(1);
            int next = 0;
            while (next < n) {
                int burst = 1 + random.nextInt(random.nextInt(8) == 0 ? 300 : 8);
                for (int i = 0; i < burst && next < n; i++) {
                    deque.push(next++);
                }
                int takes = random.nextInt(burst + 1);
                for (int i = 0; i < takes; i++) {
                    Integer e = deque.take();
                    if (e == null) {
                        break;
                    }
                    ledger.record(e, "owner");
                }
            }
        });
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void nearlyEmptyRace_ownerAndThievesNeverBothGetTheLastElements() throws InterruptedException {
        int n = STRESS ? 10_000_000 : 1_000_000;
        raceOwnerAgainstThieves(n, (deque, ledger) -> {
            // The deque holds one to three elements for a moment, and the owner takes them back
            // while thieves steal: the owner's take and a steal meet on the last element (decided
            // by the CAS on top) and, with two or three, on the one before it (decided by the
            // fence in take: without it both see the element as theirs).
            SplittableRandom random = new SplittableRandom(3);
            int i = 0;
            while (i < n) {
                for (int k = 1 + random.nextInt(3); k > 0 && i < n; k--) {
                    deque.push(i++);
                }
                for (int spin = random.nextInt(4); spin > 0; spin--) {
                    Thread.onSpinWait();
                }
                for (Integer e; (e = deque.take()) != null; ) {
                    ledger.record(e, "owner");
                }
            }
        });
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void nearlyEmptyRace_viaTakeIfBottom_ownerAndThievesNeverBothGetAnElement() throws InterruptedException {
        int n = STRESS ? 10_000_000 : 1_000_000;
        raceOwnerAgainstThieves(n, (deque, ledger) -> {
            // As a worker joins what it just forked: push one to three, then take each back
            // newest first with takeIfBottom while thieves steal from the other end.
            SplittableRandom random = new SplittableRandom(5);
            Integer[] pushed = new Integer[3];
            int i = 0;
            while (i < n) {
                int k = 0;
                for (int want = 1 + random.nextInt(3); k < want && i < n; k++) {
                    pushed[k] = i++;
                    deque.push(pushed[k]);
                }
                for (int spin = random.nextInt(4); spin > 0; spin--) {
                    Thread.onSpinWait();
                }
                for (int j = k - 1; j >= 0; j--) {
                    if (deque.takeIfBottom(pushed[j])) {
                        ledger.record(pushed[j], "owner takeIfBottom");
                    }
                }
            }
        });
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void growthDuringSteals_losesAndRepeatsNothing() throws InterruptedException {
        // A fresh deque per round, so that every burst grows the ring from 64 slots while the
        // thieves are stealing from it.
        int rounds = STRESS ? 3_000 : 300;
        SplittableRandom random = new SplittableRandom(7);
        int[] bursts = new int[rounds];
        int n = 0;
        for (int r = 0; r < rounds; r++) {
            bursts[r] = 1_000 + random.nextInt(9_000);
            n += bursts[r];
        }
        AtomicReference<WorkStealingDeque<Integer>> current = new AtomicReference<>(new WorkStealingDeque<>());
        Ledger ledger = new Ledger(n);
        CountDownLatch ready = new CountDownLatch(THIEVES);
        Thieves thieves = new Thieves(current, ledger, ready);
        thieves.start();
        assertTrue(ready.await(10, TimeUnit.SECONDS));
        try {
            int next = 0;
            for (int r = 0; r < rounds; r++) {
                WorkStealingDeque<Integer> deque = new WorkStealingDeque<>();
                current.set(deque);
                for (int i = 0; i < bursts[r]; i++) {
                    deque.push(next++);
                    if ((i & 255) == 255 && random.nextBoolean()) {
                        Integer e = deque.take();    // owner activity at the bottom while it grows
                        if (e != null) {
                            ledger.record(e, "owner");
                        }
                    }
                }
                for (Integer e; (e = deque.take()) != null; ) {
                    ledger.record(e, "owner");
                }
            }
        } finally {
            thieves.finish();
        }
        ledger.assertEveryElementExactlyOnce(n);
        assertTrue(thieves.stolen.get() > 0, "the thieves never stole: the test did not race anything");
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void steal_concurrentWithPushes_getsEveryPublishedElementOnce() throws InterruptedException {
        // Publication: a thief that sees bottom move must also see the element the owner wrote
        // there (a null read would make it abort forever on that index, or hand out garbage).
        int n = STRESS ? 2_000_000 : 200_000;
        WorkStealingDeque<Integer> deque = new WorkStealingDeque<>();
        Ledger ledger = new Ledger(n);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread thief = new Thread(() -> {
            try {
                int got = 0;
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(25);
                while (got < n) {
                    Object out = deque.steal();
                    if (out != null && out != WorkStealingDeque.ABORT) {
                        ledger.record(out, "thief");
                        got++;
                    } else if (System.nanoTime() > deadline) {
                        throw new AssertionError("thief got only " + got + " of " + n);
                    }
                }
            } catch (Throwable t) {
                failure.set(t);
            }
        }, "publication-thief");
        thief.setDaemon(true);
        thief.start();
        for (int i = 0; i < n; i++) {
            deque.push(i);                           // the owner only pushes; the thief takes all
        }
        thief.join(TimeUnit.SECONDS.toMillis(28));
        assertFalse(thief.isAlive(), "thief did not finish");
        if (failure.get() != null) {
            throw new AssertionError(failure.get());
        }
        ledger.assertEveryElementExactlyOnce(n);
    }
}
