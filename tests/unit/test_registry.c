/* The registry store (ntemu/registry.c) on a temporary C: drive, and the token's user SID.
 * Covers NtCreateKey/NtOpenKey (dispositions, one level at a time, missing keys, hive roots,
 * RootDirectory-relative names and bad syntax), values set, queried (the three information
 * classes, STATUS_BUFFER_OVERFLOW / STATUS_BUFFER_TOO_SMALL with the full length), replaced and
 * deleted, case-insensitive names that keep their case, subkeys enumerated sorted and values in
 * creation order, NtQueryKey (full and name information), NtDeleteKey (STATUS_CANNOT_DELETE with
 * subkeys, STATUS_KEY_DELETED through a stale handle), access checks, bad pointers, the file
 * written atomically and read back after a reset, a change made by another process (fork) seen
 * without a reset, a damaged file replaced by the seed, the seeded CurrentVersion values, and
 * NtQueryInformationToken(TokenUser) agreeing with nt_token_user_sid_string, and volatile keys
 * (kept out of registry.txt, kept across reloads within a session, gone with it). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "ntemu/ntemu.h"

#define REG_SZ 1
#define REG_DWORD 4
#define KEY_READ 0x20019
#define KEY_ALL_ACCESS 0xF003F
#define STATUS_KEY_DELETED_ ((NTSTATUS)0xC000017C)
#define STATUS_NO_MORE_ENTRIES_ ((NTSTATUS)0x8000001A)

static char root[1024];

static void setup(void)
{
    char tmpl[] = "/tmp/ntrun-registry-XXXXXX";
    cr_assert_eq(rt_process_init(), 0);
    cr_assert_not_null(mkdtemp(tmpl));
    char *real = realpath(tmpl, NULL);
    cr_assert_not_null(real);
    strcpy(root, real);
    free(real);
    nt_path_set_drive('C', root);
    nt_registry_reset();
}

static void teardown(void)
{
    char cmd[2 * sizeof root + 64];
    nt_registry_reset();
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
    if (system(cmd) != 0)
        cr_log_warn("could not remove %s", root);
}

TestSuite(registry, .init = setup, .fini = teardown);

typedef struct {
    OBJECT_ATTRIBUTES attr;
    UNICODE_STRING us;
    WCHAR buf[512];
} kname;

static void set_us(UNICODE_STRING *us, WCHAR *buf, const char *s)
{
    size_t n = strlen(s);
    for (size_t i = 0; i < n; i++)
        buf[i] = (WCHAR)s[i];
    us->Length = us->MaximumLength = (uint16_t)(n * 2);
    us->Buffer = buf;
}

static OBJECT_ATTRIBUTES *kn(kname *k, HANDLE rootdir, const char *s)
{
    set_us(&k->us, k->buf, s);
    memset(&k->attr, 0, sizeof k->attr);
    k->attr.Length = sizeof k->attr;
    k->attr.RootDirectory = rootdir;
    k->attr.ObjectName = &k->us;
    k->attr.Attributes = OBJ_CASE_INSENSITIVE;
    return &k->attr;
}

static HANDLE create(HANDLE rootdir, const char *path, uint32_t *disp)
{
    kname k;
    HANDLE h = NULL;
    NTSTATUS st = NtCreateKey(&h, KEY_ALL_ACCESS, kn(&k, rootdir, path), 0, NULL, 0, disp);
    cr_assert_eq(st, STATUS_SUCCESS, "NtCreateKey %s: %#x", path, (uint32_t)st);
    return h;
}

static NTSTATUS open_key(HANDLE rootdir, const char *path, uint32_t access, HANDLE *h)
{
    kname k;
    return NtOpenKey(h, access, kn(&k, rootdir, path));
}

static void set_sz(HANDLE h, const char *name, const char *value)
{
    UNICODE_STRING us;
    WCHAR nb[128], vb[256];
    set_us(&us, nb, name);
    size_t n = strlen(value);
    for (size_t i = 0; i <= n; i++)
        vb[i] = (WCHAR)value[i];
    NTSTATUS st = NtSetValueKey(h, &us, 0, REG_SZ, vb, (uint32_t)(n + 1) * 2);
    cr_assert_eq(st, STATUS_SUCCESS, "NtSetValueKey %s: %#x", name, (uint32_t)st);
}

/* The value as ASCII text (REG_SZ) into out; the status. */
static NTSTATUS get_sz(HANDLE h, const char *name, char *out, size_t cap)
{
    UNICODE_STRING us;
    WCHAR nb[128];
    uint8_t buf[600];
    uint32_t len = 0;
    set_us(&us, nb, name);
    NTSTATUS st = NtQueryValueKey(h, &us, 2 /* partial */, buf, sizeof buf, &len);
    if (st != STATUS_SUCCESS)
        return st;
    uint32_t size;
    memcpy(&size, buf + 8, 4);
    size_t n = 0;
    for (uint32_t i = 0; i + 1 < size && n + 1 < cap; i += 2) {
        WCHAR c;
        memcpy(&c, buf + 12 + i, 2);
        if (!c)
            break;
        out[n++] = (char)c;
    }
    out[n] = 0;
    return st;
}

