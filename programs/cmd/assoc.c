/* SPDX-License-Identifier: MIT */
/* cmd: ASSOC and FTYPE, over HKEY_CLASSES_ROOT (ntrun's HKLM\Software\Classes, advapi32).
 *
 *   ASSOC                 every ".ext=type" (keys under HKCR starting with '.', default value)
 *   ASSOC .ext            ".ext=type", or "File association not found for extension .ext"
 *   ASSOC .ext=type       sets HKCR\.ext's default value and shows ".ext=type"
 *   ASSOC .ext=           deletes the association (the key, or its default value when the key
 *                         has subkeys)
 *   FTYPE [type[=[command]]]  the same for HKCR\type\shell\open\command's default value;
 *                         not found: "File type 'type' not found or no open command
 *                         associated with it."
 * A name not found gives ERRORLEVEL 1 (Wine 8.0's cmd: 2, with other messages). */
#include <stdlib.h>
#include <string.h>
#include "programs/cmd/cmd_private.h"

typedef HANDLE HKEY;
typedef int32_t LSTATUS;
#define CMD_HKCR ((HKEY)(uintptr_t)0x80000000u)
#define CMD_KEY_READ 0x20019u
#define CMD_KEY_ALL 0xf003fu
#define CMD_REG_SZ 1u
#define CMD_REG_EXPAND_SZ 2u

LSTATUS WINAPI RegOpenKeyExA(HKEY hkey, const char *sub, DWORD options, DWORD access, HKEY *out);
LSTATUS WINAPI RegCreateKeyExA(HKEY hkey, const char *sub, DWORD reserved, char *cls,
                               DWORD options, DWORD access, void *sa, HKEY *out, DWORD *disp);
LSTATUS WINAPI RegCloseKey(HKEY hkey);
LSTATUS WINAPI RegQueryValueExA(HKEY hkey, const char *name, DWORD *reserved, DWORD *type,
                                BYTE *data, DWORD *count);
LSTATUS WINAPI RegSetValueExA(HKEY hkey, const char *name, DWORD reserved, DWORD type,
                              const BYTE *data, DWORD count);
LSTATUS WINAPI RegDeleteValueA(HKEY hkey, const char *name);
LSTATUS WINAPI RegDeleteKeyA(HKEY hkey, const char *sub);
LSTATUS WINAPI RegEnumKeyExA(HKEY hkey, DWORD index, char *name, DWORD *name_len,
                             DWORD *reserved, char *cls, DWORD *cls_len, FILETIME *ft);

/* The default value (a string) of HKCR\sub, malloc'd; NULL when there is none or it is empty. */
static char *cmd_class_value(const char *sub)
{
    HKEY k;
    if (RegOpenKeyExA(CMD_HKCR, sub, 0, CMD_KEY_READ, &k) != 0)
        return NULL;
    char buf[2048];
    DWORD type = 0, size = sizeof buf - 1;
    char *v = NULL;
    if (RegQueryValueExA(k, NULL, NULL, &type, (BYTE *)buf, &size) == 0 &&
        (type == CMD_REG_SZ || type == CMD_REG_EXPAND_SZ)) {
        buf[size] = 0;
        if (*buf)
            v = cmd_strdup(buf);
    }
    RegCloseKey(k);
    return v;
}

/* The path of what `name` is looked up in: ".ext" itself, or "type\shell\open\command". */
static char *cmd_class_path(const char *name, bool ftype)
{
    cmd_buf b = {0};
    cmd_buf_adds(&b, name);
    if (ftype)
        cmd_buf_adds(&b, "\\shell\\open\\command");
    return cmd_buf_take(&b);
}

static void cmd_class_list(const cmd_io *io, bool ftype)
{
    char name[256];
    for (DWORD i = 0;; i++) {
        DWORD len = sizeof name;
        if (RegEnumKeyExA(CMD_HKCR, i, name, &len, NULL, NULL, NULL, NULL) != 0)
            break;
        if ((name[0] == '.') == ftype)
            continue;
        char *path = cmd_class_path(name, ftype);
        char *v = cmd_class_value(path);
        if (v)
            cmd_outf(io, "%s=%s\r\n", name, v);
        free(v);
        free(path);
    }
}

static int cmd_class_set(const char *name, const char *value, const cmd_io *io, bool ftype)
{
    char *path = cmd_class_path(name, ftype);
    LSTATUS r;
    if (*value) {
        HKEY k;
        r = RegCreateKeyExA(CMD_HKCR, path, 0, NULL, 0, CMD_KEY_ALL, NULL, &k, NULL);
        if (r == 0) {
            r = RegSetValueExA(k, NULL, 0, CMD_REG_SZ, (const BYTE *)value,
                               (DWORD)strlen(value) + 1);
            RegCloseKey(k);
        }
        if (r == 0)
            cmd_outf(io, "%s=%s\r\n", name, value);
    } else {
        r = RegDeleteKeyA(CMD_HKCR, path);
        if (r != 0) { /* a key with subkeys keeps them: its default value goes */
            HKEY k;
            if (RegOpenKeyExA(CMD_HKCR, path, 0, CMD_KEY_ALL, &k) == 0) {
                r = RegDeleteValueA(k, NULL);
                RegCloseKey(k);
                r = r == 2 ? 0 : r; /* (none: nothing to delete) */
            }
        }
    }
    free(path);
    if (r != 0) {
        cmd_err(io, r == 5 ? "Access is denied.\r\n"
                           : "The system cannot find the file specified.\r\n");
        return 1;
    }
    return 0;
}

static int cmd_class_cmd(const char *args, const cmd_io *io, bool ftype)
{
    char *arg = cmd_arg_text(args);
    int rc = 0;
    char *eq = strchr(arg, '=');
    if (!*arg) {
        cmd_class_list(io, ftype);
    } else if (eq) {
        *eq = 0;
        cmd_trim_right(arg);
        rc = cmd_class_set(arg, eq + 1, io, ftype);
    } else {
        char *path = cmd_class_path(arg, ftype);
        char *v = cmd_class_value(path);
        free(path);
        if (v) {
            cmd_outf(io, "%s=%s\r\n", arg, v);
        } else if (ftype) {
            cmd_errf(io, "File type '%s' not found or no open command associated with it.\r\n",
                     arg);
            rc = 1;
        } else {
            cmd_errf(io, "File association not found for extension %s\r\n", arg);
            rc = 1;
        }
        free(v);
    }
    free(arg);
    return rc;
}

int cmd_assoc(const char *args, const cmd_io *io) { return cmd_class_cmd(args, io, false); }

int cmd_ftype(const char *args, const cmd_io *io) { return cmd_class_cmd(args, io, true); }
