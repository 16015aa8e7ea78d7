/* SPDX-License-Identifier: MIT */
/* The vDSO's clock_gettime for the NT time calls' fast path (ntemu/time.c).
 *
 * NtQuerySystemTime and NtQueryPerformanceCounter are ms_abi handlers; calling glibc's
 * clock_gettime (SysV) from one makes GCC save and restore xmm6-15 around the call, ~5% of an
 * imported NtQuerySystemTime. The kernel builds the vDSO's C code with -mno-sse -mno-mmx, so
 * its clock_gettime touches none of them, but nothing promises that to user space: this file
 * proves it for the vDSO of the running kernel by decoding every path of the function with
 * Zydis. Only when the proof holds does ntemu/time.c call the function directly with inline
 * assembly that names the registers it may change. */
#include <elf.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/auxv.h>
#include "runtime/runtime_private.h"
#include "runtime/zydis.h"

/* The function `name` of the vDSO, or NULL; *image_size: the bytes of its loaded segment (the
 * code). Found through the dynamic segment, as the kernel's own parse_vdso.c does (the section
 * headers lie past the loaded segment), every offset checked against that segment. */
static void *rt_vdso_sym(const char *name, size_t *image_size)
{
    const uint8_t *base = (const uint8_t *)getauxval(AT_SYSINFO_EHDR);
    if (!base)
        return NULL;
    const Elf64_Ehdr *eh = (const Elf64_Ehdr *)base;
    if (memcmp(eh->e_ident, ELFMAG, SELFMAG) != 0 || eh->e_ident[EI_CLASS] != ELFCLASS64 ||
        eh->e_phentsize != sizeof(Elf64_Phdr))
        return NULL;
    const Elf64_Phdr *ph = (const Elf64_Phdr *)(base + eh->e_phoff);
    uint64_t bias = 0, size = 0, dyn_off = 0, dyn_size = 0;
    bool have_load = false;
    for (int i = 0; i < eh->e_phnum; i++) {
        if (ph[i].p_type == PT_LOAD && !have_load) {
            have_load = true;
            bias = ph[i].p_vaddr - ph[i].p_offset;
            size = ph[i].p_offset + ph[i].p_filesz;
        } else if (ph[i].p_type == PT_DYNAMIC) {
            dyn_off = ph[i].p_offset;
            dyn_size = ph[i].p_filesz;
        }
    }
    if (!have_load || !dyn_size || dyn_off + dyn_size > size)
        return NULL;
    uint64_t symtab = 0, strtab = 0, strsz = 0, hash = 0;
    for (const Elf64_Dyn *d = (const Elf64_Dyn *)(base + dyn_off);
         (const uint8_t *)(d + 1) <= base + dyn_off + dyn_size && d->d_tag != DT_NULL; d++) {
        if (d->d_tag == DT_SYMTAB)
            symtab = d->d_un.d_ptr - bias;
        else if (d->d_tag == DT_STRTAB)
            strtab = d->d_un.d_ptr - bias;
        else if (d->d_tag == DT_STRSZ)
            strsz = d->d_un.d_val;
        else if (d->d_tag == DT_HASH)
            hash = d->d_un.d_ptr - bias;
    }
    if (!symtab || !strtab || strtab >= size || strsz > size - strtab || symtab >= size)
        return NULL;
    /* the symbol count: DT_HASH's nchain, else up to the string table when it follows */
    uint64_t nsyms = (size - symtab) / sizeof(Elf64_Sym);
    if (hash && hash + 8 <= size)
        nsyms = ((const uint32_t *)(base + hash))[1];
    else if (strtab > symtab)
        nsyms = (strtab - symtab) / sizeof(Elf64_Sym);
    if (nsyms > (size - symtab) / sizeof(Elf64_Sym))
        return NULL;
    const Elf64_Sym *sym = (const Elf64_Sym *)(base + symtab);
    const char *strs = (const char *)(base + strtab);
    for (uint64_t k = 0; k < nsyms; k++) {
        if (sym[k].st_name >= strsz || ELF64_ST_TYPE(sym[k].st_info) != STT_FUNC ||
            sym[k].st_shndx == SHN_UNDEF)
            continue;
        size_t left = strsz - sym[k].st_name;
        if (strnlen(strs + sym[k].st_name, left) == left || strcmp(strs + sym[k].st_name, name) != 0)
            continue;
        uint64_t off = sym[k].st_value - bias;
        if (off >= size)
            return NULL;
        *image_size = size;
        return (void *)(base + off);
    }
    return NULL;
}

static bool rt_reg_is_plain(ZydisRegister r)
{
    if (r == ZYDIS_REGISTER_NONE)
        return true;
    return !((r >= ZYDIS_REGISTER_ST0 && r <= ZYDIS_REGISTER_ZMM31) ||
             (r >= ZYDIS_REGISTER_TMM0 && r <= ZYDIS_REGISTER_TMM7) ||
             (r >= ZYDIS_REGISTER_K0 && r <= ZYDIS_REGISTER_K7) || r == ZYDIS_REGISTER_MXCSR);
}

/* The functions of the vDSO are a few hundred instructions: paths are followed with a small
 * stack of branch targets and a bitmap of the decoded starts. */
#define RT_PLAIN_MAX_CODE 0x10000
#define RT_PLAIN_MAX_TARGETS 256

