/* SPDX-License-Identifier: MIT */
/* ntrun's cmd.exe: its command line.
 *
 *   cmd [/A | /U] [/Q] [/D] [/E:ON | /E:OFF] [/F:ON | /F:OFF] [/V:ON | /V:OFF] [/S]
 *       [[/C | /K] string]
 *
 * /C runs the string and ends, with ERRORLEVEL (or EXIT's code) as the exit code; /K runs it,
 * then reads commands from standard input. /Q turns ECHO off, /V:ON delayed expansion; /A, /U,
 * /D, /E, /F, /T change nothing here (there is no AutoRun registry value to skip, output is
 * UTF-8 bytes, ntrun's ANSI code page). Without /C or /K, cmd reads commands from standard
 * input, showing the prompt and each command as Windows does when its input is no console.
 *
 * The string after /C or /K is taken as Windows does (cmd /?): unless /S is given, its quotes
 * stay when it has exactly two, the text between them has no & < > ( ) @ ^ |, has a space, and
 * names a program ("C:\Program Files\x.exe"); otherwise, when it starts with a quote, that
 * quote and the last one go ("cmd /s /c ""x.exe" "a b"" -> "x.exe" "a b"). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "programs/cmd/cmd_private.h"

/* The command line after the program name (the CRT's rule for argv[0]). */
static const char *cmd_after_argv0(const char *s)
{
    s = cmd_skip_spaces(s);
    if (*s == '"') {
        const char *e = strchr(s + 1, '"');
        return e ? e + 1 : s + strlen(s);
    }
    while (*s && !cmd_is_space(*s) && *s != '/')
        s++;
    return s;
}

/* cmd's quote rule for the string of /C and /K. malloc'd. */
static char *cmd_strip_quotes(const char *s, bool s_flag)
{
    s = cmd_skip_spaces(s);
    if (*s != '"')
        return cmd_strdup(s);
    if (!s_flag) {
        size_t quotes = 0;
        for (const char *p = s; *p; p++)
            quotes += *p == '"';
        const char *close = strchr(s + 1, '"');
        if (quotes == 2 && close) {
            char *inner = cmd_strndup(s + 1, (size_t)(close - s - 1));
            bool keep = !strpbrk(inner, "&<>()@^|") && strpbrk(inner, " \t");
            if (keep) {
                char *found = cmd_find_program(inner);
                keep = found != NULL;
                free(found);
            }
            free(inner);
            if (keep)
                return cmd_strdup(s);
        }
    }
    const char *last = strrchr(s, '"');
    cmd_buf b = {0};
    if (last == s) {
        cmd_buf_adds(&b, s + 1);
    } else {
        cmd_buf_add(&b, s + 1, (size_t)(last - s - 1));
        cmd_buf_adds(&b, last + 1);
    }
    return cmd_buf_take(&b);
}

/* Commands from standard input until its end. */
static void cmd_read_commands(const cmd_io *io, bool banner)
{
    if (banner) {
        uint8_t vi[0x11c] = {0}; /* OSVERSIONINFOEXW */
        DWORD size = sizeof vi, major = 10, minor = 0, build = 19045;
        memcpy(vi, &size, 4);
        BOOL WINAPI GetVersionExW(void *info);
        if (GetVersionExW(vi)) {
            memcpy(&major, vi + 4, 4);
            memcpy(&minor, vi + 8, 4);
            memcpy(&build, vi + 12, 4);
        }
        cmd_outf(io, "Microsoft Windows [Version %u.%u.%u]\r\n"
                     "(c) Microsoft Corporation. All rights reserved.\r\n",
                 (unsigned)major, (unsigned)minor, (unsigned)build);
    }
    for (;;) {
        if (cmd_st.echo_on) {
            char *prompt = cmd_prompt_text();
            cmd_outf(io, "\r\n%s", prompt);
            free(prompt);
        }
        cmd_buf line = {0};
        char c;
        DWORD got = 0;
        bool any = false;
        while (ReadFile(io->h[0], &c, 1, &got, NULL) && got == 1) {
            any = true;
            if (c == '\n')
                break;
            if (c != '\r')
                cmd_buf_addc(&line, c);
        }
        char *l = cmd_buf_take(&line);
        if (!any) {
            free(l);
            return;
        }
        if (cmd_st.echo_on)
            cmd_outf(io, "%s\r\n", l);
        cmd_run_line(l, io);
        free(l);
        if (cmd_st.exiting)
            return;
    }
}

uint32_t cmd_main(void)
{
    cmd_io io = {{GetStdHandle(CMD_STD_INPUT), GetStdHandle(CMD_STD_OUTPUT),
                  GetStdHandle(CMD_STD_ERROR)}};
    const char *cl = GetCommandLineA();
    cmd_st.cmdcmdline = cmd_strdup(cl ? cl : "cmd.exe");
    cmd_st.echo_on = true;
    cmd_st.extensions = true;
    const char *s = cmd_after_argv0(cmd_st.cmdcmdline);
    bool s_flag = false;
    char mode = 0;
    while (!mode) {
        s = cmd_skip_spaces(s);
        if (*s != '/')
            break;
        char sw = (char)(s[1] | 0x20);
        const char *arg = s + 2;
        if (sw == 'c' || sw == 'k') {
            mode = sw;
            s = arg;
            break;
        }
        if (sw == 'q')
            cmd_st.echo_on = false;
        else if (sw == 's')
            s_flag = true;
        else if (sw == 'v' && arg[0] == ':')
            cmd_st.delayed = !strncasecmp(arg + 1, "on", 2);
        else if (sw == 'e' && arg[0] == ':')
            cmd_st.extensions = !strncasecmp(arg + 1, "on", 2);
        else if (!strchr("adfut", sw)) {
            cmd_errf(&io, "ntrun cmd: the switch /%c is not supported\r\n", s[1]);
            return 1;
        }
        s++;
        while (*s && !cmd_is_space(*s) && *s != '/')
            s++;
    }
    if (mode) {
        char *line = cmd_strip_quotes(s, s_flag);
        cmd_run_line(line, &io);
        free(line);
        if (mode == 'k' && !cmd_st.exiting)
            cmd_read_commands(&io, false);
    } else {
        if (*cmd_skip_spaces(s)) {
            cmd_errf(&io, "ntrun cmd: the argument '%s' is not supported\r\n", s);
            return 1;
        }
        cmd_read_commands(&io, true);
    }
    return (uint32_t)(cmd_st.exiting ? cmd_st.exit_code : cmd_st.errorlevel);
}
