package dev.spindle.jcstress;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a jcstress test of the real code that fails because of a bug found and reported but not
 * yet fixed. {@link VerdictCheck} prints its failure as a known bug instead of failing the build,
 * and fails the build once the test passes, so that whoever fixes the bug removes this annotation
 * and the test guards the fix from then on.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface KnownBug {

    /** What is wrong, where, and where it is reported. */
    String value();
}
