package dev.spindle.core;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Layers point one way ({@code docs/design/README.md}, "Layers"): the engine (workers, deques,
 * sleep, the wait loop, stand-ins, the engine's arena) never names the features built on it, and
 * the {@code internal} package never names {@code dev.spindle.core}. Comments may mention them;
 * code may not.
 */
class EngineLayersTest {

    /** The engine's files in {@code dev.spindle.core}; everything in {@code internal} is engine too. */
    static final List<String> ENGINE = List.of("Worker.java", "WorkerOwnerState.java", "WorkerPool.java",
            "WorkerThread.java", "SpareWorkers.java", "StallMonitor.java", "ArenaCore.java", "Region.java",
            "NestingLimit.java", "PoolBudget.java", "WorkerBudget.java", "FlightEvents.java",
            "WorkerSleepEvent.java", "StealsEvent.java", "StandInStartedEvent.java", "StandInRetiredEvent.java",
            "BlockedWorkerEvent.java", "LongTaskEvent.java");
    private static final Pattern FEATURE = Pattern.compile("\\b(Scheduler|Arena|TaskGroup|Parallel)\\b");
    private static final Pattern CORE_PACKAGE = Pattern.compile("\\bdev\\.spindle\\.core\\.(?!internal\\b)");

    private static Path coreSources() {
        Path here = Paths.get("").toAbsolutePath();
        for (Path p = here; p != null; p = p.getParent()) {
            Path sources = p.resolve("scheduler-core/src/main/java/dev/spindle/core");
            if (Files.isDirectory(sources)) {
                return sources;
            }
            if (p.endsWith("scheduler-core") && Files.isDirectory(p.resolve("src/main/java/dev/spindle/core"))) {
                return p.resolve("src/main/java/dev/spindle/core");
            }
        }
        throw new IllegalStateException("no scheduler-core sources above " + here);
    }

    /** The text without comments and string literals, so that only code is checked. */
    static String code(String source) {
        return source.replaceAll("(?s)/\\*.*?\\*/", " ")
                .replaceAll("//[^\\n]*", " ")
                .replaceAll("\"(\\\\.|[^\"\\\\])*\"", "\"\"");
    }

    @Test
    void engineFiles_nameNoFeatureBuiltOnThem() throws IOException {
        Path sources = coreSources();
        List<String> violations = new ArrayList<>();
        for (String file : ENGINE) {
            Path path = sources.resolve(file);
            assertTrue(Files.exists(path), "the engine list names a missing file: " + file);
            Matcher feature = FEATURE.matcher(code(Files.readString(path)));
            while (feature.find()) {
                violations.add(file + " names " + feature.group(1));
            }
        }
        assertTrue(violations.isEmpty(), () -> "the engine calls up into features: " + violations);
    }

    @Test
    void internalPackage_namesNothingOfTheCorePackage() throws IOException {
        List<String> violations = new ArrayList<>();
        try (Stream<Path> files = Files.list(coreSources().resolve("internal"))) {
            for (Path path : (Iterable<Path>) files::iterator) {
                String text = code(Files.readString(path));
                Matcher core = CORE_PACKAGE.matcher(text);
                if (core.find() || FEATURE.matcher(text).find()) {
                    violations.add(path.getFileName().toString());
                }
            }
        }
        assertTrue(violations.isEmpty(), () -> "internal names the core package: " + violations);
    }

    @Test
    void theCheckCanFail() {
        assertTrue(FEATURE.matcher(code("class X { Arena a; }")).find());
        assertTrue(!FEATURE.matcher(code("class X { /* Arena */ String s = \"Scheduler\"; } // TaskGroup")).find());
        assertTrue(CORE_PACKAGE.matcher(code("import dev.spindle.core.Task;")).find());
        assertTrue(!CORE_PACKAGE.matcher(code("import dev.spindle.core.internal.Sleep;")).find());
    }
}
