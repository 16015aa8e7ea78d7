/* SPDX-License-Identifier: MIT */
/* Nettle, hogweed and GMP opened on the first crypto call (nettle_lazy.h). The sonames are the
 * ones of the libraries the build found (CMakeLists.txt reads them at configure time). */
#define NTL_NO_REDIRECT
#include "thunks/advapi32/nettle_lazy.h"
#include <dlfcn.h>
#include <pthread.h>
#include "runtime/runtime.h"

#if !defined(NTRUN_NETTLE_SONAME) || !defined(NTRUN_HOGWEED_SONAME) || !defined(NTRUN_GMP_SONAME)
#error "the build passes the sonames of libnettle, libhogweed and libgmp (CMakeLists.txt)"
#endif

static ntl_api ntl_fns;
static const ntl_api *ntl_table;
static pthread_once_t ntl_once = PTHREAD_ONCE_INIT;

static void ntl_load(void)
{
    /* hogweed needs nettle and GMP: opening them first names the one that is missing. */
    static const char *const libs[] = {NTRUN_NETTLE_SONAME, NTRUN_GMP_SONAME,
                                       NTRUN_HOGWEED_SONAME};
    void *h = NULL;
    for (size_t i = 0; i < sizeof libs / sizeof libs[0]; i++) {
        h = dlopen(libs[i], RTLD_NOW | RTLD_LOCAL);
        if (!h) {
            rt_message("cannot load %s (%s): the crypto functions of advapi32, bcrypt and "
                       "crypt32 fail", libs[i], dlerror());
            return;
        }
    }
    /* hogweed's handle looks in its dependencies too: nettle and GMP. */
#define NTL_SYM(name)                                                                          \
    *(void **)&ntl_fns.name = dlsym(h, #name);                                                  \
    if (!ntl_fns.name) {                                                                       \
        rt_message("%s has no %s: the crypto functions of advapi32, bcrypt and crypt32 fail",    \
                   NTRUN_HOGWEED_SONAME, #name);                                               \
        return;                                                                                \
    }
    NTL_SYMBOLS(NTL_SYM)
#undef NTL_SYM
    ntl_table = &ntl_fns;
}

const ntl_api *ntl_get(void)
{
    pthread_once(&ntl_once, ntl_load);
    return ntl_table;
}
