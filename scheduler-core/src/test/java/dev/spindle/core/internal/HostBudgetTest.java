package dev.spindle.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The host budget inside one JVM: the configuration and its errors, token accounting, and the
 * files it refuses (wrong permissions, a link, corrupt content, a size that disagrees). Each test
 * uses a budget directory of its own under a fresh temporary directory (budgets are opened once
 * per JVM and directory).
 */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class HostBudgetTest {

    @TempDir
    Path temp;

    private HostBudgetSetting setting(String name, String cores, String dir) {
        Map<String, String> properties = new HashMap<>();
        properties.put(HostBudgetSetting.PROPERTY, name);
        if (cores != null) {
            properties.put(HostBudgetSetting.CORES_PROPERTY, cores);
        }
        if (dir != null) {
            properties.put(HostBudgetSetting.DIR_PROPERTY, dir);
        }
        properties.put("user.name", System.getProperty("user.name"));
        properties.put("java.io.tmpdir", temp.toString());
        return HostBudgetSetting.resolve(properties::get, variable -> null, 2);
    }

    @Test
    void noNameNoBudget_andTheEnvironmentVariableNamesOne() {
        assertNull(HostBudgetSetting.resolve(key -> null, variable -> null, 4));
        HostBudgetSetting fromEnvironment = HostBudgetSetting.resolve(
                key -> key.equals("user.name") ? "alice" : key.equals("java.io.tmpdir") ? "/tmp" : null,
                variable -> variable.equals(HostBudgetSetting.ENVIRONMENT) ? "batch" : null, 4);
        assertEquals("batch", fromEnvironment.name());
        assertEquals(4, fromEnvironment.cores());
        assertFalse(fromEnvironment.coresExplicit());
        assertEquals(Path.of("/tmp", "spindle-alice", "batch"), fromEnvironment.budgetDirectory());
        assertTrue(fromEnvironment.source().contains(HostBudgetSetting.ENVIRONMENT));
        HostBudgetSetting xdg = HostBudgetSetting.resolve(key -> key.equals(HostBudgetSetting.PROPERTY) ? "b" : null,
                variable -> variable.equals("XDG_RUNTIME_DIR") ? "/run/user/1000" : null, 4);
        assertEquals(Path.of("/run/user/1000/spindle/b"), xdg.budgetDirectory());
    }

    @Test
    void badNames_areRefusedNamingTheValue() {
        for (String bad : new String[] {"", "..", "a/b", "../etc", "a..b", ".hidden", "a b", "x\\y",
                "a".repeat(65), "tab\t", "é"}) {
            IllegalArgumentException thrown = assertThrows(IllegalArgumentException.class,
                    () -> setting(bad, null, null), bad);
            assertTrue(thrown.getMessage().contains("'" + bad + "'"), thrown.getMessage());
            assertTrue(thrown.getMessage().contains(HostBudgetSetting.PROPERTY), thrown.getMessage());
        }
        assertEquals("ok.name_1-2", setting("ok.name_1-2", null, null).name());
    }

    @Test
    void badCoresAndDirectories_areRefusedNamingTheValue() {
        for (String bad : new String[] {"0", "-1", "many", "4097", ""}) {
            IllegalArgumentException thrown = assertThrows(IllegalArgumentException.class,
                    () -> setting("b", bad, null), bad);
            assertTrue(thrown.getMessage().contains(HostBudgetSetting.CORES_PROPERTY), thrown.getMessage());
            assertTrue(thrown.getMessage().contains(bad), thrown.getMessage());
        }
        IllegalArgumentException relative = assertThrows(IllegalArgumentException.class,
                () -> setting("b", null, "relative/dir"));
        assertTrue(relative.getMessage().contains("relative/dir"), relative.getMessage());
    }

    @Test
    void tokens_areCountedAndHandedOutOnceEach() {
        HostBudget budget = HostBudget.open(setting("accounting", "3", null));
        assertEquals(3, budget.tokens());
        Set<Integer> held = new HashSet<>();
        for (int i = 0; i < 3; i++) {
            int token = budget.tryAcquire();
            assertTrue(token >= 0 && token < 3, "token " + token);
            assertTrue(held.add(token), "token " + token + " handed out twice");
        }
        assertEquals(3, budget.heldByThisJvm());
        assertEquals(HostBudget.NONE, budget.tryAcquire());
        int first = held.iterator().next();
        budget.release(first);
        assertEquals(2, budget.heldByThisJvm());
        assertEquals(first, budget.tryAcquire());
        for (int token : held) {
            budget.release(token);
        }
        assertEquals(0, budget.heldByThisJvm());
        budget.release(HostBudget.NONE);                 // ignored
        assertFalse(budget.othersWaiting());             // nobody else announces a waiter
        budget.waiterArrived();
        assertFalse(budget.othersWaiting(), "this JVM's own waiter is not another JVM's");
        budget.waiterLeft();
    }

    /**
     * Waiters that poll share one sweep per period: with every token held, many polls make few
     * sweeps; a token given back is found by the very next poll.
     */
    @Test
    void pollingWaiters_shareOneSweepPerPeriod_andSeeAReleaseAtOnce() {
        HostBudget budget = HostBudget.open(setting("polling", "2", null));
        int first = budget.tryAcquire();
        int second = budget.tryAcquire();
        assertTrue(first >= 0 && second >= 0, first + ", " + second);
        long sweepsBefore = budget.pollingSweeps();
        long start = System.nanoTime();
        for (int i = 0; i < 100_000; i++) {
            assertEquals(HostBudget.NONE, budget.tryAcquireWhilePolling());
        }
        long elapsed = System.nanoTime() - start;
        long sweeps = budget.pollingSweeps() - sweepsBefore;
        long allowed = 1 + elapsed / java.util.concurrent.TimeUnit.MICROSECONDS.toNanos(HostBudget.SWEEP_SHARE_MICROS);
        assertTrue(sweeps >= 1 && sweeps <= allowed, sweeps + " sweeps in " + elapsed + " ns, at most " + allowed);
        budget.release(second);
        assertEquals(second, budget.tryAcquireWhilePolling(), "a released token was not seen by the next poll");
        budget.release(first);
        budget.release(second);
        assertEquals(0, budget.heldByThisJvm());
    }

    @Test
    void tokens_raceBetweenThreads_neverHeldTwice() throws Exception {
        HostBudget budget = HostBudget.open(setting("race", "2", null));
        java.util.concurrent.atomic.AtomicInteger inside = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger worst = new java.util.concurrent.atomic.AtomicInteger();
        Thread[] threads = new Thread[4];
        for (int t = 0; t < threads.length; t++) {
            threads[t] = new Thread(() -> {
                for (int round = 0; round < 2_000; round++) {
                    int token = budget.tryAcquire();
                    if (token >= 0) {
                        worst.accumulateAndGet(inside.incrementAndGet(), Math::max);
                        inside.decrementAndGet();
                        budget.release(token);
                    }
                }
            });
            threads[t].start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        assertTrue(worst.get() <= 2, "held at once: " + worst.get());
        assertEquals(0, budget.heldByThisJvm());
    }

    @Test
    void anInterruptedThread_takesAndReleasesTokens_andTheBudgetSurvives() {
        HostBudget budget = HostBudget.open(setting("interrupted", "1", null));
        Thread.currentThread().interrupt();
        try {
            int token = budget.tryAcquire();
            assertTrue(token >= 0);
            budget.release(token);
        } finally {
            assertTrue(Thread.interrupted());
        }
        int again = budget.tryAcquire();
        assertTrue(again >= 0, "the budget failed after an interrupt: " + again);
        budget.release(again);
    }

    @Test
    void theFilesAreTheOwnersOnly() throws IOException {
        HostBudget budget = HostBudget.open(setting("private", "1", null));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(budget.directory())));
        assertEquals("rwx------", PosixFilePermissions.toString(
                Files.getPosixFilePermissions(budget.directory().getParent())));
        for (String file : new String[] {"budget", "token-0", "waiting"}) {
            assertEquals("rw-------", PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(budget.directory().resolve(file))), file);
        }
    }

    @Test
    void aDirectoryOthersMayUse_isRefused() throws IOException {
        Path base = temp.resolve("spindle-" + System.getProperty("user.name"));
        Files.createDirectory(base);
        Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwxrwxrwx"));
        IllegalStateException thrown = assertThrows(IllegalStateException.class,
                () -> HostBudget.open(setting("open", null, null)));
        assertTrue(thrown.getMessage().contains(base.toString()), thrown.getMessage());
        assertTrue(thrown.getMessage().contains("rwxrwxrwx"), thrown.getMessage());
    }

    @Test
    void aLinkInPlaceOfTheDirectory_isRefused() throws IOException {
        Path elsewhere = Files.createDirectory(temp.resolve("elsewhere"));
        Files.setPosixFilePermissions(elsewhere, PosixFilePermissions.fromString("rwx------"));
        Files.createSymbolicLink(temp.resolve("spindle-" + System.getProperty("user.name")), elsewhere);
        IllegalStateException thrown = assertThrows(IllegalStateException.class,
                () -> HostBudget.open(setting("linked", null, null)));
        assertTrue(thrown.getMessage().contains("symbolic link"), thrown.getMessage());
    }

    @Test
    void aCorruptTokenFile_isRefusedNamingIt() throws IOException {
        Path dir = prepared("corrupt");
        Path token = written(dir.resolve("token-0"), "not a token\n", "rw-------");
        IllegalStateException thrown = assertThrows(IllegalStateException.class,
                () -> HostBudget.open(setting("corrupt", "1", null)));
        assertTrue(thrown.getMessage().contains(token.toString()), thrown.getMessage());
        assertTrue(thrown.getMessage().contains("not a token"), thrown.getMessage());
    }

    @Test
    void aCorruptDescriptor_orALinkedToken_isRefused() throws IOException {
        Path dir = prepared("descriptor");
        Path descriptor = written(dir.resolve("budget"), "spindle host budget v1\ntokens -5\n", "rw-------");
        IllegalStateException thrown = assertThrows(IllegalStateException.class,
                () -> HostBudget.open(setting("descriptor", null, null)));
        assertTrue(thrown.getMessage().contains(descriptor.toString()), thrown.getMessage());

        Path linked = prepared("linked-token");
        Path target = Files.createFile(temp.resolve("target"));
        Files.createSymbolicLink(linked.resolve("token-0"), target);
        IllegalStateException link = assertThrows(IllegalStateException.class,
                () -> HostBudget.open(setting("linked-token", "1", null)));
        assertTrue(link.getMessage().contains("token-0"), link.getMessage());
    }

    @Test
    void aFileWithLooserPermissions_isRefused() throws IOException {
        HostBudget.open(setting("loose", "1", null));
        Path token = temp.resolve("spindle-" + System.getProperty("user.name")).resolve("loose-copy");
        Files.createDirectory(token, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        written(token.resolve("budget"), "", "rw-rw-rw-");
        IllegalStateException thrown = assertThrows(IllegalStateException.class,
                () -> HostBudget.open(setting("loose-copy", "1", null)));
        assertTrue(thrown.getMessage().contains("rw-rw-rw-"), thrown.getMessage());
    }

    @Test
    void aBudgetOfAnotherSize_isRefusedWhenTheSizeIsExplicit_andAdoptedOtherwise() {
        HostBudget two = HostBudget.open(setting("sized", "2", null));
        IllegalStateException thrown = assertThrows(IllegalStateException.class,
                () -> HostBudget.open(setting("sized", "3", null)));
        assertTrue(thrown.getMessage().contains("2 tokens"), thrown.getMessage());
        assertTrue(thrown.getMessage().contains("3"), thrown.getMessage());
        assertEquals(2, HostBudget.open(setting("sized", null, null)).tokens());
        assertEquals(two, HostBudget.open(setting("sized", null, null)));
    }

    @Test
    void aSharedDirectory_mustExistAndNotBePublic() throws IOException {
        Path shared = Files.createDirectory(temp.resolve("group"));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwx---"));
        HostBudget budget = HostBudget.open(setting("team", "1", shared.toString()));
        assertEquals("rw-rw----", PosixFilePermissions.toString(
                Files.getPosixFilePermissions(budget.directory().resolve("token-0"))));
        Path open = Files.createDirectory(temp.resolve("public"));
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));
        IllegalStateException thrown = assertThrows(IllegalStateException.class,
                () -> HostBudget.open(setting("team", "1", open.toString())));
        assertTrue(thrown.getMessage().contains(open.toString()), thrown.getMessage());
        assertNotEquals(budget.directory(), open);
    }

    /** {@code file} with {@code text} (ASCII) in it and the given permissions. */
    private static Path written(Path file, String text, String permissions) throws IOException {
        Files.writeString(file, text, StandardCharsets.US_ASCII);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(permissions));
        return file;
    }

    /** The per-user base and an empty budget directory of this name, owner-only. */
    private Path prepared(String name) throws IOException {
        Path base = temp.resolve("spindle-" + System.getProperty("user.name"));
        if (!Files.exists(base)) {
            Files.createDirectory(base, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        return Files.createDirectory(base.resolve(name),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }
}
