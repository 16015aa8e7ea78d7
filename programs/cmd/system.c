/* SPDX-License-Identifier: MIT */
/* cmd: the commands about the system rather than files and variables, where they map onto
 * ntrun cleanly: VOL, DATE /T, TIME /T, COLOR, PROMPT (and the prompt shown before commands)
 * and MKLINK /H.
 *
 * DATE and TIME without /T show the date or time and ask for a new one on standard input, as
 * Windows does; ntrun does not set the clock (see cmd_ask_clock). COLOR sets the console's colours (SetConsoleTextAttribute, ANSI on a terminal) and
 * does nothing when standard output is no console, as Windows' COLOR changes the console, not
 * the output; equal foreground and background change nothing and give ERRORLEVEL 1. MKLINK /H
 * makes a hard link (CreateHardLink), MKLINK and MKLINK /D a symbolic link, MKLINK /J a
 * junction, here a symbolic link to the target's full path (CreateSymbolicLink); no privilege
 * is asked for, as in Windows' developer mode. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "programs/cmd/cmd_private.h"

BOOL WINAPI GetVolumeInformationA(const char *root, char *name, DWORD name_size, DWORD *serial,
                                  DWORD *max_component, DWORD *flags, char *fs, DWORD fs_size);
BOOL WINAPI CreateHardLinkA(const char *link, const char *target, void *sa);
uint8_t WINAPI CreateSymbolicLinkA(const char *link, const char *target, DWORD flags);
BOOL WINAPI SetConsoleTextAttribute(HANDLE h, uint16_t attr);

static const char *const cmd_days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};

/* VOL [drive:] */
int cmd_vol(const char *args, const cmd_io *io)
{
    char *arg = cmd_arg_text(args);
    char drive;
    if (*arg) {
        if (!((arg[0] | 0x20) >= 'a' && (arg[0] | 0x20) <= 'z' && arg[1] == ':' && !arg[2])) {
            free(arg);
            cmd_err(io, "The filename, directory name, or volume label syntax is incorrect.\r\n");
            return 1;
        }
        drive = (char)(arg[0] & ~0x20);
    } else {
        char *cwd = cmd_cwd();
        drive = (char)(cwd[0] & ~0x20);
        free(cwd);
    }
    free(arg);
    char root[4] = {drive, ':', '\\', 0}, label[64] = "";
    DWORD serial = 0;
    if (!GetVolumeInformationA(root, label, sizeof label, &serial, NULL, NULL, NULL, 0)) {
        cmd_err(io, "The system cannot find the path specified.\r\n");
        return 1;
    }
    if (*label)
        cmd_outf(io, " Volume in drive %c is %s\r\n", drive, label);
    else
        cmd_outf(io, " Volume in drive %c has no label.\r\n", drive);
    cmd_outf(io, " Volume Serial Number is %04X-%04X\r\n", (unsigned)(serial >> 16),
             (unsigned)(serial & 0xffff));
    return 0;
}

/* Numbers separated by any of `seps` ("12-05-26"): how many (up to `max`) when the text is
 * nothing else. */
static int cmd_parse_fields(const char *s, const char *seps, unsigned *v, int max)
{
    int n = 0;
    while (n < max) {
        if (*s < '0' || *s > '9')
            return -1;
        unsigned x = 0;
        int digits = 0;
        while (*s >= '0' && *s <= '9' && digits < 5)
            x = x * 10 + (unsigned)(*s++ - '0'), digits++;
        v[n++] = x;
        if (!*s)
            return n;
        if (!strchr(seps, *s))
            return -1;
        s++;
    }
    return -1;
}

/* A date as en-US's short date takes it: month, day, year (2 or 4 digits). */
static bool cmd_valid_date(const char *s)
{
    unsigned v[3];
    if (cmd_parse_fields(s, "-/.", v, 3) != 3)
        return false;
    unsigned y = v[2] < 100 ? (v[2] < 80 ? 2000 + v[2] : 1900 + v[2]) : v[2];
    static const unsigned char mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100) || y % 400 == 0;
    return y >= 1980 && y <= 2099 && v[0] >= 1 && v[0] <= 12 && v[1] >= 1 &&
           v[1] <= (v[0] == 2 && !leap ? 28u : mdays[v[0] - 1]);
}

