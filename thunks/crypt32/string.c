/* SPDX-License-Identifier: MIT */
/* crypt32's CryptBinaryToStringA/W and CryptStringToBinaryA/W: base64 in lines of 64 characters
 * ended by CRLF (LF with CRYPT_STRING_NOCR, nothing with CRYPT_STRING_NOCRLF), optionally inside
 * PEM lines ("-----BEGIN CERTIFICATE-----", NEW CERTIFICATE REQUEST, X509 CRL); hex as 16
 * bytes a line with two spaces after the eighth (CRYPT_STRING_HEX) or one run (HEXRAW); raw
 * bytes (CRYPT_STRING_BINARY). A NULL output buffer asks the size (with the NUL); a success
 * returns the length without it; a short buffer is ERROR_MORE_DATA (formatting) or
 * ERROR_INSUFFICIENT_BUFFER (parsing); a bad character ERROR_INVALID_DATA. Parsing also takes
 * CRYPT_STRING_BASE64_ANY, CRYPT_STRING_ANY (PEM, then base64, then the bytes themselves) and
 * CRYPT_STRING_HEX_ANY (hex), reporting what it found and how many characters it skipped
 * before the PEM line. Not done: the HEXASCII, HEXADDR and HEXASCIIADDR layouts
 * (ERROR_INVALID_PARAMETER). */
#include <stdlib.h>
#include <string.h>
#include "runtime/win.h"
#include "thunks/thunks.h"

#ifndef TRUE
#define TRUE 1
#define FALSE 0
#endif

#define CS_BASE64HEADER 0u
#define CS_BASE64 1u
#define CS_BINARY 2u
#define CS_BASE64REQUESTHEADER 3u
#define CS_HEX 4u
#define CS_BASE64_ANY 6u
#define CS_ANY 7u
#define CS_HEX_ANY 8u
#define CS_BASE64X509CRLHEADER 9u
#define CS_HEXRAW 0xcu
#define CS_NOCRLF 0x40000000u
#define CS_NOCR 0x80000000u

#define CS_ERROR_INVALID_DATA 13u
#define CS_ERROR_INVALID_PARAMETER 87u
#define CS_ERROR_INSUFFICIENT_BUFFER 122u
#define CS_ERROR_MORE_DATA 234u
#define CS_ERROR_NOT_ENOUGH_MEMORY 8u

/* ---- formatting ---- */

typedef struct {
    char *p;
    size_t n, cap;
    int failed;
} cs_buf;

static void put(cs_buf *b, const char *s, size_t n)
{
    if (b->failed)
        return;
    if (b->n + n + 1 > b->cap) {
        size_t cap = (b->n + n + 1) * 2;
        char *p = realloc(b->p, cap);
        if (!p) {
            b->failed = 1;
            return;
        }
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->n, s, n);
    b->n += n;
    b->p[b->n] = 0;
}

static void puts_(cs_buf *b, const char *s)
{
    put(b, s, strlen(s));
}

static void eol(cs_buf *b, uint32_t flags)
{
    if (flags & CS_NOCRLF)
        return;
    puts_(b, flags & CS_NOCR ? "\n" : "\r\n");
}

