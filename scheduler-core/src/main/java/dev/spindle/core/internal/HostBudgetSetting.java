package dev.spindle.core.internal;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Whether this JVM's workers share a host budget of CPU tokens with other JVMs, and which one.
 *
 * <p>The budget is named by the system property {@value #PROPERTY}, else the environment variable
 * {@value #ENVIRONMENT}; with neither, there is no budget and this class is never asked again.
 * The token count comes from {@value #CORES_PROPERTY}, else {@link Runtime#availableProcessors()}.
 * The files live in a per-user directory ({@code $XDG_RUNTIME_DIR/spindle} if that variable names
 * an absolute path, else {@code ${java.io.tmpdir}/spindle-<user>}) unless {@value #DIR_PROPERTY}
 * names a directory shared on purpose (a group's). Every value that is set is checked; a bad one
 * is an {@link IllegalArgumentException} naming the source and the value.
 *
 * @param name the budget's name (a safe file name)
 * @param cores the number of tokens
 * @param coresExplicit whether {@code cores} was set (an existing budget of another size is then
 *     refused) or defaulted (the existing budget's size is adopted)
 * @param baseDirectory the directory that holds one sub-directory per budget
 * @param shared whether {@code baseDirectory} was configured (a group may share it) rather than
 *     the per-user default (only the owner may use it)
 * @param source where the name came from, for messages
 */
public record HostBudgetSetting(String name, int cores, boolean coresExplicit, Path baseDirectory,
                                boolean shared, String source) {

    /** The system property that names the budget. */
    public static final String PROPERTY = "spindle.hostBudget";
    /** The environment variable that names the budget when the property is not set. */
    public static final String ENVIRONMENT = "SPINDLE_HOST_BUDGET";
    /** The system property that sets the number of tokens. */
    public static final String CORES_PROPERTY = "spindle.hostBudget.cores";
    /** The system property that names a shared directory for the budget's files. */
    public static final String DIR_PROPERTY = "spindle.hostBudget.dir";
    /** The most tokens a budget may have (the file count is the token count). */
    public static final int MAX_CORES = 4_096;

    /** Letters, digits, '.', '_', '-'; starts with a letter or digit; at most 64 characters. */
    private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    /** The setting of this JVM, or null when no budget is named. */
    public static HostBudgetSetting resolve() {
        return resolve(System::getProperty, System::getenv, Runtime.getRuntime().availableProcessors());
    }

    /** The setting from the given sources, or null when no budget is named; the seam tests use. */
    public static HostBudgetSetting resolve(Function<String, String> properties,
                                            Function<String, String> environment, int processors) {
        String name = properties.apply(PROPERTY);
        String source = "system property " + PROPERTY;
        if (name == null) {
            name = environment.apply(ENVIRONMENT);
            source = "environment variable " + ENVIRONMENT;
        }
        if (name == null) {
            return null;
        }
        checkName(name, source);
        String coresText = properties.apply(CORES_PROPERTY);
        int cores;
        if (coresText != null) {
            cores = parseCores(coresText);
        } else {
            cores = Math.max(1, Math.min(MAX_CORES, processors));
        }
        String dir = properties.apply(DIR_PROPERTY);
        if (dir != null) {
            Path base = Paths.get(dir);
            if (dir.isBlank() || !base.isAbsolute()) {
                throw new IllegalArgumentException("system property " + DIR_PROPERTY
                        + " must be an absolute path to an existing directory, was '" + dir + "'");
            }
            return new HostBudgetSetting(name, cores, coresText != null, base, true, source);
        }
        return new HostBudgetSetting(name, cores, coresText != null,
                defaultBaseDirectory(properties, environment), false, source);
    }

    /** The budget's own directory, holding its descriptor and token files. */
    public Path budgetDirectory() {
        return baseDirectory.resolve(name);
    }

    /**
     * Checks a budget name: 1–64 of letters, digits, '.', '_' and '-', starting with a letter or
     * digit (so no path separator, no {@code ..}, no hidden file).
     *
     * @throws IllegalArgumentException naming the source and the value otherwise
     */
    public static String checkName(String name, String source) {
        if (!SAFE_NAME.matcher(name).matches() || name.contains("..")) {
            throw new IllegalArgumentException(source + " must be a host budget name of 1 to 64"
                    + " letters, digits, '.', '_' or '-', starting with a letter or digit and"
                    + " without '..', was '" + name + "'");
        }
        return name;
    }

    private static int parseCores(String text) {
        int value;
        try {
            value = Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("system property " + CORES_PROPERTY
                    + " must be an integer in [1, " + MAX_CORES + "], was '" + text + "'", e);
        }
        if (value < 1 || value > MAX_CORES) {
            throw new IllegalArgumentException("system property " + CORES_PROPERTY
                    + " must be an integer in [1, " + MAX_CORES + "], was " + value);
        }
        return value;
    }

    private static Path defaultBaseDirectory(Function<String, String> properties,
                                             Function<String, String> environment) {
        String runtime = environment.apply("XDG_RUNTIME_DIR");
        if (runtime != null && !runtime.isBlank() && Paths.get(runtime).isAbsolute()) {
            return Paths.get(runtime, "spindle");
        }
        String user = properties.apply("user.name");
        if (user == null || !SAFE_NAME.matcher(user).matches()) {
            throw new IllegalArgumentException("the host budget's default directory needs a user name"
                    + " of letters, digits, '.', '_' or '-' (system property user.name was '" + user
                    + "'); name a directory with -D" + DIR_PROPERTY + "=...");
        }
        String tmp = properties.apply("java.io.tmpdir");
        if (tmp == null || tmp.isBlank()) {
            throw new IllegalArgumentException("the host budget's default directory needs"
                    + " java.io.tmpdir, which is not set; name a directory with -D" + DIR_PROPERTY + "=...");
        }
        return Paths.get(tmp, "spindle-" + user);
    }
}
