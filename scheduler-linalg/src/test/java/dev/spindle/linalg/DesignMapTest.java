package dev.spindle.linalg;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.core.testing.SourceTree;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

/** docs/design/README.md maps every main source file of this module too (the core's test checks the paths exist). */
class DesignMapTest {

    @Test
    void designMap_listsEveryMainSourceFileOfLinalg() throws IOException {
        String map = Files.readString(SourceTree.root().resolve("docs/design/README.md"));
        List<String> unlisted = SourceTree.sourcesNotNamedIn(map, "scheduler-linalg/src/main/java");
        assertTrue(unlisted.isEmpty(), () -> "docs/design/README.md does not map: " + unlisted);
    }
}
