package dev.spindle.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.core.testing.SourceTree;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps the design notes true to the tree: every source file and note they name exists, and the
 * nesting limit they state is {@link NestingLimit}'s.
 */
class DesignDocsTest {

    private static final Pattern SOURCE_PATH = Pattern.compile("`(scheduler-[a-z]+/(?:[a-z]+/)?src/[^`]+\\.java)`");
    /** The nesting limit's formula as the notes write it, e.g. {@code (stack − 256 KiB) / 2560}. */
    private static final Pattern NESTING_FORMULA =
            Pattern.compile("\\((?:stack|workerStackSize) [−-] ([0-9]+) KiB\\) / ([0-9,]+)");
    private static final Pattern NOTE_LINK = Pattern.compile("\\]\\(([a-z-]+\\.md)\\)");

    @Test
    void designNotes_nameOnlyFilesThatExist() throws IOException {
        Path root = SourceTree.root();
        List<String> missing = new ArrayList<>();
        int named = 0;
        try (Stream<Path> notes = Files.list(root.resolve("docs/design"))) {
            for (Path note : (Iterable<Path>) notes.filter(p -> p.toString().endsWith(".md"))::iterator) {
                String text = Files.readString(note);
                Matcher source = SOURCE_PATH.matcher(text);
                while (source.find()) {
                    named++;
                    if (!Files.exists(root.resolve(source.group(1)))) {
                        missing.add(note.getFileName() + " -> " + source.group(1));
                    }
                }
                Matcher link = NOTE_LINK.matcher(text);
                while (link.find()) {
                    if (!Files.exists(note.resolveSibling(link.group(1)))) {
                        missing.add(note.getFileName() + " -> " + link.group(1));
                    }
                }
            }
        }
        assertTrue(named > 0, "the design notes name no source file: is the pattern still right?");
        assertTrue(missing.isEmpty(), () -> "design notes name files that do not exist: " + missing);
    }

    @Test
    void designMap_listsEveryMainSourceFileOfTheCoreTheAgentAndTheSparkPlugin() throws IOException {
        String map = Files.readString(SourceTree.root().resolve("docs/design/README.md"));
        List<String> unlisted = new ArrayList<>();
        for (String sourceRoot : List.of("scheduler-core/src/main/java", "scheduler-core/agent/src/main/java",
                "scheduler-core/spark/src/main/java")) {
            unlisted.addAll(SourceTree.sourcesNotNamedIn(map, sourceRoot));
        }
        assertTrue(unlisted.isEmpty(), () -> "docs/design/README.md does not map: " + unlisted);
    }

    @Test
    void designNotes_stateTheNestingLimitOfTheCode() throws IOException {
        Path notes = SourceTree.root().resolve("docs/design");
        List<String> stated = new ArrayList<>();
        try (Stream<Path> files = Files.list(notes)) {
            for (Path note : (Iterable<Path>) files::iterator) {
                if (!note.toString().endsWith(".md")) {
                    continue;
                }
                Matcher formula = NESTING_FORMULA.matcher(Files.readString(note));
                while (formula.find()) {
                    stated.add(note.getFileName() + ": " + formula.group());
                    assertEquals(NestingLimit.RESERVED_BYTES >> 10, Long.parseLong(formula.group(1)),
                            () -> note.getFileName() + " states the reserve as " + formula.group());
                    assertEquals(NestingLimit.BYTES_PER_LEVEL, Integer.parseInt(formula.group(2).replace(",", "")),
                            () -> note.getFileName() + " states the bytes per level as " + formula.group());
                }
            }
        }
        assertTrue(stated.size() >= 2, () -> "expected the formula in README.md and join.md, found " + stated);
    }
}
