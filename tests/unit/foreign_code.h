/* Foreign machine code for unit tests: bytes copied into one anonymous executable page that the
 * runtime does not own (so SUD traps a `syscall` in it), called through thk_call_foreign*.
 * foreign_code_open() in a test's set-up, foreign_code_close() in its tear-down. */
#ifndef NTRUN_TESTS_FOREIGN_CODE_H
#define NTRUN_TESTS_FOREIGN_CODE_H

#include <criterion/criterion.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>

static uint8_t *code_page;
static size_t code_used;

static inline void foreign_code_open(void)
{
    code_page = mmap(NULL, 0x1000, PROT_READ | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    cr_assert(code_page != MAP_FAILED);
    code_used = 0;
}

static inline void foreign_code_close(void)
{
    munmap(code_page, 0x1000);
}

/* Copies n bytes of code into the page (16-byte aligned) and returns where they start. */
static inline uint8_t *emit(const uint8_t *bytes, size_t n)
{
    cr_assert(code_used + n <= 0x1000);
    mprotect(code_page, 0x1000, PROT_READ | PROT_WRITE);
    uint8_t *p = code_page + code_used;
    memcpy(p, bytes, n);
    code_used = (code_used + n + 15) & ~(size_t)15;
    mprotect(code_page, 0x1000, PROT_READ | PROT_EXEC);
    return p;
}

/* A Windows NT stub: mov r10, rcx; mov eax, number; syscall; ret */
static inline uint8_t *emit_nt_stub(uint32_t number)
{
    uint8_t b[] = {0x4c, 0x8b, 0xd1, 0xb8, 0, 0, 0, 0, 0x0f, 0x05, 0xc3};
    memcpy(b + 4, &number, 4);
    return emit(b, sizeof b);
}

#endif
