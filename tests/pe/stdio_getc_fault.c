/* getc/fgetc on a stream whose _ptr the program damaged (mingw's FILE is msvcrt's _iobuf, which
 * programs may write: the _getc_nolock macros do): the read of the byte is an access violation
 * in the program, which a vectored handler catches (here it longjmps out); the stream is left as
 * it was, so with _ptr put back the next getc returns the byte the failed one would have. The
 * process then starts a second thread, which reads another file through getc while the first
 * thread keeps reading its own: a fault on getc's buffered path leaves nothing held that would
 * stop a thread from starting or a stream from being read. Last, getc on the standard input
 * (empty) gives EOF, and on a byte 255 gives 255, not -1. */
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <windows.h>

static jmp_buf jb;
static int faults;

static LONG CALLBACK av_to_longjmp(EXCEPTION_POINTERS *ep)
{
    if (ep->ExceptionRecord->ExceptionCode == EXCEPTION_ACCESS_VIOLATION) {
        faults++;
        longjmp(jb, 1);
    }
    return EXCEPTION_CONTINUE_SEARCH;
}

static void write_file(const char *name, const char *text, size_t n)
{
    FILE *f = fopen(name, "wb");
    fwrite(text, 1, n, f);
    fclose(f);
}

static DWORD WINAPI reader(void *arg)
{
    FILE *f = fopen((const char *)arg, "rb");
    DWORD sum = 0;
    int c;
    while ((c = getc(f)) != EOF)
        sum += (DWORD)c;
    fclose(f);
    return sum;
}

int main(void)
{
    write_file("getc_fault_a.tmp", "hello\nworld\n", 12);
    char big[20000];
    DWORD expect = 0;
    for (size_t i = 0; i < sizeof big; i++) {
        big[i] = (char)('a' + i % 26);
        expect += (unsigned char)big[i];
    }
    write_file("getc_fault_b.tmp", big, sizeof big);

    FILE *f = fopen("getc_fault_a.tmp", "rb");
    int c1 = getc(f), c2 = fgetc(f);
    printf("first two: %c%c, %d left in the buffer\n", c1, c2, f->_cnt);

    AddVectoredExceptionHandler(1, av_to_longjmp);
    char *saved = f->_ptr;
    int cnt = f->_cnt;
    f->_ptr = (char *)16;
    volatile int got = -2;
    if (setjmp(jb) == 0)
        got = getc(f);
    printf("getc with a damaged _ptr: %s (faults %d)\n",
           got == -2 ? "access violation" : "returned", faults);
    if (setjmp(jb) == 0)
        got = fgetc(f);
    printf("fgetc with a damaged _ptr: %s (faults %d)\n",
           got == -2 ? "access violation" : "returned", faults);
    printf("stream unchanged: %s\n", f->_ptr == (char *)16 && f->_cnt == cnt ? "yes" : "no");
    f->_ptr = saved;

    HANDLE t = CreateThread(NULL, 0, reader, "getc_fault_b.tmp", 0, NULL);
    char rest[16] = {0};
    size_t n = 0;
    int c;
    while ((c = getc(f)) != EOF && n < sizeof rest - 1)
        rest[n++] = (char)(c == '\n' ? '|' : c);
    fclose(f);
    printf("the rest: %s\n", rest);
    DWORD sum = 0;
    if (WaitForSingleObject(t, 20000) != WAIT_OBJECT_0)
        printf("the other thread did not finish\n");
    GetExitCodeThread(t, &sum);
    CloseHandle(t);
    printf("other thread's sum: %s\n", sum == expect ? "right" : "wrong");

    char ff[3] = {'\xff', 'x', '\xff'};
    write_file("getc_fault_a.tmp", ff, 3);
    f = fopen("getc_fault_a.tmp", "rb");
    int a = getc(f), b = getc(f), d = getc(f), e = getc(f);
    fclose(f);
    printf("bytes: %d %d %d then %d\n", a, b, d, e);
    printf("stdin: %d\n", getc(stdin));
    DeleteFileA("getc_fault_a.tmp");
    DeleteFileA("getc_fault_b.tmp");
    return 0;
}
