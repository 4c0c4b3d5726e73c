package dev.spindle.linalg.internal.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * R17 of docs/reliability.md: a bad {@code -Dspindle.linalg.kernel} is a clear
 * {@link IllegalArgumentException} naming the property and its value on every call that needs the
 * GEMM kernel, never an {@code ExceptionInInitializerError} once and a
 * {@code NoClassDefFoundError} forever after. Tested through {@link MicroKernels#resolve}, which
 * takes the property's value, as {@code ParallelismSetting.resolve} does in the core.
 */
class KernelPropertyTest {

    @Test
    void unknownKernelName_resolvesWithoutThrowing_andEveryUseThrowsIllegalArgument() {
        MicroKernels.Selection selection = MicroKernels.resolve("fast");

        IllegalArgumentException first = assertThrows(IllegalArgumentException.class, selection::kernel);
        IllegalArgumentException second = assertThrows(IllegalArgumentException.class, selection::kernel);
        IllegalArgumentException reason = assertThrows(IllegalArgumentException.class, selection::reason);

        assertNotSame(first, second, "a fresh exception per call, with the caller's stack");
        for (IllegalArgumentException e : new IllegalArgumentException[] {first, second, reason}) {
            assertTrue(e.getMessage().contains("spindle.linalg.kernel"), e.getMessage());
            assertTrue(e.getMessage().contains("'fast'"), e.getMessage());
            assertTrue(e.getMessage().contains("auto, portable or vector"), e.getMessage());
        }
    }

    @Test
    void theValueIsQuotedAsGiven() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                MicroKernels.resolve(" Fast ")::kernel);
        assertTrue(e.getMessage().contains("' Fast '"), e.getMessage());
    }

    @Test
    void knownNames_resolveToTheirKernel_caseAndSpacesIgnored() {
        assertSame(MicroKernels.portable(), MicroKernels.resolve("portable").kernel());
        assertSame(MicroKernels.portable(), MicroKernels.resolve(" PORTABLE ").kernel());
        assertEquals("spindle.linalg.kernel=portable", MicroKernels.resolve("portable").reason());
        MicroKernel automatic = MicroKernels.vectorOrNull() != null ? MicroKernels.vectorOrNull() : MicroKernels.portable();
        for (String value : new String[] {null, "", "auto", "vector", "Vector"}) {
            assertSame(automatic, MicroKernels.resolve(value).kernel(), String.valueOf(value));
        }
        assertSame(MicroKernels.resolve(System.getProperty(MicroKernels.KERNEL_PROPERTY)).kernel(), MicroKernels.selected());
    }

    @Test
    void aPinnedKernel_isGivenToEveryProductAtOnce_andABadNameFailsThereToo() {
        assertSame(MicroKernels.portable(), MicroKernels.resolve("portable").kernelForProduct());
        MicroKernel vector = MicroKernels.vectorOrNull();
        if (vector != null) {
            assertSame(vector, MicroKernels.resolve("vector").kernelForProduct(), "no warm-up when pinned");
            assertTrue(MicroKernels.resolve("vector").reason().contains("jdk.incubator.vector"));
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                MicroKernels.resolve("fast")::kernelForProduct);
        assertTrue(e.getMessage().contains("'fast'"), e.getMessage());
    }
}
