/* SPDX-License-Identifier: MIT */
/* Access tokens: the process's primary token as Windows describes a local user's.
 *
 * The user is the Linux account running ntrun. Its SID is S-1-5-21-A-B-C-R: A, B, C (the
 * machine's domain) come from a hash of /etc/machine-id (else the host name), R is 1000 + uid,
 * so the SID is the same in every run and every process of that user on that machine. Root
 * (uid 0) is an elevated administrator (high integrity, Administrators enabled and the owner of
 * new objects); any other user is a standard user of medium integrity, Administrators deny-only.
 * Impersonation: NtDuplicateToken makes primary or impersonation tokens of the same user at
 * the level the SECURITY_QUALITY_OF_SERVICE asks; NtSetInformationThread(ThreadImpersonation-
 * Token) gives a thread one (NULL: reverts), and NtOpenThreadToken opens it (STATUS_NO_TOKEN
 * when the thread does not impersonate, STATUS_CANT_OPEN_ANONYMOUS at the anonymous level).
 * As there is one user, impersonating changes no access check. The pseudo handles of Windows
 * 8+ are accepted: -4 GetCurrentProcessToken, -5 GetCurrentThreadToken, -6
 * GetCurrentThreadEffectiveToken (the thread's token when it impersonates, else the
 * process's). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "ntemu/ntemu_private.h"

#define TOKEN_QUERY 0x0008
#define TOKEN_QUERY_SOURCE 0x0010
#define TOKEN_ALL_ACCESS 0xF01FF
#define NT_MAXIMUM_ALLOWED 0x02000000
#define NT_GENERIC_READ 0x80000000u
#define NT_GENERIC_WRITE 0x40000000u
#define NT_GENERIC_EXECUTE 0x20000000u
#define NT_GENERIC_ALL 0x10000000u

#define NT_STATUS_NO_TOKEN ((NTSTATUS)0xC000007C)
#define NT_STATUS_BAD_IMPERSONATION_LEVEL ((NTSTATUS)0xC00000A5)
#define NT_STATUS_CANT_OPEN_ANONYMOUS ((NTSTATUS)0xC00000A6)
#define NT_STATUS_BAD_TOKEN_TYPE ((NTSTATUS)0xC00000A8)
#define TOKEN_DUPLICATE 0x0002
#define TOKEN_IMPERSONATE 0x0004
#define TOKEN_PRIMARY 1
#define TOKEN_IMPERSONATION 2
#define LEVEL_ANONYMOUS 0
#define LEVEL_IMPERSONATION 2
#define LEVEL_DELEGATION 3

#define SE_GROUP_MANDATORY 0x1
#define SE_GROUP_ENABLED_BY_DEFAULT 0x2
#define SE_GROUP_ENABLED 0x4
#define SE_GROUP_OWNER 0x8
#define SE_GROUP_USE_FOR_DENY_ONLY 0x10
#define SE_GROUP_INTEGRITY 0x20
#define SE_GROUP_INTEGRITY_ENABLED 0x40
#define SE_GROUP_LOGON_ID 0xC0000000u
#define SE_GROUP_STD (SE_GROUP_MANDATORY | SE_GROUP_ENABLED_BY_DEFAULT | SE_GROUP_ENABLED)

#define PSEUDO_PROCESS_TOKEN ((HANDLE)(intptr_t)-4)
#define PSEUDO_THREAD_TOKEN ((HANDLE)(intptr_t)-5)
#define PSEUDO_EFFECTIVE_TOKEN ((HANDLE)(intptr_t)-6)

enum {
    TokenUser = 1, TokenGroups, TokenPrivileges, TokenOwner, TokenPrimaryGroup, TokenDefaultDacl,
    TokenSource, TokenType, TokenImpersonationLevel, TokenStatistics, TokenRestrictedSids,
    TokenSessionId, TokenGroupsAndPrivileges, TokenSessionReference, TokenSandBoxInert,
    TokenAuditPolicy, TokenOrigin, TokenElevationType, TokenLinkedToken, TokenElevation,
    TokenHasRestrictions, TokenAccessInformation, TokenVirtualizationAllowed,
    TokenVirtualizationEnabled, TokenIntegrityLevel, TokenUIAccess, TokenMandatoryPolicy,
    TokenLogonSid, TokenIsAppContainer, TokenCapabilities, TokenAppContainerSid,
    TokenAppContainerNumber,
};

/* ---- SIDs ---- */
typedef struct {
    uint8_t b[8 + 4 * 8]; /* revision, count, authority[6], up to 8 subauthorities */
} nt_sid;

static size_t sid_len(const nt_sid *s) { return 8 + 4 * (size_t)s->b[1]; }

static nt_sid sid_make(uint8_t authority, int n, const uint32_t *sub)
{
    nt_sid s = {{0}};
    s.b[0] = 1;
    s.b[1] = (uint8_t)n;
    s.b[7] = authority;
    for (int i = 0; i < n; i++)
        memcpy(s.b + 8 + 4 * i, &sub[i], 4);
    return s;
}

static void machine_domain(uint32_t out[3])
{
    static uint32_t dom[3];
    static bool ready;
    if (!ready) {
        char id[256] = "";
        FILE *f = fopen("/etc/machine-id", "re");
        if (f) {
            if (!fgets(id, sizeof id, f))
                id[0] = 0;
            fclose(f);
        }
        if (!id[0])
            gethostname(id, sizeof id - 1);
        uint64_t h = 0xcbf29ce484222325ull; /* FNV-1a */
        for (int i = 0; i < 3; i++) {
            for (const char *p = id; *p && *p != '\n'; p++)
                h = (h ^ (uint8_t)*p) * 0x100000001b3ull;
            h = (h ^ (uint64_t)i) * 0x100000001b3ull;
            dom[i] = (uint32_t)(h >> 32) | 0x10000000u; /* Windows' are large numbers too */
        }
        ready = true; /* the same values whoever computes them: no lock needed */
    }
    memcpy(out, dom, sizeof dom);
}

