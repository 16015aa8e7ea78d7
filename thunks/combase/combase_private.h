/* SPDX-License-Identifier: MIT */
/* What the combase files share: the calling thread's apartment (init.c). */
#ifndef THUNKS_COMBASE_PRIVATE_H
#define THUNKS_COMBASE_PRIVATE_H
#include <stdbool.h>
#include <stdint.h>

/* Is the calling thread in an apartment: CoInitializeEx'd, or in the implicit MTA (another
 * thread is in the MTA)? COM's calls that need one give CO_E_NOTINITIALIZED otherwise. */
bool cb_thread_has_apartment(void);
/* The calling thread's apartment: its thread id for an STA, 0 for the (implicit) MTA. */
uint32_t cb_apartment_id(void);
/* Did the calling thread enter a single-threaded apartment? */
bool cb_thread_is_sta(void);

#endif
