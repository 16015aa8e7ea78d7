/* fputs and fgets, the paths of a line-by-line write and read-back (msvcrt): lines of every
 * length from 0 to 300 bytes and two longer than the 4096-byte buffer, written with fputs in
 * text mode, read back raw (each LF as CR LF on disk, nothing else) and with fgets in text mode
 * into a 128-byte buffer (a long line in pieces of 127 bytes, the pieces put together give
 * the file's text); CR LF pairs straddling every buffer refill of a 40 000-byte file; fgets in
 * binary mode (the CR kept); fgets with n = 1 (an empty string, the stream not moved, s even at
 * EOF) and n = 2 (a byte a call); a last line without LF, then NULL and feof; a Ctrl-Z in text
 * mode ends the text; fputs and fgets on strings and buffers that end at a page that cannot
 * be touched; fputs on a read-only stream fails. Then two threads on one stream: both fputs
 * 20 000 lines each to it (every line lands whole, each thread's in order), both read it back
 * with fgets (every line read exactly once, whole). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>

#define TMP "stdio_lines_paths.tmp"

static char text[200000], got[200000];

static void line_of(char *b, int len, int seed)
{
    for (int i = 0; i < len; i++)
        b[i] = (char)('a' + (seed * 7 + i) % 26);
    b[len] = 0;
}

static int lines_text(void)
{
    FILE *f = fopen(TMP, "w");
    if (!f)
        return 1;
    size_t n = 0;
    static char line[10002];
    int lens[303];
    for (int i = 0; i <= 300; i++)
        lens[i] = i;
    lens[301] = 5000;
    lens[302] = 10000;
    for (int i = 0; i < 303; i++) {
        line_of(line, lens[i], i);
        strcat(line, "\n");
        if (fputs(line, f) == EOF)
            return 2;
        memcpy(text + n, line, (size_t)lens[i] + 1);
        n += (size_t)lens[i] + 1;
    }
    if (fputs("", f) == EOF)
        return 3;
    fclose(f);

    /* on disk: every LF as CR LF */
    f = fopen(TMP, "rb");
    size_t r = fread(got, 1, sizeof got, f), k = 0;
    fclose(f);
    int ok = 1;
    for (size_t i = 0; i < n && ok; i++) {
        if (text[i] == '\n')
            ok = k + 1 < r && got[k++] == '\r';
        ok = ok && k < r && got[k++] == text[i];
    }
    printf("fputs, text mode, on disk: %s\n", ok && k == r ? "LF as CR LF" : "differs");

    /* fgets, text mode, 128 bytes: pieces of at most 127 bytes, each a line's end or full */
    f = fopen(TMP, "r");
    char buf[128];
    size_t m = 0;
    int pieces = 0, bad_piece = 0;
    while (fgets(buf, sizeof buf, f)) {
        size_t len = strlen(buf);
        if (!(buf[len - 1] == '\n' || len == sizeof buf - 1))
            bad_piece = 1;
        memcpy(got + m, buf, len);
        m += len;
        pieces++;
    }
    printf("fgets, text mode: %s, %d pieces, pieces %s, feof %d\n",
           m == n && !memcmp(got, text, n) ? "the text" : "differs", pieces,
           bad_piece ? "cut wrong" : "whole lines or 127 bytes", feof(f) != 0);
    fclose(f);

    /* the long line in one fgets: a 12 000-byte buffer takes the 10 000 bytes and the LF */
    f = fopen(TMP, "r");
    static char big[12000];
    int found = 0;
    while (fgets(big, sizeof big, f))
        if (strlen(big) == 10001 && big[10000] == '\n' && big[0] == 'a' + (302 * 7) % 26)
            found = 1;
    printf("fgets of a line longer than the buffer: %s\n", found ? "whole" : "missing");
    fclose(f);
    return 0;
}