/* A time: hours[:minutes[:seconds[.hundredths]]], 24-hour. */
static bool cmd_valid_time(const char *s)
{
    unsigned v[4] = {0};
    char buf[64];
    snprintf(buf, sizeof buf, "%s", s);
    char *dot = strchr(buf, '.');
    if (dot) {
        *dot = ':'; /* the hundredths are a fourth field */
        if (strchr(dot + 1, '.'))
            return false;
    }
    int n = cmd_parse_fields(buf, ":", v, 4);
    return n >= 1 && v[0] < 24 && v[1] < 60 && v[2] < 60 && v[3] < 100;
}

/* DATE and TIME without /T: the current value, then the new one asked for on standard input
 * (again after one that is no date or time). An empty line keeps the clock. ntrun never sets
 * the clock: a valid new value gets what Windows tells a user without SeSystemtimePrivilege.
 * A value given as the argument is taken as the first reply. */
static int cmd_ask_clock(const char *arg, const cmd_io *io, bool date)
{
    const char *ask = date ? "Enter the new date: (mm-dd-yy) " : "Enter the new time: ";
    cmd_systemtime st;
    GetLocalTime(&st);
    if (!*arg) {
        if (date)
            cmd_outf(io, "The current date is: %s %02u/%02u/%04u\r\n", cmd_days[st.wDayOfWeek % 7],
                     st.wMonth, st.wDay, st.wYear);
        else
            cmd_outf(io, "The current time is: %2u:%02u:%02u.%02u\r\n", st.wHour, st.wMinute,
                     st.wSecond, st.wMilliseconds / 10);
    }
    char *reply = *arg ? cmd_strdup(arg) : NULL;
    for (;;) {
        bool eof = false;
        if (!reply) {
            cmd_out(io, ask);
            reply = cmd_read_line(io, &eof);
        }
        char *r = cmd_arg_text(reply);
        free(reply);
        reply = NULL;
        if (eof || !*r) {
            free(r);
            return 0;
        }
        bool valid = date ? cmd_valid_date(r) : cmd_valid_time(r);
        free(r);
        if (valid) {
            cmd_err(io, "A required privilege is not held by the client.\r\n");
            return 1;
        }
        cmd_err(io, date ? "The system cannot accept the date entered.\r\n"
                         : "The system cannot accept the time entered.\r\n");
    }
}

/* DATE /T: "Sat 12/05/2026 " (en-US, ntrun's locale), with the space Windows writes. */
int cmd_date(const char *args, const cmd_io *io)
{
    char *arg = cmd_arg_text(args);
    if (!cmd_ieq(arg, "/t")) {
        int rc = cmd_ask_clock(arg, io, true);
        free(arg);
        return rc;
    }
    free(arg);
    cmd_systemtime st;
    GetLocalTime(&st);
    cmd_outf(io, "%s %02u/%02u/%04u \r\n", cmd_days[st.wDayOfWeek % 7], st.wMonth, st.wDay,
             st.wYear);
    return 0;
}

/* TIME /T: "02:05 PM" (en-US's short time, hours with two digits). */
int cmd_time(const char *args, const cmd_io *io)
{
    char *arg = cmd_arg_text(args);
    if (!cmd_ieq(arg, "/t")) {
        int rc = cmd_ask_clock(arg, io, false);
        free(arg);
        return rc;
    }
    free(arg);
    cmd_systemtime st;
    GetLocalTime(&st);
    unsigned h12 = st.wHour % 12 ? st.wHour % 12 : 12;
    cmd_outf(io, "%02u:%02u %s\r\n", h12, st.wMinute, st.wHour < 12 ? "AM" : "PM");
    return 0;
}

