/**
 * Not exported: argument checks, the GEMM driver and its packing, block sizes and micro-kernels,
 * level-1 and level-2 loops. Map: {@code docs/design/README.md}; GEMM: {@code docs/design/gemm.md}.
 */
package dev.spindle.linalg.internal;
