/* SPDX-License-Identifier: MIT */
/* advapi32's GetNamedSecurityInfoW/A for files and directories (SE_FILE_OBJECT): a self-relative
 * security descriptor in LocalAlloc'd memory holding the parts asked for, with pointers into it.
 * A file of the process's uid is owned by the token's owner (TokenOwner: the user, or
 * Administrators for an elevated one, as Windows gives new files); another uid's file by the SID
 * ntemu/token.c derives for that uid (the user's SID with 1000 + uid as its last part); the group
 * is the token's primary group and the DACL the token's default one (the user and SYSTEM, full
 * access): the Linux mode bits are not mapped to ACEs. A SACL needs SeSecurityPrivilege. libgit2
 * (git-cliff) checks who owns a repository this way. Other object types are not implemented
 * (ERROR_CALL_NOT_IMPLEMENTED). Errors are returned, not set as the last error.
 * Also GetSecurityDescriptorControl, IsValidAcl and GetAclInformation, and the ACL building
 * of InitializeAcl, GetAce, AddAce and AddAccess{Allowed,Denied}Ace(Ex) (those set the last
 * error, as Windows' BOOL functions do). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "ntemu/ntemu.h"
#include "thunks/thunks_private.h"

#define SEC_FILE_OBJECT 1
#define SEC_OWNER 0x1u
#define SEC_GROUP 0x2u
#define SEC_DACL 0x4u
#define SEC_SACL 0x8u
#define SEC_SE_DACL_PRESENT 0x0004u
#define SEC_SE_SACL_PRESENT 0x0010u
#define SEC_SE_SELF_RELATIVE 0x8000u
#define SEC_SE_SECURITY_PRIVILEGE 8
#define SEC_ERROR_CALL_NOT_IMPLEMENTED 120
#define SEC_ERROR_PRIVILEGE_NOT_HELD 1314
#define SEC_PSEUDO_PROCESS_TOKEN ((HANDLE)(intptr_t)-4)
#define SEC_TokenUser 1
#define SEC_TokenOwner 4
#define SEC_TokenPrimaryGroup 5
#define SEC_TokenDefaultDacl 6

BOOL WINAPI GetTokenInformation(HANDLE token, int klass, void *buf, DWORD len, DWORD *ret);
DWORD WINAPI GetLengthSid(const void *sid);
void *WINAPI LocalAlloc(uint32_t flags, size_t size);
int WINAPI MultiByteToWideChar(uint32_t cp, DWORD flags, const char *s, int n, WCHAR *w, int wn);
#define SEC_LMEM_ZEROINIT 0x40u

/* The SID or ACL a TOKEN_USER/TOKEN_OWNER/TOKEN_PRIMARY_GROUP/TOKEN_DEFAULT_DACL points at,
 * copied to out (room for 512 bytes); its length, 0 on failure. */
static size_t sec_token_part(int klass, uint8_t out[512])
{
    uint8_t buf[1024];
    DWORD len;
    if (!GetTokenInformation(SEC_PSEUDO_PROCESS_TOKEN, klass, buf, sizeof buf, &len))
        return 0;
    const uint8_t *p;
    memcpy(&p, buf, sizeof p);
    if (!p)
        return 0;
    size_t n;
    if (klass == SEC_TokenDefaultDacl) {
        uint16_t acl_size;
        memcpy(&acl_size, p + 2, 2);
        n = acl_size;
    } else {
        n = GetLengthSid(p);
    }
    if (n > 512)
        return 0;
    memcpy(out, p, n);
    return n;
}

