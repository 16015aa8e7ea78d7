/* crypt32's CryptBinaryToString and CryptStringToBinary (A and W) as Windows formats and parses:
 * base64 in 64-character lines with CRLF, LF (CRYPT_STRING_NOCR) or nothing
 * (CRYPT_STRING_NOCRLF), the PEM headers, hex (16 bytes a line, two spaces after the eighth)
 * and raw hex, the sizes asked with a NULL buffer (with the NUL) and returned (without),
 * ERROR_MORE_DATA, CRYPT_STRING_ANY / BASE64_ANY detection with the skip and flags outputs, and
 * ERROR_INVALID_DATA for bad input. Expected output from Wine 8.0 (whose CryptBinaryToStringA
 * has no hex formats, so they are shown through the W function, and which parses no hex). */
#include <windows.h>
#include <wincrypt.h>
#include <stdio.h>
#include <string.h>

static void show(const char *s, DWORD n)
{
    putchar('[');
    for (DWORD i = 0; i < n; i++) {
        if (s[i] == '\r')
            printf("\\r");
        else if (s[i] == '\n')
            printf("\\n");
        else
            putchar(s[i]);
    }
    printf("]\n");
}

static void to_str(const char *what, const BYTE *data, DWORD len, DWORD flags)
{
    DWORD need = 0, n;
    BOOL ok;
    char buf[2048];
    memset(buf, 'x', sizeof buf);
    buf[0] = 0;
    if ((flags & 0xff) != CRYPT_STRING_HEX) { /* Wine 8.0's A function has no hex */
        ok = CryptBinaryToStringA(data, len, flags, NULL, &need);
        printf("%s A: size %d %lu", what, ok, (unsigned long)need);
        n = need;
        ok = CryptBinaryToStringA(data, len, flags, buf, &n);
        printf(" -> %d %lu nul %d ", ok, (unsigned long)n, ok ? buf[n] == 0 : -1);
        if (ok)
            show(buf, n);
        else
            printf("err %lu\n", GetLastError());
    } else {
        printf("%s\n", what);
    }
    WCHAR wbuf[2048];
    DWORD wneed = 0;
    ok = CryptBinaryToStringW(data, len, flags, NULL, &wneed);
    n = wneed;
    BOOL ok2 = CryptBinaryToStringW(data, len, flags, wbuf, &n);
    int same = ok2 && n == (DWORD)strlen(buf);
    for (DWORD i = 0; same && i < n; i++)
        same = wbuf[i] == (WCHAR)(unsigned char)buf[i];
    printf("  W: size %d %lu -> %d %lu same %d", ok, (unsigned long)wneed, ok2, (unsigned long)n,
           same);
    if (ok2 && !same && n < sizeof buf) {
        for (DWORD i = 0; i < n; i++)
            buf[i] = (char)wbuf[i];
        printf(" ");
        show(buf, n);
    } else {
        printf("\n");
    }
}

static void from_str(const char *what, const char *s, DWORD flags)
{
    BYTE out[512];
    DWORD n = 0, skip = 0xcccc, fl = 0xcccc;
    SetLastError(0);
    BOOL ok = CryptStringToBinaryA(s, 0, flags, NULL, &n, &skip, &fl);
    if (!ok) {
        printf("%s: size 0 err %lu\n", what, GetLastError());
        return;
    }
    printf("%s: size %d %lu skip %lu flags %lu", what, ok, (unsigned long)n, (unsigned long)skip,
           (unsigned long)fl);
    DWORD m = n;
    ok = CryptStringToBinaryA(s, 0, flags, out, &m, NULL, NULL);
    printf(" -> %d %lu:", ok, (unsigned long)m);
    for (DWORD i = 0; ok && i < m && i < 40; i++)
        printf(" %02x", out[i]);
    printf("\n");
    WCHAR w[1024];
    MultiByteToWideChar(CP_ACP, 0, s, -1, w, 1024);
    DWORD wm = sizeof out;
    BYTE wout[512];
    BOOL wok = CryptStringToBinaryW(w, 0, flags, wout, &wm, NULL, NULL);
    printf("  W: %d %lu same %d\n", wok, (unsigned long)wm, wok && wm == m && !memcmp(out, wout, m));
}

