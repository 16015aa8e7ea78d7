/* The handle table: handle values (multiples of 4 from 4, never 0 or a pseudo handle), lookup
 * with and without a type, STATUS_INVALID_HANDLE and STATUS_OBJECT_TYPE_MISMATCH, closing twice,
 * reuse of freed values, the tag bits Windows ignores, references keeping an object alive after
 * its handle is closed, NtClose on pseudo handles, and many handles at once. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include "ntemu/ntemu.h"

typedef struct {
    nt_object hdr;
    int *destroyed;
} test_obj;

static void test_destroy(nt_object *o)
{
    test_obj *t = (test_obj *)o;
    (*t->destroyed)++;
    free(t);
}

static test_obj *new_obj(nt_obj_type type, int *destroyed)
{
    test_obj *t = calloc(1, sizeof *t);
    cr_assert_not_null(t);
    nt_object_init(&t->hdr, type, test_destroy);
    t->destroyed = destroyed;
    return t;
}

/* A handle owning the only reference to a new object. */
static HANDLE new_handle(nt_obj_type type, int *destroyed)
{
    test_obj *t = new_obj(type, destroyed);
    HANDLE h;
    NTSTATUS st = nt_handle_alloc(&t->hdr, &h);
    cr_assert_eq(st, STATUS_SUCCESS, "nt_handle_alloc: %#x", (uint32_t)st);
    nt_object_release(&t->hdr);
    return h;
}

Test(handles, alloc_values_are_multiples_of_four)
{
    int destroyed = 0;
    for (int i = 0; i < 16; i++) {
        HANDLE h = new_handle(NT_OBJ_EVENT, &destroyed);
        uintptr_t v = (uintptr_t)h;
        cr_expect(v >= 4 && v % 4 == 0, "handle %#lx", (unsigned long)v);
        cr_expect(h != NtCurrentProcess() && h != NtCurrentThread(), "handle %p", h);
    }
}

Test(handles, get_right_type_returns_object)
{
    int destroyed = 0;
    test_obj *t = new_obj(NT_OBJ_EVENT, &destroyed);
    HANDLE h;
    nt_object *o;
    cr_assert_eq(nt_handle_alloc(&t->hdr, &h), STATUS_SUCCESS);
    NTSTATUS st = nt_handle_get(h, NT_OBJ_EVENT, &o);
    cr_assert_eq(st, STATUS_SUCCESS, "got %#x", (uint32_t)st);
    cr_expect_eq(o, &t->hdr);
    nt_object_release(o);
    st = nt_handle_get(h, NT_OBJ_ANY, &o);
    cr_expect_eq(st, STATUS_SUCCESS, "NT_OBJ_ANY: got %#x", (uint32_t)st);
    nt_object_release(o);
    nt_object_release(&t->hdr);
    cr_expect_eq(nt_handle_close(h), STATUS_SUCCESS);
    cr_expect_eq(destroyed, 1, "destroyed %d times", destroyed);
}

Test(handles, get_wrong_type_is_type_mismatch)
{
    int destroyed = 0;
    HANDLE h = new_handle(NT_OBJ_MUTANT, &destroyed);
    nt_object *o = (nt_object *)1;
    NTSTATUS st = nt_handle_get(h, NT_OBJ_FILE, &o);
    cr_expect_eq(st, STATUS_OBJECT_TYPE_MISMATCH, "got %#x", (uint32_t)st);
    cr_expect_null(o, "out %p", (void *)o);
}

Test(handles, get_bad_handles_are_invalid)
{
    HANDLE bad[] = {NULL, (HANDLE)(uintptr_t)0x123454, NtCurrentProcess(), NtCurrentThread(),
                    (HANDLE)(uintptr_t)0xdeadbeef0};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        nt_object *o;
        NTSTATUS st = nt_handle_get(bad[i], NT_OBJ_ANY, &o);
        cr_expect_eq(st, STATUS_INVALID_HANDLE, "handle %p: got %#x", bad[i], (uint32_t)st);
    }
}

