package dev.spindle.core;

import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;

/**
 * Reaches a library's classes and static members by name, so that scheduler-core depends on no
 * library: a class that no loader has is absent, never an error.
 *
 * <p>Where it looks, in order: the loader given to {@link PoolLimits.Builder#classLoader}, the
 * calling thread's context class loader, the system class loader, and the loader of
 * scheduler-core itself (under the agent, the bootstrap loader, which sees no library). A class is
 * found without being initialized; reading or calling a static member then initializes it, as the
 * library's own first use would.
 *
 * <p>Immutable; any thread.
 */
final class LibraryClasses {

    private final List<ClassLoader> loaders;

    private LibraryClasses(List<ClassLoader> loaders) {
        this.loaders = loaders;
    }

    /** Looks in {@code preferred} (may be null) first, then the usual loaders (see the class comment). */
    static LibraryClasses lookingIn(ClassLoader preferred) {
        List<ClassLoader> loaders = new ArrayList<>();
        add(loaders, preferred);
        add(loaders, Thread.currentThread().getContextClassLoader());
        add(loaders, ClassLoader.getSystemClassLoader());
        add(loaders, LibraryClasses.class.getClassLoader());
        return new LibraryClasses(loaders);
    }

    private static void add(List<ClassLoader> loaders, ClassLoader loader) {
        if (loader != null && !loaders.contains(loader)) {
            loaders.add(loader);
        }
    }

    /** The class named {@code name}, loaded but not initialized; null if no loader has it. */
    Class<?> find(String name) {
        for (ClassLoader loader : loaders) {
            try {
                return Class.forName(name, false, loader);
            } catch (ClassNotFoundException | LinkageError | RuntimeException absent) {
                // not in this loader; try the next
            }
        }
        return null;
    }

    /**
     * Whether some class of package {@code packageName} has been loaded by one of the loaders or
     * their parents: the library is in use. The census asks this before it reads a library's
     * state, so that taking a census never initializes a library the application has not touched.
     */
    boolean inUse(String packageName) {
        for (ClassLoader first : loaders) {
            for (ClassLoader loader = first; loader != null; loader = loader.getParent()) {
                if (loader.getDefinedPackage(packageName) != null) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The value of static field {@code name} of {@code type} (a non-public one too, where the library's module allows). */
    static Object read(Class<?> type, String name) throws ReflectiveOperationException {
        return field(type, name).get(null);
    }

    /** Sets static field {@code name} of {@code type}. */
    static void write(Class<?> type, String name, Object value) throws ReflectiveOperationException {
        field(type, name).set(null, value);
    }

    /** The value of public instance field {@code name} of {@code target}. */
    static Object readInstance(Object target, String name) throws ReflectiveOperationException {
        return target.getClass().getField(name).get(target);
    }

    /**
     * Calls public static method {@code name} of {@code type} (or of a superclass).
     *
     * @throws InvocationTargetException if the method threw; the library's exception is its cause
     */
    static Object call(Class<?> type, String name, Class<?>[] parameters, Object... arguments)
            throws ReflectiveOperationException {
        Method method = type.getMethod(name, parameters);
        return method.invoke(null, arguments);
    }

    private static Field field(Class<?> type, String name) throws ReflectiveOperationException {
        Field field = type.getDeclaredField(name);
        if (!Modifier.isStatic(field.getModifiers())) {
            throw new NoSuchFieldException(type.getName() + "." + name + " is not static");
        }
        if (!Modifier.isPublic(field.getModifiers()) || !Modifier.isPublic(type.getModifiers())) {
            field.setAccessible(true);                   // InaccessibleObjectException where the module does not open it
        }
        return field;
    }

    /** The library's own exception for a failed reflective call, or the reflection failure itself. */
    static Throwable cause(Throwable failure) {
        return failure instanceof InvocationTargetException && failure.getCause() != null
                ? failure.getCause() : failure;
    }
}
