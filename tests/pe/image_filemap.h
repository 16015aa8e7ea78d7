/* Sections large enough for ntrun to map from the image file instead of copying them
 * (loader/map.c: at least 64 KB of whole pages, page-aligned in the file: the program and the
 * DLL are linked with --file-alignment=0x1000), shared by image_filemap.c and
 * dlls/image_filemap_dll.c. FM_SECTIONS(prefix) defines, in the including file:
 *   prefix##ro     .fmro (read-only): a 32-byte line of text, then FM_WORDS words, word i being
 *                  fm_word(i)
 *   prefix##rw     .fmrw (read-write): FM_PTRS addresses, entry j the address of word
 *                  fm_ptr_index(j) (each a DIR64 base relocation)
 *   prefix##head, prefix##mid, prefix##tail  functions at the start, in the middle and at the
 *                  end of .fmtx (executable, ~200 KB), returning 0x1111, 0x2222, 0x3333 */
#include <stdint.h>

#define FM_WORDS 300000
#define FM_PTRS 20000
#define FM_TEXT "read from a page of the image\n"
#define FM_STR_(x) #x
#define FM_STR(x) FM_STR_(x)

static inline uint32_t fm_word(uint32_t i) { return i * 2654435761u + 12345u; }
static inline uint32_t fm_ptr_index(uint32_t j) { return (uint32_t)((j * 61ull) % FM_WORDS); }

#define FM_SECTIONS(p)                                                                        \
    __asm__(".section .fmro,\"dr\"\n"                                                          \
            ".p2align 5\n" #p "ro:\n"                                                          \
            ".ascii \"" "read from a page of the image\\n" "\"\n"                              \
            ".p2align 5\n"                                                                     \
            ".set fm_i, 0\n"                                                                   \
            ".rept " FM_STR(FM_WORDS) "\n"                                                     \
            ".long (fm_i * 2654435761 + 12345) & 0xffffffff\n"                                 \
            ".set fm_i, fm_i + 1\n"                                                            \
            ".endr\n"                                                                          \
            ".section .fmrw,\"dw\"\n"                                                          \
            ".p2align 3\n" #p "rw:\n"                                                          \
            ".set fm_j, 0\n"                                                                   \
            ".rept " FM_STR(FM_PTRS) "\n"                                                      \
            ".quad " #p "ro + 32 + 4 * ((fm_j * 61) % " FM_STR(FM_WORDS) ")\n"                 \
            ".set fm_j, fm_j + 1\n"                                                            \
            ".endr\n"                                                                          \
            ".section .fmtx,\"xr\"\n"                                                          \
            ".p2align 4\n" #p "head:\n"                                                        \
            "movl $0x1111, %eax\n"                                                             \
            "ret\n"                                                                            \
            ".fill 100000, 1, 0xcc\n"                                                          \
            ".p2align 4\n" #p "mid:\n"                                                         \
            "movl $0x2222, %eax\n"                                                             \
            "ret\n"                                                                            \
            ".fill 100000, 1, 0xcc\n"                                                          \
            ".p2align 4\n" #p "tail:\n"                                                        \
            "movl $0x3333, %eax\n"                                                             \
            "ret\n"                                                                            \
            ".text\n")

/* What image_filemap_dll.dll hands the program about its own copy of the sections. */
typedef struct fm_image {
    const char *ro;
    uint64_t *rw;
    int (*head)(void), (*mid)(void), (*tail)(void);
} fm_image;
