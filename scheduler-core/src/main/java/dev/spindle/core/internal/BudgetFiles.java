package dev.spindle.core.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.Set;

/**
 * Who may use a host budget's files, and whether a file is one of ours: creates the directories
 * and files with owner-only (or, in a configured shared directory, owner-and-group) permissions,
 * and refuses, with a message naming the path, a directory or file that is a symbolic link, is
 * owned by another user (per-user directory), is writable by others, or does not hold what Spindle
 * writes there. Nothing found on disk is trusted before it passed these checks.
 *
 * <p>Called only while a budget is opened, under the descriptor's lock; not on any worker path.
 */
final class BudgetFiles {

    private static final Set<PosixFilePermission> OWNER_DIRECTORY = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> GROUP_DIRECTORY = PosixFilePermissions.fromString("rwxrwx---");
    private static final Set<PosixFilePermission> OWNER_FILE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> GROUP_FILE = PosixFilePermissions.fromString("rw-rw----");
    /** Longer than any file Spindle writes here: a bigger file is not ours. */
    static final int MAX_CONTENT = 256;

    private final boolean shared;
    private final UserPrincipal me;

    /**
     * @param shared whether the base directory was configured for sharing (group members may own
     *     files) rather than the per-user default (only this user)
     */
    BudgetFiles(boolean shared, Path anyPath) throws IOException {
        this.shared = shared;
        String user = System.getProperty("user.name");
        this.me = anyPath.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(user);
    }

    /** The per-user base directory: created owner-only if missing, else checked. */
    void prepareBase(Path base) throws IOException {
        if (shared) {
            PosixFileAttributes attributes = attributes(base, "host budget directory");
            if (!attributes.isDirectory()) {
                throw refused(base, "host budget directory", "is not a directory (a symbolic link is not accepted)");
            }
            if (attributes.permissions().contains(PosixFilePermission.OTHERS_WRITE)) {
                throw refused(base, "host budget directory", "is writable by every user ("
                        + PosixFilePermissions.toString(attributes.permissions())
                        + "): a shared budget needs a directory of its own group, not a public one");
            }
            return;
        }
        prepareDirectory(base, "host budget directory");
    }

    /** A budget's own directory inside the base: created if missing, else checked. */
    void prepareDirectory(Path directory, String what) throws IOException {
        Set<PosixFilePermission> wanted = shared ? GROUP_DIRECTORY : OWNER_DIRECTORY;
        try {
            Files.createDirectory(directory, PosixFilePermissions.asFileAttribute(wanted));
            // The umask may have taken bits away; set exactly what is meant.
            Files.getFileAttributeView(directory, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                    .setPermissions(wanted);
        } catch (FileAlreadyExistsException exists) {
            // checked below
        }
        PosixFileAttributes attributes = attributes(directory, what);
        if (!attributes.isDirectory()) {
            throw refused(directory, what, "is not a directory (a symbolic link is not accepted)");
        }
        checkOwnerAndPermissions(directory, what, attributes, wanted);
    }

    /**
     * Opens (creating if missing) one of the budget's files for reading and writing, without
     * following a symbolic link, and checks its owner and permissions.
     */
    FileChannel openChecked(Path file, String what) throws IOException {
        Set<PosixFilePermission> wanted = shared ? GROUP_FILE : OWNER_FILE;
        FileChannel channel;
        boolean created = false;
        try {
            channel = FileChannel.open(file, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                    StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS), PosixFilePermissions.asFileAttribute(wanted));
            created = true;
        } catch (FileAlreadyExistsException exists) {
            try {
                channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE,
                        LinkOption.NOFOLLOW_LINKS);
            } catch (IOException e) {
                throw refused(file, what, "cannot be opened without following links (" + e + ")");
            }
        }
        try {
            if (created) {
                Files.getFileAttributeView(file, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                        .setPermissions(wanted);
            }
            PosixFileAttributes attributes = attributes(file, what);
            if (!attributes.isRegularFile()) {
                throw refused(file, what, "is not a regular file");
            }
            checkOwnerAndPermissions(file, what, attributes, wanted);
            return channel;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /**
     * Writes {@code content} to an empty file, or checks that a non-empty one holds exactly it.
     *
     * @throws IllegalStateException naming the file if it holds anything else
     */
    static void writeOrCheck(FileChannel channel, Path file, String what, String content) throws IOException {
        String found = read(channel, file, what);
        if (found.isEmpty()) {
            channel.write(ByteBuffer.wrap(content.getBytes(StandardCharsets.US_ASCII)), 0);
            channel.force(false);
        } else if (!found.equals(content)) {
            throw corrupt(file, what, found, content);
        }
    }

    /** The file's content (at most {@link #MAX_CONTENT} bytes; more is refused as not ours). */
    static String read(FileChannel channel, Path file, String what) throws IOException {
        long size = channel.size();
        if (size > MAX_CONTENT) {
            throw refused(file, what, "is " + size + " bytes long; Spindle's files are at most "
                    + MAX_CONTENT + " bytes, so this one is not Spindle's (remove it, or name another budget)");
        }
        ByteBuffer buffer = ByteBuffer.allocate((int) size);
        while (buffer.hasRemaining() && channel.read(buffer, buffer.position()) >= 0) {
            // read until full
        }
        return new String(buffer.array(), 0, buffer.position(), StandardCharsets.US_ASCII);
    }

    static IllegalStateException corrupt(Path file, String what, String found, String expected) {
        return refused(file, what, "is corrupt or not Spindle's: it holds '" + printable(found)
                + "' where '" + printable(expected) + "' was expected (remove the budget's directory"
                + " when no JVM uses it, or name another budget)");
    }

    private void checkOwnerAndPermissions(Path path, String what, PosixFileAttributes attributes,
                                          Set<PosixFilePermission> wanted) {
        if (!shared && !attributes.owner().equals(me)) {
            throw refused(path, what, "is owned by " + attributes.owner().getName() + ", not by "
                    + me.getName() + ": another user's budget is never used (to share one on purpose,"
                    + " name a group directory with -D" + HostBudgetSetting.DIR_PROPERTY + "=...)");
        }
        Set<PosixFilePermission> found = attributes.permissions();
        boolean tooOpen = shared
                ? found.contains(PosixFilePermission.OTHERS_WRITE) || found.contains(PosixFilePermission.OTHERS_READ)
                : !found.equals(wanted);
        if (tooOpen) {
            throw refused(path, what, "has permissions " + PosixFilePermissions.toString(found)
                    + ", expected " + PosixFilePermissions.toString(wanted));
        }
    }

    private static PosixFileAttributes attributes(Path path, String what) throws IOException {
        try {
            return Files.readAttributes(path, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (UnsupportedOperationException e) {
            throw new IllegalStateException("the " + what + " " + path
                    + " is not on a POSIX file system; a host budget needs owner and permission bits", e);
        }
    }

    static IllegalStateException refused(Path path, String what, String why) {
        return new IllegalStateException("refusing the " + what + " " + path + ": it " + why);
    }

    private static String printable(String text) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length() && i < 80; i++) {
            char c = text.charAt(i);
            if (c == '\n') {
                out.append("\\n");
            } else if (c < 0x20 || c > 0x7e) {
                out.append('?');
            } else {
                out.append(c);
            }
        }
        return text.length() > 80 ? out + "..." : out.toString();
    }
}
