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
 * process's).
 * Restricted tokens (NtFilterToken, CreateRestrictedToken): a token's state holds, beside its
 * privileges, the groups filtering made deny-only, its restricting SIDs and flags, and a default
 * DACL SetTokenInformation gave it; TokenGroups, TokenUser, TokenOwner, TokenRestrictedSids,
 * TokenHasRestrictions and CheckTokenMembership show them. A child process started with
 * CreateProcessAsUser gets its token's state (NTRUN_CHILD_TOKEN), one started with
 * CreateProcess a copy of its parent's process token, so a restricted process's children stay
 * restricted. As there is one user, restrictions change no file access. */
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
    uint8_t b[8 + 4 * 15]; /* revision, count, authority[6], up to 15 subauthorities */
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
#define TOK_MAX_RESTRICT 16  /* restricting SIDs a token holds */
#define TOK_MAX_DACL 1024    /* bytes of a default DACL SetTokenInformation gives */
/* What NtFilterToken (CreateRestrictedToken) made of a token, kept with its privileges: */
#define TOK_F_FILTERED 0x1         /* TokenHasRestrictions: the token was filtered */
#define TOK_F_SANDBOX_INERT 0x2    /* SANDBOX_INERT */
#define TOK_F_LUA 0x4              /* LUA_TOKEN: a standard user's view of an administrator */
#define TOK_F_WRITE_RESTRICTED 0x8 /* WRITE_RESTRICTED: restricting SIDs limit writes only */
#define TOK_F_NULL_DACL 0x10       /* SetTokenInformation(TokenDefaultDacl) with no DACL */
#define TOK_DENY_USER 0x80000000u  /* in deny_groups: the user's SID is deny-only */
/* A token's state: its privileges and what filtering and SetTokenInformation changed. */
typedef struct tok_state {
    int refs; /* the process's state is static and never freed */
    uint32_t n;
    uint32_t luid[TOK_MAX_PRIVS];
    uint32_t attr[TOK_MAX_PRIVS];
    uint32_t flags;        /* TOK_F_* */
    uint32_t deny_groups;  /* bit i: group i of token_groups() is deny-only; TOK_DENY_USER */
    uint32_t nrestrict;    /* restricting SIDs (TokenRestrictedSids) */
    nt_sid restrict_sid[TOK_MAX_RESTRICT];
    uint32_t dacl_len;     /* a default DACL set by SetTokenInformation (0: the default) */
    uint8_t dacl[TOK_MAX_DACL];
} tok_state;

static pthread_mutex_t imp_lock = PTHREAD_MUTEX_INITIALIZER;
/* In .bss (its references set by proc_privs_init_locked, through which every use goes): with
 * `.refs = 1` as an initialiser its 2.4 KB sat in .data, among the pages ld.so writes at every
 * start (cli.startup_order's budget). */
static tok_state proc_privs;
static bool proc_privs_ready;

static int hex_val(char c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Reads n bytes of lower-case hex at *q into out; false when they are not there. */
static bool hex_read(const char **q, uint8_t *out, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        int hi = hex_val((*q)[0]), lo = hi < 0 ? -1 : hex_val((*q)[1]);
        if (lo < 0)
            return false;
        out[i] = (uint8_t)(hi << 4 | lo);
        *q += 2;
    }
    return true;
}

/* A state from the text state_format wrote ("p=luid:attr,...;f=F;d=D;r=SID,...;a=ACL"), the
 * privileges and restrictions a child's token starts with; false when it is damaged (the
 * child then starts with the default state). */
