/* SPDX-License-Identifier: MIT */
/* Private to the built-in kernel32 (thunks/kernel32_*.c, thunks/lasterror.c): Windows layouts
 * the kernel32 files share, helpers for A/W strings and paths, and the WINAPI functions one
 * kernel32 file calls in another.
 *
 *   thunks/kernel32/process.c  process parameters, command line, environment, modules, version, console
 *   thunks/kernel32/file.c     files, directories, find handles, temp files, drives
 *   thunks/kernel32/memory.c   heaps (and ntdll's Rtl*Heap), Local/Global, Virtual*
 *   thunks/kernel32/sync.c     critical sections, TLS/FLS, Sleep, InitOnce
 *   thunks/kernel32/time.c     clocks, FILETIME/SYSTEMTIME, time zone
 *   thunks/kernel32/nls.c      code pages, string comparison, locale, FormatMessage
 *   thunks/kernel32/timer.c    waitable timers
 *   thunks/kernel32/iocp.c     I/O completion ports
 *   thunks/kernel32/procflags.c error mode, affinity, priority boost, stack guarantee, handle flags
 *   thunks/kernel32/context.c  Get/SetThreadContext
 *   lasterror.c         GetLastError/SetLastError */
#ifndef NTRUN_THUNKS_KERNEL32_PRIVATE_H
#define NTRUN_THUNKS_KERNEL32_PRIVATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "ntemu/ntemu.h"
#include "thunks/thunks_private.h"

#ifndef TRUE
#define TRUE 1
#define FALSE 0
#endif
#ifndef MAX_PATH
#define MAX_PATH 260
#endif

/* ---- Win32 constants used by more than one kernel32 file (not in runtime/win.h) ---- */
#define K32_HEAP_NO_SERIALIZE 0x00000001
#define K32_HEAP_GENERATE_EXCEPTIONS 0x00000004
#define K32_HEAP_ZERO_MEMORY 0x00000008
#define K32_HEAP_REALLOC_IN_PLACE_ONLY 0x00000010
#define K32_LMEM_MOVEABLE 0x0002
#define K32_LMEM_ZEROINIT 0x0040

#define K32_ERROR_BUFFER_OVERFLOW 111
#define K32_ERROR_MR_MID_NOT_FOUND 317
#define K32_ERROR_NOT_SAME_DEVICE 17
#define K32_ERROR_INVALID_BLOCK 9
#define K32_ERROR_INVALID_INDEX 1413
#define K32_ERROR_NO_TOKEN 1008

typedef struct {
    uint16_t wYear;         /* 0x00 */
    uint16_t wMonth;        /* 0x02 */
    uint16_t wDayOfWeek;    /* 0x04 */
    uint16_t wDay;          /* 0x06 */
    uint16_t wHour;         /* 0x08 */
    uint16_t wMinute;       /* 0x0a */
    uint16_t wSecond;       /* 0x0c */
    uint16_t wMilliseconds; /* 0x0e */
} SYSTEMTIME;
_Static_assert(sizeof(SYSTEMTIME) == 0x10, "SYSTEMTIME");
_Static_assert(offsetof(SYSTEMTIME, wDay) == 0x06, "SYSTEMTIME.wDay");
_Static_assert(offsetof(SYSTEMTIME, wMilliseconds) == 0x0e, "SYSTEMTIME.wMilliseconds");

typedef struct {
    ULONG_PTR Internal;     /* 0x00: the NTSTATUS */
    ULONG_PTR InternalHigh; /* 0x08: bytes transferred */
    DWORD Offset;           /* 0x10 */
    DWORD OffsetHigh;       /* 0x14 */
    HANDLE hEvent;          /* 0x18 */
} OVERLAPPED;
_Static_assert(offsetof(OVERLAPPED, Offset) == 0x10, "OVERLAPPED.Offset");
_Static_assert(sizeof(OVERLAPPED) == 0x20, "OVERLAPPED");

/* ---- strings ---- */
/* UTF-8 (the ANSI code page) -> malloc'd UTF-16; NULL in, NULL out. *ok false on no memory. */
WCHAR *k32_a_to_w(const char *s, bool *ok);
/* An A function's string argument converted for its W twin (NULL stays NULL): false, with
 * ERROR_NOT_ENOUGH_MEMORY set, when there was no memory. The W copy is the caller's to free. */
bool k32_arg_w(const char *a, WCHAR **w);
/* Two or three arguments at once (c may be NULL for two): false as k32_arg_w, with nothing
 * left allocated. */