static const char b64_chars[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static void format_base64(cs_buf *b, const uint8_t *d, uint32_t len, uint32_t flags)
{
    size_t col = 0;
    for (uint32_t i = 0; i < len; i += 3) {
        uint32_t v = (uint32_t)d[i] << 16 | (i + 1 < len ? (uint32_t)d[i + 1] << 8 : 0) |
                     (i + 2 < len ? d[i + 2] : 0);
        char q[4] = {b64_chars[v >> 18], b64_chars[(v >> 12) & 63],
                     i + 1 < len ? b64_chars[(v >> 6) & 63] : '=', i + 2 < len ? b64_chars[v & 63] : '='};
        put(b, q, 4);
        col += 4;
        if (col == 64 && i + 3 < len) {
            eol(b, flags);
            col = 0;
        }
    }
    if (len)
        eol(b, flags);
}

static void format_hex(cs_buf *b, const uint8_t *d, uint32_t len, uint32_t flags, int raw)
{
    static const char hx[] = "0123456789abcdef";
    for (uint32_t i = 0; i < len; i++) {
        char t[2] = {hx[d[i] >> 4], hx[d[i] & 15]};
        if (!raw && i % 16)
            puts_(b, i % 16 == 8 ? "  " : " ");
        put(b, t, 2);
        if (!raw && (i % 16 == 15 || i + 1 == len))
            eol(b, flags);
    }
    if (raw)
        eol(b, flags);
}

/* the text for `fmt`; 0 or a Win32 error */
static uint32_t format(const uint8_t *d, uint32_t len, uint32_t flags, cs_buf *b)
{
    const char *label = NULL;
    switch (flags & 0xffff) {
    case CS_BASE64HEADER: label = "CERTIFICATE"; break;
    case CS_BASE64REQUESTHEADER: label = "NEW CERTIFICATE REQUEST"; break;
    case CS_BASE64X509CRLHEADER: label = "X509 CRL"; break;
    case CS_BASE64: break;
    case CS_HEX: format_hex(b, d, len, flags, 0); goto done;
    case CS_HEXRAW: format_hex(b, d, len, flags, 1); goto done;
    default: return CS_ERROR_INVALID_PARAMETER;
    }
    if (label) {
        puts_(b, "-----BEGIN ");
        puts_(b, label);
        puts_(b, "-----");
        eol(b, flags);
    }
    format_base64(b, d, len, flags);
    if (label) {
        puts_(b, "-----END ");
        puts_(b, label);
        puts_(b, "-----");
        eol(b, flags);
    }
done:
    if (!b->p && !b->failed)
        put(b, "", 0);
    return b->failed ? CS_ERROR_NOT_ENOUGH_MEMORY : 0;
}

static BOOL binary_to_string(const uint8_t *d, uint32_t len, uint32_t flags, void *out,
                             uint32_t *pcch, int wide)
{
    if (!pcch || (!d && len)) {
        thk_set_last_error(CS_ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    if ((flags & 0xffff) == CS_BINARY) { /* the bytes themselves, no NUL */
        if (out) {
            if (*pcch < len) {
                *pcch = len;
                thk_set_last_error(CS_ERROR_MORE_DATA);
                return FALSE;
            }
            memcpy(out, d, len);
        }
        *pcch = len;
        return TRUE;
    }
    cs_buf b = {0};
    uint32_t err = format(d, len, flags, &b);
    if (err) {
        free(b.p);
        thk_set_last_error(err);
        return FALSE;
    }
    uint32_t need = (uint32_t)b.n + 1;
    if (!out) {
        *pcch = need;
    } else if (*pcch < need) {
        *pcch = need;
        free(b.p);
        thk_set_last_error(CS_ERROR_MORE_DATA);
        return FALSE;
    } else {
        for (size_t i = 0; i <= b.n; i++) {
            if (wide)
                ((WCHAR *)out)[i] = (unsigned char)b.p[i];
            else
                ((char *)out)[i] = b.p[i];
        }
        *pcch = (uint32_t)b.n;
    }
    free(b.p);
    return TRUE;
}

BOOL WINAPI CryptBinaryToStringA(const uint8_t *d, uint32_t len, uint32_t flags, char *out,
                                 uint32_t *pcch)
{
    return binary_to_string(d, len, flags, out, pcch, 0);
}
THK_EXPORT(crypt32, CryptBinaryToStringA, 5);

BOOL WINAPI CryptBinaryToStringW(const uint8_t *d, uint32_t len, uint32_t flags, WCHAR *out,
                                 uint32_t *pcch)
{
    return binary_to_string(d, len, flags, out, pcch, 1);
}
THK_EXPORT(crypt32, CryptBinaryToStringW, 5);

/* ---- parsing ---- */

static int is_space(int c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static int b64_value(int c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    return c == '+' ? 62 : c == '/' ? 63 : -1;
}

/* base64 in s[0..n) into out (NULL: count only); the byte count or -1 */
static long decode_base64(const char *s, size_t n, uint8_t *out)
{
    uint32_t acc = 0;
    int bits = 0, pad = 0;
    long len = 0;
    for (size_t i = 0; i < n; i++) {
        int c = (unsigned char)s[i];
        if (is_space(c))
            continue;
        if (c == '=') {
            if (++pad > 2)
                return -1;
            continue;
        }
        int v = b64_value(c);
        if (v < 0 || pad)
            return -1;
        acc = acc << 6 | (uint32_t)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            if (out)
                out[len] = (uint8_t)(acc >> bits);
            len++;
        }
    }
    return len;
}

static int hex_value(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c |= 0x20;
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* hex pairs, blanks between pairs allowed; the byte count or -1 */
static long decode_hex(const char *s, size_t n, uint8_t *out)
{
    long len = 0;
    for (size_t i = 0; i < n;) {
        if (is_space((unsigned char)s[i])) {
            i++;
            continue;
        }
        if (i + 1 >= n)
            return -1;
        int hi = hex_value((unsigned char)s[i]), lo = hex_value((unsigned char)s[i + 1]);
        if (hi < 0 || lo < 0)
            return -1;
        if (out)
            out[len] = (uint8_t)(hi << 4 | lo);
        len++;
        i += 2;
    }
    return len;
}

/* the base64 between a "-----BEGIN ...-----" line and "-----END": its start and length; the
 * offset of the BEGIN line in *skip; 0 when there is none */
static int find_pem(const char *s, size_t n, size_t *start, size_t *len, size_t *skip)
{
    static const char begin[] = "-----BEGIN ", end[] = "-----END ";
    for (size_t i = 0; i + sizeof begin - 1 <= n; i++) {
        if (memcmp(s + i, begin, sizeof begin - 1))
            continue;
        size_t j = i + sizeof begin - 1;
        while (j + 5 <= n && memcmp(s + j, "-----", 5))
            j++;
        if (j + 5 > n)
            return 0;
        j += 5;
        for (size_t k = j; k + sizeof end - 1 <= n; k++) {
            if (!memcmp(s + k, end, sizeof end - 1)) {
                *start = j;
                *len = k - j;
                *skip = i;
                return 1;
            }
        }
        return 0;
    }
    return 0;
}

/* s[0..n) decoded as `fmt` into out (NULL: count): 0 and the count, or a Win32 error */
static uint32_t parse(const char *s, size_t n, uint32_t fmt, uint8_t *out, long *count,
                      size_t *skip, uint32_t *found)
{
    size_t start, len;
    switch (fmt) {
    case CS_BASE64HEADER:
    case CS_BASE64REQUESTHEADER:
    case CS_BASE64X509CRLHEADER:
        if (!find_pem(s, n, &start, &len, skip))
            return CS_ERROR_INVALID_DATA;
        *count = decode_base64(s + start, len, out);
        *found = fmt;
        return *count < 0 ? CS_ERROR_INVALID_DATA : 0;
    case CS_BASE64:
        *skip = 0;
        *found = CS_BASE64;
        *count = decode_base64(s, n, out);
        return *count < 0 ? CS_ERROR_INVALID_DATA : 0;
    case CS_BASE64_ANY:
    case CS_ANY:
        if (find_pem(s, n, &start, &len, skip) && decode_base64(s + start, len, NULL) >= 0)
            return parse(s, n, CS_BASE64HEADER, out, count, skip, found);
        if (decode_base64(s, n, NULL) >= 0)
            return parse(s, n, CS_BASE64, out, count, skip, found);
        return CS_ERROR_INVALID_DATA;
    case CS_HEX:
    case CS_HEX_ANY:
    case CS_HEXRAW:
        *skip = 0;
        *found = fmt == CS_HEX_ANY ? CS_HEX : fmt;
        *count = decode_hex(s, n, out);
        return *count < 0 ? CS_ERROR_INVALID_DATA : 0;
    default:
        return CS_ERROR_INVALID_PARAMETER;
    }
}

static BOOL string_to_binary(const char *s, size_t n, const void *raw, size_t raw_bytes,
                             uint32_t flags, uint8_t *out, uint32_t *pcb, uint32_t *pskip,
                             uint32_t *pflags)
{
    uint32_t fmt = flags & 0xffff;
    long count = 0;
    size_t skip = 0;
    uint32_t found = 0, err;
    if (fmt == CS_BINARY || (fmt == CS_ANY && parse(s, n, CS_ANY, NULL, &count, &skip, &found))) {
        if (out && *pcb < raw_bytes) {
            *pcb = (uint32_t)raw_bytes;
            thk_set_last_error(CS_ERROR_MORE_DATA);
            return FALSE;
        }
        if (out)
            memcpy(out, raw, raw_bytes);
        *pcb = (uint32_t)raw_bytes;
        if (fmt == CS_ANY) {
            if (pskip)
                *pskip = 0;
            if (pflags)
                *pflags = CS_BINARY;
        }
        return TRUE;
    }
    err = parse(s, n, fmt, NULL, &count, &skip, &found);
    if (!err && out && *pcb < (uint32_t)count)
        err = CS_ERROR_INSUFFICIENT_BUFFER;
    if (!err && out)
        parse(s, n, fmt, out, &count, &skip, &found);
    if (err) {
        thk_set_last_error(err);
        return FALSE;
    }
    *pcb = (uint32_t)count;
    if (pskip)
        *pskip = (uint32_t)skip;
    if (pflags)
        *pflags = found;
    return TRUE;
}

BOOL WINAPI CryptStringToBinaryA(const char *s, uint32_t cch, uint32_t flags, uint8_t *out,
                                 uint32_t *pcb, uint32_t *pskip, uint32_t *pflags)
{
    if (!s || !pcb) {
        thk_set_last_error(CS_ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    size_t n = cch ? cch : strlen(s);
    return string_to_binary(s, n, s, n, flags, out, pcb, pskip, pflags);
}
THK_EXPORT(crypt32, CryptStringToBinaryA, 7);

BOOL WINAPI CryptStringToBinaryW(const WCHAR *s, uint32_t cch, uint32_t flags, uint8_t *out,
                                 uint32_t *pcb, uint32_t *pskip, uint32_t *pflags)
{
    if (!s || !pcb) {
        thk_set_last_error(CS_ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    size_t n = cch;
    if (!n)
        while (s[n])
            n++;
    /* the text narrowed: a character past 0x7f can only be invalid data, so it becomes one */
    char *a = malloc(n + 1);
    if (!a) {
        thk_set_last_error(CS_ERROR_NOT_ENOUGH_MEMORY);
        return FALSE;
    }
    for (size_t i = 0; i < n; i++)
        a[i] = s[i] < 0x80 ? (char)s[i] : '\x01';
    a[n] = 0;
    BOOL ok = string_to_binary(a, n, s, n * 2, flags, out, pcb, pskip, pflags);
    free(a);
    return ok;
}
THK_EXPORT(crypt32, CryptStringToBinaryW, 7);