static bool state_parse(tok_state *t, const char *q)
{
    tok_state s = {.refs = 1};
    while (*q) {
        char key = q[0];
        if (q[1] != '=')
            return false;
        q += 2;
        char *end;
        switch (key) {
        case 'p':
            while (*q && *q != ';') {
                unsigned long luid = strtoul(q, &end, 10);
                if (*end != ':' || s.n >= TOK_MAX_PRIVS)
                    return false;
                s.luid[s.n] = (uint32_t)luid;
                s.attr[s.n++] = (uint32_t)strtoul(end + 1, &end, 10);
                q = *end == ',' ? end + 1 : end;
            }
            break;
        case 'f': s.flags = (uint32_t)strtoul(q, &end, 16), q = end; break;
        case 'd': s.deny_groups = (uint32_t)strtoul(q, &end, 16), q = end; break;
        case 'r':
            while (*q && *q != ';') {
                nt_sid *sid = &s.restrict_sid[s.nrestrict];
                if (s.nrestrict >= TOK_MAX_RESTRICT || !hex_read(&q, sid->b, 8) ||
                    sid->b[1] > 15 || !hex_read(&q, sid->b + 8, 4 * (size_t)sid->b[1]))
                    return false;
                s.nrestrict++;
                if (*q == ',')
                    q++;
            }
            break;
        case 'a': {
            uint16_t size;
            const char *at = q;
            uint8_t hdr[4];
            if (!hex_read(&at, hdr, 4))
                return false;
            memcpy(&size, hdr + 2, 2);
            if (size < 8 || size > TOK_MAX_DACL || !hex_read(&q, s.dacl, size))
                return false;
            s.dacl_len = size;
            break;
        }
        default: return false;
        }
        if (*q == ';')
            q++;
        else if (*q)
            return false;
    }
    s.refs = t->refs;
    *t = s;
    return true;
}

/* The text of a state for a child's environment (state_parse reads it); malloc'd. */
static char *state_format(const char *prefix, const tok_state *t)
{
    size_t cap = strlen(prefix) + 64 + TOK_MAX_PRIVS * 24 + TOK_MAX_RESTRICT * 140 +
                 2 * TOK_MAX_DACL;
    char *buf = malloc(cap);
    if (!buf)
        return NULL;
    size_t k = (size_t)snprintf(buf, cap, "%sp=", prefix);
    for (uint32_t i = 0; i < t->n; i++)
        k += (size_t)snprintf(buf + k, cap - k, "%s%u:%u", i ? "," : "", t->luid[i], t->attr[i]);
    k += (size_t)snprintf(buf + k, cap - k, ";f=%x;d=%x", t->flags, t->deny_groups);
    if (t->nrestrict)
        k += (size_t)snprintf(buf + k, cap - k, ";r=");
    for (uint32_t i = 0; i < t->nrestrict; i++) {
        if (i)
            buf[k++] = ',';
        for (size_t j = 0; j < sid_len(&t->restrict_sid[i]); j++)
            k += (size_t)snprintf(buf + k, cap - k, "%02x", t->restrict_sid[i].b[j]);
    }
    if (t->dacl_len) {
        k += (size_t)snprintf(buf + k, cap - k, ";a=");
        for (uint32_t j = 0; j < t->dacl_len; j++)
            k += (size_t)snprintf(buf + k, cap - k, "%02x", t->dacl[j]);
    }
    return buf;
}

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
    /* A child process: the state of the token CreateProcess(AsUser) gave it. */
    const char *inherited = getenv("NTRUN_CHILD_TOKEN");
    if (inherited && state_parse(&proc_privs, inherited)) {
        proc_privs.refs = 1;
        proc_privs_ready = true;
        return;
    }
    proc_privs.refs = 1;
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
static tok_state *proc_privs_ref_locked(void)
{
    proc_privs_init_locked();
    proc_privs.refs++;
    return &proc_privs;
}

static tok_state *privs_copy_locked(const tok_state *from)
{
    tok_state *c = malloc(sizeof *c);
    if (c) {
        *c = *from;
        c->refs = 1;
    }
    return c;
}

static void privs_unref_locked(tok_state *p)
{
    if (p && --p->refs == 0 && p != &proc_privs)
        free(p);
}

static int privs_find(const tok_state *p, uint32_t luid)
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
    tok_state *privs; /* a reference */
} nt_token;

/* The threads that impersonate, by thread id, the level of their token and its privileges
 * (a reference). */