static nt_sid sid_domain(uint32_t rid)
{
    uint32_t sub[5] = {21, 0, 0, 0, rid};
    machine_domain(&sub[1]);
    return sid_make(5, 5, sub);
}

static nt_sid sid_user(void) { return sid_domain(1000 + (uint32_t)getuid()); }
/* Elevated: root, unless $NTRUN_TOKEN says "elevated" or "standard" (tests run both ways). */
static bool token_elevated(void)
{
    static int cached = -1; /* the same answer in every thread: a race only repeats it */
    int e = __atomic_load_n(&cached, __ATOMIC_RELAXED);
    if (e < 0) {
        const char *v = getenv("NTRUN_TOKEN");
        e = v && !strcmp(v, "elevated") ? 1 : v && !strcmp(v, "standard") ? 0 : getuid() == 0;
        __atomic_store_n(&cached, e, __ATOMIC_RELAXED);
    }
    return e != 0;
}

void nt_token_user_sid_string(char *buf, size_t n)
{
    uint32_t d[3];
    machine_domain(d);
    snprintf(buf, n, "S-1-5-21-%u-%u-%u-%u", d[0], d[1], d[2], 1000 + (uint32_t)getuid());
}

/* ---- privileges ----
 * A token's privileges and their state (enabled, removed) are shared by every handle to that
 * token: the process's token is one state for the whole process (NtOpenProcessToken always
 * opens it), a duplicate gets a copy of its source's state, and a thread impersonating a
 * token uses that token's state. All under imp_lock. */
#define SE_PRIVILEGE_ENABLED 0x2u
#define SE_PRIVILEGE_REMOVED 0x4u
#define SE_PRIVILEGE_USED_FOR_ACCESS 0x80000000u
#define TOK_MAX_PRIVS 40
typedef struct tok_privs {
    int refs; /* the process's state is static and never freed */
    uint32_t n;
    uint32_t luid[TOK_MAX_PRIVS];
    uint32_t attr[TOK_MAX_PRIVS];
} tok_privs;

static pthread_mutex_t imp_lock = PTHREAD_MUTEX_INITIALIZER;
static tok_privs proc_privs = {.refs = 1};
static bool proc_privs_ready;

/* The process token's privileges as Windows gives a standard user's or an elevated
 * administrator's: {LUID, attributes} (SE_PRIVILEGE_ENABLED_BY_DEFAULT 1 | ENABLED 2). */
static void proc_privs_init_locked(void)
{
    static const uint32_t std[][2] = {{19, 0}, {23, 3}, {25, 0}, {33, 0}, {34, 0}};
    static const uint32_t admin[][2] = {
        {5, 0},  {8, 0},  {9, 0},  {10, 0}, {11, 0}, {12, 0}, {13, 0}, {14, 0},
        {15, 0}, {17, 0}, {18, 0}, {19, 0}, {20, 0}, {22, 0}, {23, 3}, {24, 0},
        {25, 0}, {28, 0}, {29, 3}, {30, 3}, {33, 0}, {34, 0}, {35, 0}};
    if (proc_privs_ready)
        return;
    /* A child process: the state its parent's token had at CreateProcess. */
    const char *inherited = getenv("NTRUN_CHILD_PRIVS");
    if (inherited) {
        uint32_t n = 0;
        for (const char *q = inherited; *q && n < TOK_MAX_PRIVS;) {
            char *end;
            unsigned long luid = strtoul(q, &end, 10);
            if (*end != ':')
                break;
            unsigned long attr = strtoul(end + 1, &end, 10);
            proc_privs.luid[n] = (uint32_t)luid;
            proc_privs.attr[n++] = (uint32_t)attr;
            q = *end == ',' ? end + 1 : end;
        }
        proc_privs.n = n;
        proc_privs_ready = true;
        return;
    }
    const uint32_t(*p)[2] = token_elevated() ? admin : std;
    uint32_t n = token_elevated() ? sizeof admin / sizeof admin[0] : sizeof std / sizeof std[0];
    for (uint32_t i = 0; i < n; i++) {
        proc_privs.luid[i] = p[i][0];
        proc_privs.attr[i] = p[i][1];
    }
    proc_privs.n = n;
    proc_privs_ready = true;
}

/* The process's state, with a reference (under imp_lock). */
static tok_privs *proc_privs_ref_locked(void)
{
    proc_privs_init_locked();
    proc_privs.refs++;
    return &proc_privs;
}

static tok_privs *privs_copy_locked(const tok_privs *from)
{
    tok_privs *c = malloc(sizeof *c);
    if (c) {
        *c = *from;
        c->refs = 1;
    }
    return c;
}

static void privs_unref_locked(tok_privs *p)
{
    if (p && --p->refs == 0 && p != &proc_privs)
        free(p);
}

static int privs_find(const tok_privs *p, uint32_t luid)
{
    for (uint32_t i = 0; i < p->n; i++)
        if (p->luid[i] == luid)
            return (int)i;
    return -1;
}

/* ---- token objects ---- */
typedef struct {
    nt_object hdr;
    uint32_t access;
    uint32_t type;  /* TOKEN_PRIMARY or TOKEN_IMPERSONATION */
    uint32_t level; /* SECURITY_IMPERSONATION_LEVEL of an impersonation token */
    tok_privs *privs; /* a reference */
} nt_token;