static int cmd_hex(char c)
{
    c = (char)(c | 0x20);
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* COLOR [bf]: b the background, f the foreground, hex digits; none: the default (07). */
int cmd_color(const char *args, const cmd_io *io)
{
    char *arg = cmd_arg_text(args);
    int attr = 0x07;
    bool ok = true;
    if (*arg) {
        size_t n = strlen(arg);
        int hi = n == 2 ? cmd_hex(arg[0]) : 0, lo = cmd_hex(arg[n - 1]);
        ok = (n == 1 || n == 2) && hi >= 0 && lo >= 0 && hi != lo;
        attr = hi << 4 | lo;
    }
    free(arg);
    if (!ok)
        return 1; /* Windows: nothing changes, ERRORLEVEL 1, no message */
    if (GetFileType(io->h[1]) == 2) /* FILE_TYPE_CHAR: a console */
        SetConsoleTextAttribute(io->h[1], (uint16_t)attr);
    return 0;
}

/* PROMPT [text]: sets PROMPT; none: the default ($P$G). */
int cmd_prompt(const char *args, const cmd_io *io)
{
    (void)io;
    char *arg = cmd_arg_text(args);
    SetEnvironmentVariableA("PROMPT", *arg ? arg : NULL);
    free(arg);
    return 0;
}

/* The prompt shown before a command (interactive, or echoed from a batch file): PROMPT's
 * $-codes expanded ($P$G when PROMPT is not set). malloc'd. */
char *cmd_prompt_text(void)
{
    char *fmt = cmd_getenv("PROMPT");
    const char *p = fmt ? fmt : "$P$G";
    cmd_buf b = {0};
    for (; *p; p++) {
        if (*p != '$' || !p[1]) {
            cmd_buf_addc(&b, *p);
            continue;
        }
        char c = (char)(*++p | 0x20);
        cmd_systemtime st;
        char tmp[64];
        switch (c) {
        case 'p': {
            char *cwd = cmd_cwd();
            cmd_buf_adds(&b, cwd);
            free(cwd);
            break;
        }
        case 'n': {
            char *cwd = cmd_cwd();
            cmd_buf_addc(&b, cwd[0]);
            free(cwd);
            break;
        }
        case 'g': cmd_buf_addc(&b, '>'); break;
        case 'l': cmd_buf_addc(&b, '<'); break;
        case 'b': cmd_buf_addc(&b, '|'); break;
        case 'q': cmd_buf_addc(&b, '='); break;
        case 's': cmd_buf_addc(&b, ' '); break;
        case '$': cmd_buf_addc(&b, '$'); break;
        case 'a': cmd_buf_addc(&b, '&'); break;
        case 'c': cmd_buf_addc(&b, '('); break;
        case 'f': cmd_buf_addc(&b, ')'); break;
        case 'e': cmd_buf_addc(&b, 0x1b); break;
        case '_': cmd_buf_adds(&b, "\r\n"); break;
        case 'd':
            GetLocalTime(&st);
            snprintf(tmp, sizeof tmp, "%s %02u/%02u/%04u", cmd_days[st.wDayOfWeek % 7],
                     st.wMonth, st.wDay, st.wYear);
            cmd_buf_adds(&b, tmp);
            break;
        case 't':
            GetLocalTime(&st);
            snprintf(tmp, sizeof tmp, "%2u:%02u:%02u.%02u", st.wHour, st.wMinute, st.wSecond,
                     st.wMilliseconds / 10);
            cmd_buf_adds(&b, tmp);
            break;
        case '+': break; /* PUSHD depth: one '+' per level; not kept here */
        case 'v': cmd_buf_adds(&b, "Microsoft Windows [Version 10.0.19045]"); break;
        default: break; /* an unknown code shows nothing */
        }
    }
    free(fmt);
    return cmd_buf_take(&b);
}

/* A junction: an empty directory made a mount point reparse point (FSCTL_SET_REPARSE_POINT),
 * its SubstituteName "\??\" and the full path, its PrintName the full path, each ended by a
 * NUL, as Windows' MKLINK writes them. */
static bool cmd_make_junction(const char *link, const char *full)
{
    WCHAR w[1024];
    int n = MultiByteToWideChar(0, 0, full, -1, w, 1024) - 1;
    if (n <= 0 || !CreateDirectoryA(link, NULL))
        return false;
    static const WCHAR prefix[] = {'\\', '?', '?', '\\'};
    uint8_t buf[8 + 8 + (4 + 1024 + 1 + 1024 + 1) * sizeof(WCHAR)] = {0};
    uint32_t tag = CMD_IO_REPARSE_TAG_MOUNT_POINT;
    uint16_t sl = (uint16_t)((4 + n) * sizeof(WCHAR)), pl = (uint16_t)(n * sizeof(WCHAR));
    uint16_t hdr[5] = {(uint16_t)(8 + sl + 2 + pl + 2), 0, 0, sl, (uint16_t)(sl + 2)};
    memcpy(buf, &tag, 4);
    memcpy(buf + 4, hdr, sizeof hdr);
    memcpy(buf + 14, &pl, 2);
    memcpy(buf + 16, prefix, sizeof prefix);
    memcpy(buf + 16 + sizeof prefix, w, (size_t)n * sizeof(WCHAR));
    memcpy(buf + 16 + sl + 2, w, (size_t)n * sizeof(WCHAR));
    HANDLE h = CreateFileA(link, 0x40000000 /* GENERIC_WRITE */, 0, NULL, 3 /* OPEN_EXISTING */,
                           CMD_OPEN_REPARSE_POINT, NULL);
    DWORD got;
    bool ok = h != CMD_INVALID_HANDLE &&
              DeviceIoControl(h, CMD_FSCTL_SET_REPARSE_POINT, buf, 8u + hdr[0], NULL, 0, &got,
                              NULL);
    DWORD err = GetLastError();
    if (h != CMD_INVALID_HANDLE)
        CloseHandle(h);
    if (!ok) {
        RemoveDirectoryA(link);
        SetLastError(err);
    }
    return ok;
}

/* A link of MKLINK's kind ('h' hard, 'j' junction, 'd' directory symbolic link, 0 file
 * symbolic link). A junction's target is a full path, taken from the current directory. */
static bool cmd_make_link(char kind, const char *link, const char *target)
{
    if (kind == 'h')
        return CreateHardLinkA(link, target, NULL);
    if (kind != 'j')
        return CreateSymbolicLinkA(link, target, kind == 'd' ? 1u : 0u);
    char full[1024];
    DWORD n = GetFullPathNameA(target, sizeof full, full, NULL);
    return n && n < sizeof full && cmd_make_junction(link, full);
}

/* MKLINK [/D | /H | /J] link target */
int cmd_mklink(const char *args, const cmd_io *io)
{
    const char *p = args;
    char *a[3] = {0};
    size_t n = 0;
    char kind = 0;
    for (char *w; (w = cmd_next_arg(&p, true));) {
        if (w[0] == '/' && w[1] && !w[2] && strchr("dDhHjJ", w[1]) && !kind) {
            kind = (char)(w[1] | 0x20);
            free(w);
        } else if (n < 3) {
            a[n++] = w;
        } else {
            free(w);
            n++;
        }
    }
    int rc = 1;
    if (n != 2) {
        cmd_err(io, "The syntax of the command is incorrect.\r\n");
    } else if (!cmd_make_link(kind, a[0], a[1])) {
        DWORD err = GetLastError();
        cmd_err(io, err == 183 ? "Cannot create a file when that file already exists.\r\n"
                    : err == 2 ? "The system cannot find the file specified.\r\n"
                    : err == 3 ? "The system cannot find the path specified.\r\n"
                               : "Access is denied.\r\n");
    } else {
        cmd_outf(io, "%s created for %s <<===>> %s\r\n",
                 kind == 'h' ? "Hardlink" : kind == 'j' ? "Junction" : "symbolic link", a[0],
                 a[1]);
        rc = 0;
    }
    for (size_t i = 0; i < 3; i++)
        free(a[i]);
    return rc;
}