static HANDLE test_key(void)
{
    return create(NULL, "\\Registry\\Machine\\SOFTWARE\\ntrun-unit", NULL);
}

Test(registry, create_reports_disposition_and_opens_existing)
{
    uint32_t d = 0;
    HANDLE h = create(NULL, "\\Registry\\Machine\\SOFTWARE\\ntrun-unit", &d);
    cr_expect_eq(d, 1, "first create: disposition %u", d);
    HANDLE h2 = create(NULL, "\\REGISTRY\\machine\\software\\NTRUN-UNIT", &d);
    cr_expect_eq(d, 2, "second create: disposition %u", d);
    NtClose(h);
    NtClose(h2);
}

Test(registry, create_makes_one_level_only)
{
    kname k;
    HANDLE h;
    NTSTATUS st = NtCreateKey(&h, KEY_ALL_ACCESS,
                              kn(&k, NULL, "\\Registry\\Machine\\SOFTWARE\\a-missing\\b"), 0,
                              NULL, 0, NULL);
    cr_expect_eq(st, STATUS_OBJECT_NAME_NOT_FOUND, "got %#x", (uint32_t)st);
    st = NtCreateKey(&h, KEY_ALL_ACCESS, kn(&k, NULL, "\\Registry\\Machine\\NewHive"), 0, NULL,
                     0, NULL);
    cr_expect_eq(st, STATUS_ACCESS_DENIED, "a key directly under HKLM: %#x", (uint32_t)st);
}

Test(registry, open_missing_and_bad_syntax)
{
    HANDLE h, base = test_key();
    cr_expect_eq(open_key(NULL, "\\Registry\\Machine\\SOFTWARE\\nope", KEY_READ, &h),
                 STATUS_OBJECT_NAME_NOT_FOUND);
    cr_expect_eq(open_key(NULL, "Registry\\Machine", KEY_READ, &h), STATUS_OBJECT_PATH_SYNTAX_BAD);
    cr_expect_eq(open_key(base, "\\x", KEY_READ, &h), STATUS_OBJECT_PATH_SYNTAX_BAD);
    cr_expect_eq(open_key(NULL, "\\Device\\Foo", KEY_READ, &h), STATUS_OBJECT_NAME_NOT_FOUND);
    HANDLE ev;
    cr_assert_eq(NtCreateEvent(&ev, 0x1F0003, NULL, 0, 0), STATUS_SUCCESS);
    cr_expect_eq(open_key(ev, "x", KEY_READ, &h), STATUS_OBJECT_TYPE_MISMATCH);
    NtClose(ev);
    NtClose(base);
}

