/* The CPU-bound kernel ntbench runs both as foreign code (in ntbench-pe.exe) and natively (in
 * ntbench), compiled from this one source with the same flags, to compare their speed. */
#ifndef NTBENCH_KERNEL_H
#define NTBENCH_KERNEL_H
#include <stdint.h>

/* Integer and floating-point work with no calls and no memory traffic beyond a small table. */
static inline uint64_t ntbench_cpu_kernel(uint64_t n)
{
    uint64_t x = 0x9e3779b97f4a7c15ull, acc = 0;
    double f = 1.0;
    uint32_t table[64];
    for (int i = 0; i < 64; i++)
        table[i] = (uint32_t)(i * 2654435761u);
    for (uint64_t i = 0; i < n; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        acc += table[x & 63] ^ (uint32_t)(x >> 32);
        f = f * 1.0000001 + (double)(x & 0xff) * 1e-9;
    }
    return acc + (uint64_t)f;
}
#endif
