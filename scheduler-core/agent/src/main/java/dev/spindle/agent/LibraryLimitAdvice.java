package dev.spindle.agent;

import net.bytebuddy.asm.Advice;

/**
 * Advice woven into the static initializer of a known library's configuration class: once the
 * class is initialized, {@link LibraryLimits} applies the library's own thread knob.
 */
final class LibraryLimitAdvice {

    private LibraryLimitAdvice() {
    }

    @Advice.OnMethodExit
    static void exit(@Advice.Origin Class<?> initialized) {
        LibraryLimits.initialized(initialized);
    }
}
