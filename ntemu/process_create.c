/* SPDX-License-Identifier: MIT */
/* NtCreateUserProcess: a child program from RTL_USER_PROCESS_PARAMETERS, started like
 * CreateProcess's (nt_process_spawn, ntemu/process.c).
 *
 * Read from the parameters (normalized, or offsets from their start when Flags lacks
 * RTL_USER_PROC_PARAMS_NORMALIZED): ImagePathName (an NT or DOS path; the PS_ATTRIBUTE_IMAGE_NAME
 * attribute wins), CommandLine, CurrentDirectory, Environment, the standard handles. Flags:
 * PROCESS_CREATE_FLAGS_INHERIT_HANDLES, THREAD_CREATE_FLAGS_CREATE_SUSPENDED. Attributes:
 * PS_ATTRIBUTE_IMAGE_NAME, PS_ATTRIBUTE_HANDLE_LIST, PS_ATTRIBUTE_TOKEN (CreateProcessAsUser's
 * primary token, which the child's process token becomes) (in), PS_ATTRIBUTE_CLIENT_ID (out).
 * ConsoleFlags bit 0: the child ignores Ctrl-C. CreateProcess (kernel32) comes this way too,
 * through nt_create_user_process, which adds what Windows leaves to the console server
 * (CREATE_NEW_PROCESS_GROUP).
 * CreateInfo is not filled (its state stays what the caller set); object attributes, access
 * masks and the other attributes are ignored. */
#include <stdlib.h>
#include <string.h>
#include "ntemu/ntemu_private.h"

#define NT_PROCESS_CREATE_FLAGS_INHERIT_HANDLES 0x4
#define NT_PROCESS_CREATE_FLAGS_BREAKAWAY 0x1 /* CREATE_BREAKAWAY_FROM_JOB */
#define NT_THREAD_CREATE_FLAGS_CREATE_SUSPENDED 0x1
#define NT_RTL_USER_PROC_PARAMS_NORMALIZED 0x1
#define NT_CONSOLE_FLAG_CTRL_C_IGNORED 0x1 /* ConsoleFlags: Windows' inherited Ctrl-C flag */
#define NT_PS_ATTRIBUTE_CLIENT_ID 0x10003
#define NT_PS_ATTRIBUTE_IMAGE_NAME 0x20005
#define NT_PS_ATTRIBUTE_HANDLE_LIST 0x2000d
#define NT_PS_ATTRIBUTE_TOKEN 0x60002
#define NT_ENV_MAX (1u << 20) /* WCHARs */

typedef struct {
    ULONG_PTR Attribute;  /* 0x00 */
    SIZE_T Size;          /* 0x08 */
    ULONG_PTR Value;      /* 0x10: value or pointer */
    SIZE_T *ReturnLength; /* 0x18 */
} nt_cup_attribute;
_Static_assert(sizeof(nt_cup_attribute) == 0x20, "PS_ATTRIBUTE");

/* A UNICODE_STRING of the parameters as a malloc'd UTF-16 copy (NUL-terminated). */
static NTSTATUS nt_cup_string(const UNICODE_STRING *us, const void *base, bool normalized,
                              WCHAR **out, size_t *len)
{
    *out = NULL;
    *len = us->Length / 2;
    const WCHAR *src = us->Buffer;
    if (!normalized && src)
        src = (const WCHAR *)((const char *)base + (uintptr_t)src);
    WCHAR *w = malloc(us->Length + 2);
    if (!w)
        return STATUS_NO_MEMORY;
    if (us->Length && (!src || nt_copy_from_user(w, src, us->Length) != 0)) {
        free(w);
        return STATUS_ACCESS_VIOLATION;
    }
    w[*len] = 0;
    *out = w;
    return STATUS_SUCCESS;
}

/* The environment block as envp ("=C:" entries stay behind), read a WCHAR at a time. */
static NTSTATUS nt_cup_env(const WCHAR *block, char ***out)
{
    *out = NULL;
    WCHAR *w = malloc(NT_ENV_MAX * sizeof *w);
    if (!w)
        return STATUS_NO_MEMORY;
    size_t n = 0;
    for (;;) {
        if (n + 2 > NT_ENV_MAX || nt_copy_from_user(w + n, block + n, sizeof *w) != 0) {
            free(w);
            return STATUS_INVALID_PARAMETER;
        }
        if (!w[n] && (n == 0 || !w[n - 1]))
            break;
        n++;
    }
    size_t count = 0;
    for (size_t i = 0; i < n; i += nt_wcslen(w + i) + 1)
        count++;
    char **envp = calloc(count + 1, sizeof *envp);
    size_t k = 0;
    for (size_t i = 0; envp && i < n; i += nt_wcslen(w + i) + 1)
        if (w[i] != u'=' && w[i])
            envp[k++] = nt_utf16_to_utf8(w + i, nt_wcslen(w + i), NULL);
    free(w);
    if (!envp)
        return STATUS_NO_MEMORY;
    *out = envp;
    return STATUS_SUCCESS;
}