/* The threads that impersonate, by thread id, the level of their token and its privileges
 * (a reference). */
#define MAX_IMPERSONATING 256
static struct {
    int32_t tid;
    uint32_t level;
    tok_privs *privs;
} imp[MAX_IMPERSONATING];

static void token_destroy(nt_object *o)
{
    pthread_mutex_lock(&imp_lock);
    privs_unref_locked(((nt_token *)o)->privs);
    pthread_mutex_unlock(&imp_lock);
    free(o);
}

/* The privileges of the token a handle names (pseudo handles included), with a reference,
 * and the handle's access, type and level; NULL with *st set when it names none. */
static tok_privs *token_privs_of(HANDLE token, uint32_t *access, uint32_t *type,
                                 uint32_t *level, NTSTATUS *st);

static uint32_t token_map_access(uint32_t a)
{
    if (a & (NT_MAXIMUM_ALLOWED | NT_GENERIC_ALL))
        a |= TOKEN_ALL_ACCESS;
    if (a & NT_GENERIC_READ)
        a |= 0x20008; /* TOKEN_READ */
    if (a & NT_GENERIC_WRITE)
        a |= 0x200E0; /* TOKEN_WRITE */
    if (a & NT_GENERIC_EXECUTE)
        a |= 0x20000; /* TOKEN_EXECUTE */
    return a & TOKEN_ALL_ACCESS;
}

/* A new token object with the privilege state `privs` (its reference passes to the token,
 * or is dropped on failure). */
static NTSTATUS token_new_typed(uint32_t access, uint32_t attributes, uint32_t type,
                                uint32_t level, tok_privs *privs, HANDLE *user_handle)
{
    HANDLE h = NULL;
    nt_token *t = NULL;
    NTSTATUS st = STATUS_SUCCESS;
    if (!user_handle || nt_copy_to_user(user_handle, &h, sizeof h) != 0)
        st = STATUS_ACCESS_VIOLATION;
    else if (!privs || !(t = calloc(1, sizeof *t)))
        st = STATUS_NO_MEMORY;
    if (st != STATUS_SUCCESS) {
        pthread_mutex_lock(&imp_lock);
        privs_unref_locked(privs);
        pthread_mutex_unlock(&imp_lock);
        return st;
    }
    nt_object_init(&t->hdr, NT_OBJ_TOKEN, token_destroy);
    t->access = token_map_access(access);
    t->type = type;
    t->level = level;
    t->privs = privs;
    st = nt_handle_alloc_inherit(&t->hdr, (attributes & 0x2) != 0 /* OBJ_INHERIT */, &h);
    nt_object_release(&t->hdr);
    if (st != STATUS_SUCCESS)
        return st;
    nt_handle_set_granted(h, t->access); /* a duplicate's access is checked by its handle's */
    if (nt_copy_to_user(user_handle, &h, sizeof h) != 0) {
        nt_handle_close(h);
        return STATUS_ACCESS_VIOLATION;
    }
    return STATUS_SUCCESS;
}

/* A handle to the process's token. */
static NTSTATUS token_new(uint32_t access, uint32_t attributes, HANDLE *user_handle)
{
    pthread_mutex_lock(&imp_lock);
    tok_privs *p = proc_privs_ref_locked();
    pthread_mutex_unlock(&imp_lock);
    return token_new_typed(access, attributes, TOKEN_PRIMARY, 0, p, user_handle);
}

NTSTATUS NTAPI NtOpenProcessTokenEx(HANDLE process, uint32_t access, uint32_t attributes,
                                    HANDLE *handle)
{
    nt_object *o;
    NTSTATUS st = nt_object_from_handle(process, NT_OBJ_PROCESS, &o);
    if (st != STATUS_SUCCESS)
        return st;
    nt_object_release(o);
    return token_new(access, attributes, handle);
}

NTSTATUS NTAPI NtOpenProcessToken(HANDLE process, uint32_t access, HANDLE *handle)
{
    return NtOpenProcessTokenEx(process, access, 0, handle);
}

NTSTATUS NTAPI NtOpenThreadTokenEx(HANDLE thread, uint32_t access, BOOLEAN as_self,
                                   uint32_t attributes, HANDLE *handle)
{
    HANDLE zero = NULL;
    (void)as_self;
    if (!handle || nt_copy_to_user(handle, &zero, sizeof zero) != 0)
        return STATUS_ACCESS_VIOLATION;
    nt_thread_info ti;
    NTSTATUS st = nt_thread_query(thread, &ti);
    if (st != STATUS_SUCCESS)
        return st;
    int level = -1;
    tok_privs *p = NULL;
    pthread_mutex_lock(&imp_lock);
    for (int i = 0; i < MAX_IMPERSONATING; i++) {
        if (imp[i].tid == ti.tid) {
            level = (int)imp[i].level;
            p = imp[i].privs;
        }
    }
    if (p && level != LEVEL_ANONYMOUS)
        p->refs++;
    pthread_mutex_unlock(&imp_lock);
    if (level < 0)
        return NT_STATUS_NO_TOKEN;
    if (level == LEVEL_ANONYMOUS)
        return NT_STATUS_CANT_OPEN_ANONYMOUS;
    return token_new_typed(access, attributes, TOKEN_IMPERSONATION, (uint32_t)level, p, handle);
}

