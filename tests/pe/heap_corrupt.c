/* heap_corrupt: a double free ends the process as Windows ends it on heap corruption
 * (STATUS_HEAP_CORRUPTION 0xC0000374, fail-fast: no exit hooks) instead of corrupting the runtime; the
 * first free works. Linux sees the low byte of the status, 0x74. */
#include <stdio.h>
#include <stdlib.h>

static void *(*volatile alloc)(size_t) = malloc; /* opaque: the compiler keeps both frees */
static void (*volatile release)(void *) = free;

int main(void)
{
    char *p = alloc(32);
    release(p);
    printf("first free done\n");
    fflush(stdout);
    release(p);
    printf("second free returned\n");
    return 0;
}