/* CR LF pairs at every offset around the 4096-byte refills: lines of 1..97 bytes, written raw */
static int crlf_refills(void)
{
    FILE *f = fopen(TMP, "wb");
    size_t n = 0, e = 0;
    int nlines = 0;
    for (int i = 0; n < 40000; i++, nlines++) {
        int len = 1 + (i * 37) % 97;
        for (int j = 0; j < len; j++) {
            got[n++] = (char)('A' + (i + j) % 26);
            text[e++] = (char)('A' + (i + j) % 26);
        }
        got[n++] = '\r';
        got[n++] = '\n';
        text[e++] = '\n';
    }
    fwrite(got, 1, n, f);
    fclose(f);
    f = fopen(TMP, "r");
    char buf[200];
    size_t m = 0;
    int lines = 0, cr = 0;
    while (fgets(buf, sizeof buf, f)) {
        size_t len = strlen(buf);
        if (memchr(buf, '\r', len))
            cr = 1;
        memcpy(got + m, buf, len);
        m += len;
        lines++;
    }
    fclose(f);
    printf("CR LF across refills, text mode: %s, lines %s, CR %s\n",
           m == e && !memcmp(got, text, e) ? "the text" : "differs",
           lines == nlines ? "all" : "missing", cr ? "left" : "none");

    f = fopen(TMP, "rb");
    fgets(buf, sizeof buf, f);
    size_t len = strlen(buf);
    printf("binary mode: the first line ends %s\n",
           len >= 2 && buf[len - 2] == '\r' && buf[len - 1] == '\n' ? "CR LF" : "otherwise");
    fclose(f);
    return 0;
}

static int small_n(void)
{
    FILE *f = fopen(TMP, "wb");
    fputs("ab\ncd", f);
    fclose(f);
    f = fopen(TMP, "r");
    char buf[8];
    memset(buf, 'x', sizeof buf);
    char *r = fgets(buf, 1, f);
    printf("n=1: %s, \"%s\", next %c\n", r == buf ? "s" : "NULL", r ? buf : "", fgetc(f));
    ungetc('a', f);
    int calls = 0;
    char seen[16] = {0};
    while (fgets(buf, 2, f) && calls < 10)
        seen[calls++] = buf[0] == '\n' ? '|' : buf[0];
    printf("n=2: %d calls, %s, then feof %d\n", calls, seen, feof(f) != 0);
    r = fgets(buf, 1, f);
    printf("n=1 at EOF: %s\n", r == buf ? "s" : "NULL");
    r = fgets(buf, 0, f);
    printf("n=0: %s\n", r ? "s" : "NULL");
    fclose(f);

    f = fopen(TMP, "r");
    fgets(buf, sizeof buf, f);
    r = fgets(buf, sizeof buf, f);
    printf("last line without LF: \"%s\"", r ? buf : "(NULL)");
    r = fgets(buf, sizeof buf, f);
    printf(", then %s, feof %d\n", r ? "more" : "NULL", feof(f) != 0);
    fclose(f);

    f = fopen(TMP, "wb");
    fputs("one\r\ntwo\x1athree\r\n", f);
    fclose(f);
    f = fopen(TMP, "r");
    int k = 0;
    while (fgets(buf, sizeof buf, f)) {
        printf("%s[%s]", k++ ? "" : "Ctrl-Z in text mode: ", buf[strlen(buf) - 1] == '\n' ? "line" : buf);
    }
    printf(" then EOF\n");
    fclose(f);

    f = fopen(TMP, "r");
    printf("fputs on a read-only stream: %s\n", fputs("x", f) == EOF ? "EOF" : "written");
    fclose(f);
    return 0;
}

/* A string that ends at the last byte before a PAGE_NOACCESS page, fputs'd; fgets into a
 * buffer that ends there (n the bytes left), so neither may reach past the end. */