static DWORD sec_file_descriptor(const char *unix_path, DWORD what, void **owner, void **group,
                                 void **dacl, void **sacl, void **sd_out)
{
    struct stat st;
    if (stat(unix_path, &st) != 0)
        return errno == ENOENT ? ERROR_FILE_NOT_FOUND
               : errno == ENOTDIR ? ERROR_PATH_NOT_FOUND
               : errno == EACCES ? ERROR_ACCESS_DENIED : ERROR_INVALID_PARAMETER;
    if ((what & SEC_SACL) && !nt_token_privilege_enabled(SEC_SE_SECURITY_PRIVILEGE))
        return SEC_ERROR_PRIVILEGE_NOT_HELD;
    uint8_t o[512], g[512], d[512];
    size_t on = 0, gn = 0, dn = 0;
    if (what & SEC_OWNER) {
        if (st.st_uid == getuid()) {
            on = sec_token_part(SEC_TokenOwner, o);
        } else if ((on = sec_token_part(SEC_TokenUser, o)) > 8) {
            uint32_t rid = 1000 + (uint32_t)st.st_uid; /* the last subauthority */
            memcpy(o + on - 4, &rid, 4);
        }
    }
    if (what & SEC_GROUP)
        gn = sec_token_part(SEC_TokenPrimaryGroup, g);
    if (what & SEC_DACL)
        dn = sec_token_part(SEC_TokenDefaultDacl, d);
    if (((what & SEC_OWNER) && !on) || ((what & SEC_GROUP) && !gn) || ((what & SEC_DACL) && !dn))
        return ERROR_NOT_ENOUGH_MEMORY;
    /* SECURITY_DESCRIPTOR_RELATIVE: Revision, Sbz1, Control, then the offsets of Owner, Group,
     * Sacl and Dacl; an empty SACL (ACL_REVISION, no ACE) when one was asked for. */
    uint8_t empty_acl[8] = {2, 0, 8, 0, 0, 0, 0, 0};
    size_t sn = (what & SEC_SACL) ? sizeof empty_acl : 0;
    size_t total = 20 + sn + dn + on + gn;
    uint8_t *sd = LocalAlloc(SEC_LMEM_ZEROINIT, total);
    if (!sd)
        return ERROR_NOT_ENOUGH_MEMORY;
    uint16_t control = SEC_SE_SELF_RELATIVE | (dn ? SEC_SE_DACL_PRESENT : 0) |
                       (sn ? SEC_SE_SACL_PRESENT : 0);
    sd[0] = 1;
    memcpy(sd + 2, &control, 2);
    uint32_t at = 20, off;
    if (sn) {
        memcpy(sd + at, empty_acl, sn);
        off = at, memcpy(sd + 12, &off, 4), at += (uint32_t)sn;
    }
    if (dn) {
        memcpy(sd + at, d, dn);
        off = at, memcpy(sd + 16, &off, 4), at += (uint32_t)dn;
    }
    if (on) {
        memcpy(sd + at, o, on);
        off = at, memcpy(sd + 4, &off, 4), at += (uint32_t)on;
    }
    if (gn) {
        memcpy(sd + at, g, gn);
        off = at, memcpy(sd + 8, &off, 4);
    }
    uint32_t offs[4];
    memcpy(offs, sd + 4, sizeof offs);
    if (owner)
        *owner = offs[0] ? sd + offs[0] : NULL;
    if (group)
        *group = offs[1] ? sd + offs[1] : NULL;
    if (sacl)
        *sacl = offs[2] ? sd + offs[2] : NULL;
    if (dacl)
        *dacl = offs[3] ? sd + offs[3] : NULL;
    *sd_out = sd;
    return ERROR_SUCCESS;
}

DWORD WINAPI GetNamedSecurityInfoW(const WCHAR *name, int type, DWORD what, void **owner,
                                   void **group, void **dacl, void **sacl, void **sd)
{
    if (owner)
        *owner = NULL;
    if (group)
        *group = NULL;
    if (dacl)
        *dacl = NULL;
    if (sacl)
        *sacl = NULL;
    if (sd)
        *sd = NULL;
    if (!name || !sd)
        return ERROR_INVALID_PARAMETER;
    if (type != SEC_FILE_OBJECT)
        return SEC_ERROR_CALL_NOT_IMPLEMENTED;
    char *unix_path;
    NTSTATUS st = nt_path_to_unix(name, nt_wcslen(name), &unix_path);
    if (st != 0)
        return nt_status_to_win32(st);
    DWORD r = sec_file_descriptor(unix_path, what, owner, group, dacl, sacl, sd);
    free(unix_path);
    return r;
}
THK_EXPORT(advapi32, GetNamedSecurityInfoW, 8);

DWORD WINAPI GetNamedSecurityInfoA(const char *name, int type, DWORD what, void **owner,
                                   void **group, void **dacl, void **sacl, void **sd)
{
    if (!name)
        return GetNamedSecurityInfoW(NULL, type, what, owner, group, dacl, sacl, sd);
    size_t n = strlen(name);
    WCHAR *w = malloc((n + 1) * sizeof *w);
    if (!w)
        return ERROR_NOT_ENOUGH_MEMORY;
    MultiByteToWideChar(0 /* CP_ACP */, 0, name, -1, w, (int)n + 1);
    DWORD r = GetNamedSecurityInfoW(w, type, what, owner, group, dacl, sacl, sd);
    free(w);
    return r;
}
THK_EXPORT(advapi32, GetNamedSecurityInfoA, 8);

/* ---- security descriptors and ACLs ---- */
#define SEC_ERROR_UNKNOWN_REVISION 1305
#define SEC_AclRevisionInformation 1
#define SEC_AclSizeInformation 2