Test(registry, values_round_trip_and_replace)
{
    HANDLE h = test_key();
    char out[128];
    set_sz(h, "Name", "hello");
    cr_assert_eq(get_sz(h, "name", out, sizeof out), STATUS_SUCCESS);
    cr_expect_str_eq(out, "hello");
    set_sz(h, "NAME", "world");
    cr_assert_eq(get_sz(h, "Name", out, sizeof out), STATUS_SUCCESS);
    cr_expect_str_eq(out, "world");
    cr_expect_eq(get_sz(h, "Other", out, sizeof out), STATUS_OBJECT_NAME_NOT_FOUND);
    UNICODE_STRING us;
    WCHAR nb[16];
    set_us(&us, nb, "name");
    cr_expect_eq(NtDeleteValueKey(h, &us), STATUS_SUCCESS);
    cr_expect_eq(NtDeleteValueKey(h, &us), STATUS_OBJECT_NAME_NOT_FOUND);
    cr_expect_eq(get_sz(h, "Name", out, sizeof out), STATUS_OBJECT_NAME_NOT_FOUND);
    NtClose(h);
}

Test(registry, query_buffer_rules)
{
    HANDLE h = test_key();
    UNICODE_STRING us;
    WCHAR nb[16];
    uint32_t v = 0x2a, len = 0;
    uint8_t buf[64];
    set_us(&us, nb, "Count");
    cr_assert_eq(NtSetValueKey(h, &us, 0, REG_DWORD, &v, 4), STATUS_SUCCESS);
    NTSTATUS st = NtQueryValueKey(h, &us, 2, buf, 8, &len);
    cr_expect_eq(st, STATUS_BUFFER_TOO_SMALL, "8 bytes: %#x", (uint32_t)st);
    cr_expect_eq(len, 16, "needed %u", len);
    memset(buf, 0xcc, sizeof buf);
    st = NtQueryValueKey(h, &us, 2, buf, 14, &len);
    cr_expect_eq(st, STATUS_BUFFER_OVERFLOW, "14 bytes: %#x", (uint32_t)st);
    uint32_t type;
    memcpy(&type, buf + 4, 4);
    cr_expect_eq(type, REG_DWORD, "the fixed part is filled: type %u", type);
    cr_expect_eq(buf[12], 0xcc, "data not written");
    st = NtQueryValueKey(h, &us, 0 /* basic */, buf, sizeof buf, &len);
    cr_expect_eq(st, STATUS_SUCCESS);
    cr_expect_eq(len, 12 + 10, "basic length %u", len);
    st = NtQueryValueKey(h, &us, 1 /* full */, buf, sizeof buf, &len);
    cr_expect_eq(st, STATUS_SUCCESS);
    uint32_t off, dlen;
    memcpy(&off, buf + 8, 4);
    memcpy(&dlen, buf + 12, 4);
    cr_expect_eq(dlen, 4);
    cr_expect(off >= 30 && off + 4 <= len, "data offset %u of %u", off, len);
    cr_expect_eq(memcmp(buf + off, &v, 4), 0);
    NtClose(h);
}

Test(registry, enumeration_orders)
{
    HANDLE h = test_key();
    const char *subs[] = {"zeta", "Alpha", "mid"};
    for (int i = 0; i < 3; i++)
        NtClose(create(h, subs[i], NULL));
    set_sz(h, "b", "1");
    set_sz(h, "a", "2");
    set_sz(h, "C", "3");
    const char *want_keys[] = {"Alpha", "mid", "zeta"};
    uint8_t buf[256];
    uint32_t len;
    for (uint32_t i = 0; i < 3; i++) {
        cr_assert_eq(NtEnumerateKey(h, i, 0, buf, sizeof buf, &len), STATUS_SUCCESS);
        uint32_t nb;
        memcpy(&nb, buf + 12, 4);
        char name[64] = "";
        for (uint32_t j = 0; j < nb / 2; j++)
            name[j] = (char)buf[16 + 2 * j];
        cr_expect_str_eq(name, want_keys[i], "subkey %u", i);
    }
    cr_expect_eq(NtEnumerateKey(h, 3, 0, buf, sizeof buf, &len), STATUS_NO_MORE_ENTRIES_);
    const char *want_vals[] = {"b", "a", "C"};
    for (uint32_t i = 0; i < 3; i++) {
        cr_assert_eq(NtEnumerateValueKey(h, i, 0, buf, sizeof buf, &len), STATUS_SUCCESS);
        cr_expect_eq(buf[12], want_vals[i][0], "value %u", i);
    }
    cr_expect_eq(NtEnumerateValueKey(h, 3, 0, buf, sizeof buf, &len), STATUS_NO_MORE_ENTRIES_);
    cr_assert_eq(NtQueryKey(h, 2 /* full */, buf, sizeof buf, &len), STATUS_SUCCESS);
    uint32_t nsub, maxname, nval;
    memcpy(&nsub, buf + 20, 4);
    memcpy(&maxname, buf + 24, 4);
    memcpy(&nval, buf + 32, 4);
    cr_expect_eq(nsub, 3);
    cr_expect_eq(maxname, 10, "longest subkey name in bytes: %u", maxname);
    cr_expect_eq(nval, 3);
    cr_assert_eq(NtQueryKey(h, 3 /* name */, buf, sizeof buf, &len), STATUS_SUCCESS);
    uint32_t nb;
    memcpy(&nb, buf, 4);
    char name[128] = "";
    for (uint32_t j = 0; j < nb / 2; j++)
        name[j] = (char)buf[4 + 2 * j];
    cr_expect_str_eq(name, "\\REGISTRY\\MACHINE\\SOFTWARE\\ntrun-unit");
    NtClose(h);
}

