package dev.spindle.core;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.core.testing.SourceTree;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Keeps {@code docs/reliability.md} true to the tree: every source file it names exists. */
class ReliabilityDocTest {

    /** A backquoted path of a source file in any module, nested ones included. */
    private static final Pattern SOURCE_PATH = Pattern.compile("`((?:scheduler-[a-z]+/)+src/[^`]+\\.java)`");

    @Test
    void reliabilityDoc_namesOnlySourceFilesThatExist() throws IOException {
        Path root = SourceTree.root();
        String text = Files.readString(root.resolve("docs/reliability.md"));
        List<String> missing = new ArrayList<>();
        int named = 0;
        Matcher source = SOURCE_PATH.matcher(text);
        while (source.find()) {
            named++;
            if (!Files.exists(root.resolve(source.group(1)))) {
                missing.add(source.group(1));
            }
        }
        assertTrue(named > 0, "docs/reliability.md names no source file: is the pattern still right?");
        assertTrue(missing.isEmpty(), () -> "docs/reliability.md names files that do not exist: " + missing);
    }
}