#define MAX_IMPERSONATING 256
static struct {
    int32_t tid;
    uint32_t level;
    tok_state *privs;
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
static tok_state *token_privs_of(HANDLE token, uint32_t *access, uint32_t *type,
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
                                uint32_t level, tok_state *privs, HANDLE *user_handle)
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
    tok_state *p = proc_privs_ref_locked();
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
    tok_state *p = NULL;
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
    tok_state *old_privs = NULL, *new_privs = o ? ((nt_token *)o)->privs : NULL;
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
    tok_state *copy = can ? privs_copy_locked(t->privs) : NULL; /* a new token: its own state */
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

#define TOK_GROUP_ADMINS 2 /* BUILTIN\Administrators in token_groups() */

/* The groups as the token's state makes them: deny-only (enabled and owner flags gone) for the
 * SIDs filtering disabled; for a LUA token Administrators deny-only and medium integrity. The
 * integrity label, last, is no group filtering can disable. */
static int token_groups_of(tok_group *g, const tok_state *t)
{
    int n = token_groups(g);
    for (int i = 0; i < n - 1; i++)
        if (((t->deny_groups >> i) & 1) || ((t->flags & TOK_F_LUA) && i == TOK_GROUP_ADMINS))
            g[i].attr = (g[i].attr & ~(uint32_t)(SE_GROUP_ENABLED | SE_GROUP_OWNER)) |
                        SE_GROUP_USE_FOR_DENY_ONLY;
    if (t->flags & TOK_F_LUA) {
        uint32_t medium = 0x2000;
        g[n - 1].sid = sid_make(16, 1, &medium);
    }
    return n;
}

/* Whether the token holds Administrators enabled (an elevated administrator's, unfiltered). */
static bool token_admin_enabled(const tok_state *t)
{
    tok_group g[16];
    token_groups_of(g, t);
    return (g[TOK_GROUP_ADMINS].attr & SE_GROUP_ENABLED) != 0;
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
static void rec_privileges(tok_rec *r, const tok_state *p)
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

static NTSTATUS token_info(uint32_t klass, uint32_t type, uint32_t level, const tok_state *privs,
                           tok_rec *r)
{
    bool el = token_admin_enabled(privs);
    nt_sid user = sid_user();
    tok_group g[16];
    uint32_t v;
    memset(r, 0, sizeof *r);
    switch (klass) {
    case TokenUser:
        rec_sid_attr(r, &user, privs->deny_groups & TOK_DENY_USER ? SE_GROUP_USE_FOR_DENY_ONLY : 0);
        break;
    case TokenGroups: rec_groups(r, g, token_groups_of(g, privs) - 1); break; /* label: no group */
    case TokenRestrictedSids: {
        tok_group rs[TOK_MAX_RESTRICT];
        for (uint32_t i = 0; i < privs->nrestrict; i++)
            rs[i] = (tok_group){privs->restrict_sid[i], SE_GROUP_STD};
        rec_groups(r, rs, (int)privs->nrestrict);
        break;
    }
    case TokenPrivileges: rec_privileges(r, privs); break;
    case TokenOwner: {
        uint32_t admins[2] = {32, 544};
        nt_sid a = sid_make(5, 2, admins);
        rec_sid_ptr(r, el ? &a : &user); /* a disabled Administrators owns nothing */
        break;
    }
    case TokenPrimaryGroup: {
        nt_sid none = sid_domain(513);
        rec_sid_ptr(r, &none);
        break;
    }
    case TokenDefaultDacl:
        if (privs->flags & TOK_F_NULL_DACL) {
            r->len = 8; /* a NULL PACL */
        } else if (privs->dacl_len) {
            r->len = 8;
            rec_ptr(r, 0, rec_put(r, privs->dacl, privs->dacl_len, 4));
        } else {
            rec_default_dacl(r);
        }
        break;
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
        v = (uint32_t)token_groups_of(g, privs) - 1;
        memcpy(s + 40, &v, 4);      /* GroupCount */
        memcpy(s + 44, &privs->n, 4); /* PrivilegeCount */
        memcpy(s + 48, &id, 4);     /* ModifiedId */
        rec_put(r, s, 56, 8);
        break;
    }
    case TokenSessionId: v = 1; rec_put(r, &v, 4, 4); break;
    case TokenElevationType:
        /* Full for an elevated administrator, Limited for its LUA view, else Default */
        v = privs->flags & TOK_F_LUA ? 3 : token_elevated() ? 2 : 1;
        rec_put(r, &v, 4, 4);
        break;
    case TokenElevation: v = el; rec_put(r, &v, 4, 4); break;
    case TokenHasRestrictions:
        v = (privs->flags & TOK_F_FILTERED) != 0;
        rec_put(r, &v, 4, 4);
        break;
    case TokenSandBoxInert:
        v = (privs->flags & TOK_F_SANDBOX_INERT) != 0;
        rec_put(r, &v, 4, 4);
        break;
    case TokenVirtualizationAllowed:
    case TokenVirtualizationEnabled:
    case TokenUIAccess:
    case TokenIsAppContainer:
    case TokenAppContainerNumber: v = 0; rec_put(r, &v, 4, 4); break;
    case TokenMandatoryPolicy: v = 1; rec_put(r, &v, 4, 4); break; /* NO_WRITE_UP */
    case TokenIntegrityLevel: {
        int n = token_groups_of(g, privs);
        rec_sid_attr(r, &g[n - 1].sid, g[n - 1].attr);
        break;
    }
    case TokenLogonSid: {
        int n = token_groups_of(g, privs);
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

static tok_state *token_privs_of(HANDLE token, uint32_t *access, uint32_t *type,
                                 uint32_t *level, NTSTATUS *st)
{
    tok_state *p = NULL;
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

static void token_privs_done(tok_state *p)
{
    pthread_mutex_lock(&imp_lock);
    privs_unref_locked(p);
    pthread_mutex_unlock(&imp_lock);
}

bool nt_token_privilege_enabled(uint32_t luid)
{
    uint32_t access, type, level;
    NTSTATUS st;
    tok_state *p = token_privs_of(PSEUDO_EFFECTIVE_TOKEN, &access, &type, &level, &st);
    if (!p)
        return false;
    pthread_mutex_lock(&imp_lock);
    int i = privs_find(p, luid);
    bool on = i >= 0 && (p->attr[i] & SE_PRIVILEGE_ENABLED);
    pthread_mutex_unlock(&imp_lock);
    token_privs_done(p);
    return on;
}

#define TOKEN_ASSIGN_PRIMARY 0x0001
#define NT_STATUS_PRIVILEGE_NOT_HELD ((NTSTATUS)0xC0000061)

NTSTATUS nt_token_child_env(HANDLE token, char **out)
{
    *out = NULL;
    tok_state snap;
    if (!token) {
        pthread_mutex_lock(&imp_lock);
        proc_privs_init_locked();
        snap = proc_privs;
        pthread_mutex_unlock(&imp_lock);
    } else {
        /* CreateProcessAsUser: a primary token the handle may assign. Windows also asks for
         * SeAssignPrimaryTokenPrivilege unless the token was made from the caller's own
         * (filtered or duplicated), which every token here is: one user. */
        uint32_t access, type, level;
        NTSTATUS st;
        tok_state *p = token_privs_of(token, &access, &type, &level, &st);
        if (!p)
            return st;
        pthread_mutex_lock(&imp_lock);
        snap = *p;
        pthread_mutex_unlock(&imp_lock);
        token_privs_done(p);
        if (type != TOKEN_PRIMARY)
            return NT_STATUS_BAD_TOKEN_TYPE;
        if (!(access & TOKEN_ASSIGN_PRIMARY))
            return STATUS_ACCESS_DENIED;
    }
    *out = state_format("NTRUN_CHILD_TOKEN=", &snap);
    return *out ? STATUS_SUCCESS : STATUS_NO_MEMORY;
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
    tok_state *privs = token_privs_of(token, &access, &type, &level, &st);
    if (!privs)
        return st;
    tok_state snap;
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
    tok_state *p = token_privs_of(token, &access, &type, &level, &st);
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
    tok_state next = *p;
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
    tok_state *p = token_privs_of(token, &access, &type, &level, &st);
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

/* ---- NtFilterToken (CreateRestrictedToken) ---- */
#define NT_STATUS_INVALID_SID ((NTSTATUS)0xC0000078)
#define NT_STATUS_ALLOTTED_SPACE_EXCEEDED ((NTSTATUS)0xC0000099)
#define FILTER_DISABLE_MAX_PRIVILEGE 0x1
#define FILTER_SANDBOX_INERT 0x2
#define FILTER_LUA_TOKEN 0x4
#define FILTER_WRITE_RESTRICTED 0x8
#define SE_CHANGE_NOTIFY_PRIVILEGE 23
#define TOK_MAX_FILTER 64 /* SIDs of one list read */

/* A SID from the caller's memory. */
static NTSTATUS read_sid(const void *user, nt_sid *out)
{
    memset(out, 0, sizeof *out);
    if (!user || nt_copy_from_user(out->b, user, 8) != 0)
        return STATUS_ACCESS_VIOLATION;
    if (out->b[0] != 1 || out->b[1] > 15)
        return NT_STATUS_INVALID_SID;
    if (nt_copy_from_user(out->b + 8, (const uint8_t *)user + 8, 4 * (size_t)out->b[1]) != 0)
        return STATUS_ACCESS_VIOLATION;
    return STATUS_SUCCESS;
}

/* The SIDs of a TOKEN_GROUPS (GroupCount, then {PSID, Attributes} from offset 8); NULL: none. */
static NTSTATUS read_groups(const void *user, nt_sid *out, uint32_t *count)
{
    *count = 0;
    if (!user)
        return STATUS_SUCCESS;
    uint32_t n;
    if (nt_copy_from_user(&n, user, 4) != 0)
        return STATUS_ACCESS_VIOLATION;
    if (n > TOK_MAX_FILTER)
        return NT_STATUS_ALLOTTED_SPACE_EXCEEDED;
    for (uint32_t i = 0; i < n; i++) {
        void *sid;
        if (nt_copy_from_user(&sid, (const uint8_t *)user + 8 + 16 * (size_t)i, 8) != 0)
            return STATUS_ACCESS_VIOLATION;
        NTSTATUS st = read_sid(sid, &out[i]);
        if (st != STATUS_SUCCESS)
            return st;
    }
    *count = n;
    return STATUS_SUCCESS;
}

static bool sid_eq(const nt_sid *a, const nt_sid *b)
{
    return sid_len(a) == sid_len(b) && !memcmp(a->b, b->b, sid_len(a));
}

static void privs_remove(tok_state *t, uint32_t i)
{
    t->n--;
    memmove(&t->luid[i], &t->luid[i + 1], (t->n - i) * 4);
    memmove(&t->attr[i], &t->attr[i + 1], (t->n - i) * 4);
}

/* Applies CreateRestrictedToken's changes to a copy of a token's state. */
static NTSTATUS filter_state(tok_state *t, uint32_t flags, const nt_sid *disable,
                             uint32_t ndisable, const uint32_t (*del)[3], uint32_t ndel,
                             const nt_sid *restricting, uint32_t nrestrict)
{
    tok_group g[16];
    int ng = token_groups(g) - 1; /* the integrity label is no group to disable */
    nt_sid user = sid_user();
    for (uint32_t d = 0; d < ndisable; d++) {
        if (sid_eq(&disable[d], &user))
            t->deny_groups |= TOK_DENY_USER;
        for (int i = 0; i < ng; i++)
            if (sid_eq(&disable[d], &g[i].sid))
                t->deny_groups |= 1u << i;
        /* a SID the token does not hold is ignored, as Windows does */
    }
    static const uint32_t standard[] = {19, 23, 25, 33, 34}; /* a standard user's */
    for (uint32_t i = t->n; i-- > 0;) {
        bool keep = !(flags & FILTER_DISABLE_MAX_PRIVILEGE) ||
                    t->luid[i] == SE_CHANGE_NOTIFY_PRIVILEGE;
        if (flags & FILTER_LUA_TOKEN) {
            bool std = false;
            for (size_t k = 0; k < sizeof standard / sizeof standard[0]; k++)
                std = std || standard[k] == t->luid[i];
            keep = keep && std;
        }
        /* with DISABLE_MAX_PRIVILEGE the list is ignored, as Microsoft's page says */
        for (uint32_t k = 0; k < ndel && keep && !(flags & FILTER_DISABLE_MAX_PRIVILEGE); k++)
            keep = del[k][1] != 0 || del[k][0] != t->luid[i];
        if (!keep)
            privs_remove(t, i);
    }
    if (nrestrict) {
        /* a token already restricted keeps only the SIDs both lists name */
        nt_sid next[TOK_MAX_RESTRICT];
        uint32_t n = 0;
        for (uint32_t r = 0; r < nrestrict; r++) {
            bool dup = false, had = t->nrestrict == 0;
            for (uint32_t k = 0; k < n; k++)
                dup = dup || sid_eq(&next[k], &restricting[r]);
            for (uint32_t k = 0; k < t->nrestrict; k++)
                had = had || sid_eq(&t->restrict_sid[k], &restricting[r]);
            if (dup || !had)
                continue;
            if (n == TOK_MAX_RESTRICT)
                return NT_STATUS_ALLOTTED_SPACE_EXCEEDED;
            next[n++] = restricting[r];
        }
        memcpy(t->restrict_sid, next, sizeof next[0] * n);
        t->nrestrict = n;
        if (flags & FILTER_WRITE_RESTRICTED)
            t->flags |= TOK_F_WRITE_RESTRICTED;
    }
    if (flags & FILTER_SANDBOX_INERT)
        t->flags |= TOK_F_SANDBOX_INERT;
    if (flags & FILTER_LUA_TOKEN)
        t->flags |= TOK_F_LUA;
    t->flags |= TOK_F_FILTERED;
    return STATUS_SUCCESS;
}

/* A new token from `existing` with the SIDs of `disable` deny-only, the privileges of
 * `delete_privs` (TOKEN_PRIVILEGES) gone and the SIDs of `restricting` restricting; flags
 * DISABLE_MAX_PRIVILEGE (every privilege but SeChangeNotifyPrivilege gone), SANDBOX_INERT,
 * LUA_TOKEN (Administrators deny-only, a standard user's privileges, medium integrity) and
 * WRITE_RESTRICTED (the restricting SIDs limit write access only). Same type and level as
 * `existing`, which needs TOKEN_DUPLICATE; the new handle has every access. */
NTSTATUS NTAPI NtFilterToken(HANDLE existing, uint32_t flags, const void *disable,
                             const void *delete_privs, const void *restricting, HANDLE *new_token)
{
    HANDLE zero = NULL;
    if (!new_token || nt_copy_to_user(new_token, &zero, sizeof zero) != 0)
        return STATUS_ACCESS_VIOLATION;
    if (flags & ~(uint32_t)(FILTER_DISABLE_MAX_PRIVILEGE | FILTER_SANDBOX_INERT |
                            FILTER_LUA_TOKEN | FILTER_WRITE_RESTRICTED))
        return STATUS_INVALID_PARAMETER;
    nt_sid *dis = malloc(sizeof *dis * TOK_MAX_FILTER), *res = malloc(sizeof *res * TOK_MAX_FILTER);
    uint32_t (*del)[3] = malloc(12 * TOK_MAX_FILTER);
    tok_state *copy = NULL;
    uint32_t ndis = 0, nres = 0, ndel = 0;
    NTSTATUS st = dis && res && del ? STATUS_SUCCESS : STATUS_NO_MEMORY;
    if (st == STATUS_SUCCESS)
        st = read_groups(disable, dis, &ndis);
    if (st == STATUS_SUCCESS)
        st = read_groups(restricting, res, &nres);
    if (st == STATUS_SUCCESS && delete_privs) {
        if (nt_copy_from_user(&ndel, delete_privs, 4) != 0)
            st = STATUS_ACCESS_VIOLATION;
        else if (ndel > TOK_MAX_FILTER)
            st = NT_STATUS_ALLOTTED_SPACE_EXCEEDED;
        else if (ndel &&
                 nt_copy_from_user(del, (const uint8_t *)delete_privs + 4, 12 * (size_t)ndel))
            st = STATUS_ACCESS_VIOLATION;
    }
    if (st != STATUS_SUCCESS)
        goto out;
    if (existing == PSEUDO_PROCESS_TOKEN || existing == PSEUDO_EFFECTIVE_TOKEN ||
        existing == PSEUDO_THREAD_TOKEN) {
        st = STATUS_ACCESS_DENIED; /* TOKEN_QUERY only, as for NtDuplicateToken */
        goto out;
    }
    nt_object *o;
    st = nt_handle_get(existing, NT_OBJ_TOKEN, &o);
    if (st != STATUS_SUCCESS)
        goto out;
    nt_token *t = (nt_token *)o;
    uint32_t type = t->type, level = t->level;
    bool can = nt_handle_granted(existing, t->access) & TOKEN_DUPLICATE;
    pthread_mutex_lock(&imp_lock);
    copy = can ? privs_copy_locked(t->privs) : NULL;
    pthread_mutex_unlock(&imp_lock);
    nt_object_release(o);
    if (!can) {
        st = STATUS_ACCESS_DENIED;
        goto out;
    }
    if (!copy) {
        st = STATUS_NO_MEMORY;
        goto out;
    }
    st = filter_state(copy, flags, dis, ndis, (const uint32_t(*)[3])del, ndel, res, nres);
    if (st == STATUS_SUCCESS) {
        st = token_new_typed(TOKEN_ALL_ACCESS, 0, type, level, copy, new_token);
        copy = NULL; /* the token's now, or freed */
    }
out:
    if (copy) {
        pthread_mutex_lock(&imp_lock);
        privs_unref_locked(copy);
        pthread_mutex_unlock(&imp_lock);
    }
    free(dis);
    free(res);
    free(del);
    return st;
}

/* ---- membership, NtSetInformationToken ---- */
#define TOKEN_ADJUST_DEFAULT 0x0080
#define NT_STATUS_INVALID_ACL ((NTSTATUS)0xC0000077)
#define NT_STATUS_INFO_LENGTH_MISMATCH ((NTSTATUS)0xC0000004)

/* Whether a token's access checks count `sid` as its own: the user or an enabled group, not
 * deny-only; a restricted token's restricting SIDs must name it too (not for a
 * WRITE_RESTRICTED token, whose restricting SIDs limit writes only). */
static bool state_has_sid(const tok_state *t, const nt_sid *sid)
{
    nt_sid user = sid_user();
    bool in = sid_eq(sid, &user) && !(t->deny_groups & TOK_DENY_USER);
    tok_group g[16];
    int n = token_groups_of(g, t) - 1;
    for (int i = 0; i < n && !in; i++)
        in = (g[i].attr & SE_GROUP_ENABLED) && !(g[i].attr & SE_GROUP_USE_FOR_DENY_ONLY) &&
             sid_eq(sid, &g[i].sid);
    if (in && t->nrestrict && !(t->flags & TOK_F_WRITE_RESTRICTED)) {
        in = false;
        for (uint32_t i = 0; i < t->nrestrict && !in; i++)
            in = sid_eq(sid, &t->restrict_sid[i]);
    }
    return in;
}

NTSTATUS nt_token_check_membership(HANDLE token, const void *user_sid, BOOLEAN *member)
{
    nt_sid sid;
    NTSTATUS st = read_sid(user_sid, &sid);
    if (st != STATUS_SUCCESS)
        return st;
    uint32_t access, type, level;
    tok_state *p =
        token_privs_of(token ? token : PSEUDO_EFFECTIVE_TOKEN, &access, &type, &level, &st);
    if (!p)
        return st;
    tok_state snap;
    pthread_mutex_lock(&imp_lock);
    snap = *p;
    pthread_mutex_unlock(&imp_lock);
    token_privs_done(p);
    /* a token given must be an impersonation token the handle may query (NULL: the thread's,
     * or an impersonation copy of the process's) */
    if (token && type != TOKEN_IMPERSONATION)
        return NT_STATUS_NO_IMPERSONATION_TOKEN;
    if (token && !(access & TOKEN_QUERY))
        return STATUS_ACCESS_DENIED;
    *member = state_has_sid(&snap, &sid);
    return STATUS_SUCCESS;
}

/* TokenDefaultDacl (TOKEN_ADJUST_DEFAULT): the DACL given to objects the token's holder
 * creates without one, kept with the token and handed to a child started with it. Other
 * classes Windows lets a caller set are not done (STATUS_NOT_IMPLEMENTED, said once); the
 * rest cannot be set (STATUS_INVALID_INFO_CLASS). */
NTSTATUS NTAPI NtSetInformationToken(HANDLE token, uint32_t klass, const void *info, uint32_t len)
{
    uint32_t access, type, level;
    NTSTATUS st;
    switch (klass) {
    case TokenDefaultDacl: break;
    case TokenOwner: case TokenPrimaryGroup: case TokenSessionId: case TokenSessionReference:
    case TokenAuditPolicy: case TokenOrigin: case TokenIntegrityLevel: case TokenUIAccess:
    case TokenMandatoryPolicy: case TokenVirtualizationEnabled: case TokenLinkedToken: {
        /* a closed or wrong-type handle fails as it would for an implemented class */
        tok_state *q = token_privs_of(token, &access, &type, &level, &st);
        if (!q)
            return st;
        token_privs_done(q);
        static uint64_t said; /* a race only says it twice */
        if (!(__atomic_fetch_or(&said, 1ull << klass, __ATOMIC_RELAXED) & (1ull << klass)))
            fprintf(stderr, "ntrun: NtSetInformationToken: information class %u is not "
                            "implemented\n", klass);
        return STATUS_NOT_IMPLEMENTED;
    }
    default: return STATUS_INVALID_INFO_CLASS;
    }
    if (len < 8)
        return NT_STATUS_INFO_LENGTH_MISMATCH;
    void *acl_ptr;
    if (!info || nt_copy_from_user(&acl_ptr, info, 8) != 0)
        return STATUS_ACCESS_VIOLATION;
    uint8_t hdr[8];
    uint16_t size = 0;
    uint8_t *acl = NULL;
    if (acl_ptr) {
        if (nt_copy_from_user(hdr, acl_ptr, 8) != 0)
            return STATUS_ACCESS_VIOLATION;
        memcpy(&size, hdr + 2, 2);
        if (hdr[0] < 2 || hdr[0] > 4 || size < 8)
            return NT_STATUS_INVALID_ACL;
        if (size > TOK_MAX_DACL)
            return NT_STATUS_ALLOTTED_SPACE_EXCEEDED;
        acl = malloc(size);
        if (!acl)
            return STATUS_NO_MEMORY;
        if (nt_copy_from_user(acl, acl_ptr, size) != 0) {
            free(acl);
            return STATUS_ACCESS_VIOLATION;
        }
    }
    tok_state *p = token_privs_of(token, &access, &type, &level, &st);
    if (p && !(access & TOKEN_ADJUST_DEFAULT))
        st = STATUS_ACCESS_DENIED;
    if (p && st == STATUS_SUCCESS) {
        pthread_mutex_lock(&imp_lock);
        p->flags = acl ? p->flags & ~(uint32_t)TOK_F_NULL_DACL : p->flags | TOK_F_NULL_DACL;
        p->dacl_len = size;
        if (acl)
            memcpy(p->dacl, acl, size);
        pthread_mutex_unlock(&imp_lock);
    }
    if (p)
        token_privs_done(p);
    free(acl);
    return st;
}