Test(handles, close_twice_second_is_invalid)
{
    int destroyed = 0;
    HANDLE h = new_handle(NT_OBJ_EVENT, &destroyed);
    cr_expect_eq(NtClose(h), STATUS_SUCCESS);
    cr_expect_eq(destroyed, 1, "destroyed %d", destroyed);
    NTSTATUS st = NtClose(h);
    cr_expect_eq(st, STATUS_INVALID_HANDLE, "second close: %#x", (uint32_t)st);
    cr_expect_eq(destroyed, 1, "destroyed %d", destroyed);
}

Test(handles, close_pseudo_handles_succeeds)
{
    cr_expect_eq(NtClose(NtCurrentProcess()), STATUS_SUCCESS);
    cr_expect_eq(NtClose(NtCurrentThread()), STATUS_SUCCESS);
    cr_expect_eq(NtClose(NULL), STATUS_INVALID_HANDLE, "NtClose(NULL): %#x",
                 (uint32_t)NtClose(NULL));
}

Test(handles, freed_value_is_reused)
{
    int destroyed = 0;
    HANDLE a = new_handle(NT_OBJ_EVENT, &destroyed);
    cr_assert_eq(NtClose(a), STATUS_SUCCESS);
    HANDLE b = new_handle(NT_OBJ_EVENT, &destroyed);
    cr_expect_eq(a, b, "first %p, then %p", a, b);
}

Test(handles, tag_bits_are_ignored)
{
    int destroyed = 0;
    HANDLE h = new_handle(NT_OBJ_EVENT, &destroyed);
    nt_object *o;
    HANDLE tagged = (HANDLE)((uintptr_t)h | 3);
    NTSTATUS st = nt_handle_get(tagged, NT_OBJ_EVENT, &o);
    cr_assert_eq(st, STATUS_SUCCESS, "got %#x", (uint32_t)st);
    nt_object_release(o);
    cr_expect_eq(NtClose(tagged), STATUS_SUCCESS);
    cr_expect_eq(destroyed, 1, "destroyed %d", destroyed);
}

Test(handles, reference_keeps_object_alive_after_close)
{
    int destroyed = 0;
    HANDLE h = new_handle(NT_OBJ_SEMAPHORE, &destroyed);
    nt_object *o;
    cr_assert_eq(nt_handle_get(h, NT_OBJ_SEMAPHORE, &o), STATUS_SUCCESS);
    cr_assert_eq(NtClose(h), STATUS_SUCCESS);
    cr_expect_eq(destroyed, 0, "destroyed while referenced (%d)", destroyed);
    cr_expect_eq(o->type, NT_OBJ_SEMAPHORE, "type %d", o->type);
    nt_object *o2;
    cr_expect_eq(nt_handle_get(h, NT_OBJ_ANY, &o2), STATUS_INVALID_HANDLE);
    nt_object_release(o);
    cr_expect_eq(destroyed, 1, "destroyed %d", destroyed);
}

Test(handles, many_handles_are_distinct_and_valid)
{
    enum { N = 5000 };
    static HANDLE hs[N];
    int destroyed = 0;
    for (int i = 0; i < N; i++)
        hs[i] = new_handle(i % 2 ? NT_OBJ_EVENT : NT_OBJ_MUTANT, &destroyed);
    for (int i = 1; i < N; i++)
        cr_assert_neq(hs[i], hs[i - 1], "duplicate %p", hs[i]);
    for (int i = 0; i < N; i++) {
        nt_object *o;
        NTSTATUS st = nt_handle_get(hs[i], i % 2 ? NT_OBJ_EVENT : NT_OBJ_MUTANT, &o);
        cr_assert_eq(st, STATUS_SUCCESS, "handle %d (%p): %#x", i, hs[i], (uint32_t)st);
        nt_object_release(o);
    }
    for (int i = 0; i < N; i++)
        cr_assert_eq(NtClose(hs[i]), STATUS_SUCCESS, "close %d", i);
    cr_expect_eq(destroyed, N, "destroyed %d of %d", destroyed, N);
}