/* ThreadImpersonationToken: the thread impersonates with `token` (NULL: reverts). */
NTSTATUS nt_token_impersonate(HANDLE thread, HANDLE token)
{
    nt_thread_info ti;
    NTSTATUS st = nt_thread_query(thread, &ti);
    if (st != STATUS_SUCCESS)
        return st;
    uint32_t level = 0;
    nt_object *o = NULL;
    if (token) {
        st = nt_handle_get(token, NT_OBJ_TOKEN, &o);
        if (st != STATUS_SUCCESS)
            return st;
        nt_token *t = (nt_token *)o;
        if (!(t->access & TOKEN_IMPERSONATE))
            st = STATUS_ACCESS_DENIED;
        else if (t->type != TOKEN_IMPERSONATION)
            st = NT_STATUS_BAD_TOKEN_TYPE;
        level = t->level;
        if (st != STATUS_SUCCESS) {
            nt_object_release(o);
            return st;
        }
    }
    pthread_mutex_lock(&imp_lock);
    tok_privs *old_privs = NULL, *new_privs = o ? ((nt_token *)o)->privs : NULL;
    int slot = -1, free_slot = -1;
    for (int i = 0; i < MAX_IMPERSONATING; i++) {
        if (imp[i].tid == ti.tid)
            slot = i;
        else if (!imp[i].tid && free_slot < 0)
            free_slot = i;
    }
    if (!token) {
        if (slot >= 0) {
            imp[slot].tid = 0;
            old_privs = imp[slot].privs;
            imp[slot].privs = NULL;
        }
    } else {
        if (slot < 0)
            slot = free_slot;
        if (slot < 0) {
            st = STATUS_NO_MEMORY;
        } else {
            old_privs = imp[slot].tid == ti.tid ? imp[slot].privs : NULL;
            imp[slot].tid = ti.tid;
            imp[slot].level = level;
            imp[slot].privs = new_privs;
            new_privs->refs++;
        }
    }
    privs_unref_locked(old_privs);
    pthread_mutex_unlock(&imp_lock);
    if (o)
        nt_object_release(o);
    return st;
}

typedef struct {
    uint32_t Length;
    uint32_t ImpersonationLevel;
    uint8_t ContextTrackingMode;
    uint8_t EffectiveOnly;
} nt_sqos;

NTSTATUS NTAPI NtDuplicateToken(HANDLE existing, uint32_t access, const OBJECT_ATTRIBUTES *attr,
                                BOOLEAN effective_only, uint32_t type, HANDLE *handle)
{
    HANDLE zero = NULL;
    (void)effective_only;
    if (!handle || nt_copy_to_user(handle, &zero, sizeof zero) != 0)
        return STATUS_ACCESS_VIOLATION;
    if (type != TOKEN_PRIMARY && type != TOKEN_IMPERSONATION)
        return STATUS_INVALID_PARAMETER;
    uint32_t attributes = 0, level = 0, src_type = TOKEN_PRIMARY, src_level = 0;
    if (attr) {
        OBJECT_ATTRIBUTES a;
        if (nt_copy_from_user(&a, attr, sizeof a) != 0)
            return STATUS_ACCESS_VIOLATION;
        attributes = a.Attributes;
        if (a.SecurityQualityOfService) {
            nt_sqos q;
            if (nt_copy_from_user(&q, a.SecurityQualityOfService, sizeof q) != 0)
                return STATUS_ACCESS_VIOLATION;
            if (q.ImpersonationLevel > LEVEL_DELEGATION)
                return STATUS_INVALID_PARAMETER;
            level = q.ImpersonationLevel;
        }
    }
    if (existing == PSEUDO_PROCESS_TOKEN || existing == PSEUDO_EFFECTIVE_TOKEN) {
        /* the process's token, opened with TOKEN_QUERY only: Windows refuses the duplicate */
        return STATUS_ACCESS_DENIED;
    }
    nt_object *o;
    NTSTATUS st = nt_handle_get(existing, NT_OBJ_TOKEN, &o);
    if (st != STATUS_SUCCESS)
        return st;
    nt_token *t = (nt_token *)o;
    bool can = t->access & TOKEN_DUPLICATE;
    src_type = t->type;
    src_level = t->level;
    pthread_mutex_lock(&imp_lock);
    tok_privs *copy = can ? privs_copy_locked(t->privs) : NULL; /* a new token: its own state */
    pthread_mutex_unlock(&imp_lock);
    nt_object_release(o);
    if (!can)
        return STATUS_ACCESS_DENIED;
    if (!copy)
        return STATUS_NO_MEMORY;
    /* an impersonation token gives no more than it has, and a primary token only from
     * SecurityImpersonation up */
    if (src_type == TOKEN_IMPERSONATION &&
        ((type == TOKEN_IMPERSONATION && level > src_level) ||
         (type == TOKEN_PRIMARY && src_level < LEVEL_IMPERSONATION))) {
        pthread_mutex_lock(&imp_lock);
        privs_unref_locked(copy);
        pthread_mutex_unlock(&imp_lock);
        return NT_STATUS_BAD_IMPERSONATION_LEVEL;
    }
    return token_new_typed(access, attributes, type, type == TOKEN_IMPERSONATION ? level : 0,
                           copy, handle);
}

NTSTATUS NTAPI NtOpenThreadToken(HANDLE thread, uint32_t access, BOOLEAN as_self, HANDLE *handle)
{
    return NtOpenThreadTokenEx(thread, access, as_self, 0, handle);
}

/* ---- NtQueryInformationToken ---- */
/* A record being built: bytes plus the offsets of the pointers in it, which point into the
 * record itself and become addresses in the caller's buffer when it is copied out. */
typedef struct {
    uint8_t buf[2048];
    size_t len;
    size_t ptrs[48]; /* offsets of 8-byte fields that hold record offsets */
    int nptrs;
} tok_rec;

static size_t rec_put(tok_rec *r, const void *p, size_t n, size_t align)
{
    r->len = (r->len + align - 1) & ~(align - 1);
    size_t at = r->len;
    memcpy(r->buf + at, p, n);
    r->len += n;
    return at;
}