bool k32_args_w(const char *a, WCHAR **wa, const char *b, WCHAR **wb, const char *c, WCHAR **wc);
/* The same for a resource type or name (resource.c): an ID (below 0x10000) stays as it is in *w,
 * a string becomes UTF-16 in *w and *tmp (to free; NULL for an ID). */
bool k32_res_arg_w(const char *s, const WCHAR **w, WCHAR **tmp);
/* UTF-16 -> malloc'd UTF-8, `len` WCHARs (no terminator needed); NULL on no memory. */
char *k32_w_to_a(const WCHAR *s, size_t len);
/* Copies `len` WCHARs of `s` plus a terminator into `buf` of `size` WCHARs with the usual Win32
 * "get a string" result: len on success, len + 1 (the size needed) when `size` is too small. */
DWORD k32_return_w(const WCHAR *s, size_t len, WCHAR *buf, DWORD size);
/* The same for an ANSI result: converts to UTF-8 first; sizes in bytes. */
DWORD k32_return_a(const WCHAR *s, size_t len, char *buf, DWORD size);
/* Case-insensitive comparison of UTF-16 strings as Windows file and variable names compare
 * (simple upper-casing). n is in WCHARs. */
int k32_wcsnicmp(const WCHAR *a, const WCHAR *b, size_t n);
WCHAR k32_towupper(WCHAR c);

/* ---- locales (thunks/kernel32/nls.c) ---- */
/* The index of a locale kernel32 has data for (0: en-US, also for one it has none for). */
int k32_locale_index_lcid(DWORD lcid);
int k32_locale_index_name(const WCHAR *name);
/* A number or currency LCTYPE's value (UTF-8) for a locale index; NULL for other LCTYPEs. */
const char *k32_locale_number(int loc, DWORD type);
/* The locale's ANSI code page (its A functions' strings). */
UINT k32_locale_ansi_cp(int loc);
/* Any LCTYPE's value (UTF-8) GetLocaleInfoEx gives for a locale index; NULL for an unknown one. */
const char *k32_locale_text(int loc, DWORD type);
/* The user's overrides (thunks/kernel32/nls_user.c): whether an LCID or a locale name with
 * these flags gets them (the user's locale, no LOCALE_NOUSEROVERRIDE), and an LCTYPE's value
 * with the user's override where `user` (else k32_locale_text's). */
bool k32_locale_lcid_user(DWORD lcid, DWORD flags);
bool k32_locale_name_user(const WCHAR *name, DWORD flags);
const char *k32_locale_user_text(int loc, DWORD type, bool user);
/* Whether kernel32 knows a locale: an LCID (the default and invariant ones too), a name (NULL,
 * "", LOCALE_NAME_USER_DEFAULT, a specific locale or a neutral one of its languages). */
bool k32_locale_lcid_known(DWORD lcid);
bool k32_locale_name_known(const WCHAR *name);
/* Collation (nls.c): the flags CompareString takes, the comparison itself (<0, 0, >0) and a
 * character's primary weight under those flags (0: ignorable at the primary level). */
#define K32_COLLATE_VALID_FLAGS 0x0803103fu
int k32_collate(DWORD flags, const WCHAR *s1, size_t n1, const WCHAR *s2, size_t n2);
bool k32_collate_has_primary(WCHAR c, DWORD flags);
uint32_t k32_collate_primary(WCHAR c, DWORD flags);
/* The index just past the characters of src from `start` whose primary weights are the
 * value's, in order (expansions and combining marks as k32_collate weighs them); SIZE_MAX when
 * they differ, the source ends first or the last character's expansion is only half used. */
size_t k32_collate_match_primaries(DWORD flags, const WCHAR *src, size_t n, size_t start,
                                   const WCHAR *val, size_t m);
/* LCMapString's LCMAP_SORTKEY for s under the collation flags into out (NULL: measure only): its
 * length in bytes with the final 0. Keys compare with memcmp as k32_collate compares their
 * strings; equal strings have equal keys. */
size_t k32_sort_key(DWORD flags, const WCHAR *s, size_t n, uint8_t *out);
/* LCMAP_HASH's value: a 32-bit hash (FNV-1a) of that key, so equal strings hash alike. */
uint32_t k32_sort_hash(DWORD flags, const WCHAR *s, size_t n);
/* The genitive name of month m (1..12) of a locale index (GetDateFormat's MMMM beside d/dd). */
const char *k32_locale_genitive_month(int loc, int m);