static int page_ends(void)
{
    char *p = VirtualAlloc(NULL, 8192, MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE);
    DWORD old;
    if (!p || !VirtualProtect(p + 4096, 4096, PAGE_NOACCESS, &old))
        return 1;
    FILE *f = fopen(TMP, "w");
    int ok = 1;
    for (int len = 0; len < 40; len++) {
        char *s = p + 4096 - len - 1;
        line_of(s, len, len);
        if (len)
            s[len - 1] = '\n';
        ok &= fputs(s, f) != EOF;
    }
    fclose(f);
    f = fopen(TMP, "r");
    int lines = 0;
    for (int len = 1; len < 40; len++) {
        char *d = p + 4096 - len - 1; /* len bytes and the NUL */
        if (fgets(d, len + 1, f) && strlen(d) == (size_t)len && d[len - 1] == '\n')
            lines++;
    }
    fclose(f);
    printf("at a page's end: fputs %s, fgets %d of 39 lines\n", ok ? "ok" : "failed", lines);
    VirtualFree(p, 0, MEM_RELEASE);
    return 0;
}

#define THREAD_LINES 20000
static FILE *shared;
static int counts[2][THREAD_LINES];
static volatile LONG bad_lines;

static DWORD WINAPI writer(void *arg)
{
    char who = (char)(intptr_t)arg, line[64];
    for (int i = 0; i < THREAD_LINES; i++) {
        sprintf(line, "%c%05d the quick brown fox %c\n", who, i, who);
        fputs(line, shared);
    }
    return 0;
}

static DWORD WINAPI reader(void *arg)
{
    char line[64];
    (void)arg;
    while (fgets(line, sizeof line, shared)) {
        int i;
        char a, b;
        if (sscanf(line, "%c%05d the quick brown fox %c", &a, &i, &b) != 3 || a != b ||
            (a != 'A' && a != 'B') || i < 0 || i >= THREAD_LINES || strlen(line) != 29)
            InterlockedIncrement(&bad_lines);
        else
            InterlockedIncrement((LONG *)&counts[a - 'A'][i]);
    }
    return 0;
}

static int two_threads(void)
{
    shared = fopen(TMP, "w");
    HANDLE t[2];
    t[0] = CreateThread(NULL, 0, writer, (void *)(intptr_t)'A', 0, NULL);
    t[1] = CreateThread(NULL, 0, writer, (void *)(intptr_t)'B', 0, NULL);
    WaitForMultipleObjects(2, t, TRUE, INFINITE);
    CloseHandle(t[0]);
    CloseHandle(t[1]);
    fclose(shared);

    shared = fopen(TMP, "r");
    char line[64];
    int next[2] = {0, 0}, order = 1, whole = 1;
    while (fgets(line, sizeof line, shared)) {
        int i;
        char a, b;
        if (sscanf(line, "%c%05d the quick brown fox %c", &a, &i, &b) != 3 || a != b ||
            (a != 'A' && a != 'B') || strlen(line) != 29) {
            whole = 0;
            continue;
        }
        if (i != next[a - 'A']++)
            order = 0;
    }
    fclose(shared);
    printf("two threads fputs: lines %s, %s, %d and %d\n", whole ? "whole" : "torn",
           order ? "each thread's in order" : "out of order", next[0], next[1]);

    shared = fopen(TMP, "r");
    t[0] = CreateThread(NULL, 0, reader, NULL, 0, NULL);
    t[1] = CreateThread(NULL, 0, reader, NULL, 0, NULL);
    WaitForMultipleObjects(2, t, TRUE, INFINITE);
    CloseHandle(t[0]);
    CloseHandle(t[1]);
    fclose(shared);
    int once = 1;
    for (int w = 0; w < 2; w++)
        for (int i = 0; i < THREAD_LINES; i++)
            once &= counts[w][i] == 1;
    printf("two threads fgets: %ld torn, every line %s\n", (long)bad_lines,
           once ? "read once" : "lost or read twice");
    return 0;
}

int main(void)
{
    int r = lines_text();
    if (!r)
        r = crlf_refills();
    if (!r)
        r = small_n();
    if (!r)
        r = page_ends();
    if (!r)
        r = two_threads();
    remove(TMP);
    return r;
}