Test(registry, delete_rules)
{
    HANDLE h = test_key();
    HANDLE sub = create(h, "child", NULL);
    HANDLE sub2 = create(h, "child", NULL);
    NtClose(create(sub, "grandchild", NULL));
    cr_expect_eq(NtDeleteKey(sub), STATUS_CANNOT_DELETE);
    HANDLE gc;
    cr_assert_eq(open_key(sub, "GRANDCHILD", KEY_ALL_ACCESS, &gc), STATUS_SUCCESS);
    cr_expect_eq(NtDeleteKey(gc), STATUS_SUCCESS);
    cr_expect_eq(NtDeleteKey(sub), STATUS_SUCCESS);
    char out[16];
    set_sz(h, "x", "y");
    cr_expect_eq(get_sz(sub2, "x", out, sizeof out), STATUS_KEY_DELETED_);
    cr_expect_eq(NtDeleteKey(sub2), STATUS_KEY_DELETED_);
    HANDLE hklm;
    cr_assert_eq(open_key(NULL, "\\Registry\\Machine\\SOFTWARE", KEY_ALL_ACCESS, &hklm),
                 STATUS_SUCCESS);
    cr_expect_eq(NtDeleteKey(hklm), STATUS_ACCESS_DENIED, "a hive root cannot go");
    NtClose(hklm);
    NtClose(gc);
    NtClose(sub);
    NtClose(sub2);
    NtClose(h);
}

Test(registry, access_is_checked)
{
    NtClose(test_key());
    HANDLE h;
    cr_assert_eq(open_key(NULL, "\\Registry\\Machine\\SOFTWARE\\ntrun-unit", KEY_READ, &h),
                 STATUS_SUCCESS);
    UNICODE_STRING us;
    WCHAR nb[8];
    uint32_t v = 1;
    set_us(&us, nb, "v");
    cr_expect_eq(NtSetValueKey(h, &us, 0, REG_DWORD, &v, 4), STATUS_ACCESS_DENIED);
    cr_expect_eq(NtDeleteKey(h), STATUS_ACCESS_DENIED);
    NtClose(h);
}

Test(registry, bad_pointers_give_access_violation)
{
    HANDLE h = test_key();
    set_sz(h, "v", "data");
    UNICODE_STRING us;
    WCHAR nb[8];
    uint32_t len;
    set_us(&us, nb, "v");
    cr_expect_eq(NtQueryValueKey(h, &us, 2, (void *)8, 100, &len), STATUS_ACCESS_VIOLATION);
    cr_expect_eq(NtQueryValueKey(h, (UNICODE_STRING *)8, 2, NULL, 0, &len),
                 STATUS_ACCESS_VIOLATION);
    cr_expect_eq(NtSetValueKey(h, &us, 0, REG_SZ, (void *)8, 4), STATUS_ACCESS_VIOLATION);
    kname k;
    cr_expect_eq(NtOpenKey((HANDLE *)8, KEY_READ, kn(&k, NULL, "\\Registry")),
                 STATUS_ACCESS_VIOLATION);
    cr_expect_eq(NtOpenKey(&h, KEY_READ, (OBJECT_ATTRIBUTES *)8), STATUS_ACCESS_VIOLATION);
    NtClose(h);
}

