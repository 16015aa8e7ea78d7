/* SPDX-License-Identifier: MIT */
/* winmm's multimedia timer resolution calls and timeGetTime. Linux timers have no system-wide
 * resolution to raise, so timeBeginPeriod/timeEndPeriod only check their argument (1 ms and
 * up, as Windows accepts) and succeed. timeGetTime is the millisecond tick count. */
#include <time.h>
#include "thunks/thunks_private.h"

#define TIMERR_NOERROR 0u
#define TIMERR_NOCANDO 97u
#define WINMM_MIN_PERIOD 1u
#define WINMM_MAX_PERIOD 1000000u

typedef struct {
    uint32_t wPeriodMin; /* 0x00 */
    uint32_t wPeriodMax; /* 0x04 */
} TIMECAPS;

static uint32_t WINAPI winmm_timeBeginPeriod(uint32_t period)
{
    return period < WINMM_MIN_PERIOD || period > WINMM_MAX_PERIOD ? TIMERR_NOCANDO : TIMERR_NOERROR;
}
THK_EXPORT_AS(winmm, timeBeginPeriod, winmm_timeBeginPeriod, 1);

static uint32_t WINAPI winmm_timeEndPeriod(uint32_t period)
{
    return period < WINMM_MIN_PERIOD || period > WINMM_MAX_PERIOD ? TIMERR_NOCANDO : TIMERR_NOERROR;
}
THK_EXPORT_AS(winmm, timeEndPeriod, winmm_timeEndPeriod, 1);

static uint32_t WINAPI winmm_timeGetTime(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint32_t)((uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000);
}
THK_EXPORT_AS(winmm, timeGetTime, winmm_timeGetTime, 0);

static uint32_t WINAPI winmm_timeGetDevCaps(TIMECAPS *caps, uint32_t size)
{
    TIMECAPS c = {WINMM_MIN_PERIOD, WINMM_MAX_PERIOD};
    if (!caps || size < sizeof c)
        return TIMERR_NOCANDO;
    return nt_copy_to_user(caps, &c, sizeof c) == 0 ? TIMERR_NOERROR : TIMERR_NOCANDO;
}
THK_EXPORT_AS(winmm, timeGetDevCaps, winmm_timeGetDevCaps, 2);