/* ---- object names (thunks/kernel32/thread.c) ---- */
typedef struct {
    UNICODE_STRING us;
    OBJECT_ATTRIBUTES attr;
    WCHAR *buf;
} k32_name;
/* Builds the OBJECT_ATTRIBUTES for a (possibly NULL) name, "Local\" dropped; false on no
 * memory (last error set). */
bool k32_name_w(k32_name *n, const WCHAR *name);
bool k32_name_a(k32_name *n, const char *name);
/* The result of a Create* call: the handle, last error 0 / ERROR_ALREADY_EXISTS / failure. */
HANDLE k32_created(NTSTATUS st, HANDLE h, k32_name *n);
/* SECURITY_ATTRIBUTES.bInheritHandle (offset 0x10): the handle goes to children started with
 * bInheritHandles (OBJ_INHERIT in the object's attributes). */
static inline bool k32_sa_inherits(const void *sa)
{
    return sa && *(const int32_t *)((const char *)sa + 0x10);
}
/* The result of an Open* call: the handle, or NULL with the last error set. */
HANDLE k32_opened(NTSTATUS st, HANDLE h, k32_name *n);
/* An Open* function of a named object (OpenEvent, OpenMutex, OpenSemaphore, OpenWaitableTimer,
 * OpenFileMapping, W and A): the name made into OBJECT_ATTRIBUTES (k32_name_w/_a), then
 * open(&h, access, attr); k32_opened's result. bInheritHandle sets OBJ_INHERIT in the attributes,
 * as Windows does: the handle goes to children started with bInheritHandles. */
typedef NTSTATUS(NTAPI *k32_open_fn)(HANDLE *handle, uint32_t access, const OBJECT_ATTRIBUTES *attr);
HANDLE k32_open_w(k32_open_fn open, DWORD access, BOOL inherit, const WCHAR *name);
HANDLE k32_open_a(k32_open_fn open, DWORD access, BOOL inherit, const char *name);

/* ---- paths (thunks/kernel32/process.c) ---- */
/* Windows form of the current directory without a trailing backslash (except for a root):
 * malloc'd, NULL on failure (last error set). */
WCHAR *k32_current_dir(void);
/* GetFullPathNameW's work: a malloc'd full DOS path for `path`, *file_part (may be NULL) the
 * offset of the last component or -1. NULL with last error set on failure. */
WCHAR *k32_full_path(const WCHAR *path, ptrdiff_t *file_part);
/* Is the last component of path[0..n) a DOS device name (NUL, CON, AUX, PRN, COM1-9, LPT1-9,
 * CONIN$, CONOUT$; an extension does not matter, as on Windows 10)? The device name is the
 * `len` characters from `start`. */
bool k32_dos_device(const WCHAR *path, size_t n, size_t *start, size_t *len);
/* DOS path -> NT path ("\??\C:\dir\f") for OBJECT_ATTRIBUTES: fills *us with a malloc'd buffer
 * (free with k32_free_nt_path). false with last error set on failure. */
bool k32_nt_path(const WCHAR *dos, UNICODE_STRING *us);
void k32_free_nt_path(UNICODE_STRING *us);
/* OBJECT_ATTRIBUTES for an NT name, case-insensitive. */
void k32_init_attr(OBJECT_ATTRIBUTES *attr, UNICODE_STRING *name);

/* ---- FLS (thunks/kernel32/sync.c) as fibers switch it (thunks/kernel32/fiber.c) ---- */
#define K32_FLS_SLOTS 128
void k32_fls_switch(void **values); /* the running fiber's array; NULL: the thread's own */
void k32_fls_run_callbacks(void **values);
bool k32_fiber_stack(ULONG_PTR *low, ULONG_PTR *high); /* thunks/kernel32/fiber.c */

/* ---- process heap (thunks/kernel32/memory.c) ---- */
HANDLE k32_process_heap(void);
void *k32_heap_alloc(size_t size, bool zero);
void k32_heap_free(void *p);

/* ---- exported functions called across kernel32 files ---- */
HANDLE WINAPI GetProcessHeap(void);
void *WINAPI HeapAlloc(HANDLE heap, DWORD flags, SIZE_T size);
BOOL WINAPI HeapFree(HANDLE heap, DWORD flags, void *p);
void *WINAPI LocalAlloc(UINT flags, SIZE_T size);
void *WINAPI LocalFree(void *mem);
DWORD WINAPI GetLastError(void);
void WINAPI SetLastError(DWORD err);
BOOL WINAPI CloseHandle(HANDLE h);
DWORD WINAPI GetTickCount(void);
HANDLE WINAPI CreateFileW(const WCHAR *name, DWORD access, DWORD sharing, void *sa,
                          DWORD disposition, DWORD flags, HANDLE template_file);
