package dev.spindle.core;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.core.testing.SourceTree;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Keeps the links into the results page true: every {@code benchmarks.md#…} named in a
 * document or a Java source, and every {@code (#…)} link inside the page, is one of the
 * page's headings.
 */
class BenchmarkDocsTest {

    private static final String PAGE = "docs/benchmarks.md";
    private static final Pattern LINK_INTO_PAGE = Pattern.compile("benchmarks\\.md#([A-Za-z0-9_-]+)");
    private static final Pattern LINK_IN_PAGE = Pattern.compile("\\]\\(#([A-Za-z0-9_-]+)\\)");
    private static final Pattern HEADING = Pattern.compile("(?m)^#{1,6} +(.+?) *$");

    @Test
    void everyLinkIntoTheResultsPage_namesASectionItHas() throws IOException {
        Path root = SourceTree.root();
        String page = Files.readString(root.resolve(PAGE));
        Set<String> sections = anchorsOf(page);
        List<String> broken = new ArrayList<>();
        int links = 0;
        for (Path file : documentsAndSources(root)) {
            Matcher link = LINK_INTO_PAGE.matcher(Files.readString(file));
            while (link.find()) {
                links++;
                if (!sections.contains(link.group(1))) {
                    broken.add(root.relativize(file) + " -> #" + link.group(1));
                }
            }
        }
        Matcher inPage = LINK_IN_PAGE.matcher(page);
        while (inPage.find()) {
            links++;
            if (!sections.contains(inPage.group(1))) {
                broken.add(PAGE + " -> #" + inPage.group(1));
            }
        }
        assertTrue(links > 0, "no link into " + PAGE + " found: are the patterns still right?");
        assertTrue(broken.isEmpty(), () -> "links to sections " + PAGE + " does not have: " + broken
                + "; its sections: " + sections);
    }

    /** The anchors a heading gets on GitHub: lower case, punctuation dropped, spaces as hyphens, repeats numbered. */
    private static Set<String> anchorsOf(String markdown) {
        Set<String> anchors = new HashSet<>();
        boolean inFence = false;
        for (String line : markdown.split("\n")) {
            if (line.startsWith("```")) {
                inFence = !inFence;
                continue;
            }
            Matcher heading = HEADING.matcher(line);
            if (inFence || !heading.matches()) {
                continue;
            }
            String slug = heading.group(1).toLowerCase(Locale.ROOT)
                    .replaceAll("[^\\p{L}\\p{N} _-]", "")
                    .replace(' ', '-');
            String anchor = slug;
            for (int repeat = 1; !anchors.add(anchor); repeat++) {
                anchor = slug + "-" + repeat;
            }
        }
        return anchors;
    }

    /** README.md, every Markdown file under docs/, and every Java source, outside build output and hidden directories. */
    private static List<Path> documentsAndSources(Path root) throws IOException {
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
                String relative = root.relativize(file).toString().replace('\\', '/');
                if (relative.endsWith(".java") || relative.equals("README.md")
                        || (relative.startsWith("docs/") && relative.endsWith(".md"))) {
                    files.add(file);
                }
                return FileVisitResult.CONTINUE;
            }
        });
        return files;
    }
}
