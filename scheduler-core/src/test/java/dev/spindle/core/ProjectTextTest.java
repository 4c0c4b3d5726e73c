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

/**
 * Keeps the project's text about the code, not about how it was written: no document, build file,
 * script or Java source (Javadoc, comments, test names) names the working periods it was written in
 * or the instructions the work followed ({@link #HISTORY}). Decisions and their reasons belong in
 * the text; its history stays in git. The words are matched whole and case-insensitively, so
 * {@code SparkSession} and "in brief" pass.
 */
class ProjectTextTest {

    /** Work-history words, whole and in any case; the second one also across a line break. */
    private static final Pattern HISTORY = Pattern.compile("(?i)\\bsessions?\\b|\\bthe\\s+brief\\b");

    @Test
    void projectText_tellsNoWorkHistory() throws IOException {
        Path root = SourceTree.root();
        List<String> found = new ArrayList<>();
        List<Path> files = textFiles(root);
        for (Path file : files) {
            String text = Files.readString(file);
            Matcher word = HISTORY.matcher(text);
            while (word.find()) {
                int line = 1 + (int) text.substring(0, word.start()).chars().filter(c -> c == '\n').count();
                found.add(root.relativize(file).toString().replace('\\', '/') + ":" + line + ": '" + word.group() + "'");
            }
        }
        assertTrue(files.size() > 100, () -> "found only " + files.size() + " files: is the walk still right?");
        assertTrue(found.isEmpty(), () -> "project text speaks of work history:\n" + String.join("\n", found));
    }

    /** README.md, Markdown, Java, XML and shell files, outside build output and hidden directories. */
    private static List<Path> textFiles(Path root) throws IOException {
        return SourceTree.files(root, relative -> relative.endsWith(".java") || relative.endsWith(".md")
                || relative.endsWith(".xml") || relative.endsWith(".sh"));
    }
}