DWORD WINAPI GetFullPathNameW(const WCHAR *path, DWORD size, WCHAR *buf, WCHAR **file_part);
DWORD WINAPI GetEnvironmentVariableW(const WCHAR *name, WCHAR *buf, DWORD size);
BOOL WINAPI FileTimeToSystemTime(const FILETIME *ft, SYSTEMTIME *st);
BOOL WINAPI SystemTimeToFileTime(const SYSTEMTIME *st, FILETIME *ft);
BOOL WINAPI IsValidCodePage(UINT cp);
HANDLE WINAPI GetStdHandle(DWORD which);
HMODULE WINAPI GetModuleHandleW(const WCHAR *name);
/* LoadLibraryEx's data-file loads (datafile.c): whether the flags ask for one; the load (name
 * in UTF-8), NULL with the last error set; FreeLibrary of such a handle (false: not one). */
bool k32_is_data_flags(DWORD flags);
HMODULE k32_load_datafile(const char *utf8_name, DWORD flags);
bool k32_free_datafile(HMODULE mod);
BOOL WINAPI SetStdHandle(DWORD which, HANDLE h);
int WINAPI MultiByteToWideChar(UINT cp, DWORD flags, const char *src, int srclen, WCHAR *dst,
                               int dstlen);
int WINAPI WideCharToMultiByte(UINT cp, DWORD flags, const WCHAR *src, int srclen, char *dst,
                               int dstlen, const char *defchar, BOOL *used);

/* ---- process_env.c: the default environment of a run ---- */
char **k32_env_add_defaults(char **envp, size_t count);
void k32_cpu_signature(uint32_t *family, uint32_t *model, uint32_t *stepping);
void k32_cpu_vendor(char out[13]);        /* glibc's cached leaf 0 when it can tell, else cpuid */
void k32_cpu_vendor_cpuid(char out[13]);  /* cpuid leaf 0 itself */
bool k32_cpu_vendor_from_basic(const uint32_t basic[5], uint32_t leaf1_eax, char out[13]);
size_t k32_computer_name(char out[16]); /* process.c */

/* ---- the console (process.c, console_input.c, console_screen.c) ----
 * k32_console_fd: the terminal fd behind a console handle and whether it is the input buffer
 * (*input), or -1 when the handle is no console. The input buffer's mode lives in
 * console_input.c (it is the terminal's termios); the screen buffer's in process.c. */
int k32_console_fd(HANDLE h, bool *input);
/* Set by FreeConsole, cleared by AllocConsole/AttachConsole (console.c): k32_console_fd then
 * finds no console behind any handle. */
extern int k32_console_detached;
DWORD k32_con_in_mode(void);
BOOL k32_con_in_set_mode(int fd, DWORD mode);
void k32_con_in_reset(void);
/* The cursor on the terminal out_fd (console_input.c: asked with DSR 6 when the input is the
 * same terminal, kept until output moves it); false when not known ((0, 0) then). */
bool k32_con_cursor(int out_fd, int16_t *x, int16_t *y);
void k32_con_cursor_set(int16_t x, int16_t y);
/* Drawing that put the cursor back: a position known before (nt_console_output_count() then)
 * still holds. */
void k32_con_cursor_kept(uint64_t writes_before);
/* Text written to the terminal (console_screen.c follows it): the position known when the
 * output count was `writes` (false if not known then), and the position the text left. */
bool k32_con_cursor_at(uint64_t writes, int16_t *x, int16_t *y);
/* found: the text put it at (x, y) absolutely, known before or not. */
void k32_con_cursor_moved(uint64_t writes_before, uint64_t writes_after, int16_t x, int16_t y,
                          bool found);
BOOL k32_write_all(HANDLE h, const char *buf, size_t n);  /* the runtime's own sequences */
BOOL k32_write_text(HANDLE h, const char *buf, size_t n); /* the program's text */
extern __thread bool k32_out_raw; /* k32_write_all is writing */
#define K32_ENABLE_PROCESSED_OUTPUT 0x0001
#define K32_ENABLE_VIRTUAL_TERMINAL_PROCESSING 0x0004
/* The line editor of a cooked read and the process's command history (console_edit.c), used
 * under the input buffer's lock: k32_edit_start for a read, k32_edit_key for each key press
 * (show: the echo is the editor's to write; false for a character the terminal echoed), the
 * line in buf[0, len), what the terminal must be sent in out[0, out_len) (the caller writes it
 * and empties it), k32_edit_finish when the line ends (entered: Enter, which adds it to the
 * history). */
