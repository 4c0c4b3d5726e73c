package dev.spindle.linalg;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** docs/design/README.md maps every main source file of this module too (the core's test checks the paths exist). */
class DesignMapTest {

    @Test
    void designMap_listsEveryMainSourceFileOfLinalg() throws IOException {
        Path root = Paths.get("").toAbsolutePath();
        while (root != null && !Files.isDirectory(root.resolve("docs/design"))) {
            root = root.getParent();
        }
        assertTrue(root != null, "no docs/design above the working directory");
        String map = Files.readString(root.resolve("docs/design/README.md"));
        List<String> unlisted = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root.resolve("scheduler-linalg/src/main/java"))) {
            for (Path file : (Iterable<Path>) files::iterator) {
                String name = file.getFileName().toString();
                if (name.endsWith(".java") && !name.equals("package-info.java") && !name.equals("module-info.java")) {
                    String relative = root.relativize(file).toString().replace('\\', '/');
                    if (!map.contains(relative)) {
                        unlisted.add(relative);
                    }
                }
            }
        }
        assertTrue(unlisted.isEmpty(), () -> "docs/design/README.md does not map: " + unlisted);
    }
}
