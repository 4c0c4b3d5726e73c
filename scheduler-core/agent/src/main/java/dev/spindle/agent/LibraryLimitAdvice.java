package dev.spindle.agent;

import net.bytebuddy.asm.Advice;

/**
 * Advice woven into the static initializer of a known library's configuration class, so that
 * {@link LibraryLimits} applies the library's own thread knob when the library configures itself.
 */
final class LibraryLimitAdvice {

    private LibraryLimitAdvice() {
    }

    /** For {@link LibraryLimits#AFTER_INIT}: once the class is initialized. */
    static final class AfterInit {
        private AfterInit() {
        }

        @Advice.OnMethodExit
        static void exit(@Advice.Origin Class<?> initialized) {
            LibraryLimits.initialized(initialized);
        }
    }

    /** For {@link LibraryLimits#BEFORE_INIT}: before the initializer reads the setting. */
    static final class BeforeInit {
        private BeforeInit() {
        }

        @Advice.OnMethodEnter
        static void enter(@Advice.Origin Class<?> initializing) {
            LibraryLimits.initializing(initializing);
        }
    }
}
