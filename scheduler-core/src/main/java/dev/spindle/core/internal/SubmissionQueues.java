package dev.spindle.core.internal;

import org.jctools.queues.MpmcUnboundedXaddArrayQueue;

/**
 * Makes the queues of submitted work: the scheduler's injector and each arena's queue. Any number
 * of threads offer, any number of workers poll. Each accepted task is polled exactly once, and
 * {@code poll()} returns null only if the queue is empty (by its indices). Everything else relies
 * on both.
 *
 * <p><b>Why the chunks are never pooled.</b> JCTools' {@code MpmcUnboundedXaddArrayQueue} can put
 * used chunks in a pool and reuse them. With pooling on, it breaks "exactly once" (seen with 4.0.7;
 * the current upstream code does the same thing):
 *
 * <ol>
 *   <li>Consumer A polls index 0. That is slot 0 of the first chunk, which is a pooled chunk.
 *       Index 0 is the only slot 0 taken on the mid-chunk path. A wins the CAS on the consumer
 *       index. Then A is preempted before it clears the slot.</li>
 *   <li>Other consumers move on to the next chunk, and the first chunk goes back into the pool. A
 *       producer reuses it as chunk 2 or 3, for index 128 or 192 when chunks hold 64. That
 *       producer spins until slot 0 is null.</li>
 *   <li>Consumer B wins the CAS for that index (the first slot of a new chunk), and
 *       {@code switchToNextConsumerChunkAndPoll} reads slot 0 <em>before</em> it waits for the
 *       slot's sequence number. What B reads is A's old element.</li>
 *   <li>A runs again and clears the slot. The producer writes the new element and its sequence.
 *       B's wait on the sequence ends, and B clears the slot: it erases the new element and
 *       returns A's element a second time.</li>
 * </ol>
 *
 * For Spindle this meant an arena's first task was polled twice. The second run returned false,
 * or, if the first run was still going, it cancelled a task that was running. The task at index
 * 128 or 192 was never polled. The consumer index had passed it, so {@code size()} was 0, no
 * worker could see it, and every worker slept correctly:
 * {@code ArenaExecutorServiceContractTest.shutdownRacingFourSubmitters…} never terminated. This
 * was not a lost wake-up.
 *
 * <p>When nothing is pooled ({@code maxPooledChunks == 0}, and with it the first chunk), every
 * chunk is new. Only the producer that owns a slot ever writes it, once; it becomes null only when
 * the consumer that won that index clears it. So a non-null slot always holds that index's element,
 * on the mid-chunk path and on the first-slot path alike. The price is one chunk allocation per
 * {@code chunkSize} offers, made by the offering thread: a submission from outside, or an arena
 * forward. The worker's hot paths (push, pop, steal, join) never touch these queues.
 *
 * <p>Who may call: any thread.
 */
public final class SubmissionQueues {

    private SubmissionQueues() {
    }

    /**
     * A new unbounded MPMC queue of submitted work whose chunks are never reused (see above).
     *
     * @param chunkSize slots per chunk (rounded up to a power of two)
     */
    public static <E> MpmcUnboundedXaddArrayQueue<E> newQueue(int chunkSize) {
        return new MpmcUnboundedXaddArrayQueue<>(chunkSize, 0);   // 0: no pooled chunk, see above
    }
}
