/* fuzz_load: libFuzzer over the loader. Each input is a file ntrun_load maps, validates,
 * relocates and binds (imports of built-in DLLs; a DLL it names is searched for and not found,
 * or found in the seed directory), then ntrun_program_free unloads it; nothing runs. The
 * custom mutator damages inputs that still parse as PE32+ with pe_mutate.h's structured
 * mutations half of the time (header fields, tables, strings, truncation), so a seed corpus of
 * good programs (build/hello.exe, build/tests/pe/*.exe and *.dll) reaches the import, export,
 * relocation and TLS code instead of stopping at the signature.
 *   fuzz_load -max_total_time=25 CORPUS_DIR SEED_DIR... */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "ntrun.h"
#include "pe_mutate.h"

size_t LLVMFuzzerMutate(uint8_t *data, size_t size, size_t max_size);

static int memfd = -1;
static char path[64];
static ntrun_config *cfg;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (memfd < 0) {
        memfd = memfd_create("fuzz.exe", 0);
        if (memfd < 0)
            abort();
        snprintf(path, sizeof path, "/proc/self/fd/%d", memfd);
        cfg = ntrun_config_new();
        const char *argv[] = {"fuzz.exe"};
        ntrun_config_set_argv(cfg, 1, argv);
    }
    if (ftruncate(memfd, 0) != 0 || pwrite(memfd, data, size, 0) != (ssize_t)size)
        abort();
    ntrun_program *prog = NULL;
    if (ntrun_load(cfg, path, &prog) == NTRUN_OK)
        ntrun_program_free(prog);
    return 0;
}

size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size, unsigned int seed)
{
    pm_pe pe;
    if ((seed & 1) && pm_parse(&pe, data, size)) {
        char desc[256];
        pe_mutate(data, &size, seed, seed >> 1, desc, sizeof desc);
        return size;
    }
    return LLVMFuzzerMutate(data, size, max_size);
}
