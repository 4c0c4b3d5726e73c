package dev.spindle.core;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.core.testing.SourceTree;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps every {@code package-info.java} a true introduction to its package: each package of the
 * shipped modules and of the benchmarks has one, and it names every public top-level type of the
 * package. (jcstress holds test code only and is not checked.)
 */
class PackageDocsTest {

    /** Main source roots checked, relative to the repository root. */
    private static final List<String> SOURCE_ROOTS = List.of("scheduler-core/src/main/java",
            "scheduler-core/agent/src/main/java", "scheduler-core/spark/src/main/java", "scheduler-linalg/src/main/java",
            "scheduler-bench/src/main/java");

    private static final Pattern PUBLIC_TYPE = Pattern.compile(
            "(?m)^public\\s+(?:(?:final|abstract|sealed|non-sealed|strictfp)\\s+)*(?:class|interface|enum|record|@interface)\\s+(\\w+)");

    @Test
    void everyPackageInfo_namesEveryPublicTypeOfItsPackage() throws IOException {
        Path root = SourceTree.root();
        Map<Path, List<String>> publicTypes = new TreeMap<>();
        for (String sourceRoot : SOURCE_ROOTS) {
            try (Stream<Path> files = Files.walk(root.resolve(sourceRoot))) {
                for (Path file : (Iterable<Path>) files::iterator) {
                    String name = file.getFileName().toString();
                    if (!name.endsWith(".java") || name.equals("package-info.java") || name.equals("module-info.java")) {
                        continue;
                    }
                    List<String> types = publicTypes.computeIfAbsent(file.getParent(), p -> new ArrayList<>());
                    Matcher type = PUBLIC_TYPE.matcher(Files.readString(file));
                    if (type.find()) {
                        types.add(type.group(1));
                    }
                }
            }
        }
        assertTrue(publicTypes.size() >= 10, () -> "found only the packages " + publicTypes.keySet()
                + ": are the source roots still right?");

        List<String> problems = new ArrayList<>();
        for (Map.Entry<Path, List<String>> entry : publicTypes.entrySet()) {
            Path packageInfo = entry.getKey().resolve("package-info.java");
            String where = root.relativize(entry.getKey()).toString().replace('\\', '/');
            if (!Files.exists(packageInfo)) {
                problems.add(where + ": no package-info.java");
                continue;
            }
            String introduction = Files.readString(packageInfo);
            for (String type : entry.getValue()) {
                if (!Pattern.compile("\\b" + type + "\\b").matcher(introduction).find()) {
                    problems.add(where + "/package-info.java does not name " + type);
                }
            }
        }
        assertTrue(problems.isEmpty(), () -> String.join("\n", problems));
    }
}