int main(void)
{
    BYTE data[100];
    for (int i = 0; i < 100; i++)
        data[i] = (BYTE)(i * 7 + 3);
    const BYTE *hello = (const BYTE *)"hello, world";
    to_str("b64 hello", hello, 12, CRYPT_STRING_BASE64);
    to_str("b64 1", hello, 1, CRYPT_STRING_BASE64);
    to_str("b64 2", hello, 2, CRYPT_STRING_BASE64);
    to_str("b64 100", data, 100, CRYPT_STRING_BASE64);
    to_str("b64 48", data, 48, CRYPT_STRING_BASE64);
    to_str("b64 100 nocrlf", data, 100, CRYPT_STRING_BASE64 | CRYPT_STRING_NOCRLF);
    to_str("b64 100 nocr", data, 100, CRYPT_STRING_BASE64 | CRYPT_STRING_NOCR);
    to_str("b64 header", data, 60, CRYPT_STRING_BASE64HEADER);
    to_str("b64 request", data, 10, CRYPT_STRING_BASE64REQUESTHEADER);
    to_str("b64 crl", data, 10, CRYPT_STRING_BASE64X509CRLHEADER);
    to_str("hex 20", data, 20, CRYPT_STRING_HEX);
    to_str("hex 16", data, 16, CRYPT_STRING_HEX);
    to_str("hex 5", data, 5, CRYPT_STRING_HEX);
    to_str("hex 5 nocrlf", data, 5, CRYPT_STRING_HEX | CRYPT_STRING_NOCRLF);
    to_str("hexraw 20", data, 20, CRYPT_STRING_HEXRAW);
    to_str("hexraw 5 nocrlf", data, 5, CRYPT_STRING_HEXRAW | CRYPT_STRING_NOCRLF);
    to_str("binary", hello, 5, CRYPT_STRING_BINARY);
    {
        char buf[8];
        DWORD n = 8;
        BOOL ok = CryptBinaryToStringA(hello, 12, CRYPT_STRING_BASE64, buf, &n);
        printf("small buffer: %d err %lu n %lu\n", ok, ok ? 0 : GetLastError(), (unsigned long)n);
        n = 0;
        ok = CryptBinaryToStringA(NULL, 12, CRYPT_STRING_BASE64, NULL, &n);
        printf("NULL data: %d err %lu\n", ok, ok ? 0 : GetLastError());
        ok = CryptBinaryToStringA(hello, 12, 0x55, NULL, &n);
        printf("bad format: %d err %lu\n", ok, ok ? 0 : GetLastError());
    }
    from_str("b64", "aGVsbG8sIHdvcmxk", CRYPT_STRING_BASE64);
    from_str("b64 crlf", "aGVs\r\nbG8s IHdv\tcmxk\r\n", CRYPT_STRING_BASE64);
    from_str("b64 pad1", "aGVsbG8=", CRYPT_STRING_BASE64);
    from_str("b64 pad2", "aGVsbA==", CRYPT_STRING_BASE64);
    from_str("b64 nopad", "aGVsbA", CRYPT_STRING_BASE64);
    from_str("b64 bad", "aGV*bA==", CRYPT_STRING_BASE64);
    from_str("b64 header", "-----BEGIN CERTIFICATE-----\r\naGVsbG8=\r\n-----END CERTIFICATE-----\r\n",
             CRYPT_STRING_BASE64HEADER);
    from_str("b64 header junk", "junk\n-----BEGIN FOO-----\naGVsbG8=\n-----END FOO-----\n",
             CRYPT_STRING_BASE64HEADER);
    from_str("b64 header missing", "aGVsbG8=", CRYPT_STRING_BASE64HEADER);
    from_str("b64 any hdr", "-----BEGIN X-----\naGVsbG8=\n-----END X-----\n", CRYPT_STRING_BASE64_ANY);
    from_str("b64 any", "aGVsbG8=", CRYPT_STRING_BASE64_ANY);
    from_str("any b64", "aGVsbG8=", CRYPT_STRING_ANY);
    from_str("binary", "hi!", CRYPT_STRING_BINARY);
    {
        BYTE out[4];
        DWORD n = 4;
        BOOL ok = CryptStringToBinaryA("aGVsbG8sIHdvcmxk", 0, CRYPT_STRING_BASE64, out, &n, NULL, NULL);
        printf("small out: %d err %lu n %lu\n", ok, ok ? 0 : GetLastError(), (unsigned long)n);
        n = 100;
        BYTE big[100];
        ok = CryptStringToBinaryA("aGVsbG8sIHdvcmxk", 8, CRYPT_STRING_BASE64, big, &n, NULL, NULL);
        printf("counted 8: %d n %lu\n", ok, (unsigned long)n);
    }
    return 0;
}
