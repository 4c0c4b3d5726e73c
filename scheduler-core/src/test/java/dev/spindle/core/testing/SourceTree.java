package dev.spindle.core.testing;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * The repository's files, for the tests that keep its documents true to the tree (the design map,
 * the package introductions, the reliability page).
 */
public final class SourceTree {

    private SourceTree() {
    }

    /** The repository's root: the nearest directory at or above the working directory with {@code docs/design} and a {@code pom.xml}. */
    public static Path root() {
        Path here = Paths.get("").toAbsolutePath();
        for (Path p = here; p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("docs/design")) && Files.exists(p.resolve("pom.xml"))) {
                return p;
            }
        }
        throw new IllegalStateException("no docs/design and pom.xml above " + here);
    }

    /**
     * The Java source files under {@code sourceRoot} (a path relative to the root), other than
     * {@code package-info.java} and {@code module-info.java}, whose root-relative path (with
     * {@code /}) {@code text} does not contain.
     */
    public static List<String> sourcesNotNamedIn(String text, String sourceRoot) throws IOException {
        Path root = root();
        List<String> unnamed = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root.resolve(sourceRoot))) {
            for (Path file : (Iterable<Path>) files::iterator) {
                String name = file.getFileName().toString();
                if (name.endsWith(".java") && !name.equals("package-info.java") && !name.equals("module-info.java")) {
                    String relative = root.relativize(file).toString().replace('\\', '/');
                    if (!text.contains(relative)) {
                        unnamed.add(relative);
                    }
                }
            }
        }
        return unnamed;
    }

    /**
     * The files under {@code root} whose root-relative path (with {@code /}) {@code wanted} accepts,
     * outside build output ({@code target}) and hidden directories.
     */
    public static List<Path> files(Path root, Predicate<String> wanted) throws IOException {
        List<Path> files = new ArrayList<>();
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                String name = dir.getFileName() == null ? "" : dir.getFileName().toString();
                boolean skip = !dir.equals(root) && (name.equals("target") || name.startsWith("."));
                return skip ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                if (wanted.test(root.relativize(file).toString().replace('\\', '/'))) {
                    files.add(file);
                }
                return FileVisitResult.CONTINUE;
            }
        });
        return files;
    }
}