static void rec_ptr(tok_rec *r, size_t field, size_t target)
{
    uint64_t v = target;
    memcpy(r->buf + field, &v, 8);
    r->ptrs[r->nptrs++] = field;
}

static void rec_u32(tok_rec *r, size_t at, uint32_t v) { memcpy(r->buf + at, &v, 4); }

typedef struct {
    nt_sid sid;
    uint32_t attr;
} tok_group;

static int token_groups(tok_group *g)
{
    bool el = token_elevated();
    int n = 0;
    uint32_t s;
    g[n++] = (tok_group){sid_domain(513), SE_GROUP_STD}; /* None */
    s = 0;
    g[n++] = (tok_group){sid_make(1, 1, &s), SE_GROUP_STD}; /* Everyone */
    uint32_t admins[2] = {32, 544}, users[2] = {32, 545};
    g[n++] = (tok_group){sid_make(5, 2, admins),
                         el ? SE_GROUP_STD | SE_GROUP_OWNER : SE_GROUP_USE_FOR_DENY_ONLY};
    g[n++] = (tok_group){sid_make(5, 2, users), SE_GROUP_STD};
    s = 4;
    g[n++] = (tok_group){sid_make(5, 1, &s), SE_GROUP_STD}; /* INTERACTIVE */
    s = 1;
    g[n++] = (tok_group){sid_make(2, 1, &s), SE_GROUP_STD}; /* CONSOLE LOGON */
    s = 11;
    g[n++] = (tok_group){sid_make(5, 1, &s), SE_GROUP_STD}; /* Authenticated Users */
    s = 15;
    g[n++] = (tok_group){sid_make(5, 1, &s), SE_GROUP_STD}; /* This Organization */
    s = 113;
    g[n++] = (tok_group){sid_make(5, 1, &s), SE_GROUP_STD}; /* Local account */
    uint32_t logon[3] = {5, 0, 0x10000 + (uint32_t)getpid() % 0x10000};
    g[n++] = (tok_group){sid_make(5, 3, logon), SE_GROUP_STD | SE_GROUP_LOGON_ID};
    s = 0;
    g[n++] = (tok_group){sid_make(2, 1, &s), SE_GROUP_STD}; /* LOCAL */
    uint32_t ntlm[2] = {64, 10};
    g[n++] = (tok_group){sid_make(5, 2, ntlm), SE_GROUP_STD};
    s = el ? 0x3000 : 0x2000;
    g[n++] = (tok_group){sid_make(16, 1, &s), SE_GROUP_INTEGRITY | SE_GROUP_INTEGRITY_ENABLED};
    return n;
}

static void rec_groups(tok_rec *r, const tok_group *g, int n)
{
    uint32_t count = (uint32_t)n;
    rec_put(r, &count, 4, 8);
    r->len = 8;
    size_t arr = r->len;
    r->len += 16 * (size_t)n;
    for (int i = 0; i < n; i++) {
        size_t at = rec_put(r, g[i].sid.b, sid_len(&g[i].sid), 4);
        rec_ptr(r, arr + 16 * (size_t)i, at);
        rec_u32(r, arr + 16 * (size_t)i + 8, g[i].attr);
    }
}

/* TOKEN_USER, TOKEN_MANDATORY_LABEL: one SID_AND_ATTRIBUTES. */
static void rec_sid_attr(tok_rec *r, const nt_sid *sid, uint32_t attr)
{
    r->len = 16;
    size_t at = rec_put(r, sid->b, sid_len(sid), 4);
    rec_ptr(r, 0, at);
    rec_u32(r, 8, attr);
}

/* TOKEN_OWNER, TOKEN_PRIMARY_GROUP: one PSID. */
static void rec_sid_ptr(tok_rec *r, const nt_sid *sid)
{
    r->len = 8;
    size_t at = rec_put(r, sid->b, sid_len(sid), 4);
    rec_ptr(r, 0, at);
}

/* TOKEN_PRIVILEGES: the state's privileges, {LUID, attributes} each. */
static void rec_privileges(tok_rec *r, const tok_privs *p)
{
    rec_put(r, &p->n, 4, 4);
    for (uint32_t i = 0; i < p->n; i++) {
        uint32_t e[3] = {p->luid[i], 0, p->attr[i]};
        rec_put(r, e, 12, 4);
    }
}

static void rec_default_dacl(tok_rec *r)
{
    nt_sid user = sid_user();
    uint32_t sys = 18;
    nt_sid system = sid_make(5, 1, &sys);
    const nt_sid *sids[2] = {&user, &system};
    r->len = 8;
    size_t acl = r->len;
    uint8_t hdr[8] = {2, 0, 0, 0, 2, 0, 0, 0}; /* ACL_REVISION, size later, 2 ACEs */
    rec_put(r, hdr, 8, 4);
    for (int i = 0; i < 2; i++) {
        uint16_t size = (uint16_t)(8 + sid_len(sids[i]));
        uint8_t ace[8] = {0, 0, (uint8_t)size, (uint8_t)(size >> 8), 0, 0, 0, 0x10};
        /* ACCESS_ALLOWED_ACE_TYPE, GENERIC_ALL */
        rec_put(r, ace, 8, 4);
        rec_put(r, sids[i]->b, sid_len(sids[i]), 1);
    }
    uint16_t acl_size = (uint16_t)(r->len - acl);
    memcpy(r->buf + acl + 2, &acl_size, 2);
    rec_ptr(r, 0, acl);
}