BOOL WINAPI GetSecurityDescriptorControl(const void *sd, uint16_t *control, DWORD *revision)
{
    if (!sd || !control || !revision) {
        thk_set_last_error(ERROR_INVALID_PARAMETER);
        return 0;
    }
    const uint8_t *p = sd;
    memcpy(control, p + 2, 2);
    *revision = p[0];
    if (p[0] != 1) { /* SECURITY_DESCRIPTOR_REVISION */
        thk_set_last_error(SEC_ERROR_UNKNOWN_REVISION);
        return 0;
    }
    return 1;
}
THK_EXPORT(advapi32, GetSecurityDescriptorControl, 3);

/* An ACL (AclRevision, Sbz1, AclSize, AceCount, Sbz2) whose ACEs (AceType, AceFlags, AceSize)
 * all lie inside AclSize, DWORD-aligned: the bytes they use, or 0 if it is not valid. */
static size_t sec_acl_bytes_in_use(const uint8_t *acl)
{
    uint16_t size, count;
    memcpy(&size, acl + 2, 2);
    memcpy(&count, acl + 4, 2);
    if (acl[0] < 2 || acl[0] > 4 || size < 8 || (size & 3))
        return 0;
    size_t at = 8;
    for (unsigned i = 0; i < count; i++) {
        uint16_t ace_size;
        if (at + 4 > size)
            return 0;
        memcpy(&ace_size, acl + at + 2, 2);
        if (ace_size < 4 || (ace_size & 3) || at + ace_size > size)
            return 0;
        at += ace_size;
    }
    return at;
}

BOOL WINAPI IsValidAcl(const void *acl)
{
    return acl && sec_acl_bytes_in_use(acl) != 0;
}
THK_EXPORT(advapi32, IsValidAcl, 1);

/* As Windows' RtlQueryInformationAcl: a bad revision or an ill-formed ACE list is
 * ERROR_INVALID_PARAMETER, a buffer too small for the class ERROR_INSUFFICIENT_BUFFER. */
BOOL WINAPI GetAclInformation(const void *acl, void *info, DWORD len, int klass)
{
    const uint8_t *a = acl;
    if (!a || a[0] < 2 || a[0] > 4) {
        thk_set_last_error(ERROR_INVALID_PARAMETER);
        return 0;
    }
    uint16_t size, count;
    memcpy(&size, a + 2, 2);
    memcpy(&count, a + 4, 2);
    DWORD out[3] = {a[0]};
    DWORD n = klass == SEC_AclSizeInformation ? 12 : 4;
    if (klass != SEC_AclSizeInformation && klass != SEC_AclRevisionInformation) {
        thk_set_last_error(ERROR_INVALID_PARAMETER);
        return 0;
    }
    if (len < n || !info) {
        thk_set_last_error(ERROR_INSUFFICIENT_BUFFER);
        return 0;
    }
    if (klass == SEC_AclSizeInformation) {
        size_t used = sec_acl_bytes_in_use(a);
        if (!used) {
            thk_set_last_error(ERROR_INVALID_PARAMETER);
            return 0;
        }
        out[0] = count, out[1] = (DWORD)used, out[2] = size - (DWORD)used;
    }
    memcpy(info, out, n);
    return 1;
}
THK_EXPORT(advapi32, GetAclInformation, 4);

/* ---- building ACLs (AddUserToTokenDacl-style code: copy a DACL's ACEs, add one) ---- */
#define SEC_ERROR_ALLOTTED_SPACE_EXCEEDED 1344
#define SEC_ERROR_INVALID_SID 1337
#define SEC_ERROR_INVALID_FLAGS 1004
#define SEC_VALID_ACE_FLAGS 0xDFu /* inheritance flags and the audit flags */

/* AclSize rounded down to a DWORD; 8 <= size <= 0xFFFF; revision ACL_REVISION(_DS) 2..4. */
BOOL WINAPI InitializeAcl(void *acl, DWORD len, DWORD revision)
{
    if (len < 8) {
        thk_set_last_error(ERROR_INSUFFICIENT_BUFFER);
        return 0;
    }
    if (!acl || len > 0xFFFF || revision < 2 || revision > 4) {
        thk_set_last_error(ERROR_INVALID_PARAMETER);
        return 0;
    }
    uint8_t h[8] = {(uint8_t)revision, 0, 0, 0, 0, 0, 0, 0};
    uint16_t size = (uint16_t)(len & ~3u);
    memcpy(h + 2, &size, 2);
    memcpy(acl, h, 8);
    return 1;
}
THK_EXPORT(advapi32, InitializeAcl, 3);

BOOL WINAPI GetAce(const void *acl, DWORD index, void **ace)
{
    const uint8_t *a = acl;
    uint16_t count;
    if (!a || !ace || !sec_acl_bytes_in_use(a) || (memcpy(&count, a + 4, 2), index >= count)) {
        thk_set_last_error(ERROR_INVALID_PARAMETER);
        return 0;
    }
    size_t at = 8;
    for (DWORD i = 0; i < index; i++) {
        uint16_t s;
        memcpy(&s, a + at + 2, 2);
        at += s;
    }
    *ace = (void *)(a + at);
    return 1;
}
THK_EXPORT(advapi32, GetAce, 3);