bool rt_code_is_plain(const void *entry, const void *lo, const void *hi)
{
    uintptr_t start = (uintptr_t)lo, end = (uintptr_t)hi;
    if ((uintptr_t)entry < start || (uintptr_t)entry >= end || end - start > RT_PLAIN_MAX_CODE)
        return false;
    const rt_zydis_api *z = rt_zydis();
    ZydisDecoder dec;
    if (!z || !ZYAN_SUCCESS(z->DecoderInit(&dec, ZYDIS_MACHINE_MODE_LONG_64, ZYDIS_STACK_WIDTH_64)))
        return false;
    static uint8_t seen[RT_PLAIN_MAX_CODE / 8]; /* one caller at a time: see rt_vdso_state */
    memset(seen, 0, (end - start + 7) / 8);
    uintptr_t todo[RT_PLAIN_MAX_TARGETS];
    size_t ntodo = 0;
    todo[ntodo++] = (uintptr_t)entry;
    while (ntodo) {
        uintptr_t ip = todo[--ntodo];
        for (;;) {
            if (ip < start || ip >= end)
                return false;
            size_t o = ip - start;
            if (seen[o / 8] & (1u << (o % 8)))
                break; /* this path joins one already followed */
            seen[o / 8] |= (uint8_t)(1u << (o % 8));
            ZydisDecodedInstruction in;
            ZydisDecodedOperand ops[ZYDIS_MAX_OPERAND_COUNT];
            if (!ZYAN_SUCCESS(z->DecoderDecodeFull(&dec, (const void *)ip, end - ip, &in, ops)))
                return false;
            for (int k = 0; k < in.operand_count; k++) {
                const ZydisDecodedOperand *op = &ops[k];
                if ((op->type == ZYDIS_OPERAND_TYPE_REGISTER && !rt_reg_is_plain(op->reg.value)) ||
                    (op->type == ZYDIS_OPERAND_TYPE_MEMORY &&
                     (!rt_reg_is_plain(op->mem.base) || !rt_reg_is_plain(op->mem.index))))
                    return false;
            }
            switch (in.meta.category) {
            case ZYDIS_CATEGORY_XSAVE:
            case ZYDIS_CATEGORY_XSAVEOPT:
            case ZYDIS_CATEGORY_X87_ALU:
            case ZYDIS_CATEGORY_MMX:
            case ZYDIS_CATEGORY_SSE:
            case ZYDIS_CATEGORY_AVX:
            case ZYDIS_CATEGORY_AVX2:
            case ZYDIS_CATEGORY_AVX512:
                return false;
            default:
                break;
            }
            switch (in.mnemonic) {
            case ZYDIS_MNEMONIC_FXRSTOR:
            case ZYDIS_MNEMONIC_FXRSTOR64:
            case ZYDIS_MNEMONIC_VZEROALL:
            case ZYDIS_MNEMONIC_EMMS:
            case ZYDIS_MNEMONIC_FEMMS:
                return false;
            default:
                break;
            }
            bool direct = in.operand_count_visible == 1 &&
                          ops[0].type == ZYDIS_OPERAND_TYPE_IMMEDIATE && ops[0].imm.is_relative;
            uint64_t target = ip + in.length + (uint64_t)ops[0].imm.value.s;
            bool ends = false;
            switch (in.meta.category) {
            case ZYDIS_CATEGORY_RET:
                ends = true;
                break;
            case ZYDIS_CATEGORY_UNCOND_BR:
                if (!direct)
                    return false;
                ends = true;
                __attribute__((fallthrough)); /* the target is followed */
            case ZYDIS_CATEGORY_COND_BR:
            case ZYDIS_CATEGORY_CALL: /* the callee is followed, then the return */
                if (!direct || ntodo == RT_PLAIN_MAX_TARGETS)
                    return false;
                todo[ntodo++] = (uintptr_t)target;
                break;
            case ZYDIS_CATEGORY_SYSCALL:
                break; /* the kernel keeps every vector register */
            case ZYDIS_CATEGORY_INTERRUPT:
                if (in.mnemonic != ZYDIS_MNEMONIC_INT3)
                    return false;
                ends = true;
                break;
            default:
                if (in.mnemonic == ZYDIS_MNEMONIC_UD2) {
                    ends = true;
                    break;
                }
                if (in.meta.branch_type != ZYDIS_BRANCH_TYPE_NONE)
                    return false; /* loop, jrcxz, far branches: not followed */
                break;
            }
            if (ends)
                break;
            ip += in.length;
        }
    }
    return true;
}

static void *rt_vdso_plain_fn;
/* 0 not checked, 1 being checked, 2 checked (rt_vdso_plain_fn final). Not rt_once: the first
 * caller may be an NT call by trap, inside the SIGSYS handler; a caller that finds the check
 * running takes glibc's clock_gettime this time instead of waiting. */
static atomic_int rt_vdso_state;

void *rt_vdso_clock_gettime_plain(void)
{
    int s = atomic_load_explicit(&rt_vdso_state, memory_order_acquire);
    if (s == 2)
        return rt_vdso_plain_fn;
    if (s != 0 || !atomic_compare_exchange_strong(&rt_vdso_state, &s, 1))
        return NULL;
    size_t size = 0;
    void *fn = rt_vdso_sym("__vdso_clock_gettime", &size);
    const uint8_t *base = (const uint8_t *)getauxval(AT_SYSINFO_EHDR);
    bool plain = fn && rt_code_is_plain(fn, base, base + size);
    if (RT_TRACING(RT_TRACE_NT))
        rt_trace("nt", "vDSO clock_gettime at %p: %s", fn,
                 plain ? "touches no vector register, called directly"
                       : "not proven to keep xmm6-15, called through glibc");
    rt_vdso_plain_fn = plain ? fn : NULL;
    atomic_store_explicit(&rt_vdso_state, 2, memory_order_release);
    return rt_vdso_plain_fn;
}