static NTSTATUS token_info(uint32_t klass, uint32_t type, uint32_t level, const tok_privs *privs,
                           tok_rec *r)
{
    bool el = token_elevated();
    nt_sid user = sid_user();
    tok_group g[16];
    uint32_t v;
    memset(r, 0, sizeof *r);
    switch (klass) {
    case TokenUser: rec_sid_attr(r, &user, 0); break;
    case TokenGroups: rec_groups(r, g, token_groups(g) - 1); break; /* label: not a group */
    case TokenPrivileges: rec_privileges(r, privs); break;
    case TokenOwner: {
        uint32_t admins[2] = {32, 544};
        nt_sid a = sid_make(5, 2, admins);
        rec_sid_ptr(r, el ? &a : &user);
        break;
    }
    case TokenPrimaryGroup: {
        nt_sid none = sid_domain(513);
        rec_sid_ptr(r, &none);
        break;
    }
    case TokenDefaultDacl: rec_default_dacl(r); break;
    case TokenSource: {
        uint8_t src[16] = "User32  ";
        rec_put(r, src, 16, 4);
        break;
    }
    case TokenType: rec_put(r, &type, 4, 4); break;
    case TokenImpersonationLevel:
        if (type != TOKEN_IMPERSONATION)
            return STATUS_INVALID_INFO_CLASS; /* a primary token has none */
        rec_put(r, &level, 4, 4);
        break;
    case TokenStatistics: {
        uint8_t s[56] = {0};
        uint32_t id = 0x10000 + (uint32_t)getpid() % 0x10000;
        memcpy(s, &id, 4);          /* TokenId */
        memcpy(s + 8, &id, 4);      /* AuthenticationId */
        int64_t never = INT64_MAX;
        memcpy(s + 16, &never, 8);  /* ExpirationTime */
        memcpy(s + 24, &type, 4);   /* TokenType */
        memcpy(s + 28, &level, 4);  /* ImpersonationLevel */
        v = 4096;
        memcpy(s + 32, &v, 4);      /* DynamicCharged */
        memcpy(s + 36, &v, 4);      /* DynamicAvailable */
        v = (uint32_t)token_groups(g) - 1;
        memcpy(s + 40, &v, 4);      /* GroupCount */
        memcpy(s + 44, &privs->n, 4); /* PrivilegeCount */
        memcpy(s + 48, &id, 4);     /* ModifiedId */
        rec_put(r, s, 56, 8);
        break;
    }
    case TokenSessionId: v = 1; rec_put(r, &v, 4, 4); break;
    case TokenElevationType: v = el ? 2 : 1; rec_put(r, &v, 4, 4); break;
    case TokenElevation: v = el; rec_put(r, &v, 4, 4); break;
    case TokenHasRestrictions:
    case TokenVirtualizationAllowed:
    case TokenVirtualizationEnabled:
    case TokenUIAccess:
    case TokenIsAppContainer:
    case TokenAppContainerNumber:
    case TokenSandBoxInert: v = 0; rec_put(r, &v, 4, 4); break;
    case TokenMandatoryPolicy: v = 1; rec_put(r, &v, 4, 4); break; /* NO_WRITE_UP */
    case TokenIntegrityLevel: {
        int n = token_groups(g);
        rec_sid_attr(r, &g[n - 1].sid, g[n - 1].attr);
        break;
    }
    case TokenLogonSid: {
        int n = token_groups(g);
        for (int i = 0; i < n; i++)
            if (g[i].attr & SE_GROUP_LOGON_ID) {
                rec_groups(r, &g[i], 1);
                break;
            }
        break;
    }
    case TokenCapabilities: v = 0; rec_put(r, &v, 4, 4); r->len = 8; break;
    case TokenAppContainerSid: r->len = 8; break; /* a NULL PSID */
    default: return STATUS_INVALID_INFO_CLASS;
    }
    return STATUS_SUCCESS;
}

static tok_privs *token_privs_of(HANDLE token, uint32_t *access, uint32_t *type,
                                 uint32_t *level, NTSTATUS *st)
{
    tok_privs *p = NULL;
    *type = TOKEN_PRIMARY, *level = 0, *st = STATUS_SUCCESS;
    if (token == PSEUDO_THREAD_TOKEN || token == PSEUDO_EFFECTIVE_TOKEN ||
        token == PSEUDO_PROCESS_TOKEN) {
        *access = TOKEN_QUERY | TOKEN_QUERY_SOURCE;
        nt_thread_info ti;
        int32_t tid = token != PSEUDO_PROCESS_TOKEN &&
                              nt_thread_query(NtCurrentThread(), &ti) == STATUS_SUCCESS
                          ? ti.tid
                          : 0;
        pthread_mutex_lock(&imp_lock);
        for (int i = 0; tid && i < MAX_IMPERSONATING; i++) {
            if (imp[i].tid == tid) {
                *type = TOKEN_IMPERSONATION;
                *level = imp[i].level;
                p = imp[i].privs;
                p->refs++;
            }
        }
        if (!p && token != PSEUDO_THREAD_TOKEN)
            p = proc_privs_ref_locked();
        pthread_mutex_unlock(&imp_lock);
        if (!p)
            *st = NT_STATUS_NO_TOKEN;
        return p;
    }
    nt_object *o;
    *st = nt_handle_get(token, NT_OBJ_TOKEN, &o);
    if (*st != STATUS_SUCCESS)
        return NULL;
    nt_token *t = (nt_token *)o;
    *access = nt_handle_granted(token, t->access); /* the handle's: duplicates may have less */
    *type = t->type;
    *level = t->level;
    pthread_mutex_lock(&imp_lock);
    p = t->privs;
    p->refs++;
    pthread_mutex_unlock(&imp_lock);
    nt_object_release(o);
    return p;
}

