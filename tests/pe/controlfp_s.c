/* msvcrt/ucrtbase _controlfp_s: the control word read (mask 0: nothing changes), the rounding
 * mode set to upward and back (the word given in *current each time, the SSE unit rounding
 * 1/3 up and then to nearest), a NULL *current, and a value with a bit outside the control
 * word's fields under the mask: EINVAL (errno too), nothing changed, the word still given.
 * workerd (Cloudflare's C++ runtime, V8) calls it at start-up. */
#include <errno.h>
#include <float.h>
#include <stdio.h>

int main(void)
{
    unsigned int cw = 0xcccccccc;
    errno_t r = _controlfp_s(&cw, 0, 0);
    printf("get: %d rounding %#x exceptions masked %#x denormal control %#x\n", r,
           cw & _MCW_RC, cw & _MCW_EM, cw & _MCW_DN);
    r = _controlfp_s(&cw, _RC_UP, _MCW_RC);
    volatile double one = 1.0, three = 3.0;
    double up = one / three;
    printf("set _RC_UP: %d rounding %#x\n", r, cw & _MCW_RC);
    r = _controlfp_s(NULL, _RC_NEAR, _MCW_RC);
    double near = one / three;
    printf("set _RC_NEAR without a result: %d, 1/3 rounded up is above 1/3 to nearest: %d\n",
           r, up > near);
    _set_errno(0);
    cw = 0xcccccccc;
    r = _controlfp_s(&cw, 0x80 | _RC_CHOP, 0x80 | _MCW_RC);
    printf("bit 0x80: %d errno %d rounding %#x\n", r, errno, cw & _MCW_RC);
    return 0;
}
