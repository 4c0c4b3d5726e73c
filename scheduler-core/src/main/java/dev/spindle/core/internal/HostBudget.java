package dev.spindle.core.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A pool of CPU tokens shared by every JVM on this host that names the same budget: one file per
 * token, and a token is held by holding an exclusive lock on its file ({@code fcntl}, through
 * {@link AsynchronousFileChannel#tryLock}). The operating system drops a process's locks when the
 * process dies, however it dies, so a JVM killed with {@code kill -9} never keeps a token
 * ({@code docs/design/host-budget.md} says why not a semaphore).
 *
 * <p><b>Within one JVM.</b> POSIX locks belong to the process, not to a thread: a second lock on a
 * file the JVM already locked would "succeed" (Java refuses it with
 * {@code OverlappingFileLockException}). So each token has an in-JVM claim ({@link #claimed}),
 * taken by CAS before the file is tried; the winner of the claim is the only thread of this JVM
 * that touches that token's lock until it releases. One instance per budget directory per JVM
 * ({@link #open}), kept for the JVM's life: closing any channel of a file drops every lock the
 * process holds on it.
 *
 * <p><b>Who waits.</b> A JVM with a worker waiting for a token holds a lock on one byte of the
 * {@code waiting} file (one of {@value #WAIT_SLOTS} slots); {@link #othersWaiting} asks whether
 * another process holds one, so a holder can give its token back after a quantum
 * ({@code WorkerBudget}). The slot is a hint for fairness only: a waiter that finds no free slot
 * still polls and still gets tokens.
 *
 * <p><b>Failure.</b> If the file system fails under a running budget (an {@link IOException} from
 * a lock call), the budget opens: it reports once on {@code System.err} and from then on
 * {@link #tryAcquire} returns {@link #UNLIMITED}, so workers run unbudgeted rather than hang.
 *
 * <p>Who may call: {@link #tryAcquire} any thread; {@link #release} only the thread that acquired
 * the token (a worker's own); the waiting methods any thread (they synchronize). Not on any
 * fork, join, push, pop or steal path: only when a worker starts or stops running tasks.
 */
public final class HostBudget {

    /** {@link #tryAcquire}: no token free now. */
    public static final int NONE = -1;
    /** {@link #tryAcquire}: the budget failed open; run without a token. */
    public static final int UNLIMITED = -2;

    /**
     * How long a polling waiter takes another waiter's failed sweep as its own. Shorter than a
     * waiter's first poll (100 µs), so a lone waiter always sweeps.
     */
    public static final long SWEEP_SHARE_MICROS = 50;
    private static final long SWEEP_SHARE_NANOS = TimeUnit.MICROSECONDS.toNanos(SWEEP_SHARE_MICROS);
    static final int WAIT_SLOTS = 64;
    /** Where the waiting slots start in the {@code waiting} file (past its content). */
    private static final long WAIT_SLOT_BASE = 1_024;
    private static final String FORMAT = "spindle host budget v1";
    /** How long opening waits for another JVM that is setting up the same budget. */
    private static final long SETUP_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(10);

    private static final Map<Path, HostBudget> OPEN = new HashMap<>();

    private final Path directory;
    private final int tokens;
    private final AsynchronousFileChannel[] tokenChannels;
    /** The lock of each token this JVM holds; written and read by the claim's owner only. */
    private final FileLock[] locks;
    /** 1 while a thread of this JVM owns the token's claim (it holds or is trying its lock). */
    private final AtomicIntegerArray claimed;
    private final AtomicInteger heldHere = new AtomicInteger();
    /** Where the next {@link #tryAcquire} starts, so that tokens are used round the ring. */
    private final AtomicInteger nextStart = new AtomicInteger();
    private final AsynchronousFileChannel waitingChannel;
    private volatile boolean failed;
    /**
     * When the last sweep of {@link #tryAcquireWhilePolling} that found no token started; moved
     * back by {@link #release}, so a token this JVM gives back is seen at once.
     */
    private volatile long failedSweepStart;
    /** Sweeps over the tokens {@link #tryAcquireWhilePolling} made; for tests. */
    private final AtomicLong pollingSweeps = new AtomicLong();

    // Guarded by this: the JVM's waiters and the slot lock that announces them.
    private int waiters;
    private FileLock waitingSlot;

    private HostBudget(Path directory, int tokens, AsynchronousFileChannel[] tokenChannels,
                       AsynchronousFileChannel waitingChannel) {
        this.directory = directory;
        this.tokens = tokens;
        this.tokenChannels = tokenChannels;
        this.locks = new FileLock[tokens];
        this.claimed = new AtomicIntegerArray(tokens);
        this.waitingChannel = waitingChannel;
        this.failedSweepStart = System.nanoTime() - 2 * SWEEP_SHARE_NANOS;
    }

    /**
     * The budget this setting names, opened once per JVM and shared by every scheduler in it:
     * creates its directory and files if missing (under a lock on the descriptor, so JVMs starting
     * together agree), else checks them.
     *
     * @throws IllegalStateException naming the path if a directory or file is another user's,
     *     has the wrong permissions, is a link, or is corrupt; or if the budget exists with a
     *     different token count than {@code setting} sets explicitly
     * @throws UncheckedIOException if the file system fails
     */
    public static synchronized HostBudget open(HostBudgetSetting setting) {
        Path directory = setting.budgetDirectory().toAbsolutePath().normalize();
        HostBudget open = OPEN.get(directory);
        if (open == null) {
            try {
                open = create(setting, directory);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot open the host budget '" + setting.name()
                        + "' in " + directory + ": " + e.getMessage(), e);
            }
            OPEN.put(directory, open);
        } else if (setting.coresExplicit() && open.tokens != setting.cores()) {
            throw sizeMismatch(directory, open.tokens, setting.cores());
        }
        return open;
    }

    private static HostBudget create(HostBudgetSetting setting, Path directory) throws IOException {
        BudgetFiles files = new BudgetFiles(setting.shared(), directory);
        files.prepareBase(setting.baseDirectory());
        files.prepareDirectory(directory, "host budget directory");
        int tokens;
        Path descriptor = directory.resolve("budget");
        try (FileChannel channel = files.openChecked(descriptor, "host budget descriptor");
             FileLock setup = lockForSetup(channel, descriptor)) {
            String found = BudgetFiles.read(channel, descriptor, "host budget descriptor");
            if (found.isEmpty()) {
                tokens = setting.cores();
                BudgetFiles.writeOrCheck(channel, descriptor, "host budget descriptor", describe(tokens));
            } else {
                tokens = parseTokens(found, descriptor);
                if (setting.coresExplicit() && tokens != setting.cores()) {
                    throw sizeMismatch(directory, tokens, setting.cores());
                }
            }
            for (int i = 0; i < tokens; i++) {
                Path file = tokenFile(directory, i);
                try (FileChannel token = files.openChecked(file, "host budget token file")) {
                    BudgetFiles.writeOrCheck(token, file, "host budget token file", FORMAT + " token " + i + "\n");
                }
            }
            Path waiting = directory.resolve("waiting");
            try (FileChannel waitingFile = files.openChecked(waiting, "host budget waiting file")) {
                BudgetFiles.writeOrCheck(waitingFile, waiting, "host budget waiting file", FORMAT + " waiting\n");
            }
        }
        // Reopened as asynchronous channels: a FileChannel closes itself when a thread with its
        // interrupt status set calls tryLock (ClosedByInterruptException), and workers may carry an
        // interrupt; an AsynchronousFileChannel's tryLock is not interruptible. The setup channels
        // were closed above, before this JVM took any token lock (closing drops all of them).
        AsynchronousFileChannel[] channels = new AsynchronousFileChannel[tokens];
        Set<java.nio.file.OpenOption> options = Set.of(StandardOpenOption.READ, StandardOpenOption.WRITE,
                LinkOption.NOFOLLOW_LINKS);
        for (int i = 0; i < tokens; i++) {
            channels[i] = AsynchronousFileChannel.open(tokenFile(directory, i), options, null);
        }
        AsynchronousFileChannel waiting = AsynchronousFileChannel.open(directory.resolve("waiting"), options, null);
        return new HostBudget(directory, tokens, channels, waiting);
    }

    private static FileLock lockForSetup(FileChannel channel, Path descriptor) throws IOException {
        long deadline = System.nanoTime() + SETUP_TIMEOUT_NANOS;
        for (long pause = 1_000_000L; ; pause = Math.min(pause * 2, 50_000_000L)) {
            FileLock lock = channel.tryLock();
            if (lock != null) {
                return lock;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("the host budget descriptor " + descriptor
                        + " stayed locked for 10 s: another process holds it while setting the budget up");
            }
            LockSupport.parkNanos(pause);
        }
    }

    private static String describe(int tokens) {
        return FORMAT + "\ntokens " + tokens + "\n";
    }

    private static int parseTokens(String found, Path descriptor) {
        String prefix = FORMAT + "\ntokens ";
        if (found.startsWith(prefix) && found.endsWith("\n")) {
            try {
                int tokens = Integer.parseInt(found.substring(prefix.length(), found.length() - 1));
                if (tokens >= 1 && tokens <= HostBudgetSetting.MAX_CORES && found.equals(describe(tokens))) {
                    return tokens;
                }
            } catch (NumberFormatException e) {
                // corrupt, below
            }
        }
        throw BudgetFiles.corrupt(descriptor, "host budget descriptor", found, FORMAT + "\\ntokens <1.."
                + HostBudgetSetting.MAX_CORES + ">\\n");
    }

    private static IllegalStateException sizeMismatch(Path directory, int existing, int asked) {
        return new IllegalStateException("the host budget in " + directory + " has " + existing
                + " tokens, but " + HostBudgetSetting.CORES_PROPERTY + " asks for " + asked
                + ": every JVM naming one budget must agree (leave the property unset to adopt the"
                + " existing size)");
    }

    private static Path tokenFile(Path directory, int i) {
        return directory.resolve("token-" + i);
    }

    /** The budget's directory. */
    public Path directory() {
        return directory;
    }

    /** The number of tokens the budget has (host-wide). */
    public int tokens() {
        return tokens;
    }

    /** Tokens this JVM holds now. Any thread; a snapshot. */
    public int heldByThisJvm() {
        return heldHere.get();
    }

    /**
     * Takes a free token if there is one, without waiting.
     *
     * @return the token's index, to give to {@link #release}; {@link #NONE} if every token is held
     *     (by this JVM or another); {@link #UNLIMITED} if the budget failed open
     */
    public int tryAcquire() {
        if (failed) {
            return UNLIMITED;
        }
        int start = Math.floorMod(nextStart.getAndIncrement(), tokens);
        for (int k = 0; k < tokens; k++) {
            int i = start + k < tokens ? start + k : start + k - tokens;
            // The claim keeps two threads of this JVM off one file (the OS would let both "lock" it).
            if (claimed.get(i) != 0 || !claimed.compareAndSet(i, 0, 1)) {
                continue;
            }
            FileLock lock;
            try {
                lock = tokenChannels[i].tryLock(0, 1, false);
            } catch (IOException | RuntimeException e) {
                claimed.set(i, 0);
                failOpen(e);
                return UNLIMITED;
            }
            if (lock != null) {
                locks[i] = lock;                         // read back only by this thread, in release
                heldHere.incrementAndGet();
                return i;
            }
            claimed.set(i, 0);                           // another process holds it
        }
        return NONE;
    }

    /**
     * {@link #tryAcquire} for a thread that polls while it waits: if another thread of this JVM
     * swept every token and found none less than {@value #SWEEP_SHARE_MICROS} µs ago (and no
     * thread of this JVM released one since), returns {@link #NONE} without a system call. So the
     * waiters of a JVM make at most one sweep (a {@code tryLock} per token another process holds)
     * per period together, however many they are; a token another process frees is found by the
     * next sweep, at most one period later ({@code docs/design/scaling.md}).
     */
    public int tryAcquireWhilePolling() {
        long start = System.nanoTime();
        if (start - failedSweepStart < SWEEP_SHARE_NANOS) {
            return failed ? UNLIMITED : NONE;
        }
        pollingSweeps.incrementAndGet();
        int got = tryAcquire();
        if (got == NONE) {
            // The sweep's start, not its end: a token freed by another process during the sweep
            // is then looked for again one period after the start. A release of this JVM that
            // lands during the sweep may be overwritten here; it waits one period at most.
            failedSweepStart = start;
        }
        return got;
    }

    /** Sweeps {@link #tryAcquireWhilePolling} made; for tests. */
    public long pollingSweeps() {
        return pollingSweeps.get();
    }

    /**
     * Gives back a token from {@link #tryAcquire}; {@link #NONE} and {@link #UNLIMITED} are
     * ignored. Only the thread that acquired it.
     */
    public void release(int token) {
        if (token < 0) {
            return;
        }
        FileLock lock = locks[token];
        locks[token] = null;
        heldHere.decrementAndGet();
        try {
            lock.release();
        } catch (IOException | RuntimeException e) {
            failOpen(e);
        } finally {
            // Volatile store after the OS lock is gone: the next claimant's tryLock cannot meet it.
            claimed.set(token, 0);
            // After the claim is free: a poller that reads this sweeps, and its claim succeeds.
            failedSweepStart = System.nanoTime() - 2 * SWEEP_SHARE_NANOS;
        }
    }

    /** A thread of this JVM starts waiting for a token: announce the JVM as waiting. */
    public synchronized void waiterArrived() {
        waiters++;
        announceWaiting();
    }

    /**
     * Called again by a waiter while it polls: if the JVM's announcement could not be made before
     * (every slot taken, or another JVM was probing the slots), tries again.
     */
    public synchronized void stillWaiting() {
        if (waiters > 0 && waitingSlot == null) {
            announceWaiting();
        }
    }

    /** A waiter of this JVM got a token or gave up waiting. */
    public synchronized void waiterLeft() {
        if (--waiters == 0 && waitingSlot != null) {
            try {
                waitingSlot.release();
            } catch (IOException | RuntimeException e) {
                failOpen(e);
            }
            waitingSlot = null;
        }
    }

    private void announceWaiting() {
        if (failed) {
            return;
        }
        try {
            for (int k = 0; k < WAIT_SLOTS && waitingSlot == null; k++) {
                waitingSlot = waitingChannel.tryLock(WAIT_SLOT_BASE + k, 1, false);
            }
        } catch (IOException | RuntimeException e) {
            failOpen(e);
        }
    }

    /**
     * Whether another process announces a waiter now. Probes every slot but this JVM's own (the OS
     * would not report a conflict with our own lock) by locking them for an instant; a waiter that
     * meets the probe retries its announcement while it polls.
     */
    public synchronized boolean othersWaiting() {
        if (failed) {
            return false;
        }
        long own = waitingSlot == null ? -1 : waitingSlot.position() - WAIT_SLOT_BASE;
        try {
            if (own < 0) {
                return isLocked(WAIT_SLOT_BASE, WAIT_SLOTS);
            }
            return (own > 0 && isLocked(WAIT_SLOT_BASE, own))
                    || (own < WAIT_SLOTS - 1 && isLocked(WAIT_SLOT_BASE + own + 1, WAIT_SLOTS - own - 1));
        } catch (IOException | RuntimeException e) {
            failOpen(e);
            return false;
        }
    }

    private boolean isLocked(long position, long size) throws IOException {
        FileLock probe = waitingChannel.tryLock(position, size, false);
        if (probe == null) {
            return true;
        }
        probe.release();
        return false;
    }

    private void failOpen(Exception e) {
        if (!failed) {
            failed = true;
            System.err.println("spindle: the host budget in " + directory + " failed (" + e
                    + "); this JVM's workers now run without its tokens");
        }
    }
}