static void token_privs_done(tok_privs *p)
{
    pthread_mutex_lock(&imp_lock);
    privs_unref_locked(p);
    pthread_mutex_unlock(&imp_lock);
}

bool nt_token_privilege_enabled(uint32_t luid)
{
    uint32_t access, type, level;
    NTSTATUS st;
    tok_privs *p = token_privs_of(PSEUDO_EFFECTIVE_TOKEN, &access, &type, &level, &st);
    if (!p)
        return false;
    pthread_mutex_lock(&imp_lock);
    int i = privs_find(p, luid);
    bool on = i >= 0 && (p->attr[i] & SE_PRIVILEGE_ENABLED);
    pthread_mutex_unlock(&imp_lock);
    token_privs_done(p);
    return on;
}

char *nt_token_child_env(void)
{
    char buf[32 + TOK_MAX_PRIVS * 24];
    size_t k = (size_t)snprintf(buf, sizeof buf, "NTRUN_CHILD_PRIVS=");
    pthread_mutex_lock(&imp_lock);
    proc_privs_init_locked();
    for (uint32_t i = 0; i < proc_privs.n && k < sizeof buf; i++)
        k += (size_t)snprintf(buf + k, sizeof buf - k, "%s%u:%u", i ? "," : "",
                              proc_privs.luid[i], proc_privs.attr[i]);
    pthread_mutex_unlock(&imp_lock);
    return strdup(buf);
}

NTSTATUS NTAPI NtQueryInformationToken(HANDLE token, uint32_t klass, void *info, uint32_t len,
                                       uint32_t *ret_len)
{
    uint32_t access, type, level;
    NTSTATUS st;
    /* The whole output first, as Windows probes it: a buffer that runs into a page it cannot
     * write gets nothing. */
    if (!nt_probe_write(info, len) || (ret_len && !nt_probe_write(ret_len, sizeof *ret_len)))
        return STATUS_ACCESS_VIOLATION;
    tok_privs *privs = token_privs_of(token, &access, &type, &level, &st);
    if (!privs)
        return st;
    tok_privs snap;
    pthread_mutex_lock(&imp_lock);
    snap = *privs;
    pthread_mutex_unlock(&imp_lock);
    token_privs_done(privs);
    uint32_t need = klass == TokenSource ? TOKEN_QUERY_SOURCE : TOKEN_QUERY;
    if (!(access & need))
        return STATUS_ACCESS_DENIED;
    tok_rec *r = malloc(sizeof *r);
    if (!r)
        return STATUS_NO_MEMORY;
    st = token_info(klass, type, level, &snap, r);
    if (st != STATUS_SUCCESS)
        goto out;
    uint32_t total = (uint32_t)r->len;
    if (ret_len && nt_copy_to_user(ret_len, &total, sizeof total) != 0) {
        st = STATUS_ACCESS_VIOLATION;
        goto out;
    }
    if (len < total) {
        st = STATUS_BUFFER_TOO_SMALL;
        goto out;
    }
    for (int i = 0; i < r->nptrs; i++) {
        uint64_t off;
        memcpy(&off, r->buf + r->ptrs[i], 8);
        uint64_t addr = (uint64_t)(uintptr_t)info + off;
        memcpy(r->buf + r->ptrs[i], &addr, 8);
    }
    if (total && nt_copy_to_user(info, r->buf, total) != 0)
        st = STATUS_ACCESS_VIOLATION;
out:
    free(r);
    return st;
}

/* ---- NtAdjustPrivilegesToken, NtPrivilegeCheck ---- */
#define TOKEN_ADJUST_PRIVILEGES 0x0020
#define NT_STATUS_NOT_ALL_ASSIGNED ((NTSTATUS)0x00000106)
#define NT_STATUS_NO_IMPERSONATION_TOKEN ((NTSTATUS)0xC000005C)
#define PRIVILEGE_SET_ALL_NECESSARY 1
#define LEVEL_IDENTIFICATION 1

/* Enables or disables the privileges `new_state` (TOKEN_PRIVILEGES) names, or disables them all;
 * SE_PRIVILEGE_REMOVED takes one out of the token for good. `prev` receives the earlier state
 * of those that changed (STATUS_BUFFER_TOO_SMALL, nothing changed, when it does not fit).
 * STATUS_NOT_ALL_ASSIGNED (a success) when the token lacks one of them; the others change. */