Test(registry, file_persists_and_reloads)
{
    HANDLE h = test_key();
    set_sz(h, "Persist", "kept \xc3\xa9%\n");
    NtClose(h);
    char path[1200];
    snprintf(path, sizeof path, "%s/windows/system32/config/registry.txt", root);
    FILE *f = fopen(path, "r");
    cr_assert_not_null(f, "%s", path);
    char line[64] = "";
    cr_expect_not_null(fgets(line, sizeof line, f));
    fclose(f);
    cr_expect_str_eq(line, "NTRUN-REGISTRY 1\n");
    nt_registry_reset();
    cr_assert_eq(open_key(NULL, "\\Registry\\Machine\\SOFTWARE\\ntrun-unit", KEY_READ, &h),
                 STATUS_SUCCESS);
    char out[64];
    cr_assert_eq(get_sz(h, "persist", out, sizeof out), STATUS_SUCCESS);
    cr_expect_str_eq(out, "kept \xc3\xa9%\n");
    NtClose(h);
}

Test(registry, another_process_change_is_seen)
{
    HANDLE h = test_key();
    set_sz(h, "v", "parent");
    pid_t pid = fork();
    cr_assert_neq(pid, -1);
    if (pid == 0) {
        set_sz(h, "v", "child");
        _exit(0);
    }
    int status;
    cr_assert_eq(waitpid(pid, &status, 0), pid);
    cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    char out[32];
    cr_assert_eq(get_sz(h, "v", out, sizeof out), STATUS_SUCCESS);
    cr_expect_str_eq(out, "child");
    NtClose(h);
}

Test(registry, damaged_file_gives_the_seed)
{
    char dir[1200], path[1300];
    snprintf(dir, sizeof dir, "%s/windows/system32/config", root);
    snprintf(path, sizeof path, "%s/registry.txt", dir);
    char cmd[1300];
    snprintf(cmd, sizeof cmd, "mkdir -p '%s'", dir);
    cr_assert_eq(system(cmd), 0);
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f);
    fputs("garbage\n", f);
    fclose(f);
    HANDLE h;
    cr_assert_eq(open_key(NULL, "\\Registry\\Machine\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion",
                          KEY_READ, &h),
                 STATUS_SUCCESS);
    char out[64];
    cr_assert_eq(get_sz(h, "CurrentBuildNumber", out, sizeof out), STATUS_SUCCESS);
    cr_expect_str_eq(out, nt_syscalls_build() == 11 ? "26100" : "19045");
    cr_assert_eq(get_sz(h, "ProductName", out, sizeof out), STATUS_SUCCESS);
    cr_expect_str_eq(out, "Windows 10 Pro");
    NtClose(h);
}

Test(registry, user_hive_is_the_token_sid)
{
    char sid[96], path[200];
    nt_token_user_sid_string(sid, sizeof sid);
    cr_expect_eq(strncmp(sid, "S-1-5-21-", 9), 0, "%s", sid);
    snprintf(path, sizeof path, "\\Registry\\User\\%s\\Software", sid);
    HANDLE h;
    cr_expect_eq(open_key(NULL, path, KEY_READ, &h), STATUS_SUCCESS, "%s", path);
    NtClose(h);
    uint8_t buf[256];
    uint32_t len = 0;
    cr_assert_eq(NtQueryInformationToken((HANDLE)(intptr_t)-4, 1, buf, sizeof buf, &len),
                 STATUS_SUCCESS);
    const uint8_t *s;
    memcpy(&s, buf, sizeof s);
    cr_assert_eq(s, buf + 16, "TOKEN_USER.Sid points into the buffer");
    char text[96];
    int n = snprintf(text, sizeof text, "S-1-%u", s[7]);
    for (int i = 0; i < s[1]; i++) {
        uint32_t sub;
        memcpy(&sub, s + 8 + 4 * i, 4);
        n += snprintf(text + n, sizeof text - (size_t)n, "-%u", sub);
    }
    cr_expect_str_eq(text, sid);
    cr_expect_eq(NtQueryInformationToken((HANDLE)(intptr_t)-4, 1, buf, 8, &len),
                 STATUS_BUFFER_TOO_SMALL);
    cr_expect_eq(len, 16 + 8 + 4 * 5, "needed %u", len);
}

