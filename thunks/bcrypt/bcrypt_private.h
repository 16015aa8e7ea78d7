/* SPDX-License-Identifier: MIT */
/* Shared by bcrypt's files: algorithm handles (alg.c) as BCryptGenRandom (random.c) sees them. */
#ifndef NTRUN_THUNKS_BCRYPT_PRIVATE_H
#define NTRUN_THUNKS_BCRYPT_PRIVATE_H

#include <stdbool.h>

/* Whether `alg` is an open "RNG" algorithm handle or BCRYPT_RNG_ALG_HANDLE. */
bool bc_is_rng(const void *alg);

#endif