NTSTATUS NTAPI NtAdjustPrivilegesToken(HANDLE token, BOOLEAN disable_all, const void *new_state,
                                       uint32_t prev_len, void *prev, uint32_t *ret_len)
{
    uint32_t count = 0;
    uint32_t (*want)[3] = NULL; /* LUID low, LUID high, attributes */
    if (!disable_all) {
        if (!new_state)
            return STATUS_INVALID_PARAMETER;
        if (nt_copy_from_user(&count, new_state, 4) != 0)
            return STATUS_ACCESS_VIOLATION;
        if (count > 1024)
            return STATUS_INVALID_PARAMETER;
        want = malloc(12 * (size_t)count + 1);
        if (!want)
            return STATUS_NO_MEMORY;
        if (count && nt_copy_from_user(want, (const uint8_t *)new_state + 4, 12 * (size_t)count)) {
            free(want);
            return STATUS_ACCESS_VIOLATION;
        }
    }
    uint32_t access, type, level;
    NTSTATUS st;
    tok_privs *p = token_privs_of(token, &access, &type, &level, &st);
    if (!p) {
        free(want);
        return st;
    }
    if (!(access & TOKEN_ADJUST_PRIVILEGES) || (prev && !(access & TOKEN_QUERY))) {
        free(want);
        token_privs_done(p);
        return STATUS_ACCESS_DENIED;
    }
    pthread_mutex_lock(&imp_lock);
    tok_privs next = *p;
    uint32_t before[TOK_MAX_PRIVS][2], nchanged = 0; /* {LUID, old attributes} */
    bool missing = false;
    for (uint32_t i = 0; i < next.n && disable_all; i++) {
        if (next.attr[i] & SE_PRIVILEGE_ENABLED) {
            before[nchanged][0] = next.luid[i], before[nchanged++][1] = next.attr[i];
            next.attr[i] &= ~SE_PRIVILEGE_ENABLED;
        }
    }
    for (uint32_t w = 0; w < count; w++) {
        int i = want[w][1] ? -1 : privs_find(&next, want[w][0]);
        if (i < 0) {
            missing = true;
            continue;
        }
        uint32_t old = next.attr[i];
        bool changed = false;
        for (uint32_t c = 0; c < nchanged; c++)
            changed = changed || before[c][0] == next.luid[i];
        if (want[w][2] & SE_PRIVILEGE_REMOVED) {
            if (!changed)
                before[nchanged][0] = next.luid[i], before[nchanged++][1] = old;
            next.n--;
            memmove(&next.luid[i], &next.luid[i + 1], (next.n - (uint32_t)i) * 4);
            memmove(&next.attr[i], &next.attr[i + 1], (next.n - (uint32_t)i) * 4);
            continue;
        }
        uint32_t now = (old & ~SE_PRIVILEGE_ENABLED) | (want[w][2] & SE_PRIVILEGE_ENABLED);
        if (now != old && !changed)
            before[nchanged][0] = next.luid[i], before[nchanged++][1] = old;
        next.attr[i] = now;
    }
    uint32_t need = 4 + 12 * nchanged;
    st = missing ? NT_STATUS_NOT_ALL_ASSIGNED : STATUS_SUCCESS;
    if (prev && prev_len < need) {
        st = STATUS_BUFFER_TOO_SMALL;
    } else if (prev) {
        uint8_t out[4 + 12 * TOK_MAX_PRIVS];
        memcpy(out, &nchanged, 4);
        for (uint32_t c = 0; c < nchanged; c++) {
            uint32_t e[3] = {before[c][0], 0, before[c][1]};
            memcpy(out + 4 + 12 * c, e, 12);
        }
        if (nt_copy_to_user(prev, out, need) != 0)
            st = STATUS_ACCESS_VIOLATION;
    }
    if (NT_SUCCESS(st)) {
        memcpy(p->luid, next.luid, sizeof next.luid);
        memcpy(p->attr, next.attr, sizeof next.attr);
        p->n = next.n;
    }
    pthread_mutex_unlock(&imp_lock);
    token_privs_done(p);
    free(want);
    if (ret_len && nt_copy_to_user(ret_len, &need, sizeof need) != 0 && NT_SUCCESS(st))
        st = STATUS_ACCESS_VIOLATION;
    return st;
}

/* Whether the privileges a PRIVILEGE_SET names are enabled in an impersonation token (all of
 * them with PRIVILEGE_SET_ALL_NECESSARY, else any); the enabled ones are marked
 * SE_PRIVILEGE_USED_FOR_ACCESS in the set. A primary token: STATUS_NO_IMPERSONATION_TOKEN. */
NTSTATUS NTAPI NtPrivilegeCheck(HANDLE token, void *set, BOOLEAN *result)
{
    uint32_t hdr[2]; /* PrivilegeCount, Control */
    if (!set || nt_copy_from_user(hdr, set, sizeof hdr) != 0)
        return STATUS_ACCESS_VIOLATION;
    if (hdr[0] > 1024)
        return STATUS_INVALID_PARAMETER;
    uint32_t(*e)[3] = malloc(12 * (size_t)hdr[0] + 1);
    if (!e)
        return STATUS_NO_MEMORY;
    if (hdr[0] && nt_copy_from_user(e, (uint8_t *)set + 8, 12 * (size_t)hdr[0]) != 0) {
        free(e);
        return STATUS_ACCESS_VIOLATION;
    }
    uint32_t access, type, level;
    NTSTATUS st;
    tok_privs *p = token_privs_of(token, &access, &type, &level, &st);
    if (p && !(access & TOKEN_QUERY))
        st = STATUS_ACCESS_DENIED;
    else if (p && type != TOKEN_IMPERSONATION)
        st = NT_STATUS_NO_IMPERSONATION_TOKEN;
    else if (p && level < LEVEL_IDENTIFICATION)
        st = NT_STATUS_BAD_IMPERSONATION_LEVEL;
    if (!p || st != STATUS_SUCCESS) {
        if (p)
            token_privs_done(p);
        free(e);
        return st;
    }
    uint32_t enabled = 0;
    pthread_mutex_lock(&imp_lock);
    for (uint32_t i = 0; i < hdr[0]; i++) {
        int at = e[i][1] ? -1 : privs_find(p, e[i][0]);
        if (at >= 0 && (p->attr[at] & SE_PRIVILEGE_ENABLED)) {
            e[i][2] |= SE_PRIVILEGE_USED_FOR_ACCESS;
            enabled++;
        }
    }
    pthread_mutex_unlock(&imp_lock);
    token_privs_done(p);
    BOOLEAN r = hdr[1] & PRIVILEGE_SET_ALL_NECESSARY ? enabled == hdr[0] : enabled > 0;
    if ((hdr[0] && nt_copy_to_user((uint8_t *)set + 8, e, 12 * (size_t)hdr[0]) != 0) ||
        !result || nt_copy_to_user(result, &r, sizeof r) != 0)
        st = STATUS_ACCESS_VIOLATION;
    free(e);
    return st;
}