/* Whether the file named (below the config folder) contains `needle`. */
static bool file_has(const char *name, const char *needle)
{
    char path[1200];
    snprintf(path, sizeof path, "%s/windows/system32/config/%s", root, name);
    FILE *f = fopen(path, "r");
    if (!f)
        return false;
    char line[512];
    bool found = false;
    while (!found && fgets(line, sizeof line, f))
        found = strstr(line, needle) != NULL;
    fclose(f);
    return found;
}

Test(registry, volatile_keys_stay_out_of_the_file_and_end_with_the_session)
{
    HANDLE base = test_key();
    kname k;
    HANDLE h = NULL;
    uint32_t d = 0;
    NTSTATUS st = NtCreateKey(&h, KEY_ALL_ACCESS, kn(&k, base, "vol-unit"), 0, NULL,
                              1 /* REG_OPTION_VOLATILE */, &d);
    cr_assert_eq(st, STATUS_SUCCESS, "volatile create: %#x", (uint32_t)st);
    set_sz(h, "InVolatile", "yes");
    HANDLE c = NULL;
    st = NtCreateKey(&c, KEY_ALL_ACCESS, kn(&k, h, "persistent-child"), 0, NULL, 0, &d);
    cr_expect_eq(st, (NTSTATUS)0xC0000181, "non-volatile child: %#x", (uint32_t)st);
    NtClose(h);
    set_sz(base, "Plain", "x");
    NtClose(base);
    cr_expect(file_has("registry.txt", "ntrun-unit"));
    cr_expect(!file_has("registry.txt", "vol-unit"), "a volatile key in registry.txt");
    cr_expect(file_has("registry.volatile.txt", "vol-unit"));
    /* still there for this process (and others of the session) after a reload */
    nt_registry_reset(); /* this process leaves the session: it was the only one */
    st = open_key(NULL, "\\Registry\\Machine\\SOFTWARE\\ntrun-unit\\vol-unit", KEY_READ, &h);
    cr_expect_eq(st, STATUS_OBJECT_NAME_NOT_FOUND, "after the session: %#x", (uint32_t)st);
    st = open_key(NULL, "\\Registry\\Machine\\SOFTWARE\\ntrun-unit", KEY_READ, &h);
    cr_expect_eq(st, STATUS_SUCCESS, "the persistent parent: %#x", (uint32_t)st);
    NtClose(h);
}

Test(registry, volatile_keys_survive_a_reload_within_the_session)
{
    HANDLE base = test_key();
    kname k;
    HANDLE h = NULL;
    uint32_t d = 0;
    NTSTATUS st = NtCreateKey(&h, KEY_ALL_ACCESS, kn(&k, base, "vol-unit"), 0, NULL, 1, &d);
    cr_assert_eq(st, STATUS_SUCCESS, "volatile create: %#x", (uint32_t)st);
    NtClose(h);
    NtClose(base);
    /* another process of the session writes: this one reloads and keeps its volatile keys */
    pid_t pid = fork();
    if (pid == 0) {
        HANDLE b = test_key();
        set_sz(b, "FromChild", "1");
        _exit(0);
    }
    int status;
    waitpid(pid, &status, 0);
    st = open_key(NULL, "\\Registry\\Machine\\SOFTWARE\\ntrun-unit\\vol-unit", KEY_READ, &h);
    cr_expect_eq(st, STATUS_SUCCESS, "after another process's write: %#x", (uint32_t)st);
    NtClose(h);
}