#define K32_EDIT_HISTORY 50
typedef struct {
    WCHAR *buf;
    size_t len, pos, cap;
    WCHAR high; /* a high surrogate waiting for its low half */
    bool echo, insert;
    char *out;
    size_t out_len, out_cap;
    /* The pop-ups of F2, F4, F7 and F9 (the console host's): the one open takes the keys. */
    int popup;                 /* K32_POPUP_*, 0 none */
    int rows;                  /* the window's rows (the caller's; 0: 25), for F7's list */
    int list_cur, list_bottom; /* F7: the command selected, the last one in view */
    WCHAR num[5];              /* F9: the digits typed */
    int num_len;
    bool popup_changed; /* the pop-up opened, closed or changed: the caller draws it again */
    bool run;           /* F7's Enter: the line (the command chosen) is entered */
} k32_edit;
enum { K32_POPUP_NONE, K32_POPUP_COPY_TO, K32_POPUP_DELETE_TO, K32_POPUP_LIST, K32_POPUP_NUMBER };
#define K32_POPUP_ATTR 0xf5 /* the console host's default PopupAttributes (magenta on white) */
/* The open pop-up as cells, centred on a cols x rows window as the console host centres it,
 * border included: its corner and size (*w = 0: none); with ch/attr non-NULL (w * h each),
 * its characters and attributes, row by row. */
/* The window of the terminal at fd, the rows under a pop-up read, and cells drawn over them
 * (console_screen.c). */
void k32_screen_window(int fd, int *cols, int *rows);
void k32_screen_rows_read(int cols, int rows, int y, int n, WCHAR *ch, WORD *attr);
bool k32_screen_cells_draw(int fd, int cols, int rows, int x, int y, int w, int h,
                           const WCHAR *ch, const WORD *attr);
void k32_edit_popup_cells(const k32_edit *e, int cols, int rows, int *x, int *y, int *w, int *h,
                          WCHAR *ch, WORD *attr);
void k32_edit_start(k32_edit *e, bool echo, bool insert);
void k32_edit_seed(k32_edit *e, const WCHAR *w, size_t n); /* shown already: not echoed */
void k32_edit_key(k32_edit *e, WORD vk, WCHAR c, DWORD state, bool show);
void k32_edit_echo(k32_edit *e, const char *s, size_t n);
void k32_edit_finish(k32_edit *e, bool entered);
void k32_edit_history_clear(void);
int k32_sgr(WORD attr, char *seq, size_t size);        /* process.c */
/* The screen buffer's output mode (process.c); DECAWM written to the terminal sets or clears
 * ENABLE_WRAP_AT_EOL_OUTPUT, as in the console host. */
#define K32_ENABLE_WRAP_AT_EOL_OUTPUT 0x0002
DWORD k32_con_out_mode(void);
void k32_con_out_mode_set(DWORD mode); /* the output mode alone (the terminal not told) */
void k32_con_out_wrap(bool on);
/* The terminal cells a character takes (console_screen.c): 2 wide, 0 combining, else 1. */
int k32_char_cells(uint32_t cp);
/* The current attribute (console_screen.c): SetConsoleTextAttribute's, changed by SGR. */
WORD k32_text_attr_get(void);
void k32_text_attr_set(WORD attr);
int k32_screen_origin_top(int fd); /* console_screen.c: origin mode's top margin, else 0 */
int k32_screen_cup(int fd, int16_t x, int16_t y, char *seq, size_t size, int16_t *ay);
void k32_screen_buffer_size(int16_t *w, int16_t *h);
void k32_screen_dims(int cols, int rows, int16_t *bw, int16_t *bh); /* console_screen.c: the buffer shown */   /* console_screen.c: 0, 0 when not set */
void k32_screen_reset(void);                           /* console_screen.c */
/* Output that changed no cell of the screen buffer (a cursor move): console_screen.c's copy
 * of the cells (nt_console_output_count() before it) still holds. */
void k32_screen_cells_kept(uint64_t writes_before);
UINT WINAPI GetConsoleCP(void);
UINT WINAPI GetConsoleOutputCP(void);

#endif