NTSTATUS NTAPI NtCreateUserProcess(HANDLE *process_out, HANDLE *thread_out, uint32_t paccess,
                                   uint32_t taccess, OBJECT_ATTRIBUTES *pattr,
                                   OBJECT_ATTRIBUTES *tattr, uint32_t pflags, uint32_t tflags,
                                   RTL_USER_PROCESS_PARAMETERS *user_params, void *create_info,
                                   void *user_attrs)
{
    (void)paccess, (void)taccess, (void)pattr, (void)tattr, (void)create_info;
    return nt_create_user_process(process_out, thread_out, pflags, tflags, user_params,
                                  user_attrs, false);
}

NTSTATUS nt_create_user_process(HANDLE *process_out, HANDLE *thread_out, uint32_t pflags,
                                uint32_t tflags, RTL_USER_PROCESS_PARAMETERS *user_params,
                                void *user_attrs, bool new_group)
{
    RTL_USER_PROCESS_PARAMETERS pp;
    HANDLE none = NULL, process = NULL, thread = NULL;
    WCHAR *image = NULL, *cmdline = NULL, *cwd = NULL;
    char *unix_exe = NULL, *cmd = NULL, *unix_cwd = NULL, **envp = NULL, *token_env = NULL;
    HANDLE *list = NULL;
    size_t image_len = 0, cmd_len = 0, cwd_len = 0, list_count = 0;
    nt_cup_attribute *attrs = NULL;
    size_t nattrs = 0;
    NTSTATUS st;

    if (nt_copy_to_user(process_out, &none, sizeof none) != 0 ||
        nt_copy_to_user(thread_out, &none, sizeof none) != 0)
        return STATUS_ACCESS_VIOLATION;
    if (!user_params)
        return STATUS_INVALID_PARAMETER;
    if (nt_copy_from_user(&pp, user_params, offsetof(RTL_USER_PROCESS_PARAMETERS, pad_088)) != 0)
        return STATUS_ACCESS_VIOLATION;
    bool normalized = (pp.Flags & NT_RTL_USER_PROC_PARAMS_NORMALIZED) != 0;

    /* the attribute list: TotalLength, then the attributes */
    if (user_attrs) {
        SIZE_T total;
        if (nt_copy_from_user(&total, user_attrs, sizeof total) != 0)
            return STATUS_ACCESS_VIOLATION;
        if (total < sizeof total || total > 0x10000)
            return STATUS_INVALID_PARAMETER;
        nattrs = (total - sizeof total) / sizeof *attrs;
        attrs = calloc(nattrs + 1, sizeof *attrs);
        if (!attrs)
            return STATUS_NO_MEMORY;
        if (nt_copy_from_user(attrs, (char *)user_attrs + sizeof total,
                              nattrs * sizeof *attrs) != 0) {
            st = STATUS_ACCESS_VIOLATION;
            goto out;
        }
    }
    for (size_t i = 0; i < nattrs; i++) {
        if (attrs[i].Attribute == NT_PS_ATTRIBUTE_IMAGE_NAME && !image) {
            UNICODE_STRING us = {.Length = (uint16_t)attrs[i].Size,
                                 .MaximumLength = (uint16_t)attrs[i].Size,
                                 .Buffer = (WCHAR *)attrs[i].Value};
            if ((st = nt_cup_string(&us, NULL, true, &image, &image_len)) != STATUS_SUCCESS)
                goto out;
        } else if (attrs[i].Attribute == NT_PS_ATTRIBUTE_TOKEN && !token_env) {
            if ((st = nt_token_child_env((HANDLE)attrs[i].Value, &token_env)) != STATUS_SUCCESS)
                goto out;
        } else if (attrs[i].Attribute == NT_PS_ATTRIBUTE_HANDLE_LIST && !list) {
            list_count = attrs[i].Size / sizeof(HANDLE);
            list = calloc(list_count + 1, sizeof *list);
            if (!list || nt_copy_from_user(list, (void *)attrs[i].Value,
                                           list_count * sizeof *list) != 0) {
                st = list ? STATUS_ACCESS_VIOLATION : STATUS_NO_MEMORY;
                goto out;
            }
        }
    }
    if (!image && (st = nt_cup_string(&pp.ImagePathName, user_params, normalized, &image,
                                      &image_len)) != STATUS_SUCCESS)
        goto out;
    if ((st = nt_cup_string(&pp.CommandLine, user_params, normalized, &cmdline, &cmd_len)) !=
            STATUS_SUCCESS ||
        (st = nt_cup_string(&pp.CurrentDirectory.DosPath, user_params, normalized, &cwd,
                            &cwd_len)) != STATUS_SUCCESS)
        goto out;
    if (!image_len) {
        st = STATUS_OBJECT_NAME_INVALID;
        goto out;
    }
    if ((st = nt_path_to_unix(image, image_len, &unix_exe)) != STATUS_SUCCESS)
        goto out;
    if (cwd_len && (st = nt_path_to_unix(cwd, cwd_len, &unix_cwd)) != STATUS_SUCCESS)
        goto out;
    if (pp.Environment) {
        if ((st = nt_cup_env(pp.Environment, &envp)) != STATUS_SUCCESS)
            goto out;
    } else {
        extern char **environ;
        envp = NULL;
        size_t n = 0;
        while (environ[n])
            n++;
        envp = calloc(n + 1, sizeof *envp);
        for (size_t i = 0; envp && i < n; i++)
            envp[i] = strdup(environ[i]);
        if (!envp) {
            st = STATUS_NO_MEMORY;
            goto out;
        }
    }
    cmd = cmd_len ? nt_utf16_to_utf8(cmdline, cmd_len, NULL)
                  : nt_utf16_to_utf8(image, image_len, NULL);
    if (!cmd) {
        st = STATUS_NO_MEMORY;
        goto out;
    }
    nt_spawn sp = {
        .unix_exe = unix_exe,
        .cmdline = cmd,
        .envp = envp,
        .unix_cwd = unix_cwd,
        .std_handles = {pp.StandardInput, pp.StandardOutput, pp.StandardError},
        .inherit_handles = (pflags & NT_PROCESS_CREATE_FLAGS_INHERIT_HANDLES) != 0,
        .inherit_list = list,
        .inherit_count = list_count,
        .suspended = (tflags & NT_THREAD_CREATE_FLAGS_CREATE_SUSPENDED) != 0,
        .new_group = new_group,
        .breakaway = (pflags & NT_PROCESS_CREATE_FLAGS_BREAKAWAY) != 0,
        .ctrl_c_ignored = (pp.ConsoleFlags & NT_CONSOLE_FLAG_CTRL_C_IGNORED) != 0,
        .thread = &thread,
        .token_env = token_env,
    };
    uint32_t pid = 0;
    if ((st = nt_job_may_break_away(sp.breakaway)) != STATUS_SUCCESS || /* before it starts */
        (st = nt_process_spawn(&sp, &process, &pid)) != STATUS_SUCCESS)
        goto out;
    for (size_t i = 0; i < nattrs; i++)
        if (attrs[i].Attribute == NT_PS_ATTRIBUTE_CLIENT_ID && attrs[i].Size >= sizeof(CLIENT_ID)) {
            CLIENT_ID cid = {.UniqueProcess = (HANDLE)(uintptr_t)pid,
                             .UniqueThread = (HANDLE)(uintptr_t)pid};
            nt_copy_to_user((void *)attrs[i].Value, &cid, sizeof cid);
        }
    if (nt_copy_to_user(process_out, &process, sizeof process) != 0 ||
        nt_copy_to_user(thread_out, &thread, sizeof thread) != 0) {
        nt_handle_close(process);
        if (thread)
            nt_handle_close(thread);
        st = STATUS_ACCESS_VIOLATION;
    }
out:
    free(attrs);
    free(token_env);
    free(list);
    free(image);
    free(cmdline);
    free(cwd);
    free(unix_exe);
    free(unix_cwd);
    free(cmd);
    for (size_t i = 0; envp && envp[i]; i++)
        free(envp[i]);
    free(envp);
    return st;
}