/* Puts `len` bytes of ACEs (`n` of them) at ACE index `index` (past the end: appended). */
static BOOL sec_acl_insert(uint8_t *a, DWORD revision, DWORD index, const void *aces, size_t len,
                           unsigned n)
{
    size_t used = sec_acl_bytes_in_use(a);
    uint16_t size, count;
    if (!used || revision < 2 || revision > 4) {
        thk_set_last_error(ERROR_INVALID_PARAMETER);
        return 0;
    }
    memcpy(&size, a + 2, 2);
    memcpy(&count, a + 4, 2);
    if (used + len > size || count + n > 0xFFFF) {
        thk_set_last_error(SEC_ERROR_ALLOTTED_SPACE_EXCEEDED);
        return 0;
    }
    size_t at = 8;
    for (DWORD i = 0; i < index && i < count; i++) {
        uint16_t s;
        memcpy(&s, a + at + 2, 2);
        at += s;
    }
    memmove(a + at + len, a + at, used - at);
    memcpy(a + at, aces, len);
    count = (uint16_t)(count + n);
    memcpy(a + 4, &count, 2);
    if (revision > a[0]) /* an ACE of a later revision raises the ACL's */
        a[0] = (uint8_t)revision;
    return 1;
}

/* AceListLength bytes of whole ACEs from `list`, at StartingAceIndex (MAXDWORD: the end). */
BOOL WINAPI AddAce(void *acl, DWORD revision, DWORD index, const void *list, DWORD len)
{
    const uint8_t *l = list;
    unsigned n = 0;
    for (size_t at = 0; at < len; n++) {
        uint16_t s;
        if (!l || at + 4 > len || (memcpy(&s, l + at + 2, 2), s < 4 || at + s > len)) {
            thk_set_last_error(ERROR_INVALID_PARAMETER);
            return 0;
        }
        at += s;
    }
    return acl ? sec_acl_insert(acl, revision, index, list, len, n)
               : (thk_set_last_error(ERROR_INVALID_PARAMETER), 0);
}
THK_EXPORT(advapi32, AddAce, 5);

static BOOL sec_add_sid_ace(void *acl, DWORD revision, DWORD flags, DWORD mask, const void *sid,
                            uint8_t type)
{
    const uint8_t *s = sid;
    if (!s || s[0] != 1 || s[1] > 15) {
        thk_set_last_error(SEC_ERROR_INVALID_SID);
        return 0;
    }
    if (flags & ~SEC_VALID_ACE_FLAGS) {
        thk_set_last_error(SEC_ERROR_INVALID_FLAGS);
        return 0;
    }
    uint8_t ace[8 + 68];
    size_t sl = 8 + 4 * (size_t)s[1];
    uint16_t size = (uint16_t)(8 + sl);
    ace[0] = type;
    ace[1] = (uint8_t)flags;
    memcpy(ace + 2, &size, 2);
    memcpy(ace + 4, &mask, 4);
    memcpy(ace + 8, s, sl);
    if (!acl) {
        thk_set_last_error(ERROR_INVALID_PARAMETER);
        return 0;
    }
    return sec_acl_insert(acl, revision, 0xFFFFFFFFu, ace, size, 1);
}

BOOL WINAPI AddAccessAllowedAceEx(void *acl, DWORD revision, DWORD flags, DWORD mask,
                                  const void *sid)
{
    return sec_add_sid_ace(acl, revision, flags, mask, sid, 0 /* ACCESS_ALLOWED_ACE_TYPE */);
}
THK_EXPORT(advapi32, AddAccessAllowedAceEx, 5);

BOOL WINAPI AddAccessAllowedAce(void *acl, DWORD revision, DWORD mask, const void *sid)
{
    return sec_add_sid_ace(acl, revision, 0, mask, sid, 0);
}
THK_EXPORT(advapi32, AddAccessAllowedAce, 4);

BOOL WINAPI AddAccessDeniedAceEx(void *acl, DWORD revision, DWORD flags, DWORD mask,
                                 const void *sid)
{
    return sec_add_sid_ace(acl, revision, flags, mask, sid, 1 /* ACCESS_DENIED_ACE_TYPE */);
}
THK_EXPORT(advapi32, AddAccessDeniedAceEx, 5);

BOOL WINAPI AddAccessDeniedAce(void *acl, DWORD revision, DWORD mask, const void *sid)
{
    return sec_add_sid_ace(acl, revision, 0, mask, sid, 1);
}
THK_EXPORT(advapi32, AddAccessDeniedAce, 4);
